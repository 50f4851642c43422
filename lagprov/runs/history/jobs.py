"""The audit jobs of the service (table ``audit_jobs``): every audit it was asked to run, on
its schedule or on request, with its progress and result, and every scheduled audit it
skipped because the previous one was still running.

A job's ``state`` is ``queued`` -> ``running`` -> ``done`` (or ``failed``: the audit could not
run, ``reason`` says why), or ``skipped`` from the start.  ``audit`` names the audit the job
stored in the history (``DbAuditStore``), ``summary`` is what it found and what changed since
the audit before it, ``notifications`` the webhook deliveries made for it.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, func, select

from lagprov.errors import ConfigError
from lagprov.model.base import Model
from lagprov.model.findings import Status
from lagprov.model.outcome import DeviceError
from lagprov.model.types import Severity
from lagprov.report import RunReport
from lagprov.report.model import Counts, TrunkReport
from lagprov.runs.audit import AuditDelta, FindingChange
from lagprov.runs.history.db import database_url, engine_for, session
from lagprov.runs.history.models import AuditJob
from lagprov.runs.history.repo import utc_naive

JobState = Literal["queued", "running", "done", "skipped", "failed"]
Trigger = Literal["schedule", "request"]
TRUNK_STATUSES = ("pass", "fail", "warning", "unverifiable")


class UnknownJob(ConfigError):
    """A job id the history does not hold."""


class Delivery(Model):
    """One webhook delivery: to which receiver (its URL's path hidden: a Slack or Teams
    webhook URL is a secret), with what outcome."""

    target: str
    delivery: str  # the X-Lagprov-Delivery id (the same on every attempt)
    ok: bool
    status: int | None = None  # the receiver's last HTTP status (None: no answer)
    attempts: int
    error: str | None = None


class AuditResult(Model):
    """What one audit found, and what changed since the audit before it."""

    exit_status: int  # as the CLI's audit: 0 clean, 1 failing findings, 3 device errors
    trunks: dict[str, int]  # trunk status (pass, fail, warning, unverifiable) -> trunks
    counts: Counts
    device_errors: tuple[DeviceError, ...] = ()
    previous: str | None = None  # when the audit compared with was taken (None: first)
    # In the service, against each finding's last known status (history.last_known)
    new_failures: tuple[FindingChange, ...] = ()
    resolved_failures: tuple[FindingChange, ...] = ()


class AuditJobInfo(Model):
    """One job, as ``GET /audits/{id}`` shows it (times ISO 8601 UTC)."""

    id: str
    trigger: Trigger
    state: JobState
    requested: str
    started: str | None = None
    finished: str | None = None
    by: str | None = None
    devices_done: int = 0
    devices_total: int | None = None
    audit: str | None = None
    reason: str | None = None
    summary: AuditResult | None = None
    notifications: tuple[Delivery, ...] = ()


def trunk_status(trunk: TrunkReport) -> str:
    """``fail`` (an error-severity finding fails), ``warning`` (only warnings fail),
    ``unverifiable`` or ``pass``: the trunk's status in the report, warnings told apart."""
    failing = [f for f in trunk.findings if f.status is Status.FAIL]
    if failing:
        return "fail" if any(f.severity is Severity.ERROR for f in failing) else "warning"
    return str(trunk.status.value)


def trunks_by_status(report: RunReport) -> dict[str, int]:
    """Every status of :data:`TRUNK_STATUSES` -> how many trunks have it."""
    out = dict.fromkeys(TRUNK_STATUSES, 0)
    for t in report.trunks:
        out[trunk_status(t)] += 1
    return out


def audit_result(report: RunReport, delta: AuditDelta) -> AuditResult:
    """The summary of one audit run (its report and its delta)."""
    return AuditResult(exit_status=report.exit_status, trunks=trunks_by_status(report),
                       counts=report.counts, device_errors=report.errors,
                       previous=delta.previous, new_failures=delta.new_failures,
                       resolved_failures=delta.resolved_failures)


