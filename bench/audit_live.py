"""Benchmark 4: ``audit_run`` against a running lab (live reads of every switch and host), and
the CPU the lab spent answering it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.common import Results, timed
from bench.lab_child import ChildLab
from lagprov.model.inventory import Inventory
from lagprov.observe.collect import collection_plan
from lagprov.runs.audit import audit_run


def run_audit(results: Results, fabric: ChildLab, live: Inventory, label: str) -> None:
    """One audit of ``live``: wall time, per-device time, and whether it came out healthy."""
    with tempfile.TemporaryDirectory() as tmp:
        reports = Path(tmp) / "reports"
        fabric.write_host_reports(reports)  # Windows hosts are read from their own reports
        lab_before = fabric.cpu_seconds()
        seconds, (report, _) = timed(
            lambda: audit_run(live, state_dir=Path(tmp) / "state", reports_dir=reports))
        lab_cpu = fabric.cpu_seconds() - lab_before
    c = report.counts
    devices = collection_plan(live).device_count or 1
    health = (f"{c.trunks} trunks, {c.passed} passed, {c.failed} failed, "
              f"{c.warnings} warnings, {len(report.errors)} device errors")
    results.add("audit", f"{label}: wall", seconds, "s", health)
    results.add("audit", f"{label}: per device", seconds / devices * 1000, "ms",
                f"{devices} devices (switches + hosts)")
    # the lab runs in a child process: its whole CPU (every thread) is what the lab cost the
    # audit (issue 15 goal: <= 8 s for the 50-switch audit, so the figures above measure lagprov)
    results.add("audit", f"{label}: lab CPU", lab_cpu, "s",
                f"lab child process (all threads), {lab_cpu / seconds:.0%} of the audit's wall "
                f"time" if seconds else "lab child process (all threads)")


def main(argv: list[str]) -> None:
    """``python -m bench.audit_live [--fleet]``: this piece alone (4a, or 4b with ``--fleet``):
    the fabric provisioned in a fresh lab, then one audit with the lab's CPU beside it."""
    from bench.common import EXAMPLE_INVENTORY, use_lab_credentials
    from bench.fleet import generate_fleet, running_lab
    from lagprov.intent.load import load_inventory
    from lagprov.runs.provision import DEFAULT_WORKERS, provision_run

    use_lab_credentials()
    results = Results()
    with tempfile.TemporaryDirectory() as tmp:
        fleet = "--fleet" in argv
        folder = generate_fleet(Path(tmp) / "fleet")[0] if fleet else EXAMPLE_INVENTORY
        inv = load_inventory(folder)
        with running_lab(inv, "127.0.208.0", Path(tmp) / "lab") as (fabric, live):
            provision_run(live, commit=True, workers=DEFAULT_WORKERS)
            run_audit(results, fabric, live, f"audit_run, {len(inv.switches)} switches")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
