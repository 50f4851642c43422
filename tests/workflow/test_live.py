"""Live ``verify`` and ``audit`` against the lab fabric (SSH on a fresh 127.x.y.0 block)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LabFabric
from lagprov.model.inventory import Inventory
from lagprov.report import ErrorKind, ExitStatus, RunReport, exit_status
from lagprov.runs.audit import audit_run
from lagprov.runs.verify import verify_run
from lagprov.verify import Status
from tests.workflow.labkit import LAB_ENV, configure_as_intended

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Lab:
    fabric: LabFabric
    inv: Inventory
    reports: Path


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    base = tmp_path_factory.mktemp("lab")
    inv = load_inventory(REPO / "inventory")
    fabric = LabFabric.from_inventory(inv, rebase="auto")
    configure_as_intended(fabric, inv)
    fabric.start()
    with pytest.MonkeyPatch.context() as mp:
        for k, v in LAB_ENV.items():
            mp.setenv(k, v)
        try:
            live_inv = load_inventory(fabric.write_inventory(base / "inventory"))
            for host in fabric.hosts.values():
                host.write_reports(base / "reports")
            yield Lab(fabric, live_inv, base / "reports")
        finally:
            fabric.close()


def _verdicts(report: RunReport) -> list[tuple[str, str, str | None, str | None, Status]]:
    return [(f.trunk, f.rule, f.device, f.subject, f.status) for f in report.findings]


def test_live_and_replay_of_what_it_saved_agree(lab: Lab, tmp_path: Path) -> None:
    live = verify_run(lab.inv, save_dir=tmp_path / "saved", reports_dir=lab.reports, workers=8)
    assert live.errors == ()
    assert [f for f in live.findings if f.failed] == []
    assert {f.status for f in live.findings if f.trunk == "lnx01-bond0"} == {Status.PASS}
    replay = verify_run(lab.inv, from_dir=tmp_path / "saved")
    assert _verdicts(replay) == _verdicts(live)
    assert [f.message for f in replay.findings] == [f.message for f in live.findings]


def test_refused_login_is_a_device_error_and_others_are_verified(lab: Lab) -> None:
    faults = lab.fabric.faults("cat2960s-1")
    faults.auth_fail = True
    try:
        report = verify_run(lab.inv, devices=["cat2960s-1", "lnx01"], reports_dir=lab.reports)
    finally:
        faults.auth_fail = False
    assert [(e.device, e.kind) for e in report.errors] == [("cat2960s-1", ErrorKind.AUTH)]
    assert {f.status for f in report.findings if f.trunk == "lnx01-bond0"} == {Status.PASS}
    assert {f.status for f in report.findings
            if f.trunk == "esx01-vswitch0" and f.rule == "lag-present"} == {Status.UNVERIFIABLE}
    assert exit_status(report) is ExitStatus.DEVICE_ERROR


def test_live_audit_sees_a_host_changing_its_bond_mode(lab: Lab, tmp_path: Path) -> None:
    _, first = audit_run(lab.inv, state_dir=tmp_path, devices=["lnx01"])
    assert first.previous is None
    lab.fabric.set_host_team("lnx01", "balance-xor")
    try:
        report, delta = audit_run(lab.inv, state_dir=tmp_path, devices=["lnx01"])
    finally:
        lab.fabric.set_host_team("lnx01", "802.3ad")
    assert ("host-team-mode", "lnx01") in {(f.rule, f.device) for f in delta.new_failures}
    eos_changes = {c.subject: (c.before, c.after) for c in delta.status_changes
                   if c.device == "eos7120-1"}
    assert eos_changes, "the switch members should leave the bundled state"
    assert all(before == "bundled" and after != "bundled"
               for before, after in eos_changes.values())
    assert exit_status(report) is ExitStatus.FINDINGS
