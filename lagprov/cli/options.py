"""Option declarations shared by every command."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Format(StrEnum):
    """Output formats."""

    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"
    MD = "md"


InventoryOpt = Annotated[
    Path,
    typer.Option("--inventory", "-i", help="Inventory folder (Nornir inventory + trunks.yaml)."),
]
FilterOpt = Annotated[
    list[str] | None,
    typer.Option("--filter", "-f", help="Only these devices or trunks (name; repeatable)."),
]
DEFAULT_INVENTORY = Path("inventory")
StrictOpt = Annotated[bool, typer.Option(
    "--strict", help="CI gate: every unverifiable check fails the run (exit 1), except those on "
    "ends the inventory declares not observable and rules given to --accept-unverifiable.")]
AcceptOpt = Annotated[list[str] | None, typer.Option(
    "--accept-unverifiable", help="A rule id accepted as unverifiable under --strict "
    "(repeatable; the handshake's accept_unverifiable), e.g. partner-identity.")]


def require_format(command: str, fmt: Format, supported: tuple[Format, ...]) -> None:
    """Exit 2 (before anything is read or sent) when ``command`` has no ``fmt`` output."""
    if fmt not in supported:
        from lagprov.cli.exit import ExitStatus

        names = ", ".join(f.value for f in supported)
        typer.echo(f"lagprov: {command} --format {fmt.value} is not supported "
                   f"(supported: {names})", err=True)
        raise typer.Exit(ExitStatus.BAD_INPUT)


def _refuse(text: str) -> None:
    from lagprov.cli.exit import ExitStatus

    typer.echo(f"lagprov: {text}", err=True)
    raise typer.Exit(ExitStatus.BAD_INPUT)


def check_output_file(option: str, path: Path | None) -> None:
    """Exit 2, before anything is read, unless ``path`` can be written as a file."""
    if path is None:
        return
    parent = path.parent
    if path.is_dir():
        _refuse(f"{option} {path}: is a folder; give a file name")
    elif not parent.is_dir():
        _refuse(f"{option} {path}: folder {parent} does not exist")
    elif not os.access(path if path.exists() else parent, os.W_OK):
        _refuse(f"{option} {path}: not writable")


def check_folder(option: str, path: Path | None, *, create: bool = True) -> None:
    """Exit 2, before anything is read, unless ``path`` is (or can be made) a writable folder;
    without ``create`` (a command that only reads it), unless it is a folder or absent."""
    if path is None:
        return
    if path.exists() and not path.is_dir():
        _refuse(f"{option} {path}: not a folder")
    if not create:
        return
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _refuse(f"{option} {path}: cannot create it ({exc.strerror or type(exc).__name__})")
    if not os.access(path, os.W_OK | os.X_OK):
        _refuse(f"{option} {path}: not writable")


def write_output(option: str, path: Path, text: str) -> None:
    """Write ``text`` to ``path``; exit 2 with one line (never a traceback) when it fails."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        _refuse(f"{option} {path}: cannot write it ({exc.strerror or type(exc).__name__})")
