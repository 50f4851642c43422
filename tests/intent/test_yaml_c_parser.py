"""Nornir's SimpleInventory reads the inventory with ruamel's C parser (``ruamel.yaml.clib``,
a dependency since issue 15: the bench's 199-device inventory was re-parsed in pure Python for
~1.1 s before every run).  What it resolves must be what the pure-Python parser resolves:
every host, group and default, with their data and connection options."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import ruamel.yaml.main
from nornir.plugins.inventory.simple import SimpleInventory

from bench.fleet import generate_fleet
from tests.conftest import EXAMPLE_INVENTORY, REPO

FOLDERS = [EXAMPLE_INVENTORY, *sorted(p for p in (REPO / "tests" / "inventories").iterdir()
                                      if p.is_dir()),
           REPO / "tests" / "workflow" / "saved" / "inventory"]


def _resolved(folder: Path) -> dict[str, Any]:
    inv = SimpleInventory(host_file=str(folder / "hosts.yaml"),
                          group_file=str(folder / "groups.yaml"),
                          defaults_file=str(folder / "defaults.yaml")).load()
    return {"dict": inv.dict(),
            "hosts": {n: (h.platform, h.hostname, h.port, dict(h.items()),
                          {c: h.get_connection_parameters(c).dict()
                           for c in ("napalm", "netmiko")})
                      for n, h in inv.hosts.items()}}


def test_the_c_parser_is_installed() -> None:
    assert getattr(ruamel.yaml.main, "CParser", None) is not None, "ruamel.yaml.clib: a dependency"


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_the_c_parser_resolves_what_the_pure_parser_resolves(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _resolved(folder)
    monkeypatch.setattr(ruamel.yaml.main, "CParser", None)
    pure = _resolved(folder)
    assert fast == pure
    assert fast["hosts"]  # something was compared


def test_the_c_parser_resolves_a_generated_fleet_as_the_pure_parser(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, switches, _ = generate_fleet(tmp_path / "fleet")
    fast = _resolved(folder)
    monkeypatch.setattr(ruamel.yaml.main, "CParser", None)
    assert _resolved(folder) == fast
    assert len(fast["hosts"]) > switches
