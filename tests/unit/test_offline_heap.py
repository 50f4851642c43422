"""An offline run keeps what it parsed to its end without full garbage collections (issue 15).

Full collections scanned the whole fleet read so far again and again (a cost growing faster
than the fleet).  These tests pin the behaviour: the same report as with the collector left
alone, no automatic full collection inside an offline run, the collector's settings as they
were afterwards, also when runs overlap in threads (the service).  No timing is asserted.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest

from bench.replicate import replicate
from lagprov.intent.load import load_inventory
from lagprov.model.inventory import Inventory
from lagprov.report import RunReport
from lagprov.runs import verify as verify_mod
from lagprov.runs.verify import verify_run

COPIES = 8  # 48 switch configurations and their hosts


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Inventory, Path]:
    inv_dir, saved, _ = replicate(tmp_path_factory.mktemp("fleet"), COPIES)
    return load_inventory(inv_dir), saved


def _same(report: RunReport) -> dict[str, Any]:
    return report.model_dump(exclude={"started", "finished"})


@pytest.fixture
def full_collections() -> Iterator[list[int]]:
    """Generation-2 collections started while the test runs (automatic or not)."""
    seen: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            seen.append(1)

    gc.callbacks.append(note)
    try:
        yield seen
    finally:
        gc.callbacks.remove(note)


def test_offline_report_is_the_one_the_untouched_collector_gives(
        fleet: tuple[Inventory, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    inv, saved = fleet
    kept = verify_run(inv, from_dir=saved)
    monkeypatch.setattr(verify_mod, "_frozen_heap", nullcontext)
    plain = verify_run(inv, from_dir=saved)
    assert _same(kept) == _same(plain)
    assert kept.counts.passed > 0 and len(kept.trunks) == len(inv.trunks)


def test_no_full_collection_inside_an_offline_run_and_settings_restored(
        fleet: tuple[Inventory, Path], full_collections: list[int]) -> None:
    inv, saved = fleet
    before = gc.get_threshold()
    gc.collect()
    frozen = gc.get_freeze_count()
    full_collections.clear()
    # many young collections during the run, as on a large fleet: the gen-2 rule would fire
    gc.set_threshold(50, 1, 1)
    try:
        verify_run(inv, from_dir=saved)
        assert full_collections == []
        assert gc.get_threshold() == (50, 1, 1)
        assert gc.get_freeze_count() == frozen
    finally:
        gc.set_threshold(*before)
    gc.collect()  # an explicit one is still a full collection (the callback sees it)
    assert full_collections == [1]


def test_overlapping_offline_runs_restore_the_collector_once_both_end(
        fleet: tuple[Inventory, Path]) -> None:
    inv, saved = fleet
    serial = _same(verify_run(inv, from_dir=saved))
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    got: list[dict[str, Any]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            got.append(_same(verify_run(inv, from_dir=saved)))
        except BaseException as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert got == [serial] * 3
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen
