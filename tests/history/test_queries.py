"""What users ask of the history, on SQLite and PostgreSQL, over real audits of the saved
lab outputs with drift injected: a trunk's timeline, any two audits' diff, failures open for
long, retention; and ``audit`` writing the database with the JSON files as an export."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from lagprov.errors import InputError
from lagprov.model.inventory import Inventory
from lagprov.runs.audit import FileAuditStore, audit_run
from lagprov.runs.history.db import engine_for
from lagprov.runs.history.queries import (
    diff_runs,
    open_failures,
    parse_keep,
    prune,
    resolve,
    trunk_timeline,
)
from lagprov.runs.history.repo import DbAuditStore, DbRunStore
from lagprov.runs.store import FileRunStore, RunRecord
from tests.workflow.conftest import HEALTHY, edit, saved_copy, saved_inv

__all__ = ["saved_copy", "saved_inv"]  # fixtures used by the tests below

DAY = timedelta(days=1)
T1 = datetime(2024, 5, 1, 8, 0, 0, tzinfo=UTC)
TRUNK = "lnx01-bond0"
History = tuple[DbAuditStore, list[str], Path]  # the store, its audits oldest first, drift


def _member_down(saved: Path) -> None:
    edit(saved / "lnx01" / "cat__proc_net_bonding_bond0.txt",
         "Slave Interface: ens1f1\nMII Status: up", "Slave Interface: ens1f1\nMII Status: down")


@pytest.fixture()
def history(db_url: str, tmp_path: Path, saved_inv: Inventory, saved_copy: Path
            ) -> Iterator[tuple[DbAuditStore, list[str], Path]]:
    """Five daily audits: healthy, healthy, ens1f1 down (day 3 and 4), healthy again."""
    store = DbAuditStore(engine_for(db_url), FileAuditStore(tmp_path / "audit"))
    broken = tmp_path / "broken"
    shutil.copytree(saved_copy, broken)
    _member_down(broken)
    for day, source in enumerate((HEALTHY, HEALTHY, broken, broken, HEALTHY)):
        audit_run(saved_inv, from_dir=source, now=T1 + day * DAY, store=store)
    yield store, store.names()[::-1], broken


def test_trunk_timeline_shows_when_it_started_failing_and_what_changed(
        history: History) -> None:
    store, names, _ = history
    timeline = trunk_timeline(store, TRUNK)
    assert [e.audit for e in timeline] == [names[2], names[4]]
    went, back = timeline
    failed = {(c.rule, c.subject, c.before, c.after) for c in went.changes}
    assert ("host-members-up", "ens1f1", "pass", "fail") in failed
    assert went.taken == (T1 + 2 * DAY).isoformat()
    assert any(v.device == "lnx01" and v.subject == "bond0 ens1f1" and v.before == "up"
               and v.after == "down" for v in went.values)
    assert ("host-members-up", "ens1f1", "fail", "pass") in {
        (c.rule, c.subject, c.before, c.after) for c in back.changes}
    assert trunk_timeline(store, "hv01-team") == ()  # never changed


def test_diff_between_any_two_audits(history: History) -> None:
    store, names, _ = history
    first_to_fourth = diff_runs(store, names[0], names[3])  # not adjacent
    assert first_to_fourth.previous == T1.isoformat()
    assert ("host-members-up", "ens1f1") in {(f.rule, f.subject)
                                             for f in first_to_fourth.new_failures}
    assert diff_runs(store, names[2], names[3]).changed is False
    back = diff_runs(store, "latest~1", "latest")
    assert ("host-members-up", "ens1f1") in {(f.rule, f.subject) for f in back.resolved_failures}
    assert resolve(store, "latest~4") == names[0]
    with pytest.raises(InputError, match="latest~5"):
        resolve(store, "latest~5")


def test_open_failures_older_than_n_days(history: History,
                                         saved_inv: Inventory) -> None:
    store, _, broken = history
    assert open_failures(store) == ()  # the newest audit is healthy
    # one more audit, broken again on day 5 (it was healthy on day 4)
    audit_run(saved_inv, from_dir=broken, now=T1 + 5 * DAY, store=store)
    now = T1 + 5 * DAY + timedelta(hours=12)
    found = {(f.trunk, f.rule, f.subject): f for f in open_failures(store, now=now)}
    f = found[(TRUNK, "host-members-up", "ens1f1")]
    # reopened on day 5: open half a day, not since day 2 when it first failed
    assert f.since == (T1 + 5 * DAY).isoformat() and f.days == 0.5
    assert open_failures(store, DAY, now=now) == ()
    assert (TRUNK, "host-members-up", "ens1f1") in {
        (o.trunk, o.rule, o.subject) for o in open_failures(store, DAY, now=now + 2 * DAY)}


def test_prune_keeps_the_recent_and_the_newest(history: History,
                                               db_url: str, tmp_path: Path) -> None:
    store, names, _ = history
    runs = DbRunStore(store.engine, FileRunStore(tmp_path))
    for result, when in (("applied", T1), ("incomplete", T1), ("applied", T1 + 4 * DAY)):
        runs.save(RunRecord(id=runs.new_id(when), time=when.isoformat(), command="apply",
                            devices=("s",), trunks=("t",), result=result))
    now = T1 + 4 * DAY + timedelta(hours=1)
    done = prune(store, parse_keep("2d"), runs=runs, now=now)
    assert done.audits == tuple(names[:3])  # days 0 to 2: day 2 is 2 days and an hour old
    assert store.names() == [names[4], names[3]]
    assert not (store.export.folder / f"{names[0]}.json").exists()  # type: ignore[union-attr]
    left = {r.result for r in runs.recent()}
    assert len(done.runs) == 1 and left == {"incomplete", "applied"}
    # everything older than an hour: still never the newest audit
    prune(store, parse_keep("1h"), now=now + 30 * DAY)
    assert store.names() == [names[-1]]


@pytest.mark.parametrize("bad", ["90", "d", "-3d", "0d", "3y", "3m"])  # 3m: months? minutes?
def test_keep_must_be_a_count_and_unit(bad: str) -> None:
    with pytest.raises(InputError, match="--keep"):
        parse_keep(bad)