def new_job_id(when: datetime) -> str:
    """A fresh job id that sorts by ``when``: ``a-20240501T080000Z-1a2b3c``."""
    return f"a-{utc_naive(when):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.replace(tzinfo=UTC).isoformat(timespec="seconds")


def _info(row: AuditJob) -> AuditJobInfo:
    return AuditJobInfo(
        id=row.id, trigger=row.trigger, state=row.state,
        requested=_iso(row.requested) or "", started=_iso(row.started),
        finished=_iso(row.finished), by=row.by, devices_done=row.devices_done,
        devices_total=row.devices_total, audit=row.audit, reason=row.reason,
        summary=None if row.summary is None else AuditResult.model_validate(row.summary),
        notifications=tuple(Delivery.model_validate(d) for d in row.notifications))


_FIELDS = frozenset({"state", "started", "finished", "devices_done", "devices_total", "audit",
                     "reason", "summary", "notifications"})


class JobStore:
    """The ``audit_jobs`` table of one history database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, job_id: str, trigger: Trigger, state: JobState, when: datetime, *,
               by: str | None = None, reason: str | None = None) -> AuditJobInfo:
        """Record a new job (``queued`` or ``skipped``); what is stored."""
        row = AuditJob(id=job_id, trigger=trigger, state=state, requested=utc_naive(when),
                       by=by, devices_done=0, reason=reason, notifications=[],
                       failed_deliveries=0)
        with session(self.engine, write=True) as s:
            s.add(row)
            s.flush()
            return _info(row)

    def update(self, job_id: str, **fields: Any) -> None:
        """Set ``fields`` of the job (times as datetimes; models as themselves).

        Raises:
            UnknownJob: no such job.
        """
        bad = set(fields) - _FIELDS
        if bad:
            raise ValueError(f"not a job field: {sorted(bad)}")
        values: dict[str, Any] = {}
        for key, value in fields.items():
            if isinstance(value, datetime):
                value = utc_naive(value)
            elif isinstance(value, Model):
                value = value.model_dump(mode="json")
            elif key == "notifications":
                values["failed_deliveries"] = sum(not d.ok for d in value)
                value = [d.model_dump(mode="json") for d in value]
            values[key] = value
        with session(self.engine, write=True) as s:
            row = s.get(AuditJob, job_id)
            if row is None:
                raise UnknownJob(f"audit job {job_id!r}: not in the history")
            for key, value in values.items():
                setattr(row, key, value)

    def get(self, job_id: str) -> AuditJobInfo:
        """The job ``job_id``; :class:`UnknownJob` if there is none."""
        with session(self.engine) as s:
            row = s.get(AuditJob, job_id)
            if row is None:
                raise UnknownJob(f"audit job {job_id!r}: not in the history")
            return _info(row)

    def recent(self, limit: int | None = None, *, state: JobState | None = None
               ) -> list[AuditJobInfo]:
        """Jobs, newest first (only those in ``state``, if given)."""
        q = select(AuditJob).order_by(AuditJob.requested.desc(), AuditJob.id.desc())
        if state is not None:
            q = q.where(AuditJob.state == state)
        with session(self.engine) as s:
            return [_info(r) for r in s.scalars(q.limit(limit))]

    def counts(self) -> dict[str, int]:
        """State -> jobs in it (every state of :data:`JobState`, zero included)."""
        out = dict.fromkeys(("queued", "running", "done", "skipped", "failed"), 0)
        with session(self.engine) as s:
            for state, n in s.execute(select(AuditJob.state, func.count())
                                      .group_by(AuditJob.state)):
                out[state] = n
        return out

    def failed_deliveries(self) -> int:
        """Webhook deliveries that did not succeed, over every job."""
        with session(self.engine) as s:
            return int(s.scalar(select(func.coalesce(func.sum(AuditJob.failed_deliveries),
                                                     0))) or 0)


def job_store(state_dir: Path) -> JobStore:
    """The audit jobs of the history database of ``state_dir`` (as ``audit_store``)."""
    return JobStore(engine_for(database_url(state_dir)))
