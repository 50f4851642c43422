"""``lagprov serve``: the HTTP service (registered on the main app when imported)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lagprov.cli import _err, app
from lagprov.cli.exit import ExitStatus
from lagprov.cli.options import DEFAULT_INVENTORY, InventoryOpt

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8750


@app.command()
def serve(
    inventory: InventoryOpt = DEFAULT_INVENTORY,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = DEFAULT_PORT,
    reports: Annotated[Path | None, typer.Option(
        "--reports", help="Host report files (DIR/<host>/<file>) for hosts not read live.")] = None,
) -> None:
    """Serve validate/render/plan/apply/verify and the trunk-ready handshake over HTTP."""
    try:
        import uvicorn

        from lagprov.service import create_app
    except ModuleNotFoundError as exc:
        _err(f"lagprov: the service needs the optional dependencies: pip install "
             f"'lagprov[service]' ({exc.name} is missing)")
        raise typer.Exit(ExitStatus.BAD_INPUT) from None
    if not inventory.is_dir():
        _err(f"lagprov: {inventory}: not an inventory folder")
        raise typer.Exit(ExitStatus.BAD_INPUT)
    if host not in ("127.0.0.1", "::1", "localhost"):
        _err(f"lagprov: listening on {host}: anyone who reaches it can push configuration; "
             "put it behind an authenticating proxy")
    app_ = create_app(inventory.resolve(), reports_dir=reports.resolve() if reports else None)
    uvicorn.run(app_, host=host, port=port, log_level="info")
