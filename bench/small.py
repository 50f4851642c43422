"""Benchmark 5: lint + render of the example inventory, and the example lab's start time."""

from __future__ import annotations

import statistics

from bench.common import EXAMPLE_INVENTORY, Results, section, timed
from lagprov.intent.lint import lint_folder
from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LabFabric
from lagprov.provision.render import render_inventory

REPEATS = 5
BLOCK = "127.0.204.0"


def _lint_and_render() -> int:
    report = lint_folder(EXAMPLE_INVENTORY)
    if report.input_errors:
        raise RuntimeError(f"example inventory does not load: {report.input_errors}")
    return sum(len(r.lines) for r in render_inventory(load_inventory(EXAMPLE_INVENTORY)))


def _lab_start_stop() -> tuple[float, float]:
    fabric = LabFabric.from_inventory(load_inventory(EXAMPLE_INVENTORY), rebase=BLOCK)
    start_s, _ = timed(fabric.start)
    stop_s, _ = timed(fabric.close)
    return start_s, stop_s


def run(results: Results) -> None:
    """Median of :data:`REPEATS` of each (the first, cold, run reported apart)."""
    with section("5. lint + render, lab start"):
        cold_s, lines = timed(_lint_and_render)
        warm = [timed(_lint_and_render)[0] for _ in range(REPEATS)]
        results.add("small", "lint + render example inventory (cold, first call)",
                    cold_s * 1000, "ms", f"{lines} config lines rendered")
        results.add("small", f"lint + render example inventory (median of {REPEATS})",
                    statistics.median(warm) * 1000, "ms")
        build_s, _ = timed(lambda: LabFabric.from_inventory(
            load_inventory(EXAMPLE_INVENTORY), rebase=BLOCK).close())
        starts = [_lab_start_stop() for _ in range(REPEATS)]
        results.add("small", "LabFabric.from_inventory (example, 8 sw + 7 hosts)",
                    build_s * 1000, "ms")
        results.add("small", f"LabFabric.start() example fabric (median of {REPEATS})",
                    statistics.median(s for s, _ in starts) * 1000, "ms",
                    f"stop: {statistics.median(t for _, t in starts) * 1000:.0f} ms")
