"""The host team: mode, members, Linux aggregators, LACP rate; and iSCSI MPIO paths."""

from __future__ import annotations

from collections.abc import Iterator

from lagprov.knowledge.compat import canonical_team
from lagprov.knowledge.platforms.base import StateQuery
from lagprov.model.findings import Evidence, Finding, Status
from lagprov.model.intent import Access, HostEnd, SwitchEnd
from lagprov.model.state import HostTeamState, LagState
from lagprov.model.types import Bundling, HostOs, LacpRate, Severity
from lagprov.verify.context import (
    BaseRule,
    TrunkContext,
    containing_lag,
    host_source,
    lag_ends,
    lag_label,
    source,
)


class _HostRule(BaseRule):
    """A rule on the observed host team of a present host trunk."""

    def check(self, ctx: TrunkContext) -> Iterator[Finding]:
        want = ctx.trunk.host
        if not ctx.present or want is None:
            return
        if ctx.host is None:
            yield self.finding(
                ctx,
                Status.UNVERIFIABLE,
                f"no state from host {want.device} (not reachable, or declared only in the "
                "inventory)",
                device=want.device,
            )
            return
        yield from self.check_host(ctx, want, ctx.host)

    def check_host(
        self, ctx: TrunkContext, want: HostEnd, have: HostTeamState
    ) -> Iterator[Finding]:
        """Findings for the observed team."""
        raise NotImplementedError


class HostTeamMode(_HostRule):
    """The host team mode is the intended one (e.g. 802.3ad, not balance-rr)."""

    id = "host-team-mode"
    description = "the host team mode (and what it needs from the switch) is the intended one"

    def check_host(
        self, ctx: TrunkContext, want: HostEnd, have: HostTeamState
    ) -> Iterator[Finding]:
        ev = (Evidence(source=host_source(have), value=f"team {have.team}, {have.bundling}"),)
        if have.team is not None:
            try:
                got = canonical_team(have.os, have.team).canonical
            except ValueError:
                got = have.team
            ok = got.lower() == want.team.lower()
            actual: str = got
        elif have.bundling is not None:
            ok, actual = have.bundling is want.bundling, f"a {have.bundling} team"
        else:
            yield self.finding(
                ctx,
                Status.UNVERIFIABLE,
                f"team mode not reported by {want.device}",
                device=want.device,
                subject=want.name,
                expected=want.team,
                evidence=ev,
            )
            return
        yield self.finding(
            ctx,
            Status.PASS if ok else Status.FAIL,
            f"{want.device} team {want.name or ''} is {actual}".replace("  ", " ")
            + ("" if ok else f", intent says {want.team} ({want.bundling})"),
            device=want.device,
            subject=want.name,
            expected=want.team,
            actual=actual,
            evidence=ev,
        )


class HostMembersUp(_HostRule):
    """Every intended NIC is in the team and its link is up."""

    id = "host-members-up"
    description = "every intended NIC is a team member and its link is up"

    def check_host(
        self, ctx: TrunkContext, want: HostEnd, have: HostTeamState
    ) -> Iterator[Finding]:
        src = host_source(have)
        for nic in want.nics:
            m = have.member(nic)
            if m is None and not have.members:
                yield self.finding(
                    ctx,
                    Status.UNVERIFIABLE,
                    f"{nic}: team members not reported",
                    device=want.device,
                    subject=nic,
                )
            elif m is None:
                yield self.finding(
                    ctx,
                    Status.FAIL,
                    f"{nic} is not a member of the team",
                    device=want.device,
                    subject=nic,
                    expected="member",
                    actual="missing",
                )
            elif m.link_up is None:
                yield self.finding(
                    ctx,
                    Status.UNVERIFIABLE,
                    f"{nic}: link state not reported",
                    device=want.device,
                    subject=nic,
                )
            else:
                why = f" ({m.failure_reason})" if m.failure_reason else ""
                yield self.finding(
                    ctx,
                    Status.PASS if m.link_up else Status.FAIL,
                    f"{nic} link {'up' if m.link_up else 'down'}{why}",
                    device=want.device,
                    subject=nic,
                    expected="up",
                    actual="up" if m.link_up else "down",
                    evidence=(Evidence(source=src, value=f"{nic} link_up={m.link_up}{why}"),),
                )


