"""Intent drift, one switch end at a time: is the device configured as the intent says?"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from lagprov.knowledge.compat import switch_bundling
from lagprov.knowledge.mtu import switch_ip_mtu
from lagprov.knowledge.platforms.base import StateQuery
from lagprov.model.findings import Evidence, Finding, Status
from lagprov.model.intent import SwitchEnd
from lagprov.model.state import LacpActivity, LagProtocol, LagState, MemberState
from lagprov.model.types import LacpRate, SwitchMode
from lagprov.verify.context import (
    BaseRule,
    TrunkContext,
    intent_evidence,
    is_tagged,
    lag_bundling,
    lag_ends,
    lag_label,
    observed_ip,
    source,
)
from lagprov.verify.rules_l2 import l2_problems, l2_text


class LagPresent(BaseRule):
    """The bundle exists (``state: present``) or is gone (``state: absent``)."""

    id = "lag-present"
    description = "the port-channel exists on each switch end (is gone for state: absent)"

    def check(self, ctx: TrunkContext) -> Iterator[Finding]:
        for end in lag_ends(ctx.trunk):
            dev = ctx.device(end)
            if dev is None:
                yield self.unreachable(ctx, end)
                continue
            lag = ctx.lag(end)
            label = lag_label(end, lag)
            ev = Evidence(
                source=source(dev, StateQuery.RUNNING_CONFIG),
                value=f"{label} {'present' if lag else 'absent'}",
            )
            want = ctx.present
            ok = (lag is not None) == want
            msg = f"{label} is {'present' if lag else 'absent'} on {end.device}"
            if not ok:
                msg += " but the intent says " + ("present" if want else "absent (remove it)")
            yield self.finding(
                ctx,
                Status.PASS if ok else Status.FAIL,
                msg,
                device=end.device,
                subject=label,
                expected="present" if want else "absent",
                actual="present" if lag else "absent",
                evidence=(ev,),
            )


class _LagRule(BaseRule):
    """A rule on the observed bundle of each LAG end of a present trunk."""

    def check(self, ctx: TrunkContext) -> Iterator[Finding]:
        if not ctx.present:
            return
        for end in lag_ends(ctx.trunk):
            if not self.applies(end):
                continue
            if ctx.device(end) is None:
                yield self.unreachable(ctx, end)
                continue
            lag = ctx.lag(end)
            if lag is None:
                yield self.no_lag(ctx, end)
                continue
            yield from self.check_lag(ctx, end, lag)

    def applies(self, end: SwitchEnd) -> bool:  # noqa: ARG002
        """False when the intent leaves this aspect open."""
        return True

    def check_lag(self, ctx: TrunkContext, end: SwitchEnd, lag: LagState) -> Iterable[Finding]:
        """Findings for one observed bundle."""
        raise NotImplementedError

    def compare(
        self,
        ctx: TrunkContext,
        end: SwitchEnd,
        lag: LagState,
        what: str,
        expected: object,
        actual: object,
        query: StateQuery = StateQuery.RUNNING_CONFIG,
    ) -> Finding:
        """Pass/fail/unverifiable for one scalar setting."""
        dev = ctx.device(end)
        assert dev is not None
        label = lag_label(end, lag)
        ev: tuple[Evidence, ...] = (intent_evidence(f"{end.device} {what}", expected),)
        if actual is None:
            return self.finding(
                ctx,
                Status.UNVERIFIABLE,
                f"{label} {what} not reported by {end.device}",
                device=end.device,
                subject=label,
                expected=expected,
                evidence=ev,
            )
        ev += (Evidence(source=source(dev, query), value=f"{what} {actual}"),)
        ok = expected == actual
        msg = f"{label} {what} is {actual}" + ("" if ok else f", intent says {expected}")
        return self.finding(
            ctx,
            Status.PASS if ok else Status.FAIL,
            msg,
            device=end.device,
            subject=label,
            expected=expected,
            actual=actual,
            evidence=ev,
        )


class LagMembers(_LagRule):
    """Member set: present / missing / extra (napalm vocabulary)."""

    id = "lag-members"
    description = "the bundle has exactly the intended members (missing / extra)"

    def check_lag(self, ctx: TrunkContext, end: SwitchEnd, lag: LagState) -> Iterator[Finding]:
        dev = ctx.device(end)
        assert dev is not None
        label = lag_label(end, lag)
        have = [m.name for m in lag.members]
        missing = [m for m in end.members if m not in have]
        extra = [m for m in have if m not in end.members]
        present = [m for m in end.members if m in have]
        summary = (
            f"present: {', '.join(present) or '-'}; missing: {', '.join(missing) or '-'}; "
            f"extra: {', '.join(extra) or '-'}"
        )
        ev = Evidence(source=source(dev, StateQuery.LAG_SUMMARY), value=f"{label}: {summary}")
        for name, kind in [(m, "missing") for m in missing] + [(m, "extra") for m in extra]:
            yield self.finding(
                ctx,
                Status.FAIL,
                f"{name} is {kind} in {label} on {end.device}"
                + (" (added by hand?)" if kind == "extra" else ""),
                device=end.device,
                subject=name,
                expected="member" if kind == "missing" else "not a member",
                actual=kind,
                evidence=(ev,),
            )
        if not missing and not extra:
            yield self.finding(
                ctx,
                Status.PASS,
                f"{label} members as intended ({summary})",
                device=end.device,
                subject=label,
                expected=", ".join(end.members),
                actual=", ".join(have),
                evidence=(ev,),
            )


class LagMode(_LagRule):
    """Bundling mode: lacp-active / lacp-passive / static."""

    id = "lag-mode"
    description = "the bundle mode (LACP active/passive, static) is the intended one"

    def check_lag(self, ctx: TrunkContext, end: SwitchEnd, lag: LagState) -> Iterator[Finding]:
        modes = {m.name: md for m in lag.members if (md := member_mode(lag, m)) is not None}
        if len(set(modes.values())) > 1:
            yield from self._mixed(ctx, end, lag, modes)
            return
        if lag.mode is not None:
            yield self.compare(ctx, end, lag, "mode", end.mode, lag.mode)
            return
        seen = lag_bundling(lag, default_active=True)
        label = lag_label(end, lag)
        if seen is None:
            actual = lag.protocol.value if lag.protocol else None
            if actual is None:
                yield self.compare(ctx, end, lag, "mode", end.mode, None)
                return
            yield self.compare(ctx, end, lag, "protocol", switch_bundling(end.mode), actual)
            return
        if seen[0] is not switch_bundling(end.mode):
            yield self.compare(ctx, end, lag, "protocol", switch_bundling(end.mode), seen[0])
        elif end.mode.is_lacp and not any(m.actor and m.actor.activity for m in lag.members):
            yield self.finding(
                ctx,
                Status.UNVERIFIABLE,
                f"{label} runs LACP; active/passive not reported by {end.device}",
                device=end.device,
                subject=label,
                expected=end.mode,
                actual="lacp",
            )
        else:
            observed = (
                (SwitchMode.LACP_ACTIVE if seen[1] else SwitchMode.LACP_PASSIVE)
                if end.mode.is_lacp
                else SwitchMode.STATIC
            )
            yield self.compare(ctx, end, lag, "mode", end.mode, observed, StateQuery.LACP_NEIGHBORS)


    def _mixed(
        self, ctx: TrunkContext, end: SwitchEnd, lag: LagState, modes: dict[str, SwitchMode]
    ) -> Iterator[Finding]:
        """Members of one bundle in different modes: each one off the intent fails."""
        dev = ctx.device(end)
        assert dev is not None
        label = lag_label(end, lag)
        seen = ", ".join(f"{n} {md.value}" for n, md in modes.items())
        ev = (Evidence(source=source(dev, StateQuery.RUNNING_CONFIG), value=f"{label}: {seen}"),)
        for name, mode in modes.items():
            if mode is end.mode:
                continue
            yield self.finding(
                ctx,
                Status.FAIL,
                f"{name} runs {mode.value} but the intent (and other members of {label}) say "
                f"{end.mode.value}: the members of one bundle disagree ({seen})",
                device=end.device,
                subject=name,
                expected=end.mode,
                actual=mode,
                evidence=ev,
            )


def member_mode(lag: LagState, m: MemberState) -> SwitchMode | None:
    """A member's own mode: its channel-group mode, else its LACP actor's activity bit."""
    if m.mode is not None:
        return m.mode
    lacp = lag.protocol is LagProtocol.LACP or (lag.mode is not None and lag.mode.is_lacp)
    if lacp and m.actor is not None and m.actor.activity is not None:
        active = m.actor.activity is LacpActivity.ACTIVE
        return SwitchMode.LACP_ACTIVE if active else SwitchMode.LACP_PASSIVE
    return None


def _member_rate(lag: LagState) -> LacpRate | None:
    rates = {m.actor.rate for m in lag.members if m.actor and m.actor.rate}
    return rates.pop() if len(rates) == 1 else None


class LagLacpRate(_LagRule):
    """LACP rate (fast/slow) as intended."""

    id = "lag-lacp-rate"
    description = "the LACP rate (fast/slow) is the intended one"

    def applies(self, end: SwitchEnd) -> bool:
        return end.lacp_rate is not None

    def check_lag(self, ctx: TrunkContext, end: SwitchEnd, lag: LagState) -> Iterator[Finding]:
        rate = lag.lacp_rate or _member_rate(lag)
        yield self.compare(ctx, end, lag, "LACP rate", end.lacp_rate, rate)


class LagMinLinks(_LagRule):
    """min-links configured as intended."""

    id = "lag-min-links"
    description = "min-links is configured as intended"

    def applies(self, end: SwitchEnd) -> bool:
        return end.min_links is not None

    def check_lag(self, ctx: TrunkContext, end: SwitchEnd, lag: LagState) -> Iterator[Finding]:
        yield self.compare(ctx, end, lag, "min-links", end.min_links, lag.min_links)


class LagMtu(_LagRule):
    """The bundle's IP MTU is what the intended MTU means on that platform."""

    id = "lag-mtu"
    description = "the bundle's IP MTU equals the intended MTU (compared as IP MTU)"

    def applies(self, end: SwitchEnd) -> bool:
        return end.mtu is not None

    def check_lag(self, ctx: TrunkContext, end: SwitchEnd, lag: LagState) -> Iterator[Finding]:
        dev = ctx.device(end)
        assert dev is not None and end.mtu is not None
        want = switch_ip_mtu(end.platform, end.mtu, tagged=is_tagged(end))
        have, query = observed_ip(end, lag.mtu_ip), StateQuery.INTERFACES
        if have is None:
            have, query = dev.system_mtu_ip, StateQuery.SYSTEM_MTU
        yield self.compare(ctx, end, lag, f"IP MTU (intent mtu {end.mtu})", want, have, query)


