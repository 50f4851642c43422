"""``lagprov serve``: the HTTP service (registered on the main app when imported)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from lagprov.cli import _err, app
from lagprov.cli.exit import ExitStatus
from lagprov.cli.options import DEFAULT_INVENTORY, InventoryOpt
from lagprov.errors import ConfigError, InputError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8750


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to anything


def _fail(text: str) -> NoReturn:
    _err(f"lagprov: {text}")
    raise typer.Exit(ExitStatus.BAD_INPUT)


@app.command()
def serve(
    inventory: InventoryOpt = DEFAULT_INVENTORY,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = DEFAULT_PORT,
    reports: Annotated[Path | None, typer.Option(
        "--reports", help="Host report files (DIR/<host>/<file>) for hosts not read live.")] = None,
    allow_open: Annotated[bool, typer.Option(
        "--allow-open", help="Listen on a non-loopback address although no token is "
        "configured (reads open to anyone who reaches it; writes stay refused).")] = False,
    max_body: Annotated[int | None, typer.Option(
        "--max-body", min=1, help="Largest request body in bytes (default $LAGPROV_MAX_BODY "
        "or 1 MiB).")] = None,
    request_timeout: Annotated[float | None, typer.Option(
        "--request-timeout", min=0.01, help="Seconds a read request may take (default "
        "$LAGPROV_REQUEST_TIMEOUT or 300); commits are bounded per device instead.")] = None,
    audit_every: Annotated[str | None, typer.Option(
        "--audit-every", help="Audit the inventory on a schedule: an interval (30s, 15m, 1h) "
        "or a 5-field cron expression ('*/15 * * * *', local time); one audit at a time, a "
        "tick that would overlap the previous audit is recorded as skipped.")] = None,
    audit_jitter: Annotated[str | None, typer.Option(
        "--audit-jitter", help="Largest random delay added to each scheduled audit (e.g. "
        "30s; 0 for none; default a tenth of the period, at most 5m).")] = None,
) -> None:
    """Serve validate/render/plan/apply/verify and the trunk-ready handshake over HTTP.

    Access: bearer tokens from $LAGPROV_TOKENS_FILE / $LAGPROV_TOKENS ('lagprov token new');
    without any the service is read-only and listens on loopback only.  With --audit-every
    it also audits on a schedule (POST /audits, GET /audits/{id}, GET /metrics; webhooks
    from $LAGPROV_WEBHOOK_URLS).
    """
    try:
        import uvicorn

        from lagprov.service import create_app
        from lagprov.service.auth import TokenSet
        from lagprov.service.schedule import Schedule
    except ModuleNotFoundError as exc:
        _fail(f"the service needs the optional dependencies: pip install 'lagprov[service]' "
              f"({exc.name} is missing)")
    if not inventory.is_dir():
        _fail(f"{inventory}: not an inventory folder")
    if reports is not None and not reports.is_dir():
        _fail(f"--reports {reports}: no such folder")
    if audit_every is None and audit_jitter is not None:
        _fail("--audit-jitter needs --audit-every")
    try:
        schedule = (Schedule.parse(audit_every, audit_jitter) if audit_every is not None
                    else None)
        tokens = TokenSet.from_env()
        app_ = create_app(inventory.resolve(), reports_dir=reports.resolve() if reports else None,
                          tokens=tokens, max_body=max_body, request_timeout=request_timeout,
                          audit_schedule=schedule)
        if schedule is not None:  # the history database, opened (and migrated) now
            app_.state.audits.jobs.counts()
    except (ConfigError, InputError) as exc:
        _fail(str(exc))
    if not is_loopback(host) and not tokens and not allow_open:
        _fail(f"--host {host}: not a loopback address and no token is configured "
              "(LAGPROV_TOKENS_FILE / LAGPROV_TOKENS): anyone who reaches it could read the "
              "fleet's state; configure tokens ('lagprov token new'), or pass --allow-open")
    if not tokens:
        _err("lagprov: no token configured: the service is read-only (apply and rollback "
             "are refused)")
    uvicorn.run(app_, host=host, port=port, log_level="info")
