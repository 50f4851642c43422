"""RunReport: builder, counts, exit status, and the four formatters."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from lagprov.report import (
    DeviceError,
    ErrorKind,
    ExitStatus,
    RunReport,
    build_run_report,
    exit_status,
)
from lagprov.report.json import json_schema, to_json
from lagprov.report.junit import to_junit
from lagprov.report.markdown import to_markdown
from lagprov.report.text import to_text
from lagprov.verify import Status, verify_all
from tests.verify.scenarios import World
from tests.verify.test_seeded_faults import (
    host_jumbo_switch_1500,
    lacp_rate_mismatch,
    wrong_host_cable,
)

T0, T1 = "2026-01-01T10:00:00+00:00", "2026-01-01T10:00:07+00:00"
TIMEOUT = DeviceError(
    device="ex3300-1", stage="collect", kind=ErrorKind.TIMEOUT, message="no prompt after 30 s"
)


def report(w: World, errors: tuple[DeviceError, ...] = ()) -> RunReport:
    findings = verify_all(w.trunks, w.switches, w.hosts)
    return build_run_report(
        "verify", w.trunks, findings, w.switches, w.hosts, errors, started=T0, finished=T1
    )


def faulty() -> RunReport:
    w = World()
    wrong_host_cable(w)
    host_jumbo_switch_1500(w)
    w.switches.pop("ex3300-1")
    return report(w, (TIMEOUT,))


def test_builder_keeps_every_finding_on_its_trunk() -> None:
    w = World()
    findings = verify_all(w.trunks, w.switches, w.hosts)
    r = report(w)
    assert [t.name for t in r.trunks] == [t.name for t in w.trunks]
    assert r.findings == findings
    assert all(f.trunk == t.name for t in r.trunks for f in t.findings)
    hv = r.trunks[0]
    assert [e.device for e in hv.ends] == ["cat9300-1", "hv01"]
    assert hv.ends[0].mtu == "system MTU 1500 (system MTU, frame payload) = IP 1500"
    assert hv.ends[0].members[0].status == "bundled"
    assert hv.ends[0].partner_ids == ("02:00:00:00:01:01",)


def test_unobserved_end_shows_intent() -> None:
    r = faulty()
    mpio = next(t for t in r.trunks if t.name == "win-iscsi01-mpio")
    ex = next(e for e in mpio.ends if e.device == "ex3300-1")
    assert not ex.observed and ex.mode == "independent (intent)"


def test_counts_and_exit_status() -> None:
    healthy = report(World())
    assert healthy.counts.failed == 0 and healthy.counts.device_errors == 0
    assert exit_status(healthy) is ExitStatus.OK

    w = World()
    lacp_rate_mismatch(w)
    warn = report(w)
    assert (warn.counts.failed, warn.counts.warnings) == (0, 1)
    assert exit_status(warn) is ExitStatus.OK  # a warning alone does not fail the run

    w = World()
    w.hosts.clear()
    blind = report(w)
    assert blind.counts.unverifiable > 0 and blind.counts.failed == 0
    assert exit_status(blind) is ExitStatus.OK

    w = World()
    wrong_host_cable(w)
    assert exit_status(report(w)) == 1

    r = faulty()
    assert (r.counts.failed, r.counts.device_errors) == (2, 1)
    assert exit_status(r) == 3  # a device error takes precedence over findings
    fs = r.findings
    c = r.counts
    assert c.passed + c.failed + c.warnings + c.unverifiable + c.explained == len(fs)


def test_json_round_trips() -> None:
    r = faulty()
    back = RunReport.model_validate_json(to_json(r))
    assert back == r
    assert back.counts == r.counts


def test_json_validates_against_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema not installed")
    import json

    jsonschema.validate(json.loads(to_json(faulty())), json_schema())


def test_schema_names_the_report_fields() -> None:
    schema = json_schema()
    assert set(schema["required"]) >= {"command", "started", "finished"}
    assert {"trunks", "errors"} <= set(schema["properties"])
    assert set(schema["$defs"]["Status"]["enum"]) == {s.value for s in Status}


def test_junit_is_xml_with_the_right_counts() -> None:
    r = faulty()
    root = ET.fromstring(to_junit(r))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [t.name for t in r.trunks] + ["device-errors"]
    cases = root.findall("testsuite/testcase")
    assert len(cases) == len(r.findings) + len(r.errors)
    failures = root.findall(".//failure")
    assert len(failures) == r.counts.failed + r.counts.warnings == 2
    skipped = root.findall(".//skipped")
    assert len(skipped) == r.counts.unverifiable + r.counts.explained
    assert sum(s.get("message", "").startswith("caused by ") for s in skipped) == (
        r.counts.explained)
    assert len(root.findall(".//error")) == 1
    assert int(root.get("failures", "-1")) == 2
    assert int(root.get("tests", "-1")) == len(cases)
    hv = suites[0]
    assert hv.get("failures") == "2"
    names = {c.get("name") for c in hv.findall("testcase") if c.find("failure") is not None}
    assert names == {"partner-identity [cat9300-1 GigabitEthernet1/0/2]", "mtu-path"}


def test_text_shows_both_ends_on_one_line_and_the_evidence() -> None:
    text = to_text(faulty())
    assert any("switch cat9300-1" in ln and "host hv01" in ln for ln in text.splitlines())
    assert any(
        "switch sse-x24s-1" in ln
        and "switch ex3300-1 (not observed)" in ln
        and "host win-iscsi01" in ln
        for ln in text.splitlines()
    )
    assert "FAIL error partner-identity cat9300-1 GigabitEthernet1/0/2" in text
    assert "[raw: Team1 Jumbo Packet 9014]" in text
    assert "DEVICE ERROR ex3300-1 (collect, timeout)" in text
    assert "exit status 3" in text
    assert "\x1b[" not in text
    assert max(len(ln) for ln in text.splitlines()) <= 120


def test_text_colour_only_when_asked() -> None:
    assert "\x1b[" in to_text(faulty(), color=True)


def test_markdown_table_has_ends_as_columns() -> None:
    md = to_markdown(faulty())
    assert "| | switch cat9300-1 | host hv01 |" in md
    assert "- **FAIL error mtu-path:" in md
    assert "| ex3300-1 | collect | timeout | no prompt after 30 s |" in md


def test_committed_schema_is_the_report_model() -> None:
    """docs/report.schema.json (what integrators read) is exactly what the code emits."""
    committed = json.loads((Path(__file__).resolve().parents[2] / "docs" / "report.schema.json")
                           .read_text())
    assert committed == json_schema(), "regenerate: lagprov schema > docs/report.schema.json"
