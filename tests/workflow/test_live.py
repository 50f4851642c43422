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


def _cli(lab: Lab, capsys: pytest.CaptureFixture[str], *args: str,
         inventory: str | None = None) -> tuple[int, str]:
    from lagprov.cli import main

    capsys.readouterr()
    code = main(["verify", "-i", inventory or lab.inv.root, "--workers", "8", *args])
    return code, capsys.readouterr().out


def test_clean_fabric_with_host_reports_is_clean_with_and_without_strict(
        lab: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 9: every host end is observed but the storage array, which the inventory declares
    not observable.  Issue 11: Windows and ESXi hosts are read live too; their reports are
    read beside the live read and agree with it (no host-report-agrees warning)."""
    for extra in ((), ("--strict",)):
        code, out = _cli(lab, capsys, "--reports", str(lab.reports), "--format", "json", *extra)
        report = RunReport.model_validate_json(out)
        assert report.errors == ()
        failing = [(f.trunk, f.rule, f.device) for f in report.findings if f.failed]
        blocking = [(f.trunk, f.rule, f.device) for t in report.trunks for f in t.blocking()]
        assert (code, failing, blocking) == (0, [], []), extra
        assert report.summary.not_observed == (
            "eonstor01: declared not observable in the inventory "
            "(hosts.yaml data.observable: false)",)
        eonstor = next(t for t in report.trunks if t.name == "eonstor01-tg1")
        assert [e.status for e in eonstor.ends] == ["pass", "declared"]
        for host in ("hv01", "esx01", "win-iscsi01", "lnx01"):
            end = next(e for t in report.trunks for e in t.ends if e.device == host)
            assert end.source == "live", host
        assert "host-report-agrees" not in {f.rule for f in report.findings}


def test_clean_fabric_without_host_reports_is_clean_with_strict(
        lab: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 11: no --reports needed: every reachable host is read live; only the storage
    array, declared not observable, is not observed, and that does not fail --strict."""
    code, out = _cli(lab, capsys, "--strict", "--format", "json")
    report = RunReport.model_validate_json(out)
    assert (code, report.errors) == (0, ())
    assert report.summary.not_observed == (
        "eonstor01: declared not observable in the inventory "
        "(hosts.yaml data.observable: false)",)


def test_an_unreachable_host_is_an_error_and_its_report_stands_in(
        lab: Lab, tmp_path: Path) -> None:
    """A host lagprov cannot reach: a device error for that host alone; with --reports its
    report file is used (the failure still reported)."""
    import shutil

    import yaml

    inv_dir = shutil.copytree(lab.inv.root, tmp_path / "inv")
    hosts = yaml.safe_load((inv_dir / "hosts.yaml").read_text())
    hosts["hv01"]["hostname"], hosts["hv01"]["port"] = "127.0.0.1", 9  # nothing listens
    (inv_dir / "hosts.yaml").write_text(yaml.safe_dump(hosts, sort_keys=False))
    inv = load_inventory(inv_dir)
    report = verify_run(inv, workers=8)
    assert [(e.device, e.kind) for e in report.errors] == [("hv01", ErrorKind.UNREACHABLE)]
    hv01 = next(e for t in report.trunks for e in t.ends if e.device == "hv01")
    assert (hv01.observed, hv01.source) == (False, None)
    assert [f for f in report.findings if f.failed] == []
    with_reports = verify_run(inv, reports_dir=lab.reports, workers=8)
    assert [e.device for e in with_reports.errors] == ["hv01"]
    hv01 = next(e for t in with_reports.trunks for e in t.ends if e.device == "hv01")
    assert hv01.source == f"report file {lab.reports / 'hv01'}"


def test_a_host_report_that_disagrees_with_the_live_read_is_said(lab: Lab, tmp_path: Path
                                                                 ) -> None:
    """Issue 9: lnx01 is read live and its report is used too; they disagree after the bond
    mode changes on the host, and the report says so."""
    reports = tmp_path / "reports"
    lab.fabric.hosts["lnx01"].write_reports(reports)
    lab.fabric.set_host_team("lnx01", "balance-xor")
    try:
        report = verify_run(lab.inv, devices=["lnx01"], reports_dir=reports, workers=4)
    finally:
        lab.fabric.set_host_team("lnx01", "802.3ad")
    said = [f for f in report.findings if f.rule == "host-report-agrees"]
    assert [(f.trunk, f.device, f.status, f.severity.value) for f in said] == [
        ("lnx01-bond0", "lnx01", Status.FAIL, "warning")]
    assert "team: balance-xor / 802.3ad" in said[0].message
    assert f"report file {reports / 'lnx01'}" in said[0].message
    agree = verify_run(lab.inv, devices=["lnx01"], reports_dir=reports, workers=4)
    assert "host-report-agrees" not in {f.rule for f in agree.findings}


def test_plan_junit_has_one_case_per_device(lab: Lab, capsys: pytest.CaptureFixture[str]
                                            ) -> None:
    import xml.etree.ElementTree as ET

    from lagprov.cli import main

    capsys.readouterr()
    code = main(["plan", "-i", lab.inv.root, "--format", "junit", "--workers", "8"])
    root = ET.fromstring(capsys.readouterr().out)
    devices = root.findall("testsuite[@name='devices']/testcase")
    assert sorted(c.get("name", "").split()[0] for c in devices) == sorted(
        s.name for s in lab.inv.switches)
    assert code == 0 and root.get("failures") == "0" and root.get("errors") == "0"
