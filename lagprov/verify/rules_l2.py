"""Switchport settings (VLANs) and independent ports (MPIO paths, switch-independent teams)."""

from __future__ import annotations

from collections.abc import Iterator

from lagprov.knowledge.mtu import switch_ip_mtu
from lagprov.knowledge.platforms.base import StateQuery
from lagprov.model.findings import Evidence, Finding, Status
from lagprov.model.intent import L2, Access, SwitchEnd, Trunk8021q
from lagprov.model.state import LagState, MemberState
from lagprov.verify.context import (
    BaseRule,
    TrunkContext,
    containing_lag,
    is_tagged,
    observed_ip,
    source,
)


def l2_problems(want: L2, have: L2) -> list[str]:
    """What differs between two switchport settings (empty: as intended)."""
    if isinstance(want, Access):
        if not isinstance(have, Access):
            return [f"mode {have.mode}, intent access vlan {want.vlan}"]
        return [] if have.vlan == want.vlan else [f"access vlan {have.vlan}, intent {want.vlan}"]
    if not isinstance(have, Trunk8021q):
        return [f"mode access vlan {have.vlan}, intent trunk"]
    out = []
    missing = sorted(set(want.vlans) - set(have.vlans))
    extra = sorted(set(have.vlans) - set(want.vlans))
    if missing:
        out.append(f"VLANs missing: {', '.join(map(str, missing))}")
    if extra:
        out.append(f"VLANs extra: {', '.join(map(str, extra))}")
    if want.native_vlan is not None and have.native_vlan != want.native_vlan:
        out.append(f"native VLAN {have.native_vlan}, intent {want.native_vlan}")
    return out


def l2_text(l2: L2) -> str:
    """Short display of a switchport setting."""
    if isinstance(l2, Access):
        return f"access {l2.vlan}"
    native = f" native {l2.native_vlan}" if l2.native_vlan is not None else ""
    return f"trunk {','.join(map(str, l2.vlans))}{native}"


class IndependentPorts(BaseRule):
    """Independent ports (MPIO paths, switch-independent teams): no LAG, L2 and MTU as intended."""

    id = "independent-ports"
    description = "independent ports exist, are in no bundle, and have the intended VLANs/MTU"

    def check(self, ctx: TrunkContext) -> Iterator[Finding]:
        if not ctx.present:
            return
        for end in ctx.trunk.switch_ends:
            if end.mode.is_lag:
                continue
            if ctx.device(end) is None:
                yield self.unreachable(ctx, end)
                continue
            for port in end.members:
                yield self._port(ctx, end, port)

    def _port(self, ctx: TrunkContext, end: SwitchEnd, name: str) -> Finding:
        dev = ctx.device(end)
        assert dev is not None
        lag = containing_lag(dev, [name])
        if lag is not None:
            return self.finding(
                ctx,
                Status.FAIL,
                f"{name} on {end.device} is a member of {lag.name or lag.channel}; "
                "the intent wants an independent port",
                device=end.device,
                subject=name,
                expected="no bundle",
                actual=f"member of {lag.name or lag.channel}",
                evidence=(_member_ev(ctx, end, lag, name),),
            )
        port = dev.port(name)
        if port is None:
            return self.finding(
                ctx,
                Status.UNVERIFIABLE,
                f"no port state for {name} on {end.device}",
                device=end.device,
                subject=name,
            )
        problems: list[str] = []
        unknown: list[str] = []
        if end.l2 is not None:
            if port.l2 is None:
                unknown.append("VLANs")
            else:
                problems += l2_problems(end.l2, port.l2)
        if end.mtu is not None:
            want = switch_ip_mtu(end.platform, end.mtu, tagged=is_tagged(end))
            have = (observed_ip(end, port.mtu_ip) if port.mtu_ip is not None
                    else dev.system_mtu_ip)
            if have is None:
                unknown.append("MTU")
            elif have != want:
                problems.append(f"IP MTU {have}, intent {want} (mtu {end.mtu})")
        ev = (Evidence(source=source(dev, StateQuery.INTERFACES), value=port.model_dump_json()),)
        if problems:
            return self.finding(
                ctx,
                Status.FAIL,
                f"{name} on {end.device}: {'; '.join(problems)}",
                device=end.device,
                subject=name,
                evidence=ev,
            )
        if unknown:
            return self.finding(
                ctx,
                Status.UNVERIFIABLE,
                f"{name} on {end.device}: {' and '.join(unknown)} not reported",
                device=end.device,
                subject=name,
                evidence=ev,
            )
        return self.finding(
            ctx,
            Status.PASS,
            f"{name} on {end.device} is an independent port as intended",
            device=end.device,
            subject=name,
            evidence=ev,
        )


def _member_ev(ctx: TrunkContext, end: SwitchEnd, lag: LagState, name: str) -> Evidence:
    dev = ctx.device(end)
    assert dev is not None
    m: MemberState | None = lag.member(name)
    return Evidence(
        source=source(dev, StateQuery.LAG_SUMMARY),
        value=f"{name} in {lag.name or lag.channel}",
        raw=f"{name}({''.join(m.flags)})" if m and m.flags else None,
    )
