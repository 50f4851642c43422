"""Issue 13 on the example lab: sites' queues, a task past its time limit, a duplicate
delivery of an apply, and a worker killed while it pushes."""

from __future__ import annotations

import json
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from bench.fleet import in_process_lab
from lagprov.edge.nornir_glue import TransportChoice
from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LabFabric, fresh_block
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import OutcomeStatus
from lagprov.runs.executor import ProvisionJob, ThreadExecutor
from lagprov.runs.provision import ProvisionReport, provision_run
from lagprov.runs.rollback import rollback_run
from lagprov.runs.scope import trunk_scope
from lagprov.runs.store import FileRunStore
from lagprov.runs.verify import verify_run
from tests.conftest import EXAMPLE_INVENTORY
from tests.e2e.kit import comparable, log_since
from tests.workers.conftest import Broker, Workers
from tests.workflow.labkit import LAB_ENV

pytestmark = [pytest.mark.lab, pytest.mark.slow]


@dataclass
class Lab:
    fabric: LabFabric
    folder: Path
    tmp: Path

    def with_queues(self, name: str, queues: dict[str, str]) -> Inventory:
        """A copy of the live inventory whose devices ``queues`` name a site queue."""
        dest = self.tmp / name
        shutil.copytree(self.folder, dest)
        hosts = yaml.safe_load((dest / "hosts.yaml").read_text(encoding="utf-8"))
        for device, queue in queues.items():
            hosts[device].setdefault("data", {})["queue"] = queue
        (dest / "hosts.yaml").write_text(yaml.safe_dump(hosts, sort_keys=False), "utf-8")
        return load_inventory(dest)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory, workers: Workers) -> Iterator[Lab]:
    tmp = tmp_path_factory.mktemp("example")
    with pytest.MonkeyPatch.context() as mp:
        for k, v in {**LAB_ENV, "LAGPROV_BROKER_URL": workers.broker.url}.items():
            mp.setenv(k, v)
        with in_process_lab(load_inventory(EXAMPLE_INVENTORY), fresh_block(), tmp / "lab") as (
                fabric, live):
            yield Lab(fabric, Path(live.root), tmp)


def _celery():  # type: ignore[no-untyped-def]
    from lagprov.runs.workers import CeleryExecutor

    return CeleryExecutor.from_env()


def _attempts(broker: Broker) -> dict[str, dict[str, object]]:
    """Task id -> its attempt record (device, worker, delivery, journal entry)."""
    client = broker.client()
    return {k.decode().rsplit(":", 1)[1]: json.loads(client.get(k))
            for k in client.scan_iter("lagprov:attempt:*")}


def _forget(broker: Broker) -> None:
    client = broker.client()
    for key in client.scan_iter("lagprov:*"):
        client.delete(key)


def test_a_sites_devices_go_only_to_its_workers(lab: Lab, workers: Workers) -> None:
    inv = lab.with_queues("sites", {"cat2960s-1": "site-a", "ex3300-1": "site-z"})
    node = workers.start("site-a", queues=("site-a",), concurrency=2)
    _forget(workers.broker)
    try:
        report = verify_run(inv, devices=["esx01-vswitch0", "win-iscsi01-mpio", "hv01-team"],
                            executor=_celery())
    finally:
        workers.stop("site-a")
    by_device = {a["device"]: a["worker"] for a in _attempts(workers.broker).values()}
    assert by_device["cat2960s-1"] == node
    others = {d: w for d, w in by_device.items() if d != "cat2960s-1"}
    assert others and set(others.values()) <= {workers.node("a"), workers.node("b")}
    assert "ex3300-1" not in by_device  # no worker serves site-z: never sent
    (err,) = [e for e in report.errors if e.device == "ex3300-1"]
    assert "no worker listens on queue 'site-z'" in err.message
    threads = verify_run(inv, devices=["esx01-vswitch0", "win-iscsi01-mpio", "hv01-team"],
                         executor=ThreadExecutor())  # the queues do not matter in-process
    assert [e for e in report.errors if e.device != "ex3300-1"] == [
        e for e in threads.errors if e.device != "ex3300-1"]


def test_a_task_past_its_time_limit_is_a_timeout_for_that_device_alone(
        lab: Lab, workers: Workers, monkeypatch: pytest.MonkeyPatch) -> None:
    del workers
    inv = load_inventory(lab.folder)
    monkeypatch.setenv("LAGPROV_TASK_TIME_LIMIT", "6")
    lab.fabric.faults("cat2960s-1").latency_s = 2.0  # its read takes far longer than 6 s
    try:
        report = verify_run(inv, devices=["esx01-vswitch0", "hv01-team"], executor=_celery())
    finally:
        lab.fabric.faults("cat2960s-1").latency_s = 0.0
    (err,) = report.errors
    assert (err.device, err.kind.value) == ("cat2960s-1", "timeout")
    assert "time limit of 6 s" in err.message


