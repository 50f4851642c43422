"""Issue 13 without a broker: what a second delivery of an apply reports, the inventory
fingerprint a worker checks, ``data.queue``, and the errors before anything is sent."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from lagprov.cli import main
from lagprov.errors import InputErrors
from lagprov.intent.load import load_inventory
from lagprov.model.outcome import DeviceOutcome, OutcomeStatus
from lagprov.model.plan import ChangePlan
from lagprov.model.types import Platform
from lagprov.runs.provision_tasks import Pushed
from tests.conftest import EXAMPLE_INVENTORY

pytest.importorskip("celery", reason="the workers need Celery: pip install 'lagprov[workers]'")

from lagprov.runs.workers.deliveries import merge_deliveries

BEFORE = "interface Gi1/0/1\n description old\n"
AFTER = "interface Gi1/0/1\n description new\n"


def _pushed(status: OutcomeStatus, before: str, after: str, lines: tuple[str, ...]) -> Pushed:
    plan = ChangePlan(device="sw", platform=Platform.CISCO_IOS, trunks=("t",),
                      remediation=lines, rollback=())
    return Pushed(DeviceOutcome(device="sw", platform=Platform.CISCO_IOS, status=status,
                                plan=plan), before, after)


def test_a_first_delivery_is_its_own_result() -> None:
    now = _pushed(OutcomeStatus.APPLIED, BEFORE, AFTER, ("description new",))
    assert merge_deliveries(None, None, now) == now


def test_a_duplicate_of_a_finished_apply_plans_no_change_and_reports_the_first() -> None:
    first = _pushed(OutcomeStatus.APPLIED, BEFORE, AFTER, ("description new",))
    second = _pushed(OutcomeStatus.NOOP, AFTER, AFTER, ())
    got = merge_deliveries(BEFORE, first, second)
    assert got.outcome.status is OutcomeStatus.APPLIED
    assert got.outcome.plan == first.outcome.plan
    assert (got.before, got.after) == (BEFORE, AFTER)  # the run's record: before the run
    assert got.outcome.messages[-1] == "delivered again: re-planned on the device, no change"


def test_after_a_lost_delivery_that_finished_the_push_the_device_counts_as_changed() -> None:
    again = _pushed(OutcomeStatus.NOOP, AFTER, AFTER, ())
    got = merge_deliveries(BEFORE, None, again)
    assert got.outcome.status is OutcomeStatus.APPLIED
    assert (got.before, got.after) == (BEFORE, AFTER)
    assert "lost while pushing" in got.outcome.messages[-1]


def test_after_a_lost_delivery_that_sent_nothing_nothing_changed() -> None:
    again = _pushed(OutcomeStatus.NOOP, BEFORE, BEFORE, ())
    assert merge_deliveries(BEFORE, None, again).outcome.status is OutcomeStatus.NOOP


def test_after_a_lost_half_push_the_rest_is_applied_and_before_is_the_runs() -> None:
    half = "interface Gi1/0/1\n description half\n"
    again = _pushed(OutcomeStatus.APPLIED, half, AFTER, ("description new",))
    got = merge_deliveries(BEFORE, None, again)
    assert got.outcome.status is OutcomeStatus.APPLIED
    assert (got.before, got.after) == (BEFORE, AFTER)


def test_the_inventory_fingerprint_is_the_same_in_every_process() -> None:
    """Sets in the hardware catalog iterate in a per-process order; the fingerprint does not
    depend on it (a worker compares its copy with the run's)."""
    code = ("from lagprov.intent.load import load_inventory; "
            "from lagprov.runs.workers.wire import fingerprint; "
            f"print(fingerprint(load_inventory({str(EXAMPLE_INVENTORY)!r})))")
    prints = {subprocess.run([sys.executable, "-c", code], env={"PYTHONHASHSEED": seed},
                             capture_output=True, text=True, check=True).stdout.strip()
              for seed in ("1", "2", "3")}
    assert len(prints) == 1 and len(prints.pop()) == 24


def _copy(tmp_path: Path, queue: object) -> Path:
    inv = tmp_path / "inv"
    shutil.copytree(EXAMPLE_INVENTORY, inv)
    hosts = yaml.safe_load((inv / "hosts.yaml").read_text(encoding="utf-8"))
    hosts["cat9300-1"].setdefault("data", {})["queue"] = queue
    (inv / "hosts.yaml").write_text(yaml.safe_dump(hosts, sort_keys=False), encoding="utf-8")
    return inv


def test_a_device_names_its_site_queue(tmp_path: Path) -> None:
    inv = load_inventory(_copy(tmp_path, "site-a"))
    assert inv.switch("cat9300-1").queue == "site-a"
    assert inv.switch("eos7120-1").queue is None


@pytest.mark.parametrize("queue", ["", "site a", 7, "-x"])
def test_a_bad_queue_name_names_file_and_field(tmp_path: Path, queue: object) -> None:
    with pytest.raises(InputErrors) as err:
        load_inventory(_copy(tmp_path, queue))
    assert any(e.location.endswith("hosts.yaml: cat9300-1.data.queue")
               for e in err.value.errors), \
        err.value


def _closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{s.getsockname()[1]}/0"


@pytest.mark.parametrize("command", [["audit"], ["verify"], ["plan"], ["apply", "--commit"]])
def test_a_broker_down_at_start_is_one_line_and_exit_3(
        command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LAGPROV_BROKER_URL", _closed_port())
    code = main([*command, "-i", str(EXAMPLE_INVENTORY), "--executor", "celery",
                 *(["--state", str(tmp_path)] if command == ["audit"] else [])])
    err = capsys.readouterr().err.strip()
    assert code == 3
    assert len(err.splitlines()) == 1 and "cannot be reached" in err, err
    assert "nothing was sent" in err


def test_celery_without_a_broker_url_is_bad_usage(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("LAGPROV_BROKER_URL", raising=False)
    assert main(["verify", "-i", str(EXAMPLE_INVENTORY), "--executor", "celery"]) == 2
    assert "LAGPROV_BROKER_URL" in capsys.readouterr().err


def test_an_unknown_executor_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "-i", str(EXAMPLE_INVENTORY), "--executor", "dask"]) == 2
    assert "threads, celery" in capsys.readouterr().err


def test_a_worker_with_the_broker_down_exits_3(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LAGPROV_BROKER_URL", _closed_port())
    assert main(["worker"]) == 3
    assert "cannot be reached" in capsys.readouterr().err


def test_a_worker_without_credentials_does_not_start(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LAGPROV_BROKER_URL", _closed_port())
    monkeypatch.delenv("LAGPROV_USERNAME", raising=False)
    assert main(["worker"]) == 2
    assert "LAGPROV_USERNAME" in capsys.readouterr().err
