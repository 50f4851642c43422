"""Benchmark 3: offline verification (``verify --from``) of a replicated fleet, at N and 2N.

Each size runs in its own process (``python -m bench.verify_offline OUT.json COPIES``) so that
``ru_maxrss`` is that size's alone; the parent reads the figures back and prints them side by
side with the growth from N to 2N (linear: x2; goal <= x2.2) and the baselines of issue 15.
``python -m bench.verify_offline`` alone runs N and 2N and prints the figures.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import REPO, SAVED, Results, section, timed
from bench.pss import PeakPss, _pss_kib
from bench.replicate import replicate
from lagprov.intent.load import load_inventory
from lagprov.observe.collect import collection_plan
from lagprov.report import build_run_report
from lagprov.runs.replay import PROCESSES_ENV, parse_processes
from lagprov.runs.verify import _frozen_heap, run_data, verify_run
from lagprov.verify import verify_all

COPIES = 167  # x 6 switches of the example fabric = 1,002 switch configurations (N)
RUNS = 3
# Issue 15, measured before the fleet-size fixes: 1,002 configs end to end, and the growth of
# each stage when N doubles (linear: 2.00).
BASELINE = {"verify_run end to end": 14.5, "MiB": 238.0}
BASELINE_GROWTH = {"verify_run end to end": 3.06, "verification (verify_all)": 4.06,
                   "run report (build_run_report)": 4.40,
                   "collection plan (collection_plan)": 6.03}
STAGES = tuple(BASELINE_GROWTH)


def _median(fn: Callable[[], object]) -> tuple[float, list[float], float]:
    """(median wall seconds, every wall sample, median CPU seconds) of ``RUNS`` calls: CPU
    time is this process's and its parse processes' alone, so the figure holds on a machine
    others share."""
    walls, cpus = [], []
    for _ in range(RUNS):
        cpu = _cpu()
        walls.append(timed(fn)[0])
        cpus.append(_cpu() - cpu)
    return statistics.median(walls), walls, statistics.median(cpus)


def _cpu() -> float:
    """CPU seconds of this process and of its children that ended (the pools are shut down
    within each run)."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + kids.ru_utime + kids.ru_stime


