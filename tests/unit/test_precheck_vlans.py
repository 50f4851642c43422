"""Pre-change check 'vlans-exist' (issue 8, "VLANs exist") and the intent option create_vlans.

Every access/allowed/native VLAN of a trunk end must exist on the switch; a missing one holds
back that trunk only, naming the ids, and the other trunks of the device still plan.  With
``create_vlans: true`` the plan creates the missing VLANs (and only those) instead.
cat9300-1 carries hv01-team (VLANs 10,20,30) and core-cat9300-ex4300 (10,20,30,100);
ex4300-1 carries lnx02-bond0 (access 20) and the core trunk's other end.
"""

from __future__ import annotations

from pathlib import Path

from lagprov.intent.load import load_inventory
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import OutcomeStatus
from lagprov.provision.device import provision_device
from lagprov.provision.precheck import run_checks
from lagprov.provision.render import render_device
from tests.conftest import EXAMPLE_INVENTORY
from tests.lint.mutate import apply_case
from tests.unit.test_change_scope import BASE
from tests.unit.test_provision import RecordingSession

INV = load_inventory(EXAMPLE_INVENTORY)
CORE, HV01 = "core-cat9300-ex4300", "hv01-team"


def _table(*ids: int) -> str:
    """A 'show vlan brief' table (shape: ntc-templates tests/cisco_ios/show_vlan .raw)."""
    head = ("VLAN Name                             Status    Ports\n"
            "---- -------------------------------- --------- -------------------------------\n")
    return head + "".join(f"{v:<4} VLAN{v:04d}                         active\n" for v in ids)


NO_100 = _table(1, 10, 20, 30)


def _failed(inv: Inventory, device: str, running: str,
            table: str | None) -> dict[str, tuple[str, bool]]:
    return {c.trunk: (c.message, c.overridable)
            for c in run_checks(inv, device, running, table) if c.check == "vlans-exist"}


def test_a_missing_vlan_blocks_only_the_trunk_carrying_it_with_the_ids() -> None:
    found = _failed(INV, "cat9300-1", BASE, NO_100)
    assert set(found) == {CORE}
    message, overridable = found[CORE]
    assert "VLANs 100 do not exist on cat9300-1" in message and not overridable
    assert "create_vlans" in message  # the way out is shown
    several = _failed(INV, "cat9300-1", BASE, _table(1, 20))
    assert "VLANs 10,30 do not exist" in several[HV01][0]
    assert "VLANs 10,30,100 do not exist" in several[CORE][0]


def test_the_other_trunks_of_the_device_still_plan() -> None:
    for force in (False, True):  # a missing VLAN is not forced through
        out = provision_device(RecordingSession(BASE, vlans=NO_100), INV, "cat9300-1",
                               commit=False, device_diff=False, checker=run_checks, force=force)
        assert out.status is OutcomeStatus.PLANNED, out.messages
        assert out.plan is not None and out.plan.trunks == (HV01,)
        assert not any("TenGigabitEthernet1/1/1" in line for line in out.plan.remediation)
        held = [c for c in out.plan.checks if c.check == "vlans-exist"]
        assert [(c.trunk, "100" in c.message) for c in held] == [(CORE, True)]


def test_junos_vlans_are_the_configurations_vlans_stanza() -> None:
    running = ("set system host-name ex4300-1\nset vlans default vlan-id 1\n"
               "set vlans v20 vlan-id 20\n")
    found = _failed(INV, "ex4300-1", running, None)
    assert set(found) == {CORE}  # lnx02-bond0 (access 20) goes ahead
    assert "VLANs 10,30,100 do not exist on ex4300-1" in found[CORE][0]


def test_an_unread_table_holds_back_overridably_never_passes() -> None:
    for table, why in ((None, "'show vlan brief' was not read"),
                       ("% Invalid input detected at '^' marker.\n", "could not be read")):
        found = _failed(INV, "cat9300-1", BASE, table)
        assert set(found) == {HV01, CORE}
        assert all(why in m and overridable for m, overridable in found.values()), found


def _creating(tmp_path: Path) -> Inventory:
    case = {"name": "create-vlans", "set": {f"trunks[{CORE}].switch.create_vlans": True}}
    return load_inventory(apply_case(case, tmp_path / "inv"))


def test_create_vlans_creates_only_the_missing_vlans_first(tmp_path: Path) -> None:
    inv = _creating(tmp_path)
    assert _failed(inv, "cat9300-1", BASE, NO_100) == {}  # not blocked: it will be created
    out = provision_device(RecordingSession(BASE, vlans=NO_100), inv, "cat9300-1",
                           commit=False, device_diff=False, checker=run_checks)
    assert out.status is OutcomeStatus.PLANNED and out.plan is not None
    lines = out.plan.remediation
    assert lines[0] == "vlan 100" and not any(x in lines for x in ("vlan 10", "vlan 30"))
    assert lines.index("vlan 100") < lines.index("interface TenGigabitEthernet1/1/1")
    assert out.plan.rollback[-1] == "no vlan 100"  # a failed change's undo only
    assert any("creates VLANs 100" in n for n in out.plan.notes)


def test_create_vlans_plans_nothing_once_the_vlans_exist(tmp_path: Path) -> None:
    inv = _creating(tmp_path)
    out = provision_device(RecordingSession(BASE, vlans=_table(1, 10, 20, 30, 100)), inv,
                           "cat9300-1", commit=False, device_diff=False, checker=run_checks)
    assert out.plan is not None and not any(line.startswith("vlan ")
                                            for line in out.plan.remediation)


def test_render_creates_every_vlan_of_the_end_and_a_removal_keeps_them(tmp_path: Path) -> None:
    inv = _creating(tmp_path)
    created = render_device(inv, "cat9300-1", trunks=[CORE])
    assert created.lines[:4] == ("vlan 10", "vlan 20", "vlan 30", "vlan 100")
    assert any("VLAN table was not read" in n for n in created.notes)
    junos = render_device(_creating_peer(tmp_path), "ex4300-1", trunks=[CORE])
    assert "set vlans vlan100 vlan-id 100" in junos.lines
    assert any("two entries with one vlan-id" in n for n in junos.notes)
    removed = render_device(inv, "cat9300-1", trunks=[CORE], remove=True)
    assert not any("vlan" in line and line.startswith(("no vlan", "vlan")) for line in
                   removed.lines)
    assert any("never deletes a VLAN" in n and "other ports may use" in n
               for n in removed.notes)


def _creating_peer(tmp_path: Path) -> Inventory:
    case = {"name": "create-vlans-peer", "set": {f"trunks[{CORE}].peer.create_vlans": True}}
    return load_inventory(apply_case(case, tmp_path / "peer"))
