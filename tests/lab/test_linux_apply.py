"""The lab's Linux hosts take the bond lagprov renders for them (issue 11: "apply it to a host").

For every Linux trunk of the example fabric (802.3ad with LACP rate fast and MTU 9000, a
balance-xor bond, the MLAG-attached 802.3ad bond) and every format the lab applies (netplan,
networkd, ifupdown2), the rendered files are put where their header says and the tool's apply
command read them: the host's bond then has the intent's mode, members, rate and MTU.  The
expected values are the intent's (inventory/trunks.yaml), not the renderer's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lagprov.intent.load import load_inventory
from lagprov.knowledge.compat import canonical_team
from lagprov.lab.fabric import LabFabric
from lagprov.lab.hosts.linux_apply import ConfigError, apply_files, linux_exec
from lagprov.model.intent import TrunkIntent
from lagprov.model.types import HostOs, LacpRate
from lagprov.runs import render_host
from tests.conftest import EXAMPLE_INVENTORY

INV = load_inventory(EXAMPLE_INVENTORY)
LINUX = [t for t in INV.trunks if t.host is not None and t.host.os is HostOs.LINUX
         and t.state == "present"]
COMMAND = {"netplan": ("netplan", "apply"), "networkd": ("networkctl", "reload"),
           "ifupdown2": ("ifreload", "-a")}
_MARK = re.compile(r"^# ==> (/\S+) <==$", re.MULTILINE)
_HEADER = re.compile(r"^# lagprov: host \S+, \S+ \((/\S+)\)$", re.MULTILINE)


def put(root: Path, text: str) -> list[Path]:
    """Write a rendered config where its marks say (``# ==> path <==``, or the header's path)."""
    marks = list(_MARK.finditer(text))
    if not marks:
        header = _HEADER.search(text)
        assert header is not None, text[:200]
        parts = [(header.group(1), text)]
    else:
        parts = [(m.group(1), text[m.end():marks[i + 1].start() if i + 1 < len(marks) else None])
                 for i, m in enumerate(marks)]
    written = []
    for path, body in parts:
        dest = root / path.lstrip("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(body, encoding="utf-8")
        written.append(dest)
    return written


@pytest.mark.parametrize("fmt", sorted(COMMAND))
@pytest.mark.parametrize("trunk", LINUX, ids=[t.name for t in LINUX])
def test_rendered_config_applied_gives_the_intended_bond(trunk: TrunkIntent, fmt: str,
                                                         tmp_path: Path) -> None:
    end = trunk.host
    assert end is not None
    fabric = LabFabric.from_inventory(INV)  # not started: the host objects only
    host = fabric.hosts[end.device]
    host.team, host.nics = "active-backup", ("eth9",)  # before: some other bond
    put(tmp_path, render_host(INV, end.device, fmt=fmt, trunks=[trunk.name]).text)
    bond = apply_files(host, COMMAND[fmt], tmp_path)
    assert bond.name == (end.name or "bond0")
    assert host.team == canonical_team(HostOs.LINUX, end.team).canonical
    assert host.nics == end.nics
    assert host.mtu == (end.mtu or 1500)
    expected_rate = end.lacp_rate or trunk.switch[0].lacp_rate or LacpRate.SLOW
    if host.team == "802.3ad":
        assert host.lacp_rate is expected_rate


def test_two_bonds_or_none_are_refused_and_change_nothing(tmp_path: Path) -> None:
    fabric = LabFabric.from_inventory(INV)
    host = fabric.hosts["lnx01"]
    before = (host.team, host.nics, host.mtu)
    (tmp_path / "etc/netplan").mkdir(parents=True)
    (tmp_path / "etc/netplan/a.yaml").write_text(
        "network:\n  bonds:\n    bond0: {interfaces: [a], parameters: {mode: 802.3ad}}\n"
        "    bond1: {interfaces: [b], parameters: {mode: balance-xor}}\n")
    with pytest.raises(ConfigError, match="found 2"):
        apply_files(host, ("netplan", "apply"), tmp_path)
    (tmp_path / "etc/netplan/a.yaml").write_text(
        "network:\n  bonds:\n    bond0: {interfaces: [a], parameters: {mode: lacp-ish}}\n")
    with pytest.raises(ConfigError, match="lacp-ish"):
        apply_files(host, ("netplan", "apply"), tmp_path)
    assert (host.team, host.nics, host.mtu) == before


def test_exec_applies_reads_and_refuses_shell_syntax(tmp_path: Path) -> None:
    fabric = LabFabric.from_inventory(INV)
    host = fabric.hosts["lnx02"]
    put(tmp_path, render_host(INV, "lnx02", fmt="netplan").text)
    out, err, status = linux_exec(host, tmp_path, "lab", "sudo netplan apply")
    assert (status, err) == (0, "") and out.startswith("bond0: balance-xor over eno1, eno2")
    out, _, status = linux_exec(host, tmp_path, "lab", "cat /proc/net/bonding/bond0")
    assert status == 0 and "Bonding Mode: load balancing (xor)" in out
    out, _, status = linux_exec(host, tmp_path, "lab", "netplan apply; reboot")
    assert status == 2 and "refused" in out
    assert host.refused == ["netplan apply; reboot"]
