"""Enumerations and small value types shared by intent, state and findings."""

from __future__ import annotations

from enum import StrEnum


class Platform(StrEnum):
    """Switch platforms, named as Netmiko and ntc-templates name them."""

    CISCO_IOS = "cisco_ios"
    JUNIPER_JUNOS = "juniper_junos"
    ARISTA_EOS = "arista_eos"
    SUPERMICRO_SMIS = "supermicro_smis"


class HostOs(StrEnum):
    """Families of the far end of a trunk when it is not a switch."""

    LINUX = "linux"
    WINDOWS = "windows"
    VMWARE = "vmware"
    STORAGE = "storage"


class SwitchMode(StrEnum):
    """How a switch end bundles its member ports.

    ``independent`` means no LAG at all: identical, separate ports (for switch-independent
    teams and iSCSI MPIO paths).
    """

    LACP_ACTIVE = "lacp-active"
    LACP_PASSIVE = "lacp-passive"
    STATIC = "static"
    INDEPENDENT = "independent"

    @property
    def is_lag(self) -> bool:
        """True for every mode that forms a port-channel."""
        return self is not SwitchMode.INDEPENDENT

    @property
    def is_lacp(self) -> bool:
        """True for LACP active and passive."""
        return self in (SwitchMode.LACP_ACTIVE, SwitchMode.LACP_PASSIVE)


class Bundling(StrEnum):
    """What a host team (or any end) needs from its peer: the vocabulary of vendor-cli.md 0.1."""

    LACP = "lacp"
    STATIC = "static"
    INDEPENDENT = "independent"


class LacpRate(StrEnum):
    """LACPDU rate: slow (30 s) or fast (1 s)."""

    SLOW = "slow"
    FAST = "fast"


class L2Mode(StrEnum):
    """Switchport mode of a trunk end."""

    ACCESS = "access"
    TRUNK = "trunk"


class Feature(StrEnum):
    """Capabilities a platform or hardware model declares (instead of failing from a stub)."""

    LACP_RATE_FAST = "lacp-rate-fast"
    MIN_LINKS = "min-links"
    LACP_PASSIVE = "lacp-passive"
    STATIC_LAG = "static-lag"
    PER_PORT_MTU = "per-port-mtu"
    NATIVE_VLAN = "native-vlan"
    DEVICE_DIFF = "device-diff"
    COMMIT_CONFIRMED = "commit-confirmed"


class Severity(StrEnum):
    """How much a lint or verification finding matters."""

    ERROR = "error"
    WARNING = "warning"
