"""Audit history never loses a run: audits finishing in the same second keep one file each
(issue 16, faults from outside)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from lagprov.report import RunReport
from lagprov.runs.audit import AuditRecord, load_record, save_record

WHEN = datetime(2024, 5, 1, 8, 0, 0, tzinfo=UTC)


def _record(n: int) -> AuditRecord:
    report = RunReport(command="audit", started=f"run-{n}", finished=f"run-{n}")
    return AuditRecord(taken=WHEN.isoformat(timespec="seconds"), report=report)


def test_five_audits_in_the_same_second_keep_five_records(tmp_path: Path) -> None:
    barrier = threading.Barrier(5)
    saved: list[Path] = []
    errors: list[BaseException] = []

    def one(n: int) -> None:
        try:
            barrier.wait()
            for _ in range(4):  # several rounds make the old check-then-write race likely
                saved.append(save_record(tmp_path, _record(n), WHEN))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    history = sorted(p for p in tmp_path.glob("20240501T080000Z*.json"))
    assert len(history) == 20 and len(set(saved)) == 20
    started = sorted(r.report.started for r in (load_record(p) for p in history) if r)
    assert started == sorted(f"run-{n}" for n in range(5) for _ in range(4))
    assert load_record(tmp_path / "latest.json") is not None
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
