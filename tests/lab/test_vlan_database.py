"""Every lab switch keeps a VLAN database: it starts with the site's VLANs, ``vlan N`` creates
one that its own VLAN command then lists (in the shape lagprov's parsers read), ``no vlan N``
deletes it, and the default VLANs cannot be deleted (issue 8, "VLANs exist").

Driven line by line, no sockets; the same switches answer over SSH in tests/e2e/test_vlans_lab.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from lagprov.intent.load import load_inventory
from lagprov.knowledge.platforms import StateQuery, get_spec
from lagprov.lab.fabric import LabFabric
from lagprov.model.types import Platform
from lagprov.observe.parsers import parse_vlan_table
from tests.conftest import EXAMPLE_INVENTORY


@pytest.fixture
def fabric() -> LabFabric:
    return LabFabric.from_inventory(load_inventory(EXAMPLE_INVENTORY), rebase="127.0.98.0")


def _cli(fabric: LabFabric, device: str, lines: Sequence[str]) -> str:
    """Type ``lines`` in a privileged session (IOS/EOS: after enable; SMIS has none)."""
    cli = fabric.switch(device).open_cli("lab")
    platform = fabric.inventory.switch(device).platform
    first = [] if platform is Platform.SUPERMICRO_SMIS else ["enable", "lab-secret"]
    return "".join(cli.handle(line).output for line in [*first, *lines])


def lab_vlan_table(fabric: LabFabric, device: str) -> tuple[Platform, str, str]:
    """(platform, its VLAN command, the lab switch's answer to it): a lab capture."""
    platform = fabric.inventory.switch(device).platform
    command = get_spec(platform).commands[StateQuery.VLANS]
    if platform is Platform.JUNIPER_JUNOS:
        return platform, command, fabric.running_config(device)
    if platform is Platform.SUPERMICRO_SMIS:
        return platform, command, fabric.switch(device).show(command)  # type: ignore[attr-defined]
    cli = fabric.switch(device).open_cli("lab")
    for line in ("enable", "lab-secret"):
        cli.handle(line)
    return platform, command, cli.handle(command).output


def lab_vlans(fabric: LabFabric, device: str) -> frozenset[int]:
    """The VLAN ids the lab switch's own VLAN table lists, read by lagprov's parser."""
    return parse_vlan_table(*lab_vlan_table(fabric, device))



@pytest.mark.parametrize("device", ["cat9300-1", "cat2960s-1", "eos7120-1", "sse-x24s-1"])
def test_vlan_n_then_show_vlan_lists_it_and_no_vlan_removes_it(fabric: LabFabric,
                                                               device: str) -> None:
    assert 40 not in lab_vlans(fabric, device)
    out = _cli(fabric, device, ["configure terminal", "vlan 40", "name lab-forty", "exit",
                                "end"])
    assert "%" not in out, out
    assert 40 in lab_vlans(fabric, device)
    _cli(fabric, device, ["configure terminal", "no vlan 40", "end"])
    assert 40 not in lab_vlans(fabric, device)


def test_junos_set_vlans_with_the_lagprov_naming_and_a_port_by_id(fabric: LabFabric) -> None:
    """``set vlans vlanN vlan-id N`` (templates/config/juniper_junos/vlans.j2), and a port that
    names the VLAN by its id, as lagprov renders ports, commits."""
    assert 40 not in lab_vlans(fabric, "ex4300-1")
    fabric.load_config("ex4300-1", [
        "set vlans vlan40 vlan-id 40",
        "set interfaces ge-0/0/20 unit 0 family ethernet-switching vlan members 40"])
    assert 40 in lab_vlans(fabric, "ex4300-1")


@pytest.mark.parametrize(("device", "line", "refusal"), [
    ("cat9300-1", "no vlan 1", "%Default VLAN 1 may not be deleted."),
    ("cat9300-1", "no vlan 1002", "%Default VLAN 1002 may not be deleted."),
    # VTP server mode (the default): extended-range VLANs need VTP transparent mode
    ("cat9300-1", "vlan 2000", "Extended VLAN(s) not allowed in current VTP mode."),
    ("eos7120-1", "no vlan 1", "% Default VLAN 1 cannot be deleted"),
    ("sse-x24s-1", "no vlan 1", "% Default VLAN cannot be deleted"),
])
def test_the_default_vlans_stay(fabric: LabFabric, device: str, line: str,
                                refusal: str) -> None:
    before = lab_vlans(fabric, device)
    assert refusal in _cli(fabric, device, ["configure terminal", line, "end"])
    assert lab_vlans(fabric, device) == before


def test_ios_vlans_are_the_vlan_database_not_the_running_config(fabric: LabFabric) -> None:
    """VTP server mode: a VLAN is not a running-config line, and survives a config replace
    (the VLAN database is vlan.dat, not the configuration)."""
    _cli(fabric, "cat9300-1", ["configure terminal", "vlan 40", "end"])
    running = fabric.running_config("cat9300-1")
    assert not any(line.startswith("vlan ") for line in running.splitlines())
    switch = fabric.switch("cat9300-1")
    assert switch.replace_config(running) == ""  # type: ignore[attr-defined]
    assert 40 in lab_vlans(fabric, "cat9300-1")


def test_eos_vlans_are_running_config_blocks(fabric: LabFabric) -> None:
    _cli(fabric, "eos7120-1", ["configure terminal", "vlan 40", "name lab-forty", "end"])
    running = fabric.running_config("eos7120-1").splitlines()
    i = running.index("vlan 40")
    assert running[i + 1:i + 3] == ["   name lab-forty", "!"]
    assert running.index("vlan 10") < running.index("interface Ethernet1")
