"""MTU, compared as IP MTU (lagprov.knowledge.mtu): bundle vs members, and end to end."""

from __future__ import annotations

from collections.abc import Iterator

from lagprov.knowledge.mtu import JUMBO_IP_MTU, switch_ip_mtu
from lagprov.knowledge.platforms import get_spec
from lagprov.knowledge.platforms.base import StateQuery
from lagprov.model.findings import Evidence, Finding, Status
from lagprov.model.intent import SwitchEnd
from lagprov.model.state import LagState
from lagprov.model.types import Severity
from lagprov.verify.context import BaseRule, TrunkContext, lag_ends, lag_label, source
from lagprov.verify.mtu_view import EndMtu, host_end_mtu, switch_end_mtu, unknown_reason


class MemberMtu(BaseRule):
    """Every member has the bundle's IP MTU (a lone 1500 member drops jumbo frames).

    On platforms whose members run at the bundle's MTU (``PlatformSpec.members_take_lag_mtu``,
    Junos), a member without its own MTU has the bundle's; one with its own, different ``mtu``
    still fails: its configuration disagrees with the bundle.
    """

    id = "member-mtu"
    description = "every member's IP MTU equals the bundle's (or the intended) IP MTU"

    def check(self, ctx: TrunkContext) -> Iterator[Finding]:
        if not ctx.present:
            return
        for end in lag_ends(ctx.trunk):
            dev, lag = ctx.device(end), ctx.lag(end)
            if dev is None or lag is None:
                continue  # reported by lag-present
            label = lag_label(end, lag)
            want, basis = self._reference(end, lag, dev.system_mtu_ip)
            known = [m for m in lag.members if m.mtu_ip is not None]
            spec = get_spec(end.platform)
            inherit = spec.members_take_lag_mtu and lag.mtu_ip is not None
            inherited = [m.name for m in lag.members if m.mtu_ip is None] if inherit else []
            if want is None and known:
                want = max(m.mtu_ip for m in known if m.mtu_ip is not None)
                basis = "the other members' IP MTU"
            if want is None or not (known or inherited):
                yield self.finding(
                    ctx,
                    Status.UNVERIFIABLE,
                    f"{label}: member MTU not reported",
                    device=end.device,
                    subject=label,
                )
                continue
            src = source(dev, StateQuery.INTERFACES)
            bad = [m for m in known if m.mtu_ip != want]
            for m in bad:
                effect = (
                    f"its own mtu disagrees with {label}; align or remove it" if inherit else
                    f"frames larger than {m.mtu_ip} are dropped on this link only"
                )
                yield self.finding(
                    ctx,
                    Status.FAIL,
                    f"{m.name} has IP MTU {m.mtu_ip}, {basis} is {want}: {effect}",
                    device=end.device,
                    subject=m.name,
                    expected=want,
                    actual=m.mtu_ip,
                    evidence=(Evidence(source=src, value=f"{m.name} IP MTU {m.mtu_ip}"),),
                )
            if not bad:
                why = (
                    f" ({', '.join(inherited)}: no mtu of their own, {spec.title} runs members "
                    f"at the bundle's MTU)" if inherited else ""
                )
                yield self.finding(
                    ctx,
                    Status.PASS,
                    f"{label}: every member at IP MTU {want}{why}",
                    device=end.device,
                    subject=label,
                    expected=want,
                    actual=want,
                )

    @staticmethod
    def _reference(end: SwitchEnd, lag: LagState, system: int | None) -> tuple[int | None, str]:
        """The IP MTU members should have, and what it is."""
        if lag.mtu_ip is not None:
            return lag.mtu_ip, f"{lag_label(end, lag)} IP MTU"
        if end.mtu is not None:  # members are compared as parsed: untagged, like with like
            ip = switch_ip_mtu(end.platform, end.mtu)
            return ip, f"the intended IP MTU (mtu {end.mtu})"
        if system is not None:
            return system, "the system IP MTU"
        return None, ""


