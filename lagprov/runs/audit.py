"""Drift audit: keep every verification run's findings and states, report what changed.

Audit file (``<state_dir>/audit/<YYYYmmddTHHMMSSZ>.json``, the newest also as ``latest.json``)
is an :class:`AuditRecord` in JSON: ``version``, ``taken`` (ISO 8601 UTC), ``report`` (the
:class:`RunReport`, findings and device errors included), ``switches`` / ``hosts`` (normalised
:class:`DeviceLagState` / :class:`HostTeamState` per device).  :func:`audit_delta` compares two
records; it is pure.  The history is an :class:`AuditStore`: by default the history database
(``lagprov.runs.history``), which also writes these files, as an export.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from lagprov.edge.nornir_glue import Credentials, TransportChoice
from lagprov.errors import ConfigError
from lagprov.model.base import Model
from lagprov.model.findings import Finding, Status
from lagprov.model.inventory import Inventory
from lagprov.model.state import DeviceLagState, HostTeamState
from lagprov.report import RunReport
from lagprov.runs.executor import Executor
from lagprov.runs.verify import DEFAULT_WORKERS, Progress, run_data

ENV_STATE = "LAGPROV_STATE"
DEFAULT_STATE_DIR = Path(".lagprov")
FORMAT_VERSION = 1


class AuditRecord(Model):
    """One audited run, as stored."""

    version: int = FORMAT_VERSION
    taken: str
    report: RunReport
    switches: Mapping[str, DeviceLagState] = {}
    hosts: Mapping[str, HostTeamState] = {}


class FindingChange(Model):
    """A finding that started or stopped failing."""

    trunk: str
    rule: str
    device: str | None = None
    subject: str | None = None
    message: str


class ValueChange(Model):
    """One observed value that differs between two audits (None: not reported then)."""

    device: str
    subject: str  # "Port-channel10 Gi1/0/1", "bond0 ens1f0", "system"
    before: str | None
    after: str | None


class AuditDelta(Model):
    """What changed since the previous audit (everything empty on the first audit)."""

    previous: str | None = None  # when the previous audit was taken
    current: str
    new_failures: tuple[FindingChange, ...] = ()
    resolved_failures: tuple[FindingChange, ...] = ()
    partner_changes: tuple[ValueChange, ...] = ()
    status_changes: tuple[ValueChange, ...] = ()
    mtu_changes: tuple[ValueChange, ...] = ()

    @property
    def changed(self) -> bool:
        """True if anything differs from the previous audit."""
        return bool(self.new_failures or self.resolved_failures or self.partner_changes
                    or self.status_changes or self.mtu_changes)


# --- the delta (pure) --------------------------------------------------------------------

_Key = tuple[str, str, str | None, str | None]


def _key(f: Finding) -> _Key:
    return (f.trunk, f.rule, f.device, f.subject)


def _change(f: Finding) -> FindingChange:
    return FindingChange(trunk=f.trunk, rule=f.rule, device=f.device, subject=f.subject,
                         message=f.message)


def _finding_changes(before: RunReport, after: RunReport
                     ) -> tuple[tuple[FindingChange, ...], tuple[FindingChange, ...]]:
    old = {_key(f): f for f in before.findings}
    new = {_key(f): f for f in after.findings}
    appeared = tuple(_change(f) for k, f in new.items()
                     if f.status is Status.FAIL and (k not in old or not old[k].failed))
    # Resolved: failed before and now known to pass (a now-unverifiable check is not resolved).
    resolved = tuple(_change(f) for k, f in old.items()
                     if f.failed and k in new and new[k].status is Status.PASS)
    return appeared, resolved


_Facts = dict[tuple[str, str], str | None]


def _switch_facts(state: DeviceLagState) -> tuple[_Facts, _Facts, _Facts]:
    partner: _Facts = {}
    status: _Facts = {}
    mtu: _Facts = {(state.device, "system"): _text(state.system_mtu_ip)}
    for lag in state.lags:
        label = lag.name or f"channel {lag.channel}"
        mtu[(state.device, label)] = _text(lag.mtu_ip)
        for m in lag.members:
            subject = f"{label} {m.name}"
            partner[(state.device, subject)] = m.partner.system_id if m.partner else None
            status[(state.device, subject)] = m.status.value if m.status else None
            mtu[(state.device, subject)] = _text(m.mtu_ip)
    for p in state.ports:
        mtu[(state.device, p.name)] = _text(p.mtu_ip)
        status[(state.device, p.name)] = (None if p.link_up is None
                                          else "up" if p.link_up else "down")
    return partner, status, mtu


def _host_facts(state: HostTeamState) -> tuple[_Facts, _Facts, _Facts]:
    label = state.name or "team"
    partner: _Facts = {(state.device, label): state.partner_system_id}
    status: _Facts = {(state.device, label): state.status}
    mtu: _Facts = {(state.device, label): _text(state.mtu_ip)}
    for m in state.members:
        subject = f"{label} {m.name}"
        partner[(state.device, subject)] = m.partner.system_id if m.partner else None
        status[(state.device, subject)] = (None if m.link_up is None
                                           else "up" if m.link_up else "down")
        mtu[(state.device, subject)] = _text(m.mtu_ip)
    return partner, status, mtu


def _text(value: int | None) -> str | None:
    return None if value is None else str(value)


def _facts(record: AuditRecord) -> tuple[_Facts, _Facts, _Facts]:
    out: tuple[_Facts, _Facts, _Facts] = ({}, {}, {})
    views = [_switch_facts(s) for s in record.switches.values()]
    views += [_host_facts(h) for h in record.hosts.values()]
    for view in views:
        for mine, theirs in zip(out, view, strict=True):
            mine.update(theirs)
    return out


def _diff(before: _Facts, after: _Facts, seen_both: set[str]) -> tuple[ValueChange, ...]:
    keys = sorted(set(before) | set(after))
    return tuple(
        ValueChange(device=dev, subject=subj, before=before.get((dev, subj)),
                    after=after.get((dev, subj)))
        for dev, subj in keys
        if dev in seen_both and before.get((dev, subj)) != after.get((dev, subj))
    )


def audit_delta(previous: AuditRecord | None, current: AuditRecord) -> AuditDelta:
    """What changed from ``previous`` to ``current``.

    State changes are reported only for devices observed in both audits: a device that was
    unreachable once has no "changed" values, it has unknown ones.
    """
    if previous is None:
        return AuditDelta(current=current.taken)
    appeared, resolved = _finding_changes(previous.report, current.report)
    seen = ((set(previous.switches) & set(current.switches))
            | (set(previous.hosts) & set(current.hosts)))
    old, new = _facts(previous), _facts(current)
    return AuditDelta(
        previous=previous.taken, current=current.taken,
        new_failures=appeared, resolved_failures=resolved,
        partner_changes=_diff(old[0], new[0], seen),
        status_changes=_diff(old[1], new[1], seen),
        mtu_changes=_diff(old[2], new[2], seen),
    )


def delta_text(delta: AuditDelta) -> str:
    """Human-readable summary of a delta."""
    if delta.previous is None:
        return f"audit {delta.current}: first audit, nothing to compare with"
    lines = [f"audit {delta.current}: changes since {delta.previous}"]
    if not delta.changed:
        lines.append("  no change")
    for title, items in (("new failure", delta.new_failures),
                         ("resolved", delta.resolved_failures)):
        for f in items:
            where = " ".join(x for x in (f.device, f.subject) if x)
            lines.append(f"  {title}: {f.trunk} {f.rule} {where}: {f.message}".rstrip())
    for title, changes in (("LACP partner", delta.partner_changes),
                           ("member status", delta.status_changes),
                           ("MTU", delta.mtu_changes)):
        for c in changes:
            lines.append(f"  {title}: {c.device} {c.subject}: {c.before or '-'} -> "
                         f"{c.after or '-'}")
    return "\n".join(lines)


# --- storage -----------------------------------------------------------------------------


def state_dir_default() -> Path:
    """``$LAGPROV_STATE`` or ``.lagprov``."""
    env = os.environ.get(ENV_STATE)
    return Path(env) if env else DEFAULT_STATE_DIR


def load_record(path: Path) -> AuditRecord | None:
    """The record stored at ``path`` (None if absent).

    Raises:
        ConfigError: the file exists but is not an audit record.
    """
    if not path.is_file():
        return None
    try:
        return AuditRecord.model_validate_json(path.read_text(encoding="utf-8"))
    except (ValidationError, ValueError) as exc:
        raise ConfigError(f"{path}: not a lagprov audit record ({exc.__class__.__name__}); "
                          "move it away to start a new audit history") from exc


def _temp_copy(audit_dir: Path, text: str) -> Path:
    """``text`` in a fresh, fsynced temporary file of ``audit_dir`` (unique per writer)."""
    fd, tmp = tempfile.mkstemp(dir=audit_dir, prefix=".audit-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    return Path(tmp)


def save_record(audit_dir: Path, record: AuditRecord, when: datetime) -> Path:
    """Write ``record`` as ``<timestamp>.json`` (never overwriting) and ``latest.json``.

    Safe with audits finishing at once: the history file is claimed by a hard link from a
    private temporary file (the link fails if the name exists, then ``-1``, ``-2``... is
    tried), so no two audits take one name and no reader sees half a file; ``latest.json``
    is replaced atomically from its own temporary file.
    """
    audit_dir.mkdir(parents=True, exist_ok=True)
    stamp = when.strftime("%Y%m%dT%H%M%SZ")
    text = record.model_dump_json(indent=1)
    tmp = _temp_copy(audit_dir, text)
    try:
        for n in itertools.count():
            path = audit_dir / (f"{stamp}.json" if n == 0 else f"{stamp}-{n}.json")
            try:
                os.link(tmp, path)
                break
            except FileExistsError:
                continue
        tmp.replace(audit_dir / "latest.json")
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


class UnknownAudit(ConfigError):
    """An audit name that the history does not hold."""


class AuditStore(Protocol):
    """Where audits are kept (:class:`FileAuditStore`, or the history database's store)."""

    def save(self, record: AuditRecord, when: datetime) -> str: ...
    def latest(self) -> AuditRecord | None: ...
    def get(self, name: str) -> AuditRecord: ...
    def names(self, limit: int | None = None) -> list[str]: ...


class FileAuditStore:
    """The JSON files of ``<state>/audit`` (:func:`save_record`); an audit's name is its stem."""

    def __init__(self, audit_dir: Path) -> None:
        self.folder = audit_dir

    def save(self, record: AuditRecord, when: datetime) -> str:
        """Write ``record`` (:func:`save_record`); its name."""
        return save_record(self.folder, record, when).stem

    def latest(self) -> AuditRecord | None:
        """``latest.json`` (None before the first audit)."""
        return load_record(self.folder / "latest.json")

    def get(self, name: str) -> AuditRecord:
        """The audit ``name``; :class:`UnknownAudit` if there is none."""
        path = self.folder / f"{name}.json"
        record = None if "/" in name or name.startswith(".") else load_record(path)
        if record is None:
            raise UnknownAudit(f"audit {name!r}: not in {self.folder}")
        return record

    def names(self, limit: int | None = None) -> list[str]:
        """Stored audits' names, newest first."""
        paths = self.folder.glob("*.json") if self.folder.is_dir() else ()
        return sorted((p.stem for p in paths if p.name != "latest.json"), reverse=True)[:limit]


def default_audit_store(state_dir: Path | None = None) -> AuditStore:
    """The history database's audit store (exporting JSON files to ``<state>/audit``)."""
    from lagprov.runs.history import audit_store

    return audit_store(state_dir or state_dir_default())


def audit_run(inv: Inventory, *, state_dir: Path | None = None,
              devices: Collection[str] | None = None, from_dir: Path | None = None,
              save_dir: Path | None = None, reports_dir: Path | None = None,
              workers: int = DEFAULT_WORKERS, progress: Progress | None = None,
              creds: Credentials | None = None, choice: TransportChoice | None = None,
              now: datetime | None = None, store: AuditStore | None = None,
              executor: Executor | None = None) -> tuple[RunReport, AuditDelta]:
    """Verify (as :func:`lagprov.runs.verify.verify_run`), store the run, compare with the last
    (``store``: default the history database of ``state_dir``).

    Raises:
        ConfigError: the previous record cannot be read (nothing is overwritten then).
    """
    store = store or default_audit_store(state_dir)
    previous = store.latest()
    data = run_data(inv, devices=devices, from_dir=from_dir, save_dir=save_dir,
                    reports_dir=reports_dir, workers=workers, progress=progress, creds=creds,
                    choice=choice, command="audit", executor=executor)
    when = now or datetime.now(UTC)
    record = AuditRecord(taken=when.isoformat(timespec="seconds"), report=data.report,
                         switches=data.switches, hosts=data.hosts)
    delta = audit_delta(previous, record)
    store.save(record, when)
    return data.report, delta
