"""The run's side of ``--executor celery``: send one task per device to its site's queue,
gather the results, and handle what a fleet does to a task queue.

* The broker is pinged first: unreachable, :class:`.app.BrokerUnavailable` (nothing sent).
* A device whose queue no worker listens on fails alone, at once, saying so.
* A worker that stops answering while it holds tasks is lost: its tasks are sent again (to
  the same queue, same task id: a delivery after a lost one re-plans from the device), up
  to :data:`.watch.RESENDS` times; then the device is reported as failed, and an apply that was
  pushing stays in the run's journal as unfinished (``lagprov runs`` / ``rollback``).
* A task past its time limit (plus its grace) is a timeout for its device alone; one no
  worker took within ``$LAGPROV_QUEUE_WAIT`` likewise.
* Ctrl-C reaches the workers (``stop``: no new commit; again, ``abort``: pushes stop before
  their next line and are restored), through the broker.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import redis
from kombu.exceptions import OperationalError

from lagprov.edge.nornir_glue import Credentials, TransportChoice
from lagprov.errors import LagprovError, TransportTimeout
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import DeviceOutcome, OutcomeStatus
from lagprov.model.state import DeviceLagState
from lagprov.observe.collect import DeviceCapture, HostJob, SwitchJob, device_error
from lagprov.report import DeviceError
from lagprov.runs.executor import (
    BrokerUnavailable,
    JournalStart,
    ProvisionJob,
    RestoreJob,
    SwitchReads,
)
from lagprov.runs.provision_tasks import Pushed
from lagprov.runs.read_tasks import Progress
from lagprov.runs.store import DeviceConfigs, RunJournal
from lagprov.runs.workers.app import (
    CONTROL_LOCK,
    RESULT_TTL_S,
    TASK_APPLY,
    TASK_PLAN,
    TASK_READ_HOST,
    TASK_READ_SWITCH,
    TASK_RESTORE,
    broker_url,
    check_broker,
    configured,
    queue_of,
    queue_wait,
    redacted,
    signal_key,
    task_limit,
)
from lagprov.runs.workers.watch import Failure, Outcome, Sent, Watch
from lagprov.runs.workers.wire import (
    Payload,
    choice_payload,
    inventory_ref,
    pushed_from,
)

POLL_S = 0.1
QUEUES_TTL_S = 30.0  # which workers listen on which queue: asked again after this long
BROKER_ERRORS: tuple[type[BaseException], ...] = (OSError, redis.RedisError, OperationalError)


class WorkerLost(LagprovError):
    """The worker running a device's task died (or stopped answering) too often."""


