"""The report of one run (verify, audit): trunks side by side, findings, device errors.

Exit status (:func:`exit_status`): ``3`` if any device failed (unreachable, auth, timeout,
rejected, parse) since the verdict is then incomplete; else ``1`` if any finding *fails* with
severity error; else ``0``.  Unverifiable findings and failing warnings alone are not a failure;
they are counted in :attr:`RunReport.counts`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from enum import IntEnum
from typing import Literal

from lagprov.model.base import Model
from lagprov.model.findings import Finding, Status
from lagprov.model.intent import SwitchEnd, TrunkIntent
from lagprov.model.outcome import DeviceError
from lagprov.model.state import DeviceLagState, HostTeamState, LacpPort
from lagprov.model.types import Severity
from lagprov.verify.context import TrunkContext, lag_label, normalise_mac
from lagprov.verify.mtu_view import host_end_mtu, switch_end_mtu


class MemberSummary(Model):
    """One member link for display: name, status, LACP partner."""

    name: str
    status: str | None = None
    partner: str | None = None  # "aa:bb:cc:dd:ee:ff port 2"


class EndSummary(Model):
    """One end of a trunk for side-by-side display."""

    role: Literal["switch", "peer", "host"]
    device: str
    observed: bool  # False: no state (unreachable / declared only); values are the intent's
    channel: str | None = None
    mode: str | None = None
    members: tuple[MemberSummary, ...] = ()
    mtu: str | None = None  # "raw (semantics) = IP n"
    partner_ids: tuple[str, ...] = ()


class TrunkReport(Model):
    """One trunk: its ends and its findings."""

    name: str
    purpose: str
    state: str
    ends: tuple[EndSummary, ...]
    findings: tuple[Finding, ...] = ()

    @property
    def status(self) -> Status:
        """fail if any finding fails, else unverifiable if any is, else pass."""
        seen = {f.status for f in self.findings}
        for s in (Status.FAIL, Status.UNVERIFIABLE):
            if s in seen:
                return s
        return Status.PASS


class Counts(Model):
    """Totals of a run."""

    trunks: int
    passed: int
    failed: int  # failing findings of severity error
    warnings: int  # failing findings of severity warning
    unverifiable: int
    explained: int = 0  # failures caused by a failing root rule (not counted in failed)
    device_errors: int


class RunReport(Model):
    """Everything one run found."""

    command: str
    started: str
    finished: str
    trunks: tuple[TrunkReport, ...] = ()
    errors: tuple[DeviceError, ...] = ()

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding of every trunk."""
        return tuple(f for t in self.trunks for f in t.findings)

    @property
    def counts(self) -> Counts:
        """Totals by outcome."""
        fs = self.findings
        fails = [f for f in fs if f.status is Status.FAIL]
        return Counts(
            trunks=len(self.trunks),
            passed=sum(f.status is Status.PASS for f in fs),
            failed=sum(f.severity is Severity.ERROR for f in fails),
            warnings=sum(f.severity is Severity.WARNING for f in fails),
            unverifiable=sum(f.status is Status.UNVERIFIABLE for f in fs),
            explained=sum(f.status is Status.EXPLAINED for f in fs),
            device_errors=len(self.errors),
        )


class ExitStatus(IntEnum):
    """Process exit status of a run."""

    OK = 0
    FINDINGS = 1
    DEVICE_ERROR = 3


def exit_status(report: RunReport) -> ExitStatus:
    """3 if a device failed, else 1 if an error-severity finding fails, else 0."""
    counts = report.counts
    if counts.device_errors:
        return ExitStatus.DEVICE_ERROR
    return ExitStatus.FINDINGS if counts.failed else ExitStatus.OK


def _partner(p: LacpPort | None) -> str | None:
    if p is None or p.system_id is None:
        return None
    port = f" port {p.port}" if p.port is not None else ""
    return f"{normalise_mac(p.system_id)}{port}"


def _switch_end(ctx: TrunkContext, end: SwitchEnd, role: Literal["switch", "peer"]) -> EndSummary:
    dev = ctx.device(end)
    intent_mode = f"{end.mode} (intent)"
    if dev is None:
        members = tuple(MemberSummary(name=m) for m in end.members)
        channel = lag_label(end) if end.mode.is_lag else None
        return EndSummary(
            role=role,
            device=end.device,
            observed=False,
            channel=channel,
            mode=intent_mode,
            members=members,
        )
    mtu = switch_end_mtu(ctx, end)
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
        return EndSummary(
            role=role,
            device=end.device,
            observed=True,
            mode=mode,
            members=members,
            mtu=mtu.text() if mtu else None,
        )
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
    return EndSummary(
        role=role,
        device=end.device,
        observed=True,
        channel=lag_label(end, lag),
        mode=lag_mode,
        members=members,
        mtu=mtu.text() if mtu else None,
        partner_ids=tuple(ids),
    )


def _host_end(trunk: TrunkIntent, host: HostTeamState | None) -> EndSummary:
    want = trunk.host
    assert want is not None
    if host is None:
        return EndSummary(
            role="host",
            device=want.device,
            observed=False,
            channel=want.name,
            mode=f"{want.team} (intent)",
            members=tuple(MemberSummary(name=n) for n in want.nics),
        )
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
    mtu = host_end_mtu(host)
    return EndSummary(
        role="host",
        device=host.device,
        observed=True,
        channel=host.name,
        mode=mode,
        members=members,
        mtu=mtu.text() if mtu else None,
        partner_ids=tuple(sorted(i for i in ids if i)),
    )


def trunk_report(
    trunk: TrunkIntent,
    findings: Iterable[Finding],
    switches: Mapping[str, DeviceLagState],
    host: HostTeamState | None,
) -> TrunkReport:
    """One trunk's report: its ends side by side and its findings."""
    ctx = TrunkContext(trunk=trunk, switches=switches, host=host)
    ends = [_switch_end(ctx, e, "switch") for e in trunk.switch]
    if trunk.peer is not None:
        ends.append(_switch_end(ctx, trunk.peer, "peer"))
    else:
        ends.append(_host_end(trunk, host))
    mine = tuple(f for f in findings if f.trunk == trunk.name)
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
) -> RunReport:
    """Assemble a :class:`RunReport`; ``started``/``finished`` default to now (ISO 8601, UTC)."""
    all_findings = tuple(findings)
    reports = tuple(
        trunk_report(t, all_findings, switches, hosts.get(t.host.device) if t.host else None)
        for t in trunks
    )
    start = started or _now()
    return RunReport(
        command=command,
        started=start,
        finished=finished or _now(),
        trunks=reports,
        errors=tuple(errors),
    )
