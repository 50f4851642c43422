"""``history``: questions asked of the audit history (the database ``audit`` writes)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from lagprov.cli import _err, app
from lagprov.cli.exit import ExitStatus
from lagprov.cli.options import Format, check_folder
from lagprov.errors import ConfigError, InputError
from lagprov.model.base import Model
from lagprov.runs.audit import delta_text, state_dir_default
from lagprov.runs.history import DbAuditStore, audit_store, run_store
from lagprov.runs.history import queries as q

history_app = typer.Typer(
    help="The audit history: a trunk's timeline, the diff of any two audits, failures open "
         "for long, retention.  Kept in $LAGPROV_DATABASE_URL, else <state>/lagprov.db.",
    no_args_is_help=True)
app.add_typer(history_app, name="history")

StateOpt = Annotated[Path | None, typer.Option(
    "--state", help="State folder (default $LAGPROV_STATE or .lagprov).")]
FmtOpt = Annotated[Format, typer.Option("--format", help="text or json.")]


def _store(state: Path | None, fmt: Format) -> DbAuditStore:
    if fmt not in (Format.TEXT, Format.JSON):
        _err(f"lagprov: history --format {fmt.value}: only text and json")
        raise typer.Exit(ExitStatus.BAD_INPUT)
    if state is None:
        check_folder("LAGPROV_STATE", state_dir_default(), create=False)
    check_folder("--state", state, create=False)
    try:
        return audit_store(state or state_dir_default())
    except ConfigError as exc:
        _err(f"lagprov: {exc}")
        raise typer.Exit(ExitStatus.BAD_INPUT) from None


def _json(items: Model | Sequence[Model]) -> None:
    data = (items.model_dump(mode="json") if isinstance(items, Model)
            else [i.model_dump(mode="json") for i in items])
    typer.echo(json.dumps(data, indent=2))


def _label(*parts: str | None) -> str:
    return " ".join(x for x in parts if x)


@history_app.command("list")
def list_audits(
    limit: Annotated[int, typer.Option("--limit", help="How many audits, newest first.")] = 20,
    fmt: FmtOpt = Format.TEXT, state: StateOpt = None,
) -> None:
    """Stored audits, newest first, with their findings counted by status."""
    found = q.summaries(_store(state, fmt), limit)
    if fmt is Format.JSON:
        _json(found)
    elif not found:
        typer.echo("no audits stored yet ('lagprov audit' stores one)")
    for a in found if fmt is Format.TEXT else ():
        counts = ", ".join(f"{n} {status}" for status, n in a.counts.items()) or "no findings"
        typer.echo(f"{a.name}  {a.taken}  {counts}")


@history_app.command()
def trunk(
    name: Annotated[str, typer.Argument(help="A trunk name from the inventory.")],
    fmt: FmtOpt = Format.TEXT, state: StateOpt = None,
) -> None:
    """When the trunk's findings changed status (when it started failing) and what changed."""
    store = _store(state, fmt)
    if name not in q.trunks_seen(store):
        _err(f"lagprov: trunk {name!r}: no audit in the history has findings of it")
        raise typer.Exit(ExitStatus.BAD_INPUT)
    timeline = q.trunk_timeline(store, name)
    if fmt is Format.JSON:
        _json(timeline)
        return
    if not timeline:
        typer.echo(f"{name}: every audit passed")
    for entry in timeline:
        typer.echo(f"{entry.taken}  audit {entry.audit}")
        for c in entry.changes:
            typer.echo(f"  {_label(c.rule, c.device, c.subject)}: {c.before or 'first seen'} "
                       f"-> {c.after}: {c.message}")
        for v in entry.values:
            typer.echo(f"  observed: {v.device} {v.subject}: {v.before or '-'} -> "
                       f"{v.after or '-'}")


@history_app.command()
def diff(
    before: Annotated[str, typer.Argument(help="An audit name, 'latest' or 'latest~N'.")],
    after: Annotated[str, typer.Argument(help="An audit name, 'latest' or 'latest~N'.")],
    fmt: FmtOpt = Format.TEXT, state: StateOpt = None,
) -> None:
    """What changed between any two audits (as 'audit' reports against the previous one)."""
    store = _store(state, fmt)
    try:
        delta = q.diff_runs(store, before, after)
    except (ConfigError, InputError) as exc:
        _err(f"lagprov: {exc}")
        raise typer.Exit(ExitStatus.BAD_INPUT) from None
    if fmt is Format.JSON:
        _json(delta)
    else:
        typer.echo(delta_text(delta))


@history_app.command("open")
def open_failures(
    days: Annotated[float, typer.Option(
        "--days", min=0, help="Only failures open at least this many days.")] = 0,
    fmt: FmtOpt = Format.TEXT, state: StateOpt = None,
) -> None:
    """Findings failing in the newest audit and in every audit since they started failing;
    exit 1 if there is any."""
    from datetime import timedelta

    found = q.open_failures(_store(state, fmt), timedelta(days=days))
    if fmt is Format.JSON:
        _json(found)
    elif not found:
        typer.echo(f"no failure open for {days:g} day(s) or more")
    for f in found if fmt is Format.TEXT else ():
        typer.echo(f"{_label(f.trunk, f.rule, f.device, f.subject)}: failing since "
                   f"{f.since} ({f.days:g} days): {f.message}")
    raise typer.Exit(ExitStatus.FINDINGS if found else ExitStatus.OK)


@history_app.command()
def prune(
    keep: Annotated[str, typer.Option("--keep", help="Keep this much history: 90d, 12h, 2w.")],
    runs: Annotated[bool, typer.Option(
        "--runs", help="Also forget committed runs older than that (never an incomplete one: "
        "a device may still need it to be rolled back).")] = False,
    fmt: FmtOpt = Format.TEXT, state: StateOpt = None,
) -> None:
    """Forget audits older than --keep (never the newest one), with their JSON exports, and
    the service's audit jobs requested before then (never a queued or running one)."""
    try:
        span = q.parse_keep(keep)
    except InputError as exc:
        _err(f"lagprov: {exc}")
        raise typer.Exit(ExitStatus.BAD_INPUT) from None
    store = _store(state, fmt)
    done = q.prune(store, span, runs=run_store(state or state_dir_default()) if runs else None)
    if fmt is Format.JSON:
        _json(done)
        return
    typer.echo(f"pruned {len(done.audits)} audit(s), {len(done.jobs)} audit job(s)"
               + (f" and {len(done.runs)} run(s)" if runs else "") + f" older than {keep}")
