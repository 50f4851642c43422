"""The run store: every change lagprov committed, with each touched device's configuration
before and after, so that a run can be listed and rolled back.

:class:`RunStore` is the interface (``new_id``, ``save``, ``get``, ``recent``, ``delete``);
:class:`FileRunStore` keeps one JSON file per run under ``<state>/runs/<id>.json`` (the state
folder is ``$LAGPROV_STATE``, default ``.lagprov``), written atomically (a temporary file in
the same folder, then ``os.replace``).  :func:`default_store` is the database-backed store of
``lagprov.runs.history`` (it keeps those files as an export).  Run ids sort by time:
``20261202T061500.042Z-3fa2c1``.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import threading
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from lagprov.errors import ConfigError
from lagprov.model.base import Model
from lagprov.model.types import Platform

FORMAT_VERSION = 1


class UnknownRun(ConfigError):
    """A run id that the store does not hold."""


class DeviceConfigs(Model):
    """One device a run changed: its configuration before and after, and what it owned."""

    platform: Platform
    trunks: tuple[str, ...]
    owned: Mapping[str, tuple[str, ...]]  # trunk -> the sections it owns on this device
    before: str
    after: str
    # A device the run did not finish (it stopped or died mid-push, or its restore failed):
    # what the run meant to send, the lines the device confirmed, and the rollback run that
    # restored it since (``after`` is then unknown: empty).
    finished: bool = True
    planned: tuple[str, ...] = ()
    sent: tuple[str, ...] = ()
    restored_by: str | None = None

    @property
    def pending(self) -> bool:
        """Left half done by its run and not restored since."""
        return not self.finished and self.restored_by is None


class RunRecord(Model):
    """One committed run, as stored."""

    version: int = FORMAT_VERSION
    id: str
    time: str  # ISO 8601 UTC
    command: str  # apply | rollback
    devices: tuple[str, ...]  # every device the run planned
    trunks: tuple[str, ...]  # every trunk the run changed
    result: str  # applied | partial | failed | no-change | incomplete (see DeviceConfigs)
    rollback_of: str | None = None
    configs: Mapping[str, DeviceConfigs] = {}  # the devices it changed
    by: str | None = None  # who asked: the service token's name (None from the CLI)


class RunSummary(Model):
    """What ``lagprov runs`` lists for one run."""

    id: str
    time: str
    command: str
    devices: tuple[str, ...]
    trunks: tuple[str, ...]
    result: str
    by: str | None = None


def new_run_id(when: datetime) -> str:
    """A fresh run id that sorts by ``when`` (every store makes them so)."""
    utc = when.astimezone(UTC)
    return f"{utc:%Y%m%dT%H%M%S}.{utc.microsecond // 1000:03d}Z-{secrets.token_hex(3)}"


class RunStore(Protocol):
    """Where runs are kept."""

    def new_id(self, when: datetime) -> str: ...
    def save(self, record: RunRecord, *, changed: Collection[str] | None = None) -> None:
        """Store ``record``; ``changed``: only these devices' entries (and the run's own
        fields) differ from the last save of this run in this process (None: rewrite all)."""
        ...
    def get(self, run_id: str) -> RunRecord: ...
    def recent(self, limit: int | None = None) -> list[RunSummary]: ...
    def delete(self, run_id: str) -> None: ...


class FileRunStore:
    """One JSON file per run in ``<state_dir>/runs``."""

    def __init__(self, state_dir: Path) -> None:
        self.folder = state_dir / "runs"

    def new_id(self, when: datetime) -> str:
        """A fresh id that sorts by ``when``."""
        return new_run_id(when)

    def _path(self, run_id: str) -> Path:
        if not run_id or any(c in run_id for c in "/\\") or run_id.startswith("."):
            raise UnknownRun(f"run {run_id!r}: not a run id")
        return self.folder / f"{run_id}.json"

    def save(self, record: RunRecord, *, changed: Collection[str] | None = None) -> None:  # noqa: ARG002
        """Write ``record`` atomically: readers see the old file or the new one, never half
        (the whole file: ``changed`` makes no difference here)."""
        # Running configurations may hold secrets: the folder and files are the user's only.
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".run-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(record.model_dump_json(indent=1))
                out.flush()
                os.fsync(out.fileno())
            Path(tmp).replace(self._path(record.id))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, run_id: str) -> RunRecord:
        """The run ``run_id``; :class:`UnknownRun` (with the newest ids) if there is none."""
        path = self._path(run_id)
        if not path.is_file():
            newest = ", ".join(r.id for r in self.recent(3)) or "none stored"
            raise UnknownRun(f"run {run_id!r}: not in {self.folder} (newest: {newest})")
        return self._read(path)

    def _read(self, path: Path) -> RunRecord:
        try:
            return RunRecord.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValidationError) as exc:
            raise ConfigError(f"{path}: not a lagprov run record ({exc})") from None

    def delete(self, run_id: str) -> None:
        """Forget ``run_id`` (a journal of a run that sent nothing)."""
        self._path(run_id).unlink(missing_ok=True)

    def recent(self, limit: int | None = None) -> list[RunSummary]:
        """Stored runs, newest first."""
        paths = sorted(self.folder.glob("*.json"), reverse=True) if self.folder.is_dir() else []
        out = []
        for path in paths[:limit]:
            r = self._read(path)
            out.append(RunSummary(id=r.id, time=r.time, command=r.command, devices=r.devices,
                                  trunks=r.trunks, result=r.result, by=r.by))
        return out


def pending_devices(store: RunStore, devices: Collection[str], *, skip: str | None = None,
                    limit: int = 200) -> dict[str, tuple[str, DeviceConfigs]]:
    """Devices among ``devices`` that a stored run left half done: device -> (run id, its
    entry), the newest run first (``skip``: the run in progress)."""
    out: dict[str, tuple[str, DeviceConfigs]] = {}
    for summary in store.recent(limit):
        if summary.result != "incomplete" or summary.id == skip:
            continue
        for d, c in store.get(summary.id).configs.items():
            if d in devices and c.pending and d not in out:
                out[d] = (summary.id, c)
    return out


def pending_note(device: str, run_id: str, entry: DeviceConfigs) -> str:
    """What ``plan`` says about a device a run left half done."""
    sent = "; ".join(entry.sent[-3:]) if entry.sent else "none"
    left = entry.planned[len(entry.sent):]
    maybe = f", and '{left[0].strip()}' may have reached it unconfirmed" if left else ""
    return (f"an earlier run did not finish: run {run_id} stopped while pushing to {device} "
            f"({len(entry.sent)} of {len(entry.planned)} lines sent; last sent: {sent}{maybe}); "
            f"restore {device} as it was before that run with 'lagprov rollback {run_id} "
            "--commit' (plan it first without --commit)")


class RunJournal:
    """A run being written: stored as ``incomplete`` before anything is sent, then per device
    as lines are confirmed sent, and finished last.  A run that crashes stays ``incomplete``
    with exactly the lines each device confirmed.  Thread-safe (one writer per device).

    Saves are grouped: every change returns only once a save holding it is stored, but while
    one save is being written the changes of the other devices' workers gather, and the next
    save stores them all at once.  A save rewrites the whole run (every device's running
    configurations), so one save per confirmed line, taken in turn, made a 20-worker apply
    wait on the store (issue 15: 50 switches in 75-97 s, 15 s without the journal).
    """

    def __init__(self, store: RunStore, record: RunRecord) -> None:
        self.store = store
        self.record = record
        self._lock = threading.Lock()  # guards record and the two counters
        self._save_lock = threading.Lock()  # one save at a time, in order
        self._changes = 0  # changes made to record
        self._saved = 0  # changes held by the last stored save
        self._dirty: set[str] | None = set()  # devices changed since then (None: all)

    @classmethod
    def start(cls, store: RunStore, command: str, started: datetime,
              devices: Collection[str]) -> RunJournal:
        """Store the run as started (nothing sent yet)."""
        record = RunRecord(id=store.new_id(started), time=started.isoformat(timespec="seconds"),
                           command=command, devices=tuple(devices), trunks=(),
                           result="incomplete")
        store.save(record)
        return cls(store, record)

    def _update(self, change: Callable[[dict[str, DeviceConfigs]], None],
                devices: Collection[str] | None, **fields: object) -> None:
        """Apply ``change`` (to ``devices``' entries; None: any) and wait for its save."""
        with self._lock:
            configs = dict(self.record.configs)
            change(configs)
            trunks = tuple(dict.fromkeys(t for c in configs.values() for t in c.trunks))
            self.record = self.record.model_copy(
                update={"configs": configs, "trunks": trunks, **fields})
            self._changes += 1
            mine = self._changes
            if devices is None or self._dirty is None:
                self._dirty = None
            else:
                self._dirty.update(devices)
        self._stored(mine)

    def _stored(self, change: int) -> None:
        """Return once a save holding ``change`` is stored (saving it if no other did)."""
        with self._save_lock:
            with self._lock:
                if self._saved >= change:
                    return  # a save written meanwhile already held it
                record, upto, dirty = self.record, self._changes, self._dirty
                self._dirty = set()
            try:
                self.store.save(record, changed=dirty)
            except BaseException:
                with self._lock:
                    self._dirty = None  # not stored: the next save rewrites the whole run
                raise
            with self._lock:
                self._saved = upto

    def pushing(self, device: str, entry: DeviceConfigs) -> None:
        """``device`` is about to be sent ``entry.planned`` (``entry.finished`` False)."""
        self._update(lambda c: c.__setitem__(device, entry), (device,))

    def sent(self, device: str, *lines: str) -> None:
        """``device`` confirmed receiving ``lines`` (in order), recorded in one save."""
        def add(configs: dict[str, DeviceConfigs]) -> None:
            if device in configs:
                configs[device] = configs[device].model_copy(
                    update={"sent": (*configs[device].sent, *lines)})

        self._update(add, (device,))

    def finish(self, result: str, done: Mapping[str, DeviceConfigs | None]) -> RunRecord:
        """Close the run: ``done`` maps a device to its final entry (None: as before the
        run, forgotten); devices not in ``done`` stay unfinished (result ``incomplete``)."""
        def close(configs: dict[str, DeviceConfigs]) -> None:
            for d, entry in done.items():
                if entry is None:
                    configs.pop(d, None)
                else:
                    configs[d] = entry

        with self._lock:
            left = [d for d, c in self.record.configs.items() if d not in done and c.pending]
        self._update(close, None, result="incomplete" if left else result)
        return self.record


def default_store(state_dir: Path | None = None) -> RunStore:
    """The history database's run store (``$LAGPROV_DATABASE_URL``, else SQLite in the state
    folder: ``state_dir``, else ``$LAGPROV_STATE``, else ``.lagprov``), which also keeps the
    JSON files of :class:`FileRunStore` there as an export."""
    from lagprov.runs.audit import state_dir_default
    from lagprov.runs.history import run_store

    return run_store(state_dir or state_dir_default())
