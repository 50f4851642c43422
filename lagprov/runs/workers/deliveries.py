"""A task's deliveries, on the worker: each notes itself (device, worker, number and, for an
apply that pushes, its journal entry) under :func:`.app.attempt_key`, where the run watches
it; deliveries of one task run one after the other (:func:`task_lock`); a later delivery's
result is merged with what the earlier ones did (:func:`merge_deliveries`); a task runs
within its time limit, the run's Ctrl-C passed on (:func:`bounded`).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

from lagprov.errors import TransportTimeout
from lagprov.model.outcome import OutcomeStatus
from lagprov.runs.provision_tasks import Pushed
from lagprov.runs.store import RunRecord, RunSummary
from lagprov.runs.workers.app import RESULT_TTL_S, app, attempt_key, lock_key, signal_key

_T = TypeVar("_T")
LOCK_TTL_S = 20
POLL_S = 0.25


def client() -> Any:
    return app.backend.client


def worker_name(task: Any) -> str:
    return str(getattr(task.request, "hostname", None) or socket.gethostname())


def read_json(key: str) -> dict[str, Any] | None:
    raw = client().get(key)
    return None if raw is None else dict(json.loads(raw))


def write_json(key: str, value: Mapping[str, Any]) -> None:
    client().set(key, json.dumps(value), ex=RESULT_TTL_S)


def note(task_id: str, **fields: Any) -> dict[str, Any]:
    """Update this task's attempt record; the record before the update (``{}``: none)."""
    before = read_json(attempt_key(task_id)) or {}
    write_json(attempt_key(task_id), {**before, **fields})
    return before


def delivered(task: Any, device: str) -> dict[str, Any]:
    """Note a new delivery of ``task`` (its device, worker, and number); the record before."""
    task_id = str(task.request.id)
    before = read_json(attempt_key(task_id)) or {}
    write_json(attempt_key(task_id), {**before, "device": device, "worker": worker_name(task),
                                       "started": time.time(),
                                       "delivery": int(before.get("delivery", 0)) + 1})
    return before


def _signalled(run: str | None, what: str) -> bool:
    return bool(run) and bool(client().exists(signal_key(str(run), what)))


def bounded(call: Callable[[], _T], limit_s: float, *, run: str | None = None,
            stop: threading.Event | None = None, abort: threading.Event | None = None,
            grace_s: float = 0.0) -> tuple[bool, _T | None]:
    """``call()`` in a thread: (True, its value), or (False, None) past ``limit_s`` (plus
    ``grace_s`` after ``stop`` and ``abort`` were set at the limit, for a push to restore).
    The run's Ctrl-C (``stop`` / ``abort`` keys of ``run``) is passed on while it runs."""
    box: list[tuple[bool, object]] = []
    done = threading.Event()

    def go() -> None:
        try:
            box.append((True, call()))
        except BaseException as exc:  # noqa: BLE001 - handed back below
            box.append((False, exc))
        finally:
            done.set()

    for what, event in (("stop", stop), ("abort", abort)):  # Ctrl-C before it started
        if event is not None and _signalled(run, what):
            event.set()
    threading.Thread(target=go, name="lagprov-task", daemon=True).start()
    end = time.monotonic() + limit_s
    limited = False
    while not done.wait(POLL_S):
        if stop is not None and not stop.is_set() and _signalled(run, "stop"):
            stop.set()
        if abort is not None and not abort.is_set() and _signalled(run, "abort"):
            abort.set()
        if time.monotonic() < end:
            continue
        if limited or grace_s <= 0:
            return False, None
        limited = True
        end = time.monotonic() + grace_s
        for event in (stop, abort):
            if event is not None:
                event.set()
    ok, value = box[0]
    if not ok:
        assert isinstance(value, BaseException)
        raise value
    return (not limited), value  # type: ignore[return-value]


def timeout_error(what: str, limit_s: float) -> TransportTimeout:
    return TransportTimeout(f"{what}: the worker task's time limit of {limit_s:g} s passed "
                            "(LAGPROV_TASK_TIME_LIMIT)")


class RelayStore:
    """The run store a worker's journal writes to: each save goes to this task's attempt
    record, which the run copies into its own journal.  The device's configuration from
    before the run (``before``, from a lost earlier delivery) is kept."""

    def __init__(self, task_id: str, device: str, before: str | None) -> None:
        self.task_id, self.device, self.before = task_id, device, before

    def new_id(self, when: datetime) -> str:  # noqa: ARG002 - the run's id is given
        return self.task_id

    def save(self, record: RunRecord, *, changed: Collection[str] | None = None) -> None:  # noqa: ARG002
        entry = record.configs.get(self.device)
        if entry is None:
            return
        if self.before is not None:
            entry = entry.model_copy(update={"before": self.before})
        note(self.task_id, entry=entry.model_dump(mode="json"))

    def get(self, run_id: str) -> RunRecord:
        raise KeyError(run_id)

    def recent(self, limit: int | None = None) -> list[RunSummary]:  # noqa: ARG002
        return []

    def delete(self, run_id: str) -> None:
        """Nothing to forget here (the run keeps its own journal)."""


@contextmanager
def task_lock(task_id: str, wait_s: float) -> Iterator[bool]:
    """Held while this delivery runs (renewed; it expires when its worker dies)."""
    lock = client().lock(lock_key(task_id), timeout=LOCK_TTL_S, blocking_timeout=wait_s,
                          thread_local=False)
    if not lock.acquire():
        yield False
        return
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(LOCK_TTL_S / 4):
            try:
                lock.extend(LOCK_TTL_S, replace_ttl=True)
            except Exception:  # noqa: BLE001 - lost: the next delivery may take over
                return

    threading.Thread(target=renew, name="lagprov-task-lock", daemon=True).start()
    try:
        yield True
    finally:
        stop.set()
        with contextlib.suppress(Exception):  # expired meanwhile: nothing to release
            lock.release()


def merge_deliveries(before: str | None, earlier: Pushed | None, now: Pushed) -> Pushed:
    """The result of a delivery given what earlier ones did: ``earlier`` a finished one
    (this is a duplicate), ``before`` the device's configuration before the run as a lost one
    found it (None: no earlier delivery got as far as pushing)."""
    o = now.outcome
    if earlier is not None:
        again = (f"delivered again: re-planned on the device, "
                 f"{'no change' if o.status is OutcomeStatus.NOOP else o.status.value}")
        if o.status is OutcomeStatus.NOOP:
            e = earlier.outcome
            return Pushed(e.model_copy(update={"messages": (*e.messages, again)}),
                          earlier.before, earlier.after)
        return Pushed(o.model_copy(update={"messages": (*o.messages, again)}),
                      earlier.before or now.before, now.after)
    if before is None:
        return now
    note = ("an earlier delivery of this task was lost while pushing (its worker died); this "
            "one re-planned from the device")
    update: dict[str, Any] = {"messages": (*o.messages, note)}
    if o.status is OutcomeStatus.NOOP and before.strip() != (now.before or "").strip():
        update["status"] = OutcomeStatus.APPLIED  # the lost delivery had finished the change
    return Pushed(o.model_copy(update=update), before, now.after or now.before)
