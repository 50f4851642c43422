"""Saved outputs of the lab's healthy example fabric (tests/workflow/saved, made by make_saved)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lagprov.intent.load import load_inventory
from lagprov.model.inventory import Inventory

SAVED = Path(__file__).resolve().parent / "saved"
HEALTHY = SAVED / "healthy"


@pytest.fixture(scope="session")
def saved_inv() -> Inventory:
    """The inventory the saved outputs were taken from."""
    return load_inventory(SAVED / "inventory")


@pytest.fixture()
def saved_copy(tmp_path: Path) -> Path:
    """A writable copy of the healthy saved outputs."""
    dest = tmp_path / "saved"
    shutil.copytree(HEALTHY, dest)
    return dest


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a saved output (the text must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
