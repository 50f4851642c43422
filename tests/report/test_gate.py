"""Issue 9: --strict, ends declared not observable, the accept list, and the JSON report's
status / MTU numbers / summary block."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from pydantic import ValidationError

from lagprov.report import ExitStatus, Observation, RunReport, build_run_report, exit_status
from lagprov.report.json import to_json
from lagprov.report.junit import to_junit
from lagprov.report.markdown import to_markdown
from lagprov.report.text import to_text
from lagprov.verify import Status, verify_all
from tests.verify.scenarios import World

T0, T1 = "2026-01-01T10:00:00+00:00", "2026-01-01T10:00:07+00:00"
NO_REPORT = "no host report under r/lnx02"
DECLARED = Observation(reason="declared not observable in the inventory",
                       declared_unobservable=True)


def run(w: World, observations: dict[str, Observation] | None = None) -> RunReport:
    findings = verify_all(w.trunks, w.switches, w.hosts)
    return build_run_report("verify", w.trunks, findings, w.switches, w.hosts,
                            started=T0, finished=T1, observations=observations)


def blind_lnx02() -> RunReport:
    w = World()
    w.hosts.pop("lnx02")
    return run(w, {"lnx02": Observation(reason=NO_REPORT)})


def test_strict_turns_unverifiable_into_a_failure() -> None:
    r = blind_lnx02()
    assert r.counts.unverifiable > 0 and r.counts.failed == 0
    assert exit_status(r) is ExitStatus.OK  # without --strict: not a failure...
    strict = r.gated(strict=True)
    assert exit_status(strict) is ExitStatus.FINDINGS  # ...with it: exit 1
    assert strict.counts.blocking == r.counts.unverifiable


def test_summary_says_how_many_host_ends_were_not_observed_and_why() -> None:
    r = blind_lnx02()
    assert (r.counts.host_ends, r.counts.host_ends_not_observed) == (5, 1)
    for text in (to_text(r), to_markdown(r)):
        assert f"1 of 5 host ends not observed: lnx02: {NO_REPORT}" in text
        assert "would fail --strict" in text
    assert "fail the run (--strict)" in to_text(r.gated(strict=True))


def test_an_end_declared_not_observable_is_reported_as_declared_and_passes_strict() -> None:
    w = World()
    w.hosts.pop("lnx02")
    r = run(w, {"lnx02": DECLARED}).gated(strict=True)
    trunk = next(t for t in r.trunks if t.name == "lnx02-bond0")
    host = next(e for e in trunk.ends if e.role == "host")
    assert (host.observed, host.status, host.declared_unobservable) == (False, "declared", True)
    assert trunk.status is Status.PASS
    assert r.counts.declared == r.counts.unverifiable > 0 and r.counts.blocking == 0
    assert exit_status(r) is ExitStatus.OK
    assert "host lnx02 (declared not observable)" in to_text(r)
    assert "checks not made, declared: lnx02 is declared not observable" in to_text(r)


def test_a_declaration_does_not_excuse_a_switch_end_that_was_not_read() -> None:
    w = World()
    w.hosts.pop("lnx02")
    w.switches.pop("ex4300-1")  # lnx02-bond0's switch end, and core's peer
    r = run(w, {"lnx02": DECLARED}).gated(strict=True)
    trunk = next(t for t in r.trunks if t.name == "lnx02-bond0")
    assert trunk.status is Status.UNVERIFIABLE
    assert trunk.blocking()
    assert exit_status(r) is ExitStatus.FINDINGS


def test_the_accept_list_excuses_exactly_the_rules_it_names() -> None:
    r = blind_lnx02()
    rules = sorted({f.rule for f in r.findings if f.status is Status.UNVERIFIABLE})
    assert len(rules) > 1
    most = r.gated(strict=True, accept=tuple(rules[1:]))
    assert {f.rule for t in most.trunks for f in t.blocking(most.accept_unverifiable)} == {
        rules[0]}
    assert exit_status(most) is ExitStatus.FINDINGS
    every = r.gated(strict=True, accept=tuple(rules))
    assert exit_status(every) is ExitStatus.OK
    assert every.counts.accepted == r.counts.unverifiable


def test_json_has_status_per_trunk_and_end_and_the_summary_block() -> None:
    w = World()
    w.hosts.pop("lnx02")
    r = run(w, {"lnx02": DECLARED, "lnx01": Observation(source="live")}).gated(strict=True)
    doc = json.loads(to_json(r))
    assert doc["summary"] == json.loads(r.counts.model_dump_json())
    assert doc["exit_status"] == int(exit_status(r)) == 0
    assert doc["strict"] is True
    trunks = {t["name"]: t for t in doc["trunks"]}
    assert {t["status"] for t in trunks.values()} == {"pass"}
    ends = {e["device"]: e for t in doc["trunks"] for e in t["ends"]}
    assert ends["lnx02"]["status"] == "declared"
    assert ends["lnx01"]["status"] == "pass"
    assert ends["lnx01"]["source"] == "live"
    assert ends["lnx02"]["not_observed"] == "declared not observable in the inventory"


def test_json_mtu_is_numbers_configured_semantics_and_ip() -> None:
    doc = json.loads(to_json(run(World())))
    ends = {e["device"]: e for t in doc["trunks"] for e in t["ends"]}
    # World: Windows Jumbo Packet 9014 = IP 9000 (vendor-cli.md); Catalyst system MTU as given
    win = ends["win-iscsi01"]["mtu_figures"]
    assert (win["configured"], win["ip_mtu"]) == (9014, 9000)
    assert "Jumbo Packet" in win["semantics"]
    cat = ends["cat9300-1"]["mtu_figures"]
    assert (cat["configured"], cat["ip_mtu"]) == (1500, 1500)


def test_a_json_report_whose_summary_does_not_match_its_findings_is_refused() -> None:
    r = blind_lnx02()
    doc = json.loads(to_json(r))
    assert RunReport.model_validate(doc) == r
    doc["summary"]["failed"] = 0
    doc["exit_status"] = 0
    doc["trunks"][2]["status"] = "pass"  # lnx02-bond0 is unverifiable
    with pytest.raises(ValidationError, match="status does not match"):
        RunReport.model_validate(doc)


def test_junit_strict_reports_unverifiable_checks_as_failures() -> None:
    r = blind_lnx02()
    loose = ET.fromstring(to_junit(r))
    strict = ET.fromstring(to_junit(r.gated(strict=True)))
    assert int(loose.get("failures", "-1")) == 0
    assert int(strict.get("failures", "-1")) == r.counts.unverifiable
    assert strict.findall(".//failure")[0].get("message", "").startswith(
        "unverifiable (--strict)")


def test_a_switch_end_facing_a_declared_host_is_not_unverifiable_for_the_host_s_sake() -> None:
    """lnx01 declared: lacp-rate-pair and partner-identity on eos7120-1 lack only the host's
    data, so the switch end passes and the host end is declared."""
    w = World()
    w.hosts.pop("lnx01")
    r = run(w, {"lnx01": DECLARED})
    trunk = next(t for t in r.trunks if t.name == "lnx01-bond0")
    assert {f.device for f in trunk.findings if f.status is Status.UNVERIFIABLE} >= {"eos7120-1"}
    assert [(e.device, e.status) for e in trunk.ends] == [
        ("eos7120-1", "pass"), ("lnx01", "declared")]
    blind = next(t for t in run(w).trunks if t.name == "lnx01-bond0")
    assert [e.status for e in blind.ends] == ["unverifiable", "unverifiable"]
