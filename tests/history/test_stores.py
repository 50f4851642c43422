"""The audit and run stores behind one interface: the JSON file stores and the database stores
(SQLite and a real PostgreSQL server) keep and return the same records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from lagprov.model.findings import Finding, Severity, Status
from lagprov.model.state import DeviceLagState, HostTeamState
from lagprov.model.types import HostOs, Platform
from lagprov.report import RunReport
from lagprov.report.model import TrunkReport
from lagprov.runs.audit import AuditRecord, AuditStore, FileAuditStore, UnknownAudit
from lagprov.runs.history.db import engine_for
from lagprov.runs.history.repo import DbAuditStore, DbRunStore
from lagprov.runs.store import (
    DeviceConfigs,
    FileRunStore,
    RunJournal,
    RunRecord,
    RunStore,
    UnknownRun,
)

T0 = datetime(2026, 3, 1, 8, 0, 0, tzinfo=UTC)


def _audits(url: str | None, folder: Path) -> AuditStore:
    return FileAuditStore(folder) if url is None else DbAuditStore(engine_for(url))


def _runs(url: str | None, folder: Path) -> RunStore:
    return FileRunStore(folder) if url is None else DbRunStore(engine_for(url))


def _finding(rule: str, status: Status, device: str | None = "sw1") -> Finding:
    return Finding(trunk="t1", rule=rule, status=status, severity=Severity.ERROR,
                   device=device, subject="Gi1/0/1", message=f"{rule} is {status.value}")


def _record(when: datetime, status: Status) -> AuditRecord:
    trunk = TrunkReport(name="t1", purpose="uplink", state="present", ends=(), findings=(
        _finding("lacp-mode", status), _finding("mtu-path", Status.PASS, None)))
    report = RunReport(command="audit", started=when.isoformat(), finished=when.isoformat(),
                       trunks=(trunk,))
    return AuditRecord(taken=when.isoformat(timespec="seconds"), report=report,
                       switches={"sw1": DeviceLagState(device="sw1", platform=Platform.ARISTA_EOS,
                                                       system_mtu_ip=9000)},
                       hosts={"h1": HostTeamState(device="h1", os=HostOs.LINUX, name="bond0",
                                                  mtu_ip=9000)})


def test_audit_store_keeps_records_and_the_newest(backend: str | None, tmp_path: Path) -> None:
    store = _audits(backend, tmp_path / "audit")
    assert store.latest() is None and store.names() == []
    first, second = _record(T0, Status.PASS), _record(T0 + timedelta(hours=1), Status.FAIL)
    a = store.save(first, T0)
    b = store.save(second, T0 + timedelta(hours=1))
    assert a != b
    assert store.names() == [b, a] and store.names(1) == [b]
    assert store.latest() == second
    assert store.get(a) == first and store.get(b) == second
    with pytest.raises(UnknownAudit, match="nope"):
        store.get("nope")


def _run(store: RunStore, when: datetime) -> RunRecord:
    cfg = DeviceConfigs(platform=Platform.CISCO_IOS, trunks=("t1",),
                        owned={"t1": ("interface Port-channel10",)}, before="hostname a\n",
                        after="hostname a\ninterface Port-channel10\n", finished=False,
                        planned=("interface Port-channel10", " mtu 9000"),
                        sent=("interface Port-channel10",), restored_by="20260301T090000.000Z-x")
    record = RunRecord(version=1, id=store.new_id(when), time=when.isoformat(),
                       command="rollback", devices=("s1", "s2"), trunks=("t1",),
                       result="incomplete", rollback_of="20260201T000000.000Z-abcdef",
                       configs={"s1": cfg}, by="pipeline-token")
    # Every field is set here: a field added to the records that a store drops fails below.
    assert record.model_fields_set == set(RunRecord.model_fields)
    assert cfg.model_fields_set == set(DeviceConfigs.model_fields)
    store.save(record)
    return record


def test_run_store_round_trips_every_field(backend: str | None, tmp_path: Path) -> None:
    store = _runs(backend, tmp_path)
    older = _run(store, T0)
    newer = _run(store, T0 + timedelta(milliseconds=7))
    assert store.get(older.id) == older and store.get(newer.id) == newer
    assert [r.id for r in store.recent()] == [newer.id, older.id]
    assert [r.id for r in store.recent(1)] == [newer.id]
    assert store.recent(1)[0].by == "pipeline-token"
    # a journal saves the same run again and again: the last save wins, nothing duplicated
    done = newer.model_copy(update={"result": "applied", "configs": {}})
    store.save(done)
    assert store.get(newer.id) == done and len(store.recent()) == 2
    store.delete(older.id)
    with pytest.raises(UnknownRun, match=newer.id):  # names the newest stored run
        store.get(older.id)


def _entry(device: str) -> DeviceConfigs:
    return DeviceConfigs(platform=Platform.CISCO_IOS, trunks=(f"t-{device}",),
                         owned={f"t-{device}": ("interface Port-channel1",)},
                         before=f"hostname {device}\n", after="", finished=False,
                         planned=("interface Port-channel1", " description x"))


def test_a_journal_saving_only_the_devices_it_changed_stores_the_whole_run(
        backend: str | None, tmp_path: Path) -> None:
    store = _runs(backend, tmp_path)
    journal = RunJournal.start(store, "apply", T0, ["a", "b", "c"])
    for device in ("a", "b", "c"):
        journal.pushing(device, _entry(device))
    journal.sent("b", "interface Port-channel1")
    journal.sent("a", "interface Port-channel1", " description x")
    assert store.get(journal.record.id) == journal.record
    done = _entry("a").model_copy(update={"finished": True, "after": "hostname a\n!x\n"})
    record = journal.finish("failed", {"a": done, "c": None})  # c: forgotten
    stored = store.get(record.id)
    assert stored == record and set(stored.configs) == {"a", "b"}
    assert stored.configs["b"].sent == ("interface Port-channel1",)
    assert stored.result == "incomplete" and stored.trunks == ("t-a", "t-b")
    # a save naming devices of a run not stored yet writes it whole
    fresh = record.model_copy(update={"id": store.new_id(T0 + timedelta(seconds=1))})
    store.save(fresh, changed=("a",))
    assert store.get(fresh.id) == fresh


def test_audits_saved_at_once_keep_one_name_each(db_url: str) -> None:
    import threading

    store = DbAuditStore(engine_for(db_url))  # no export: names come from the database
    barrier = threading.Barrier(5)
    names: list[str] = []
    errors: list[BaseException] = []

    def one(n: int) -> None:
        try:
            barrier.wait()
            names.append(store.save(_record(T0, Status.PASS), T0))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(names)) == 5 and sorted(store.names()) == sorted(names)
    assert "20260301T080000Z" in names
