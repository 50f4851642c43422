"""End to end on the lab (issue 12, "what must be shown"): ``serve --audit-every`` runs
audits; a drift injected between two audits is a new failure in ``GET /audits/{id}`` and in
the history, reaches a webhook receiver on loopback exactly once (and its repair once more,
as resolved), shows in ``/metrics`` and on the compliance pages (the fleet page and the trunk
page with its evidence and timeline); the same with PostgreSQL as the store.

The drift is the demo's (lagprov/cli/demo.py): someone removes VLAN 20 from Port-Channel10
on eos7120-1, which inventory/trunks.yaml gives lnx01-bond0 with VLANs 10 and 20.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from lagprov.intent.load import load_inventory
from lagprov.model.types import Platform
from lagprov.provision.render import render_device
from lagprov.runs.history import audit_store, database_url
from lagprov.runs.history.db import forget
from lagprov.runs.history.queries import open_failures, trunk_timeline
from lagprov.service import create_app
from lagprov.service.schedule import Schedule
from tests.history.conftest import database, pg_server  # noqa: F401  (the PostgreSQL fixture)
from tests.service.audit_kit import Receiver, ServiceLab, example_lab, receiving, serving, wait_for
from tests.service.conftest import PASSWORD, READ_TOKEN, TOKENS
from tests.workflow.labkit import LAB_ENV, load_lines

KEY = "Hook-Key-Sentinel-e2e-31c0"
TRUNK, SWITCH, BUNDLE = "lnx01-bond0", "eos7120-1", "Port-Channel10"
WAIT = 240.0  # seconds: a bound against hanging, not a speed figure

Job = dict[str, Any]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceLab]:
    with pytest.MonkeyPatch.context() as mp:
        for k, v in LAB_ENV.items():
            mp.setenv(k, v)
        with example_lab(tmp_path_factory.mktemp("drift-lab")) as started:
            yield started


def _done(http: httpx.Client) -> list[Job]:
    """The service's finished audits, oldest first (they run one at a time)."""
    jobs = http.get("/audits", params={"limit": 200}).json()
    return [j for j in reversed(jobs) if j["state"] in ("done", "failed")]


def _next_done(http: httpx.Client, after: int, what: str,
               want: Callable[[Job], bool] = lambda _j: True) -> tuple[int, Job]:
    """The first audit finished after the first ``after`` that ``want`` accepts, and how many
    had finished up to it."""
    def probe() -> tuple[int, Job] | None:
        done = _done(http)
        for i, job in enumerate(done[after:], start=after):
            assert job["state"] == "done", job["reason"]
            if want(job):
                return i + 1, job
        return None

    return wait_for(what, probe, WAIT, every=0.2)


def _ours(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for c in changes if (c["trunk"], c["device"], c["subject"]) == (TRUNK, SWITCH,
                                                                              BUNDLE)]


def _metric(text: str, line_start: str) -> float:
    (line,) = [x for x in text.splitlines() if x.startswith(line_start + " ")]
    return float(line.split()[-1])


def _check_signed(rec: Receiver) -> None:
    for got in rec.messages():
        stamp = got.headers["x-lagprov-timestamp"]
        digest = hmac.new(KEY.encode(), stamp.encode() + b"\n" + got.body,
                          hashlib.sha256).hexdigest()
        assert got.headers["x-lagprov-signature"] == f"hmac-sha256={digest}"
        for secret in (READ_TOKEN, PASSWORD, KEY, LAB_ENV["LAGPROV_PASSWORD"]):
            assert secret not in got.body.decode()


def _drift(lab: ServiceLab) -> None:
    lab.fabric.load_config(SWITCH, [f"interface {BUNDLE}", "switchport trunk allowed vlan 10"])


def _pages_show_the_drift(http: httpx.Client) -> None:
    """The compliance pages read the same store: the fleet page lists the trunk as failing
    (its row and its lag-vlans cell), the trunk page shows the rule's evidence and a
    pass -> fail step in its timeline."""
    fleet = http.get("/ui/", params={"status": "fail"})
    assert fleet.status_code == 200, fleet.text[:300]
    assert f'<tr data-trunk="{TRUNK}" data-verdict="fail">' in fleet.text
    assert 'data-rule="lag-vlans" data-verdict="fail"' in fleet.text
    page = http.get(f"/ui/trunks/{TRUNK}")
    assert page.status_code == 200, page.text[:300]
    assert "lag-vlans" in page.text and "VLANs missing: 20" in page.text
    timeline = page.text.split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0]
    assert ('<span class="badge v-pass">pass</span> → <span class="badge v-fail">fail</span>'
            in timeline), timeline[:600]
    assert READ_TOKEN not in fleet.text + page.text


