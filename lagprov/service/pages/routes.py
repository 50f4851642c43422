"""The compliance pages' routes: HTML from :mod:`.views` through the packaged templates.

Every page follows the read rules (:mod:`.session`); the rollback form follows the write
rules and calls the service's own rollback (:mod:`lagprov.service.writes`, as ``POST
/rollback`` does).  Pages are left out of the OpenAPI document.  Autoescape is on for every
template, scripts and styles come only from the service (Content-Security-Policy), and a
page masks the same secrets a JSON answer does.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, StrictUndefined

from lagprov.errors import ConfigError, InputError, InputErrors
from lagprov.model.inventory import Inventory
from lagprov.runs import UnknownRun, default_store
from lagprov.runs.audit import UnknownAudit, state_dir_default
from lagprov.runs.history import DbAuditStore, audit_store
from lagprov.runs.history.trunk_verdicts import VERDICTS
from lagprov.service.models import RollbackRequest
from lagprov.service.pages import views as v
from lagprov.service.pages.session import (
    COOKIE,
    SESSION_SECONDS,
    PageCaller,
    page_caller,
    sessions,
    sign_in,
    write_refusal,
)
from lagprov.service.scrub import scrub_text, secrets_from_env

ENV = Environment(loader=PackageLoader("lagprov.service.pages", "templates"),
                  autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                  lstrip_blocks=True)
ENV.filters["q"] = lambda s: quote(str(s), safe="")  # a path segment
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                               "base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
MAX_FORM = 8192  # bytes of a sign-in or rollback form


def _render(request: Request, template: str, who: PageCaller | None, status: int = 200,
            **ctx: Any) -> HTMLResponse:
    text = ENV.get_template(template).render(who=who, path=request.url.path, **ctx)
    found = secrets_from_env()
    text = scrub_text(text, found + tuple(html.escape(s) for s in found))
    return HTMLResponse(text, status_code=status, headers=HEADERS)


def _error(request: Request, who: PageCaller | None, status: int, message: str
           ) -> HTMLResponse:
    return _render(request, "error.html", who, status, status_code=status, message=message)


def _login(request: Request, status: int, message: str | None) -> HTMLResponse:
    return _render(request, "login.html", None, status, message=message,
                   back=request.url.path if request.url.path.startswith("/ui/") else "/ui/")


def _history(history_dir: Path | None) -> Callable[[], DbAuditStore]:
    """The audit history the service's audits write (``history_dir``, else
    ``$LAGPROV_STATE`` as the CLI's, read at each request)."""
    return lambda: audit_store(history_dir or state_dir_default())


def _page(request: Request, template: str, build: Callable[[], Mapping[str, Any]]
          ) -> HTMLResponse:
    """``template`` over what ``build`` returns, for a caller the read rules admit."""
    who = page_caller(request)
    if who is None:
        return _login(request, 401, "This page needs a read or write token.")
    try:
        ctx = build()
    except (UnknownAudit, UnknownRun, v.UnknownTrunk) as exc:
        return _error(request, who, 404, str(exc))
    except InputError as exc:
        return _error(request, who, 400, str(exc))
    except ConfigError as exc:
        return _error(request, who, 503, f"the history is not available: {exc}")
    return _render(request, template, who, **ctx)