class HostAggregator(_HostRule):
    """Linux 802.3ad: all slaves in one aggregator (else only one link carries traffic)."""

    id = "host-aggregator"
    description = "802.3ad slaves share one aggregator id (else only one link carries traffic)"

    def check_host(
        self, ctx: TrunkContext, want: HostEnd, have: HostTeamState
    ) -> Iterator[Finding]:
        if (have.bundling or want.bundling) is not Bundling.LACP or have.os is not HostOs.LINUX:
            return  # aggregator ids are a Linux bonding notion
        ids = {m.name: m.aggregator_id for m in have.members}
        if not ids or any(v is None for v in ids.values()):
            yield self.finding(
                ctx,
                Status.UNVERIFIABLE,
                f"aggregator ids not reported by {want.device}",
                device=want.device,
            )
            return
        text = ", ".join(f"{k} aggregator {v}" for k, v in ids.items())
        ok = len(set(ids.values())) == 1
        yield self.finding(
            ctx,
            Status.PASS if ok else Status.FAIL,
            f"{want.device}: {text}"
            + (
                ""
                if ok
                else ": the slaves sit in different "
                "aggregators, only the active one carries traffic"
            ),
            device=want.device,
            subject=have.name,
            expected="one aggregator",
            actual=text,
            evidence=(Evidence(source=host_source(have), value=text),),
        )


class LacpRatePair(BaseRule):
    """Host (or peer) LACP rate equals the switch's."""

    id = "lacp-rate-pair"
    severity = Severity.WARNING
    description = "the far end's LACP rate equals the switch's (fast/slow mismatch: slow failover)"

    def check(self, ctx: TrunkContext) -> Iterator[Finding]:
        t = ctx.trunk
        if not ctx.present:
            return
        far_rate, far_name = self._far(ctx)
        for end in t.switch:
            if not end.mode.is_lacp:
                continue
            rate = observed_rate(ctx.lag(end)) or self._seen_by_far(ctx, end)
            if rate is None or far_rate is None:
                yield self.finding(
                    ctx, Status.UNVERIFIABLE, "LACP rate not known at both ends", device=end.device
                )
                continue
            ok = rate is far_rate
            yield self.finding(
                ctx,
                Status.PASS if ok else Status.FAIL,
                f"{end.device} LACP rate {rate}, {far_name} {far_rate}"
                + ("" if ok else ": failure detection is as slow as the slow side (90 s)"),
                device=end.device,
                expected=rate,
                actual=far_rate,
            )

    @staticmethod
    def _seen_by_far(ctx: TrunkContext, end: SwitchEnd) -> LacpRate | None:
        """The rate ``end`` sends in its LACPDUs, as the peer switch reports its partner
        (IOS without ``show lacp internal`` reports no actor rate of its own)."""
        t = ctx.trunk
        if t.peer is None or end is t.peer:
            return None
        return partner_rate(ctx.lag(t.peer))

    @staticmethod
    def _far(ctx: TrunkContext) -> tuple[LacpRate | None, str]:
        t = ctx.trunk
        if t.peer is not None:
            rate = observed_rate(ctx.lag(t.peer)) or partner_rate(ctx.lag(t.switch[0]))
            return rate, t.peer.device
        assert t.host is not None
        h = ctx.host
        if h is None or (h.bundling or t.host.bundling) is not Bundling.LACP:
            return None, t.host.device
        if h.lacp_rate is not None:
            return h.lacp_rate, t.host.device
        rates = {m.actor.rate for m in h.members if m.actor and m.actor.rate}
        return (rates.pop() if len(rates) == 1 else None), t.host.device


def observed_rate(lag: LagState | None) -> LacpRate | None:
    """LACP rate of a bundle, or the one rate all its members' actors report."""
    if lag is None:
        return None
    if lag.lacp_rate is not None:
        return lag.lacp_rate
    rates = {m.actor.rate for m in lag.members if m.actor and m.actor.rate}
    return rates.pop() if len(rates) == 1 else None


def partner_rate(lag: LagState | None) -> LacpRate | None:
    """The one LACP rate every member's partner of ``lag`` sends (the far end's rate)."""
    if lag is None:
        return None
    rates = {m.partner.rate for m in lag.members if m.partner and m.partner.rate}
    return rates.pop() if len(rates) == 1 else None


