"""What the compliance pages show, as plain data built from the history database.

Each function returns a frozen model; the templates only display it.  The text report's own
helpers (:mod:`lagprov.report._common`: the rows of the side-by-side table, a finding's line and
its evidence, the closing totals) give the trunk page its content, so a page and ``lagprov
verify`` never disagree.  Audits are named as ``history`` names them: a name, ``latest`` or
``latest~N``.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from lagprov.errors import InputError
from lagprov.model.base import Model
from lagprov.model.findings import Status
from lagprov.report import RunReport, TrunkReport
from lagprov.report._common import (
    ROWS,
    end_cell,
    end_header,
    evidence_lines,
    explained,
    finding_line,
    summary_lines,
)
from lagprov.runs import ProvisionReport
from lagprov.runs.audit import AuditDelta, ValueChange
from lagprov.runs.history import DbAuditStore
from lagprov.runs.history import queries as q
from lagprov.runs.history.queries import AuditSummary, StatusChange
from lagprov.runs.history.repo import utc_naive
from lagprov.runs.history.trunk_verdicts import (
    VERDICTS,
    CellVerdict,
    Verdict,
    cell_verdict,
    latest_audit_of,
    trunk_verdict,
    verdict_history,
)
from lagprov.runs.store import RunRecord, RunStore


class Filters(Model):
    """The fleet page's filters (query parameters; None: everything)."""

    device: str | None = None
    purpose: str | None = None
    status: str | None = None


class Cell(Model):
    """One rule on one trunk: its verdict and what a pointer over it says."""

    rule: str
    verdict: CellVerdict
    title: str


class FleetRow(Model):
    """One trunk of the matrix."""

    name: str
    purpose: str
    state: str
    verdict: Verdict
    devices: tuple[str, ...]
    cells: tuple[Cell, ...]


class FleetView(Model):
    """The fleet page: one audit's trunks x rules, filtered, with counts."""

    audit: str | None = None  # None: no audit stored yet
    taken: str | None = None
    previous: str | None = None  # the audit before it (for the diff link)
    rules: tuple[str, ...] = ()
    rows: tuple[FleetRow, ...] = ()
    total: int = 0  # trunks in the audit, before filtering
    counts: dict[str, int] = {}  # verdict -> trunks shown
    summary: tuple[str, ...] = ()  # the text report's closing lines
    errors: tuple[str, ...] = ()  # device errors of the run
    devices: tuple[str, ...] = ()  # the filters' choices
    purposes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = VERDICTS
    filters: Filters = Filters()


class EndRow(Model):
    """One row of the side-by-side table: a label and one value per end."""

    label: str
    cells: tuple[str, ...]


class FindingView(Model):
    """A failing (or caused) check with its evidence and the failures it explains."""

    line: str
    rule: str
    verdict: CellVerdict
    expected: str | None = None
    actual: str | None = None
    evidence: tuple[str, ...] = ()
    causes: tuple[str, ...] = ()  # the findings this one explains (root cause of them)


class TimelineItem(Model):
    """One audit at which something of the trunk changed."""

    audit: str
    taken: str
    before: Verdict | None = None  # the trunk's verdict change, when there was one
    after: Verdict | None = None
    changes: tuple[StatusChange, ...] = ()
    values: tuple[ValueChange, ...] = ()


class TrunkView(Model):
    """The trunk page: both ends, the failing checks, the history."""

    audit: str
    taken: str
    name: str
    purpose: str
    state: str
    verdict: Verdict
    headers: tuple[str, ...]
    end_status: tuple[str, ...]
    rows: tuple[EndRow, ...]
    failures: tuple[FindingView, ...]
    unverifiable: tuple[tuple[str, str | None], ...]  # (finding line, why it is excused)
    timeline: tuple[TimelineItem, ...]


class RunsView(Model):
    """The stored audits, newest first, each with the one before it."""

    audits: tuple[tuple[AuditSummary, str | None], ...]


class DiffView(Model):
    """What changed between two audits."""

    before: str
    after: str
    delta: AuditDelta


class UnknownTrunk(InputError):
    """A trunk no stored audit has findings of."""


def _options(report: RunReport) -> tuple[tuple[str, ...], tuple[str, ...]]:
    devices = sorted({e.device for t in report.trunks for e in t.ends})
    purposes = sorted({t.purpose for t in report.trunks})
    return tuple(devices), tuple(purposes)


