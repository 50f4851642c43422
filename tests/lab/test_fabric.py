"""LabFabric: built from the inventory, loopback only, rebased, cabling faults, inventory copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagprov.errors import LabError
from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LabFabric
from lagprov.model.state import MemberStatus
from tests.lab.conftest import EXAMPLE_INVENTORY

pytestmark = pytest.mark.lab


def test_every_inventory_device_is_built_and_rebased() -> None:
    inv = load_inventory(EXAMPLE_INVENTORY)
    fabric = LabFabric.from_inventory(inv, rebase="127.0.97.0")
    try:
        assert set(fabric.switches) == {s.name for s in inv.switches}
        assert set(fabric.hosts) == {h.name for h in inv.hosts}
        assert fabric.addresses["cat2960s-1"] == "127.0.97.10"
        assert all(a.startswith("127.0.97.") for a in fabric.addresses.values())
        # cabling defaults to the trunks' intended cabling
        assert len(fabric.cables) == sum(len(t.cables()) for t in inv.trunks)
    finally:
        fabric.close()


def test_addresses_outside_loopback_are_refused() -> None:
    inv = load_inventory(EXAMPLE_INVENTORY)
    fabric = LabFabric.from_inventory(inv, rebase="127.0.98.0")
    fabric.addresses["cat9300-1"] = "192.0.2.10"
    try:
        with pytest.raises(LabError, match=r"127\.0\.0\.0/8"):
            fabric.start()
    finally:
        fabric.close()


def test_load_config_rejects_invalid_lines(lab_fabric: LabFabric) -> None:
    with pytest.raises(LabError, match="Invalid input"):
        lab_fabric.load_config("cat9300-1", ["interface Gi1/0/3", "frobnicate"])


def test_uncabling_takes_members_down_and_recabling_restores(lab_fabric: LabFabric) -> None:
    lab_fabric.load_config("cat9300-1", ["interface range Gi1/0/1 - 2",
                                         "channel-group 10 mode active"])
    assert lab_fabric.link_outcomes("cat9300-1")["GigabitEthernet1/0/1"].status is \
        MemberStatus.BUNDLED
    far = next(c for c in lab_fabric.cables if c.a_port == "GigabitEthernet1/0/1")
    lab_fabric.uncable(("cat9300-1", "GigabitEthernet1/0/1"))
    assert lab_fabric.link_outcomes("cat9300-1")["GigabitEthernet1/0/1"].status is \
        MemberStatus.DOWN
    lab_fabric.cable(("cat9300-1", "GigabitEthernet1/0/1"), (far.b_device, far.b_port))
    assert lab_fabric.link_outcomes("cat9300-1")["GigabitEthernet1/0/1"].status is \
        MemberStatus.BUNDLED


def test_host_team_change_breaks_the_bundle(lab_fabric: LabFabric) -> None:
    lab_fabric.load_config("cat9300-1", ["interface range Gi1/0/1 - 2",
                                         "channel-group 10 mode active"])
    lab_fabric.set_host_team("hv01", "SwitchIndependent")
    try:
        status = lab_fabric.link_outcomes("cat9300-1")["GigabitEthernet1/0/1"].status
        assert status is not MemberStatus.BUNDLED
    finally:
        lab_fabric.set_host_team("hv01", "Lacp")
    assert lab_fabric.link_outcomes("cat9300-1")["GigabitEthernet1/0/1"].status is \
        MemberStatus.BUNDLED


def test_write_inventory_points_at_the_lab(lab_fabric: LabFabric, tmp_path: Path) -> None:
    dest = lab_fabric.write_inventory(tmp_path / "inv")
    inv = load_inventory(dest)
    assert inv.switch("cat9300-1").address == lab_fabric.addresses["cat9300-1"]
    assert inv.switch("eos7120-1").eapi_port == 8080
    assert len(inv.trunks) == len(load_inventory(EXAMPLE_INVENTORY).trunks)


def test_lab_up_starts_the_example_fabric_fast() -> None:
    from lagprov.cli.lab import describe

    inv = load_inventory(EXAMPLE_INVENTORY)
    fabric = LabFabric.from_inventory(inv, rebase="auto")
    import time
    began = time.monotonic()
    fabric.start()
    seconds = time.monotonic() - began
    try:
        assert seconds < 5
        text = describe(fabric, seconds)
        assert "export LAGPROV_USERNAME=lab" in text
        assert f"{fabric.addresses['eos7120-1']}" in text and "eapi 8080" in text
    finally:
        fabric.close()
