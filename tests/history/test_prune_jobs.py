"""``history prune --keep`` also forgets the service's old audit jobs (``audit_jobs``), never a
queued or running one (the service still updates those), on SQLite."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from lagprov.cli import main
from lagprov.report import RunReport
from lagprov.runs.audit import AuditRecord
from lagprov.runs.history import ENV_DATABASE_URL, audit_store
from lagprov.runs.history.db import database_url, forget
from lagprov.runs.history.jobs import JobState, job_store
from lagprov.runs.history.queries import parse_keep, prune

DAY = timedelta(days=1)


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A state folder whose history is SQLite (``<state>/lagprov.db``)."""
    monkeypatch.delenv(ENV_DATABASE_URL, raising=False)
    folder = tmp_path / "state"
    folder.mkdir()
    try:
        yield folder
    finally:
        forget(database_url(folder))


def _fill(state: Path, now: datetime) -> dict[str, str]:
    """Two audits (100 days old, 1 day old) and jobs of every state, old and recent; the
    label of each job -> its id."""
    audits = audit_store(state)
    for age in (100 * DAY, DAY):
        when = now - age
        audits.save(AuditRecord(taken=when.isoformat(), report=RunReport(
            command="audit", started=when.isoformat(), finished=when.isoformat())), when)
    jobs = job_store(state)
    made: dict[str, str] = {}
    states: tuple[JobState, ...] = ("done", "skipped", "failed", "queued", "running")
    for age, label in ((100 * DAY, "old"), (91 * DAY, "old"), (89 * DAY, "recent")):
        for i, s in enumerate(states):
            when = now - age
            job_id = f"a-{when:%Y%m%dT%H%M%SZ}-{i:06x}"
            jobs.create(job_id, "request" if s == "queued" else "schedule", s, when)
            made[f"{label} {s} {age.days}d"] = job_id
    return made


def test_prune_forgets_finished_jobs_older_than_keep(state: Path) -> None:
    now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    made = _fill(state, now)
    done = prune(audit_store(state), parse_keep("90d"), now=now)
    forgotten = {k for k, v in made.items() if v in done.jobs}
    assert forgotten == {f"old {s} {d}d" for s in ("done", "skipped", "failed")
                         for d in (100, 91)}
    left = {j.id for j in job_store(state).recent()}
    assert left == set(made.values()) - set(done.jobs)
    assert len(done.audits) == 1  # the 100-day-old audit; the newest one stays
    # again: nothing more to forget; the old queued and running jobs are still there
    assert prune(audit_store(state), parse_keep("90d"), now=now).jobs == ()
    assert made["old queued 100d"] in left and made["old running 100d"] in left


def test_the_cli_prunes_jobs(state: Path, capsys: pytest.CaptureFixture[str]) -> None:
    made = _fill(state, datetime.now(UTC))
    assert main(["history", "prune", "--keep", "90d", "--state", str(state)]) == 0
    out = capsys.readouterr().out
    assert "pruned 1 audit(s), 6 audit job(s) older than 90d" in out
    assert len(job_store(state).recent()) == len(made) - 6
    assert main(["history", "prune", "--keep", "90d", "--format", "json",
                 "--state", str(state)]) == 0
    assert json.loads(capsys.readouterr().out)["jobs"] == []
