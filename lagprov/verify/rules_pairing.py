"""Both ends of a trunk: mode pairing, member counts, bundling, partner identity, speed."""

from __future__ import annotations

from collections.abc import Iterator

from lagprov.knowledge.compat import Pairing, pair_outcome, pairing_explained
from lagprov.knowledge.platforms.base import StateQuery
from lagprov.model.findings import Evidence, Finding, Status
from lagprov.model.intent import SwitchEnd
from lagprov.model.state import MemberStatus
from lagprov.model.types import Bundling, HostOs, Platform
from lagprov.verify.context import (
    STATUS_MEANING,
    BaseRule,
    TrunkContext,
    host_activity,
    lag_ends,
    lag_label,
    member_evidence,
    observed_bundling,
)


def _side(bundling: Bundling, active: bool) -> str:
    if bundling is Bundling.LACP:
        return f"LACP {'active' if active else 'passive'}"
    return str(bundling)


class LacpPairing(BaseRule):
    """The two ends' bundling modes can meet (lagprov.knowledge.compat.pair_outcome)."""

    id = "lacp-pairing"
    description = "both ends' observed modes pair (no passive-passive, LACP-vs-static, ...)"

    def check(self, ctx: TrunkContext) -> Iterator[Finding]:
        if not ctx.present:
            return
        far = self._far(ctx)
        for end in ctx.trunk.switch:
            near = observed_bundling(ctx, end)
            if near is None or far is None:
                yield self.finding(
                    ctx,
                    Status.UNVERIFIABLE,
                    f"bundling mode not reported by {end.device if near is None else 'far end'}",
                    device=end.device,
                )
                continue
            yield self._pair(ctx, end, near, far)

    def _far(self, ctx: TrunkContext) -> tuple[Bundling, bool, bool, str] | None:
        t = ctx.trunk
        if t.peer is not None:
            seen = observed_bundling(ctx, t.peer)
            return None if seen is None else (*seen, t.peer.device)
        assert t.host is not None
        h = ctx.host
        if h is not None and h.bundling is not None:
            return h.bundling, host_activity(h, t.host), True, f"host {t.host.device} ({h.team})"
        return (t.host.bundling, host_activity(None, t.host), False,
                f"host {t.host.device} ({t.host.team})")

    @staticmethod
    def _lacp_side(
        ctx: TrunkContext, end: SwitchEnd, near: Bundling, far: Bundling
    ) -> Platform | HostOs | None:
        """The end that runs LACP (its behaviour without a partner explains the outcome)."""
        t = ctx.trunk
        if near is Bundling.LACP:
            return end.platform
        if far is Bundling.LACP:
            return t.peer.platform if t.peer is not None else t.host.os if t.host else None
        return None

    def _pair(
        self,
        ctx: TrunkContext,
        end: SwitchEnd,
        near: tuple[Bundling, bool, bool],
        far: tuple[Bundling, bool, bool, str],
    ) -> Finding:
        outcome = pair_outcome(near[0], far[0], a_active=near[1], b_active=far[1])
        left, right = f"{end.device} {_side(near[0], near[1])}", f"{far[3]} {_side(far[0], far[1])}"
        origin = [
            f"{n} from {'observed state' if o else 'intent'}"
            for n, o in ((end.device, near[2]), (far[3], far[2]))
        ]
        ev = (
            Evidence(
                source="lagprov.knowledge.compat.pair_outcome", value=outcome.value,
                raw=f"{left} / {right}",
            ),
        )
        if not (near[2] or far[2]):
            return self.finding(
                ctx,
                Status.UNVERIFIABLE,
                f"neither end observed; the intent alone gives {outcome.value}",
                device=end.device,
                expected=Pairing.OK,
                actual=outcome,
                evidence=ev,
            )
        ok = outcome is Pairing.OK
        return self.finding(
            ctx,
            Status.PASS if ok else Status.FAIL,
            f"{left} vs {right}: "
            f"{pairing_explained(outcome, self._lacp_side(ctx, end, near[0], far[0]))} "
            f"({'; '.join(origin)})",
            device=end.device,
            expected=Pairing.OK,
            actual=outcome,
            evidence=ev,
        )


class MemberCount(BaseRule):
    """As many links on the switch side as on the far side."""

    id = "member-count"
    description = "the switch side has as many member links as the far end (host NICs / peer)"

    def check(self, ctx: TrunkContext) -> Iterator[Finding]:
        if not ctx.present:
            return
        near = [self._count(ctx, e) for e in ctx.trunk.switch]
        if ctx.trunk.peer is not None:
            far, who = self._count(ctx, ctx.trunk.peer), ctx.trunk.peer.device
        else:
            assert ctx.trunk.host is not None
            who = ctx.trunk.host.device
            far = len(ctx.host.members) if ctx.host and ctx.host.members else None
        if far is None or any(n is None for n in near):
            yield self.finding(ctx, Status.UNVERIFIABLE, "member count not known at every end")
            return
        total = sum(n for n in near if n is not None)
        ok = total == far
        yield self.finding(
            ctx,
            Status.PASS if ok else Status.FAIL,
            f"{total} switch member(s) vs {far} on {who}"
            + ("" if ok else ": the ends differ, traffic hashed to a lone link is lost"),
            expected=far,
            actual=total,
        )

    @staticmethod
    def _count(ctx: TrunkContext, end: SwitchEnd) -> int | None:
        if not end.mode.is_lag:
            return len(end.members) if ctx.device(end) is not None else None
        lag = ctx.lag(end)
        return len(lag.members) if lag is not None else None


