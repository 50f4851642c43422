"""Issue 13: the 50-switch lab fleet audited and applied through two ``lagprov worker``
processes over a real Redis, against the in-process run; a worker killed mid-audit."""

from __future__ import annotations

import faulthandler
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic_core import to_jsonable_python

from bench.fleet import generate_fleet, in_process_lab
from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LabFabric, fresh_block
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import OutcomeStatus
from lagprov.observe.collect import collection_plan
from lagprov.report import RunReport
from lagprov.runs.audit import audit_run
from lagprov.runs.executor import ThreadExecutor
from lagprov.runs.provision import provision_run
from lagprov.runs.store import FileRunStore
from tests.workers.conftest import Broker, Workers
from tests.workflow.labkit import LAB_ENV

pytestmark = [pytest.mark.lab, pytest.mark.slow]


@dataclass
class Fleet:
    fabric: LabFabric
    inv: Inventory
    reports: Path
    tmp: Path


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory, workers: Workers) -> Iterator[Fleet]:
    tmp = tmp_path_factory.mktemp("fleet")
    folder, switches, _ = generate_fleet(tmp / "fleet")
    assert switches == 50
    with pytest.MonkeyPatch.context() as mp:
        for k, v in {**LAB_ENV, "LAGPROV_BROKER_URL": workers.broker.url}.items():
            mp.setenv(k, v)
        with in_process_lab(load_inventory(folder), fresh_block(), tmp / "lab") as (fabric, live):
            reports = tmp / "reports"
            fabric.write_host_reports(reports)  # the Windows hosts' reports (not read live)
            yield Fleet(fabric, live, reports, tmp)


def _celery():  # type: ignore[no-untyped-def]
    from lagprov.runs.workers import CeleryExecutor

    return CeleryExecutor.from_env()


def _audit(f: Fleet, name: str, executor: object) -> RunReport:
    report, _ = audit_run(f.inv, state_dir=f.tmp / name, reports_dir=f.reports,
                          executor=executor)  # type: ignore[arg-type]
    return report


def _attempts(broker: Broker) -> list[dict[str, object]]:
    client = broker.client()
    return [json.loads(client.get(k)) for k in client.scan_iter("lagprov:attempt:*")]


_AGE = re.compile(r", \d+ s old")


def _timeless(value: object) -> object:
    """A report's JSON without the host reports' ages (they grow between two runs)."""
    if isinstance(value, dict):
        return {k: _timeless(v) for k, v in value.items() if k != "age_seconds"}
    if isinstance(value, list):
        return [_timeless(v) for v in value]
    return _AGE.sub("", value) if isinstance(value, str) else value


def _same(a: RunReport, b: RunReport) -> None:
    """The two reports say the same, but for when they ran."""
    assert _timeless(to_jsonable_python(a.findings)) == _timeless(to_jsonable_python(b.findings))
    assert a.errors == b.errors and a.counts == b.counts
    when = {"started", "finished"}
    assert _timeless(a.model_dump(mode="json", exclude=when)) == _timeless(
        b.model_dump(mode="json", exclude=when))


@pytest.fixture(scope="module")
def applied(fleet: Fleet, workers: Workers) -> Fleet:
    """The fleet provisioned through the workers (plan, then apply --commit)."""
    del workers
    store = FileRunStore(fleet.tmp / "runs")
    plan = provision_run(fleet.inv, commit=False, store=store, executor=_celery())
    assert {o.status for o in plan.outcomes} == {OutcomeStatus.PLANNED}
    report = provision_run(fleet.inv, commit=True, store=store, executor=_celery())
    assert len(report.outcomes) == 50
    assert {o.status for o in report.outcomes} == {OutcomeStatus.APPLIED}, report.failed
    record = store.get(report.run_id or "")
    assert record.result == "applied" and len(record.configs) == 50
    assert all(c.before and c.after and c.before != c.after for c in record.configs.values())
    return fleet


def test_an_apply_through_the_workers_leaves_nothing_for_the_threads_to_do(
        applied: Fleet) -> None:
    again = provision_run(applied.inv, commit=False, store=FileRunStore(applied.tmp / "r2"),
                          executor=ThreadExecutor())
    assert [o.device for o in again.outcomes if o.status is not OutcomeStatus.NOOP] == []


def test_the_fleet_audit_through_two_workers_finds_what_the_threads_find(
        applied: Fleet, workers: Workers, monkeypatch: pytest.MonkeyPatch) -> None:
    threads = _audit(applied, "threads", ThreadExecutor())
    assert threads.counts.passed > 0 and threads.counts.trunks == len(applied.inv.trunks)
    client = workers.broker.client()
    for key in client.scan_iter("lagprov:attempt:*"):
        client.delete(key)
    for k in LAB_ENV:  # the run's side has no credentials: they never travel to workers
        monkeypatch.delenv(k, raising=False)
    through = _audit(applied, "celery", _celery())
    _same(threads, through)
    took = {str(a["worker"]).split("@")[0] for a in _attempts(workers.broker)}
    assert took == {"a", "b"}  # both workers took part
    devices = collection_plan(applied.inv)
    assert len(_attempts(workers.broker)) == len(devices.switches) + sum(
        1 for h in devices.hosts if h.live)


def test_a_worker_killed_mid_audit_still_gives_the_complete_report(
        applied: Fleet, workers: Workers) -> None:
    reference = _audit(applied, "reference", ThreadExecutor())
    client = workers.broker.client()
    for key in client.scan_iter("lagprov:attempt:*"):
        client.delete(key)
    victim = workers.start("victim", concurrency=4)
    slow = [s.name for s in applied.inv.switches][::3]
    for name in slow:  # slow reads: the victim is still in the middle of some when it dies
        applied.fabric.faults(name).latency_s = 0.2
    box: dict[str, RunReport] = {}
    run = threading.Thread(target=lambda: box.update(r=_audit(applied, "killed", _celery())))
    try:
        run.start()
        held: list[str] = []
        end = time.monotonic() + 60
        while not held and time.monotonic() < end:
            held = [k.decode() for k in client.scan_iter("lagprov:attempt:*")
                    if json.loads(client.get(k))["worker"] == victim
                    and client.get(k.decode().replace(":attempt:", ":done:")) is None]
            time.sleep(0.05)
        assert held, "the victim took no task"
        workers.kill("victim")
        run.join(300)
    finally:
        for name in slow:
            applied.fabric.faults(name).latency_s = 0.0
    if run.is_alive():  # what it waits for, in the captured output
        faulthandler.dump_traceback(all_threads=True)
    assert not run.is_alive()
    report = box["r"]
    # every task the victim held was delivered again, and done by the others
    for key in held:
        attempt = json.loads(client.get(key))
        assert attempt["delivery"] >= 2 and attempt["worker"] != victim
    _same(reference, report)
