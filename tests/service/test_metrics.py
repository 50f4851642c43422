"""``GET /metrics`` (issue 12): Prometheus text format (checked with the Prometheus client's
own parser), trunks by status, last audit time and duration, device errors, audits skipped;
no token in it."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from lagprov.intent.load import load_inventory
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import DeviceError, ErrorKind
from lagprov.runs.audit import audit_run
from lagprov.runs.history import audit_store
from lagprov.service.audits_api import install_audits
from lagprov.service.metrics import Family, audit_families, exposition
from lagprov.service.webhooks import WebhookConfig
from tests.service.audit_kit import Replay, wait_for
from tests.service.conftest import READ_TOKEN, TOKENS
from tests.workflow.conftest import HEALTHY, SAVED, edit

parser = pytest.importorskip("prometheus_client.parser", reason="prometheus-client (dev extra)")

T1 = datetime(2024, 5, 1, 8, 0, 0, tzinfo=UTC)


def _parse(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    """Sample name -> [(labels, value)], as Prometheus reads the text."""
    out: dict[str, list[tuple[dict[str, str], float]]] = {}
    for fam in parser.text_string_to_metric_families(text):
        for s in fam.samples:
            out.setdefault(s.name, []).append((dict(s.labels), s.value))
    return out


def _value(samples: dict[str, list[tuple[dict[str, str], float]]], name: str,
           **labels: str) -> float:
    (found,) = [v for ls, v in samples[name] if ls == labels]
    return found


def test_exposition_escapes_what_the_format_escapes() -> None:
    fam = Family("lagprov_x", "gauge", 'help with \\ and\nnewline')
    fam.add(1.5, device='sw"1\\\n').add(2)
    text = exposition([fam])
    assert text.endswith("\n")
    assert text.splitlines() == [
        "# HELP lagprov_x help with \\\\ and\\nnewline",
        "# TYPE lagprov_x gauge",
        'lagprov_x{device="sw\\"1\\\\\\n"} 1.5',
        "lagprov_x 2",
    ]
    assert _parse(text)["lagprov_x"] == [({"device": 'sw"1\\\n'}, 1.5), ({}, 2.0)]


@pytest.fixture
def saved_inv() -> Inventory:
    return load_inventory(SAVED / "inventory")


def test_no_audit_yet_gives_families_without_samples() -> None:
    text = exposition(audit_families(None))
    assert "# TYPE lagprov_trunks gauge" in text
    assert not [line for line in text.splitlines() if not line.startswith("#")]
    _parse(text)


def test_newest_audit_figures(saved_inv: Inventory, tmp_path: Path) -> None:
    drifted = tmp_path / "drifted"
    shutil.copytree(HEALTHY, drifted)
    edit(drifted / "lnx01" / "cat__proc_net_bonding_bond0.txt",
         "Slave Interface: ens1f1\nMII Status: up", "Slave Interface: ens1f1\nMII Status: down")
    report, _ = audit_run(saved_inv, state_dir=tmp_path, from_dir=drifted, now=T1)
    record = audit_store(tmp_path).latest()
    assert record is not None and record.report.errors == ()
    refused = DeviceError(device="cat9300-1", stage="connect", kind=ErrorKind.AUTH,
                          message="Authentication failed")
    record = record.model_copy(update={"report": record.report.model_copy(
        update={"errors": (refused,)})})
    samples = _parse(exposition(audit_families(record)))
    assert _value(samples, "lagprov_last_audit_timestamp_seconds") == T1.timestamp()
    took = (datetime.fromisoformat(report.finished)
            - datetime.fromisoformat(report.started)).total_seconds()
    assert _value(samples, "lagprov_last_audit_duration_seconds") == took
    # lnx01-bond0 fails (ens1f1 down, tests/workflow/test_audit.py); every trunk counted once
    failing = {t.name for t in report.trunks if any(f.failed for f in t.findings)}
    assert "lnx01-bond0" in failing
    by_status = {ls["status"]: v for ls, v in samples["lagprov_trunks"]}
    assert set(by_status) == {"pass", "fail", "warning", "unverifiable"}
    assert sum(by_status.values()) == len(saved_inv.trunks) == len(report.trunks)
    assert by_status["fail"] + by_status["warning"] == len(failing)
    assert _value(samples, "lagprov_device_errors") == 1
    assert samples["lagprov_device_error"] == [({"device": "cat9300-1", "kind": "auth"}, 1)]
    findings = {ls["status"]: v for ls, v in samples["lagprov_findings"]}
    assert findings["fail"] == sum(f.failed for f in report.findings)


@pytest.fixture
def client(saved_inv: Inventory, tmp_path: Path) -> Iterator[tuple[TestClient, Replay]]:
    replay = Replay(HEALTHY)
    app = FastAPI()
    app.state.tokens = TOKENS
    install_audits(app, lambda: saved_inv, history_dir=tmp_path, audit=replay,
                   webhooks=WebhookConfig())
    with TestClient(app, headers={"Authorization": f"Bearer {READ_TOKEN}"}) as c:
        yield c, replay
    if replay.gate is not None:
        replay.gate.set()


def test_metrics_route_counts_audits_and_skips(client: tuple[TestClient, Replay]) -> None:
    http, replay = client
    empty = http.get("/metrics")
    assert empty.status_code == 200
    assert empty.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert _value(_parse(empty.text), "lagprov_audits_skipped_total") == 0
    replay.gate = threading.Event()
    runner = http.app.state.audits  # type: ignore[attr-defined]
    first = runner.tick()
    assert replay.entered.wait(60)
    assert runner.tick().state == "skipped"
    assert runner.tick().state == "skipped"
    during = _parse(http.get("/metrics").text)
    assert _value(during, "lagprov_audit_running") == 1
    replay.gate.set()
    wait_for("the audit", lambda: runner.jobs.get(first.id).state == "done")
    answer = http.get("/metrics")
    after = _parse(answer.text)
    assert _value(after, "lagprov_audits_skipped_total") == 2
    assert _value(after, "lagprov_audits_total", result="done") == 1
    assert _value(after, "lagprov_audits_total", result="failed") == 0
    assert _value(after, "lagprov_audit_running") == 0
    assert _value(after, "lagprov_trunks", status="fail") == 0
    assert _value(after, "lagprov_webhook_failures_total") == 0
    assert READ_TOKEN not in answer.text
