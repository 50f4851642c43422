"""Assemble a :class:`RunReport` from the intent, the findings and the states they rest on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Literal

from lagprov.model.base import Model
from lagprov.model.findings import Finding, Status
from lagprov.model.hardware import HardwareModel
from lagprov.model.intent import SwitchEnd, TrunkIntent
from lagprov.model.outcome import DeviceError
from lagprov.model.state import DeviceLagState, HostTeamState, LacpPort
from lagprov.report.gate import excuse, is_declared
from lagprov.report.model import (
    EndStatus,
    EndSummary,
    MemberSummary,
    MtuFigures,
    RunReport,
    TrunkReport,
)
from lagprov.verify.context import TrunkContext, lag_label, normalise_mac
from lagprov.verify.mtu_view import EndMtu, host_end_mtu, switch_end_mtu


class Observation(Model):
    """How one device was read: where its state came from, or why there is none."""

    source: str | None = None  # "live", "saved output", "report file <dir>", "posted report"
    age_seconds: int | None = None
    reason: str | None = None  # why nothing was read
    declared_unobservable: bool = False


_NONE = Observation()


def _partner(p: LacpPort | None) -> str | None:
    if p is None or p.system_id is None:
        return None
    port = f" port {p.port}" if p.port is not None else ""
    return f"{normalise_mac(p.system_id)}{port}"


def _figures(mtu: EndMtu | None) -> dict[str, object]:
    if mtu is None:
        return {}
    return {"mtu": mtu.text(), "mtu_figures": MtuFigures(
        configured=mtu.raw, semantics=mtu.semantics, ip_mtu=mtu.ip, where=mtu.where)}


def _status(end: EndSummary, ends: list[EndSummary], findings: tuple[Finding, ...]
            ) -> EndStatus:
    """fail: a finding on this end fails; declared / unverifiable: not observed; unverifiable:
    a check on it lacks data the inventory does not declare unreadable; else pass."""
    mine = [f for f in findings if f.device == end.device]
    if any(f.status is Status.FAIL for f in mine):
        return "fail"
    if not end.observed:
        return "declared" if end.declared_unobservable else "unverifiable"
    unknown = [f for f in mine if f.status is Status.UNVERIFIABLE
               and not is_declared(excuse(f, ends))]
    return "unverifiable" if unknown else "pass"


def _observation(device: str, observed: bool, obs: Observation) -> dict[str, object]:
    # the status is set by trunk_report once every end is known (_status)
    return {
        "device": device, "observed": observed, "status": "unverifiable",
        "source": obs.source if observed else None,
        "age_seconds": obs.age_seconds if observed else None,
        "not_observed": None if observed else (obs.reason or "no state was read"),
        "declared_unobservable": obs.declared_unobservable,
    }


def _switch_end(ctx: TrunkContext, end: SwitchEnd, role: Literal["switch", "peer"],
                obs: Observation) -> EndSummary:
    dev = ctx.device(end)
    common = _observation(end.device, dev is not None, obs)
    if dev is None:
        return EndSummary(
            role=role, **common,
            channel=lag_label(end) if end.mode.is_lag else None,
            mode=f"{end.mode} (intent)",
            members=tuple(MemberSummary(name=m) for m in end.members))
    mtu = _figures(switch_end_mtu(ctx, end))
    lag = ctx.lag(end)
    if not end.mode.is_lag or lag is None:
        ports = [dev.port(p) for p in end.members]
        members = tuple(
            MemberSummary(
                name=n,
                status=None if p is None or p.link_up is None else "up" if p.link_up else "down",
            )
            for n, p in zip(end.members, ports, strict=True)
        )
        mode = "independent" if not end.mode.is_lag else "no bundle"
        return EndSummary(role=role, **common, mode=mode,
                          members=members, **mtu)
    lag_mode = lag.mode.value if lag.mode else lag.protocol.value if lag.protocol else None
    if lag.lacp_rate is not None:
        lag_mode = f"{lag_mode}, rate {lag.lacp_rate}"
    members = tuple(
        MemberSummary(
            name=m.name, status=m.status.value if m.status else None, partner=_partner(m.partner)
        )
        for m in lag.members
    )
    ids = sorted({p.split()[0] for p in (_partner(m.partner) for m in lag.members) if p})
    return EndSummary(role=role, **common, channel=lag_label(end, lag),
                      mode=lag_mode, members=members, partner_ids=tuple(ids), **mtu)


def _host_end(trunk: TrunkIntent, host: HostTeamState | None, obs: Observation) -> EndSummary:
    want = trunk.host
    assert want is not None
    common = _observation(want.device, host is not None, obs)
    declared: tuple[str, ...] = (
        (f"lacp_system_id {want.lacp_system_id}",) if want.lacp_system_id else ())
    if obs.declared_unobservable:
        declared += ("not observable (hosts.yaml data.observable: false)",)
    if host is None:
        return EndSummary(
            role="host", **common, declared=declared,
            channel=want.name, mode=f"{want.team} (intent)",
            members=tuple(MemberSummary(name=n) for n in want.nics))
    members = tuple(
        MemberSummary(
            name=m.name,
            status=None
            if m.link_up is None
            else ("up" if m.link_up else "down")
            + (f", aggregator {m.aggregator_id}" if m.aggregator_id is not None else ""),
            partner=_partner(m.partner),
        )
        for m in host.members
    )
    ids = {normalise_mac(host.partner_system_id)} if host.partner_system_id else set()
    ids |= {m.partner.split()[0] for m in members if m.partner}
    mode = f"{host.team} ({host.bundling})" if host.bundling else host.team
    if host.lacp_rate is not None:
        mode = f"{mode}, rate {host.lacp_rate}"
    return EndSummary(
        role="host", **common, declared=declared, channel=host.name,
        mode=mode, members=members, partner_ids=tuple(sorted(i for i in ids if i)),
        **_figures(host_end_mtu(host)))


def trunk_report(
    trunk: TrunkIntent,
    findings: Iterable[Finding],
    switches: Mapping[str, DeviceLagState],
    host: HostTeamState | None,
    observations: Mapping[str, Observation] | None = None,
    hardware: Mapping[str, HardwareModel] | None = None,
) -> TrunkReport:
    """One trunk's report: its ends side by side and its findings."""
    obs = observations or {}
    mine = tuple(f for f in findings if f.trunk == trunk.name)
    ctx = TrunkContext(trunk=trunk, switches=switches, host=host, hardware=hardware or {})
    ends = [_switch_end(ctx, e, "switch", obs.get(e.device, _NONE)) for e in trunk.switch]
    if trunk.peer is not None:
        ends.append(_switch_end(ctx, trunk.peer, "peer", obs.get(trunk.peer.device, _NONE)))
    elif trunk.host is not None:
        ends.append(_host_end(trunk, host, obs.get(trunk.host.device, _NONE)))
    ends = [e.model_copy(update={"status": _status(e, ends, mine)}) for e in ends]
    return TrunkReport(
        name=trunk.name, purpose=trunk.purpose, state=trunk.state, ends=tuple(ends), findings=mine
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def build_run_report(
    command: str,
    trunks: Iterable[TrunkIntent],
    findings: Iterable[Finding],
    switches: Mapping[str, DeviceLagState],
    hosts: Mapping[str, HostTeamState],
    errors: Iterable[DeviceError] = (),
    *,
    started: str | None = None,
    finished: str | None = None,
    observations: Mapping[str, Observation] | None = None,
    hardware: Mapping[str, HardwareModel] | None = None,
) -> RunReport:
    """Assemble a :class:`RunReport`; ``started``/``finished`` default to now (ISO 8601, UTC).

    ``observations`` says per device where its state came from (or why there is none); a
    device with a :class:`DeviceError` and no observation is "not observed: device error".
    """
    errs = tuple(errors)
    obs = dict(observations or {})
    for e in errs:
        if e.device not in obs or obs[e.device].reason is None:
            old = obs.get(e.device, _NONE)
            obs[e.device] = old.model_copy(update={"reason": f"device error ({e.kind}): "
                                                             f"{e.message}"})
    by_trunk: dict[str, list[Finding]] = {}  # indexed once: a scan per trunk is quadratic
    for f in findings:
        by_trunk.setdefault(f.trunk, []).append(f)
    reports = tuple(
        trunk_report(t, by_trunk.get(t.name, ()), switches,
                     hosts.get(t.host.device) if t.host else None, obs, hardware)
        for t in trunks
    )
    start = started or _now()
    return RunReport(command=command, started=start, finished=finished or _now(),
                     trunks=reports, errors=errs)
