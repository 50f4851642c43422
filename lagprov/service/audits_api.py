"""The audit routes of the service: ``POST /audits``, ``GET /audits``, ``GET /audits/{id}``
and ``GET /metrics`` (all ``read``: the issue puts audits with verification), and the
schedule (``serve --audit-every``), started and stopped with the application.

``POST /audits`` answers 202 with the job (``Location: /audits/{id}``); the job then shows
``queued`` -> ``running`` (``devices_done`` of ``devices_total``) -> ``done`` with its
``summary`` (trunks by status, counts, device errors, new and resolved failures) and the
webhook deliveries, or ``failed`` with the reason; a scheduled audit that would have
overlapped the previous one is ``skipped``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Response
from fastapi.responses import PlainTextResponse

from lagprov.model.inventory import Inventory
from lagprov.runs.history.jobs import AuditJobInfo, UnknownJob
from lagprov.service.audit_runner import AuditFn, AuditRunner
from lagprov.service.auth import Role
from lagprov.service.guard import Caller, require
from lagprov.service.metrics import CONTENT_TYPE, audit_families, exposition, job_families
from lagprov.service.schedule import Schedule, Ticker
from lagprov.service.scrub import ScrubbedJSONResponse
from lagprov.service.webhooks import WebhookConfig

READ = Depends(require(Role.READ))
MAX_LIST = 200


def audits_router(runner: AuditRunner) -> APIRouter:
    """The routes over ``runner``."""
    router = APIRouter(default_response_class=ScrubbedJSONResponse, tags=["audits"])

    @router.post("/audits", status_code=202)
    def start_audit(response: Response, caller: Caller = READ) -> AuditJobInfo:
        """Start an audit of the whole inventory now (queued behind one that is running)."""
        job = runner.submit(by=caller.name)
        response.headers["Location"] = f"/audits/{job.id}"
        return job

    @router.get("/audits", dependencies=[READ])
    def list_audits(limit: int = Query(20, ge=1, le=MAX_LIST)) -> list[AuditJobInfo]:
        """The newest audit jobs (skipped ones included), newest first."""
        return runner.jobs.recent(limit)

    @router.get("/audits/{job_id}", dependencies=[READ])
    def audit_progress(job_id: str) -> AuditJobInfo:
        """One audit job: its state, progress and result."""
        try:
            return runner.jobs.get(job_id)
        except UnknownJob as exc:
            raise HTTPException(404, str(exc)) from None

    @router.get("/metrics", dependencies=[READ], response_class=PlainTextResponse)
    def metrics() -> PlainTextResponse:
        """Prometheus text format: trunks by status, the newest audit's time, duration and
        device errors, audits done / failed / skipped, failed webhook deliveries."""
        families = audit_families(runner.audit_store().latest())
        families += job_families(runner.jobs.counts(), runner.jobs.failed_deliveries(),
                                 runner.busy)
        return PlainTextResponse(exposition(families), media_type=CONTENT_TYPE)

    return router


def _chain_lifespan(app: FastAPI, start: Callable[[], None], stop: Callable[[], None]) -> None:
    """Run ``start`` when the application starts and ``stop`` when it stops, around any
    lifespan it already has."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        start()
        try:
            async with inner(application) as state:
                yield state
        finally:
            stop()

    app.router.lifespan_context = lifespan


def install_audits(app: FastAPI, load: Callable[[], Inventory], *,
                   schedule: Schedule | None = None, history_dir: Path | None = None,
                   reports_dir: Path | None = None, workers: int = 20,
                   webhooks: WebhookConfig | None = None,
                   audit: AuditFn | None = None) -> AuditRunner:
    """Add the audit routes to ``app`` and, with ``schedule``, audit on it while the app runs.

    ``history_dir`` is the state folder the audits write (default ``$LAGPROV_STATE``, as
    the CLI's ``audit``); ``webhooks`` default to the environment's
    (:meth:`WebhookConfig.from_env`, a ConfigError naming the variable); ``audit`` replaces
    ``audit_run`` (tests).  ``app.state.audits`` is the runner, ``app.state.audit_ticker``
    the schedule's ticker (None without one): :meth:`Ticker.fire` ticks at once.
    """
    runner = AuditRunner(load, history_dir=history_dir, reports_dir=reports_dir,
                         workers=workers, webhooks=webhooks or WebhookConfig.from_env(),
                         audit=audit)
    ticker = Ticker(schedule, runner.tick) if schedule is not None else None
    app.state.audits = runner
    app.state.audit_ticker = ticker
    app.include_router(audits_router(runner))

    def start() -> None:
        if ticker is not None:
            runner.start()
            ticker.start()

    def stop() -> None:
        if ticker is not None:
            ticker.stop()
        runner.stop()

    _chain_lifespan(app, start, stop)
    return runner
