"""Following a run's sent tasks: their results and attempt records read in one round trip
per poll, the workers holding them pinged, the tasks of a lost worker sent again (same id),
and the deadlines (a task's time limit with its grace, the wait for a worker)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lagprov.runs.workers.app import CONTROL_LOCK, attempt_key
from lagprov.runs.workers.wire import Payload

RESENDS = 2  # a task whose worker was lost is sent again at most this often
PING_EVERY_S = 2.0
MISSED_PINGS = 3  # unanswered pings in a row before a worker counts as lost
PING_TIMEOUT_S = 2.0  # a busy worker answers late: not lost for that


@dataclass
class Sent:
    """One device's task as the run follows it."""

    device: str
    name: str
    payload: Payload
    queue: str
    task_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    sent_at: float = 0.0
    resends: int = 0
    worker: str | None = None
    started: float | None = None  # when the run saw a delivery start (the run's clock)
    seen: int = 0  # the deliveries counted before the last send: newer ones are its
    last: int = 0  # the newest delivery seen
    lost: set[str] = field(default_factory=set)
    entry: dict[str, Any] | None = None


@dataclass(frozen=True)
class Failure:
    """A device whose task did not come back: why."""

    kind: str  # timeout | lost | queue | error
    message: str
    entry: Mapping[str, Any] | None = None


Outcome = dict[str, Any] | Failure


Send = Callable[[Sent, float, int], None]  # send (again): the task, its limit, deliveries seen


class Watch:
    """Reads the results and attempt records of the pending tasks (one round trip per
    poll), pings the workers that hold them, and sends again the tasks of a lost one."""

    def __init__(self, app: Any, send: Send, *, limit: float, wait: float) -> None:
        self.app, self.send = app, send
        self.backend = app.backend
        self.limit, self.wait = limit, wait
        self.grace = limit + max(30.0, limit / 2) + 30.0  # the worker's own limit, and more
        self.missed: dict[str, int] = {}
        self.pinged = time.monotonic()

    def poll(self, pending: Mapping[str, Sent],
             relay: Callable[[Sent, dict[str, Any]], None] | None
             ) -> list[tuple[Sent, Outcome]]:
        ids = list(pending)
        keys = [self.backend.get_key_for_task(i) for i in ids] + [attempt_key(i) for i in ids]
        values = self.backend.client.mget(keys)
        done: list[tuple[Sent, Outcome]] = []
        now = time.time()
        for i, meta_raw, attempt_raw in zip(ids, values[:len(ids)], values[len(ids):],
                                            strict=True):
            s = pending[i]
            if attempt_raw is not None:
                self._attempt(s, json.loads(attempt_raw), relay)
            if meta_raw is not None:
                meta = self.backend.decode_result(meta_raw)
                if meta.get("status") == "SUCCESS":
                    done.append((s, dict(meta["result"])))
                    continue
                if meta.get("status") in ("FAILURE", "REVOKED"):
                    done.append((s, Failure("error", f"the worker's task failed: "
                                             f"{meta.get('result')}", s.entry)))
                    continue
            if s.started is not None and now > s.started + self.grace:
                done.append((s, Failure("timeout", f"{s.device}: no result from worker "
                                         f"{s.worker} within {self.grace:g} s of its start "
                                         "(LAGPROV_TASK_TIME_LIMIT)", s.entry)))
            elif s.started is None and now > s.sent_at + self.wait:
                done.append((s, Failure("timeout", f"{s.device}: no worker of queue "
                                         f"{s.queue!r} took it within {self.wait:g} s "
                                         "(LAGPROV_QUEUE_WAIT)", s.entry)))
        if time.monotonic() - self.pinged >= PING_EVERY_S:
            finished = {s.task_id for s, _ in done}
            done += self._check_workers([s for i, s in pending.items() if i not in finished])
        return done

    def _attempt(self, s: Sent, attempt: Mapping[str, Any],
                 relay: Callable[[Sent, dict[str, Any]], None] | None) -> None:
        worker, delivery = attempt.get("worker"), int(attempt.get("delivery", 0))
        if worker and delivery > s.seen and s.worker is None:
            s.worker, s.started = str(worker), time.time()
            s.last = delivery
        entry = attempt.get("entry")
        if entry is not None and entry != s.entry:
            s.entry = dict(entry)
            if relay is not None:
                relay(s, s.entry)

    def _check_workers(self, pending: Sequence[Sent]) -> list[tuple[Sent, Outcome]]:
        self.pinged = time.monotonic()
        holders = sorted({s.worker for s in pending if s.worker is not None})
        if not holders:
            return []
        with CONTROL_LOCK:
            replies = self.app.control.ping(destination=holders, timeout=PING_TIMEOUT_S) or []
        alive = {name for reply in replies for name in reply}
        lost = set()
        for w in holders:
            self.missed[w] = 0 if w in alive else self.missed.get(w, 0) + 1
            if self.missed[w] >= MISSED_PINGS:
                lost.add(w)
        out: list[tuple[Sent, Outcome]] = []
        for s in pending:
            orphaned = s.worker in lost or (bool(lost) and s.started is None)
            if not orphaned:
                continue
            if s.worker is not None:
                s.lost.add(s.worker)
            if s.resends >= RESENDS and s.worker in lost:
                out.append((s, Failure("lost", f"{s.device}: worker {s.worker} was lost "
                                        f"while it held the task (sent {s.resends + 1} "
                                        "times)", s.entry)))
                continue
            if s.worker in lost:
                s.resends += 1
            # same id: the next delivery finds what the lost one left (its attempt record)
            self.send(s, self.limit, s.last)
        return out
