"""Issue 10, Arista MLAG on the lab (tests/inventories/mlag: eos-a and eos-b, a declared pair,
and lnx-mlag, a Linux server with one 802.3ad bond over both).

One run provisions both peers and verify is clean: show mlag Active with the peer link Up,
show mlag interfaces active-full on both, the host's LACP partner on both NICs the pair's
shared MLAG system id.  Each seeded fault (peer link down, MLAG id mismatch, host cabled to
one peer only, host LACP partner not the MLAG system id) is reported by the right rule on the
trunk, every other failure of the fabric explained by it.  A peer whose plan is blocked holds
the trunk on both peers; a push that fails on one peer restores the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lagprov.lab.fabric import LabFabric
from lagprov.model.findings import Finding
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import OutcomeStatus
from lagprov.runs.provision import provision_run
from lagprov.runs.verify import verify_run
from tests.e2e.inventory_lab import lab_of
from tests.e2e.kit import section

pytestmark = pytest.mark.lab

MLAG = Path(__file__).resolve().parents[1] / "inventories" / "mlag"
EXAMPLE = Path(__file__).resolve().parents[2] / "inventory"
TRUNK = "lnx-mlag-bond0"
PO = "interface Port-Channel10"


@dataclass
class Lab:
    fabric: LabFabric
    inv: Inventory


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with lab_of(MLAG, tmp_path_factory.mktemp("mlag")) as (fabric, inv):
        yield Lab(fabric, inv)


def _failed(lab: Lab) -> list[Finding]:
    """Every failing finding of the whole fabric (every trunk, not only the MLAG one)."""
    report = verify_run(lab.inv, workers=2)
    assert report.errors == ()
    return [f for f in report.findings if f.failed]


@pytest.fixture
def applied(lab: Lab) -> Lab:
    """The trunk provisioned on both peers (applied, or already as intended)."""
    report = provision_run(lab.inv, commit=True, devices=[TRUNK])
    ok = (OutcomeStatus.APPLIED, OutcomeStatus.NOOP)
    assert all(o.status in ok for o in report.outcomes), \
        [(o.device, o.status, o.error, o.messages) for o in report.outcomes]
    return lab


def test_one_run_provisions_both_peers_and_verifies_clean(lab: Lab) -> None:
    report = provision_run(lab.inv, commit=True, devices=[TRUNK])
    assert {o.device: o.status for o in report.outcomes} == {
        "eos-a": OutcomeStatus.APPLIED, "eos-b": OutcomeStatus.APPLIED}
    for device in ("eos-a", "eos-b"):
        assert "mlag 10" in (section(lab.fabric.running_config(device), PO) or [])
    again = provision_run(lab.inv, commit=False, devices=[TRUNK])
    assert {o.status for o in again.outcomes} == {OutcomeStatus.NOOP}
    verified = verify_run(lab.inv, devices=[TRUNK], workers=2)
    assert verified.errors == ()
    assert [f for f in verified.findings if f.failed] == []
    passed = {(f.rule, f.device) for f in verified.findings if f.status.value == "pass"}
    assert {("mlag-peer", "eos-a"), ("mlag-peer", "eos-b"), ("mlag-interface", "eos-a"),
            ("mlag-interface", "eos-b")} <= passed
    partner = [f for f in verified.findings if f.rule == "mlag-partner"]
    assert {(f.subject, f.status.value) for f in partner} == {("ens1f0", "pass"),
                                                              ("ens1f1", "pass")}
    # the shared id is not either switch's own MAC
    own = {lab.fabric.switch(d).system_mac for d in ("eos-a", "eos-b")}
    assert {f.actual for f in partner}.isdisjoint(own)


def test_the_example_fabric_applies_its_mlag_pair_in_one_run(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    # inventory/: lnx03 dual-homed to eos7050-2a/2b, what `make demo` applies
    with lab_of(EXAMPLE, tmp_path_factory.mktemp("example")) as (fabric, inv):
        report = provision_run(inv, commit=True, devices=["lnx03-bond0"])
        assert {o.device: o.status for o in report.outcomes} == {
            "eos7050-2a": OutcomeStatus.APPLIED, "eos7050-2b": OutcomeStatus.APPLIED}
        for device in ("eos7050-2a", "eos7050-2b"):
            assert "mlag 20" in (section(fabric.running_config(device),
                                         "interface Port-Channel20") or [])
            # DCS-7050SX-64, a newer EOS train: 'lacp timer' (vendor-cli.md 2.1)
            assert "lacp timer fast" in (section(fabric.running_config(device),
                                                 "interface Ethernet1") or [])
        verified = verify_run(inv, devices=["lnx03-bond0"], workers=2)
    assert verified.errors == ()
    assert {f.status.value for f in verified.findings} == {"pass"}
    assert {(f.rule, f.device) for f in verified.findings if f.rule.startswith("mlag-")} == {
        ("mlag-peer", "eos7050-2a"), ("mlag-peer", "eos7050-2b"),
        ("mlag-interface", "eos7050-2a"), ("mlag-interface", "eos7050-2b"),
        ("mlag-partner", "lnx03")}
    assert {(f.device, f.status.value) for f in verified.findings
            if f.rule == "lacp-rate-pair"} == {("eos7050-2a", "pass"), ("eos7050-2b", "pass")}


def _only(failed: list[Finding], rule: str) -> None:
    assert failed, "the fault was not caught"
    assert {(f.trunk, f.rule) for f in failed} == {(TRUNK, rule)}, \
        [(f.rule, f.device, f.message) for f in failed]


def test_peer_link_down_is_mlag_peer(applied: Lab) -> None:
    faults = applied.fabric.faults("eos-a")
    faults.mlag_peer_link_down = True
    try:
        failed = _failed(applied)
    finally:
        faults.mlag_peer_link_down = False
    _only(failed, "mlag-peer")
    assert {f.device for f in failed} == {"eos-a", "eos-b"}  # both peers see it
    assert _failed(applied) == []


def test_mlag_id_mismatch_is_mlag_interface(applied: Lab) -> None:
    applied.fabric.load_config("eos-b", [PO, "mlag 11"])
    try:
        failed = _failed(applied)
    finally:
        applied.fabric.load_config("eos-b", [PO, "mlag 10"])
    _only(failed, "mlag-interface")
    assert any("Po10 is MLAG 11" in f.message for f in failed if f.device == "eos-b")
    assert _failed(applied) == []


def test_host_cabled_to_one_peer_only_is_mlag_interface(applied: Lab) -> None:
    faults = applied.fabric.faults("eos-b")
    faults.down_ports.add("Ethernet1")  # the host's second NIC reaches eos-a's peer no more
    try:
        failed = _failed(applied)
    finally:
        faults.down_ports.discard("Ethernet1")
    _only(failed, "mlag-interface")
    assert any("active-partial" in f.message for f in failed)
    assert _failed(applied) == []


def test_host_partner_not_the_mlag_system_id_is_mlag_partner(applied: Lab) -> None:
    # eos-b's half carries an LACP system-id of its own (the line an EVPN all-active
    # Port-Channel has, e.g. left by a template): its member sends that id, not the pair's,
    # while show mlag on both peers stays Active with the shared system-id and active-full
    applied.fabric.load_config("eos-b", [PO, "lacp system-id 0000.0000.1201"])
    try:
        failed = _failed(applied)
    finally:
        applied.fabric.load_config("eos-b", [PO, "no lacp system-id"])
    _only(failed, "mlag-partner")
    assert [(f.device, f.subject, f.actual) for f in failed] == [
        ("lnx-mlag", "ens1f1", "00:00:00:00:12:01")]  # the NIC cabled to eos-b Ethernet1
    assert _failed(applied) == []


def _without_trunk(lab: Lab) -> None:
    """Both peers without the trunk (removed by hand where it is configured)."""
    for device in ("eos-a", "eos-b"):
        if section(lab.fabric.running_config(device), PO) is not None:
            lab.fabric.load_config(device, ["no interface Port-Channel10"])
        lab.fabric.load_config(device, ["interface Ethernet1", "no channel-group",
                                        "no description"])


def test_a_blocked_peer_holds_the_trunk_on_both(lab: Lab) -> None:
    _without_trunk(lab)
    lab.fabric.load_config("eos-b", ["no vlan 20"])  # eos-b's pre-change check blocks
    try:
        report = provision_run(lab.inv, commit=True, devices=[TRUNK])
    finally:
        lab.fabric.load_config("eos-b", ["vlan 20"])
    by = {o.device: o for o in report.outcomes}
    assert by["eos-a"].status is OutcomeStatus.BLOCKED, by["eos-a"]
    assert any("held on both peers" in m for m in by["eos-a"].messages)
    assert section(lab.fabric.running_config("eos-a"), PO) is None  # nothing sent to eos-a


def test_a_failed_push_on_one_peer_restores_the_other(lab: Lab) -> None:
    _without_trunk(lab)
    faults = lab.fabric.faults("eos-b")
    faults.reject_commands.add("mlag 10")
    try:
        report = provision_run(lab.inv, commit=True, devices=[TRUNK])
    finally:
        faults.reject_commands.discard("mlag 10")
    by = {o.device: o for o in report.outcomes}
    assert by["eos-b"].failed
    assert by["eos-a"].status is OutcomeStatus.ROLLED_BACK, (by["eos-a"].status,
                                                             by["eos-a"].messages)
    assert any("restored on eos-a" in m for m in by["eos-a"].messages)
    assert section(lab.fabric.running_config("eos-a"), PO) is None


def test_a_filter_naming_one_peer_applies_both(lab: Lab) -> None:
    _without_trunk(lab)
    report = provision_run(lab.inv, commit=True, devices=["eos-a"])
    by = {o.device: o for o in report.outcomes}
    assert {d: o.status for d, o in by.items()} == {"eos-a": OutcomeStatus.APPLIED,
                                                    "eos-b": OutcomeStatus.APPLIED}
    assert any("the filter named its peer eos-a" in m for m in by["eos-b"].messages)
    assert "mlag 10" in (section(lab.fabric.running_config("eos-b"), PO) or [])
