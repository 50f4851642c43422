"""What every rule sees (:class:`TrunkContext`) and the small helpers rules share."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Annotated, Protocol

from pydantic import Field, InstanceOf, SkipValidation

from lagprov.knowledge.compat import switch_bundling
from lagprov.knowledge.mtu import DOT1Q_TAG, SWITCH_MTU
from lagprov.knowledge.platforms import get_spec
from lagprov.knowledge.platforms.base import StateQuery
from lagprov.model.base import Model
from lagprov.model.findings import Evidence, Finding, Status
from lagprov.model.hardware import HardwareModel
from lagprov.model.intent import HostEnd, SwitchEnd, Trunk8021q, TrunkIntent
from lagprov.model.state import (
    DeviceLagState,
    HostTeamState,
    LacpActivity,
    LagProtocol,
    LagState,
    MemberState,
    MemberStatus,
)
from lagprov.model.types import Bundling, HostOs, Severity, SwitchMode

NO_PARTNER = "00:00:00:00:00:00"

STATUS_MEANING: Mapping[MemberStatus, str] = {
    MemberStatus.BUNDLED: "bundled, carries traffic",
    MemberStatus.HOT_STANDBY: "hot-standby: more members than the bundle may use (max-bundle)",
    MemberStatus.SUSPENDED: "suspended: the partner does not speak LACP, or answers with "
    "another system id/key (cabled to another device or another bundle), or speed/duplex differ",
    MemberStatus.INDIVIDUAL: "individual: no LACP partner, the port forwards on its own",
    MemberStatus.WAITING: "waiting for an LACP response: the far end sends no LACPDUs",
    MemberStatus.DOWN: "link down: cable, optic, or the far end's NIC is down",
}

_HOST_SOURCE: Mapping[HostOs, str] = {
    HostOs.LINUX: "/proc/net/bonding",
    HostOs.WINDOWS: "Get-NetLbfoTeam",
    HostOs.VMWARE: "esxcli network vswitch",
    HostOs.STORAGE: "trunk group report",
}


class TrunkContext(Model):
    """One trunk's intent and everything observed about its ends.

    A switch missing from ``switches`` was not reachable (or not collected): rules return
    *unverifiable* for it.  ``host`` is None when the host was not reachable or is only
    declared in the inventory (a storage array's trunk group).
    """

    trunk: TrunkIntent
    # Taken as given (states are already validated models): validating the mapping would copy
    # the whole fleet's states for every trunk, making a run quadratic in the fleet.
    switches: Annotated[Mapping[str, DeviceLagState], SkipValidation]
    host: HostTeamState | None = None
    # The inventory's hardware catalog (Inventory.hardware); empty: the shipped catalog.
    hardware: Mapping[str, InstanceOf[HardwareModel]] = Field(default_factory=dict)

    def device(self, end: SwitchEnd) -> DeviceLagState | None:
        """Observed state of the switch of ``end``, if collected."""
        return self.switches.get(end.device)

    def lag(self, end: SwitchEnd) -> LagState | None:
        """Observed bundle of ``end`` (None if the device or the bundle is unknown)."""
        dev = self.device(end)
        if dev is None or end.channel is None:
            return None
        return dev.lag(end.channel)

    @property
    def present(self) -> bool:
        """True unless the trunk is meant to be removed."""
        return self.trunk.state == "present"


class Rule(Protocol):
    """A verification rule: small, pure, stateless."""

    @property
    def id(self) -> str: ...

    @property
    def severity(self) -> Severity: ...

    @property
    def description(self) -> str: ...

    def check(self, ctx: TrunkContext) -> Iterable[Finding]: ...


class BaseRule:
    """Shared finding constructors; subclasses set ``id``, ``severity``, ``description``."""

    id = "base"
    severity = Severity.ERROR
    description = ""

    def finding(
        self,
        ctx: TrunkContext,
        status: Status,
        message: str,
        *,
        device: str | None = None,
        subject: str | None = None,
        expected: object = None,
        actual: object = None,
        evidence: Iterable[Evidence] = (),
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of this rule on ``ctx``'s trunk (``severity``: the rule's, unless the
        finding is a milder case of it, e.g. swapped cables of the right host)."""
        return Finding(
            trunk=ctx.trunk.name,
            rule=self.id,
            status=status,
            severity=severity or self.severity,
            device=device,
            subject=subject,
            expected=None if expected is None else str(expected),
            actual=None if actual is None else str(actual),
            message=message,
            evidence=tuple(evidence),
        )

    def unreachable(self, ctx: TrunkContext, end: SwitchEnd) -> Finding:
        """Unverifiable: no state from the switch of ``end``."""
        return self.finding(
            ctx,
            Status.UNVERIFIABLE,
            f"no state from {end.device} (unreachable or not collected)",
            device=end.device,
        )

    def no_lag(self, ctx: TrunkContext, end: SwitchEnd) -> Finding:
        """Unverifiable: the bundle of ``end`` was not found (lag-present reports it)."""
        return self.finding(
            ctx,
            Status.UNVERIFIABLE,
            f"{lag_label(end)} not found on {end.device}; see rule lag-present",
            device=end.device,
            subject=lag_label(end),
        )


def lag_ends(trunk: TrunkIntent) -> tuple[SwitchEnd, ...]:
    """Switch ends (peer included) that form a bundle."""
    return tuple(e for e in trunk.switch_ends if e.mode.is_lag)


def lag_label(end: SwitchEnd, lag: LagState | None = None) -> str:
    """Display name of the bundle of ``end`` (vendor spelling when known)."""
    if lag is not None and lag.name:
        return lag.name
    assert end.channel is not None
    return get_spec(end.platform).lag_name(end.channel)


def source(dev: DeviceLagState | SwitchEnd, query: StateQuery) -> str:
    """Evidence source for a switch fact: ``"<device>: <command>"``."""
    commands = get_spec(dev.platform).commands
    cmd = commands.get(query) or commands.get(StateQuery.RUNNING_CONFIG, query.value)
    return f"{dev.device}: {cmd}"


def host_source(host: HostTeamState) -> str:
    """Evidence source for a host fact."""
    where = _HOST_SOURCE[host.os]
    if host.os is HostOs.WINDOWS and host.team == "SET":
        where = "Get-VMSwitchTeam"  # SET teams are not shown by the LBFO cmdlets
    if host.os is HostOs.LINUX and host.name:
        where = f"{where}/{host.name}"
    return f"{host.device}: {where}"


def intent_evidence(what: str, value: object) -> Evidence:
    """Evidence that a value comes from the intent (trunks.yaml)."""
    return Evidence(source=f"intent: {what}", value=str(value))


def member_evidence(dev: DeviceLagState, m: MemberState, query: StateQuery) -> Evidence:
    """Evidence for a member's status, raw vendor flags kept."""
    status = m.status.value if m.status is not None else "unknown"
    raw = f"{m.name}({''.join(m.flags)})" if m.flags else None
    return Evidence(source=source(dev, query), value=f"{m.name} {status}", raw=raw)


_HEX = re.compile(r"[0-9a-f]")


def normalise_mac(mac: str | None) -> str | None:
    """``aabb.ccdd.eeff`` / ``AA-BB-..`` / ``aa:bb:..`` -> ``aa:bb:cc:dd:ee:ff``.

    >>> normalise_mac("0011.2233.44FF")
    '00:11:22:33:44:ff'
    """
    if mac is None:
        return None
    digits = "".join(_HEX.findall(mac.lower()))
    if len(digits) != 12:
        return mac.strip().lower()
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def is_no_partner(system_id: str | None) -> bool:
    """True when a partner id means "no LACP partner" (all zeros or none)."""
    if system_id is None:
        return False
    return system_id.strip().lower() in ("none", "") or normalise_mac(system_id) == NO_PARTNER


def observed_bundling(ctx: TrunkContext, end: SwitchEnd) -> tuple[Bundling, bool, bool] | None:
    """What a switch end offers its peer: ``(bundling, active, observed)``.

    Observed state first (bundle protocol/mode, members' actor activity); the intent when
    the switch was not collected.  None when the device is known but the facts are not.
    """
    dev = ctx.device(end)
    if dev is None:
        return switch_bundling(end.mode), end.mode is not SwitchMode.LACP_PASSIVE, False
    lag = ctx.lag(end) or containing_lag(dev, end.members)
    if lag is None:
        return Bundling.INDEPENDENT, True, True  # no bundle on these ports: plain ports
    found = lag_bundling(lag, default_active=end.mode is not SwitchMode.LACP_PASSIVE)
    return None if found is None else (found[0], found[1], True)


def containing_lag(dev: DeviceLagState, ports: Iterable[str]) -> LagState | None:
    """The first bundle of ``dev`` that has one of ``ports`` as a member."""
    names = set(ports)
    return next((lg for lg in dev.lags if any(m.name in names for m in lg.members)), None)


def lag_bundling(lag: LagState, *, default_active: bool) -> tuple[Bundling, bool] | None:
    """Bundling and LACP activity a bundle shows, None if it says neither mode nor protocol."""
    if lag.mode is not None:
        return switch_bundling(lag.mode), lag.mode is not SwitchMode.LACP_PASSIVE
    if lag.protocol is LagProtocol.STATIC:
        return Bundling.STATIC, True
    if lag.protocol is LagProtocol.LACP:
        acts = {m.actor.activity for m in lag.members if m.actor and m.actor.activity}
        if acts:
            return Bundling.LACP, LacpActivity.ACTIVE in acts
        return Bundling.LACP, default_active
    return None


def observed_host_activity(host: HostTeamState | None) -> bool | None:
    """True/False if the host reports its LACP activity (the team's own setting, else its
    members' actor bits), None if it does not."""
    if host is None:
        return None
    if host.lacp_activity is not None:
        return host.lacp_activity is LacpActivity.ACTIVE
    acts = {m.actor.activity for m in host.members if m.actor and m.actor.activity}
    return (LacpActivity.ACTIVE in acts) if acts else None


def host_activity(host: HostTeamState | None, want: HostEnd | None = None) -> bool:
    """The host's LACP activity: as observed, else as the intent declares it (``lacp_mode``,
    default active: Linux, Windows and arrays are active speakers)."""
    seen = observed_host_activity(host)
    if seen is not None:
        return seen
    return want is None or want.lacp_mode == "active"


def is_tagged(end: SwitchEnd) -> bool:
    """True if the end carries 802.1Q tags (Junos counts the tag in its MTU)."""
    return isinstance(end.l2, Trunk8021q)


def observed_ip(end: SwitchEnd, mtu_ip: int | None) -> int | None:
    """An observed IP MTU as it applies to ``end``'s traffic.

    Parsers convert a device's MTU as untagged (they cannot know the port's VLAN mode);
    on a tagged end of a platform whose MTU counts the 802.1Q tag (Junos, SMIS) four bytes
    less reach the IP layer, exactly as ``switch_ip_mtu(..., tagged=True)`` says of the intent.
    """
    if mtu_ip is None or not is_tagged(end) or not SWITCH_MTU[end.platform].counts_tag:
        return mtu_ip
    return mtu_ip - DOT1Q_TAG
