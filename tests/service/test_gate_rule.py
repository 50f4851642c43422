"""Issue 9: the handshake and the CLI gate on one rule and one accept list; /verify returns the
CLI's JSON; a report a host pipeline posts is used, Linux included."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from lagprov.model.inventory import Inventory
from lagprov.report import ExitStatus, Observation, RunReport, build_run_report, exit_status
from lagprov.report.json import to_json
from lagprov.service.verdict import verdict_from_report
from lagprov.verify import Status, verify_all
from tests.service.conftest import make_client
from tests.verify.scenarios import World

SAVED = Path(__file__).resolve().parents[1] / "workflow" / "saved" / "healthy"
DECLARED = Observation(reason="declared not observable", declared_unobservable=True)


def world_report(*, drop: str | None = None, declared: bool = False) -> RunReport:
    w = World()
    if drop:
        w.hosts.pop(drop)
    obs = {drop: DECLARED} if drop and declared else {}
    return build_run_report("verify", w.trunks, verify_all(w.trunks, w.switches, w.hosts),
                            w.switches, w.hosts, observations=obs)


def test_handshake_verdict_and_strict_exit_agree_case_by_case() -> None:
    """For one trunk, the handshake passes exactly when ``verify --strict`` exits 0."""
    lnx02 = world_report(drop="lnx02")
    rules = tuple(sorted({f.rule for f in lnx02.findings if f.status is Status.UNVERIFIABLE}))
    cases: list[tuple[RunReport, tuple[str, ...], bool]] = [
        (world_report(), (), True),
        (lnx02, (), False),  # not observed: blocks both
        (lnx02, rules[:1], False),  # one rule accepted, others still block
        (lnx02, rules, True),  # every one accepted, in both
        (world_report(drop="lnx02", declared=True), (), True),  # declared: neither blocks
    ]
    for report, accept, passes in cases:
        one = report.model_copy(update={"trunks": tuple(
            t for t in report.trunks if t.name == "lnx02-bond0")})
        v = verdict_from_report("lnx02-bond0", {"ex4300-1", "lnx02"}, one, accept=accept)
        strict = exit_status(one.gated(strict=True, accept=accept))
        assert (v.verdict is Status.PASS, strict is ExitStatus.OK) == (passes, passes), accept


def test_verify_returns_the_cli_json_with_strict_and_accept(inventory: Path,
                                                            tmp_path: Path) -> None:
    report = world_report(drop="lnx02")

    def verifier(inv: Inventory, **_: Any) -> RunReport:
        del inv
        return report

    with make_client(inventory, tmp_path / "state", verifier=verifier) as c:
        loose = c.post("/verify").json()
        strict = c.post("/verify", json={"strict": True}).json()
        accepted = c.post("/verify", json={"strict": True, "accept_unverifiable": sorted(
            {f.rule for f in report.findings if f.status is Status.UNVERIFIABLE})}).json()
    assert loose == json.loads(to_json(report))
    assert strict == json.loads(to_json(report.gated(strict=True)))
    assert (loose["exit_status"], strict["exit_status"], accepted["exit_status"]) == (0, 1, 0)
    assert strict["summary"]["host_ends_not_observed"] == 1


def test_a_posted_linux_report_is_used(reader: TestClient) -> None:
    """lnx01 is readable over SSH, so the posted report used to be ignored; here the live read
    fails (unreachable) and the posted report is what the host end is judged on."""
    reports = {
        "proc_net_bonding_bond0.txt":
            (SAVED / "lnx01" / "cat__proc_net_bonding_bond0.txt").read_text(encoding="utf-8"),
        "ip_-j_-d_link.json": (SAVED / "lnx01" / "ip_-j_-d_link.txt").read_text(encoding="utf-8"),
    }
    v = reader.post("/trunks/lnx01-bond0/ready", json={"reports": reports}).json()
    assert v["verdict"] == "unverifiable"  # the switch is unreachable
    host = [f for f in v["findings"] if f["device"] == "lnx01"]
    team = next(f for f in host if f["rule"] == "host-team-mode")
    assert team["status"] == "pass", team
    sources = [e["source"] for f in host for e in f["evidence"]]
    assert sources and any("[posted report, " in s and " s old]" in s for s in sources)


def test_an_accept_list_naming_no_rule_is_refused(offline_client: TestClient) -> None:
    r = offline_client.post("/trunks/hv01-team/ready",
                            json={"accept_unverifiable": ["partner-identity", "parnter-id"]})
    assert r.status_code == 400
    assert r.json()["errors"] == ["body.accept_unverifiable[1]: 'parnter-id' is not a rule id"]
