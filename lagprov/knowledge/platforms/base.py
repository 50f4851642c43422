"""What a platform is: a small frozen spec.  Templates and parsers do the rest."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from lagprov.model.types import Feature, Platform


class StateQuery(StrEnum):
    """The read-backs lagprov collects from every switch."""

    RUNNING_CONFIG = "running_config"
    LAG_SUMMARY = "lag_summary"
    LACP_NEIGHBORS = "lacp_neighbors"
    INTERFACES = "interfaces"
    SYSTEM_MTU = "system_mtu"


class MtuScope(StrEnum):
    """Where a hardware model takes its MTU."""

    SYSTEM_JUMBO = "system-jumbo"  # Catalyst 2960/3560/3750: 'system mtu jumbo N', reload
    SYSTEM = "system"  # Catalyst 3850/9300: 'system mtu N', no reload
    INTERFACE = "interface"  # Junos ae, EOS Port-Channel, SMIS port-channel


@dataclass(frozen=True, slots=True)
class PortRange:
    """Ports ``prefix{first..last}``, e.g. ``GigabitEthernet1/0/`` 1..48."""

    prefix: str
    first: int
    last: int
    speed_mbps: int

    def names(self) -> tuple[str, ...]:
        """Every port name of the range."""
        return tuple(f"{self.prefix}{i}" for i in range(self.first, self.last + 1))


@dataclass(frozen=True, slots=True)
class HardwareModel:
    """A switch model: its ports, MTU knobs and what it lacks against its platform."""

    name: str
    platform: Platform
    ports: tuple[PortRange, ...]
    mtu_scope: MtuScope
    mtu_min: int
    mtu_max: int
    mtu_default: int
    mtu_needs_reload: bool = False
    channel_max: int | None = None  # fewer bundles than the platform allows
    lacks: frozenset[Feature] = frozenset()
    vlan_style: str = ""  # Junos: "els" | "classic"
    note: str = ""

    def port_names(self) -> tuple[str, ...]:
        """Every front-panel port."""
        return tuple(n for r in self.ports for n in r.names())

    def port_speed(self, name: str) -> int | None:
        """Speed of port ``name`` in Mb/s, or None if the model has no such port."""
        for r in self.ports:
            if name in r.names():
                return r.speed_mbps
        return None


@dataclass(frozen=True, slots=True)
class PlatformSpec:
    """Everything lagprov needs to know about a platform, as data.

    The only place that maps names between Netmiko, NAPALM, ntc-templates and hier_config.
    """

    platform: Platform
    title: str
    netmiko_device_type: str
    napalm_driver: str | None
    hier_platform: str
    lag_name_format: str  # "Port-channel{id}"
    interface_pattern: re.Pattern[str]
    interface_example: str
    channel_min: int
    channel_max: int
    features: frozenset[Feature]
    commands: Mapping[StateQuery, str]
    save_command: str
    # A member with no ``mtu`` of its own runs at the bundle's MTU (Junos ae: "It applies to
    # the bundle and members", vendor-cli.md 3.1).  Elsewhere a member's MTU is known only
    # when reported.  A member's own, different ``mtu`` is a mismatch either way.
    members_take_lag_mtu: bool = False

    def lag_name(self, channel: int) -> str:
        """Vendor spelling of bundle ``channel``."""
        return self.lag_name_format.format(id=channel)

    def supports(self, feature: Feature, model: HardwareModel | None = None) -> bool:
        """True if the platform, and the hardware model if given, has ``feature``."""
        return feature in self.features and (model is None or feature not in model.lacks)