class LagVlans(_LagRule):
    """Switchport mode, access VLAN, allowed list, native VLAN."""

    id = "lag-vlans"
    description = "switchport mode and VLANs (access / allowed list / native) as intended"

    def applies(self, end: SwitchEnd) -> bool:
        return end.l2 is not None

    def check_lag(self, ctx: TrunkContext, end: SwitchEnd, lag: LagState) -> Iterator[Finding]:
        assert end.l2 is not None
        dev = ctx.device(end)
        assert dev is not None
        label = lag_label(end, lag)
        ev: tuple[Evidence, ...] = (intent_evidence(f"{end.device} {label} l2", l2_text(end.l2)),)
        if lag.l2 is None:
            yield self.finding(
                ctx,
                Status.UNVERIFIABLE,
                f"{label} VLANs not reported by {end.device}",
                device=end.device,
                subject=label,
                expected=l2_text(end.l2),
                evidence=ev,
            )
            return
        ev += (Evidence(source=source(dev, StateQuery.RUNNING_CONFIG), value=l2_text(lag.l2)),)
        problems = l2_problems(end.l2, lag.l2)
        yield self.finding(
            ctx,
            Status.FAIL if problems else Status.PASS,
            f"{label}: {'; '.join(problems)}" if problems else f"{label} VLANs as intended",
            device=end.device,
            subject=label,
            expected=l2_text(end.l2),
            actual=l2_text(lag.l2),
            evidence=ev,
        )
