"""``lagprov lab``: run the built-in lab of simulated switches and hosts on loopback."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Annotated

import typer

from lagprov.errors import LagprovError
from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LAB_ENV, LabFabric, device_table

app = typer.Typer(help="The built-in lab: simulated switches and hosts on 127.0.0.0/8.",
                  no_args_is_help=True)


def start_lab(inventory: Path) -> tuple[LabFabric, float]:
    """Build and start the lab of ``inventory``; returns the fabric and the seconds it took."""
    began = time.monotonic()
    fabric = LabFabric.from_inventory(load_inventory(inventory))
    fabric.start()
    return fabric, time.monotonic() - began


def describe(fabric: LabFabric, seconds: float) -> str:
    """The table of devices and the environment to export, as printed by ``lab up``."""
    rows = device_table(fabric)
    width = max((len(r[0]) for r in rows), default=6)
    lines = [f"lab up in {seconds:.2f} s", "", f"{'device':<{width}}  address          ports"]
    lines += [f"{n:<{width}}  {a:<15}  {p}" for n, a, p in rows]
    lines += ["", "export these before running lagprov against the lab:"]
    lines += [f"  export {k}={v}" for k, v in LAB_ENV.items()]
    lines += ["", "Ctrl-C stops the lab."]
    return "\n".join(lines)


@app.command("up")
def up(
    inventory: Annotated[Path, typer.Option("--inventory", "-i", help="inventory folder")] = Path(
        "inventory"),
    reports: Annotated[Path, typer.Option(
        "--reports", help="Where the simulated hosts also write their own reports (refreshed "
        "every 2 s), for `lagprov verify --reports`.")] = Path(".lagprov/lab-reports"),
) -> None:
    """Start every device of the inventory in the foreground until Ctrl-C."""
    try:
        fabric, seconds = start_lab(inventory)
    except LagprovError as exc:
        typer.echo(f"lagprov lab: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(describe(fabric, seconds))
    typer.echo("every host is served over SSH (lagprov verify reads them live); their "
               f"reports too, for hosts read from files: {reports}  -> "
               f"lagprov verify --reports {reports}")
    stop = threading.Event()
    try:
        while True:
            fabric.write_host_reports(reports)
            if stop.wait(2.0):
                break
    except KeyboardInterrupt:
        typer.echo("stopping the lab")
    finally:
        fabric.close()
