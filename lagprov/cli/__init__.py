"""The ``lagprov`` command line: a thin front end over ``lagprov.runs`` and ``lagprov.intent``."""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from lagprov.cli.exit import ExitStatus
from lagprov.cli.options import DEFAULT_INVENTORY, Format, InventoryOpt
from lagprov.errors import InputError, InputErrors, LagprovError, TemplateError, UnsupportedFeature
from lagprov.intent.load import load_inventory
from lagprov.model.inventory import Inventory

app = typer.Typer(
    name="lagprov",
    help="Provision and verify switch link aggregation; prove both ends of every trunk agree.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _err(text: str) -> None:
    typer.echo(text, err=True)


def _load(inventory: Path) -> Inventory:
    """Load the inventory or exit 2 listing every problem (file and field)."""
    try:
        return load_inventory(inventory)
    except InputErrors as exc:
        _err(f"lagprov: {len(exc.errors)} problem(s) in the inventory, nothing was sent:")
        for e in exc.errors:
            _err(f"  {e}")
        raise typer.Exit(ExitStatus.BAD_INPUT) from None


@app.command()
def validate(
    inventory: InventoryOpt = DEFAULT_INVENTORY,
    fmt: Annotated[Format, typer.Option("--format")] = Format.TEXT,
) -> None:
    """Check the inventory offline: schema, then lint rules across trunks."""
    inv = _load(inventory)
    from lagprov.intent.lint import lint_inventory

    findings = lint_inventory(inv)
    errors = [f for f in findings if f.severity == "error"]
    if fmt is Format.JSON:
        typer.echo(json.dumps([f.model_dump(mode="json") for f in findings], indent=2))
    else:
        for f in findings:
            typer.echo(f"{f.severity.upper():7} {f.rule}: {f.file}: {f.field}: {f.message}")
        n_dev = len(inv.switches) + len(inv.hosts)
        verdict = "FAIL" if errors else "OK"
        typer.echo(
            f"{verdict}: {len(inv.trunks)} trunks, {n_dev} devices, {len(errors)} errors, "
            f"{len(findings) - len(errors)} warnings"
        )
    raise typer.Exit(ExitStatus.FINDINGS if errors else ExitStatus.OK)


@app.command()
def render(
    inventory: InventoryOpt = DEFAULT_INVENTORY,
    host: Annotated[str | None, typer.Option("--host", help="Only this switch.")] = None,
    remove: Annotated[
        bool, typer.Option("--remove", help="Config that removes the trunks.")
    ] = False,
    fmt: Annotated[Format, typer.Option("--format")] = Format.TEXT,
) -> None:
    """Print the configuration each switch needs (offline; nothing is sent)."""
    inv = _load(inventory)
    from lagprov.runs import render_inventory

    if host is not None and host not in {s.name for s in inv.switches}:
        known = ", ".join(s.name for s in inv.switches)
        _err(f"lagprov: --host {host!r} is not a switch of {inventory} (switches: {known})")
        raise typer.Exit(ExitStatus.BAD_INPUT)
    try:
        configs = render_inventory(inv, remove=remove, device=host)
    except (UnsupportedFeature, TemplateError) as exc:
        _err(f"lagprov: {exc}; nothing was rendered")
        raise typer.Exit(ExitStatus.BAD_INPUT) from None
    if fmt is Format.JSON:
        typer.echo(json.dumps([c.model_dump(mode="json") for c in configs], indent=2))
        return
    for c in configs:
        typer.echo(f"! ===== {c.device} ({c.platform}) trunks: {', '.join(c.trunks)}")
        for note in c.notes:
            typer.echo(f"! NOTE: {note}")
        typer.echo(c.text.rstrip("\n"))
        typer.echo("")


def _mount_optional() -> None:
    """Sub-commands whose modules may not be built yet are mounted only when present."""
    for module, attr, name in (
        ("lagprov.cli.lab", "app", "lab"),
    ):
        try:
            sub = getattr(importlib.import_module(module), attr)
        except ModuleNotFoundError:
            continue
        app.add_typer(sub, name=name)
    for module in ("lagprov.cli.workflow_cmds", "lagprov.cli.serve_cmd", "lagprov.cli.verify_cmds"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError:
            continue


def main(argv: list[str] | None = None) -> int:
    """Entry point: no Python traceback reaches a user unless LAGPROV_DEBUG is set."""
    _mount_optional()
    try:
        code = app(args=argv, standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        _err("lagprov: interrupted")
        return ExitStatus.INTERRUPTED
    except SystemExit as exc:
        return int(exc.code or 0)
    except typer.TyperException as exc:  # usage errors: bad option, missing argument
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            _err(f"lagprov: {exc}")
        return ExitStatus.BAD_INPUT
    except KeyboardInterrupt:
        _err("lagprov: interrupted")
        return ExitStatus.INTERRUPTED
    except InputError as exc:
        _err(f"lagprov: {exc}")
        return ExitStatus.BAD_INPUT
    except LagprovError as exc:
        _err(f"lagprov: {exc}")
        return ExitStatus.BAD_INPUT
    except Exception as exc:
        if os.environ.get("LAGPROV_DEBUG"):
            raise
        _err(f"lagprov: internal error: {type(exc).__name__}: {exc} (LAGPROV_DEBUG=1 shows more)")
        return 70
    return int(code) if isinstance(code, int) else ExitStatus.OK


def run() -> None:
    """Console-script wrapper."""
    sys.exit(main())