def _repair(lab: ServiceLab) -> None:
    inv = load_inventory(lab.inventory)
    load_lines(lab.fabric, SWITCH, Platform.ARISTA_EOS, render_device(inv, SWITCH).lines)


@pytest.mark.lab
@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_drift_between_two_scheduled_audits(lab: ServiceLab, backend: str, tmp_path: Path,
                                            request: pytest.FixtureRequest,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    for k, v in LAB_ENV.items():
        monkeypatch.setenv(k, v)
    state = tmp_path / "state"
    with database(request, backend, tmp_path) as url, receiving() as rec:
        if backend == "postgresql":
            monkeypatch.setenv("LAGPROV_DATABASE_URL", url)
        else:  # the embedded default: SQLite in the state folder
            monkeypatch.delenv("LAGPROV_DATABASE_URL", raising=False)
        monkeypatch.setenv("LAGPROV_WEBHOOK_URL", rec.url)
        monkeypatch.setenv("LAGPROV_WEBHOOK_KEY", KEY)
        app = create_app(lab.inventory, state_dir=state / "service", reports_dir=lab.reports,
                         tokens=TOKENS, audit_schedule=Schedule.parse("1s", "0"))
        try:
            _scenario(lab, app, rec, state)
        finally:
            forget(database_url(state))


def _scenario(lab: ServiceLab, app: Any, rec: Receiver, state: Path) -> None:
    bearer = {"Authorization": f"Bearer {READ_TOKEN}"}
    with serving(app) as base, httpx.Client(base_url=base, headers=bearer, timeout=60) as http:
        # 1. the schedule audits the clean fabric: nothing failing, no message
        n, clean = _next_done(http, 0, "the first scheduled audit")
        assert clean["trigger"] == "schedule" and clean["summary"]["trunks"]["fail"] == 0, clean
        assert clean["devices_done"] == clean["devices_total"] > 0
        metrics = http.get("/metrics").text
        assert _metric(metrics, 'lagprov_trunks{status="fail"}') == 0
        # 2. drift: the next audit that sees it reports it as new
        _drift(lab)
        try:
            n, drifted = _next_done(http, n, "the audit that sees the drift",
                                    lambda j: bool(_ours(j["summary"]["new_failures"])))
            (new,) = _ours(drifted["summary"]["new_failures"])
            assert new["rule"] == "lag-vlans" and "20" in new["message"], new
            shown = http.get(f"/audits/{drifted['id']}").json()
            assert _ours(shown["summary"]["new_failures"]) == [new]
            assert shown["summary"]["trunks"]["fail"] >= 1
            metrics = http.get("/metrics").text
            assert _metric(metrics, 'lagprov_trunks{status="fail"}') == 1
            # the history: the trunk's timeline and its open failure
            store = audit_store(state)
            timeline = trunk_timeline(store, TRUNK, values=False)
            assert timeline[-1].audit == drifted["audit"]
            assert ("lag-vlans", "fail") in {(c.rule, c.after) for c in timeline[-1].changes}
            assert (TRUNK, "lag-vlans") in {(f.trunk, f.rule) for f in open_failures(store)}
            _pages_show_the_drift(http)
            # one more audit of the same drift: no second message
            n, _ = _next_done(http, n, "an audit after the drift")
            assert len(rec.messages()) == 1
        finally:
            _repair(lab)
        # 3. the repair: resolved, one more message
        n, fixed = _next_done(http, n, "the audit that sees the repair",
                              lambda j: bool(_ours(j["summary"]["resolved_failures"])))
        n, _ = _next_done(http, n, "an audit after the repair")
        metrics = http.get("/metrics").text
        assert _metric(metrics, 'lagprov_trunks{status="fail"}') == 0
        assert READ_TOKEN not in metrics
    messages = rec.messages()
    assert len(messages) == 2, [m.json()["text"] for m in messages]
    first, second = (m.json()["metadata"]["event_payload"] for m in messages)
    assert first["job"] == drifted["id"] and _ours(first["new_failures"]) == [new]
    assert second["job"] == fixed["id"] and second["new_failures"] == []
    assert _ours(second["resolved_failures"])
    assert "VLANs missing: 20" in messages[0].json()["text"]
    _check_signed(rec)
    assert [d["ok"] for d in fixed["notifications"]] == [True]
