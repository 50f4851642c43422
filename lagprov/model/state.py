"""State: what devices and hosts say, folded into one LAG-centred vocabulary.

Every field that a source did not report is ``None`` (unknown), never a guess: rules turn
unknowns into *unverifiable*, not into mismatches.  Parsers of single commands return partial
states; :func:`lagprov.observe.parsers.merge_device_states` folds them into one.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from lagprov.model.base import Model
from lagprov.model.intent import L2
from lagprov.model.types import Bundling, HostOs, LacpRate, Platform, SwitchMode


class MemberStatus(StrEnum):
    """Where a member port stands in its bundle (vendor flags mapped here)."""

    BUNDLED = "bundled"  # IOS P/bndl, EOS P/Bundled, Junos Collecting distributing
    HOT_STANDBY = "hot-standby"  # IOS H/hot-sby
    SUSPENDED = "suspended"  # IOS s/susp, EOS s
    INDIVIDUAL = "individual"  # IOS I, EOS I: no LACP partner, forwarding alone
    WAITING = "waiting"  # IOS w, EOS "Waiting for LACP response" / G- out of sync
    DOWN = "down"  # link down (IOS D, EOS D)


class LacpActivity(StrEnum):
    """LACP activity bit of a port (0x01 of the port state byte)."""

    ACTIVE = "active"
    PASSIVE = "passive"


class LagProtocol(StrEnum):
    """How a bundle is formed."""

    LACP = "lacp"
    STATIC = "static"
    PAGP = "pagp"


class LacpPort(Model):
    """One side of an LACP conversation on a port (actor or partner)."""

    system_id: str | None = Field(default=None, description="MAC, aa:bb:cc:dd:ee:ff")
    system_priority: int | None = None
    port: int | None = None
    port_priority: int | None = None
    key: int | None = None
    state: int | None = Field(default=None, description="IEEE 802.1AX port state byte")
    activity: LacpActivity | None = None
    rate: LacpRate | None = None


class MemberState(Model):
    """A member port of a bundle, or an independent port."""

    name: str
    status: MemberStatus | None = None
    link_up: bool | None = None
    actor: LacpPort | None = None
    partner: LacpPort | None = None
    speed_mbps: int | None = None
    mtu_ip: int | None = None
    mode: SwitchMode | None = Field(
        default=None, description="this member's own channel-group mode, when the device shows it"
    )
    flags: tuple[str, ...] = Field(default=(), description="raw vendor flags, for reports only")


class LagState(Model):
    """A port-channel / ae / Po as one device sees it."""

    channel: int
    name: str | None = Field(default=None, description="vendor spelling, e.g. Port-Channel10")
    protocol: LagProtocol | None = None
    mode: SwitchMode | None = None
    oper_up: bool | None = None
    lacp_rate: LacpRate | None = None
    min_links: int | None = None
    mtu_ip: int | None = None
    description: str | None = None
    l2: L2 | None = None
    members: tuple[MemberState, ...] = ()

    def member(self, name: str) -> MemberState | None:
        """The member called ``name`` (canonical), if any."""
        return next((m for m in self.members if m.name == name), None)


class PortState(Model):
    """A physical port outside any bundle (switch-independent teams, MPIO paths)."""

    name: str
    link_up: bool | None = None
    mtu_ip: int | None = None
    speed_mbps: int | None = None
    description: str | None = None
    l2: L2 | None = None


class MlagInterfaceState(Model):
    """One row of EOS ``show mlag interfaces``: an MLAG id and its two halves."""

    mlag_id: int
    state: str = Field(description="active-full | active-partial | inactive | configured | "
                       "disabled, as EOS prints it")
    local: str | None = None  # this peer's Port-Channel (Po10), None when '-'
    remote: str | None = None  # the other peer's
    status: str | None = None  # local/remote link status, e.g. 'up/up'


class MlagState(Model):
    """EOS ``show mlag`` (and ``show mlag interfaces``) of one peer."""

    domain_id: str | None = None
    peer_link: str | None = None
    state: str | None = Field(default=None, description="Active | Inactive | Disabled")
    negotiation: str | None = None
    peer_link_status: str | None = None  # Up | Lowerlayerdown | Down
    system_id: str | None = Field(default=None, description="the pair's shared LACP system id")
    interfaces: tuple[MlagInterfaceState, ...] | None = Field(
        default=None, description="show mlag interfaces (None: not read)")

    def interface(self, mlag_id: int) -> MlagInterfaceState | None:
        """The row of ``mlag_id``, if any."""
        return next((i for i in self.interfaces or () if i.mlag_id == mlag_id), None)


class DeviceLagState(Model):
    """Everything lagprov knows about one switch's bundles."""

    device: str
    platform: Platform
    lags: tuple[LagState, ...] = ()
    ports: tuple[PortState, ...] = ()
    system_mtu_ip: int | None = Field(default=None, description="global MTU, as IP MTU")
    system_id: str | None = None
    hardware: str | None = Field(
        default=None, description="hardware model as the inventory names it (for hardware facts)"
    )
    mlag: MlagState | None = Field(default=None, description="EOS MLAG state (MLAG pairs only)")

    def lag(self, channel: int) -> LagState | None:
        """The bundle numbered ``channel``, if any."""
        return next((lag for lag in self.lags if lag.channel == channel), None)

    def port(self, name: str) -> PortState | None:
        """The independent port called ``name``, if known."""
        return next((p for p in self.ports if p.name == name), None)


class HostMemberState(Model):
    """One NIC of a host team."""

    name: str
    link_up: bool | None = None
    speed_mbps: int | None = None
    mtu_ip: int | None = None
    aggregator_id: int | None = None
    actor: LacpPort | None = None
    partner: LacpPort | None = None
    failure_reason: str | None = None


class HostTeamState(Model):
    """A host's team (Linux bond, Windows LBFO/SET, vSwitch, storage trunk group)."""

    device: str
    os: HostOs
    name: str | None = None
    team: str | None = Field(default=None, description="canonical team mode, see compat")
    bundling: Bundling | None = None
    lacp_rate: LacpRate | None = None
    lacp_activity: LacpActivity | None = Field(
        default=None, description="the team's own LACP activity (Linux 'LACP active: on|off')"
    )
    system_id: str | None = None
    partner_system_id: str | None = None
    mtu_ip: int | None = None
    status: str | None = None
    members: tuple[HostMemberState, ...] = ()

    def member(self, name: str) -> HostMemberState | None:
        """The NIC called ``name``, if any."""
        return next((m for m in self.members if m.name == name), None)
