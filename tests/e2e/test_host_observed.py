"""Hosts the lab's reports make observable: the Windows MPIO host without a team, and ESXi.

Like ``test_verify_faults``: a fresh lab per case, switches configured as intended, one fault
seeded by hand, a live ``verify``; the fault is reported by its rule and nothing else fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lagprov.intent.load import load_inventory
from lagprov.lab.ios.switch import IosSwitch
from lagprov.report import RunReport
from lagprov.verify import Status
from tests.e2e.test_verify_faults import INVENTORY, Lab, failed, start_lab, status_of

MPIO = "win-iscsi01-mpio"
ESX = "esx01-vswitch0"


pytestmark = pytest.mark.usefixtures("lab_credentials")


def _start(tmp_path: Path, inventory_dir: Path | None = None) -> Iterator[Lab]:
    yield from start_lab(tmp_path, load_inventory(inventory_dir) if inventory_dir else INVENTORY)


@pytest.fixture()
def lab(tmp_path: Path) -> Iterator[Lab]:
    yield from _start(tmp_path)


def _passes(report: RunReport, trunk: str, rule: str) -> None:
    got = status_of(report, trunk, rule)
    assert got and got == {(Status.PASS, None)}, (trunk, rule, got)


# --- healthy --------------------------------------------------------------------------------


def test_mpio_host_without_team_is_observed(lab: Lab) -> None:
    report = lab.verify([MPIO])
    assert report.errors == ()
    assert failed(report) == set()
    for rule in ("mpio-paths", "host-team-mode", "host-members-up", "member-count"):
        _passes(report, MPIO, rule)
    assert len([f for f in report.findings
                if (f.trunk, f.rule) == (MPIO, "host-members-up")]) == 2  # one per NIC
    team = next(f for f in report.findings if (f.trunk, f.rule) == (MPIO, "host-team-mode"))
    assert team.actual == "none"
    assert not [f for f in report.findings if f.trunk == MPIO and f.rule.startswith("host")
                and f.status is Status.UNVERIFIABLE]


def test_esxi_mtu_and_links_are_verified(lab: Lab) -> None:
    report = lab.verify([ESX])
    assert report.errors == ()
    assert failed(report) == set()
    for rule in ("mtu-path", "host-members-up", "host-team-mode", "member-count"):
        _passes(report, ESX, rule)
    mtu = next(f for f in report.findings if (f.trunk, f.rule) == (ESX, "mtu-path"))
    assert "esx01 vSwitch0 MTU 1500" in mtu.message
    assert not [f for f in report.findings if f.trunk == ESX and f.status is Status.UNVERIFIABLE]


# --- seeded faults --------------------------------------------------------------------------


@pytest.mark.parametrize("team", ["SwitchIndependent", "Lacp"])
def test_mpio_nics_teamed_on_the_host_fail_mpio_paths(lab: Lab, team: str) -> None:
    lab.fabric.set_host_team("win-iscsi01", team)  # LBFO team over iSCSI-A / iSCSI-B
    report = lab.verify([MPIO])
    assert report.errors == ()
    assert failed(report) == {(MPIO, "mpio-paths", None, None)}
    finding = next(f for f in report.findings if (f.trunk, f.rule) == (MPIO, "mpio-paths"))
    assert finding.status is Status.FAIL
    assert f"host win-iscsi01 teams the iSCSI NICs ({team}" in finding.message
    assert "Get-NetLbfoTeam" in finding.evidence[-1].source
    # the team mode is wrong too, but that is what mpio-paths already says
    assert status_of(report, MPIO, "host-team-mode") == {(Status.EXPLAINED, "mpio-paths")}


def test_esxi_uplink_down_fails_host_members_up(lab: Lab) -> None:
    lab.fabric.faults("esx01").down_ports.add("vmnic1")
    report = lab.verify([ESX])
    assert report.errors == ()
    assert (ESX, "host-members-up", "esx01", "vmnic1") in failed(report)
    assert status_of(report, ESX, "host-members-up", "esx01", "vmnic1") == {(Status.FAIL, None)}
    assert status_of(report, ESX, "host-members-up", "esx01", "vmnic0") == {(Status.PASS, None)}
    # everything else that fails is the same cable's switch port
    assert {(rule, dev) for _, rule, dev, _ in failed(report)} <= {
        ("host-members-up", "esx01"), ("member-bundled", "cat2960s-1")}
    assert status_of(report, ESX, "mtu-path") == {(Status.PASS, None)}


def test_esxi_vswitch_mtu_above_the_switch_fails_mtu_path(lab: Lab) -> None:
    lab.fabric.hosts["esx01"].mtu = 9000  # vSwitch0 at 9000 behind a 1500 Catalyst
    report = lab.verify([ESX])
    assert report.errors == ()
    assert failed(report) == {(ESX, "mtu-path", None, None)}
    mtu = next(f for f in report.findings if (f.trunk, f.rule) == (ESX, "mtu-path"))
    assert "host esx01 sends IP 9000 but cat2960s-1 passes 1500" in mtu.message


def _jumbo_esx_inventory(dest: Path) -> Path:
    """The example inventory with esx01-vswitch0 made a jumbo trunk (switch and vSwitch 9000)."""
    dest.mkdir()
    for f in Path(INVENTORY.root).iterdir():
        if f.is_file():
            (dest / f.name).write_text(f.read_text())
    trunks = dest / "trunks.yaml"
    text = trunks.read_text()
    old = ("    description: ESXi esx01 vSwitch0, route based on IP hash\n"
           "    switch:\n")
    assert old in text
    text = text.replace(old, "    description: ESXi esx01 vSwitch0, route based on IP hash\n"
                             "    jumbo: true\n    switch:\n")
    host = "      name: vSwitch0\n      nics: [vmnic0, vmnic1]\n"
    switch = "      mode: static\n      description: esx01-vSwitch0\n"
    assert host in text and switch in text
    text = text.replace(switch, switch + "      mtu: 9000\n")
    trunks.write_text(text.replace(host, host + "      mtu: 9000\n"))
    return dest


def test_esxi_vswitch_mtu_below_a_jumbo_path_fails_mtu_path(tmp_path: Path) -> None:
    for jumbo in _start(tmp_path, _jumbo_esx_inventory(tmp_path / "jumbo-inventory")):
        catalyst = jumbo.fabric.switch("cat2960s-1")
        assert isinstance(catalyst, IosSwitch)
        catalyst.save()
        catalyst.reload()  # 'system mtu jumbo 9000' takes effect at the next boot on a 2960-S
        healthy = jumbo.verify([ESX])
        assert failed(healthy) == set() and healthy.errors == ()
        jumbo.fabric.hosts["esx01"].mtu = 1500  # someone reset vSwitch0 to the default
        report = jumbo.verify([ESX])
        assert report.errors == ()
        assert failed(report) == {(ESX, "mtu-path", None, None)}
        mtu = next(f for f in report.findings if (f.trunk, f.rule) == (ESX, "mtu-path"))
        assert "esx01 passes only IP 1500 < 9000 on a jumbo trunk" in mtu.message