def measure(out: Path, copies: int) -> None:
    """Build a fleet of ``copies``, time the run and its stages, write the figures to ``out``."""
    figs: dict[str, Any] = {}
    base = verify_run(load_inventory(SAVED / "inventory"), from_dir=SAVED / "healthy").counts
    with tempfile.TemporaryDirectory() as tmp:
        inv_dir, saved, n = replicate(Path(tmp), copies)
        os.sync()  # the fleet's files written out now, not by the kernel during the runs
        inv = load_inventory(inv_dir)
        figs["configs"] = n
        figs["trunks"] = len(inv.trunks)
        figs["processes"] = parse_processes(n)
        gc.collect()
        figs["MiB before the run"] = _maxrss()  # the fleet built and loaded
        figs["PSS MiB before the run"] = _pss_kib(os.getpid()) / 1024
        full = _full_collections()
        with PeakPss() as peak:  # the memory, warm-up, correctness check
            report = verify_run(inv, from_dir=saved)
        figs["MiB"] = _maxrss()
        figs["PSS MiB"] = peak.mib  # this process and its parse workers, pages shared once
        figs["worker MiB"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        figs["full collections"] = len(full)  # counted, not timed: a machine-proof figure
        gc.callbacks.pop()
        c = report.counts
        figs["ok"] = c.passed == base.passed * copies and c.failed == 0 and not report.errors
        del report
        figs["counts"] = f"{c.passed} passed, {c.failed} failed, {c.unverifiable} unverifiable"
        figs["verify_run end to end"] = _median(lambda: verify_run(inv, from_dir=saved))
        data = run_data(inv, from_dir=saved)
        plan = collection_plan(inv)
        findings = verify_all(plan.trunks, data.switches, data.hosts, hardware=inv.hardware)
        figs[STAGES[0]] = figs["verify_run end to end"]
        with _frozen_heap():  # the stages as the run makes them (no full collection inside)
            figs[STAGES[1]] = _median(lambda: verify_all(plan.trunks, data.switches,
                                                         data.hosts, hardware=inv.hardware))
            figs[STAGES[2]] = _median(lambda: build_run_report(
                "verify", plan.trunks, findings, data.switches, data.hosts,
                hardware=inv.hardware))
        figs[STAGES[3]] = _median(lambda: collection_plan(inv))
    out.write_text(json.dumps(figs), encoding="utf-8")


def _full_collections() -> list[int]:
    """A list that gets an entry per full (generation 2) garbage collection from now on."""
    seen: list[int] = []
    gc.callbacks.append(lambda phase, info: seen.append(1)
                        if phase == "start" and info["generation"] == 2 else None)
    return seen


def _maxrss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _child(copies: int, processes: int | None = None) -> dict[str, Any]:
    env = dict(os.environ)
    if processes is not None:
        env[PROCESSES_ENV] = str(processes)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "verify.json"
        subprocess.run([sys.executable, "-m", "bench.verify_offline", str(out), str(copies)],
                       cwd=REPO, check=True, timeout=1200, env=env)
        got: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return got


def _spread(samples: list[float]) -> str:
    return f"median of {len(samples)}, min-max {min(samples):.2f}-{max(samples):.2f} s"


def figures(add: Callable[..., None], copies: int = COPIES) -> None:
    """N and 2N side by side: time, growth, memory per config, against the baselines."""
    small, big = _child(copies), _child(2 * copies)
    for fig in (small, big):
        n = fig["configs"]
        e2e, samples, cpu = fig["verify_run end to end"]
        add(f"verify_run end to end, {n} configs", e2e, "s",
            f"{_spread(samples)}; CPU {cpu:.2f} s ({fig['processes']} parse processes); "
            f"{fig['counts']}"
            f"{'' if fig['ok'] else ' != the saved run x copies'}; "
            f"baseline {BASELINE['verify_run end to end']} s at 1,002; goal <= 5 s per 1,000")
        add(f"configs per second, {n} configs", n / e2e, "cfg/s")
        own = fig["PSS MiB"] - fig["PSS MiB before the run"]
        add(f"memory (summed PSS peak) per config, {n} configs", fig["PSS MiB"] / n, "MiB",
            f"{fig['PSS MiB']:.0f} MiB in all, this process and its {fig['processes']} parse "
            f"processes (pages they share counted once; interpreter, fleet build and load "
            f"included: {fig['PSS MiB before the run']:.0f} MiB before verify_run; the run's "
            f"own peak {own / n:.3f} MiB/config); ru_maxrss: this process "
            f"{fig['MiB']:.0f} MiB, the largest parse process {fig['worker MiB']:.0f} MiB "
            f"(its shared pages included); baseline {BASELINE['MiB'] / 1002:.2f} MiB/config "
            "(one process); goal <= 0.2")
    marginal = (big["PSS MiB"] - small["PSS MiB"]) / (big["configs"] - small["configs"])
    add("full garbage collections in one run, N and 2N",
        small.get("full collections", 0) + big.get("full collections", 0), "count",
        f"{small.get('full collections')} at N, {big.get('full collections')} at 2N (counted: "
        "wall and CPU growth are noisy on a shared machine)")
    add("memory per added config (2N - N, summed PSS)", marginal, "MiB", "goal <= 0.2")
    for stage in STAGES:
        (a, _, ca), (b, sb, cb) = small[stage], big[stage]
        add(f"growth N -> 2N: {stage}", b / a, "x",
            f"wall {a:.3f} s -> {b:.3f} s ({_spread(sb)} at 2N); CPU {ca:.3f} s -> {cb:.3f} s "
            f"= x{cb / ca:.2f}; baseline x{BASELINE_GROWTH[stage]}; goal <= x2.2")


def run(results: Results) -> None:
    """Record :func:`figures` (N = 1,002 and 2N = 2,004 configurations)."""
    with section("3. offline verification, 1,002 and 2,004 switch configurations"):
        figures(lambda *a, **k: results.add("verify", *a, **k))
        serial = _child(COPIES, processes=1)  # the same run parsed in this process alone
        e2e, samples, cpu = serial["verify_run end to end"]
        results.add("verify", f"verify_run end to end, {serial['configs']} configs, "
                    f"{PROCESSES_ENV}=1", e2e, "s",
                    f"{_spread(samples)}; CPU {cpu:.2f} s; "
                    f"{serial['PSS MiB'] / serial['configs']:.3f} MiB/config (PSS); the "
                    "parse pool's baseline")
        if os.environ.get("BENCH_10K", "1") == "1":  # 10,002 configurations, goal <= 50 s
            fig = _child(1667)
            e2e, samples, _ = fig["verify_run end to end"]
            results.add("verify", f"verify_run end to end, {fig['configs']} configs", e2e, "s",
                        f"{_spread(samples)}; {fig['PSS MiB'] / fig['configs']:.3f} MiB/config "
                        f"(summed PSS, {fig['processes']} parse processes); goal <= 50 s")


def main() -> None:
    if len(sys.argv) == 3:
        measure(Path(sys.argv[1]), int(sys.argv[2]))
        return
    results = Results()
    run(results)
    print("\n" + results.table())


if __name__ == "__main__":
    main()