class MemberBundled(BaseRule):
    """Every member of every bundle is bundled (and why not, if not)."""

    id = "member-bundled"
    description = "every member is bundled; otherwise its status (suspended, ...) and meaning"

    def check(self, ctx: TrunkContext) -> Iterator[Finding]:
        if not ctx.present:
            return
        for end in lag_ends(ctx.trunk):
            dev, lag = ctx.device(end), ctx.lag(end)
            if dev is None:
                yield self.unreachable(ctx, end)
                continue
            if lag is None:
                yield self.no_lag(ctx, end)
                continue
            for m in lag.members:
                ev = (member_evidence(dev, m, StateQuery.LAG_SUMMARY),)
                if m.status is None:
                    yield self.finding(
                        ctx,
                        Status.UNVERIFIABLE,
                        f"{m.name}: bundle status not reported",
                        device=end.device,
                        subject=m.name,
                        evidence=ev,
                    )
                    continue
                ok = m.status is MemberStatus.BUNDLED
                yield self.finding(
                    ctx,
                    Status.PASS if ok else Status.FAIL,
                    f"{m.name} in {lag_label(end, lag)} is {STATUS_MEANING[m.status]}",
                    device=end.device,
                    subject=m.name,
                    expected=MemberStatus.BUNDLED,
                    actual=m.status,
                    evidence=ev,
                )


class MinLinksMet(BaseRule):
    """At least min-links members are bundled (else the bundle is down)."""

    id = "min-links-met"
    description = "at least min-links members are bundled, otherwise the port-channel is down"

    def check(self, ctx: TrunkContext) -> Iterator[Finding]:
        if not ctx.present:
            return
        for end in lag_ends(ctx.trunk):
            lag = ctx.lag(end)
            if lag is None:
                continue  # lag-present / unreachable already say so
            need = lag.min_links or end.min_links
            if need is None:
                continue
            bundled = [m.name for m in lag.members if m.status is MemberStatus.BUNDLED]
            unknown = [m.name for m in lag.members if m.status is None]
            label = lag_label(end, lag)
            if len(bundled) < need and unknown:
                yield self.finding(
                    ctx,
                    Status.UNVERIFIABLE,
                    f"{label}: status of {', '.join(unknown)} not reported",
                    device=end.device,
                    subject=label,
                    expected=f">= {need}",
                )
                continue
            ok = len(bundled) >= need
            others = [f"{m.name} {m.status}" for m in lag.members if m.name not in bundled]
            msg = f"{label}: {len(bundled)} bundled, min-links {need}"
            if not ok:
                msg += f" - the port-channel is down ({', '.join(others) or 'no members'})"
            yield self.finding(
                ctx,
                Status.PASS if ok else Status.FAIL,
                msg,
                device=end.device,
                subject=label,
                expected=f">= {need}",
                actual=len(bundled),
                evidence=tuple(
                    member_evidence(d, m, StateQuery.LAG_SUMMARY)
                    for d in (ctx.device(end),)
                    if d is not None
                    for m in lag.members
                ),
            )


class MemberSpeed(BaseRule):
    """Every link of the trunk runs at the same speed, on both ends."""

    id = "member-speed"
    description = "all members on both ends have the same speed (not MPIO paths)"

    def check(self, ctx: TrunkContext) -> Iterator[Finding]:
        if not ctx.present or ctx.trunk.purpose == "iscsi-mpio":
            return  # MPIO paths are separate links: nothing hashes over them as one bundle
        speeds: dict[str, int] = {}
        for end in ctx.trunk.switch_ends:
            dev, lag = ctx.device(end), ctx.lag(end)
            if dev is None:
                continue
            if lag is not None:
                speeds |= {
                    f"{end.device} {m.name}": m.speed_mbps
                    for m in lag.members
                    if m.speed_mbps is not None
                }
            for p in (dev.port(n) for n in end.members):
                if p is not None and p.speed_mbps is not None:
                    speeds[f"{end.device} {p.name}"] = p.speed_mbps
        if ctx.host is not None:
            speeds |= {
                f"{ctx.host.device} {m.name}": m.speed_mbps
                for m in ctx.host.members
                if m.speed_mbps is not None
            }
        if len(speeds) < 2:
            yield self.finding(ctx, Status.UNVERIFIABLE, "link speeds not reported")
            return
        text = ", ".join(f"{k} {v} Mb/s" for k, v in speeds.items())
        ok = len(set(speeds.values())) == 1
        yield self.finding(
            ctx,
            Status.PASS if ok else Status.FAIL,
            (
                "all links at the same speed: "
                if ok
                else "links differ in speed (LACP will not "
                "bundle them, or hashing overloads the slow link): "
            )
            + text,
            expected="equal",
            actual=text,
        )
