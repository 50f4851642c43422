"""``runs`` and ``rollback``: the stored history of committed changes, and the way back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from lagprov.cli import _check_filters, _err, _load, app
from lagprov.cli.exit import ExitStatus
from lagprov.cli.options import DEFAULT_INVENTORY, FilterOpt, Format, InventoryOpt, check_folder
from lagprov.cli.provision_view import provision_exit, provision_text
from lagprov.errors import ConfigError
from lagprov.runs import DEFAULT_WORKERS, TransportChoice, default_store, rollback_run
from lagprov.runs.store import RunRecord

StateOpt = Annotated[Path | None, typer.Option(
    "--state", help="State folder holding the runs (default $LAGPROV_STATE or .lagprov).")]


@app.command()
def runs(
    fmt: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.TEXT,
    limit: Annotated[int, typer.Option("--limit", min=1,
                                       help="How many runs, newest first.")] = 20,
    state: StateOpt = None,
) -> None:
    """List recent committed runs, newest first (id, time, command, devices, trunks, result)."""
    if fmt not in (Format.TEXT, Format.JSON):
        _err(f"lagprov: runs --format {fmt.value}: only text and json")
        raise typer.Exit(ExitStatus.BAD_INPUT)
    check_folder("--state", state, create=False)
    try:
        found = default_store(state).recent(limit)
    except ConfigError as exc:
        _err(f"lagprov: {exc}")
        raise typer.Exit(ExitStatus.BAD_INPUT) from None
    if fmt is Format.JSON:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in found], indent=2))
        return
    if not found:
        typer.echo("no runs stored yet (every 'apply --commit' that changes a device is one)")
        return
    store = default_store(state)
    for r in found:
        typer.echo(f"{r.id}  {r.time}  {r.command:8} {r.result:9} "
                   f"devices: {', '.join(r.devices)}  trunks: {', '.join(r.trunks) or '-'}"
                   + (f"  by: {r.by}" if r.by else ""))
        if r.result == "incomplete":
            _unfinished(store.get(r.id))


def _unfinished(record: RunRecord) -> None:
    """Under an incomplete run: each device it left half done, and the way back."""
    for d, c in record.configs.items():
        if c.finished:
            continue
        state = f"restored by {c.restored_by}" if c.restored_by else (
            f"did not finish: 'lagprov rollback {record.id} --commit' restores it")
        typer.echo(f"    {d}: {len(c.sent)} of {len(c.planned)} lines sent; {state}")
        typer.echo("".join(f"      sent: {line}\n" for line in c.sent).rstrip("\n") or
                   "      sent: nothing")


@app.command()
def rollback(
    run_id: Annotated[str, typer.Argument(help="A run id from 'lagprov runs'.")],
    inventory: InventoryOpt = DEFAULT_INVENTORY,
    filters: FilterOpt = None,
    commit: Annotated[bool, typer.Option("--commit", help="Really restore the devices.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Restore even where the device changed since the run.")] = False,
    netmiko: Annotated[bool, typer.Option("--netmiko", help="Netmiko everywhere.")] = False,
    workers: Annotated[int, typer.Option("--workers", min=1)] = DEFAULT_WORKERS,
    fmt: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.TEXT,
    state: StateOpt = None,
) -> None:
    """Plan the restore of exactly the sections run RUN_ID changed; --commit pushes it."""
    if fmt not in (Format.TEXT, Format.JSON):
        _err(f"lagprov: rollback --format {fmt.value}: only text and json")
        raise typer.Exit(ExitStatus.BAD_INPUT)
    check_folder("--state", state, create=False)
    inv = _load(inventory)
    _check_filters(inv, filters)
    try:
        report = rollback_run(inv, run_id, trunks=filters, commit=commit, force=force,
                              choice=TransportChoice(netmiko_everywhere=netmiko),
                              workers=workers, store=default_store(state))
    except ConfigError as exc:
        _err(f"lagprov: {exc}")
        raise typer.Exit(ExitStatus.BAD_INPUT) from None
    if fmt is Format.JSON:
        typer.echo(report.model_dump_json(indent=2))
    else:
        typer.echo(provision_text(report, verbose=True))
    raise typer.Exit(provision_exit(report))
