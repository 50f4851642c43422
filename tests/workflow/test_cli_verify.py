"""``lagprov verify`` / ``lagprov audit`` on saved outputs: formats, exit codes, bad input."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from lagprov.cli import main
from lagprov.report import RunReport
from tests.workflow.conftest import HEALTHY, SAVED

INV = str(SAVED / "inventory")


def test_verify_from_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["verify", "-i", INV, "--from", str(HEALTHY), "--format", "json"])
    report = RunReport.model_validate_json(capsys.readouterr().out)
    assert code == 0
    assert report.command == "verify" and len(report.trunks) == 7
    assert report.counts.failed == 0


def test_verify_junit_to_file(tmp_path: Path) -> None:
    out = tmp_path / "verify.xml"
    code = main(["verify", "-i", INV, "--from", str(HEALTHY), "--filter", "lnx01-bond0",
                 "--format", "junit", "--output", str(out)])
    assert code == 0
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    assert "lnx01-bond0" in ET.tostring(root, encoding="unicode")
    assert "hv01-team" not in ET.tostring(root, encoding="unicode")


def test_verify_exit_1_on_findings_and_3_on_device_errors(tmp_path: Path,
                                                          saved_copy: Path) -> None:
    (saved_copy / "lnx01" / "cat__proc_net_bonding_bond0.txt").write_text(
        (HEALTHY / "lnx01" / "cat__proc_net_bonding_bond0.txt").read_text(encoding="utf-8")
        .replace("IEEE 802.3ad Dynamic link aggregation", "load balancing (xor)"),
        encoding="utf-8")
    assert main(["verify", "-i", INV, "--from", str(saved_copy), "-o",
                 str(tmp_path / "r.txt")]) == 1
    (saved_copy / "eos7120-1" / "show_port-channel_summary.txt").write_text(
        "% Invalid input\n", encoding="utf-8")
    assert main(["verify", "-i", INV, "--from", str(saved_copy), "--format", "md", "-o",
                 str(tmp_path / "r.md")]) == 3


@pytest.mark.parametrize("argv", [
    ["--filter", "no-such-device"],
    ["--from", "/nonexistent/folder"],
    ["--format", "yaml"],
])
def test_verify_bad_input_exits_2(argv: list[str]) -> None:
    base = ["verify", "-i", INV] + ([] if "--from" in argv else ["--from", str(HEALTHY)])
    assert main(base + argv) == 2


def test_verify_save_writes_layout(tmp_path: Path) -> None:
    code = main(["verify", "-i", INV, "--from", str(HEALTHY), "--filter", "lnx01",
                 "--save", str(tmp_path / "again"), "-o", str(tmp_path / "r.txt")])
    assert code == 0
    files = sorted(p.name for p in (tmp_path / "again" / "eos7120-1").iterdir())
    assert "_commands.yaml" in files and "show_lacp_neighbor.txt" in files
    assert (tmp_path / "again" / "lnx01" / "cat__proc_net_bonding_bond0.txt").is_file()


def test_audit_json_has_report_and_delta(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["audit", "-i", INV, "--from", str(HEALTHY), "--state", str(tmp_path),
            "--format", "json"]
    assert main(argv) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["delta"]["previous"] is None and first["report"]["command"] == "audit"
    assert main(argv) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["delta"]["previous"] == first["delta"]["current"]
    assert second["delta"]["new_failures"] == []


def test_audit_text_ends_with_the_delta(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "-i", INV, "--from", str(HEALTHY), "--state", str(tmp_path)]) == 0
    assert "first audit" in capsys.readouterr().out.splitlines()[-1]


def test_verify_strict_fails_on_unverifiable_checks_and_accept_excuses_them(
        capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 9: in the saved fabric the storage array is not declared (this inventory predates
    ``observable``) and has no outputs: its checks are unverifiable."""
    base = ["verify", "-i", INV, "--from", str(HEALTHY), "--format", "json"]
    assert main(base) == 0
    loose = RunReport.model_validate_json(capsys.readouterr().out)
    assert any(line.startswith("eonstor01: no saved outputs under ")
               for line in loose.summary.not_observed)
    assert main([*base, "--strict"]) == 1
    strict = json.loads(capsys.readouterr().out)
    assert (strict["strict"], strict["exit_status"]) == (True, 1)
    assert strict["summary"]["blocking"] == loose.summary.unverifiable > 0
    rules = sorted({f.rule for t in loose.trunks for f in t.blocking()})
    accept = [arg for rule in rules for arg in ("--accept-unverifiable", rule)]
    assert main([*base, "--strict", *accept]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["accepted"] == len(
        [f for f in loose.findings if f.status.value == "unverifiable"])


def test_verify_text_summary_names_the_host_ends_not_observed(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "-i", INV, "--from", str(HEALTHY)]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "1 of 6 host ends not observed: eonstor01: no saved outputs under" in text
    assert "unverifiable checks would fail --strict" in text


def test_accept_unverifiable_must_name_a_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["verify", "-i", INV, "--from", str(HEALTHY), "--strict",
                 "--accept-unverifiable", "partner-identiy"])
    err = capsys.readouterr()
    assert code == 2 and err.out == ""
    assert "--accept-unverifiable partner-identiy: not a rule id" in err.err


def _inventory_with(tmp_path: Path, old: str, new: str) -> Path:
    import shutil

    dest = tmp_path / "inv"
    shutil.copytree(Path(__file__).resolve().parents[2] / "inventory", dest)
    hosts = dest / "hosts.yaml"
    text = hosts.read_text(encoding="utf-8")
    assert old in text
    hosts.write_text(text.replace(old, new), encoding="utf-8")
    return dest


def test_observable_must_be_a_boolean(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                      ) -> None:
    inv = _inventory_with(tmp_path, "observable: false", "observable: 'no'")
    assert main(["validate", "-i", str(inv)]) == 2
    assert "hosts.yaml: eonstor01.data.observable: expected true or false, got 'no'" in (
        capsys.readouterr().err)


def test_a_linux_host_declared_not_observable_is_not_read_live(tmp_path: Path) -> None:
    from lagprov.intent.load import load_inventory
    from lagprov.runs import collection_plan

    inv = load_inventory(_inventory_with(tmp_path, "data: {os: linux}\n\nlnx02",
                                         "data: {os: linux, observable: false}\n\nlnx02"))
    jobs = {j.device: j for j in collection_plan(inv).hosts}
    assert (jobs["lnx01"].live, jobs["lnx01"].observable) == (False, False)
    assert jobs["lnx02"].live and jobs["eonstor01"].observable is False


def test_audit_strict_is_the_same_gate(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    base = ["audit", "-i", INV, "--from", str(HEALTHY), "--state", str(tmp_path)]
    assert main(base) == 0
    assert main([*base, "--strict", "--format", "json"]) == 1
    capsys.readouterr()
