"""Benchmark 4: ``audit_run`` against a running lab (live reads of every switch and host)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.common import Results, timed
from lagprov.lab.fabric import LabFabric
from lagprov.model.inventory import Inventory
from lagprov.observe.collect import collection_plan
from lagprov.runs.audit import audit_run


def run_audit(results: Results, fabric: LabFabric, live: Inventory, label: str) -> None:
    """One audit of ``live``: wall time, per-device time, and whether it came out healthy."""
    with tempfile.TemporaryDirectory() as tmp:
        reports = Path(tmp) / "reports"
        fabric.write_host_reports(reports)  # Windows hosts are read from their own reports
        seconds, (report, _) = timed(
            lambda: audit_run(live, state_dir=Path(tmp) / "state", reports_dir=reports))
    c = report.counts
    devices = collection_plan(live).device_count or 1
    health = (f"{c.trunks} trunks, {c.passed} passed, {c.failed} failed, "
              f"{c.warnings} warnings, {len(report.errors)} device errors")
    results.add("audit", f"{label}: wall", seconds, "s", health)
    results.add("audit", f"{label}: per device", seconds / devices * 1000, "ms",
                f"{devices} devices (switches + hosts)")