async def _form(request: Request) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body (first value of each field)."""
    body = await request.body()
    if len(body) > MAX_FORM:
        raise HTTPException(413, "form too large")
    fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=10)
    return {k: vs[0] for k, vs in fields.items() if vs}


def _status(value: str | None) -> str | None:
    if value and value not in VERDICTS:
        raise InputError("query.status", f"{value!r} is not one of {', '.join(VERDICTS)}")
    return value or None


def install_pages(app: FastAPI, load: Callable[[], Inventory], lock: threading.Lock,
                  workers: int, *, history_dir: Path | None = None) -> None:
    """Mount the pages, their static files and the API documentation on ``app``: the audit
    history of ``history_dir`` (default ``$LAGPROV_STATE``); provisioning runs, rollback and
    its lock as ``POST /rollback`` has them."""
    app.mount("/ui/static", StaticFiles(packages=[("lagprov.service.pages", "static")]),
              name="ui-static")
    _install_docs(app)
    _install_audit_pages(app, _history(history_dir))
    _install_change_pages(app, load, lock, workers)
    _install_sign_in(app)


def _install_audit_pages(app: FastAPI, _store: Callable[[], DbAuditStore]) -> None:
    @app.get("/", include_in_schema=False)
    def root() -> Response:
        return RedirectResponse("/ui/", status_code=307)

    @app.get("/ui", include_in_schema=False)
    def ui() -> Response:
        return RedirectResponse("/ui/", status_code=307)

    def fleet(request: Request, ref: str, device: str | None, purpose: str | None,
              status: str | None) -> HTMLResponse:
        def build() -> dict[str, Any]:
            f = v.Filters(device=device or None, purpose=purpose or None,
                          status=_status(status))
            return {"view": v.fleet_view(_store(), ref, f), "ref": ref}
        return _page(request, "fleet.html", build)

    @app.get("/ui/", include_in_schema=False)
    def fleet_page(request: Request, device: str | None = None, purpose: str | None = None,
                   status: str | None = None) -> HTMLResponse:
        return fleet(request, "latest", device, purpose, status)

    @app.get("/ui/runs", include_in_schema=False)
    def runs_page(request: Request) -> HTMLResponse:
        return _page(request, "runs.html", lambda: {"view": v.runs_view(_store())})

    @app.get("/ui/runs/{ref}", include_in_schema=False)
    def run_page(request: Request, ref: str, device: str | None = None,
                 purpose: str | None = None, status: str | None = None) -> HTMLResponse:
        return fleet(request, ref, device, purpose, status)

    @app.get("/ui/runs/{a}/diff/{b}", include_in_schema=False)
    def diff_page(request: Request, a: str, b: str) -> HTMLResponse:
        return _page(request, "diff.html", lambda: {"view": v.diff_view(_store(), a, b)})

    @app.get("/ui/diff", include_in_schema=False)
    def diff_form(a: str = Query(min_length=1, max_length=64),
                  b: str = Query(min_length=1, max_length=64)) -> Response:
        return RedirectResponse(f"/ui/runs/{quote(a, safe='')}/diff/{quote(b, safe='')}",
                                status_code=303)

    @app.get("/ui/trunks/{name}", include_in_schema=False)
    def trunk_page(request: Request, name: str, run: str | None = None) -> HTMLResponse:
        return _page(request, "trunk.html",
                     lambda: {"view": v.trunk_view(_store(), name, run or None)})


def _install_change_pages(app: FastAPI, load: Callable[[], Inventory], lock: threading.Lock,
                          workers: int) -> None:
    @app.get("/ui/changes", include_in_schema=False)
    def changes_page(request: Request) -> HTMLResponse:
        return _page(request, "changes.html",
                     lambda: {"runs": v.changes_view(default_store()), "single": False})

    @app.get("/ui/changes/{run_id}", include_in_schema=False)
    def change_page(request: Request, run_id: str) -> HTMLResponse:
        return _page(request, "changes.html", lambda: {
            "runs": (v.change_view(default_store().get(run_id)),), "single": True})

    @app.post("/ui/changes/{run_id}/rollback", include_in_schema=False)
    async def rollback_form(request: Request, run_id: str) -> HTMLResponse:
        from starlette.concurrency import run_in_threadpool

        who = page_caller(request)
        form = await _form(request)
        refused = write_refusal(request, who, form.get("csrf"))
        if refused is not None:
            status, message = refused
            if status == 401:
                return _login(request, 401, message)
            return _error(request, who, status, message)
        try:
            body = RollbackRequest(run_id=run_id, commit=form.get("commit") == "1",
                                   force=form.get("force") == "1")
        except ValueError:
            return _error(request, who, 400, f"run {run_id!r}: not a run id")
        assert who is not None  # write_refusal admitted it
        return await run_in_threadpool(_rollback, request, who, body, load, lock, workers)


def _rollback(request: Request, who: PageCaller, body: RollbackRequest,
              load: Callable[[], Inventory], lock: threading.Lock, workers: int
              ) -> HTMLResponse:
    from lagprov.service.writes import _rollback as rollback_run

    if body.commit and not lock.acquire(blocking=False):
        return _error(request, who, 409, "another apply is running in this service; "
                      "try again later")
    try:
        done = rollback_run(load(), body, who.caller, workers)
    except HTTPException as exc:
        return _error(request, who, exc.status_code, str(exc.detail))
    except InputErrors as exc:
        return _error(request, who, 400, str(exc))
    finally:
        if body.commit:
            lock.release()
    return _render(request, "rollback.html", who,
                   view=v.rollback_view(body.run_id, done, done.exit_status))


def _install_sign_in(app: FastAPI) -> None:
    @app.get("/ui/login", include_in_schema=False)
    def login_page(request: Request) -> HTMLResponse:
        return _login(request, 200, None)

    @app.post("/ui/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await _form(request)
        session_id = sign_in(request, form.get("token", "").strip())
        if session_id is None:
            return _login(request, 401, "That is not a valid token.")
        back = form.get("back", "/ui/")
        if not back.startswith("/ui/") or back.startswith("/ui/login"):
            back = "/ui/"
        out = RedirectResponse(back, status_code=303)
        out.set_cookie(COOKIE, session_id, max_age=SESSION_SECONDS, path="/ui",
                       httponly=True, samesite="strict",
                       secure=request.url.scheme == "https")
        return out

    @app.post("/ui/logout", include_in_schema=False)
    def logout(request: Request) -> Response:
        sessions(request).close(request.cookies.get(COOKIE))
        out = RedirectResponse("/ui/login", status_code=303)
        out.delete_cookie(COOKIE, path="/ui")
        return out


def _install_docs(app: FastAPI) -> None:
    """Swagger UI and ReDoc from files shipped in a Python package (``fastapi-offline``,
    part of the ``service`` extra), never a CDN; without it only ``/openapi.json``."""
    try:
        import fastapi_offline
    except ModuleNotFoundError:
        return
    from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html

    assets = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/ui/api-assets", StaticFiles(directory=assets), name="ui-api-assets")
    spec = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=spec, title=f"{app.title} - Swagger UI",
                                   swagger_js_url="/ui/api-assets/swagger-ui-bundle.js",
                                   swagger_css_url="/ui/api-assets/swagger-ui.css",
                                   swagger_favicon_url="/ui/api-assets/favicon.png")

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(openapi_url=spec, title=f"{app.title} - ReDoc",
                              redoc_js_url="/ui/api-assets/redoc.standalone.js",
                              redoc_favicon_url="/ui/api-assets/favicon.png",
                              with_google_fonts=False)
