"""Benchmark 3: offline verification (``verify --from``) of a replicated fleet, at N and 2N.

Each size runs in its own process (``python -m bench.verify_offline OUT.json COPIES``) so that
``ru_maxrss`` is that size's alone; the parent reads the figures back and prints them side by
side with the growth from N to 2N (linear: x2; goal <= x2.2) and the baselines of issue 15.
A stage's growth is the median over three processes per size (``... COPIES stages`` times
the stages alone), with the Python calls each stage made at N and 2N beside it: the calls are
the same on any machine, the time is not.  ``python -m bench.verify_offline`` alone runs N
and 2N and prints the figures.
"""

from __future__ import annotations

import cProfile
import gc
import json
import os
import pstats
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
from lagprov.model.inventory import Inventory
from lagprov.observe.collect import collection_plan
from lagprov.report import build_run_report
from lagprov.runs.replay import PROCESSES_ENV, parse_processes
from lagprov.runs.verify import _frozen_heap, run_data, verify_run
from lagprov.verify import verify_all

COPIES = 167  # x 6 switches of the example fabric = 1,002 switch configurations (N)
RUNS = 3
STAGE_PROCESSES = 3  # processes per size whose stage timings give a stage's growth
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
        figs.update(_stages(inv, saved))
    out.write_text(json.dumps(figs), encoding="utf-8")


def measure_stages(out: Path, copies: int) -> None:
    """The stages alone (:func:`_stages`) on a fleet of ``copies``: one more process's sample
    of each stage's growth."""
    with tempfile.TemporaryDirectory() as tmp:
        inv_dir, saved, _ = replicate(Path(tmp), copies)
        inv = load_inventory(inv_dir)
        verify_run(inv, from_dir=saved)  # warm, as in :func:`measure`
        out.write_text(json.dumps(_stages(inv, saved)), encoding="utf-8")


def _stages(inv: Inventory, saved: Path) -> dict[str, Any]:
    """Each stage of :data:`STAGES` timed (:func:`_median`), and the Python function calls of
    one run of it (cProfile's count: the same on any machine, however loaded)."""
    figs: dict[str, Any] = {}
    data = run_data(inv, from_dir=saved)
    plan = collection_plan(inv)
    findings = verify_all(plan.trunks, data.switches, data.hosts, hardware=inv.hardware)
    stages: dict[str, Callable[[], object]] = {
        STAGES[1]: lambda: verify_all(plan.trunks, data.switches, data.hosts,
                                      hardware=inv.hardware),
        STAGES[2]: lambda: build_run_report("verify", plan.trunks, findings, data.switches,
                                            data.hosts, hardware=inv.hardware),
        STAGES[3]: lambda: collection_plan(inv),
    }
    for stage, fn in stages.items():
        with _frozen_heap():  # the stages as the run makes them (no full collection inside)
            figs[stage] = _median(fn)
        figs[f"{stage} calls"] = _calls(fn)
    return figs


def _calls(fn: Callable[[], object]) -> int:
    """Python function calls made by one call of ``fn``."""
    prof = cProfile.Profile()
    prof.runcall(fn)
    return int(pstats.Stats(prof).total_calls)  # type: ignore[attr-defined]


def _full_collections() -> list[int]:
    """A list that gets an entry per full (generation 2) garbage collection from now on."""
    seen: list[int] = []
    gc.callbacks.append(lambda phase, info: seen.append(1)
                        if phase == "start" and info["generation"] == 2 else None)
    return seen


def _maxrss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _child(copies: int, processes: int | None = None, *, stages_only: bool = False
           ) -> dict[str, Any]:
    env = dict(os.environ)
    if processes is not None:
        env[PROCESSES_ENV] = str(processes)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "verify.json"
        mode = ["stages"] if stages_only else []
        subprocess.run([sys.executable, "-m", "bench.verify_offline", str(out), str(copies),
                        *mode], cwd=REPO, check=True, timeout=1200, env=env)
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
    add(f"growth N -> 2N: {STAGES[0]}", big[STAGES[0]][0] / small[STAGES[0]][0], "x",
        _growth_note([small[STAGES[0]]], [big[STAGES[0]]], STAGES[0]))
    # A stage's time varies by x1.5 from one process to the next (its heap's layout): each
    # size's figure is the median over STAGE_PROCESSES processes, sizes alternated.
    smalls, bigs = [small], [big]
    for k in range(STAGE_PROCESSES - 1):
        for copies_k, into in ((2 * copies, bigs), (copies, smalls))[:: 1 if k % 2 else -1]:
            into.append(_child(copies_k, stages_only=True))
    for stage in STAGES[1:]:
        a = statistics.median(f[stage][0] for f in smalls)
        b = statistics.median(f[stage][0] for f in bigs)
        calls = ", ".join(f"x{b2[stage + ' calls'] / a2[stage + ' calls']:.3f}"
                          for a2, b2 in zip(smalls, bigs, strict=True))
        add(f"growth N -> 2N: {stage}", b / a, "x",
            _growth_note([f[stage] for f in smalls], [f[stage] for f in bigs], stage)
            + f"; Python calls {calls} (counted: the work, whatever the machine)")


def _growth_note(smalls: list[list[Any]], bigs: list[list[Any]], stage: str) -> str:
    """Wall and CPU at N and 2N (medians over the processes' medians, each process's own
    median of RUNS), the per-process medians' spread, the baseline and the goal."""
    def med(fs: list[list[Any]], i: int) -> float:
        return float(statistics.median(f[i] for f in fs))
    a, b, ca, cb = med(smalls, 0), med(bigs, 0), med(smalls, 2), med(bigs, 2)
    per = [f[0] for f in bigs]
    spread = (f"median of {len(per)} processes x {RUNS} runs, per-process "
              f"{min(per):.3f}-{max(per):.3f} s at 2N" if len(per) > 1 else _spread(bigs[0][1]))
    return (f"wall {a:.3f} s -> {b:.3f} s ({spread}); CPU {ca:.3f} s -> {cb:.3f} s = "
            f"x{cb / ca:.2f}; baseline x{BASELINE_GROWTH[stage]}; goal <= x2.2")


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
    if len(sys.argv) in (3, 4):
        (measure_stages if sys.argv[3:] == ["stages"] else measure)(Path(sys.argv[1]),
                                                                     int(sys.argv[2]))
        return
    results = Results()
    run(results)
    print("\n" + results.table())


if __name__ == "__main__":
    main()
