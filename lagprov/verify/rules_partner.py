"""LACP partner identity: cabling proof without LLDP, port by port."""

from __future__ import annotations

from collections.abc import Iterator

from lagprov.knowledge.platforms.base import StateQuery
from lagprov.model.findings import Evidence, Finding, Status
from lagprov.model.intent import SwitchEnd
from lagprov.model.state import LacpPort, MemberStatus
from lagprov.model.types import Bundling, Severity
from lagprov.verify.context import (
    BaseRule,
    TrunkContext,
    host_source,
    is_no_partner,
    normalise_mac,
    observed_bundling,
    source,
)

DECLARED = "intent: trunks.yaml host.lacp_system_id (declared, not reported by the host)"


class PartnerIdentity(BaseRule):
    """LACP partner of each member is the intended far end, port by port (no LLDP needed)."""

    id = "partner-identity"
    description = "each LACP member's partner system id and port number are the cabled far end's"

    def check(self, ctx: TrunkContext) -> Iterator[Finding]:
        if not ctx.present:
            return
        t = ctx.trunk
        cables = list(t.cables())
        if t.peer is not None:
            cables += [(c, d, a, b) for a, b, c, d in t.cables()]
        ends = {e.device: e for e in t.switch_ends}
        for sw, port, far_dev, far_port in cables:
            end = ends[sw]
            seen = observed_bundling(ctx, end)
            if not end.mode.is_lacp or (seen is not None and seen[0] is not Bundling.LACP):
                continue  # no LACP here: nothing to prove (lacp-pairing reports a mismatch)
            yield self._cable(ctx, end, port, far_dev, far_port)

    def _expected(
        self, ctx: TrunkContext, far_dev: str, far_port: str
    ) -> tuple[str | None, int | None, str]:
        host_end = ctx.trunk.host
        if host_end is not None and far_dev == host_end.device:
            h = ctx.host
            nic = h.member(far_port) if h else None
            actor: LacpPort | None = nic.actor if nic else None
            sys_id = (h.system_id if h else None) or (actor.system_id if actor else None)
            port = actor.port if actor else None
            if sys_id is not None and h is not None:
                return sys_id, port, host_source(h)
            if host_end.lacp_system_id is not None:  # the host does not report it: declared
                return host_end.lacp_system_id, port, DECLARED
            if h is None:
                return None, None, f"no state from host {far_dev}"
            return None, port, host_source(h)
        peer = ctx.switches.get(far_dev)
        if peer is None:
            return None, None, f"no state from {far_dev}"
        end = ctx.trunk.peer if ctx.trunk.peer and ctx.trunk.peer.device == far_dev else None
        if end is None:
            end = ctx.trunk.switch[0]
        lag = ctx.lag(end)
        m = lag.member(far_port) if lag else None
        actor = m.actor if m else None
        sys_id = peer.system_id or (actor.system_id if actor else None)
        return sys_id, actor.port if actor else None, source(peer, StateQuery.LACP_NEIGHBORS)

    def _cable(
        self, ctx: TrunkContext, end: SwitchEnd, port: str, far_dev: str, far_port: str
    ) -> Finding:
        dev, lag = ctx.device(end), ctx.lag(end)
        m = lag.member(port) if lag else None
        if dev is None or m is None:
            return self.finding(
                ctx,
                Status.UNVERIFIABLE,
                f"{port}: no LACP state from {end.device}",
                device=end.device,
                subject=port,
            )
        partner = m.partner
        if m.status is MemberStatus.DOWN or m.link_up is False:
            return self.finding(
                ctx,
                Status.UNVERIFIABLE,
                f"{port}: link down on {end.device}, no LACPDU identifies the far end "
                "(member-bundled reports the link)",
                device=end.device,
                subject=port,
            )
        want_sys, want_port, far_src = self._expected(ctx, far_dev, far_port)
        want_sys = normalise_mac(want_sys)
        want = f"{far_dev} {far_port} (system {want_sys or '?'}, port {want_port or '?'})"
        if partner is None or partner.system_id is None:
            return self.finding(
                ctx,
                Status.UNVERIFIABLE,
                f"{port}: LACP partner not reported by {end.device}",
                device=end.device,
                subject=port,
                expected=want,
            )
        got = f"system {normalise_mac(partner.system_id)}, port {partner.port}"
        ev = (
            Evidence(source=source(dev, StateQuery.LACP_NEIGHBORS), value=f"{port} partner {got}"),
            Evidence(source=far_src, value=f"{far_port} actor system {want_sys}, port {want_port}"),
        )
        if is_no_partner(partner.system_id):
            return self.finding(
                ctx,
                Status.FAIL,
                f"{port} on {end.device} has no LACP partner: {far_dev} {far_port} sends no "
                "LACPDUs on this link (not LACP, or cabled elsewhere)",
                device=end.device,
                subject=port,
                expected=want,
                actual="no partner",
                evidence=ev,
            )
        if want_sys is None:
            return self.finding(
                ctx,
                Status.UNVERIFIABLE,
                f"{port}: partner {got}; actor id of {far_dev} unknown ({far_src}); "
                "declare it as host.lacp_system_id in trunks.yaml to prove the cabling",
                device=end.device,
                subject=port,
                expected=want,
                actual=got,
                evidence=ev,
            )
        if normalise_mac(want_sys) != normalise_mac(partner.system_id):
            return self.finding(
                ctx,
                Status.FAIL,
                f"{port} on {end.device} is cabled to another device: partner system "
                f"{normalise_mac(partner.system_id)} is not {far_dev} ({normalise_mac(want_sys)})",
                device=end.device,
                subject=port,
                expected=want,
                actual=got,
                evidence=ev,
            )
        if want_port is None or partner.port is None:
            return self.finding(
                ctx,
                Status.PASS,
                f"{port} partner is {far_dev} (port numbers not reported)",
                device=end.device,
                subject=port,
                expected=want,
                actual=got,
                evidence=ev,
            )
        ok = want_port == partner.port
        # Right device, crossed ports: LACP bundles the links in any order, so traffic flows;
        # only the documentation (and the NIC a port is labelled for) is wrong: a warning.
        return self.finding(
            ctx,
            Status.PASS if ok else Status.FAIL,
            f"{port} on {end.device} is cabled to {far_dev} {far_port}"
            if ok
            else f"{port} on {end.device} reaches {far_dev} LACP port {partner.port}, but "
            f"{far_port} is port {want_port}: the cables are swapped (the right device, so "
            "LACP bundles them anyway; fix the cabling or the intent)",
            device=end.device,
            subject=port,
            expected=want,
            actual=got,
            evidence=ev,
            severity=None if ok else Severity.WARNING,
        )