class MpioPaths(BaseRule):
    """iSCSI MPIO: no teaming on any path (switch or host), each path in its own VLAN.

    Paths on one switch are a valid, less redundant design (a warning).  What breaks MPIO is
    two paths in one VLAN (one subnet) while the host has separate NICs: the host routes both
    sessions out of one NIC, so one path carries everything and its failure is not masked.
    """

    id = "mpio-paths"
    description = (
        "iSCSI MPIO paths are not teamed (no LAG, host team none), each in its own VLAN "
        "(paths on one switch: warning)"
    )

    def check(self, ctx: TrunkContext) -> Iterator[Finding]:
        t = ctx.trunk
        if not ctx.present or t.purpose != "iscsi-mpio":
            return
        problems: list[str] = []
        ev: list[Evidence] = []
        devices = [e.device for e in t.switch]
        if lag_ends(t):
            problems.append(f"the intent bundles the paths on {', '.join(devices)}")
        unknown = 0
        for end in t.switch:
            dev = ctx.device(end)
            if dev is None:
                unknown += 1
                continue
            lag = containing_lag(dev, end.members)
            if lag is not None:
                problems.append(f"{end.device} bundles the path in {lag.name or lag.channel}")
                ev.append(
                    Evidence(
                        source=source(dev, StateQuery.LAG_SUMMARY),
                        value=f"{', '.join(m.name for m in lag.members)} in "
                        f"{lag.name or lag.channel}",
                    )
                )
            elif end.mode.is_lag and ctx.lag(end):
                problems.append(f"{lag_label(end)} exists on {end.device}")
        shared, vlan_ev = _shared_vlans(ctx)
        problems += shared
        ev += vlan_ev
        h = ctx.host
        if h is None or h.bundling is None:
            unknown += 1
        elif h.bundling is not Bundling.INDEPENDENT or (h.team or "none").lower() != "none":
            problems.append(
                f"host {h.device} teams the iSCSI NICs ({h.team}, {h.bundling}); "
                "MPIO needs separate NICs without a team"
            )
            ev.append(Evidence(source=host_source(h), value=f"team {h.team}"))
        one_switch = len(set(devices)) < 2
        if problems or unknown or not one_switch:
            status = Status.FAIL if problems else Status.UNVERIFIABLE if unknown else Status.PASS
            yield self.finding(
                ctx,
                status,
                "; ".join(problems) if problems else "paths not fully observed" if unknown
                else f"separate paths on {', '.join(devices)}, one VLAN each, no team",
                expected="no team, one VLAN per path",
                evidence=tuple(ev),
            )
        if one_switch:
            yield self.finding(
                ctx,
                Status.FAIL,
                f"every path ends on {devices[0]}: valid, but losing that switch loses all "
                "paths; spread them over two switches",
                device=devices[0],
                expected="one switch per path",
                actual=", ".join(devices),
                severity=Severity.WARNING,
            )


def _path_vlan(ctx: TrunkContext, end: SwitchEnd, port: str) -> tuple[int | None, str]:
    """The access VLAN of one MPIO path: observed, else intended."""
    dev = ctx.device(end)
    seen = dev.port(port) if dev is not None else None
    if seen is not None and isinstance(seen.l2, Access):
        return seen.l2.vlan, source(dev, StateQuery.RUNNING_CONFIG) if dev else "observed"
    if isinstance(end.l2, Access):
        return end.l2.vlan, f"intent: {end.device} l2"
    return None, ""


def _shared_vlans(ctx: TrunkContext) -> tuple[list[str], list[Evidence]]:
    """Paths that share an access VLAN (one subnet for two NICs of the host)."""
    by_vlan: dict[int, list[str]] = {}
    ev: list[Evidence] = []
    for end in ctx.trunk.switch:
        for port in end.members:
            vlan, src = _path_vlan(ctx, end, port)
            if vlan is not None:
                by_vlan.setdefault(vlan, []).append(f"{end.device} {port}")
                ev.append(Evidence(source=src, value=f"{end.device} {port} access VLAN {vlan}"))
    out = [
        f"paths {', '.join(paths)} share VLAN {vlan}: the host's separate iSCSI NICs sit in one "
        "subnet, so it sends every session out of one NIC and MPIO loses its second path"
        for vlan, paths in by_vlan.items() if len(paths) > 1
    ]
    return out, ev if out else []
