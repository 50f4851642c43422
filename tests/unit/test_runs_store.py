"""Issue 8, "A way back": the run store and the restore plan of a run (pure parts)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from lagprov.cli import main
from lagprov.model.types import Platform
from lagprov.provision.restore import changed_since, restore_plan
from lagprov.runs.store import DeviceConfigs, FileRunStore, RunRecord, UnknownRun

IOS = Platform.CISCO_IOS
BEFORE = ("hostname s\ninterface GigabitEthernet1/0/1\n description old\n!\n"
          "interface GigabitEthernet1/0/2\n!\ninterface GigabitEthernet1/0/3\n description x\n!\n")
AFTER = ("hostname s\ninterface GigabitEthernet1/0/1\n description new\n"
         " channel-group 10 mode active\n!\ninterface GigabitEthernet1/0/2\n"
         " channel-group 10 mode active\n!\ninterface GigabitEthernet1/0/3\n description x\n!\n"
         "interface Port-channel10\n description new\n!\n")
OWNED = ("interface GigabitEthernet1/0/1", "interface GigabitEthernet1/0/2",
         "interface Port-channel10")


def _record(store: FileRunStore, when: datetime, command: str = "apply") -> RunRecord:
    cfg = DeviceConfigs(platform=IOS, trunks=("t1",), owned={"t1": OWNED}, before=BEFORE,
                        after=AFTER)
    record = RunRecord(id=store.new_id(when), time=when.isoformat(), command=command,
                       devices=("s",), trunks=("t1",), result="applied", configs={"s": cfg})
    store.save(record)
    return record


def test_store_keeps_runs_and_lists_them_newest_first(tmp_path: Path) -> None:
    store = FileRunStore(tmp_path)
    t0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    first = _record(store, t0)
    second = _record(store, t0 + timedelta(milliseconds=5), "rollback")
    assert [r.id for r in store.recent()] == [second.id, first.id]
    assert store.get(first.id) == first
    assert list((tmp_path / "runs").glob(".run-*")) == []  # no temporary file left behind
    with pytest.raises(UnknownRun, match=first.id):  # the error names the newest runs
        store.get("20000101T000000.000Z-000000")
    with pytest.raises(UnknownRun):
        store.get("../escape")


def test_runs_command_lists_json_objects(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    store = FileRunStore(tmp_path)
    old = _record(store, datetime(2026, 1, 1, tzinfo=UTC))
    new = _record(store, datetime(2026, 1, 2, tzinfo=UTC), "rollback")
    assert main(["runs", "--format", "json", "--state", str(tmp_path)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in listed] == [new.id, old.id]
    assert set(listed[0]) == {"id", "time", "command", "devices", "trunks", "result", "by"}
    assert listed[0]["command"] == "rollback" and listed[1]["trunks"] == ["t1"]


def test_restore_plan_undoes_the_owned_sections_only() -> None:
    now = AFTER + "interface GigabitEthernet1/0/9\n description someone-else\n!\n"
    plan = restore_plan(IOS, "s", ["t1"], OWNED, BEFORE, now)
    text = "\n".join(plan.remediation)
    assert "no interface Port-channel10" in text
    assert " description old" in text and " no channel-group" in text
    assert "GigabitEthernet1/0/9" not in text and "GigabitEthernet1/0/3" not in text
    assert restore_plan(IOS, "s", ["t1"], OWNED, BEFORE, BEFORE).is_noop


def test_changed_since_names_what_the_restore_overwrites() -> None:
    assert changed_since(IOS, OWNED, AFTER, AFTER) == []
    hand = AFTER.replace(" description new\n channel-group", " description hand\n channel-group")
    drift = changed_since(IOS, OWNED, AFTER, hand)
    assert any("description new" in d and d.startswith("-") for d in drift), drift
    assert any("description hand" in d and d.startswith("+") for d in drift), drift
    # a change outside the owned sections is not drift of this run
    other = AFTER.replace(" description x", " description y")
    assert changed_since(IOS, OWNED, AFTER, other) == []


def test_junos_restore_plan() -> None:
    before = "set interfaces ge-0/0/1 description old\n"
    after = ("set interfaces ge-0/0/1 ether-options 802.3ad ae1\n"
             "set interfaces ae1 aggregated-ether-options lacp active\n")
    owned = ("interfaces ge-0/0/1", "interfaces ae1")
    plan = restore_plan(Platform.JUNIPER_JUNOS, "ex", ["t"], owned, before, after)
    assert set(plan.remediation) == {"delete interfaces ge-0/0/1 ether-options 802.3ad",
                                     "delete interfaces ae1 aggregated-ether-options lacp active",
                                     "set interfaces ge-0/0/1 description old"}


def test_rollback_filter_and_run_id_are_checked_before_any_device(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import EXAMPLE_INVENTORY

    store = FileRunStore(tmp_path)
    cfg = DeviceConfigs(platform=IOS, trunks=("hv01-team",), owned={"hv01-team": OWNED},
                        before=BEFORE, after=AFTER)
    run = RunRecord(id=store.new_id(datetime(2026, 1, 1, tzinfo=UTC)), time="t",
                    command="apply", devices=("cat9300-1",), trunks=("hv01-team",),
                    result="applied", configs={"cat9300-1": cfg})
    store.save(run)
    base = ["-i", str(EXAMPLE_INVENTORY), "--state", str(tmp_path)]
    assert main(["rollback", run.id, *base, "--filter", "hv01-teem"]) == 2
    assert "did you mean: hv01-team" in capsys.readouterr().err
    # a trunk of the inventory that this run did not change
    assert main(["rollback", run.id, *base, "--filter", "lnx01-bond0"]) == 2
    assert "not a trunk run" in capsys.readouterr().err
    assert main(["rollback", "20000101T000000.000Z-000000", *base]) == 2
    assert "not in" in capsys.readouterr().err
