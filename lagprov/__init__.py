"""lagprov: switch link-aggregation provisioning and verification.

Both ends of every trunk (switch port-channel and host NIC team) must agree; lagprov renders,
plans, pushes and proves it.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
