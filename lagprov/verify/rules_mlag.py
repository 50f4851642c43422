"""Arista MLAG: the pair is up, the bundle's MLAG interface is whole, the host sees one partner.

Only trunks whose switch side is an MLAG bundle (``TrunkIntent.mlag``: two ends, one per peer)
are judged.  The facts come from ``show mlag`` (state, peer-link status, system-id) and ``show
mlag interfaces`` (one row per MLAG id: active-full when both peers' halves are up) of each
peer (lagprov.observe.parsers.arista_mlag), and from the host's LACP partner per NIC.
"""

from __future__ import annotations

from collections.abc import Iterator

from lagprov.model.findings import Evidence, Finding, Status
from lagprov.model.intent import SwitchEnd
from lagprov.model.state import MlagState
from lagprov.model.types import Severity
from lagprov.verify.context import BaseRule, TrunkContext, host_source, normalise_mac

SHOW_MLAG = "show mlag"
SHOW_MLAG_INTERFACES = "show mlag interfaces"


def _ev(device: str, command: str, value: str) -> Evidence:
    return Evidence(source=f"{device}: {command}", value=value)


def _mlag(ctx: TrunkContext, end: SwitchEnd) -> MlagState | None:
    dev = ctx.device(end)
    return dev.mlag if dev is not None else None


class _MlagRule(BaseRule):
    def _ends(self, ctx: TrunkContext) -> tuple[SwitchEnd, ...]:
        return ctx.trunk.switch if ctx.present and ctx.trunk.mlag is not None else ()

    def _no_mlag(self, ctx: TrunkContext, end: SwitchEnd, command: str) -> Finding:
        if ctx.device(end) is None:
            return self.unreachable(ctx, end)
        return self.finding(ctx, Status.UNVERIFIABLE, f"'{command}' was not read from "
                            f"{end.device}", device=end.device)


class MlagPeer(_MlagRule):
    """Each peer's MLAG is Active with its peer link up, and both name one domain."""

    id = "mlag-peer"
    severity = Severity.ERROR
    description = "each MLAG peer is Active, its peer link Up, both peers in one domain"

    def check(self, ctx: TrunkContext) -> Iterator[Finding]:
        ends = self._ends(ctx)
        domains = {e.device: m.domain_id for e in ends if (m := _mlag(ctx, e)) is not None}
        for end in ends:
            m = _mlag(ctx, end)
            if m is None or m.state is None:
                yield self._no_mlag(ctx, end, SHOW_MLAG)
                continue
            ev = (_ev(end.device, SHOW_MLAG, f"state {m.state}, peer-link status "
                      f"{m.peer_link_status}, domain-id {m.domain_id}"),)
            up = m.state.lower() == "active" and (m.peer_link_status or "").lower() == "up"
            other = {d for dev, d in domains.items() if dev != end.device}
            if not up:
                message = (f"MLAG on {end.device} is {m.state}, peer link "
                           f"{m.peer_link_status}: the peers act as two switches, the host "
                           "sees two LACP partners and uses one peer's links only")
            elif other and m.domain_id not in other:
                up, message = False, (f"{end.device} is in MLAG domain {m.domain_id}, its "
                                      f"peer in {', '.join(sorted(map(str, other)))}")
            else:
                message = f"MLAG on {end.device} is Active, peer link Up ({m.domain_id})"
            yield self.finding(ctx, Status.PASS if up else Status.FAIL, message,
                               device=end.device, expected="Active, peer-link Up",
                               actual=f"{m.state}, peer-link {m.peer_link_status}", evidence=ev)


class MlagInterface(_MlagRule):
    """The bundle's MLAG id is on both peers' Port-Channels, active-full."""

    id = "mlag-interface"
    severity = Severity.ERROR
    description = "the trunk's MLAG id is on each peer's Port-Channel and active-full"

    def check(self, ctx: TrunkContext) -> Iterator[Finding]:
        for end in self._ends(ctx):
            m = _mlag(ctx, end)
            if m is None or m.interfaces is None:
                yield self._no_mlag(ctx, end, SHOW_MLAG_INTERFACES)
                continue
            yield self._judge(ctx, end, m)

    def _judge(self, ctx: TrunkContext, end: SwitchEnd, m: MlagState) -> Finding:
        assert end.mlag is not None and end.channel is not None
        po = f"Po{end.channel}"
        row = m.interface(end.mlag)
        here = next((r for r in m.interfaces or () if r.local == po), None)
        ev = tuple(_ev(end.device, SHOW_MLAG_INTERFACES, f"mlag {r.mlag_id} {r.state} "
                       f"{r.local or '-'} {r.remote or '-'} {r.status or ''}".strip())
                   for r in (row, here) if r is not None)
        status, actual = Status.PASS, row.state if row is not None else None
        if row is None or row.local != po:
            status = Status.FAIL
            actual = f"{po} is MLAG {here.mlag_id}" if here is not None else f"{po} has no MLAG id"
            message = (f"{end.device}: {actual}, the intent says mlag {end.mlag}: the peers' "
                       "halves do not join into one bundle")
        elif row.state != "active-full":
            status = Status.FAIL
            message = (f"{end.device}: MLAG {end.mlag} is {row.state} ({row.status}): only "
                       "one peer's half is up; the host is cabled to one peer only, or a "
                       "member is down")
        else:
            message = f"{end.device}: MLAG {end.mlag} ({po}) is active-full"
        return self.finding(ctx, status, message, device=end.device, subject=po,
                            expected=f"mlag {end.mlag} active-full", actual=actual, evidence=ev)


class MlagPartner(_MlagRule):
    """Every host NIC's LACP partner is the pair's shared MLAG system id."""

    id = "mlag-partner"
    severity = Severity.ERROR
    description = "the host's LACP partner on every member is the MLAG pair's system id"

    def check(self, ctx: TrunkContext) -> Iterator[Finding]:
        ends = self._ends(ctx)
        host = ctx.trunk.host
        if not ends or host is None:
            return
        ids = {e.device: normalise_mac(m.system_id) for e in ends
               if (m := _mlag(ctx, e)) is not None and m.system_id}
        ev = [_ev(dev, SHOW_MLAG, f"system-id {sid}") for dev, sid in sorted(ids.items())]
        if len(set(ids.values())) != 1:
            why = ("the peers report different system ids" if ids else
                   "no peer reports an MLAG system id (not Active: see mlag-peer)")
            yield self.finding(ctx, Status.UNVERIFIABLE, f"the MLAG system id is not known: "
                               f"{why}", evidence=ev)
            return
        want = next(iter(ids.values()))
        state = ctx.host
        for nic in host.nics:
            member = state.member(nic) if state is not None else None
            partner = member.partner if member is not None else None
            if state is None or partner is None or partner.system_id is None:
                yield self.finding(ctx, Status.UNVERIFIABLE, f"{host.device} {nic}: LACP "
                                   "partner not reported", device=host.device, subject=nic,
                                   evidence=ev)
                continue
            got = normalise_mac(partner.system_id)
            hev = [*ev, Evidence(source=host_source(state), value=f"{nic} partner {got}")]
            ok = got == want
            yield self.finding(
                ctx, Status.PASS if ok else Status.FAIL,
                f"{host.device} {nic}: LACP partner {got} "
                + ("is the MLAG system id" if ok else f"is not the MLAG system id {want}: "
                   "this link does not end on the MLAG pair as one switch"),
                device=host.device, subject=nic, expected=want, actual=got, evidence=hev)
