"""Shared lab fixtures: the example fabric, rebased to a fresh loopback block per test module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LabFabric

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_INVENTORY = REPO / "inventory"
FIXTURES = REPO / ".." / "shared" / "fixtures"
LAB_USER = {"username": "lab", "password": "lab-password", "secret": "lab-secret"}


def fixture_text(platform: str, command: str, case: str) -> str:
    """A real capture from shared/fixtures (skips the test if the folder is absent)."""
    path = FIXTURES / platform / command / case
    if not path.is_file():
        pytest.skip(f"real capture {path} not available (shared/fixtures absent)")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def lab_fabric() -> Iterator[LabFabric]:
    """The example fabric, started on a fresh 127.x.y.0 block, for one test module."""
    fabric = LabFabric.from_inventory(load_inventory(EXAMPLE_INVENTORY), rebase="auto")
    fabric.start()
    try:
        yield fabric
    finally:
        fabric.close()
