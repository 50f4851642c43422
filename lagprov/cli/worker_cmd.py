"""``lagprov worker``: a Celery worker that runs the per-device stages of runs sent with
``--executor celery`` (registered on the main app when imported)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from lagprov.cli import _err, app
from lagprov.cli.exit import ExitStatus
from lagprov.errors import ConfigError
from lagprov.runs.executor import BrokerUnavailable

QUEUE_HELP = ("A site's queue to serve (repeatable): the devices whose data.queue names it. "
              "Default: the default queue (devices without data.queue).")


@app.command()
def worker(
    queues: Annotated[list[str] | None, typer.Option("--queue", "-Q", help=QUEUE_HELP)] = None,
    concurrency: Annotated[int, typer.Option(
        "--concurrency", "-c", min=1, help="Devices this worker handles at once.")] = 10,
    name: Annotated[str | None, typer.Option(
        "--name", help="Worker name (default lagprov-<queues>-<pid>@<host>).")] = None,
    loglevel: Annotated[str, typer.Option("--loglevel", help="Celery log level.")] = "warning",
) -> None:
    """Serve device tasks from the broker ($LAGPROV_BROKER_URL) until stopped.

    Device credentials come from this worker's own environment (LAGPROV_USERNAME,
    LAGPROV_PASSWORD, LAGPROV_SECRET, LAGPROV_<GROUP>_*); they never travel over the broker.
    The inventory folder a run names must be on this machine at the same path.
    """
    try:
        from lagprov.intent.devices import QUEUE_NAME
        from lagprov.runs.workers import DEFAULT_QUEUE, broker_url, configured, preflight
        from lagprov.runs.workers import tasks as _tasks  # registers the tasks
    except ModuleNotFoundError as exc:
        _err(f"lagprov: the worker needs the optional dependencies: pip install "
             f"'lagprov[workers]' ({exc.name} is missing)")
        raise typer.Exit(ExitStatus.BAD_INPUT) from None
    served = list(dict.fromkeys(queues or [DEFAULT_QUEUE]))
    if bad := [q for q in served if not QUEUE_NAME.fullmatch(q)]:
        _err(f"lagprov: --queue {bad[0]!r}: expected letters, digits, '-', '_' or '.'")
        raise typer.Exit(ExitStatus.BAD_INPUT)
    try:
        url = broker_url()
        preflight(url)
    except ConfigError as exc:
        _err(f"lagprov: {exc}")
        raise typer.Exit(ExitStatus.BAD_INPUT) from None
    except BrokerUnavailable as exc:
        _err(f"lagprov: {exc}")
        raise typer.Exit(ExitStatus.PARTIAL) from None
    _tasks.warm_up()
    node = name or f"lagprov-{'-'.join(served)}-{os.getpid()}@%h"
    configured(url).worker_main([
        "worker", "--pool", "threads", "--concurrency", str(concurrency),
        "--queues", ",".join(served), "--hostname", node, "--loglevel", loglevel,
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ])
