"""``create_app``: the FastAPI application over the workflow functions.

Every handler is a plain ``def`` (FastAPI runs it in its thread pool, so blocking Nornir runs
never stall the event loop) and reloads the inventory, so edits to the folder are seen.  Bad
input is a 400/422 naming file and field, as the CLI prints it; device failures are data in a
200 report with an ``exit_status`` field; a bug is a short 500 message, never a traceback.
Who may call what is :mod:`lagprov.service.guard` (``READ`` / ``WRITE`` / ``SIGNED`` below: a
new route that reveals state takes ``READ``); body size and time limits are
:mod:`lagprov.service.limits`.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from lagprov.errors import (
    ConfigError,
    InputError,
    InputErrors,
    InternalError,
    LagprovError,
    TemplateError,
)
from lagprov.errors import UnsupportedFeature as UnsupportedFeatureError
from lagprov.intent.load import load_inventory
from lagprov.model.intent import TrunkIntent
from lagprov.model.inventory import Inventory
from lagprov.runs import DEFAULT_WORKERS, ProvisionReport, provision_run
from lagprov.service.audits_api import install_audits
from lagprov.service.auth import Role, TokenSet
from lagprov.service.guard import Caller, may_post_reports, require, signed
from lagprov.service.limits import (
    DEFAULT_MAX_BODY,
    DEFAULT_REQUEST_TIMEOUT,
    ENV_MAX_BODY,
    ENV_REQUEST_TIMEOUT,
    RequestLimits,
    env_number,
)
from lagprov.service.models import (
    ApplyRequest,
    ErrorBody,
    Health,
    PlanRequest,
    ProvisionResponse,
    ReadyRequest,
    RenderedOut,
    RenderRequest,
    RenderResponse,
    ValidateResponse,
    VerifyRequest,
    VerifyResponse,
)
from lagprov.service.pages import install_pages
from lagprov.service.schedule import Schedule
from lagprov.service.scrub import ScrubbedJSONResponse
from lagprov.service.signing import ReplayGuard
from lagprov.service.verdict import TrunkVerdict, VerdictStore, digest_ok, service_key, sign
from lagprov.service.verifying import VerifyFn, find_verifier, run_ready, run_verify
from lagprov.service.writes import AttributedStore, install_rollback_route, log_write

log = logging.getLogger("lagprov.service")

_ERRORS: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorBody, "description": "bad input (file and field named)"},
    401: {"model": ErrorBody, "description": "no valid token, or an unsigned handshake"},
    403: {"model": ErrorBody, "description": "the token's role does not allow this"},
    413: {"model": ErrorBody, "description": "request body over the size limit"},
    422: {"model": ErrorBody, "description": "malformed request body"},
}
READ = Depends(require(Role.READ))
WRITE = Depends(require(Role.WRITE))
SIGNED = Depends(signed)
MAX_ERRORS = 20  # problems listed in one error body
MAX_ECHO = 240  # characters of one problem: an error never echoes a huge input back


def _clip(text: str) -> str:
    return text if len(text) <= MAX_ECHO else f"{text[:MAX_ECHO]}... ({len(text)} characters)"


def default_state_dir() -> Path:
    """``$LAGPROV_STATE/service`` (``.lagprov/service`` when unset), as the locks use."""
    return Path(os.environ.get("LAGPROV_STATE", ".lagprov")) / "service"


class _Service:
    """What the handlers share: inventory folder, apply lock, verdicts, verifier."""

    def __init__(self, inventory_dir: Path, state_dir: Path, verifier: VerifyFn | None,
                 workers: int, reports_dir: Path | None) -> None:
        self.inventory_dir = inventory_dir
        self.reports_dir = reports_dir
        self.apply_lock = threading.Lock()
        self.verdicts = VerdictStore(state_dir / "verdicts")
        self.verifier = verifier
        self.workers = workers

    def load(self) -> Inventory:
        """The inventory as it is on disk now (InputErrors -> 400 by the handler below)."""
        return load_inventory(self.inventory_dir)


def _check_names(inv: Inventory, devices: Sequence[str], trunks: Sequence[str]) -> list[str]:
    """``devices`` + ``trunks`` as one filter, each checked against the inventory."""
    switches = {s.name for s in inv.switches}
    known = {t.name for t in inv.trunks}
    bad = [InputError(f"body.devices[{i}]", f"{n!r} is not a switch of {inv.root}")
           for i, n in enumerate(devices) if n not in switches]
    bad += [InputError(f"body.trunks[{i}]", f"{n!r} is not a trunk of {inv.root}")
            for i, n in enumerate(trunks) if n not in known]
    if bad:
        raise InputErrors(bad)
    return [*devices, *trunks]


def _provision(svc: _Service, body: PlanRequest, *, commit: bool,
               force: bool = False, by: str | None = None) -> ProvisionResponse:
    from lagprov.cli.provision_view import provision_exit

    inv = svc.load()
    names = _check_names(inv, body.devices, body.trunks)
    store = AttributedStore(by) if commit and by is not None else None
    report: ProvisionReport = provision_run(inv, commit=commit, devices=names or None,
                                            workers=svc.workers, force=force, store=store)
    if commit and by is not None:
        log_write(by, "apply --commit", report.run_id, names or "all")
    return ProvisionResponse(**dict(report), exit_status=int(provision_exit(report)))


def _install_error_handlers(app: FastAPI) -> None:
    def body(status: int, detail: str, errors: Sequence[str] = (),
             headers: Mapping[str, str] | None = None) -> JSONResponse:
        shown = [_clip(e) for e in errors[:MAX_ERRORS]]
        if len(errors) > MAX_ERRORS:
            shown.append(f"... and {len(errors) - MAX_ERRORS} more")
        content = ErrorBody(detail=_clip(detail), errors=tuple(shown)).model_dump(mode="json")
        return ScrubbedJSONResponse(content, status_code=status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return body(exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(InputErrors)
    def _input_errors(_: Request, exc: InputErrors) -> JSONResponse:
        return body(400, f"{len(exc.errors)} problem(s) in the input, nothing was sent",
                    [str(e) for e in exc.errors])

    @app.exception_handler(RequestValidationError)
    def _bad_body(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [".".join(str(p) for p in e.get("loc", ())) + f": {e.get('msg', 'invalid')}"
                  for e in exc.errors()]
        return body(422, "malformed request, nothing was sent", errors)

    @app.exception_handler(ConfigError)
    def _config(_: Request, exc: ConfigError) -> JSONResponse:
        return body(503, f"the service is not configured: {exc}")

    @app.exception_handler(LagprovError)
    def _lagprov(_: Request, exc: LagprovError) -> JSONResponse:
        if isinstance(exc, InternalError):
            return _bug(_, exc)
        return body(400, str(exc))

    @app.exception_handler(Exception)
    def _bug(_: Request, exc: Exception) -> JSONResponse:
        log.error("internal error", exc_info=exc)
        return body(500, f"internal error ({type(exc).__name__}); see the service log")


def create_app(inventory_dir: Path, *, state_dir: Path | None = None,
               verifier: VerifyFn | None = None, workers: int = DEFAULT_WORKERS,
               reports_dir: Path | None = None, tokens: TokenSet | None = None,
               max_body: int | None = None, request_timeout: float | None = None,
               audit_schedule: Schedule | None = None) -> FastAPI:
    """The lagprov HTTP service over the inventory folder ``inventory_dir``.

    Args:
        inventory_dir: inventory folder, reloaded on every request.
        state_dir: where the last handshake verdict per trunk is kept
            (default ``$LAGPROV_STATE/service``).
        verifier: the verification run to call (default: the verify workflow, when installed).
        workers: Nornir worker threads per run.
        reports_dir: host report files (``<dir>/<host>/<file>``) for hosts not read live.
        tokens: the bearer tokens (default: ``LAGPROV_TOKENS_FILE`` / ``LAGPROV_TOKENS``).
        max_body: largest request body in bytes (default ``LAGPROV_MAX_BODY`` or 1 MiB).
        request_timeout: seconds one read may take (default ``LAGPROV_REQUEST_TIMEOUT``
            or 300); commits are bounded by the device deadline instead.
        audit_schedule: audit on this schedule (``serve --audit-every``); audits write the
            history of ``state_dir``'s parent (default ``$LAGPROV_STATE``, as the CLI's).
    """
    svc = _Service(Path(inventory_dir), state_dir or default_state_dir(),
                   verifier or find_verifier(), workers, reports_dir)
    app = FastAPI(title="lagprov", version="0.1.0", default_response_class=ScrubbedJSONResponse,
                  responses=_ERRORS, docs_url=None, redoc_url=None)  # pages: local assets
    app.state.tokens = tokens if tokens is not None else TokenSet.from_env()
    app.state.replays = ReplayGuard()
    limit = max_body or int(env_number(ENV_MAX_BODY, DEFAULT_MAX_BODY, minimum=1))
    timeout = request_timeout or env_number(ENV_REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
                                            minimum=0.01)
    app.add_middleware(RequestLimits, max_body=limit, timeout=timeout)
    _install_error_handlers(app)
    _install_offline_routes(app, svc)
    _install_device_routes(app, svc)
    install_rollback_route(app, svc.load, svc.apply_lock, svc.workers, WRITE)
    _install_handshake_routes(app, svc)
    install_audits(app, svc.load, schedule=audit_schedule, reports_dir=svc.reports_dir,
                   workers=svc.workers, history_dir=state_dir.parent if state_dir else None)
    install_pages(app, svc.load, svc.apply_lock, svc.workers,
                  history_dir=state_dir.parent if state_dir else None)
    return app


def _install_offline_routes(app: FastAPI, svc: _Service) -> None:
    @app.get("/health")
    def health() -> Health:
        return Health(inventory=str(svc.inventory_dir), verify=svc.verifier is not None)

    @app.post("/validate", dependencies=[READ])
    def validate() -> ValidateResponse:
        from lagprov.intent.lint import EXIT_FINDINGS, EXIT_OK, lint_inventory

        inv = svc.load()
        findings = lint_inventory(inv)
        errors = sum(f.severity == "error" for f in findings)
        return ValidateResponse(exit_status=EXIT_FINDINGS if errors else EXIT_OK,
                                trunks=len(inv.trunks),
                                devices=len(inv.switches) + len(inv.hosts), errors=errors,
                                warnings=len(findings) - errors, findings=findings)

    @app.post("/render", dependencies=[READ])
    def render(body: RenderRequest | None = None) -> RenderResponse:
        from lagprov.runs import render_inventory

        req = body or RenderRequest()
        inv = svc.load()
        if req.device is not None and req.device not in {s.name for s in inv.switches}:
            known = ", ".join(s.name for s in inv.switches)
            raise InputErrors([InputError("body.device", f"{req.device!r} is not a switch of "
                                          f"{svc.inventory_dir} (switches: {known})")])
        try:
            configs = render_inventory(inv, remove=req.remove, device=req.device)
        except (UnsupportedFeatureError, TemplateError) as exc:
            raise InputErrors([InputError("render", f"{exc}; nothing was rendered")]) from None
        return RenderResponse(configs=tuple(RenderedOut(**dict(c), text=c.text) for c in configs))


def _install_device_routes(app: FastAPI, svc: _Service) -> None:
    @app.post("/plan", dependencies=[READ])
    def plan(body: PlanRequest | None = None) -> ProvisionResponse:
        return _provision(svc, body or PlanRequest(), commit=False)

    @app.post("/apply")
    def apply(body: ApplyRequest, caller: Caller = WRITE) -> ProvisionResponse:
        if not body.commit:
            return _provision(svc, body, commit=False)
        if not svc.apply_lock.acquire(blocking=False):
            raise HTTPException(409, "another apply is running in this service; try again later")
        try:
            return _provision(svc, body, commit=True, force=body.force, by=caller.name)
        finally:
            svc.apply_lock.release()

    if svc.verifier is None:
        return
    verifier = svc.verifier

    @app.post("/verify", dependencies=[READ])
    def verify(body: VerifyRequest | None = None) -> VerifyResponse:
        req = body or VerifyRequest()
        inv = svc.load()
        _check_verify_names(inv, req)
        _check_accept(req.accept_unverifiable)
        return run_verify(verifier, inv, [*req.trunks, *req.devices],
                          reports_dir=svc.reports_dir, workers=svc.workers, strict=req.strict,
                          accept=req.accept_unverifiable)


def _check_accept(accept: Sequence[str]) -> None:
    from lagprov.report.gate import unknown_rules

    bad = unknown_rules(accept)
    if bad:
        raise InputErrors([InputError(f"body.accept_unverifiable[{list(accept).index(n)}]",
                                      f"{n!r} is not a rule id") for n in bad])


def _check_verify_names(inv: Inventory, req: VerifyRequest) -> None:
    devices = {s.name for s in inv.switches} | {h.name for h in inv.hosts}
    trunks = {t.name for t in inv.trunks}
    bad = [InputError(f"body.trunks[{i}]", f"{n!r} is not a trunk of {inv.root}")
           for i, n in enumerate(req.trunks) if n not in trunks]
    bad += [InputError(f"body.devices[{i}]", f"{n!r} is not a device of {inv.root}")
            for i, n in enumerate(req.devices) if n not in devices]
    if bad:
        raise InputErrors(bad)


def _trunk_or_404(inv: Inventory, name: str) -> TrunkIntent:
    for t in inv.trunks:
        if t.name == name:
            return t
    raise HTTPException(404, f"{name!r} is not a trunk of {inv.root}")


def _install_handshake_routes(app: FastAPI, svc: _Service) -> None:
    @app.get("/trunks/{name}", dependencies=[READ, SIGNED])
    def last_verdict(name: str) -> TrunkVerdict:
        _trunk_or_404(svc.load(), name)
        verdict = svc.verdicts.get(name)
        if verdict is None:
            raise HTTPException(404, f"no verdict for {name} yet: waiting for the host pipeline "
                                f"to call POST /trunks/{name}/ready")
        key = service_key()
        if key is not None and verdict.digest is not None and not digest_ok(verdict, key):
            raise HTTPException(500, f"the stored verdict of {name} does not match its digest "
                                "(edited, or the key changed): call /ready again")
        return verdict

    @app.get("/trunks/{name}/host-config", dependencies=[READ],
             response_class=PlainTextResponse)
    def host_config(name: str, fmt: str | None = Query(None, alias="format")
                    ) -> PlainTextResponse:
        """The host half of the trunk in the host's own language (``lagprov render --host``);
        a pipeline applies it, then proves the pair with ``POST /trunks/{name}/ready``."""
        from lagprov.runs import render_host

        inv = svc.load()
        trunk = _trunk_or_404(inv, name)
        if trunk.host is None:
            raise HTTPException(409, f"{name} is switch-to-switch: it has no host end")
        try:
            cfg = render_host(inv, trunk.host.device, fmt=fmt, trunks=[name])
        except (InputError, UnsupportedFeatureError, TemplateError) as exc:
            raise InputErrors([InputError("query.format", f"{exc}; nothing was rendered")]
                              ) from None
        return PlainTextResponse(cfg.text, headers={"X-Lagprov-Host-Format": cfg.format})

    if svc.verifier is None:
        return
    verifier = svc.verifier

    @app.post("/trunks/{name}/ready", dependencies=[SIGNED])
    def ready(request: Request, name: str, body: ReadyRequest | None = None,
              caller: Caller = READ) -> TrunkVerdict:
        req = body or ReadyRequest()
        if req.reports:
            may_post_reports(request, caller)
        inv = svc.load()
        trunk = _trunk_or_404(inv, name)
        if trunk.state != "present":
            raise HTTPException(409, f"{name} has state {trunk.state}: nothing to prove")
        _check_accept(req.accept_unverifiable)
        verdict = run_ready(verifier, inv, trunk, nonce=req.nonce, reports=req.reports,
                            reports_dir=svc.reports_dir, workers=svc.workers,
                            accept=req.accept_unverifiable)
        signed = sign(verdict, service_key())
        svc.verdicts.put(signed)
        return signed
