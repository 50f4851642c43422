"""The service's link to the verification workflow (``lagprov.runs.verify``; optional here).

The handshake lets a host pipeline hand in its own report files (Windows LBFO JSON, esxcli
text, ``/proc/net/bonding``) in the request: hosts the service cannot log in to are then
judged on what the host says about itself, the switch ends on what the service reads.
"""

from __future__ import annotations

import importlib
import tempfile
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from lagprov.errors import InputError, InputErrors
from lagprov.model.intent import TrunkIntent
from lagprov.model.inventory import Inventory
from lagprov.report import RunReport
from lagprov.runs import POSTED_MARK
from lagprov.service.models import VerifyResponse
from lagprov.service.verdict import TrunkVerdict, verdict_from_report

MAX_REPORT_BYTES = 1_000_000


class VerifyFn(Protocol):
    """``lagprov.runs.verify.verify_run``'s shape, as far as the service uses it."""

    def __call__(self, inv: Inventory, *, devices: Collection[str] | None = None,
                 reports_dir: Path | None = None, workers: int = ...) -> RunReport:
        """Read the devices and judge every selected trunk."""
        ...


def find_verifier() -> VerifyFn | None:
    """The verify workflow's ``verify_run``, or None while it is not installed."""
    try:
        module = importlib.import_module("lagprov.runs.verify")
    except ModuleNotFoundError:
        return None
    run: VerifyFn | None = getattr(module, "verify_run", None)
    return run


def run_verify(verifier: VerifyFn, inv: Inventory, names: Sequence[str], *,
               reports_dir: Path | None, workers: int, strict: bool = False,
               accept: tuple[str, ...] = ()) -> VerifyResponse:
    """``POST /verify``: the RunReport with its totals and exit status (as the CLI's)."""
    report = verifier(inv, devices=list(names) or None, reports_dir=reports_dir, workers=workers)
    return VerifyResponse(**dict(report.gated(strict=strict, accept=accept)))


def trunk_devices(trunk: TrunkIntent) -> set[str]:
    """Every device with an end of ``trunk`` (switches, peer, host)."""
    names = {e.device for e in trunk.switch_ends}
    if trunk.host is not None:
        names.add(trunk.host.device)
    return names


def allowed_reports(inv: Inventory, trunk: TrunkIntent) -> set[str]:
    """The report file names the host of ``trunk`` may hand in."""
    from lagprov.runs import collection_plan

    plan = collection_plan(inv, [trunk.name])
    host = trunk.host.device if trunk.host is not None else None
    return {f for job in plan.hosts if job.device == host for _, f in job.reports}


def _write_reports(inv: Inventory, trunk: TrunkIntent, reports: Mapping[str, str],
                   root: Path) -> None:
    allowed = allowed_reports(inv, trunk)
    bad = [InputError(f"body.reports.{name}", "not a report file this host writes "
                      f"(expected one of: {', '.join(sorted(allowed)) or 'none'})")
           for name in reports if name not in allowed]
    bad += [InputError(f"body.reports.{name}", f"larger than {MAX_REPORT_BYTES} bytes")
            for name, text in reports.items() if len(text.encode("utf-8")) > MAX_REPORT_BYTES]
    if bad:
        raise InputErrors(bad)
    assert trunk.host is not None  # allowed is empty otherwise, and bad non-empty
    folder = root / trunk.host.device
    folder.mkdir(parents=True)
    for name, text in reports.items():
        (folder / name).write_text(text, encoding="utf-8")
    # the evidence says "posted report", received now
    (root / POSTED_MARK).write_text(datetime.now(UTC).isoformat(timespec="seconds"),
                                    encoding="utf-8")


def run_ready(verifier: VerifyFn, inv: Inventory, trunk: TrunkIntent, *, nonce: str | None,
              reports: Mapping[str, str], reports_dir: Path | None,
              workers: int, accept: tuple[str, ...] = ()) -> TrunkVerdict:
    """Verify ``trunk`` alone (both ends) and judge it; the verdict is not signed yet.

    With ``reports``, the host is read from those files instead of ``reports_dir`` (a Linux
    host is also read live, and the two compared).
    """
    devices = trunk_devices(trunk)
    if not reports:
        report = verifier(inv, devices=[trunk.name], reports_dir=reports_dir, workers=workers)
        return verdict_from_report(trunk.name, devices, report, nonce=nonce, accept=accept)
    with tempfile.TemporaryDirectory(prefix="lagprov-ready-") as tmp:
        _write_reports(inv, trunk, reports, Path(tmp))
        report = verifier(inv, devices=[trunk.name], reports_dir=Path(tmp), workers=workers)
    return verdict_from_report(trunk.name, devices, report, nonce=nonce, accept=accept)
