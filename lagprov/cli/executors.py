"""``--executor``: where a run's devices are read and changed (shared by verify, audit, plan
and apply)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from lagprov.cli.exit import ExitStatus
from lagprov.errors import ConfigError
from lagprov.runs.executor import ENV_EXECUTOR, BrokerUnavailable, Executor, executor_named

ExecutorOpt = Annotated[str, typer.Option(
    "--executor", envvar=ENV_EXECUTOR, help="threads: this process's thread pool (default); "
    "celery: 'lagprov worker' processes over the broker $LAGPROV_BROKER_URL (each device on "
    "its data.queue's workers).")]


def pick_executor(name: str) -> Executor:
    """The executor ``name``; exit 2 (nothing sent) when it cannot be used."""
    try:
        return executor_named(name)
    except ConfigError as exc:
        typer.echo(f"lagprov: {exc}", err=True)
        raise typer.Exit(ExitStatus.BAD_INPUT) from None


@contextmanager
def broker_guard() -> Iterator[None]:
    """A broker that cannot be reached: one line, exit 3 (no device was contacted)."""
    try:
        yield
    except BrokerUnavailable as exc:
        typer.echo(f"lagprov: {exc}", err=True)
        raise typer.Exit(ExitStatus.PARTIAL) from None
