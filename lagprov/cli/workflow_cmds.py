"""``plan`` and ``apply``: registered on the main app when imported."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from lagprov.cli import _check_filters, _err, _load, app
from lagprov.cli.executors import ExecutorOpt, broker_guard, pick_executor
from lagprov.cli.exit import ExitStatus
from lagprov.cli.options import (
    DEFAULT_INVENTORY,
    FilterOpt,
    Format,
    InventoryOpt,
    require_format,
)
from lagprov.cli.provision_view import provision_exit, provision_text
from lagprov.errors import ConfigError
from lagprov.model.inventory import Inventory
from lagprov.runs import DEFAULT_WORKERS, TransportChoice, provision_run

WorkersOpt = Annotated[int, typer.Option("--workers", min=1, help="Nornir worker threads.")]
DiffOpt = Annotated[bool, typer.Option(
    "--diff", help="Also show each device's own diff (NAPALM compare_config; loads a "
    "candidate and discards it).")]
NetmikoOpt = Annotated[
    bool, typer.Option("--netmiko", help="Push with Netmiko everywhere, not NAPALM.")
]
DeadlineOpt = Annotated[float | None, typer.Option(
    "--deadline", min=0.1, help="Seconds one device may take to open its session (a device "
    "that accepts TCP and never answers fails alone with a timeout); default "
    "$LAGPROV_DEVICE_DEADLINE or 30.  A push under way is never cut.")]
ReplaceOpt = Annotated[list[str] | None, typer.Option(
    "--replace", help="Take this trunk's ports over (repeatable): a member in another channel "
    "is moved, ports in its channel that the intent does not name leave the bundle.")]


def _choice(netmiko: bool, deadline: float | None) -> TransportChoice:
    if deadline is None:
        return TransportChoice(netmiko_everywhere=netmiko)
    return TransportChoice(netmiko_everywhere=netmiko, deadline_s=deadline)


def _on_sigint(stop: threading.Event, abort: threading.Event
               ) -> Callable[[int, FrameType | None], None]:
    """Ctrl-C: no new commit starts; again: pushes in flight stop before their next line and
    are restored.  Never an exception: the run always ends with its report of what changed."""

    def on_sigint(signum: int, frame: FrameType | None) -> None:  # noqa: ARG001
        if not stop.is_set():
            stop.set()
            _err("lagprov: interrupted: no new commit starts; pushes in flight finish or roll "
                 "back (Ctrl-C again to stop them at their next line)")
        elif not abort.is_set():
            abort.set()
            _err("lagprov: aborting: pushes in flight stop before their next line and are "
                 "restored; the report of what changed follows")
        else:
            _err("lagprov: still restoring what was sent; the report follows")

    return on_sigint


def _refuse_lint_errors(inv: Inventory, filters: list[str] | None) -> None:
    """Exit 1, before any device is contacted, when the inventory has a lint error on a
    trunk the run would touch (or one that belongs to no trunk): bad intent is not a device
    failure."""
    from lagprov.intent import lint_inventory
    from lagprov.model.types import Severity
    from lagprov.runs.scope import trunk_scope

    selected = set().union(*trunk_scope(inv, filters).values())
    errors = [f for f in lint_inventory(inv) if f.severity is Severity.ERROR
              and (f.trunk is None or f.trunk in selected)]
    if errors:
        _err(f"lagprov: {len(errors)} lint error(s) in the inventory, nothing was sent "
             "(see lagprov validate):")
        for f in errors:
            _err(f"  {f.file}: {f.field}: {f.message} [{f.rule}]")
        raise typer.Exit(ExitStatus.FINDINGS)


def _run(inventory: Path, *, commit: bool, filters: list[str] | None, workers: int,
         force: bool, netmiko: bool, fmt: Format, verbose: bool, diff: bool,
         replace: list[str] | None, deadline: float | None = None,
         executor: str = "threads") -> None:
    require_format("plan" if not commit else "apply", fmt,
                   (Format.TEXT, Format.JSON, Format.JUNIT))
    inv = _load(inventory)
    _check_filters(inv, filters)
    _check_filters(inv, replace, "--replace")
    _refuse_lint_errors(inv, filters)
    if commit:  # the run is stored before anything is sent: its folder must be usable
        from lagprov.cli.options import check_folder
        from lagprov.runs.audit import state_dir_default

        check_folder("LAGPROV_STATE", state_dir_default())
    runner = pick_executor(executor)
    stop, abort = threading.Event(), threading.Event()
    previous = signal.signal(signal.SIGINT, _on_sigint(stop, abort))
    try:
        with broker_guard():
            report = provision_run(inv, commit=commit, devices=filters, workers=workers,
                                   force=force, choice=_choice(netmiko, deadline), stop=stop,
                                   device_diff=diff, replace=tuple(replace or ()), abort=abort,
                                   executor=runner)
    except ConfigError as exc:
        _err(f"lagprov: {exc}")
        raise typer.Exit(ExitStatus.BAD_INPUT) from None
    finally:
        signal.signal(signal.SIGINT, previous)
    if fmt is Format.JSON:
        typer.echo(report.model_dump_json(indent=2))
    elif fmt is Format.JUNIT:
        from lagprov.report.provision_junit import provision_to_junit

        typer.echo(provision_to_junit(report.command, report.outcomes).rstrip("\n"))
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
    replace: ReplaceOpt = None,
    deadline: DeadlineOpt = None,
    executor: ExecutorOpt = "threads",
) -> None:
    """Show per device exactly what would change, and the pre-change checks. Changes nothing."""
    _run(inventory, commit=False, filters=filters, workers=workers, force=False,
         netmiko=netmiko, fmt=fmt, verbose=True, diff=diff, replace=replace, deadline=deadline,
         executor=executor)


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
    replace: ReplaceOpt = None,
    deadline: DeadlineOpt = None,
    executor: ExecutorOpt = "threads",
) -> None:
    """Apply the plan; without --commit this is exactly `plan`.  A commit is stored as a run
    (`lagprov runs`) that `lagprov rollback RUN_ID` can undo."""
    _run(inventory, commit=commit, filters=filters, workers=workers, force=force,
         netmiko=netmiko, fmt=fmt, verbose=verbose or not commit, diff=diff, replace=replace,
         deadline=deadline, executor=executor)
