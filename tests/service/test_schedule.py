"""Scheduled and on-demand audits (issue 12): ``serve --audit-every 15m`` or a cron
expression, one audit at a time, a tick that would overlap the previous audit recorded as
skipped; ``POST /audits`` starts one, ``GET /audits/{id}`` shows its progress."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from lagprov.cli import main
from lagprov.errors import InputError, InputErrors
from lagprov.intent.load import load_inventory
from lagprov.model.inventory import Inventory
from lagprov.runs.history import audit_store
from lagprov.runs.history.jobs import job_store
from lagprov.service import create_app
from lagprov.service.audit_runner import AuditRunner
from lagprov.service.audits_api import install_audits
from lagprov.service.schedule import MAX_JITTER, Schedule, Ticker
from tests.service.audit_kit import Replay, ServiceLab, example_lab, serving, wait_for
from tests.service.conftest import READ_TOKEN, TOKENS
from tests.workflow.conftest import HEALTHY, SAVED
from tests.workflow.labkit import LAB_ENV

# --- the schedule ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "seconds"), [("15m", 900), ("30s", 30), ("1h30m", 5400),
                                               ("1d", 86400), ("2H", 7200)])
def test_intervals(text: str, seconds: float) -> None:
    sched = Schedule.parse(text)
    assert sched.every == seconds and sched.cron is None
    assert sched.next_after(1000.0) == 1000.0 + seconds


def test_default_jitter_is_a_tenth_of_the_period_at_most_five_minutes() -> None:
    assert Schedule.parse("15m").jitter == 90
    assert Schedule.parse("1d").jitter == MAX_JITTER == 300
    assert Schedule.parse("15m", "0").jitter == 0
    assert Schedule.parse("15m", "45s").jitter == 45


def test_cron_expression_fires_on_its_minutes() -> None:
    sched = Schedule.parse("*/15 * * * *")
    assert sched.every is None and sched.cron == "*/15 * * * *"
    start = datetime(2026, 3, 2, 10, 7, 30).astimezone()  # local time, as cron reads it
    first = datetime.fromtimestamp(sched.next_after(start.timestamp())).astimezone()
    assert (first.hour, first.minute, first.second) == (10, 15, 0)
    second = datetime.fromtimestamp(sched.next_after(first.timestamp())).astimezone()
    assert (second.hour, second.minute) == (10, 30)
    assert sched.period() == 900 and sched.jitter == 90
    nightly = Schedule.parse("0 2 * * 1-5")  # 02:00 on weekdays; 2026-03-06 is a Friday
    friday = datetime(2026, 3, 6, 3, 0).astimezone().timestamp()
    monday = datetime.fromtimestamp(nightly.next_after(friday)).astimezone()
    assert (monday.day, monday.hour, monday.minute) == (9, 2, 0)


@pytest.mark.parametrize("text", ["15x", "0s", "0m", "fifteen", "* * * *", "* * * * * *",
                                  "61 * * * *", "", "0.5s"])
def test_bad_schedules_name_the_option(text: str) -> None:
    with pytest.raises(InputError, match="--audit-every"):
        Schedule.parse(text)


def test_bad_jitter_names_its_option() -> None:
    with pytest.raises(InputError, match="--audit-jitter"):
        Schedule.parse("15m", "soon")


def test_serve_refuses_a_bad_schedule_before_listening(capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    code = main(["serve", "-i", str(SAVED / "inventory"), "--audit-every", "every monday"])
    err = capsys.readouterr().err
    assert code == 2 and "--audit-every 'every monday'" in err and "Traceback" not in err
    code = main(["serve", "-i", str(SAVED / "inventory"), "--audit-jitter", "10s"])
    assert code == 2 and "--audit-jitter needs --audit-every" in capsys.readouterr().err


def test_serve_with_a_schedule_refuses_a_history_it_cannot_open(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    from tests.service.conftest import free_port

    monkeypatch.setenv("LAGPROV_STATE", str(tmp_path))
    monkeypatch.setenv("LAGPROV_DATABASE_URL",
                       f"postgresql+psycopg://lagprov:Db-Sentinel-11@127.0.0.1:{free_port()}/x")
    code = main(["serve", "-i", str(SAVED / "inventory"), "--audit-every", "15m"])
    err = capsys.readouterr().err
    assert code == 2 and "history database" in err and "Traceback" not in err
    assert "Db-Sentinel-11" not in err


def test_interval_ticks_at_a_fixed_rate_and_passes_over_missed_ticks() -> None:
    ticker = Ticker(Schedule.parse("10m", "0"), lambda: None)
    assert ticker.first_base(5000.0) == 5000.0  # an interval starts at once
    assert ticker.following(5000.0, 5000.5) == 5600.0  # from the tick, not from the audit
    # the process was suspended over three ticks: the next is the first one still ahead
    assert ticker.following(5000.0, 7000.0) == 7400.0


def test_ticker_ticks_at_start_then_on_fire_and_stops() -> None:
    ticks: list[int] = []
    seen = threading.Event()

    def on_tick() -> None:
        ticks.append(1)
        seen.set()

    ticker = Ticker(Schedule.parse("1h", "0"), on_tick)
    ticker.start()
    try:
        assert seen.wait(30), "the first tick of an interval comes at once"
        seen.clear()
        ticker.fire()  # the test hook: no waiting for the hour
        assert seen.wait(30)
    finally:
        ticker.stop()
    assert len(ticks) == 2
    assert ticker._thread is not None and not ticker._thread.is_alive()


def test_a_tick_that_raises_does_not_stop_the_schedule() -> None:
    calls: list[int] = []
    second = threading.Event()

    def on_tick() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")
        second.set()

    ticker = Ticker(Schedule.parse("1h", "0"), on_tick)
    ticker.start()
    try:
        wait_for("the first tick", lambda: calls, 30)
        ticker.fire()
        assert second.wait(30)
    finally:
        ticker.stop()


# --- the runner over replayed outputs ------------------------------------------------------


@pytest.fixture
def saved_inv() -> Inventory:
    return load_inventory(SAVED / "inventory")


@pytest.fixture
def replay() -> Replay:
    return Replay(HEALTHY)


@pytest.fixture
def runner(saved_inv: Inventory, replay: Replay, tmp_path: Path) -> Iterator[AuditRunner]:
    run = AuditRunner(lambda: saved_inv, history_dir=tmp_path, audit=replay)
    yield run
    if replay.gate is not None:
        replay.gate.set()
    run.stop()


def _done(runner: AuditRunner, job_id: str) -> object:
    job = runner.jobs.get(job_id)
    return job if job.state in ("done", "failed") else None


def test_requested_audit_runs_and_reports_progress_and_result(runner: AuditRunner,
                                                              tmp_path: Path) -> None:
    job = runner.submit(by="netops")
    assert (job.state, job.trigger, job.by) == ("queued", "request", "netops")
    done = wait_for("the audit", lambda: _done(runner, job.id))
    job = runner.jobs.get(job.id)
    assert job.state == "done", job.reason
    assert job.devices_total is not None and job.devices_total > 0
    assert job.devices_done == job.devices_total
    assert job.summary is not None and job.summary.exit_status == 0
    assert job.summary.trunks["fail"] == 0 and sum(job.summary.trunks.values()) > 0
    assert job.summary.previous is None  # the first audit: nothing to compare with
    # the same history the CLI's audit writes
    assert job.audit in audit_store(tmp_path).names()
    assert done is not None and job.started is not None and job.finished is not None


def test_tick_while_an_audit_runs_is_recorded_as_skipped(runner: AuditRunner,
                                                         replay: Replay,
                                                         tmp_path: Path) -> None:
    replay.gate = threading.Event()
    first = runner.tick()
    assert first.state == "queued" and first.trigger == "schedule"
    assert replay.entered.wait(60)
    assert runner.jobs.get(first.id).state == "running"
    skipped = runner.tick()
    assert skipped.state == "skipped" and skipped.trigger == "schedule"
    assert skipped.reason is not None and first.id in skipped.reason
    assert "still running" in skipped.reason
    replay.gate.set()
    wait_for("the first audit", lambda: _done(runner, first.id))
    # recorded in the history database, where another process (or the pages) sees it
    again = job_store(tmp_path)
    assert again.get(skipped.id).state == "skipped"
    assert again.counts()["skipped"] == 1 and again.counts()["done"] == 1
    assert len(audit_store(tmp_path).names()) == 1  # the skipped tick audited nothing
    after = runner.tick()  # nothing runs now: the next tick audits
    assert after.state == "queued"
    wait_for("the next audit", lambda: _done(runner, after.id))


def test_requests_queue_behind_the_running_audit_and_coalesce(runner: AuditRunner,
                                                              replay: Replay) -> None:
    replay.gate = threading.Event()
    first = runner.submit()
    assert replay.entered.wait(60)
    queued = runner.submit()
    assert queued.state == "queued" and queued.id != first.id
    assert runner.submit().id == queued.id  # one queued audit serves both callers
    assert runner.tick().state == "skipped"  # the schedule does not stack a third
    replay.gate.set()
    wait_for("both audits", lambda: _done(runner, queued.id))
    assert runner.jobs.get(first.id).state == runner.jobs.get(queued.id).state == "done"
    assert runner.jobs.get(queued.id).summary.previous is not None  # type: ignore[union-attr]


def test_audit_that_cannot_run_is_failed_with_the_reason_and_the_next_runs(
        saved_inv: Inventory, replay: Replay, tmp_path: Path) -> None:
    broken = [True]

    def load() -> Inventory:
        if broken[0]:
            raise InputErrors([InputError("trunks.yaml: trunks[0].name", "missing")])
        return saved_inv

    run = AuditRunner(load, history_dir=tmp_path, audit=replay)
    try:
        job = run.submit()
        failed = wait_for("the failed audit", lambda: _done(run, job.id))
        assert run.jobs.get(job.id).state == "failed", failed
        reason = run.jobs.get(job.id).reason or ""
        assert "trunks.yaml: trunks[0].name: missing" in reason
        broken[0] = False
        nxt = run.submit()
        wait_for("the next audit", lambda: _done(run, nxt.id))
        assert run.jobs.get(nxt.id).state == "done"
    finally:
        run.stop()


# --- the HTTP routes -----------------------------------------------------------------------


@pytest.fixture
def audits_client(saved_inv: Inventory, replay: Replay, tmp_path: Path
                  ) -> Iterator[TestClient]:
    from lagprov.service.webhooks import WebhookConfig

    app = FastAPI()
    app.state.tokens = TOKENS
    install_audits(app, lambda: saved_inv, history_dir=tmp_path, audit=replay,
                   webhooks=WebhookConfig())
    with TestClient(app, headers={"Authorization": f"Bearer {READ_TOKEN}"}) as client:
        yield client


def test_post_audits_returns_the_id_and_get_shows_progress(audits_client: TestClient) -> None:
    answer = audits_client.post("/audits")
    assert answer.status_code == 202
    job_id = answer.json()["id"]
    assert answer.headers["location"] == f"/audits/{job_id}"
    assert answer.json()["by"] == "host-pipeline"  # the read token's name
    done = wait_for("the audit", lambda: (lambda j: j if j["state"] == "done" else None)(
        audits_client.get(f"/audits/{job_id}").json()))
    assert done["devices_done"] == done["devices_total"] > 0
    assert done["summary"]["counts"]["trunks"] == sum(done["summary"]["trunks"].values())
    listed = audits_client.get("/audits").json()
    assert [j["id"] for j in listed] == [job_id]
    assert audits_client.get("/audits/a-nope").status_code == 404
    body = audits_client.get(f"/audits/{job_id}").text
    assert READ_TOKEN not in body


def test_audits_need_a_token_when_tokens_are_configured(audits_client: TestClient) -> None:
    bare = TestClient(audits_client.app)
    assert bare.post("/audits").status_code == 401
    assert bare.get("/audits").status_code == 401
    assert bare.get("/metrics").status_code == 401


def test_create_app_has_the_routes_and_writes_history_beside_its_state(
        inventory: Path, tmp_path: Path) -> None:
    app = create_app(inventory, state_dir=tmp_path / "state" / "service")
    assert {"/audits", "/audits/{job_id}", "/metrics"} <= set(app.openapi()["paths"])
    assert app.state.audits.state_dir == tmp_path / "state"
    assert app.state.audit_ticker is None  # no schedule unless asked


# --- overlap on the lab: a slow switch makes the audit outlast the interval ---------------


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceLab]:
    with pytest.MonkeyPatch.context() as mp:
        for k, v in LAB_ENV.items():
            mp.setenv(k, v)
        with example_lab(tmp_path_factory.mktemp("schedule-lab")) as started:
            yield started


@pytest.mark.lab
@pytest.mark.slow
def test_overlapping_tick_on_the_lab_is_skipped(lab: ServiceLab, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    for k, v in LAB_ENV.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("LAGPROV_DATABASE_URL", raising=False)
    faults = lab.fabric.faults("eos7120-1")
    faults.latency_s = 0.3  # every reply of eos7120-1 late: the audit outlasts the 1s ticks
    app = create_app(lab.inventory, state_dir=tmp_path / "state" / "service",
                     reports_dir=lab.reports, audit_schedule=Schedule.parse("1s", "0"))
    try:
        with serving(app) as url, httpx.Client(base_url=url, timeout=30) as http:
            def skipped() -> list[dict[str, object]]:
                jobs = http.get("/audits", params={"limit": 50}).json()
                return [j for j in jobs if j["state"] == "skipped"]

            found = wait_for("a skipped tick", skipped, 180)[0]
            running = str(found["reason"]).split("previous audit ")[1].split(" ")[0]
            other = http.get(f"/audits/{running}").json()
            assert other["trigger"] == "schedule"
            # it was running when the tick came: started before, not finished before
            assert other["started"] <= found["requested"]
            assert other["finished"] is None or other["finished"] >= found["requested"]
            metrics = http.get("/metrics").text
    finally:
        faults.latency_s = 0.0
    assert job_store(tmp_path / "state").get(str(found["id"])).state == "skipped"
    skipped_line = next(line for line in metrics.splitlines()
                        if line.startswith("lagprov_audits_skipped_total "))
    assert int(skipped_line.split()[1]) >= 1
