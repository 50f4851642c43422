"""What users ask of the history: a trunk's timeline (when did it start failing, what changed),
the diff between any two audits, failures open longer than N days, and retention.

A finding is identified across audits by (trunk, rule, device, subject), as in
:func:`lagprov.runs.audit.audit_delta`; an audit that did not look at a finding (a ``--filter``
run, an unreachable device) says nothing about it: it neither opens nor resolves it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from lagprov.errors import InputError
from lagprov.model.base import Model
from lagprov.model.findings import Status
from lagprov.runs.audit import AuditDelta, AuditStore, ValueChange, audit_delta
from lagprov.runs.history.db import session
from lagprov.runs.history.models import AuditJob, AuditRun, FindingRow, ProvisioningRun
from lagprov.runs.history.repo import DbAuditStore, DbRunStore, utc_naive

_Key = tuple[str, str, str | None, str | None]
# No "m": months or minutes? A misread --keep would forget nearly everything.
_UNITS = {"d": "days", "h": "hours", "w": "weeks"}
# Jobs prune forgets: a queued or running job is still the service's to update.
_FINISHED_JOBS = ("done", "skipped", "failed")


class StatusChange(Model):
    """A finding whose status differs from the last audit that looked at it."""

    rule: str
    device: str | None = None
    subject: str | None = None
    before: str | None  # None: first seen
    after: str
    message: str


class TimelineEntry(Model):
    """One audit in which something about the trunk changed."""

    audit: str
    taken: str
    changes: tuple[StatusChange, ...]
    values: tuple[ValueChange, ...] = ()  # observed changes on the trunk's devices


class OpenFailure(Model):
    """A finding failing in every audit that looked at it since ``since``."""

    trunk: str
    rule: str
    device: str | None = None
    subject: str | None = None
    since: str
    since_audit: str
    days: float
    message: str


class PruneResult(Model):
    """What ``prune`` removed."""

    audits: tuple[str, ...]
    runs: tuple[str, ...]
    jobs: tuple[str, ...] = ()  # the service's audit jobs (``audit_jobs``)


class AuditSummary(Model):
    """One stored audit, as ``history list`` shows it."""

    name: str
    taken: str
    counts: dict[str, int]  # status -> findings


def summaries(store: DbAuditStore, limit: int | None = None) -> list[AuditSummary]:
    """The newest ``limit`` audits with their findings counted by status, newest first."""
    with session(store.engine) as s:
        audits = list(s.execute(select(AuditRun.id, AuditRun.name, AuditRun.taken_text)
                                .order_by(AuditRun.taken.desc(), AuditRun.id.desc())
                                .limit(limit)))
        counts: dict[int, dict[str, int]] = {i: {} for i, _, _ in audits}
        q = (select(FindingRow.audit_id, FindingRow.status, func.count())
             .where(FindingRow.audit_id.in_(list(counts)))
             .group_by(FindingRow.audit_id, FindingRow.status))
        for audit_id, status, n in s.execute(q):
            counts[audit_id][status] = n
    return [AuditSummary(name=n, taken=t, counts=dict(sorted(counts[i].items())))
            for i, n, t in audits]


def trunks_seen(store: DbAuditStore) -> set[str]:
    """Every trunk some stored audit has a finding of."""
    with session(store.engine) as s:
        return set(s.scalars(select(FindingRow.trunk).distinct()))


def parse_keep(text: str) -> timedelta:
    """``90d``, ``12h``, ``2w`` as a duration.

    Raises:
        InputError: anything else.
    """
    m = re.fullmatch(r"\s*(\d+)\s*([dhw])\s*", text)
    if not m or int(m.group(1)) == 0:
        raise InputError(f"--keep {text!r}", "expected a positive count and a unit, d (days), "
                         "h (hours) or w (weeks): e.g. 90d")
    return timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})


def _key(row: FindingRow) -> _Key:
    return (row.trunk, row.rule, row.device, row.subject)


def _rows(s: Session, trunks: Iterable[str]) -> list[tuple[FindingRow, str, datetime, str]]:
    """Findings of ``trunks`` with their audit's name and time, oldest first."""
    q = (select(FindingRow, AuditRun.name, AuditRun.taken, AuditRun.taken_text)
         .join(AuditRun, FindingRow.audit_id == AuditRun.id)
         .where(FindingRow.trunk.in_(list(trunks)))
         .order_by(AuditRun.taken, AuditRun.id, FindingRow.id))
    return [(r, n, t, tt) for r, n, t, tt in s.execute(q)]


def _status_changes(rows: list[tuple[FindingRow, str, datetime, str]]
                    ) -> list[tuple[str, str, list[StatusChange]]]:
    """Per audit (name, taken), the findings whose status changed (first seen: not a pass)."""
    last: dict[_Key, str] = {}
    out: list[tuple[str, str, list[StatusChange]]] = []
    for row, name, _, taken in rows:
        if not out or out[-1][0] != name:
            out.append((name, taken, []))
        before = last.get(_key(row))
        last[_key(row)] = row.status
        if row.status != before and (before is not None or row.status != Status.PASS):
            out[-1][2].append(StatusChange(rule=row.rule, device=row.device,
                                           subject=row.subject, before=before,
                                           after=row.status, message=row.message))
    return out


