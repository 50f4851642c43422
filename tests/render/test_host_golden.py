"""Golden files of the host end: every host format x every team mode of the compat table.

The golden files under golden/hosts/<os>/<format>/<mode>.txt were rendered once and then read
line by line against the sources cited in each template (netplan and systemd.netdev keys, the
NetLbfo cmdlets, esxcli options); a mismatch shows a unified diff.  There is deliberately no
--update-golden switch: edit a golden file by hand and say why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lagprov.errors import InputError, UnsupportedFeature
from lagprov.knowledge.compat import TEAM_MODES
from lagprov.model.types import HostOs
from lagprov.provision.host_render import HOST_FORMATS, render_host
from tests.render.host_cases import CASES, HOSTS, host_inventory, host_trunk
from tests.render.test_golden import assert_golden

GOLDEN = Path(__file__).parent / "golden" / "hosts"
ALL = [(os, fmt, team) for os, team in CASES for fmt in HOST_FORMATS[os]]


@pytest.mark.parametrize(("os", "fmt", "team"), ALL, ids=[f"{o}/{f}/{t}" for o, f, t in ALL])
def test_host_golden(os: HostOs, fmt: str, team: str) -> None:
    cfg = render_host(host_inventory(os, team), HOSTS[os][0], fmt=fmt)
    assert_golden(cfg.text, GOLDEN / os.value / fmt / f"{team}.txt")


def test_every_host_golden_file_is_used() -> None:
    used = {GOLDEN / o.value / f / f"{t}.txt" for o, f, t in ALL}
    assert set(GOLDEN.rglob("*.txt")) == used
    # every mode of the compat table has its golden files
    assert {(o, t) for o, _, t in ALL} == {(o, m.canonical) for o in HostOs for m in TEAM_MODES[o]}


def test_default_format_per_os() -> None:
    got = {os: render_host(host_inventory(os, "none"), HOSTS[os][0]).format for os in HOSTS}
    assert got == {HostOs.LINUX: "netplan", HostOs.WINDOWS: "powershell",
                   HostOs.VMWARE: "esxcli", HostOs.STORAGE: "text"}


def test_windows_jumbo_packet_is_ip_mtu_plus_14() -> None:
    inv = host_inventory(HostOs.WINDOWS, "Lacp")
    text = render_host(inv, "srv-win").text
    assert "-RegistryKeyword '*JumboPacket' -RegistryValue 9014" in text
    assert "-TeamingMode LACP" in text and "-LacpTimer Fast" in text


def test_a_format_of_another_os_is_refused() -> None:
    with pytest.raises(InputError, match="not a format for linux hosts"):
        render_host(host_inventory(HostOs.LINUX, "802.3ad"), "srv-lnx", fmt="powershell")


def test_a_switch_is_not_a_host() -> None:
    with pytest.raises(InputError, match="not a host of the inventory"):
        render_host(host_inventory(HostOs.LINUX, "802.3ad"), "sw-eos")


def test_linux_lacp_passive_is_refused() -> None:
    trunk = host_trunk(HostOs.LINUX, "802.3ad")
    assert trunk.host is not None
    passive = trunk.model_copy(update={"host": trunk.host.model_copy(
        update={"lacp_mode": "passive"})})
    inv = host_inventory(HostOs.LINUX, "802.3ad").model_copy(update={"trunks": (passive,)})
    with pytest.raises(UnsupportedFeature, match="lacp-passive"):
        render_host(inv, "srv-lnx")


def test_vlan_interface_name_too_long_for_linux() -> None:
    trunk = host_trunk(HostOs.LINUX, "802.3ad")
    assert trunk.host is not None
    host = trunk.host.model_copy(update={"name": "bond-storage0"})
    long = trunk.model_copy(update={"host": host})
    inv = host_inventory(HostOs.LINUX, "802.3ad").model_copy(update={"trunks": (long,)})
    with pytest.raises(InputError, match=r"bond-storage0\.20 is longer than the 15"):
        render_host(inv, "srv-lnx")


def test_names_are_quoted_for_powershell() -> None:
    trunk = host_trunk(HostOs.WINDOWS, "Lacp")
    assert trunk.host is not None
    spaced = trunk.model_copy(update={"host": trunk.host.model_copy(
        update={"nics": ("Ethernet 2", "Ethernet 3")})})
    inv = host_inventory(HostOs.WINDOWS, "Lacp").model_copy(update={"trunks": (spaced,)})
    assert "-TeamMembers 'Ethernet 2','Ethernet 3'" in render_host(inv, "srv-win").text


def test_only_the_named_trunks() -> None:
    lacp, xor = host_trunk(HostOs.LINUX, "802.3ad"), host_trunk(HostOs.LINUX, "balance-xor")
    assert xor.host is not None
    xor = xor.model_copy(update={"host": xor.host.model_copy(
        update={"name": "bond1", "nics": ("eno3", "eno4")})})
    inv = host_inventory(HostOs.LINUX, "802.3ad").model_copy(update={"trunks": (lacp, xor)})
    assert render_host(inv, "srv-lnx").trunks == (lacp.name, xor.name)
    one = render_host(inv, "srv-lnx", trunks=[xor.name])
    assert one.trunks == (xor.name,)
    assert "mode: balance-xor" in one.text and "802.3ad" not in one.text
    with pytest.raises(InputError, match="no present trunk nope on this host"):
        render_host(inv, "srv-lnx", trunks=["nope"])