def _rules(trunks: Sequence[TrunkReport]) -> tuple[str, ...]:
    """Rules in the order the checks ran (first appearance)."""
    return tuple(dict.fromkeys(f.rule for t in trunks for f in t.findings))


def _row(t: TrunkReport, rules: Sequence[str], accept: tuple[str, ...]) -> FleetRow:
    cells = []
    for rule in rules:
        mine = [f for f in t.findings if f.rule == rule]
        verdict, why = cell_verdict(mine, t.ends, accept)
        shown = [f for f in mine if f.status is not Status.PASS] or mine
        text = "; ".join(finding_line(f).strip() for f in shown[:3])
        more = f" (+{len(shown) - 3} more)" if len(shown) > 3 else ""
        title = f"{rule}: {verdict}" + (f" ({why})" if why else "") + (
            f": {text}{more}" if text and verdict != "pass" else "")
        cells.append(Cell(rule=rule, verdict=verdict, title=title))
    return FleetRow(name=t.name, purpose=t.purpose, state=t.state, verdict=trunk_verdict(t),
                    devices=tuple(dict.fromkeys(e.device for e in t.ends)), cells=tuple(cells))


def _keep(row: FleetRow, f: Filters) -> bool:
    return ((f.device is None or f.device in row.devices)
            and (f.purpose is None or row.purpose == f.purpose)
            and (f.status is None or row.verdict == f.status))


def fleet_view(store: DbAuditStore, ref: str = "latest", filters: Filters | None = None
               ) -> FleetView:
    """The matrix of audit ``ref`` (an empty view before the first audit)."""
    f = filters or Filters()
    if ref == "latest" and not store.names(1):
        return FleetView(filters=f)
    name = q.resolve(store, ref)
    record = store.get(name)
    report = record.report
    names = store.names()
    older = names[names.index(name) + 1] if name in names[:-1] else None
    rows = [_row(t, _rules(report.trunks), report.accept_unverifiable) for t in report.trunks]
    kept = [r for r in rows if _keep(r, f)]
    rules = _rules([t for t in report.trunks if t.name in {r.name for r in kept}])
    kept = [r.model_copy(update={"cells": tuple(c for c in r.cells if c.rule in rules)})
            for r in kept]
    devices, purposes = _options(report)
    return FleetView(
        audit=name, taken=record.taken, previous=older, rules=rules, rows=tuple(kept),
        total=len(rows), counts={v: sum(r.verdict == v for r in kept) for v in VERDICTS},
        summary=tuple(summary_lines(report)),
        errors=tuple(f"{e.device} ({e.stage}, {e.kind}): {e.message}" for e in report.errors),
        devices=devices, purposes=purposes, filters=f)


def _caused_by(t: TrunkReport, rule: str) -> tuple[str, ...]:
    """The lines of the failures that ``rule`` (a failing root cause) explains."""
    return tuple(finding_line(c).strip() for c in explained(t) if c.explained_by == rule)


def _findings(t: TrunkReport) -> tuple[FindingView, ...]:
    out = []
    for f in t.findings:
        if f.status is Status.PASS or f.status is Status.UNVERIFIABLE:
            continue
        verdict, _ = cell_verdict([f], t.ends)
        line = finding_line(f).strip()
        out.append(FindingView(line=line, rule=f.rule, verdict=verdict, expected=f.expected,
                               actual=f.actual, evidence=tuple(evidence_lines(f)),
                               causes=_caused_by(t, f.rule) if f.status is Status.FAIL
                               else ()))
    return tuple(out)


def _timeline(store: DbAuditStore, trunk: str) -> tuple[TimelineItem, ...]:
    items: dict[str, TimelineItem] = {}
    for v in verdict_history(store, trunk):
        items[v.audit] = TimelineItem(audit=v.audit, taken=v.taken, before=v.before,
                                      after=v.after)
    for e in q.trunk_timeline(store, trunk):
        base = items.get(e.audit, TimelineItem(audit=e.audit, taken=e.taken))
        items[e.audit] = base.model_copy(update={"changes": e.changes, "values": e.values})
    return tuple(sorted(items.values(), key=lambda i: (utc_naive(i.taken), i.audit)))


