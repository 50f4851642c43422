"""``plan`` and ``apply``: registered on the main app when imported."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from lagprov.cli import _err, _load, app
from lagprov.cli.exit import ExitStatus
from lagprov.cli.options import DEFAULT_INVENTORY, FilterOpt, Format, InventoryOpt
from lagprov.cli.provision_view import provision_exit, provision_text
from lagprov.errors import ConfigError
from lagprov.runs import DEFAULT_WORKERS, TransportChoice, provision_run

WorkersOpt = Annotated[int, typer.Option("--workers", help="Nornir worker threads.")]
DiffOpt = Annotated[bool, typer.Option(
    "--diff", help="Also show each device's own diff (NAPALM compare_config; loads a "
    "candidate and discards it).")]
NetmikoOpt = Annotated[
    bool, typer.Option("--netmiko", help="Push with Netmiko everywhere, not NAPALM.")
]


def _run(inventory: Path, *, commit: bool, filters: list[str] | None, workers: int,
         force: bool, netmiko: bool, fmt: Format, verbose: bool, diff: bool) -> None:
    inv = _load(inventory)
    stop = threading.Event()

    def on_sigint(signum: int, frame: FrameType | None) -> None:  # noqa: ARG001
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        _err("lagprov: interrupted: no new commit starts; pushes in flight finish or roll back "
             "(Ctrl-C again to abort)")

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        report = provision_run(inv, commit=commit, devices=filters, workers=workers, force=force,
                               choice=TransportChoice(netmiko_everywhere=netmiko), stop=stop,
                               device_diff=diff)
    except ConfigError as exc:
        _err(f"lagprov: {exc}")
        raise typer.Exit(ExitStatus.BAD_INPUT) from None
    finally:
        signal.signal(signal.SIGINT, previous)
    if fmt is Format.JSON:
        typer.echo(report.model_dump_json(indent=2))
    else:
        typer.echo(provision_text(report, verbose=verbose, diff=diff))
    code = provision_exit(report)
    raise typer.Exit(ExitStatus.INTERRUPTED if stop.is_set() and code == 0 else code)


@app.command()
def plan(
    inventory: InventoryOpt = DEFAULT_INVENTORY,
    filters: FilterOpt = None,
    workers: WorkersOpt = DEFAULT_WORKERS,
    netmiko: NetmikoOpt = False,
    fmt: Annotated[Format, typer.Option("--format")] = Format.TEXT,
    diff: DiffOpt = False,
) -> None:
    """Show per device exactly what would change, and the pre-change checks. Changes nothing."""
    _run(inventory, commit=False, filters=filters, workers=workers, force=False,
         netmiko=netmiko, fmt=fmt, verbose=True, diff=diff)


@app.command()
def apply(
    inventory: InventoryOpt = DEFAULT_INVENTORY,
    filters: FilterOpt = None,
    commit: Annotated[bool, typer.Option("--commit", help="Really change the devices.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Override checks marked safe.")] = False,
    workers: WorkersOpt = DEFAULT_WORKERS,
    netmiko: NetmikoOpt = False,
    fmt: Annotated[Format, typer.Option("--format")] = Format.TEXT,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
    diff: DiffOpt = False,
) -> None:
    """Apply the plan; without --commit this is exactly `plan`."""
    _run(inventory, commit=commit, filters=filters, workers=workers, force=force,
         netmiko=netmiko, fmt=fmt, verbose=verbose or not commit, diff=diff)
