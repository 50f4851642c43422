"""``verify`` and ``audit``: registered on the main app when imported."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from lagprov.cli import _check_filters, _err, _load, app
from lagprov.cli.executors import ExecutorOpt, broker_guard, pick_executor
from lagprov.cli.exit import ExitStatus
from lagprov.cli.options import (
    DEFAULT_INVENTORY,
    AcceptOpt,
    FilterOpt,
    Format,
    InventoryOpt,
    StrictOpt,
    check_folder,
    check_output_file,
    write_output,
)
from lagprov.errors import ConfigError, InputError
from lagprov.model.inventory import Inventory
from lagprov.report import RunReport, exit_status
from lagprov.runs import DEFAULT_WORKERS, Progress

FromOpt = Annotated[Path | None, typer.Option(
    "--from", help="Replay outputs saved with --save (no device is contacted).")]
SaveOpt = Annotated[Path | None, typer.Option(
    "--save", help="Save every raw output as DIR/<device>/<command>.txt.")]
ReportsOpt = Annotated[Path | None, typer.Option(
    "--reports", help="Host reports folder: DIR/<host>/Get-NetLbfoTeam.json, ...")]
FormatOpt = Annotated[Format, typer.Option("--format", help="text, json, junit or md.")]
OutputOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", help="Write the report to this file instead of stdout.")]
WorkersOpt = Annotated[int, typer.Option("--workers", min=1, help="Parallel device sessions.")]
VerboseOpt = Annotated[bool, typer.Option(
    "--verbose", "-v", help="List every unverifiable check, not only their count.")]
StateOpt = Annotated[Path | None, typer.Option(
    "--state", help="Audit history folder (default $LAGPROV_STATE or .lagprov).")]

PROGRESS_MIN_DEVICES = 4


def render_report(report: RunReport, fmt: Format, *, verbose: bool = False) -> str:
    """The report in ``fmt``."""
    if fmt is Format.JSON:
        from lagprov.report.json import to_json

        return to_json(report)
    if fmt is Format.JUNIT:
        from lagprov.report.junit import to_junit

        return to_junit(report)
    if fmt is Format.MD:
        from lagprov.report.markdown import to_markdown

        return to_markdown(report)
    from lagprov.report.text import to_text

    return to_text(report, color=sys.stdout.isatty(), verbose=verbose)


@contextlib.contextmanager
def progress_bar(total: int) -> Iterator[Progress | None]:
    """A rich progress bar on stderr when it is a terminal and there are enough devices."""
    if total < PROGRESS_MIN_DEVICES or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress as Bar

    with Bar(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("reading devices", total=total)

        def advance(device: str) -> None:
            bar.update(task, advance=1, description=f"read {device}")

        yield advance


def _check_accept(accept: list[str] | None) -> tuple[str, ...]:
    from lagprov.report.gate import RULE_IDS, unknown_rules

    bad = unknown_rules(accept or ())
    if bad:
        _err(f"lagprov: --accept-unverifiable {', '.join(bad)}: not a rule id "
             f"(rules: {', '.join(sorted(RULE_IDS))})")
        raise typer.Exit(ExitStatus.BAD_INPUT)
    return tuple(accept or ())


def _check_dirs(from_dir: Path | None, reports: Path | None, *, save: Path | None = None,
                output: Path | None = None, state: Path | None = None) -> None:
    """Every path option checked before a device (or a saved output) is read: exit 2."""
    for opt, path in (("--from", from_dir), ("--reports", reports)):
        if path is not None and not path.is_dir():
            _err(f"lagprov: {opt} {path}: no such folder")
            raise typer.Exit(ExitStatus.BAD_INPUT)
    check_output_file("--output", output)
    check_folder("--save", save)
    check_folder("--state", state)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text.rstrip("\n"))
    else:
        write_output("--output", output, text if text.endswith("\n") else text + "\n")


def _device_count(inv: Inventory, filters: list[str] | None) -> int:
    from lagprov.runs import collection_plan

    return collection_plan(inv, filters).device_count


@app.command()
def verify(
    inventory: InventoryOpt = DEFAULT_INVENTORY,
    filters: FilterOpt = None,
    from_dir: FromOpt = None,
    save: SaveOpt = None,
    reports: ReportsOpt = None,
    fmt: FormatOpt = Format.TEXT,
    output: OutputOpt = None,
    workers: WorkersOpt = DEFAULT_WORKERS,
    verbose: VerboseOpt = False,
    strict: StrictOpt = False,
    accept: AcceptOpt = None,
    executor: ExecutorOpt = "threads",
) -> None:
    """Read both ends of every trunk (or replay saved outputs) and check they agree."""
    from lagprov.runs import verify_run

    inv = _load(inventory)
    _check_filters(inv, filters)
    _check_dirs(from_dir, reports, save=save, output=output)
    accepted = _check_accept(accept)
    runner = pick_executor(executor) if from_dir is None else None
    try:
        with progress_bar(_device_count(inv, filters)) as progress, broker_guard():
            report = verify_run(inv, devices=filters, from_dir=from_dir, save_dir=save,
                                reports_dir=reports, workers=workers, progress=progress,
                                executor=runner)
    except (ConfigError, InputError) as exc:
        _err(f"lagprov: {exc}")
        raise typer.Exit(ExitStatus.BAD_INPUT) from None
    report = report.gated(strict=strict, accept=accepted)
    _emit(render_report(report, fmt, verbose=verbose), output)
    raise typer.Exit(int(exit_status(report)))


@app.command()
def audit(
    inventory: InventoryOpt = DEFAULT_INVENTORY,
    filters: FilterOpt = None,
    from_dir: FromOpt = None,
    save: SaveOpt = None,
    reports: ReportsOpt = None,
    fmt: FormatOpt = Format.TEXT,
    output: OutputOpt = None,
    workers: WorkersOpt = DEFAULT_WORKERS,
    state: StateOpt = None,
    verbose: VerboseOpt = False,
    strict: StrictOpt = False,
    accept: AcceptOpt = None,
    executor: ExecutorOpt = "threads",
) -> None:
    """Verify, keep the run in the audit history, and report what changed since the last."""
    from lagprov.runs import audit_run, delta_text

    inv = _load(inventory)
    _check_filters(inv, filters)
    _check_dirs(from_dir, reports, save=save, output=output, state=state)
    if state is None:
        from lagprov.runs.audit import state_dir_default

        check_folder("LAGPROV_STATE", state_dir_default())
    accepted = _check_accept(accept)
    runner = pick_executor(executor) if from_dir is None else None
    try:
        with progress_bar(_device_count(inv, filters)) as progress, broker_guard():
            report, delta = audit_run(inv, state_dir=state, devices=filters, from_dir=from_dir,
                                      save_dir=save, reports_dir=reports, workers=workers,
                                      progress=progress, executor=runner)
    except (ConfigError, InputError) as exc:
        _err(f"lagprov: {exc}")
        raise typer.Exit(ExitStatus.BAD_INPUT) from None
    report = report.gated(strict=strict, accept=accepted)
    if fmt is Format.JSON:
        text = json.dumps({"report": report.model_dump(mode="json"),
                           "delta": delta.model_dump(mode="json")}, indent=2)
    elif fmt is Format.JUNIT:
        text = render_report(report, fmt)
        _err(delta_text(delta))
    else:
        body = render_report(report, fmt, verbose=verbose).rstrip("\n")
        text = body + "\n\n" + delta_text(delta) + "\n"
    _emit(text, output)
    raise typer.Exit(int(exit_status(report)))


@app.command()
def schema() -> None:
    """Print the JSON schema of the verify report (``--format json``; ``audit`` wraps it as
    ``{"report": ..., "delta": ...}``).  The same schema is docs/report.schema.json."""
    from lagprov.report.json import json_schema

    typer.echo(json.dumps(json_schema(), indent=2, sort_keys=True))
