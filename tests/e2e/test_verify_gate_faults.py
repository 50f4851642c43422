"""Issue 9 end to end: faults lagprov used to pass silently, seeded on the built-in lab.

Same method as :mod:`tests.e2e.test_verify_faults`: a fresh lab fabric configured as intended,
one fault, a live ``verify`` over SSH; the fault is reported by the rule that names it, on
the right trunk, device and subject, and nothing else fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lagprov.model.intent import Access, TrunkIntent
from lagprov.model.inventory import Inventory
from lagprov.model.types import Severity, SwitchMode
from lagprov.verify import Status
from tests.e2e.test_verify_faults import INVENTORY, Lab, failed, start_lab, status_of

pytestmark = pytest.mark.usefixtures("lab_credentials")


def _with_trunk(inv: Inventory, trunk: TrunkIntent) -> Inventory:
    return inv.model_copy(update={"trunks": tuple(
        trunk if t.name == trunk.name else t for t in inv.trunks)})


def _trunk(name: str) -> TrunkIntent:
    return next(t for t in INVENTORY.trunks if t.name == name)


@pytest.fixture()
def lab(tmp_path: Path) -> Iterator[Lab]:
    yield from start_lab(tmp_path)


def test_clean_fabric_judges_the_eos_switchport_by_its_l2_frame_limit(lab: Lab) -> None:
    report = lab.verify(["lnx01-bond0"])
    assert failed(report) == set()
    path = next(f for f in report.findings if (f.trunk, f.rule) == ("lnx01-bond0", "mtu-path"))
    assert path.status is Status.PASS
    assert "DCS-7120T-4S L2 frame limit 9236" in path.message


def test_mixed_member_modes_fail_lag_mode_on_the_odd_member(lab: Lab) -> None:
    # IOS takes 'mode passive' beside 'mode active' members: both are LACP
    lab.fabric.load_config("cat9300-1", ["interface GigabitEthernet1/0/2",
                                         "channel-group 10 mode passive"])
    report = lab.verify(["hv01-team"])
    assert report.errors == ()
    assert failed(report) == {("hv01-team", "lag-mode", "cat9300-1", "GigabitEthernet1/0/2")}


def test_passive_linux_host_against_passive_switch(tmp_path: Path) -> None:
    t = _trunk("lnx01-bond0")  # the switch end passive by design: valid against an active bond
    passive = t.model_copy(update={"switch": (
        t.switch[0].model_copy(update={"mode": SwitchMode.LACP_PASSIVE}),)})
    for lab in start_lab(tmp_path, _with_trunk(INVENTORY, passive)):
        inv = _with_trunk(lab.inv, passive)  # the live inventory has the lab's addresses
        assert failed(lab.verify(["lnx01-bond0"], inv=inv)) == set()
        lab.fabric.hosts["lnx01"].lacp_active = False  # the fault: bonding lacp_active off
        report = lab.verify(["lnx01-bond0"], inv=inv)
        assert report.errors == ()
        assert failed(report) == {("lnx01-bond0", "lacp-pairing", "eos7120-1", None)}
        pairing = next(f for f in report.findings if f.rule == "lacp-pairing")
        assert pairing.actual == "passive-passive"
        assert (Status.EXPLAINED, "lacp-pairing") in status_of(
            report, "lnx01-bond0", "member-bundled")


def test_mpio_paths_sharing_a_vlan(tmp_path: Path) -> None:
    t = _trunk("win-iscsi01-mpio")
    one_vlan = t.model_copy(update={"switch": (
        t.switch[0], t.switch[1].model_copy(update={"l2": Access(vlan=100)}))})
    for lab in start_lab(tmp_path, _with_trunk(INVENTORY, one_vlan)):
        report = lab.verify(["win-iscsi01-mpio"], inv=_with_trunk(lab.inv, one_vlan))
        assert report.errors == ()
        assert failed(report) == {("win-iscsi01-mpio", "mpio-paths", None, None)}
        mpio = next(f for f in report.findings if f.rule == "mpio-paths")
        assert mpio.severity is Severity.ERROR and "share VLAN 100" in mpio.message
