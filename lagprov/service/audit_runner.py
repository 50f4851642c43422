"""The service's audits: one at a time, on its schedule or on request, through the same
``audit_run`` as the CLI's ``audit`` (so both write the same history).

* A request (``POST /audits``) is queued and runs after the audit in progress; a second
  request while one is still queued gets that one (it will audit the state of then).
* A scheduled tick that finds an audit running or queued is recorded as ``skipped``, naming
  the audit it would have overlapped: the schedule never stacks audits on the switches.
* One worker thread runs the jobs: it records the progress (devices read / total), the
  result, and the webhook deliveries for the failures that appeared or were resolved, each
  finding judged against its last known status in the history
  (:mod:`lagprov.runs.history.last_known`: an audit where its device was unreachable says
  nothing, so fail -> unverifiable -> fail is not new again, fail -> unverifiable -> pass is
  resolved).  An
  audit that cannot run (inventory, credentials, database) is ``failed`` with the reason;
  the worker goes on with the next.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from lagprov.errors import InputErrors, LagprovError
from lagprov.model.inventory import Inventory
from lagprov.report import RunReport
from lagprov.runs import Progress, collection_plan
from lagprov.runs.audit import (
    AuditDelta,
    AuditRecord,
    AuditStore,
    audit_run,
    default_audit_store,
    state_dir_default,
)
from lagprov.runs.history.jobs import (
    AuditJobInfo,
    Delivery,
    JobStore,
    audit_result,
    job_store,
    new_job_id,
)
from lagprov.runs.history.last_known import failure_changes, last_known, wanted_keys
from lagprov.runs.history.repo import DbAuditStore
from lagprov.service.webhooks import WebhookConfig, build_message, deliver

log = logging.getLogger("lagprov.service")

# (inventory, progress, store) -> the audit's report and delta; the default is audit_run.
AuditFn = Callable[[Inventory, Progress, AuditStore], tuple[RunReport, AuditDelta]]
MAX_REASON = 2000  # characters of a failure's reason kept with the job


class _Named:
    """The audit store, remembering the name the audit was saved under."""

    def __init__(self, inner: AuditStore) -> None:
        self.inner = inner
        self.name: str | None = None

    def save(self, record: AuditRecord, when: datetime) -> str:
        self.name = self.inner.save(record, when)
        return self.name

    def latest(self) -> AuditRecord | None:
        return self.inner.latest()

    def get(self, name: str) -> AuditRecord:
        return self.inner.get(name)

    def names(self, limit: int | None = None) -> list[str]:
        return self.inner.names(limit)


def _now() -> datetime:
    return datetime.now(UTC)


class AuditRunner:
    """Runs audits of the inventory ``load()`` returns (see the module's rules)."""

    def __init__(self, load: Callable[[], Inventory], *, history_dir: Path | None = None,
                 reports_dir: Path | None = None, workers: int = 20,
                 webhooks: WebhookConfig | None = None, audit: AuditFn | None = None,
                 clock: Callable[[], datetime] = _now) -> None:
        self._load = load
        self._history_dir = history_dir
        self._reports_dir = reports_dir
        self._workers = workers
        self.webhooks = webhooks or WebhookConfig()
        self._audit = audit or self._default_audit
        self._clock = clock
        self._lock = threading.Condition()
        self._queue: deque[str] = deque()
        self._current: tuple[str, datetime] | None = None  # running job, started
        self._thread: threading.Thread | None = None
        self._stopping = False

    # --- the stores (opened on first use: building the app touches no database) ---------

    @property
    def state_dir(self) -> Path:
        """The state folder whose history the audits write."""
        return self._history_dir or state_dir_default()

    @property
    def jobs(self) -> JobStore:
        """The job table of the history database (its engine is opened once per process)."""
        return job_store(self.state_dir)

    def audit_store(self) -> AuditStore:
        """The audit history (the CLI's default store of the same state folder)."""
        return default_audit_store(self.state_dir)

    def _default_audit(self, inv: Inventory, progress: Progress, store: AuditStore
                       ) -> tuple[RunReport, AuditDelta]:
        return audit_run(inv, state_dir=self.state_dir, reports_dir=self._reports_dir,
                         workers=self._workers, progress=progress, store=store)

    # --- asking for audits ---------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while an audit runs or waits to run."""
        with self._lock:
            return self._current is not None or bool(self._queue)

    def submit(self, by: str | None = None) -> AuditJobInfo:
        """Queue an audit on request (the one already queued, if there is one)."""
        with self._lock:
            if self._queue:
                return self.jobs.get(self._queue[-1])
            job = self.jobs.create(new_job_id(self._clock()), "request", "queued",
                                   self._clock(), by=by)
            self._enqueue(job.id)
            return job

    def tick(self) -> AuditJobInfo:
        """A scheduled audit: queued, or recorded as skipped when one runs or waits."""
        with self._lock:
            when = self._clock()
            if self._current is not None or self._queue:
                if self._current is not None:
                    other, since = self._current
                    why = (f"the previous audit {other} (started "
                           f"{since.isoformat(timespec='seconds')}) was still running")
                else:
                    why = f"the audit {self._queue[0]} was still waiting to run"
                job = self.jobs.create(new_job_id(when), "schedule", "skipped", when,
                                       reason=why)
                log.warning("scheduled audit %s skipped: %s", job.id, why)
                return job
            job = self.jobs.create(new_job_id(when), "schedule", "queued", when)
            self._enqueue(job.id)
            return job

    def _enqueue(self, job_id: str) -> None:
        self._queue.append(job_id)
        self.start()
        self._lock.notify_all()

    # --- the worker ----------------------------------------------------------------------

    def start(self) -> None:
        """Start the worker thread (once; :meth:`submit` and :meth:`tick` start it too)."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stopping = False
            self._thread = threading.Thread(target=self._work, name="lagprov-audits",
                                            daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the audit in progress (waiting up to ``timeout`` for it); queued
        audits are marked failed, and so is one still running after the wait."""
        with self._lock:
            self._stopping = True
            queued, self._queue = list(self._queue), deque()
            self._lock.notify_all()
            thread = self._thread
        for job_id in queued:
            self._fail(job_id, "the service stopped before the audit ran")
        if thread is not None:
            thread.join(timeout)
            with self._lock:
                current = self._current
            if thread.is_alive() and current is not None:
                self._fail(current[0], "the service stopped during the audit")

    def _work(self) -> None:
        while True:
            with self._lock:
                while not self._queue and not self._stopping:
                    self._lock.wait()
                if self._stopping:
                    return
                job_id = self._queue.popleft()
                started = self._clock()
                self._current = (job_id, started)
            try:
                self._run(job_id, started)
            except Exception:  # the worker outlives any one audit
                log.exception("audit job %s: internal error", job_id)
            finally:
                with self._lock:
                    self._current = None

    def _fail(self, job_id: str, reason: str) -> None:
        log.error("audit job %s failed: %s", job_id, reason.splitlines()[0] if reason else "")
        try:
            self.jobs.update(job_id, state="failed", finished=self._clock(),
                             reason=reason[:MAX_REASON])
        except LagprovError as exc:
            log.error("audit job %s: cannot record the failure: %s", job_id, exc)

    def _progress(self, job_id: str) -> Progress:
        lock = threading.Lock()
        done = 0

        def seen(_device: str) -> None:
            nonlocal done
            with lock:
                done += 1
                try:
                    self.jobs.update(job_id, devices_done=done)
                except LagprovError as exc:  # progress is best effort; the audit goes on
                    log.warning("audit job %s: progress not recorded: %s", job_id, exc)

        return seen

    def _run(self, job_id: str, started: datetime) -> None:
        try:
            self.jobs.update(job_id, state="running", started=started)
            inv = self._load()
            self.jobs.update(job_id, devices_total=collection_plan(inv, None).device_count)
            store = _Named(self.audit_store())
            report, delta = self._audit(inv, self._progress(job_id), store)
            delta = self.since_known(store.inner, store.name, report, delta)
        except InputErrors as exc:
            self._fail(job_id, f"the inventory cannot be loaded: {exc}")
            return
        except LagprovError as exc:
            self._fail(job_id, str(exc))
            return
        except Exception as exc:
            log.exception("audit job %s: internal error", job_id)
            self._fail(job_id, f"internal error ({type(exc).__name__}); see the service log")
            return
        self.jobs.update(job_id, audit=store.name, summary=audit_result(report, delta))
        sent = self.notify(job_id, store.name, report, delta)
        self.jobs.update(job_id, state="done", finished=self._clock(), notifications=sent)
        log.info("audit job %s done: audit %s, %d new failure(s), %d resolved", job_id,
                 store.name, len(delta.new_failures), len(delta.resolved_failures))

    @staticmethod
    def since_known(store: AuditStore, name: str | None, report: RunReport,
                    delta: AuditDelta) -> AuditDelta:
        """``delta`` with its new and resolved failures judged against each finding's last
        known status in the history before audit ``name`` (None: not stored); a store that is
        not the history database keeps the comparison with the previous audit only."""
        if not isinstance(store, DbAuditStore):
            return delta
        known = last_known(store, wanted_keys(report), before=name)
        new, resolved = failure_changes(known, report)
        return delta.model_copy(update={"new_failures": new, "resolved_failures": resolved})

    def notify(self, job_id: str, audit: str | None, report: RunReport, delta: AuditDelta
               ) -> tuple[Delivery, ...]:
        """Send the webhook message of one audit (none when nothing appeared or resolved)."""
        message = build_message(job=job_id, audit=audit, report=report, delta=delta)
        if message is None or not self.webhooks.urls:
            return ()
        try:
            return deliver(self.webhooks, message)
        except Exception as exc:  # a receiver never fails the audit
            log.exception("audit job %s: webhooks not sent", job_id)
            return (Delivery(target="(all)", delivery="-", ok=False, attempts=0,
                             error=f"internal error ({type(exc).__name__})"),)