class CeleryExecutor:
    """Per-device stages on ``lagprov worker`` processes (the broker: ``url``)."""

    name = "celery"
    local = False

    def __init__(self, url: str) -> None:
        self.url = url
        self.app = configured(url)
        self._queues: dict[str, set[str]] | None = None
        self._asked = 0.0
        self._lock = threading.Lock()
        self._refs: dict[int, tuple[Inventory, Payload]] = {}

    @classmethod
    def from_env(cls) -> CeleryExecutor:
        """The executor of ``$LAGPROV_BROKER_URL`` (ConfigError when unset)."""
        return cls(broker_url())

    # --- the stages ----------------------------------------------------------------------

    def read_switches(self, inv: Inventory, jobs: Sequence[SwitchJob], *, workers: int,  # noqa: ARG002
                      creds: Credentials | None, choice: TransportChoice,  # noqa: ARG002
                      progress: Progress | None = None) -> SwitchReads:
        """Collect and parse every switch of ``jobs`` on the workers."""
        if not jobs:
            return SwitchReads({})
        sent = [self._task(TASK_READ_SWITCH, j.device, inv.switch(j.device).queue, inv,
                           {"job": j.model_dump(mode="json"), "choice": choice_payload(choice)})
                for j in jobs]
        got = self._run(sent, progress=progress)
        captures: dict[str, DeviceCapture] = {}
        states: dict[str, tuple[DeviceLagState | None, DeviceError | None]] = {}
        for s in sent:
            out = got[s.device]
            if isinstance(out, Failure):
                captures[s.device] = _capture_failure(s.device, out)
                continue
            captures[s.device] = DeviceCapture.model_validate(out["capture"])
            if captures[s.device].error is None and "state" in out:
                state, err = out.get("state"), out.get("parse_error")
                states[s.device] = (
                    DeviceLagState.model_validate(state) if state is not None else None,
                    DeviceError.model_validate(err) if err is not None else None)
        return SwitchReads(captures, states)

    def read_hosts(self, inv: Inventory, jobs: Sequence[HostJob], *, workers: int,  # noqa: ARG002
                   creds: Credentials | None, choice: TransportChoice,  # noqa: ARG002
                   progress: Progress | None = None) -> dict[str, DeviceCapture]:
        """Collect every live host of ``jobs`` on the workers."""
        live = [j for j in jobs if j.live]
        if not live:
            return {}
        sent = [self._task(TASK_READ_HOST, j.device, inv.host(j.device).queue, inv,
                           {"job": j.model_dump(mode="json"), "choice": choice_payload(choice)})
                for j in live]
        got = self._run(sent, progress=progress)
        return {s.device: (_capture_failure(s.device, out) if isinstance(out, Failure)
                           else DeviceCapture.model_validate(out["capture"])) for s in sent
                for out in (got[s.device],)}

    def provision(self, inv: Inventory, names: Sequence[str], job: ProvisionJob, *,
                  workers: int, creds: Credentials | None,  # noqa: ARG002
                  start: JournalStart) -> tuple[dict[str, Pushed], RunJournal | None]:
        """Plan (apply) every device of ``names`` on the workers; their journals relayed."""
        self._ready()
        journal, _ = start()
        run = journal.record.id if journal is not None else str(uuid.uuid4())
        sent = [self.device_task(inv, d, job, journal=journal, run=run) for d in names]

        def relay(s: Sent, entry: dict[str, Any]) -> None:
            if journal is not None:
                journal.pushing(s.device, DeviceConfigs.model_validate(entry))

        got = self._run(sent, relay=relay, run=run, stop=job.stop, abort=job.abort)
        out: dict[str, Pushed] = {}
        for s in sent:
            res = got[s.device]
            pushed = (_pushed_failure(inv, s.device, res, journal) if isinstance(res, Failure)
                      else pushed_from(res))
            o = pushed.outcome.model_copy(update={"platform": inv.switch(s.device).platform})
            out[s.device] = Pushed(o, pushed.before, pushed.after)
        return out, journal

    def restore(self, inv: Inventory, names: Sequence[str], job: RestoreJob, *,
                workers: int, creds: Credentials | None) -> dict[str, Pushed]:  # noqa: ARG002
        """Plan (push) the restore of every device of ``names`` on the workers."""
        record = job.record.model_dump(mode="json")
        sent = [self._task(TASK_RESTORE, d, inv.switch(d).queue, inv,
                           {"device": d, "record": record, "trunks": list(job.trunks),
                            "commit": job.commit, "force": job.force,
                            "choice": choice_payload(job.choice)}) for d in names]
        got = self._run(sent)
        return {s.device: (_pushed_failure(inv, s.device, r, None) if isinstance(r, Failure)
                           else pushed_from(r)) for s in sent for r in (got[s.device],)}

    # --- sending and gathering -----------------------------------------------------------

    def device_task(self, inv: Inventory, device: str, job: ProvisionJob, *,
                    journal: RunJournal | None = None, run: str | None = None) -> Sent:
        """The plan/apply task of one device (its name, queue and payload)."""
        return self._task(TASK_APPLY if job.commit else TASK_PLAN, device,
                          inv.switch(device).queue, inv, {
                              "device": device, "commit": job.commit, "force": job.force,
                              "device_diff": job.device_diff,
                              "trunks": sorted(job.scope.get(device, ())),
                              "replace": list(job.replace),
                              "choice": choice_payload(job.choice),
                              "journal": journal.record.id if journal else None, "run": run})

    def _task(self, name: str, device: str, site: str | None, inv: Inventory,
              payload: Payload) -> Sent:
        with self._lock:  # one fingerprint per run's inventory, not one per device
            if id(inv) not in self._refs or self._refs[id(inv)][0] is not inv:
                self._refs[id(inv)] = (inv, inventory_ref(inv))
            ref = self._refs[id(inv)][1]
        payload = {**payload, "inventory": ref, "limit_s": task_limit()}
        payload.setdefault("run", None)
        return Sent(device=device, name=name, payload=payload, queue=queue_of(site))

    def _ready(self) -> None:
        check_broker(self.url)

    def consumed_queues(self) -> dict[str, set[str]]:
        """Queue -> the workers listening on it (asked at most every 30 s)."""
        with self._lock:
            if self._queues is None or time.monotonic() - self._asked > QUEUES_TTL_S:
                self._ready()
                self._asked = time.monotonic()
                with CONTROL_LOCK:
                    replies = self.app.control.inspect(timeout=1.0).active_queues() or {}
                queues: dict[str, set[str]] = {}
                for worker, listening in replies.items():
                    for q in listening or ():
                        queues.setdefault(str(q["name"]), set()).add(str(worker))
                self._queues = queues
            return self._queues

    def _resend(self, s: Sent, limit: float, seen: int) -> None:
        self._send(s, limit, seen=seen)

    def _send(self, s: Sent, limit: float, *, seen: int = 0) -> None:
        s.sent_at, s.worker, s.started, s.seen = time.time(), None, None, seen
        self.app.send_task(s.name, args=[s.payload], task_id=s.task_id, queue=s.queue,
                           expires=queue_wait() + 3 * limit)

    def _run(self, sent: list[Sent], *, progress: Progress | None = None,
             relay: Callable[[Sent, dict[str, Any]], None] | None = None,
             run: str | None = None, stop: threading.Event | None = None,
             abort: threading.Event | None = None) -> dict[str, Outcome]:
        queues = self.consumed_queues()
        out: dict[str, Outcome] = {}
        limit, wait = task_limit(), queue_wait()
        for s in sent:
            if s.queue in queues:
                self._send(s, limit)
                continue
            known = ", ".join(sorted(queues)) or "none: no worker answered"
            out[s.device] = Failure("queue", f"no worker listens on queue {s.queue!r} "
                                     f"(queues with workers: {known}); start 'lagprov worker "
                                     f"--queue {s.queue}' where {s.device} is reachable")
            if progress is not None:
                progress(s.device)
        pending = {s.task_id: s for s in sent if s.device not in out}
        watch = Watch(self.app, self._resend, limit=limit, wait=wait)
        signalled: set[str] = set()
        try:
            while pending:
                for what, event in (("stop", stop), ("abort", abort)):
                    if run and event is not None and event.is_set() and what not in signalled:
                        self.app.backend.client.set(signal_key(run, what), "1", ex=RESULT_TTL_S)
                        signalled.add(what)
                for s, result in watch.poll(pending, relay):
                    out[s.device] = result
                    del pending[s.task_id]
                    if progress is not None:
                        progress(s.device)
                if pending:
                    time.sleep(POLL_S)
        except BROKER_ERRORS as exc:
            raise BrokerUnavailable(f"the broker {redacted(self.url)} went away during the run "
                                    f"({type(exc).__name__}: {exc}); {len(pending)} device(s) "
                                    "did not report back") from None
        finally:
            ids = [s.task_id for s in sent]
            if ids:  # a late copy of a task (its worker came back) is dropped by the workers
                with contextlib.suppress(Exception), CONTROL_LOCK:
                    self.app.control.revoke(ids)
        return out


def _capture_failure(device: str, f: Failure) -> DeviceCapture:
    exc: LagprovError = (TransportTimeout(f.message) if f.kind == "timeout"
                         else WorkerLost(f.message))
    return DeviceCapture(device=device, error=device_error(device, "collect", exc))


def _pushed_failure(inv: Inventory, device: str, f: Failure,
                    journal: RunJournal | None) -> Pushed:
    message = f.message
    if f.entry is not None and journal is not None:  # it was pushing: the journal says what
        entry = DeviceConfigs.model_validate(f.entry)
        journal.pushing(device, entry)
        message += (f"; it was pushing ({len(entry.sent)} of {len(entry.planned)} lines "
                    f"confirmed): 'lagprov rollback {journal.record.id} --commit' restores "
                    f"{device} as it was before the run")
    return Pushed(DeviceOutcome(device=device, platform=inv.switch(device).platform,
                                status=OutcomeStatus.FAILED,
                                error_kind="worker-lost" if f.kind == "lost" else f.kind,
                                error=message))
