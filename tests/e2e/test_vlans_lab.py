"""Issue 8, "VLANs exist", on the lab (the example inventory, real NAPALM/Netmiko transports).

The lab switches start with the example's VLANs (lagprov.lab.vlans), so the example plans; a
VLAN removed by hand on a switch holds back the trunk carrying it, naming the ids, while the
other trunks of that switch still plan; with ``create_vlans: true`` an apply creates the
missing VLAN, the switch's own VLAN table lists it, and verify is clean.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LabFabric
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import OutcomeStatus
from lagprov.model.types import Platform
from lagprov.runs.provision import held_trunks, provision_run
from lagprov.runs.verify import verify_run
from tests.conftest import EXAMPLE_INVENTORY
from tests.e2e.kit import add_vlans
from tests.lab.test_vlan_database import lab_vlans
from tests.workflow.labkit import LAB_ENV

pytestmark = pytest.mark.lab


@dataclass
class Lab:
    fabric: LabFabric
    inv: Inventory
    folder: Path
    reports: Path


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    base = tmp_path_factory.mktemp("vlans")
    fabric = LabFabric.from_inventory(load_inventory(EXAMPLE_INVENTORY), rebase="auto")
    fabric.start()
    with pytest.MonkeyPatch.context() as mp:
        for k, v in LAB_ENV.items():
            mp.setenv(k, v)
        try:
            folder = fabric.write_inventory(base / "inventory")
            fabric.write_host_reports(base / "reports")
            yield Lab(fabric, load_inventory(folder), folder, base / "reports")
        finally:
            fabric.close()


def _hand(lab: Lab, device: str, vlan: int, *, create: bool) -> None:
    """Create or delete ``vlan`` on a lab switch by hand, as an engineer would."""
    platform = lab.inv.switch(device).platform.value
    if create:
        add_vlans(lab.fabric, device, platform, [vlan])
        return
    line = "delete vlans v{n}" if platform == "juniper_junos" else "no vlan {n}"
    lab.fabric.load_config(device, [line.format(n=vlan)])


def _lab_vlans(lab: Lab, device: str) -> frozenset[int]:
    return lab_vlans(lab.fabric, device)


@pytest.mark.parametrize(("device", "vlan", "blocked", "planned"), [
    ("cat9300-1", 100, "core-cat9300-ex4300", ("hv01-team",)),  # NAPALM ios
    ("ex4300-1", 30, "core-cat9300-ex4300", ("lnx02-bond0",)),  # NAPALM junos
    ("eos7120-1", 20, "lnx01-bond0", ()),  # NAPALM eos
    ("sse-x24s-1", 100, "eonstor01-tg1", ()),  # Netmiko (win-iscsi01-mpio is held too)
])
def test_a_vlan_missing_on_the_switch_holds_back_its_trunk(lab: Lab, device: str, vlan: int,
                                                           blocked: str,
                                                           planned: tuple[str, ...]) -> None:
    assert vlan in _lab_vlans(lab, device)  # the lab starts with the example's VLANs
    _hand(lab, device, vlan, create=False)
    try:
        assert vlan not in _lab_vlans(lab, device)
        report = provision_run(lab.inv, commit=False, devices=[device])
    finally:
        _hand(lab, device, vlan, create=True)
    [out] = report.outcomes
    assert out.error is None, out.error
    assert out.plan is not None
    held = {c.trunk: c.message for c in out.plan.checks if c.check == "vlans-exist"}
    assert f"VLANs {vlan} do not exist on {device}" in held[blocked]
    if planned:  # the other trunks of the switch go ahead
        assert out.status is OutcomeStatus.PLANNED and out.plan.trunks == planned
        assert blocked in held_trunks(out)
    else:  # every trunk of the switch is held: nothing is sent
        assert out.status is OutcomeStatus.BLOCKED
        assert any(f"VLANs {vlan} do not exist" in m for m in out.messages)
    assert report.blocked == (out,)  # exit 1


@pytest.mark.parametrize(("device", "trunk", "vlan"), [
    ("cat2960s-1", "esx01-vswitch0", 30),  # NAPALM ios (VLAN database, not the config)
    ("eos7120-1", "lnx01-bond0", 20),  # NAPALM eos (a 'vlan 20' block)
    ("sse-x24s-1", "eonstor01-tg1", 100),  # Netmiko (vlan 100 / exit)
    ("ex4300-1", "lnx02-bond0", 20),  # NAPALM junos (set vlans vlan20 vlan-id 20)
])
def test_create_vlans_apply_creates_the_vlan_and_verify_is_clean(lab: Lab, tmp_path: Path,
                                                                 device: str, trunk: str,
                                                                 vlan: int) -> None:
    folder = tmp_path / "inv"
    folder.mkdir()
    for f in lab.folder.iterdir():
        if f.is_file():
            (folder / f.name).write_bytes(f.read_bytes())
    doc = yaml.safe_load((folder / "trunks.yaml").read_text(encoding="utf-8"))
    for t in doc["trunks"]:
        if t["name"] == trunk:
            t["switch"]["create_vlans"] = True
    (folder / "trunks.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    inv = load_inventory(folder)
    _hand(lab, device, vlan, create=False)
    assert vlan not in _lab_vlans(lab, device)
    report = provision_run(inv, commit=True, devices=[trunk])
    [out] = report.outcomes
    assert out.status is OutcomeStatus.APPLIED, (out.error, out.messages)
    assert out.plan is not None
    junos = inv.switch(device).platform is Platform.JUNIPER_JUNOS
    create = "set vlans vlan{n} vlan-id {n}" if junos else "vlan {n}"
    assert out.plan.remediation[0] == create.format(n=vlan)  # before any port refers to it
    end = next(e for t in inv.trunks if t.name == trunk for e in t.switch_ends)
    assert not {create.format(n=v) for v in end.vlan_ids() if v != vlan} & set(
        out.plan.remediation)  # only the missing one
    assert vlan in _lab_vlans(lab, device)
    again = provision_run(inv, commit=False, devices=[trunk])
    assert again.outcomes[0].status is OutcomeStatus.NOOP
    lab.fabric.write_host_reports(lab.reports)
    verified = verify_run(inv, devices=[trunk], reports_dir=lab.reports, workers=4)
    assert verified.errors == ()
    assert [f for f in verified.findings if f.failed] == []
