"""A switch hardware model as a typed, frozen value: ports, MTU knobs, limits, missing features.

The values themselves are data (``lagprov/knowledge/hardware/*.yaml``, loaded by
:mod:`lagprov.knowledge.platforms.hardware`); the type lives here so that an
:class:`~lagprov.model.inventory.Inventory` can carry the catalog it was loaded with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from lagprov.model.types import Feature, Platform


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

    def has(self, name: str) -> bool:
        """``name in self.names()``, without listing the range (asked once per member)."""
        number = name[len(self.prefix):] if name.startswith(self.prefix) else ""
        if not (number.isascii() and number.isdigit()) or str(int(number)) != number:
            return self.first < 0 and name in self.names()  # "-1" is never a port, but exact
        return self.first <= int(number) <= self.last


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
    # Largest frame a switchport bridges whatever the interface ``mtu`` says (EOS: ``mtu`` is
    # enforced on routed traffic only), counted with the Ethernet header, one 802.1Q tag and
    # the FCS; None where the MTU setting itself limits bridged frames.
    l2_frame_max: int | None = None
    l2_frame_source: str = ""
    # Spanning-tree edge (portfast) on a host-facing port, as this model's OS spells it:
    # ``{"trunk": ..., "access": ...}``; empty where the platform renders it another way.
    stp_edge: Mapping[str, str] = field(default_factory=dict)
    # The member-port LACP rate command of this model's EOS train: "rate" (old trains, ``lacp
    # rate fast|normal``) or "timer" (newer EOS, ``lacp timer fast|normal``); "" where the
    # platform has one spelling (vendor-cli.md 2.1).
    lacp_rate_keyword: str = ""
    lacp_rate_keyword_source: str = ""
    # Members of one bundle: active at once, and in all (LACP hot-standby above ``active``);
    # None: the platform's default (lagprov.knowledge.limits).
    lag_members_active: int | None = None
    lag_members_lacp: int | None = None
    lag_members_source: str = ""
    lag_members_confirmed: bool = False
    family: str = ""
    source: str = ""
    # Facts of this model that no source confirms (``ports``, ``mtu``, ...): assumed.
    assumed: tuple[str, ...] = ()
    # False: the model is not in the catalog; the platform's defaults stand in and the ports
    # are not known (``ports`` is empty and not checked).
    catalogued: bool = True
    # Stacking (Catalyst StackWise/FlexStack, EX Virtual Chassis): the technology's name ("":
    # the model does not stack), the highest member number, the number the model's own port
    # names carry (Catalyst 1: Gi1/0/1; EX FPC 0: ge-0/0/0), the bundle protocols a
    # cross-member bundle supports ("lacp", "static"; empty: not stated), and the source.
    stack_technology: str = ""
    stack_member_first: int = 1
    stack_member_max: int | None = None
    stack_cross_protocols: tuple[str, ...] = ()
    stack_source: str = ""
    # The members of the logical switch this model stands for (empty: one unstacked switch):
    # ``ports`` then holds the model's ports once per member (knowledge.platforms.stacked).
    stack_members: tuple[int, ...] = ()

    def port_names(self) -> tuple[str, ...]:
        """Every front-panel port."""
        return tuple(n for r in self.ports for n in r.names())

    def port_speed(self, name: str) -> int | None:
        """Speed of port ``name`` in Mb/s, or None if the model has no such port."""
        for r in self.ports:
            if r.has(name):
                return r.speed_mbps
        return None
