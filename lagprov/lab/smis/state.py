"""Configuration state of a simulated Supermicro SMIS (Aricent ISS) switch."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from lagprov.lab.base import LagMode

SMIS_FIRMWARE = "1.0.18-2"
SMIS_HW_REVISION = "(P1-01)"
SUPERMICRO_OUI = "00:30:48"


@dataclass
class SmisIface:
    """One interface (front-panel port or port-channel) as configured; defaults = factory."""

    description: str | None = None
    mtu: int | None = None  # None: the hardware default
    l2_mode: str | None = None  # "access" | "trunk"
    access_vlan: int | None = None
    trunk_allowed: str | None = None
    native_vlan: int | None = None
    shutdown: bool = False
    channel: int | None = None  # ports only
    lag_mode: LagMode | None = None
    lacp_fast: bool = False
    stp_portfast: bool = False  # "spanning-tree portfast" (SEFOS STP guide; unverified on SMIS)


@dataclass
class SmisConfig:
    """The running configuration: ports by config name (``Ex 0/1``), channels by number."""

    ports: dict[str, SmisIface]
    channels: dict[int, SmisIface] = field(default_factory=dict)
    vlans: set[int] = field(default_factory=set)
    la_enabled: bool = False  # ISS: "Port channel: Disabled" by default (SEFOS defaults table)

    def members(self, channel: int) -> list[str]:
        """Ports configured in ``channel``, in front-panel order."""
        return [p for p, i in self.ports.items() if i.channel == channel]


def table_name(port: str) -> str:
    """``Ex 0/1`` as SMIS tables print it: ``Ex0/1``."""
    return port.replace(" ", "")


def system_mac(name: str, oui: str = SUPERMICRO_OUI) -> str:
    """A deterministic MAC address for ``name`` under ``oui``."""
    digest = hashlib.sha256(name.encode()).digest()
    return oui + "".join(f":{b:02x}" for b in digest[:3])
