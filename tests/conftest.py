"""Shared test helpers: repository paths and the shared real-capture folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_INVENTORY = REPO / "inventory"
SHARED_FIXTURES = (REPO / ".." / "shared" / "fixtures").resolve()


@pytest.fixture(autouse=True)
def _isolated_state(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Locks, audit history and the run database of tests never land in the checkout (nor
    in a database a developer has configured)."""
    monkeypatch.setenv("LAGPROV_STATE", str(tmp_path_factory.getbasetemp() / "state"))
    monkeypatch.delenv("LAGPROV_DATABASE_URL", raising=False)


def shared_fixtures() -> Path:
    """The real captures; skip (saying so) where ../shared/fixtures is absent."""
    if not SHARED_FIXTURES.is_dir():
        pytest.skip(f"real captures not available: {SHARED_FIXTURES} is absent")
    return SHARED_FIXTURES


os.environ.setdefault("LAGPROV_USERNAME", "lab")
os.environ.setdefault("LAGPROV_PASSWORD", "lab-password")
os.environ.setdefault("LAGPROV_SECRET", "lab-secret")
