"""Benchmark 3: offline verification of a replicated fleet (``verify --from``).

Runs in its own process (``python -m bench.verify_offline OUT.json``) so ``ru_maxrss`` is this
benchmark's alone; the parent reads the figures back from ``OUT.json``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from bench.common import REPO, SAVED, Figure, Results, section, timed
from bench.replicate import replicate
from lagprov.intent.load import load_inventory
from lagprov.model.inventory import Inventory
from lagprov.observe.collect import CollectionPlan, collection_plan, parse_host, parse_switch
from lagprov.runs.verify import read_saved, verify_run
from lagprov.verify import verify_all

COPIES = 167  # x 6 switches of the example fabric = 1,002 switch configurations


def _read_all(plan: CollectionPlan, saved: Path) -> dict[str, dict[str, str]]:
    out = {sw.device: dict(read_saved(saved, sw.device, sw.commands).outputs)
           for sw in plan.switches}
    for h in plan.hosts:
        out[h.device] = dict(read_saved(saved, h.device,
                                        [c for c, _ in h.reports] or h.commands).outputs)
    return out


def _core(plan: CollectionPlan, captures: dict[str, dict[str, str]]) -> int:
    """Parse every capture and verify every trunk; the number of findings."""
    switches = {}
    for sw in plan.switches:
        state, err = parse_switch(sw, captures[sw.device])
        if err is None and state is not None:
            switches[sw.device] = state
    hosts = {}
    for h in plan.hosts:
        hstate, herr = parse_host(h, captures[h.device])
        if herr is None and hstate is not None:
            hosts[h.device] = hstate
    return len(verify_all(plan.trunks, switches, hosts))


def measure(out: Path) -> None:
    """Build the fleet, time the runs, write the figures to ``out``."""
    figs: list[Figure] = []
    add = _adder(figs)
    base = verify_run(load_inventory(SAVED / "inventory"), from_dir=SAVED / "healthy").counts
    with tempfile.TemporaryDirectory() as tmp:
        build_s, (inv_dir, saved, n) = timed(lambda: replicate(Path(tmp), COPIES))
        load_s, inv = timed(lambda: load_inventory(inv_dir))
        add("build fleet (replicate saved outputs)", build_s, "s", f"{n} switches")
        add("load_inventory of the fleet", load_s, "s",
            f"{len(inv.switches)} switches, {len(inv.hosts)} hosts, {len(inv.trunks)} trunks")
        e2e_s, report = timed(lambda: verify_run(inv, from_dir=saved))
        c = report.counts
        ok = (c.passed == base.passed * COPIES and c.failed == 0 and not report.errors)
        add("verify_run end to end", e2e_s, "s",
            f"{c.passed} passed, {c.failed} failed, {c.unverifiable} unverifiable, "
            f"{len(report.errors)} errors; {'= ' if ok else '!= '}{COPIES} x the saved run")
        add("end to end: switch configs per second", n / e2e_s, "cfg/s")
        _core_figures(figs, inv, saved, n)
    add("ru_maxrss of the verify process", _maxrss_mib(), "MiB")
    out.write_text(json.dumps([f.__dict__ for f in figs]), encoding="utf-8")


def _adder(figs: list[Figure]) -> Callable[..., None]:
    def add(name: str, value: float, unit: str, note: str = "") -> None:
        figs.append(Figure("verify", name, value, unit, note))
    return add


def _core_figures(figs: list[Figure], inv: Inventory, saved: Path, n: int) -> None:
    add = _adder(figs)
    plan = collection_plan(inv)
    read_s, captures = timed(lambda: _read_all(plan, saved))
    add("read saved outputs", read_s, "s")
    core_s, findings = timed(lambda: _core(plan, captures))
    add("parse+verify core", core_s, "s", f"{findings} findings")
    add("core: switch configs per second", n / core_s, "cfg/s")
    tracemalloc.start()
    try:
        _core(plan, captures)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    add("tracemalloc peak of parse+verify core", peak / 2**20, "MiB",
        "captures already in memory; a separate run")


def _maxrss_mib() -> float:
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return kib / 1024


def run(results: Results) -> None:
    """Run :func:`measure` in a child process and record its figures."""
    with section("3. offline verification of a 1,002-switch fleet"), \
            tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "verify.json"
        subprocess.run([sys.executable, "-m", "bench.verify_offline", str(out)], cwd=REPO,
                       check=True, timeout=400)
        for f in json.loads(out.read_text(encoding="utf-8")):
            results.add(f["bench"], f["name"], f["value"], f["unit"], f["note"])


if __name__ == "__main__":
    measure(Path(sys.argv[1]))
