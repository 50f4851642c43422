"""The inventory is what its folder holds: odd files are refused, and reading never blocks."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from lagprov.errors import InputErrors
from lagprov.intent import load_inventory

EXAMPLE = Path(__file__).resolve().parents[2] / "inventory"


@pytest.fixture
def inv(tmp_path: Path) -> Path:
    root = tmp_path / "inv"
    shutil.copytree(EXAMPLE, root)
    return root


def _errors(root: Path) -> list[str]:
    """Load in a thread so that a loader that blocks fails the test instead of hanging it."""
    out: list[BaseException | None] = [None]

    def run() -> None:
        try:
            load_inventory(root)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            out[0] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(10)
    assert not t.is_alive(), "load_inventory blocked"
    exc = out[0]
    assert isinstance(exc, InputErrors), f"expected InputErrors, got {exc!r}"
    return [str(e) for e in exc.errors]


def test_a_directory_in_place_of_a_file(inv: Path) -> None:
    (inv / "groups.yaml").unlink()
    (inv / "groups.yaml").mkdir()
    assert any("groups.yaml" in e and "is a directory" in e for e in _errors(inv))


def test_a_fifo_is_refused_without_blocking(inv: Path) -> None:
    (inv / "trunks.yaml").unlink()
    os.mkfifo(inv / "trunks.yaml")
    assert any("trunks.yaml" in e and "not a regular file" in e for e in _errors(inv))


def test_a_symlink_loop(inv: Path) -> None:
    (inv / "defaults.yaml").unlink()
    (inv / "defaults.yaml").symlink_to(inv / "defaults.yaml")
    assert any("defaults.yaml" in e and "symlink loop" in e for e in _errors(inv))


def test_a_symlink_out_of_the_folder(inv: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    shutil.copy(inv / "trunks.yaml", outside)
    (inv / "trunks.yaml").unlink()
    (inv / "trunks.yaml").symlink_to(outside)
    assert any("trunks.yaml" in e and "outside the inventory folder" in e for e in _errors(inv))


def test_a_symlink_inside_the_folder_is_followed(inv: Path) -> None:
    (inv / "intent").mkdir()
    (inv / "trunks.yaml").rename(inv / "intent" / "trunks.yaml")
    (inv / "trunks.yaml").symlink_to(Path("intent") / "trunks.yaml")
    assert load_inventory(inv).trunks


def test_a_file_that_is_not_utf8(inv: Path) -> None:
    (inv / "groups.yaml").write_bytes(b"switches:\n  data: {role: \xff\xfe}\n")
    assert any("groups.yaml" in e and "not UTF-8" in e for e in _errors(inv))


def test_an_inventory_path_that_is_a_file(inv: Path) -> None:
    assert any("not a folder" in e for e in _errors(inv / "hosts.yaml"))