def test_a_duplicate_delivery_of_an_apply_plans_no_change(lab: Lab, workers: Workers) -> None:
    inv = load_inventory(lab.folder)
    device = "ex3300-1"
    executor = _celery()
    job = ProvisionJob(commit=True, force=False, choice=TransportChoice(),
                       scope=trunk_scope(inv, [device]))
    task = executor.device_task(inv, device, job)
    task_id = str(uuid.uuid4())
    for _ in range(2):  # two deliveries of one task, at once: two workers may take them
        executor.app.send_task(task.name, args=[task.payload], task_id=task_id,
                               queue=task.queue)
    client = workers.broker.client()
    result: dict[str, object] = {}
    end = time.monotonic() + 180
    while time.monotonic() < end:
        raw = client.get(f"lagprov:done:{task_id}")
        result = json.loads(raw) if raw else {}
        if any("delivered again" in m for m in result.get("outcome", {}).get("messages", [])):
            break
        time.sleep(0.2)
    outcome = result["outcome"]
    assert outcome["status"] == "applied" and outcome["plan"]["remediation"], result
    assert outcome["messages"][-1] == "delivered again: re-planned on the device, no change"
    assert json.loads(client.get(f"lagprov:attempt:{task_id}"))["delivery"] == 2
    again = provision_run(inv, commit=False, devices=[device],
                          store=FileRunStore(lab.tmp / "dup"), executor=ThreadExecutor())
    assert [o.status for o in again.outcomes] == [OutcomeStatus.NOOP]


def test_a_worker_killed_while_pushing_leaves_the_device_applied_and_restorable(
        lab: Lab, workers: Workers) -> None:
    """The task goes again to the site's other worker, which re-plans from what the first
    left: the device ends as intended, and the run's record (what a rollback restores) is
    the configuration from before the run."""
    device, trunk = "cat9300-1", "hv01-team"
    inv = lab.with_queues("killed", {device: "site-k"})
    original = lab.fabric.running_config(device)
    nodes = {workers.start(n, queues=("site-k",), concurrency=1): n for n in ("k1", "k2")}
    _forget(workers.broker)
    store = FileRunStore(lab.tmp / "killed-runs")
    box: dict[str, ProvisionReport] = {}
    lab.fabric.faults(device).latency_s = 0.4  # a slow push, line by line (Netmiko)

    def apply() -> None:
        box["r"] = provision_run(inv, commit=True, devices=[trunk], store=store,
                                 choice=TransportChoice(netmiko_everywhere=True),
                                 executor=_celery())

    run = threading.Thread(target=apply)
    try:
        run.start()
        victim, end = None, time.monotonic() + 120
        while victim is None and time.monotonic() < end:
            for a in _attempts(workers.broker).values():
                entry = a.get("entry") or {}
                if a["device"] == device and len(entry.get("sent", ())) >= 2:  # type: ignore[union-attr, arg-type]
                    victim = nodes[str(a["worker"])]
            time.sleep(0.05)
        assert victim is not None, "the push never started"
        workers.kill(victim)
        lab.fabric.faults(device).latency_s = 0.0
        run.join(300)
    finally:
        lab.fabric.faults(device).latency_s = 0.0
        for n in ("k1", "k2"):
            if n in workers.running:
                workers.stop(n)
    assert not run.is_alive()
    assert "r" in box, "the apply raised (see the captured output)"
    (outcome,) = box["r"].outcomes
    assert outcome.status is OutcomeStatus.APPLIED, (outcome, _attempts(workers.broker))
    assert any("lost while pushing" in m for m in outcome.messages), (
        outcome.messages, _attempts(workers.broker))
    plan = provision_run(load_inventory(lab.folder), commit=False, devices=[trunk],
                         store=store, executor=ThreadExecutor())
    assert [o.status for o in plan.outcomes] == [OutcomeStatus.NOOP]  # not half-configured
    start = len(lab.fabric.switch(device).command_log)
    back = rollback_run(load_inventory(lab.folder), box["r"].run_id or "", commit=True,
                        store=store, executor=ThreadExecutor())
    assert [o.status for o in back.outcomes] == [OutcomeStatus.APPLIED], back.outcomes
    assert log_since(lab.fabric, device, start)
    assert comparable(lab.fabric.running_config(device), keep_globals=True) == comparable(
        original, keep_globals=True)
