"""Shared helpers: timing, the figures collected by every benchmark, the summary table."""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_INVENTORY = REPO / "inventory"
SAVED = REPO / "tests" / "workflow" / "saved"
LAB_ENV = {"LAGPROV_USERNAME": "lab", "LAGPROV_PASSWORD": "lab-password",
           "LAGPROV_SECRET": "lab-secret"}

_T = TypeVar("_T")


def use_lab_credentials() -> None:
    """The lab's credentials in this process's environment (lagprov reads them from there)."""
    os.environ.update(LAB_ENV)


@dataclass
class Figure:
    """One measured value."""

    bench: str
    name: str
    value: float
    unit: str
    note: str = ""


@dataclass
class Results:
    """Every figure measured in this run, in order."""

    figures: list[Figure] = field(default_factory=list)

    def add(self, bench: str, name: str, value: float, unit: str, note: str = "") -> None:
        """Record a figure and print it as a labelled line at once."""
        self.figures.append(Figure(bench, name, value, unit, note))
        extra = f"  ({note})" if note else ""
        print(f"  [{bench}] {name}: {fmt(value, unit)}{extra}", flush=True)

    def table(self) -> str:
        """The summary table (plain text)."""
        rows = [(f.bench, f.name, fmt(f.value, f.unit), f.note) for f in self.figures]
        heads = ("bench", "figure", "value", "note")
        widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
                  for i, h in enumerate(heads)]
        def line(cells: tuple[str, ...]) -> str:
            return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
        out = [line(heads), line(tuple("-" * w for w in widths))]
        out += [line(r) for r in rows]
        return "\n".join(out)

    def as_json(self) -> str:
        """Every figure as JSON (printed, never written to the repository)."""
        return json.dumps([f.__dict__ for f in self.figures], indent=1)


def fmt(value: float, unit: str) -> str:
    """``value`` with a sensible number of digits for ``unit``."""
    if unit in ("count", "devices", "lines", "runs", "workers"):
        return f"{value:.0f} {unit}"
    if abs(value) >= 100:
        return f"{value:.0f} {unit}"
    if abs(value) >= 10:
        return f"{value:.1f} {unit}"
    return f"{value:.2f} {unit}" if abs(value) >= 0.1 else f"{value:.3f} {unit}"


def timed(fn: Callable[[], _T]) -> tuple[float, _T]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median_of(runs: int, fn: Callable[[], object]) -> tuple[float, list[float]]:
    """Median and every sample (seconds) of ``runs`` calls."""
    samples = [timed(fn)[0] for _ in range(runs)]
    return statistics.median(samples), samples


@contextmanager
def section(title: str) -> Iterator[None]:
    """Print a header and the section's wall time."""
    print(f"\n== {title}", flush=True)
    start = time.perf_counter()
    try:
        yield
    finally:
        print(f"   ({title}: {time.perf_counter() - start:.1f} s)", flush=True)


def run_alone(run: Callable[[Results], None]) -> None:
    """``python -m bench.<piece>``: that piece's ``run`` alone, with the lab's credentials,
    then its figures as a table."""
    use_lab_credentials()
    results = Results()
    run(results)
    print("\n" + results.table())
