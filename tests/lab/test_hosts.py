"""Simulated hosts: NIC facts, /proc/net/bonding and ip link shaped like the real captures,
Windows JSON, and the Linux shell over SSH with unmodified Netmiko ``linux``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from netmiko import ConnectHandler

from lagprov.knowledge.platforms.hardware import HARDWARE
from lagprov.lab.base import Faults, LinkOutcome
from lagprov.lab.hosts.fleet import LabHost, LinuxShell, create_host, serve
from lagprov.lab.lacp import resolve_links
from lagprov.lab.runtime import LabLoop
from lagprov.lab.smis.switch import SmisSwitch
from lagprov.model.intent import HostEnd, SwitchEnd, TrunkIntent
from lagprov.model.inventory import Cable, HostDevice
from lagprov.model.types import Bundling, HostOs, LacpRate, Platform, SwitchMode

FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures"
ADDRESS = "127.0.77.32"


@dataclass
class MiniFabric:
    """One SMIS switch and one host, cabled Ex 0/i <-> nic i, through the real LACP engine."""

    faults_: dict[str, Faults] = field(default_factory=dict)
    switch: SmisSwitch | None = None
    host: LabHost | None = None

    def faults(self, device: str) -> Faults:
        return self.faults_.setdefault(device, Faults())

    def link_outcomes(self, device: str) -> dict[str, LinkOutcome]:
        assert self.switch is not None and self.host is not None
        cables = [
            Cable(
                a_device=self.switch.name,
                a_port=f"Ex 0/{i + 1}",
                b_device=self.host.name,
                b_port=nic,
            )
            for i, nic in enumerate(self.host.nics)
        ]
        out = resolve_links(
            {self.switch.name: self.switch.port_facts()},
            {self.switch.name: self.switch.system_mac},
            {self.host.name: self.host.host_port_facts()},
            {self.host.name: self.host.system_mac},
            cables,
        )
        return {p: o for (d, p), o in out.items() if d == device}


def build(
    os: HostOs,
    team: str,
    bundling: Bundling,
    mode: str | None,
    nics: tuple[str, ...],
    *,
    name: str = "lnx01",
    mtu: int | None = 9000,
    rate: LacpRate | None = None,
) -> tuple[LabHost, MiniFabric]:
    fabric = MiniFabric()
    switch = SmisSwitch("sse-x24s-1", HARDWARE["SSE-X24S"], fabric)
    fabric.switch = switch
    cli = switch.open_cli("lab")
    lines = ["configure terminal", "set port-channel enable", "interface port-channel 1", "exit"]
    for i in range(len(nics)):
        lines += [f"interface Ex 0/{i + 1}"] + ([f"channel-group 1 mode {mode}"] if mode else [])
    for line in [*lines, "end"]:
        assert cli.handle(line).output == "", line
    trunk = TrunkIntent(
        name="t1",
        switch=(
            SwitchEnd(
                device="sse-x24s-1",
                platform=Platform.SUPERMICRO_SMIS,
                members=tuple(f"Ex 0/{i + 1}" for i in range(len(nics))),
                mode=SwitchMode.LACP_ACTIVE,
                channel=1,
            ),
        ),
        host=HostEnd(
            device=name,
            os=os,
            team=team,
            bundling=bundling,
            nics=nics,
            mtu=mtu,
            name="bond0" if os is HostOs.LINUX else "Team1",
            lacp_rate=rate,
        ),
    )
    host = create_host(HostDevice(name=name, os=os), [trunk], fabric)
    fabric.host = host
    return host, fabric


def fixture_text(rel: str) -> str:
    path = FIXTURES / rel
    if not path.exists():
        pytest.skip(f"real captures not available at {FIXTURES}")
    return path.read_text()


def keys(text: str) -> list[str]:
    """The 'Key:' labels of a /proc/net/bonding text, in order (values dropped)."""
    return [line.split(":")[0].strip() for line in text.splitlines() if ":" in line]


def test_create_host_from_trunk() -> None:
    host, _ = build(HostOs.LINUX, "4", Bundling.LACP, "active", ("ens1f0", "ens1f1"))
    assert (host.team, host.bond, host.mtu, host.nics) == (
        "802.3ad",
        "bond0",
        9000,
        ("ens1f0", "ens1f1"),
    )
    assert re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", host.system_mac)
    facts = host.host_port_facts()
    assert facts["ens1f0"].lacp and not facts["ens1f0"].static and facts["ens1f0"].mtu_ip == 9000


def test_proc_net_bonding_8023ad_matches_real_capture_shape() -> None:
    real = fixture_text("linux/proc_net_bonding_bond0/1_8023ad_2x10G_up.txt")
    host, _ = build(HostOs.LINUX, "802.3ad", Bundling.LACP, "active", ("ens1f0", "ens1f1"))
    full = LinuxShell(host, "lab").handle("cat /proc/net/bonding/bond0").output
    # The lab models a kernel >= 5.15, whose bond_procfs.c adds "LACP active: on|off" before
    # the rate; the RHEL 7 capture predates it.  Everything else must match the capture.
    assert "LACP active: on" in full.splitlines()
    ours = "\n".join(line for line in full.splitlines() if not line.startswith("LACP active:"))
    assert keys(ours) == keys(real)
    # structure: blank lines at the same places, same indentation of the nested blocks
    shape = [
        re.match(r"\s*", line).group() + ("x" if line else "")  # type: ignore[union-attr]
        for line in ours.splitlines()
    ]
    real_shape = [
        re.match(r"\s*", line).group() + ("x" if line else "")  # type: ignore[union-attr]
        for line in real.splitlines()
    ]
    assert shape == real_shape
    lines = ours.splitlines()
    assert "Number of ports: 2" in ours and "        Partner Key: 1" in lines
    assert lines.count("Aggregator ID: 1") == 2
    assert lines.count("    port state: 61") == 4  # both actors and both SMIS partners (0x3d)
    assert "    port priority: 32768" in lines


def test_proc_net_bonding_no_partner_like_failed_capture() -> None:
    real = fixture_text("linux/proc_net_bonding_bond0/3_8023ad_NO_PARTNER_switch_not_lacp.txt")
    host, _ = build(HostOs.LINUX, "802.3ad", Bundling.LACP, "on", ("eth0", "eth1"))
    ours = LinuxShell(host, "lab").handle("cat /proc/net/bonding/bond0").output
    for line in (
        "        Partner Key: 1",
        "        Partner Mac Address: 00:00:00:00:00:00",
        "        Number of ports: 1",
        "Aggregator ID: 2",
    ):
        assert line in real.splitlines()
        assert line in ours.splitlines()


@pytest.mark.parametrize(
    ("team", "header"),
    [
        ("balance-xor", "load balancing (xor)"),
        ("active-backup", "fault-tolerance (active-backup)"),
        ("balance-rr", "load balancing (round-robin)"),
    ],
)
def test_other_bond_modes_headers(team: str, header: str) -> None:
    host, _ = build(HostOs.LINUX, team, Bundling.STATIC, "on", ("eno1", "eno2"))
    text = LinuxShell(host, "lab").handle("cat /proc/net/bonding/bond0").output
    assert f"Bonding Mode: {header}" in text.splitlines()
    assert "802.3ad info" not in text and "Slave Interface: eno2" in text


def test_ip_link_matches_fixture_lines() -> None:
    real = fixture_text("linux/ip_link/1_bond0_mtu9000.txt")
    host, _ = build(HostOs.LINUX, "802.3ad", Bundling.LACP, "active", ("ens1f0", "ens1f1"))
    ours = LinuxShell(host, "lab").handle("ip link").output
    mac = host.system_mac
    real_norm = [
        re.sub(r"^\d+: ", "N: ", line.replace("90:e2:ba:85:59:a4", "MAC"))
        for line in real.splitlines()
    ]
    ours_norm = [re.sub(r"^\d+: ", "N: ", line.replace(mac, "MAC")) for line in ours.splitlines()]
    assert ours_norm[2:] == real_norm


def test_ip_json_keys() -> None:
    host, fabric = build(HostOs.LINUX, "802.3ad", Bundling.LACP, "active", ("ens1f0", "ens1f1"))
    fabric.faults("lnx01").down_ports.add("ens1f1")
    data = json.loads(LinuxShell(host, "lab").handle("ip -j -d link").output)
    bond = next(r for r in data if r["ifname"] == "bond0")
    assert bond["linkinfo"]["info_kind"] == "bond"
    assert bond["linkinfo"]["info_data"]["mode"] == "802.3ad"
    assert bond["linkinfo"]["info_data"]["ad_info"]["num_ports"] == 1
    slave = next(r for r in data if r["ifname"] == "ens1f1")
    assert slave["master"] == "bond0" and slave["operstate"] == "DOWN"
    assert slave["linkinfo"]["info_slave_data"]["mii_status"] == "DOWN"
    assert "NO-CARRIER" in slave["flags"]


def test_windows_json_reports(tmp_path: Path) -> None:
    host, _ = build(
        HostOs.WINDOWS,
        "lacp",
        Bundling.LACP,
        "on",
        ("NIC1", "NIC2"),
        name="hv01",
        mtu=9014,
        rate=LacpRate.FAST,
    )
    written = host.write_reports(tmp_path)
    assert {p.name for p in written} == {
        "Get-NetLbfoTeam.json",
        "Get-NetLbfoTeamMember.json",
        "Get-NetAdapterAdvancedProperty-JumboPacket.json",
        "Get-NetAdapter.json",
        "Get-VMSwitchTeam.json",
        "Get-NetIPInterface.json",
    }
    assert (tmp_path / "hv01" / "Get-VMSwitchTeam.json").read_text() == ""  # LBFO, not SET
    team = json.loads((tmp_path / "hv01" / "Get-NetLbfoTeam.json").read_text())
    assert team == {
        "Name": "Team1",
        "TeamingMode": "Lacp",
        "LoadBalancingAlgorithm": "Dynamic",
        "LacpTimer": "Fast",
        "Status": "Down",
        "Members": ["NIC1", "NIC2"],
    }
    members = json.loads((tmp_path / "hv01" / "Get-NetLbfoTeamMember.json").read_text())
    assert [m["FailureReason"] for m in members] == ["LacpNegotiationIssue"] * 2
    jumbo = json.loads(
        (tmp_path / "hv01" / "Get-NetAdapterAdvancedProperty-JumboPacket.json").read_text()
    )
    assert jumbo[0] == {"Name": "NIC1", "DisplayValue": "9014 Bytes", "RegistryValue": ["9014"]}
    assert '"TeamingMode":  "Lacp"' in (tmp_path / "hv01" / "Get-NetLbfoTeam.json").read_text()


def test_windows_team_up_with_lacp_switch() -> None:
    host, _ = build(
        HostOs.WINDOWS, "Lacp", Bundling.LACP, "active", ("NIC1", "NIC2"), name="hv01", mtu=9014
    )
    from lagprov.lab.hosts.windows import lbfo_team

    assert json.loads(lbfo_team(host))["Status"] == "Up"


def test_vmware_failover_text(tmp_path: Path) -> None:
    host, _ = build(
        HostOs.VMWARE, "iphash", Bundling.STATIC, "on", ("vmnic0", "vmnic1"), name="esx01"
    )
    host.write_reports(tmp_path)
    text = (tmp_path / "esx01" / "esxcli-failover.txt").read_text()
    assert "   Load Balancing: iphash\n" in text and "Active Adapters: vmnic0, vmnic1" in text


def test_windows_no_team_reports_read_back(tmp_path: Path) -> None:
    from lagprov.observe.parsers import parse_windows_host

    host, _ = build(HostOs.WINDOWS, "none", Bundling.INDEPENDENT, None, ("iSCSI-A", "iSCSI-B"),
                    name="win-iscsi01", mtu=9014)
    host.write_reports(tmp_path)
    folder = tmp_path / "win-iscsi01"
    assert (folder / "Get-NetLbfoTeam.json").read_text() == ""  # empty pipeline: no team
    adapters = json.loads((folder / "Get-NetAdapter.json").read_text())
    assert [(a["Name"], a["Status"], a["LinkSpeed"]) for a in adapters] == [
        ("iSCSI-A", "Up", "10 Gbps"), ("iSCSI-B", "Up", "10 Gbps")]
    state = parse_windows_host(
        "win-iscsi01", team="", members="", nics=("iSCSI-A", "iSCSI-B"),
        jumbo=(folder / "Get-NetAdapterAdvancedProperty-JumboPacket.json").read_text(),
        adapters=(folder / "Get-NetAdapter.json").read_text())
    assert state is not None and (state.team, state.mtu_ip) == ("none", 9000)
    assert [(m.name, m.link_up, m.speed_mbps) for m in state.members] == [
        ("iSCSI-A", True, 10000), ("iSCSI-B", True, 10000)]


def test_vmware_reports_read_back(tmp_path: Path) -> None:
    from lagprov.observe.parsers import parse_esxi_host

    host, fabric = build(HostOs.VMWARE, "iphash", Bundling.STATIC, "on", ("vmnic0", "vmnic1"),
                         name="esx01", mtu=9000)
    host.bond = "vSwitch0"
    fabric.faults("esx01").down_ports.add("vmnic1")
    host.write_reports(tmp_path)
    folder = tmp_path / "esx01"
    assert {p.name for p in folder.iterdir()} == {
        "esxcli-failover.txt", "esxcli-vswitch-list.txt", "esxcli-nic-list.txt"}
    assert "   MTU: 9000\n" in (folder / "esxcli-vswitch-list.txt").read_text()
    state = parse_esxi_host(
        "esx01", bond="vSwitch0", failover=(folder / "esxcli-failover.txt").read_text(),
        vswitch=(folder / "esxcli-vswitch-list.txt").read_text(),
        nic_list=(folder / "esxcli-nic-list.txt").read_text())
    assert state is not None and (state.name, state.team, state.mtu_ip) == (
        "vSwitch0", "iphash", 9000)
    assert [(m.name, m.link_up, m.mtu_ip) for m in state.members] == [
        ("vmnic0", True, 9000), ("vmnic1", False, 9000)]


def test_shell_unknown_command() -> None:
    host, _ = build(HostOs.LINUX, "802.3ad", Bundling.LACP, "active", ("eth0",))
    assert LinuxShell(host, "lab").handle("frob x").output == "bash: frob: command not found\n"


@dataclass
class _Ports:
    ssh: int = 0


@pytest.fixture(scope="module")
def served_linux() -> Iterator[int]:
    host, _ = build(HostOs.LINUX, "802.3ad", Bundling.LACP, "active", ("ens1f0", "ens1f1"))
    loop = LabLoop("hosts-wire")
    loop.start()
    handles = loop.run(serve(host, ADDRESS, _Ports(), {"lab": "lab-password"}))
    try:
        yield handles[0].get_port()  # type: ignore[attr-defined]
    finally:
        loop.close(handles)
        loop.stop()


@pytest.mark.lab
def test_netmiko_linux_reads_the_bond(served_linux: int) -> None:
    conn = ConnectHandler(
        device_type="linux",
        host=ADDRESS,
        port=served_linux,
        username="lab",
        password="lab-password",
        fast_cli=True,
    )
    try:
        assert conn.base_prompt == "lab@lnx01:~"
        text = conn.send_command("cat /proc/net/bonding/bond0")
        assert "Bonding Mode: IEEE 802.3ad Dynamic link aggregation" in text
        assert conn.send_command("hostname").strip() == "lnx01"
    finally:
        conn.disconnect()
