"""Benchmarks 2 and 4: provisioning the example fabric and a generated 50-switch fleet in the
lab, then a live audit of the fleet.  ``python -m bench.lab_runs`` runs these alone."""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path

from bench.audit_live import run_audit
from bench.common import EXAMPLE_INVENTORY, Results, section
from bench.fleet import generate_fleet, running_lab
from bench.provision import step
from lagprov.intent.lint import lint_folder
from lagprov.intent.load import load_inventory
from lagprov.model.types import Severity
from lagprov.runs.provision import DEFAULT_WORKERS

EXAMPLE_BLOCK = "127.0.205.0"
# The 50-switch live audit (~12 s since the lab answers once per state change).
# BENCH_FLEET_AUDIT=0 skips it.
FLEET_AUDIT = os.environ.get("BENCH_FLEET_AUDIT", "1") == "1"
# fresh labs for the apply runs (each apply starts from an unconfigured fleet)
FLEET_BLOCKS = ("127.0.206.0", "127.0.207.0", "127.0.204.0", "127.0.203.0", "127.0.202.0",
                "127.0.201.0", "127.0.199.0")
APPLY_RUNS = int(os.environ.get("BENCH_APPLY_RUNS", "3"))  # per worker count, alternated


def run_example(results: Results) -> None:
    """Plan, apply --commit and re-apply the example fabric (default workers)."""
    with section("2a. provisioning the example fabric"), tempfile.TemporaryDirectory() as tmp, \
            running_lab(load_inventory(EXAMPLE_INVENTORY), EXAMPLE_BLOCK, Path(tmp)) as (fab, inv):
        w = DEFAULT_WORKERS
        step(results, "prov-example", "plan", inv, commit=False, workers=w, fabric=fab)
        step(results, "prov-example", "apply --commit", inv, commit=True, workers=w, fabric=fab)
        step(results, "prov-example", "re-apply (idempotent)", inv, commit=True, workers=w,
             fabric=fab)
        with section("4a. live audit of the example fabric"):
            run_audit(results, fab, inv, f"audit_run, example ({len(inv.switches)} switches)")


def run_fleet(results: Results) -> None:
    """Plan/apply the generated fleet with the default workers and with 1; audit it live.

    The apply speedup is the median of ``APPLY_RUNS`` applies at each worker count, each on a
    fresh lab (in a child process), the two counts alternated."""
    w = DEFAULT_WORKERS
    with tempfile.TemporaryDirectory() as tmp:
        folder, switches, trunks = generate_fleet(Path(tmp) / "fleet")
        errors = [f for f in lint_folder(folder).findings if f.severity is Severity.ERROR]
        if errors:
            print(f"  !! generated fleet has {len(errors)} lint errors, first: {errors[0]}")
        inv = load_inventory(folder)
        print(f"  fleet: {switches} switches, {len(inv.hosts)} hosts, {trunks} trunks")
        with section(f"2b. provisioning {switches} lab switches"), \
                running_lab(inv, FLEET_BLOCKS[0], Path(tmp) / "a") as (fab, live):
            for n in (w, 1):
                step(results, "prov-fleet", f"plan, {n} workers", live, commit=False, workers=n,
                     fabric=fab)
            step(results, "prov-fleet", f"apply --commit, {w} workers (after the plans)", live,
                 commit=True, workers=w, fabric=fab)
            step(results, "prov-fleet", f"re-apply (idempotent), {w} workers", live,
                 commit=True, workers=w, fabric=fab)
            if FLEET_AUDIT:
                with section(f"4b. live audit of {switches} lab switches"):
                    run_audit(results, fab, live, f"audit_run, {switches} switches")
            else:
                print(f"  (4b. live audit of {switches} switches skipped: BENCH_FLEET_AUDIT=0)")
        with section(f"2c. apply --commit on a fresh {switches}-switch lab, {w} and 1 workers, "
                     f"{APPLY_RUNS} runs each"):
            samples: dict[int, list[float]] = {w: [], 1: []}
            blocks = iter(FLEET_BLOCKS[1:] * 2)
            for k in range(APPLY_RUNS):
                for n in (w, 1) if k % 2 == 0 else (1, w):
                    with running_lab(inv, next(blocks), Path(tmp) / f"r{k}-{n}") as (fab, live):
                        step(results, "prov-fleet", f"apply --commit, {n} workers, run {k + 1}",
                             live, commit=True, workers=n, fabric=fab)
                        samples[n].append(results.figures[-1].value)
        many, one = (statistics.median(samples[n]) for n in (w, 1))
        for n, med in ((w, many), (1, one)):
            results.add("prov-fleet", f"apply --commit on a fresh lab, {n} workers", med, "s",
                        f"median of {len(samples[n])}, min-max {min(samples[n]):.1f}-"
                        f"{max(samples[n]):.1f} s; baseline "
                        f"{BASELINE_APPLY.get(n, '?')} s (issue 15)")
        ideal = min(w, switches)
        results.add("prov-fleet", f"apply speedup, {w} workers over 1", one / many, "x",
                    f"{one / many / ideal:.2f} of the ideal x{ideal} (goal >= 0.6); medians, "
                    f"the lab in a child process; baseline x7.3 (78 s / 10.7 s, issue 15)")


BASELINE_APPLY = {20: 10.7, 1: 78.0}


def run(results: Results) -> None:
    """Benchmarks 2 and 4a/4b: the example fabric, then the generated fleet."""
    run_example(results)
    run_fleet(results)


if __name__ == "__main__":
    from bench.common import run_alone

    run_alone(run)