def trunk_timeline(store: DbAuditStore, trunk: str, *, values: bool = True
                   ) -> tuple[TimelineEntry, ...]:
    """Every audit where a finding of ``trunk`` changed status, oldest first; with ``values``,
    the observed changes on the trunk's devices since the audit before (``audit_delta``)."""
    with session(store.engine) as s:
        rows = _rows(s, [trunk])
    devices = {r.device for r, *_ in rows if r.device}
    per_audit = _status_changes(rows)
    out = []
    for i, (name, taken, changes) in enumerate(per_audit):
        if not changes:
            continue
        seen: tuple[ValueChange, ...] = ()
        if values and i > 0:
            delta = audit_delta(store.get(per_audit[i - 1][0]), store.get(name))
            seen = tuple(c for c in (*delta.partner_changes, *delta.status_changes,
                                     *delta.mtu_changes) if c.device in devices)
        out.append(TimelineEntry(audit=name, taken=taken, changes=tuple(changes), values=seen))
    return tuple(out)


def resolve(store: AuditStore, ref: str) -> str:
    """An audit's name from ``ref``: a name, ``latest``, or ``latest~N`` (N audits before)."""
    m = re.fullmatch(r"latest(?:~(\d+))?", ref)
    if m is None:
        return ref
    back = int(m.group(1) or 0)
    names = store.names(back + 1)
    if len(names) <= back:
        raise InputError(f"audit {ref!r}", f"the history holds {len(names)} audit(s)")
    return names[back]


def diff_runs(store: AuditStore, before: str, after: str) -> AuditDelta:
    """What changed from audit ``before`` to audit ``after`` (any two, in either order)."""
    return audit_delta(store.get(resolve(store, before)), store.get(resolve(store, after)))


def open_failures(store: DbAuditStore, older_than: timedelta = timedelta(0), *,
                  now: datetime | None = None) -> tuple[OpenFailure, ...]:
    """Findings failing in the newest audit, failing since longer than ``older_than``."""
    now_utc = utc_naive(now or datetime.now(UTC))
    with session(store.engine) as s:
        newest = s.scalars(select(AuditRun.id).order_by(AuditRun.taken.desc(),
                                                        AuditRun.id.desc()).limit(1)).first()
        if newest is None:
            return ()
        failing = {_key(r) for r in s.scalars(select(FindingRow).where(
            FindingRow.audit_id == newest, FindingRow.status == Status.FAIL.value))}
        rows = _rows(s, {k[0] for k in failing})
    streak: dict[_Key, tuple[FindingRow, str, datetime, str]] = {}
    for item in rows:
        k = _key(item[0])
        if item[0].status != Status.FAIL:
            streak.pop(k, None)
        elif k not in streak:
            streak[k] = item
    out = []
    for k in sorted(failing, key=str):
        if k not in streak:  # the key twice in one audit, its last row not a failure
            continue
        row, name, taken, text = streak[k]
        age = now_utc - taken
        if age >= older_than:
            out.append(OpenFailure(trunk=k[0], rule=k[1], device=k[2], subject=k[3], since=text,
                                   since_audit=name, days=round(age / timedelta(days=1), 2),
                                   message=row.message))
    return tuple(out)


def prune(audits: DbAuditStore, keep: timedelta, *, runs: DbRunStore | None = None,
          now: datetime | None = None) -> PruneResult:
    """Forget audits taken longer than ``keep`` ago (never the newest), and their JSON
    exports, and the service's audit jobs requested that long ago (never a queued or running
    one); with ``runs``, committed runs too, except an ``incomplete`` one (a device may
    still need it to be restored)."""
    cutoff = utc_naive(now or datetime.now(UTC)) - keep
    with session(audits.engine, write=True) as s:
        newest = s.scalars(select(AuditRun.id).order_by(AuditRun.taken.desc(),
                                                        AuditRun.id.desc()).limit(1)).first()
        old = list(s.execute(select(AuditRun.id, AuditRun.name).where(
            AuditRun.taken < cutoff, AuditRun.id != newest)))
        s.execute(delete(AuditRun).where(AuditRun.id.in_([i for i, _ in old])))
        finished_before = (AuditJob.requested < cutoff, AuditJob.state.in_(_FINISHED_JOBS))
        jobs = list(s.scalars(select(AuditJob.id).where(*finished_before)
                              .order_by(AuditJob.requested, AuditJob.id)))
        s.execute(delete(AuditJob).where(*finished_before))
    if audits.export is not None:
        for _, name in old:
            (audits.export.folder / f"{name}.json").unlink(missing_ok=True)
    gone: list[str] = []
    if runs is not None:
        with session(runs.engine) as s:
            gone = list(s.scalars(select(ProvisioningRun.id).where(
                ProvisioningRun.time < cutoff, ProvisioningRun.result != "incomplete")))
        runs.delete_many(gone)
    return PruneResult(audits=tuple(n for _, n in old), runs=tuple(gone), jobs=tuple(jobs))
