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
