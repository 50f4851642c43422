"""Faults from outside (issue 16), the pure parts: the run journal a crash leaves behind, the
machine-wide device lock, connect retries and the device deadline."""

from __future__ import annotations

import threading
import time
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lagprov.cli import main
from lagprov.edge.bounds import DeadlineExceeded, connect_retrying, within
from lagprov.edge.locks import device_lock
from lagprov.edge.sessions import NetmikoSession
from lagprov.errors import AuthError, CommitError, ConnectError
from lagprov.model.types import Platform
from lagprov.runs.store import (
    DeviceConfigs,
    FileRunStore,
    RunJournal,
    RunRecord,
    pending_devices,
    pending_note,
)

WHEN = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
PLANNED = ("interface GigabitEthernet1/0/1", " channel-group 10 mode active",
           "interface Port-channel10", " description t1")


def _entry() -> DeviceConfigs:
    return DeviceConfigs(platform=Platform.CISCO_IOS, trunks=("t1",),
                         owned={"t1": ("interface GigabitEthernet1/0/1",)},
                         before="hostname s\n", after="", finished=False, planned=PLANNED)


def test_a_run_that_dies_mid_push_stays_incomplete_with_the_lines_sent(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = FileRunStore(tmp_path)
    journal = RunJournal.start(store, "apply", WHEN, ["s", "t"])
    assert store.get(journal.record.id).result == "incomplete"  # stored before any push
    journal.pushing("s", _entry())
    journal.sent("s", PLANNED[0])
    journal.sent("s", PLANNED[1])
    # ... the process dies here: nothing else is written.
    record = FileRunStore(tmp_path).get(journal.record.id)
    assert record.result == "incomplete" and record.trunks == ("t1",)
    assert record.configs["s"].sent == PLANNED[:2] and record.configs["s"].pending
    found = pending_devices(store, ["s", "t"])
    assert list(found) == ["s"] and found["s"][0] == record.id
    assert "an earlier run did not finish" in pending_note("s", *found["s"])
    assert main(["runs", "--state", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "incomplete" in out and "s: 2 of 4 lines sent" in out
    assert f"'lagprov rollback {record.id} --commit'" in out


def test_a_finished_journal_takes_the_run_result(tmp_path: Path) -> None:
    store = FileRunStore(tmp_path)
    journal = RunJournal.start(store, "apply", WHEN, ["s"])
    journal.pushing("s", _entry())
    done = _entry().model_copy(update={"finished": True, "after": "hostname s\n!x\n"})
    record = journal.finish("applied", {"s": done})
    assert record.result == "applied" and store.get(record.id) == record
    assert pending_devices(store, ["s"]) == {}
    failed = RunJournal.start(store, "apply", WHEN, ["s"])
    failed.pushing("s", _entry())
    assert failed.finish("failed", {}).result == "incomplete"  # its restore never got through


def test_the_device_lock_ignores_the_state_folder(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    monkeypatch.setenv("LAGPROV_STATE", str(tmp_path / "a"))
    with device_lock("sw", exclusive=True, address="127.0.0.9:2222"):
        monkeypatch.setenv("LAGPROV_STATE", str(tmp_path / "b"))
        errors: list[Exception] = []

        def other_run() -> None:  # flock locks are per open file: another open is another run
            try:
                with device_lock("sw-other-name", exclusive=True, address="127.0.0.9:2222"):
                    pass
            except CommitError as exc:
                errors.append(exc)

        t = threading.Thread(target=other_run)
        t.start()
        t.join()
    assert len(errors) == 1 and "locked by another lagprov run" in str(errors[0])


def test_connect_retries_transient_failures_but_never_a_refused_login() -> None:
    calls: list[int] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise ConnectError("s connect: device unreachable (connection reset)")
        return "session"

    assert connect_retrying(flaky, retries=2, backoff_s=0) == "session" and len(calls) == 3
    calls.clear()
    with pytest.raises(ConnectError):
        connect_retrying(flaky, retries=1, backoff_s=0)
    assert len(calls) == 2

    logins: list[int] = []

    def refused() -> str:
        logins.append(1)
        raise AuthError("s connect: authentication failed")

    with pytest.raises(AuthError):
        connect_retrying(refused, retries=5, backoff_s=0)
    assert logins == [1]


class _DroppingConn:
    """A Netmiko connection whose session drops on the second configuration line."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def send_config_set(self, lines: list[str], **_kw: object) -> str:
        if len(self.sent) == 1:
            raise OSError("Socket is closed")
        self.sent.extend(lines)
        return "\n".join(lines)


def test_a_push_is_never_retried_and_reports_each_confirmed_line() -> None:
    conn = _DroppingConn()
    session = NetmikoSession(conn, "s")
    confirmed: list[str] = []
    session.on_sent = confirmed.extend
    session.load(PLANNED)
    with pytest.raises(ConnectError):
        session.commit()
    assert conn.sent == [PLANNED[0]] and confirmed == [PLANNED[0]]


def test_within_bounds_a_call_that_never_returns() -> None:
    release = threading.Event()
    with pytest.raises(DeadlineExceeded, match=r"deadline of 0\.2 s"):
        within(0.2, lambda: release.wait(30), "s read")
    release.set()
    assert within(5, lambda: time.monotonic() > 0, "s read") is True


class _HeldStore(FileRunStore):
    """A file store counting saves from ``armed``; the first of them waits for ``release``."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.armed = False
        self.saves = 0
        self.entered = threading.Event()
        self.release = threading.Event()

    def save(self, record: RunRecord, *, changed: Collection[str] | None = None) -> None:
        if self.armed:
            self.saves += 1
            if self.saves == 1:
                self.entered.set()
                assert self.release.wait(10)
        super().save(record, changed=changed)


def test_lines_confirmed_meanwhile_are_stored_in_one_save_before_their_callers_return(
        tmp_path: Path) -> None:
    store = _HeldStore(tmp_path)
    devices = [f"s{i}" for i in range(8)]
    journal = RunJournal.start(store, "apply", WHEN, devices)
    for d in devices:
        journal.pushing(d, _entry())
    store.armed = True
    returned: dict[str, tuple[str, ...]] = {}

    def push(device: str) -> None:
        journal.sent(device, PLANNED[0], PLANNED[1])
        # when sent() returns, what the store holds has this device's lines
        returned[device] = FileRunStore(tmp_path).get(journal.record.id).configs[device].sent

    first = threading.Thread(target=push, args=(devices[0],))
    first.start()
    assert store.entered.wait(10)  # the first save is being written ...
    others = [threading.Thread(target=push, args=(d,)) for d in devices[1:]]
    for t in others:
        t.start()
    while journal._changes < 2 * len(devices):  # ... while the others' lines gather
        time.sleep(0.01)
    store.release.set()
    for t in (first, *others):
        t.join(10)
    assert returned == {d: PLANNED[:2] for d in devices}
    assert store.saves == 2  # the first device's save, then one save for the other 7
    stored = FileRunStore(tmp_path).get(journal.record.id)
    assert all(stored.configs[d].sent == PLANNED[:2] for d in devices)
