"""Benchmark 2: ``provision_run`` plan / apply / idempotent re-apply in the lab."""

from __future__ import annotations

from bench.common import Results, timed
from bench.lab_child import ChildLab
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import OutcomeStatus
from lagprov.runs.provision import ProvisionReport, provision_run

_EXPECTED = {False: {OutcomeStatus.PLANNED, OutcomeStatus.NOOP},
             True: {OutcomeStatus.APPLIED, OutcomeStatus.NOOP}}


def _logged(fabric: ChildLab) -> int:
    """Configuration lines received by every lab switch so far."""
    return fabric.config_lines()


def _check(report: ProvisionReport, commit: bool, what: str) -> str:
    """'' when every device ended as expected, else a short note naming the others."""
    bad = [f"{o.device}={o.status.value}" for o in report.outcomes
           if o.status not in _EXPECTED[commit]]
    if bad:
        print(f"  !! {what}: unexpected outcomes: {', '.join(bad[:6])}"
              + (f" (+{len(bad) - 6})" if len(bad) > 6 else ""), flush=True)
        for o in report.outcomes:
            if o.status not in _EXPECTED[commit] and o.error:
                print(f"     {o.device}: {o.error[:200]}", flush=True)
                break
        return f"{len(bad)} UNEXPECTED"
    return ""


def step(results: Results, bench: str, label: str, inv: Inventory, *, commit: bool,
         workers: int, fabric: ChildLab | None = None) -> ProvisionReport:
    """Time one ``provision_run`` and record it (with the device count and any failures)."""
    before = _logged(fabric) if fabric is not None else 0
    seconds, report = timed(lambda: provision_run(inv, commit=commit, workers=workers))
    n = len(report.outcomes)
    notes = [f"{n} switches, {workers} workers", _check(report, commit, label)]
    if fabric is not None:
        notes.append(f"{_logged(fabric) - before} config lines sent")
    results.add(bench, label, seconds, "s", "; ".join(x for x in notes if x))
    return report
