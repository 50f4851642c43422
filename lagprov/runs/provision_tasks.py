"""Thin Nornir task functions: open a session, call the pure stages, return a typed value.

With ``lagprov.edge.nornir_glue`` the only module that touches Nornir.  Each task catches the
device's own faults and returns them as data, so one device never stops the others.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from nornir.core.task import MultiResult, Result, Task

from lagprov.edge.locks import device_lock
from lagprov.edge.nornir_glue import TransportChoice, open_session
from lagprov.edge.sessions import NapalmSession, NetmikoSession
from lagprov.errors import InternalError, LagprovError
from lagprov.knowledge.platforms import StateQuery, get_spec
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import DeviceOutcome, OutcomeStatus
from lagprov.model.session import Session
from lagprov.provision.device import Checker, PushHook, Reopen, error_kind, provision_device
from lagprov.provision.restore import rollback_device
from lagprov.runs.store import RunJournal, RunRecord


@dataclass(frozen=True, slots=True)
class Pushed:
    """A provision task's result: the outcome, and the running configuration read first and
    last (before the change, and the read-back after it; ``None``: never read)."""

    outcome: DeviceOutcome
    before: str | None = None
    after: str | None = None


class Recorder:
    """A :class:`Session` that keeps the first and the last running configuration read."""

    def __init__(self, inner: Session, running_command: str) -> None:
        self.inner = inner
        self.command = running_command
        self.atomic_commit = inner.atomic_commit
        self.native_rollback = inner.native_rollback
        self.first: str | None = None
        self.last: str | None = None

    def run(self, command: str) -> str:
        out = self.inner.run(command)
        if command == self.command:
            self.first = out if self.first is None else self.first
            self.last = out
        return out

    def load(self, lines: Sequence[str]) -> str | None:
        return self.inner.load(lines)

    def commit(self, *, confirm_seconds: int | None = None) -> None:
        self.inner.commit(confirm_seconds=confirm_seconds)

    def confirm(self) -> None:
        self.inner.confirm()

    def discard(self, *, force: bool = False) -> None:
        self.inner.discard(force=force)

    def rollback(self, reverse: Sequence[str]) -> None:
        self.inner.rollback(reverse)


DeviceJob = Callable[[Session, Reopen], DeviceOutcome]


def device_address(task: Task) -> str:
    """``host:port`` of the task's device: the key of its machine-wide lock."""
    return f"{task.host.hostname or task.host.name}:{task.host.port or 22}"


def _hooked(session: Session, name: str, journal: RunJournal | None,
            abort: threading.Event | None) -> Session:
    """``session`` telling ``journal`` each line the device confirmed, stopping at ``abort``."""
    if isinstance(session, NapalmSession | NetmikoSession) and journal is not None:
        session.on_sent = lambda lines: journal.sent(name, *lines)
    if isinstance(session, NetmikoSession):
        session.abort = abort
    return session


def device_task(task: Task, *, inv: Inventory, exclusive: bool, choice: TransportChoice,
                job: Callable[[str], DeviceJob], journal: RunJournal | None = None,
                abort: threading.Event | None = None) -> Result:
    """Run ``job(device)`` over a recorded session of one device, under its lock; faults
    become a FAILED outcome.  The first session reports the lines it sends to ``journal``
    (a restore's sessions, opened by ``reopen``, do not: they put the device back)."""
    name = task.host.name
    platform = inv.switch(name).platform
    recorder: Recorder | None = None

    def reopen() -> Session:
        for conn in list(task.host.connections):
            try:
                task.host.close_connection(conn)
            except Exception:  # noqa: BLE001, S112 - the old session is already gone
                continue
        return open_session(task.host, task.nornir.config, choice)

    try:
        with device_lock(name, exclusive=exclusive, address=device_address(task)):
            command = get_spec(platform).commands[StateQuery.RUNNING_CONFIG]
            session = _hooked(open_session(task.host, task.nornir.config, choice), name,
                              journal, abort)
            recorder = Recorder(session, command)
            outcome = job(name)(recorder, reopen)
    except LagprovError as exc:
        outcome = DeviceOutcome(device=name, platform=platform, status=OutcomeStatus.FAILED,
                                error_kind=error_kind(exc), error=str(exc))
    except Exception as exc:  # noqa: BLE001 - a bug on one device must not stop the others
        outcome = DeviceOutcome(device=name, platform=platform, status=OutcomeStatus.FAILED,
                                error_kind="internal", error=f"{type(exc).__name__}: {exc}")
    pushed = Pushed(outcome, recorder.first if recorder else None,
                    recorder.last if recorder else None)
    return Result(host=task.host, result=pushed, changed=outcome.status is OutcomeStatus.APPLIED,
                  failed=outcome.failed)


def provision_task(task: Task, *, inv: Inventory, commit: bool, force: bool,
                   choice: TransportChoice, checker: Checker | None,
                   stop: threading.Event, device_diff: bool = False,
                   scope: Mapping[str, Collection[str]] | None = None,
                   replace: Collection[str] = (), journal: RunJournal | None = None,
                   on_push: PushHook | None = None,
                   abort: threading.Event | None = None) -> Result:
    """Plan (and with ``commit`` apply) one device, limited to its trunks in ``scope``."""

    def job(name: str) -> DeviceJob:
        trunks = scope.get(name) if scope is not None else None
        return lambda session, reopen: provision_device(
            session, inv, name, commit=commit, force=force, checker=checker, stop=stop,
            reopen=reopen, device_diff=device_diff, trunks=trunks, replace=replace,
            on_push=on_push)

    return device_task(task, inv=inv, exclusive=commit, choice=choice, job=job,
                       journal=journal, abort=abort)


def collect_task(task: Task, *, commands: Callable[[str], tuple[str, ...]],
                 choice: TransportChoice) -> Result:
    """Run the read-back commands of one device; a fault becomes the result's exception."""
    try:
        session = open_session(task.host, task.nornir.config, choice)
        outputs: Mapping[str, str] = {c: session.run(c) for c in commands(task.host.name)}
    except LagprovError as exc:
        return Result(host=task.host, result=exc, failed=True)
    return Result(host=task.host, result=dict(outputs))


def pushed_of(multi: MultiResult) -> Pushed:
    """The typed result of a device task (nornir's Result.result is Any)."""
    value = multi[0].result
    if not isinstance(value, Pushed):
        raise InternalError(f"unexpected task result {type(value).__name__}: {multi[0].exception}")
    return value


def outcome_of(multi: MultiResult) -> DeviceOutcome:
    """The typed outcome of a provision task."""
    return pushed_of(multi).outcome


def rollback_task(task: Task, *, inv: Inventory, record: RunRecord, trunks: Collection[str],
                  commit: bool, force: bool, choice: TransportChoice) -> Result:
    """Plan (and with ``commit`` push) the restore of one device to its state before a run."""

    def job(name: str) -> DeviceJob:
        stored = record.configs[name]
        picked = [t for t in stored.trunks if t in trunks]
        owned = [h for t in picked for h in stored.owned.get(t, ())]
        return lambda session, reopen: rollback_device(
            session, name, stored.platform, run_id=record.id, trunks=picked, owned=owned,
            before=stored.before, after=stored.after if stored.finished else None,
            commit=commit, force=force, reopen=reopen)

    return device_task(task, inv=inv, exclusive=commit, choice=choice, job=job)
