"""Webhook notifications (issue 12): a JSON body Slack and Teams incoming webhooks accept
(``text``), signed with HMAC-SHA256 when a key is set, retried, bounded by a timeout; a
receiver that fails never fails the audit; exactly one message per change."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from lagprov.errors import ConfigError
from lagprov.intent.load import load_inventory
from lagprov.model.inventory import Inventory
from lagprov.report import RunReport
from lagprov.runs.audit import AuditDelta, FindingChange
from lagprov.service.audit_runner import AuditRunner
from lagprov.service.webhooks import WebhookConfig, build_message, deliver, redact
from tests.service.audit_kit import Receiver, Replay, receiving, wait_for
from tests.service.conftest import free_port
from tests.workflow.conftest import HEALTHY, SAVED, edit

KEY = "Hook-Key-Sentinel-77a1"
NEW = FindingChange(trunk="lnx01-bond0", rule="lag-vlans", device="eos7120-1",
                    subject="Port-Channel10", message="Port-Channel10: VLANs missing: 20")
GONE = FindingChange(trunk="hv01-team", rule="mtu-path", message="MTU 1500 < 9000 & more")


def _report() -> RunReport:
    return RunReport(command="audit", started="2026-03-02T10:00:00+00:00",
                     finished="2026-03-02T10:00:05+00:00")


def _delta(new: tuple[FindingChange, ...] = (), gone: tuple[FindingChange, ...] = ()
           ) -> AuditDelta:
    return AuditDelta(previous="2026-03-02T09:45:00+00:00", current="2026-03-02T10:00:00+00:00",
                      new_failures=new, resolved_failures=gone)


def _fast(urls: tuple[str, ...], **kw: object) -> WebhookConfig:
    return WebhookConfig(urls=urls, backoff=0, sleep=lambda _s: None, **kw)  # type: ignore[arg-type]


# --- the message ---------------------------------------------------------------------------


def test_no_message_when_nothing_appeared_or_resolved() -> None:
    assert build_message(job="a-1", audit="x", report=_report(), delta=_delta()) is None


def test_message_has_slack_text_and_structured_fields() -> None:
    msg = build_message(job="a-1", audit="20260302T100000Z", report=_report(),
                        delta=_delta((NEW,), (GONE,)))
    assert msg is not None
    text = msg["text"]
    assert text.splitlines()[0] == ("lagprov audit 20260302T100000Z: 1 new failure, "
                                    "1 resolved")
    assert ("NEW lnx01-bond0: lag-vlans (eos7120-1 Port-Channel10): Port-Channel10: VLANs "
            "missing: 20") in text
    # Slack's control characters are escaped in text (its message formatting rules)
    assert "RESOLVED hv01-team: mtu-path: MTU 1500 &lt; 9000 &amp; more" in text
    meta = msg["metadata"]
    assert meta["event_type"] == "lagprov_audit_changes"
    payload = meta["event_payload"]
    assert payload["new_failures"] == [NEW.model_dump(mode="json")]
    assert payload["resolved_failures"] == [GONE.model_dump(mode="json")]
    assert (payload["job"], payload["audit"]) == ("a-1", "20260302T100000Z")
    json.dumps(msg)  # JSON all the way down


# --- delivery ------------------------------------------------------------------------------


def test_signed_delivery_verifies_with_the_documented_hmac() -> None:
    msg = {"text": "hello"}
    with receiving() as rec:
        sent = deliver(_fast((rec.url,), key=KEY), msg)
    assert [(d.ok, d.status, d.attempts) for d in sent] == [(True, 200, 1)]
    (got,) = rec.messages()
    assert json.loads(got.body) == msg
    assert got.headers["content-type"] == "application/json"
    assert got.headers["x-lagprov-event"] == "audit-changes"
    stamp = got.headers["x-lagprov-timestamp"]
    # README: hmac-sha256=<hex HMAC-SHA256 of TIMESTAMP "\n" BODY>, keyed with the key's UTF-8
    expected = hmac.new(KEY.encode(), stamp.encode() + b"\n" + got.body,
                        hashlib.sha256).hexdigest()
    assert got.headers["x-lagprov-signature"] == f"hmac-sha256={expected}"
    assert KEY not in got.body.decode() and KEY not in json.dumps(dict(got.headers))


def test_no_key_no_signature() -> None:
    with receiving() as rec:
        deliver(_fast((rec.url,)), {"text": "x"})
    (got,) = rec.messages()
    assert "x-lagprov-signature" not in got.headers


def test_server_errors_are_retried_with_one_delivery_id() -> None:
    with receiving(Receiver(statuses=[500, 503])) as rec:
        (d,) = deliver(_fast((rec.url,), attempts=3), {"text": "x"})
    assert (d.ok, d.status, d.attempts) == (True, 200, 3)
    ids = {m.headers["x-lagprov-delivery"] for m in rec.messages()}
    assert ids == {d.delivery} and len(rec.messages()) == 3


def test_a_refusal_is_not_retried() -> None:
    with receiving(Receiver(statuses=[404])) as rec:
        (d,) = deliver(_fast((rec.url,), attempts=3), {"text": "x"})
    assert (d.ok, d.status, d.attempts, d.error) == (False, 404, 1, "HTTP 404")
    assert len(rec.messages()) == 1


def test_gives_up_after_the_attempts() -> None:
    with receiving(Receiver(statuses=[500, 500, 500, 500])) as rec:
        (d,) = deliver(_fast((rec.url,), attempts=2), {"text": "x"})
    assert (d.ok, d.attempts, d.error) == (False, 2, "HTTP 500")
    assert len(rec.messages()) == 2


def test_an_unanswered_receiver_times_out() -> None:
    with receiving(Receiver(hold=3.0, slow=5)) as rec:
        (d,) = deliver(_fast((rec.url,), attempts=2, timeout=0.3), {"text": "x"})
    assert not d.ok and d.attempts == 2 and d.status is None
    assert d.error == "no answer within 0.3s"


def test_nobody_listening_is_an_outcome_not_an_exception(
        caplog: pytest.LogCaptureFixture) -> None:
    url = f"http://127.0.0.1:{free_port()}/services/T0/B0/Secret-Path-9c2d"
    with caplog.at_level(logging.INFO, logger="lagprov.service"):
        (d,) = deliver(_fast((url,), attempts=2), {"text": "x"})
    assert not d.ok and d.attempts == 2 and d.error and "ConnectError" in d.error
    # the URL's path is the webhook's secret: never in the outcome or the log
    assert "Secret-Path" not in d.model_dump_json() and "Secret-Path" not in caplog.text
    assert d.target == redact(url) == f"http://127.0.0.1:{url.split(':')[2].split('/')[0]}/..."


def test_configuration_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAGPROV_WEBHOOK_URLS", "http://127.0.0.1:1/a, http://127.0.0.1:2/b")
    monkeypatch.setenv("LAGPROV_WEBHOOK_URL", "http://127.0.0.1:3/c")
    monkeypatch.setenv("LAGPROV_WEBHOOK_KEY", KEY)
    monkeypatch.setenv("LAGPROV_WEBHOOK_TIMEOUT", "2.5")
    cfg = WebhookConfig.from_env()
    assert cfg.urls == ("http://127.0.0.1:1/a", "http://127.0.0.1:2/b", "http://127.0.0.1:3/c")
    assert (cfg.key, cfg.timeout, cfg.attempts) == (KEY, 2.5, 3)
    monkeypatch.setenv("LAGPROV_WEBHOOK_URLS", "ftp://127.0.0.1/Secret-Path")
    with pytest.raises(ConfigError, match=r"LAGPROV_WEBHOOK_URLS: entry 1 is not an http") as e:
        WebhookConfig.from_env()
    assert "Secret-Path" not in str(e.value)
    monkeypatch.delenv("LAGPROV_WEBHOOK_URLS")
    monkeypatch.setenv("LAGPROV_WEBHOOK_ATTEMPTS", "0")
    with pytest.raises(ConfigError, match="LAGPROV_WEBHOOK_ATTEMPTS"):
        WebhookConfig.from_env()


# --- through the runner: one message per change, over replayed audits ------------------------


@pytest.fixture
def saved_inv() -> Inventory:
    return load_inventory(SAVED / "inventory")


@pytest.fixture
def drifted(tmp_path: Path) -> Path:
    """The healthy saved outputs with ens1f1 of lnx01 down (tests/workflow/test_audit.py)."""
    dest = tmp_path / "drifted"
    shutil.copytree(HEALTHY, dest)
    edit(dest / "lnx01" / "cat__proc_net_bonding_bond0.txt",
         "Slave Interface: ens1f1\nMII Status: up", "Slave Interface: ens1f1\nMII Status: down")
    return dest


def _audit(run: AuditRunner) -> str:
    job = run.submit()
    wait_for("the audit", lambda: run.jobs.get(job.id).state in ("done", "failed"))
    assert run.jobs.get(job.id).state == "done", run.jobs.get(job.id).reason
    return job.id


@pytest.fixture
def runner_on(saved_inv: Inventory, tmp_path: Path) -> Iterator[tuple[AuditRunner, Replay]]:
    replay = Replay(HEALTHY)
    with receiving() as rec:
        run = AuditRunner(lambda: saved_inv, history_dir=tmp_path / "state", audit=replay,
                          webhooks=_fast((rec.url,), key=KEY))
        run.receiver = rec  # type: ignore[attr-defined]
        try:
            yield run, replay
        finally:
            run.stop()


def test_exactly_one_message_per_change(runner_on: tuple[AuditRunner, Replay],
                                        drifted: Path) -> None:
    run, replay = runner_on
    rec: Receiver = run.receiver  # type: ignore[attr-defined]
    _audit(run)  # the baseline: nothing to compare with, no message
    _audit(run)  # unchanged: no message
    assert rec.messages() == []
    replay.folder = drifted
    new_job = _audit(run)
    _audit(run)  # still drifted: no second message
    assert len(rec.messages()) == 1
    body = rec.messages()[0].json()
    new = body["metadata"]["event_payload"]["new_failures"]
    assert ("lnx01-bond0", "host-members-up", "ens1f1") in {
        (f["trunk"], f["rule"], f["subject"]) for f in new}
    assert body["metadata"]["event_payload"]["job"] == new_job
    assert "new failure" in body["text"].splitlines()[0]
    job = run.jobs.get(new_job)
    assert [(d.ok, d.status) for d in job.notifications] == [(True, 200)]
    replay.folder = HEALTHY
    fixed_job = _audit(run)
    _audit(run)
    assert len(rec.messages()) == 2
    resolved = rec.messages()[1].json()["metadata"]["event_payload"]
    assert resolved["new_failures"] == [] and resolved["job"] == fixed_job
    assert ("lnx01-bond0", "host-members-up", "ens1f1") in {
        (f["trunk"], f["rule"], f["subject"]) for f in resolved["resolved_failures"]}


def test_a_failing_receiver_never_fails_the_audit(saved_inv: Inventory, tmp_path: Path,
                                                  drifted: Path) -> None:
    replay = Replay(HEALTHY)
    dead = f"http://127.0.0.1:{free_port()}/hook"
    run = AuditRunner(lambda: saved_inv, history_dir=tmp_path / "state", audit=replay,
                      webhooks=_fast((dead,), attempts=2))
    try:
        _audit(run)
        replay.folder = drifted
        job = run.jobs.get(_audit(run))
    finally:
        run.stop()
    assert job.state == "done" and job.summary is not None and job.summary.new_failures
    (d,) = job.notifications
    assert not d.ok and d.attempts == 2 and d.error and "ConnectError" in d.error
    assert run.jobs.failed_deliveries() == 1


@pytest.fixture
def lnx01_unread(tmp_path: Path) -> Path:
    """The healthy saved outputs without lnx01's: the host not read, its checks unverifiable
    (its per-member findings become one device-level finding)."""
    dest = tmp_path / "lnx01-unread"
    shutil.copytree(HEALTHY, dest)
    shutil.rmtree(dest / "lnx01")
    return dest


def test_an_unreadable_host_neither_reopens_nor_hides_a_failure(
        runner_on: tuple[AuditRunner, Replay], drifted: Path, lnx01_unread: Path) -> None:
    """fail -> unverifiable -> fail is not new again; fail -> unverifiable -> pass is resolved
    (each finding against its last known status, not only the audit before)."""
    run, replay = runner_on
    rec: Receiver = run.receiver  # type: ignore[attr-defined]
    member = ("lnx01-bond0", "host-members-up", "ens1f1")

    def keys(changes: list[dict[str, str]]) -> set[tuple[str, str, str]]:
        return {(f["trunk"], f["rule"], f["subject"]) for f in changes}

    _audit(run)  # healthy: the baseline
    replay.folder = drifted
    _audit(run)  # ens1f1 down: one message, new
    assert len(rec.messages()) == 1
    assert member in keys(rec.messages()[0].json()["metadata"]["event_payload"]["new_failures"])
    replay.folder = lnx01_unread
    unread = run.jobs.get(_audit(run))  # unverifiable: nothing announced, nothing resolved
    replay.folder = drifted
    again = run.jobs.get(_audit(run))  # failing again: not new again
    assert len(rec.messages()) == 1
    assert unread.summary is not None and again.summary is not None
    assert member not in keys([f.model_dump() for f in unread.summary.resolved_failures])
    assert member not in keys([f.model_dump() for f in again.summary.new_failures])
    replay.folder = lnx01_unread
    _audit(run)
    replay.folder = HEALTHY
    fixed = _audit(run)  # fail -> unverifiable -> pass: resolved
    assert len(rec.messages()) == 2
    payload = rec.messages()[1].json()["metadata"]["event_payload"]
    assert payload["job"] == fixed and payload["new_failures"] == []
    assert member in keys(payload["resolved_failures"])
    assert run.jobs.get(fixed).summary.resolved_failures  # type: ignore[union-attr]