def trunk_view(store: DbAuditStore, name: str, ref: str | None = None) -> TrunkView:
    """The trunk ``name`` as audit ``ref`` saw it (default: the newest audit that looked at
    it), with its whole history.

    Raises:
        UnknownTrunk: no audit has findings of ``name``.
    """
    audit = q.resolve(store, ref) if ref else latest_audit_of(store, name)
    if audit is None:
        raise UnknownTrunk(f"trunk {name!r}", "no audit in the history has findings of it")
    record = store.get(audit)
    t = next((x for x in record.report.trunks if x.name == name), None)
    if t is None:
        raise UnknownTrunk(f"trunk {name!r}", f"audit {audit} did not look at it")
    accept = record.report.accept_unverifiable
    return TrunkView(
        audit=audit, taken=record.taken, name=t.name, purpose=t.purpose, state=t.state,
        verdict=trunk_verdict(t), headers=tuple(end_header(e) for e in t.ends),
        end_status=tuple(e.status for e in t.ends),
        rows=tuple(EndRow(label=label, cells=tuple(end_cell(e, field) for e in t.ends))
                   for label, field in ROWS),
        failures=_findings(t),
        unverifiable=tuple((finding_line(f).strip(), why) for f, why in t.excuses(accept)),
        timeline=_timeline(store, name))


def runs_view(store: DbAuditStore, limit: int = 50) -> RunsView:
    """The newest ``limit`` audits, each paired with the audit before it."""
    found = q.summaries(store, limit + 1)
    return RunsView(audits=tuple((a, found[i + 1].name if i + 1 < len(found) else None)
                                 for i, a in enumerate(found[:limit])))


def diff_view(store: DbAuditStore, before: str, after: str) -> DiffView:
    """What changed from audit ``before`` to audit ``after`` (names or ``latest~N``)."""
    a, b = q.resolve(store, before), q.resolve(store, after)
    return DiffView(before=a, after=b, delta=q.diff_runs(store, a, b))


# --- provisioning runs -------------------------------------------------------------------

MAX_DIFF_LINES = 400  # of one device's change on the page (the run store keeps all of it)


class DeviceChange(Model):
    """One device a committed run changed: the change as a diff, or what it meant to send."""

    device: str
    platform: str
    trunks: tuple[str, ...]
    finished: bool
    restored_by: str | None = None
    diff: tuple[str, ...] = ()  # unified diff of its configuration, before -> after
    planned: tuple[str, ...] = ()  # an unfinished device: the lines the run meant to send
    sent: tuple[str, ...] = ()  # and those the device confirmed


class ChangeView(Model):
    """One committed run (apply or rollback) and what it changed."""

    id: str
    time: str
    command: str
    result: str
    by: str | None = None
    rollback_of: str | None = None
    devices: tuple[str, ...] = ()
    trunks: tuple[str, ...] = ()
    configs: tuple[DeviceChange, ...] = ()


class RollbackView(Model):
    """What a rollback from the page did (or planned): the CLI's text of it."""

    run_id: str
    commit: bool
    exit_status: int
    text: str
    new_run: str | None = None


def _diff(before: str, after: str) -> tuple[str, ...]:
    lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(), n=1,
                                      lineterm=""))[2:]  # no ---/+++ header
    if len(lines) > MAX_DIFF_LINES:
        extra = len(lines) - MAX_DIFF_LINES
        lines = [*lines[:MAX_DIFF_LINES], f"... {extra} more lines ('lagprov runs')"]
    return tuple(lines)


def change_view(record: RunRecord) -> ChangeView:
    """A stored run as the changes page shows it."""
    configs = tuple(
        DeviceChange(device=d, platform=c.platform.value, trunks=c.trunks, finished=c.finished,
                     restored_by=c.restored_by,
                     diff=_diff(c.before, c.after) if c.finished else (),
                     planned=c.planned, sent=c.sent)
        for d, c in sorted(record.configs.items()))
    return ChangeView(id=record.id, time=record.time, command=record.command,
                      result=record.result, by=record.by, rollback_of=record.rollback_of,
                      devices=record.devices, trunks=record.trunks, configs=configs)


def changes_view(store: RunStore, limit: int = 20) -> tuple[ChangeView, ...]:
    """The newest ``limit`` committed runs with their changes."""
    return tuple(change_view(store.get(r.id)) for r in store.recent(limit))


def rollback_view(run_id: str, report: ProvisionReport, exit_status: int) -> RollbackView:
    """A rollback's report as ``lagprov rollback`` prints it."""
    from lagprov.cli.provision_view import provision_text

    return RollbackView(run_id=run_id, commit=report.commit, exit_status=exit_status,
                        text=provision_text(report, verbose=True), new_run=report.run_id)
