"""Benchmark 1: Netmiko ``supermicro_smis`` (stock) vs lagprov's fast SMIS device type.

One run = connect + ``send_config_set`` of the rendered port-channel configuration of the
example fabric's SMIS switch + disconnect, against the lab switch served on loopback.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from netmiko import ConnectHandler

from bench.common import EXAMPLE_INVENTORY, LAB_ENV, Results, median_of, section
from bench.fleet import running_lab
from lagprov.edge.smis_driver import register_fast_smis
from lagprov.intent.load import load_inventory
from lagprov.provision.render import render_device

DEVICE = "sse-x24s-1"
BLOCK = "127.0.203.0"
RUNS = 3


def push_lines() -> list[str]:
    """The first trunk's lines (port-channel 1, Ex 0/1, Ex 0/2) as lagprov renders them."""
    lines = list(render_device(load_inventory(EXAMPLE_INVENTORY), DEVICE).lines)
    cut = next((i for i, line in enumerate(lines) if line.startswith("interface Ex 0/5")),
               len(lines))
    return lines[:cut]


def _one_push(address: str, port: int, device_type: str, lines: list[str]) -> None:
    conn = ConnectHandler(device_type=device_type, host=address, port=port,
                          username=LAB_ENV["LAGPROV_USERNAME"],
                          password=LAB_ENV["LAGPROV_PASSWORD"], fast_cli=True, timeout=60)
    try:
        out = conn.send_config_set(lines)
        if "% Invalid" in out:
            raise RuntimeError(f"{device_type}: the switch rejected a line:\n{out}")
    finally:
        conn.disconnect()


def run(results: Results) -> None:
    """Median of :data:`RUNS` pushes with each driver."""
    with section("1. SMIS connect + send_config_set + disconnect"), \
            tempfile.TemporaryDirectory() as tmp:
        lines = push_lines()
        fast_type = register_fast_smis()
        with running_lab(load_inventory(EXAMPLE_INVENTORY), BLOCK, Path(tmp)) as (fabric, _):
            address, port = fabric.addresses[DEVICE], fabric.ports[DEVICE].ssh
            for label, device_type in (("stock supermicro_smis", "supermicro_smis"),
                                       (f"lagprov {fast_type}", fast_type)):
                med, samples = median_of(
                    RUNS, lambda t=device_type: _one_push(address, port, t, lines))
                results.add("smis", f"{label}: median of {RUNS} runs", med, "s",
                            f"{len(lines)} lines; runs " + ", ".join(f"{s:.2f}" for s in samples))
