"""The database-backed stores: :class:`DbAuditStore` (the audit history) and
:class:`DbRunStore` (committed provisioning runs), with the interfaces of
:class:`lagprov.runs.audit.AuditStore` and :class:`lagprov.runs.store.RunStore`.

The JSON files are an export: each store also writes them as the file stores do (so a state
folder keeps its readable copies), but reads come from the database.  A state folder from
before the database is imported: audits when the database holds none, runs by id when a file
names a run the database does not hold.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lagprov.errors import ConfigError
from lagprov.model.state import DeviceLagState, HostTeamState
from lagprov.report import RunReport
from lagprov.runs.audit import AuditRecord, FileAuditStore, UnknownAudit
from lagprov.runs.history.db import session
from lagprov.runs.history.models import (
    AuditRun,
    FindingRow,
    ObservedState,
    ProvisioningRun,
    RunConfig,
)
from lagprov.runs.store import (
    DeviceConfigs,
    FileRunStore,
    RunRecord,
    RunSummary,
    UnknownRun,
    new_run_id,
)


def utc_naive(when: datetime | str) -> datetime:
    """``when`` (an aware datetime or ISO 8601 text) as naive UTC, as the tables keep it."""
    value = datetime.fromisoformat(when) if isinstance(when, str) else when
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


# --- audits ------------------------------------------------------------------------------


def _audit_row(name: str, record: AuditRecord) -> AuditRun:
    row = AuditRun(name=name, taken=utc_naive(record.taken), taken_text=record.taken,
                   version=record.version,
                   report=record.report.model_dump(mode="json"))
    row.findings = [
        FindingRow(trunk=f.trunk, rule=f.rule, device=f.device, subject=f.subject,
                   status=f.status.value, severity=f.severity.value, message=f.message)
        for f in record.report.findings]
    row.states = (
        [ObservedState(device=d, kind="switch", state=s.model_dump(mode="json"))
         for d, s in record.switches.items()]
        + [ObservedState(device=d, kind="host", state=s.model_dump(mode="json"))
           for d, s in record.hosts.items()])
    return row


def audit_record(row: AuditRun) -> AuditRecord:
    """The stored audit ``row`` as the record it was saved from."""
    switches = {s.device: DeviceLagState.model_validate(s.state)
                for s in row.states if s.kind == "switch"}
    hosts = {s.device: HostTeamState.model_validate(s.state)
             for s in row.states if s.kind == "host"}
    return AuditRecord(version=row.version, taken=row.taken_text,
                       report=RunReport.model_validate(row.report),
                       switches=switches, hosts=hosts)


class DbAuditStore:
    """Audits in the history database (``export``: also written as JSON files there)."""

    def __init__(self, engine: Engine, export: FileAuditStore | None = None) -> None:
        self.engine = engine
        self.export = export

    def save(self, record: AuditRecord, when: datetime) -> str:
        """Store ``record``; its name (the export file's stem, unique in the database)."""
        name = (self.export.save(record, when) if self.export is not None
                else f"{utc_naive(when):%Y%m%dT%H%M%SZ}")
        base = name
        while True:
            try:
                with session(self.engine, write=True) as s:
                    s.add(_audit_row(name, record))
                return name
            except IntegrityError:  # another state folder's audit took the name
                name = f"{base}-{secrets.token_hex(2)}"

    def _import_export(self) -> None:
        """A state folder from before the database: its JSON history, once."""
        if self.export is None:
            return
        with session(self.engine) as s:
            if s.scalar(select(func.count()).select_from(AuditRun)):
                return
        self.export.latest()  # a corrupt latest.json stops the audit, naming the file
        for name in reversed(self.export.names()):
            try:
                with session(self.engine, write=True) as s:
                    s.add(_audit_row(name, self.export.get(name)))
            except IntegrityError:  # imported at the same time by another process
                continue

    def latest(self) -> AuditRecord | None:
        """The newest audit (None before the first)."""
        self._import_export()
        with session(self.engine) as s:
            row = s.scalars(select(AuditRun).order_by(AuditRun.taken.desc(),
                                                      AuditRun.id.desc()).limit(1)).first()
            return None if row is None else audit_record(row)

    def get(self, name: str) -> AuditRecord:
        """The audit ``name``; :class:`UnknownAudit` (naming the newest) if there is none."""
        self._import_export()
        with session(self.engine) as s:
            row = s.scalars(select(AuditRun).where(AuditRun.name == name)).first()
            if row is not None:
                return audit_record(row)
        newest = ", ".join(self.names(3)) or "none stored"
        raise UnknownAudit(f"audit {name!r}: not in the history (newest: {newest})")

    def names(self, limit: int | None = None) -> list[str]:
        """Stored audits' names, newest first."""
        self._import_export()
        with session(self.engine) as s:
            q = select(AuditRun.name).order_by(AuditRun.taken.desc(), AuditRun.id.desc())
            return list(s.scalars(q.limit(limit)))


# --- provisioning runs -------------------------------------------------------------------


def _config_row(device: str, c: DeviceConfigs) -> RunConfig:
    return RunConfig(device=device, platform=c.platform.value, trunks=list(c.trunks),
                     owned={t: list(s) for t, s in c.owned.items()}, before=c.before,
                     after=c.after, finished=c.finished, planned=list(c.planned),
                     sent=list(c.sent), restored_by=c.restored_by)


def _run_record(row: ProvisioningRun) -> RunRecord:
    configs = {c.device: DeviceConfigs.model_validate({
        "platform": c.platform, "trunks": c.trunks, "owned": c.owned, "before": c.before,
        "after": c.after, "finished": c.finished, "planned": c.planned, "sent": c.sent,
        "restored_by": c.restored_by}) for c in row.configs}
    return RunRecord(version=row.version, id=row.id, time=row.time_text, command=row.command,
                     devices=tuple(row.devices), trunks=tuple(row.trunks), result=row.result,
                     rollback_of=row.rollback_of, configs=configs, by=row.by)


def _run_time(record: RunRecord) -> datetime:
    """When ``record`` ran: its ``time``, else the time its id encodes."""
    try:
        return utc_naive(record.time)
    except ValueError:
        pass
    try:
        return datetime.strptime(record.id[:15], "%Y%m%dT%H%M%S")
    except ValueError:
        raise ConfigError(f"run {record.id!r}: time {record.time!r} is not ISO 8601") from None


def _write_run(s: Session, record: RunRecord) -> None:
    s.execute(delete(RunConfig).where(RunConfig.run_id == record.id))
    s.execute(delete(ProvisioningRun).where(ProvisioningRun.id == record.id))
    s.flush()
    row = ProvisioningRun(id=record.id, time=_run_time(record), time_text=record.time,
                          version=record.version,
                          command=record.command, devices=list(record.devices),
                          trunks=list(record.trunks), result=record.result,
                          rollback_of=record.rollback_of, by=record.by)
    row.configs = [_config_row(d, c) for d, c in record.configs.items()]
    s.add(row)


def _update_run(s: Session, record: RunRecord, changed: Collection[str]) -> bool:
    """Update the stored run ``record.id``: its own fields and the rows of ``changed``
    devices; False when it is not stored yet (then it is written whole)."""
    row = s.get(ProvisioningRun, record.id)
    if row is None:
        return False
    row.time, row.time_text, row.version = _run_time(record), record.time, record.version
    row.command, row.devices, row.trunks = record.command, list(record.devices), list(record.trunks)
    row.result, row.rollback_of, row.by = record.result, record.rollback_of, record.by
    if changed:
        s.execute(delete(RunConfig).where(RunConfig.run_id == record.id,
                                          RunConfig.device.in_(list(changed))))
        for device in changed:
            entry = record.configs.get(device)
            if entry is not None:
                config = _config_row(device, entry)
                config.run_id = record.id
                s.add(config)
    return True


class DbRunStore:
    """Committed runs in the history database (``export``: also written as JSON files)."""

    def __init__(self, engine: Engine, export: FileRunStore | None = None) -> None:
        self.engine = engine
        self.export = export

    def new_id(self, when: datetime) -> str:
        """A fresh id that sorts by ``when`` (as the file store makes them)."""
        return new_run_id(when)

    def save(self, record: RunRecord, *, changed: Collection[str] | None = None) -> None:
        """Store (or replace) ``record``, in one transaction; then its export file.
        ``changed``: only those devices' rows are rewritten (a journal's save per confirmed
        line: the other devices' running configurations stay as stored)."""
        with session(self.engine, write=True) as s:
            if changed is None or not _update_run(s, record, changed):
                _write_run(s, record)
        if self.export is not None:
            self.export.save(record)

    def _import_export(self) -> None:
        if self.export is None or not self.export.folder.is_dir():
            return
        ids = {p.stem for p in self.export.folder.glob("*.json")}
        if not ids:
            return
        with session(self.engine) as s:
            known = set(s.scalars(select(ProvisioningRun.id)))
        for run_id in sorted(ids - known):
            try:
                with session(self.engine, write=True) as s:
                    _write_run(s, self.export.get(run_id))
            except IntegrityError:
                continue

    def get(self, run_id: str) -> RunRecord:
        """The run ``run_id``; :class:`UnknownRun` (with the newest ids) if there is none."""
        self._import_export()
        with session(self.engine) as s:
            row = s.get(ProvisioningRun, run_id)
            if row is not None:
                return _run_record(row)
        newest = ", ".join(r.id for r in self.recent(3)) or "none stored"
        raise UnknownRun(f"run {run_id!r}: not in the history (newest: {newest})")

    def recent(self, limit: int | None = None) -> list[RunSummary]:
        """Stored runs, newest first."""
        self._import_export()
        with session(self.engine) as s:
            q = select(ProvisioningRun).order_by(ProvisioningRun.id.desc()).limit(limit)
            return [RunSummary(id=r.id, time=r.time_text, command=r.command,
                               devices=tuple(r.devices), trunks=tuple(r.trunks),
                               result=r.result, by=r.by) for r in s.scalars(q)]

    def delete(self, run_id: str) -> None:
        """Forget ``run_id`` (its export file too, so that it is not imported again)."""
        with session(self.engine, write=True) as s:
            s.execute(delete(ProvisioningRun).where(ProvisioningRun.id == run_id))
        if self.export is not None:
            self.export.delete(run_id)

    def delete_many(self, run_ids: Iterable[str]) -> None:
        """Forget every run of ``run_ids``."""
        for run_id in run_ids:
            self.delete(run_id)
