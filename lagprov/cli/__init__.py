"""The ``lagprov`` command line: a thin front end over ``lagprov.runs`` and ``lagprov.intent``."""

from __future__ import annotations

import importlib
import json
import os
import sys
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated

import typer

from lagprov.cli.exit import ExitStatus
from lagprov.cli.options import DEFAULT_INVENTORY, Format, InventoryOpt, require_format
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


# --inventory-plugin / --inventory-option of this invocation (set by the root callback, reset
# when main() returns): the plugin and options load_inventory is given.
_PLUGIN: ContextVar[tuple[str | None, dict[str, str]]] = ContextVar("lagprov_inventory_plugin",
                                                                   default=(None, {}))


@app.callback()
def _root(
    plugin: Annotated[str | None, typer.Option(
        "--inventory-plugin", help="Nornir inventory plugin that supplies the switches and "
        "hosts (default: lagprov.yaml next to the inventory, else SimpleInventory over its "
        "hosts.yaml); trunks always come from trunks.yaml.")] = None,
    options: Annotated[list[str] | None, typer.Option(
        "--inventory-option", help="KEY=VALUE option of --inventory-plugin (repeatable); "
        "paths relative to the inventory folder.")] = None,
) -> None:
    """Provision and verify switch link aggregation."""
    pairs = [o.partition("=") for o in options or ()]
    if bad := [k for k, sep, _ in pairs if not sep or not k]:
        _err(f"lagprov: --inventory-option {bad[0]!r}: expected KEY=VALUE")
        raise typer.Exit(ExitStatus.BAD_INPUT)
    if pairs and plugin is None:
        _err("lagprov: --inventory-option needs --inventory-plugin")
        raise typer.Exit(ExitStatus.BAD_INPUT)
    _PLUGIN.set((plugin, {k: v for k, _, v in pairs}))


def _load(inventory: Path) -> Inventory:
    """Load the inventory or exit 2 listing every problem (file and field)."""
    plugin, options = _PLUGIN.get()
    try:
        return load_inventory(inventory, plugin=plugin, plugin_options=options)
    except InputErrors as exc:
        _err(f"lagprov: {len(exc.errors)} problem(s) in the inventory, nothing was sent:")
        for e in exc.errors:
            _err(f"  {e}")
        raise typer.Exit(ExitStatus.BAD_INPUT) from None


def _check_filters(inv: Inventory, filters: list[str] | None, option: str = "--filter") -> None:
    """Exit 2, before any device is contacted, on a ``--filter`` naming nothing known."""
    from lagprov.runs import UnknownFilter, check_filters

    try:
        check_filters(inv, filters, option, trunks_only=option == "--replace")
    except UnknownFilter as exc:
        _err(f"lagprov: {exc}")
        raise typer.Exit(ExitStatus.BAD_INPUT) from None


@app.command()
def validate(
    inventory: InventoryOpt = DEFAULT_INVENTORY,
    fmt: Annotated[Format, typer.Option("--format")] = Format.TEXT,
) -> None:
    """Check the inventory offline: schema, then lint rules across trunks."""
    require_format("validate", fmt, (Format.TEXT, Format.JSON))
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
    host: Annotated[str | None, typer.Option(
        "--host", help="Only this device: a switch (its config), or a host (its half of "
        "every trunk it belongs to, in its own configuration language).")] = None,
    host_format: Annotated[str | None, typer.Option(
        "--host-format", help="With a host --host: netplan (default), networkd, nm-keyfile, "
        "nmcli or ifupdown2 on Linux; powershell on Windows; esxcli on ESXi; text on "
        "storage arrays.")] = None,
    remove: Annotated[
        bool, typer.Option("--remove", help="Config that removes the trunks.")
    ] = False,
    fmt: Annotated[Format, typer.Option("--format")] = Format.TEXT,
) -> None:
    """Print the configuration each switch (or one host) needs (offline; nothing is sent)."""
    require_format("render", fmt, (Format.TEXT, Format.JSON))
    inv = _load(inventory)
    from lagprov.runs import render_inventory

    if host is not None and host in {h.name for h in inv.hosts}:
        _render_host(inv, host, host_format, fmt, remove=remove)
        return
    if host is not None and host not in {s.name for s in inv.switches}:
        known = ", ".join(s.name for s in inv.switches)
        hosts = ", ".join(h.name for h in inv.hosts)
        _err(f"lagprov: --host {host!r} is not a switch of {inventory} (switches: {known}) "
             f"nor a host (hosts: {hosts})")
        raise typer.Exit(ExitStatus.BAD_INPUT)
    if host_format is not None:
        _err("lagprov: --host-format needs --host naming a host device")
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


def _render_host(inv: Inventory, host: str, host_format: str | None, fmt: Format, *,
                 remove: bool) -> None:
    """``render --host <host device>``: the host's half of its trunks."""
    from lagprov.runs import render_host

    if remove:
        _err("lagprov: --remove renders switch removals only; a host's teams are removed "
             "with its own tools")
        raise typer.Exit(ExitStatus.BAD_INPUT)
    try:
        cfg = render_host(inv, host, fmt=host_format)
    except (InputError, UnsupportedFeature, TemplateError) as exc:
        _err(f"lagprov: {exc}; nothing was rendered")
        raise typer.Exit(ExitStatus.BAD_INPUT) from None
    if fmt is Format.JSON:
        typer.echo(json.dumps(cfg.model_dump(mode="json"), indent=2))
        return
    for note in cfg.notes:
        _err(f"lagprov: NOTE: {note}")
    typer.echo(cfg.text.rstrip("\n"))


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
    for module in ("lagprov.cli.workflow_cmds", "lagprov.cli.serve_cmd", "lagprov.cli.verify_cmds",
                   "lagprov.cli.runs_cmds", "lagprov.cli.history_cmds",
                   "lagprov.cli.token_cmds", "lagprov.cli.worker_cmd"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError:
            continue


def main(argv: list[str] | None = None) -> int:
    """Entry point: no Python traceback reaches a user unless LAGPROV_DEBUG is set."""
    _mount_optional()
    token = _PLUGIN.set((None, {}))
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
    finally:
        _PLUGIN.reset(token)
    return int(code) if isinstance(code, int) else ExitStatus.OK


def run() -> None:
    """Console-script wrapper."""
    sys.exit(main())