class MtuPath(BaseRule):
    """End to end: switch IP MTU >= host IP MTU, and >= 9000 on jumbo trunks.

    Two switches at their own maxima (C9300 9198, EX 9216) carry every packet their hosts
    send: a peer difference is a warning, a failure only when one side is below what the trunk
    needs (jumbo).  Where a value's semantics are unpublished (SMIS) and the verdict depends on
    the reading, the check is unverifiable, never a guessed failure.
    """

    id = "mtu-path"
    description = "every end's IP MTU: switch >= host, >= 9000 if jumbo (peers differ: warning)"

    def check(self, ctx: TrunkContext) -> Iterator[Finding]:
        if not ctx.present:
            return
        t = ctx.trunk
        switch_side = [(e, switch_end_mtu(ctx, e)) for e in t.switch]
        if t.peer is not None:
            far: tuple[str, EndMtu | None] = (t.peer.device, switch_end_mtu(ctx, t.peer))
            far_unknown = unknown_reason(ctx, t.peer)
        else:
            assert t.host is not None
            far = (t.host.device, host_end_mtu(ctx.host))
            far_unknown = f"no MTU from host {t.host.device}"
        known = [m for _, m in switch_side if m is not None] + ([far[1]] if far[1] else [])
        unknown = [unknown_reason(ctx, e) for e, m in switch_side if m is None]
        unknown += [] if far[1] is not None else [far_unknown]
        errors, warnings, unsure = self._judge(ctx, [m for _, m in switch_side], far[1])
        text = "; ".join(
            ("host " if t.host and m.device == t.host.device else "") + m.describe() for m in known
        )
        ev = tuple(m.evidence() for m in known)
        expected = f">= {JUMBO_IP_MTU}" if t.jumbo else "switch >= host"
        if errors:
            yield self.finding(ctx, Status.FAIL, f"{text}: {'; '.join(errors)}",
                               expected=expected, actual=text, evidence=ev)
        elif unknown or unsure:
            yield self.finding(ctx, Status.UNVERIFIABLE,
                               "; ".join(unknown + unsure) + (f" ({text})" if text else ""),
                               expected=expected, actual=text or None, evidence=ev)
        elif warnings:
            yield self.finding(ctx, Status.FAIL, f"{text}: {'; '.join(warnings)}",
                               expected="equal peers", actual=text, evidence=ev,
                               severity=Severity.WARNING)
        else:
            binding = min(known, key=lambda m: m.ip)
            yield self.finding(
                ctx,
                Status.PASS,
                f"{text}: path passes IP {binding.ip} (bound by {binding.device})",
                actual=text,
                evidence=ev,
            )

    @staticmethod
    def _judge(
        ctx: TrunkContext, switch_side: list[EndMtu | None], far: EndMtu | None
    ) -> tuple[list[str], list[str], list[str]]:
        """(errors, warnings, unsure): what fails, what only warns, what depends on a reading
        of unpublished MTU semantics."""
        errors: list[str] = []
        warnings: list[str] = []
        unsure: list[str] = []

        def need(m: EndMtu, want: int, problem: str) -> None:
            if m.ip >= want:
                return
            if m.high < want:
                errors.append(problem)
            else:
                unsure.append(
                    f"{problem} if {m.raw} counts the Ethernet header, not if it is the IP MTU: "
                    f"{m.device}'s MTU semantics are unpublished (check with a DF ping)")

        ends = [m for m in [*switch_side, far] if m is not None]
        if ctx.trunk.jumbo:
            for m in ends:
                need(m, JUMBO_IP_MTU,
                     f"{m.device} passes only IP {m.ip} < {JUMBO_IP_MTU} on a jumbo trunk")
        if far is None:
            return errors, warnings, unsure
        for sw in (m for m in switch_side if m is not None):
            if ctx.trunk.peer is not None and sw.ip != far.ip:
                low = min(sw, far, key=lambda m: m.ip)
                warnings.append(
                    f"the peers differ: packets above IP {low.ip} ({low.device}) are dropped "
                    "one way; every packet the trunk needs passes"
                )
            elif ctx.trunk.host is not None:
                need(sw, far.ip,
                     f"host {far.device} sends IP {far.ip} but {sw.device} passes {sw.ip}: "
                     f"{'jumbo ' if far.ip >= JUMBO_IP_MTU else ''}frames are dropped by the "
                     "switch")
        return errors, warnings, unsure
