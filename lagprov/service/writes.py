"""What a write over HTTP leaves behind: the token's name in the log and in the run store.

:class:`AttributedStore` wraps the run store for one request: every run *that request starts*
is saved with ``by`` = the token's name (a run it only marks restored keeps its own ``by``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any

from fastapi import FastAPI, HTTPException

from lagprov.errors import InputError, InputErrors
from lagprov.model.inventory import Inventory
from lagprov.runs import RunSummary, UnknownFilter, UnknownRun, default_store, rollback_run
from lagprov.runs.store import RunRecord, RunStore
from lagprov.service.guard import Caller
from lagprov.service.models import ProvisionResponse, RollbackRequest

log = logging.getLogger("lagprov.service")


class AttributedStore:
    """The default run store, with the runs started through it attributed to ``by``."""

    def __init__(self, by: str, inner: RunStore | None = None) -> None:
        self.by = by
        self.inner: RunStore = inner if inner is not None else default_store()
        self._mine: set[str] = set()

    def new_id(self, when: datetime) -> str:
        """A fresh id, remembered as one of this request's runs."""
        run_id = self.inner.new_id(when)
        self._mine.add(run_id)
        return run_id

    def save(self, record: RunRecord, *, changed: Collection[str] | None = None) -> None:
        """Save ``record``, with ``by`` set when this request started it."""
        if record.id in self._mine:
            record = record.model_copy(update={"by": self.by})
        self.inner.save(record, changed=changed)

    def get(self, run_id: str) -> RunRecord:
        """As the wrapped store."""
        return self.inner.get(run_id)

    def recent(self, limit: int | None = None) -> list[RunSummary]:
        """As the wrapped store."""
        return self.inner.recent(limit)

    def delete(self, run_id: str) -> None:
        """As the wrapped store."""
        self.inner.delete(run_id)


def log_write(by: str, what: str, run_id: str | None, devices: object) -> None:
    """One log line per write: who (the token's name, never the token), what, which run."""
    log.info("%s by token %r: run %s, devices %s", what, by, run_id or "(nothing sent)",
             devices)


def install_rollback_route(app: FastAPI, load: Callable[[], Inventory], lock: threading.Lock,
                           workers: int, write: Any) -> None:
    """``POST /rollback``: ``lagprov rollback RUN [--commit]`` over HTTP (a write token)."""

    @app.post("/rollback")
    def rollback(body: RollbackRequest, caller: Caller = write) -> ProvisionResponse:
        if body.commit and not lock.acquire(blocking=False):
            raise HTTPException(409, "another apply is running in this service; try again later")
        try:
            return _rollback(load(), body, caller, workers)
        finally:
            if body.commit:
                lock.release()


def _rollback(inv: Inventory, body: RollbackRequest, caller: Caller,
              workers: int) -> ProvisionResponse:
    from lagprov.cli.provision_view import provision_exit

    by = caller.name or "anonymous"
    try:
        report = rollback_run(inv, body.run_id, trunks=list(body.trunks) or None,
                              commit=body.commit, force=body.force, workers=workers,
                              store=AttributedStore(by))
    except UnknownRun as exc:
        raise HTTPException(404, str(exc)) from None
    except UnknownFilter as exc:
        raise InputErrors([InputError("body.trunks", str(exc))]) from None
    if body.commit:
        log_write(by, f"rollback of {body.run_id} --commit", report.run_id,
                  [o.device for o in report.outcomes])
    return ProvisionResponse(**dict(report), exit_status=int(provision_exit(report)))
