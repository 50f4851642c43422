"""``audit`` and the run store write the history database (SQLite in the state folder unless
$LAGPROV_DATABASE_URL names one), keep the JSON files as an export, and import a state folder
from before the database; ``lagprov history`` answers from it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from lagprov.cli import main
from lagprov.errors import ConfigError
from lagprov.model.inventory import Inventory
from lagprov.runs.audit import AuditRecord, FileAuditStore, audit_run
from lagprov.runs.history import ENV_DATABASE_URL
from lagprov.runs.history.db import engine_for
from lagprov.runs.history.repo import DbAuditStore, DbRunStore
from lagprov.runs.store import FileRunStore, RunRecord, default_store
from tests.workflow.conftest import HEALTHY, edit, saved_copy, saved_inv

__all__ = ["saved_copy", "saved_inv"]  # fixtures used by the tests below

T1 = datetime(2024, 5, 1, 8, 0, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def _no_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_DATABASE_URL, raising=False)


def _sqlite(state: Path) -> DbAuditStore:
    return DbAuditStore(engine_for(f"sqlite:///{state.resolve() / 'lagprov.db'}"))


def test_audit_history_is_read_from_the_database_not_the_files(
        saved_inv: Inventory, tmp_path: Path) -> None:
    audit_run(saved_inv, state_dir=tmp_path, from_dir=HEALTHY, now=T1)
    assert (tmp_path / "lagprov.db").is_file()
    exported = sorted(p.name for p in (tmp_path / "audit").iterdir())
    assert exported == ["20240501T080000Z.json", "latest.json"]  # the export, as before
    for f in (tmp_path / "audit").iterdir():
        f.unlink()
    _, delta = audit_run(saved_inv, state_dir=tmp_path, from_dir=HEALTHY, now=T1 + DAY)
    assert delta.previous == T1.isoformat()  # from the database
    assert _sqlite(tmp_path).names() == ["20240502T080000Z", "20240501T080000Z"]


def test_a_state_folder_from_before_the_database_is_imported(
        saved_inv: Inventory, tmp_path: Path, saved_copy: Path) -> None:
    files = FileAuditStore(tmp_path / "audit")
    audit_run(saved_inv, from_dir=HEALTHY, now=T1, store=files)  # as lagprov did before
    edit(saved_copy / "lnx01" / "ip_-j_-d_link.txt", '"mtu":9000', '"mtu":1500')
    _, delta = audit_run(saved_inv, state_dir=tmp_path, from_dir=saved_copy, now=T1 + DAY)
    assert delta.previous == T1.isoformat() and delta.mtu_changes
    assert _sqlite(tmp_path).names() == ["20240502T080000Z", "20240501T080000Z"]


def test_database_url_from_the_environment(saved_inv: Inventory, tmp_path: Path, db_url: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATABASE_URL, db_url)
    state = tmp_path / "state"
    audit_run(saved_inv, state_dir=state, from_dir=HEALTHY, now=T1)
    store = DbAuditStore(engine_for(db_url))
    assert store.names() == ["20240501T080000Z"]
    assert isinstance(store.latest(), AuditRecord)
    assert not (state / "lagprov.db").exists()
    run = default_store(state)
    record = RunRecord(id=run.new_id(T1), time=T1.isoformat(), command="apply",
                       devices=("s",), trunks=("t",), result="applied")
    run.save(record)
    assert DbRunStore(engine_for(db_url)).get(record.id) == record
    assert FileRunStore(state).get(record.id) == record  # the export


def test_unusable_database_url_is_a_clear_error(saved_inv: Inventory, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    for url in ("no-such-scheme://x", "not a url s3cret"):
        monkeypatch.setenv(ENV_DATABASE_URL, url)
        with pytest.raises(ConfigError, match=ENV_DATABASE_URL) as err:
            audit_run(saved_inv, state_dir=tmp_path, from_dir=HEALTHY, now=T1)
        assert "s3cret" not in str(err.value)
    # a server that refuses: the error names it, without the password
    monkeypatch.setenv(ENV_DATABASE_URL, "postgresql+psycopg://u:s3cret@127.0.0.1:1/x")
    with pytest.raises(ConfigError, match="history database") as err:
        audit_run(saved_inv, state_dir=tmp_path, from_dir=HEALTHY, now=T1)
    assert "s3cret" not in str(err.value) and "127.0.0.1" in str(err.value)


def test_runs_written_by_the_file_store_are_imported(tmp_path: Path) -> None:
    files = FileRunStore(tmp_path)
    record = RunRecord(id=files.new_id(T1), time=T1.isoformat(), command="apply",
                       devices=("s",), trunks=("t",), result="applied")
    files.save(record)
    store = default_store(tmp_path)
    assert [r.id for r in store.recent()] == [record.id] and store.get(record.id) == record
    database = DbRunStore(engine_for(f"sqlite:///{tmp_path.resolve() / 'lagprov.db'}"))
    assert database.get(record.id) == record  # imported into the database
    store.delete(record.id)
    assert store.recent() == [] and not list((tmp_path / "runs").glob("*.json"))


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["history", *args])
    return code, capsys.readouterr().out


def test_history_commands(saved_inv: Inventory, tmp_path: Path, saved_copy: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    edit(saved_copy / "lnx01" / "cat__proc_net_bonding_bond0.txt",
         "Slave Interface: ens1f1\nMII Status: up", "Slave Interface: ens1f1\nMII Status: down")
    for day, source in enumerate((HEALTHY, saved_copy, saved_copy)):
        audit_run(saved_inv, state_dir=tmp_path, from_dir=source, now=T1 + day * DAY)
    state = ("--state", str(tmp_path))
    code, out = _cli(capsys, "list", *state)
    assert code == 0 and out.splitlines()[0].startswith("20240503T080000Z  2024-05-03T08:00")
    code, out = _cli(capsys, "trunk", "lnx01-bond0", *state)
    assert code == 0
    assert "2024-05-02T08:00:00+00:00  audit 20240502T080000Z" in out
    assert "host-members-up lnx01 ens1f1: pass -> fail" in out
    assert "observed: lnx01 bond0 ens1f1: up -> down" in out
    code, out = _cli(capsys, "diff", "20240501T080000Z", "latest", *state)
    assert code == 0 and "new failure: lnx01-bond0 host-members-up" in out
    code, out = _cli(capsys, "open", "--days", "0", "--format", "json", *state)
    assert code == 1
    assert ("lnx01-bond0", "host-members-up", "ens1f1", "2024-05-02T08:00:00+00:00") in {
        (f["trunk"], f["rule"], f["subject"], f["since"]) for f in json.loads(out)}
    code, out = _cli(capsys, "prune", "--keep", "1d", *state)
    assert code == 0 and "pruned" in out
    assert len(_sqlite(tmp_path).names()) < 3
    assert main(["history", "trunk", "no-such-trunk", *state]) == 2
    assert main(["history", "prune", "--keep", "ninety", *state]) == 2
    assert main(["history", "diff", "nope", "latest", *state]) == 2
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    assert main(["history", "list", "--state", str(a_file)]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_a_broken_database_is_a_clear_error(saved_inv: Inventory, tmp_path: Path) -> None:
    audit_run(saved_inv, state_dir=tmp_path, from_dir=HEALTHY, now=T1)
    (tmp_path / "lagprov.db").write_bytes(b"not a database" * 100)
    with pytest.raises(ConfigError, match=r"history database sqlite:///.*lagprov\.db"):
        audit_run(saved_inv, state_dir=tmp_path, from_dir=HEALTHY, now=T1 + DAY)
    assert main(["history", "list", "--state", str(tmp_path)]) == 2
