"""Host report shapes: Windows Get-NetAdapter and the no-team host; ESXi vSwitch / NIC list.

No real capture exists for these shapes (modelled: vendor-cli.md 5.1 / 5.3 and the VMware
esxcli documentation), so the cases are written out here, plus the lab's own reports read back.
"""

from __future__ import annotations

import json

import pytest

from lagprov.errors import ParseError
from lagprov.model.types import Bundling, LacpRate
from lagprov.observe.parsers import (
    parse_esxcli_nic_list,
    parse_esxcli_vswitch,
    parse_esxi_host,
    parse_windows_adapters,
    parse_windows_host,
    parse_windows_set_team,
    parse_windows_team,
)

# Windows PowerShell 5.1 ConvertTo-Json layout (as lagprov.lab.hosts.windows.ps51_json)
ADAPTERS = """[
    {
        "Name":  "iSCSI-A",
        "Status":  "Up",
        "LinkSpeed":  "10 Gbps",
        "MacAddress":  "52-54-00-90-90-00"
    },
    {
        "Name":  "iSCSI-B",
        "Status":  "Disconnected",
        "LinkSpeed":  "0 bps",
        "MacAddress":  "52-54-00-90-90-02"
    },
    {
        "Name":  "Management",
        "Status":  "Up",
        "LinkSpeed":  "1 Gbps",
        "MacAddress":  "52-54-00-90-90-04"
    }
]
"""
JUMBO = json.dumps([
    {"Name": "iSCSI-A", "DisplayValue": "9014 Bytes", "RegistryValue": ["9014"]},
    {"Name": "iSCSI-B", "DisplayValue": "9014 Bytes", "RegistryValue": ["9014"]},
    {"Name": "Management", "DisplayValue": "Disabled", "RegistryValue": ["1514"]},
])
ISCSI = ("iSCSI-A", "iSCSI-B")
TEAM = json.dumps({"Name": "Team1", "TeamingMode": "Lacp", "LoadBalancingAlgorithm": "Dynamic",
                   "LacpTimer": "Fast", "Status": "Up", "Members": ["NIC1", "NIC2"]})
MEMBERS = json.dumps([
    {"Name": "NIC1", "Team": "Team1", "AdministrativeMode": "Active",
     "OperationalStatus": "Active", "FailureReason": "NoFailure"},
    {"Name": "NIC2", "Team": "Team1", "AdministrativeMode": "Active",
     "OperationalStatus": "Failed", "FailureReason": "LacpNegotiationIssue"},
])
TEAM_ADAPTERS = json.dumps([
    {"Name": "NIC1", "Status": "Up", "LinkSpeed": "1 Gbps", "MacAddress": "52-54-00-0D-26-00"},
    {"Name": "NIC2", "Status": "Up", "LinkSpeed": "1 Gbps", "MacAddress": "52-54-00-0D-26-02"},
])


# --- Get-NetAdapter -------------------------------------------------------------------------


def test_adapters_link_speed_and_status() -> None:
    rows = parse_windows_adapters(ADAPTERS)
    assert [(a.name, a.link_up, a.speed_mbps) for a in rows] == [
        ("iSCSI-A", True, 10000), ("iSCSI-B", False, None), ("Management", True, 1000)]
    assert rows[0].mac == "52-54-00-90-90-00"


@pytest.mark.parametrize(("speed", "mbps"), [("100 Mbps", 100), ("2.5 Gbps", 2500),
                                             ("25 Gbps", 25000), (10_000_000_000, 10000)])
def test_adapter_speed_units(speed: object, mbps: int) -> None:
    raw = json.dumps({"Name": "NIC1", "Status": "Up", "LinkSpeed": speed})
    assert parse_windows_adapters(raw)[0].speed_mbps == mbps


@pytest.mark.parametrize("raw", [
    "Get-NetAdapter : No MSFT_NetAdapter objects found with property 'Name' equal to 'X'",
    '{"Name": "NIC1"}',  # no Status
    '[{"Name": "NIC1", "Status": "Up", "LinkSpeed": "fast"}]',
    '["NIC1"]',
])
def test_adapters_garbage_is_a_parse_error(raw: str) -> None:
    with pytest.raises(ParseError):
        parse_windows_adapters(raw)


# --- the Windows host without a team -----------------------------------------------------


@pytest.mark.parametrize("team", ["", "null", "[]", "\r\n"])
def test_no_lbfo_team_is_team_none(team: str) -> None:
    state = parse_windows_host("win-iscsi01", team=team, members=None, jumbo=JUMBO,
                               adapters=ADAPTERS, nics=ISCSI)
    assert state is not None
    assert (state.team, state.bundling, state.name) == ("none", Bundling.INDEPENDENT, None)
    # the management NIC is not one of the intended NICs: not a member
    assert [(m.name, m.link_up, m.speed_mbps, m.mtu_ip) for m in state.members] == [
        ("iSCSI-A", True, 10000, 9000), ("iSCSI-B", False, None, 9000)]
    assert state.members[1].failure_reason == "adapter Disconnected"
    assert state.mtu_ip == 9000


def test_no_team_without_adapter_report_keeps_the_mtu() -> None:
    state = parse_windows_host("w", team="", members="", jumbo=JUMBO, adapters=None, nics=ISCSI)
    assert state is not None and state.team == "none"
    assert [(m.name, m.link_up, m.mtu_ip) for m in state.members] == [
        ("iSCSI-A", None, 9000), ("iSCSI-B", None, 9000)]


def test_nothing_reported_is_no_state() -> None:
    assert parse_windows_host("w", team=None, members=None, jumbo=JUMBO, adapters=None,
                              nics=ISCSI) is None


def test_no_lbfo_team_says_nothing_about_a_set_switch() -> None:
    state = parse_windows_host("w", team="", members=None, jumbo=None, adapters=ADAPTERS,
                               nics=ISCSI, set_switch=True)
    assert state is not None and (state.team, state.bundling) == (None, None)
    assert [m.name for m in state.members] == list(ISCSI)


def test_team_over_the_iscsi_nics_is_seen() -> None:
    team = json.dumps({"Name": "iSCSI", "TeamingMode": "SwitchIndependent", "Status": "Up",
                       "Members": list(ISCSI)})
    state = parse_windows_host("w", team=team, members=None, jumbo=JUMBO, adapters=ADAPTERS,
                               nics=ISCSI)
    assert state is not None
    assert (state.team, state.bundling, state.name) == (
        "SwitchIndependent", Bundling.INDEPENDENT, "iSCSI")
    assert [(m.name, m.link_up) for m in state.members] == [("iSCSI-A", True), ("iSCSI-B", False)]


def test_a_team_on_other_nics_is_not_theirs() -> None:
    mgmt = json.dumps({"Name": "Mgmt", "TeamingMode": "Lacp", "Members": ["Management", "X"]})
    state = parse_windows_host("w", team=mgmt, members=None, jumbo=JUMBO, adapters=ADAPTERS,
                               nics=ISCSI)
    assert state is not None and state.team == "none"


def test_several_teams_pick_the_named_one_or_fail() -> None:
    two = json.dumps([{"Name": "Team1", "TeamingMode": "Lacp", "Members": ["NIC1", "NIC2"]},
                      {"Name": "Team2", "TeamingMode": "Static", "Members": ["NIC3", "NIC4"]}])
    state = parse_windows_host("w", team=two, members=None, jumbo=None, adapters=None,
                               nics=("NIC3", "NIC4"), bond="Team2")
    assert state is not None and (state.name, state.team) == ("Team2", "Static")
    with pytest.raises(ParseError):
        parse_windows_host("w", team=two, members=None, jumbo=None, adapters=None,
                           nics=("NIC1", "NIC3"), bond="Other")


def test_teamed_host_parses_as_before() -> None:
    jumbo = json.dumps([{"Name": n, "RegistryValue": ["9014"]} for n in ("NIC1", "NIC2")])
    before = parse_windows_team("hv01", TEAM, MEMBERS, jumbo)
    now = parse_windows_host("hv01", team=TEAM, members=MEMBERS, jumbo=jumbo, adapters=None,
                             nics=("NIC1", "NIC2"), bond="Team1")
    assert now == before
    assert (now.team, now.lacp_rate, now.mtu_ip) == ("Lacp", LacpRate.FAST, 9000)
    assert [m.link_up for m in now.members] == [True, None]


def test_teamed_host_gets_link_and_speed_from_get_netadapter() -> None:
    now = parse_windows_host("hv01", team=TEAM, members=MEMBERS, jumbo=None,
                             adapters=TEAM_ADAPTERS, nics=("NIC1", "NIC2"), bond="Team1")
    assert now is not None
    # NIC2 failed LACP negotiation, but its link is up; the team's word wins where it has one
    assert [(m.link_up, m.speed_mbps, m.failure_reason) for m in now.members] == [
        (True, 1000, "NoFailure"), (True, 1000, "LacpNegotiationIssue")]


def test_garbage_team_report_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_windows_host("w", team="Get-NetLbfoTeam : The term is not recognized",
                           members=None, jumbo=None, adapters=ADAPTERS, nics=ISCSI)


# --- ESXi ----------------------------------------------------------------------------------

VSWITCH = """vSwitch0
   Name: vSwitch0
   Class: cswitch
   Num Ports: 5632
   Used Ports: 6
   Configured Ports: 128
   MTU: 1500
   CDP Status: listen
   Beacon Enabled: false
   Beacon Required By:
   Uplinks: vmnic1, vmnic0
   Portgroups: VM Network, Management Network

vSwitch1
   Name: vSwitch1
   Class: cswitch
   MTU: 9000
   Uplinks: vmnic3, vmnic2
   Portgroups: iSCSI
"""
NICS = """\
Name    PCI Device    Driver  Admin Status  Link Status  Speed  Duplex  MAC Address         MTU  Description
------  ------------  ------  ------------  -----------  -----  ------  -----------------  ----  -----------------------------
vmnic0  0000:02:00.0  ntg3    Up            Up            1000  Full    00:50:56:aa:bb:00  1500  Broadcom NetXtreme BCM5720
vmnic1  0000:02:00.1  ntg3    Up            Down             0  Half    00:50:56:aa:bb:01  1500  Broadcom NetXtreme BCM5720
vmnic2  0000:03:00.0  ixgben  Down          Up           10000  Full    00:50:56:aa:bb:02  9000  Intel(R) Ethernet X540-AT2
"""  # noqa: E501
OLD_NICS = """\
Name    PCI Device     Driver  Link  Speed  Duplex  MAC Address         MTU  Description
------  -------------  ------  ----  -----  ------  -----------------  ----  -----------
vmnic0  0000:002:00.0  bnx2    Up     1000  Full    00:50:56:aa:bb:00  1500  Broadcom BCM5709
"""
FAILOVER = ("   Load Balancing: iphash\n   Network Failure Detection: link\n"
            "   Active Adapters: vmnic0, vmnic1\n   Standby Adapters: \n   Unused Adapters: \n")


def test_vswitch_list_picks_the_vswitch() -> None:
    assert parse_esxcli_vswitch(VSWITCH, "vSwitch0").model_dump() == {
        "name": "vSwitch0", "mtu": 1500, "uplinks": ("vmnic1", "vmnic0")}
    one = parse_esxcli_vswitch(VSWITCH.split("\n\n")[1])
    assert (one.name, one.mtu, one.uplinks) == ("vSwitch1", 9000, ("vmnic3", "vmnic2"))


@pytest.mark.parametrize(("raw", "vswitch"), [
    ("Error: Unknown command or namespace network vswitch standard lst", None),
    (VSWITCH, "vSwitch7"),  # not there
    (VSWITCH, None),  # two vSwitches, none asked for
    ("vSwitch0\n   Name: vSwitch0\n   MTU: jumbo\n", "vSwitch0"),
])
def test_vswitch_garbage_is_a_parse_error(raw: str, vswitch: str | None) -> None:
    with pytest.raises(ParseError):
        parse_esxcli_vswitch(raw, vswitch)


def test_nic_list_columns() -> None:
    rows = parse_esxcli_nic_list(NICS)
    assert [(n.name, n.admin_up, n.link_up, n.speed_mbps, n.mtu) for n in rows] == [
        ("vmnic0", True, True, 1000, 1500), ("vmnic1", True, False, None, 1500),
        ("vmnic2", False, True, 10000, 9000)]
    assert rows[2].mac == "00:50:56:aa:bb:02"


def test_nic_list_older_columns() -> None:
    (nic,) = parse_esxcli_nic_list(OLD_NICS)
    assert (nic.name, nic.admin_up, nic.link_up, nic.speed_mbps, nic.mtu) == (
        "vmnic0", None, True, 1000, 1500)


@pytest.mark.parametrize("raw", [
    "vmnic0 up 1000",
    "Name  Foo\n----  ---\nvmnic0  x\n",  # no link column
    NICS.replace("  1000  Full", "  fast  Full"),
])
def test_nic_list_garbage_is_a_parse_error(raw: str) -> None:
    with pytest.raises(ParseError):
        parse_esxcli_nic_list(raw)


def test_esxi_host_merges_the_three_reports() -> None:
    state = parse_esxi_host("esx01", failover=FAILOVER, vswitch=VSWITCH, nic_list=NICS,
                            bond="vSwitch0")
    assert state is not None
    assert (state.name, state.team, state.bundling, state.mtu_ip) == (
        "vSwitch0", "iphash", Bundling.STATIC, 1500)
    # vmnic2 is another vSwitch's uplink: not a member
    assert [(m.name, m.link_up, m.speed_mbps, m.mtu_ip) for m in state.members] == [
        ("vmnic0", True, 1000, 1500), ("vmnic1", False, None, 1500)]


def test_esxi_admin_down_nic_is_down() -> None:
    failover = FAILOVER.replace("vmnic0, vmnic1", "vmnic2")
    state = parse_esxi_host("e", failover=failover, vswitch=None, nic_list=NICS, bond="vSwitch1")
    assert state is not None
    assert [(m.name, m.link_up, m.failure_reason) for m in state.members] == [
        ("vmnic2", False, "admin down")]


def test_esxi_without_failover_uses_the_uplinks() -> None:
    state = parse_esxi_host("e", failover=None, vswitch=VSWITCH, nic_list=None, bond="vSwitch1")
    assert state is not None
    assert (state.team, state.mtu_ip) == (None, 9000)
    assert [m.name for m in state.members] == ["vmnic3", "vmnic2"]
    assert parse_esxi_host("e", failover=None, vswitch=None, nic_list=NICS, bond="x") is None


# --- Hyper-V SET: lagprov's Get-VMSwitchTeam report (modelled, vendor-cli.md 5.1) ----------

SET_TEAM = """{
    "Name":  "SETswitch",
    "TeamingMode":  "SwitchIndependent",
    "LoadBalancingAlgorithm":  "HyperVPort",
    "Members":  [
                    "NIC2",
                    "NIC1"
                ]
}"""
JUMBO_9014 = ('[{"Name": "NIC1", "RegistryValue": ["9014"]},'
              ' {"Name": "NIC2", "RegistryValue": ["9014"]}]')


def test_set_team_is_read_from_get_vmswitchteam() -> None:
    state = parse_windows_set_team("hv", SET_TEAM, nics=("NIC1", "NIC2"), jumbo=JUMBO_9014)
    assert state is not None
    assert (state.name, state.team, state.bundling) == ("SETswitch", "SET",
                                                        Bundling.INDEPENDENT)
    assert [m.name for m in state.members] == ["NIC1", "NIC2"]  # the intended order
    assert state.mtu_ip == 9000  # Jumbo Packet 9014 - 14


@pytest.mark.parametrize("raw", ["", "null", "[]"])
def test_no_set_team_is_none(raw: str) -> None:
    assert parse_windows_set_team("hv", raw, nics=("NIC1", "NIC2")) is None


def test_set_team_over_other_nics_is_not_this_team() -> None:
    assert parse_windows_set_team("hv", SET_TEAM, nics=("iSCSI-A", "iSCSI-B")) is None


@pytest.mark.parametrize("raw", [
    SET_TEAM.replace("SwitchIndependent", "Lacp"),  # SET is switch independent only
    "not json",
    "[1, 2]",
])
def test_unreadable_set_report_raises(raw: str) -> None:
    with pytest.raises(ParseError):
        parse_windows_set_team("hv", raw, nics=("NIC1", "NIC2"))


def test_host_with_set_team_and_no_lbfo_team_is_set() -> None:
    state = parse_windows_host("hv", team="", members="", jumbo=JUMBO_9014, adapters=None,
                               nics=("NIC1", "NIC2"), set_switch=True, vmswitch=SET_TEAM)
    assert state is not None and state.team == "SET"


def test_set_intent_without_any_team_reported_is_none() -> None:
    state = parse_windows_host("hv", team="", members="", jumbo=JUMBO_9014, adapters=None,
                               nics=("NIC1", "NIC2"), set_switch=True, vmswitch="")
    assert state is not None and state.team == "none"


def test_set_intent_without_the_set_report_leaves_the_mode_unknown() -> None:
    state = parse_windows_host("hv", team="", members="", jumbo=JUMBO_9014, adapters=None,
                               nics=("NIC1", "NIC2"), set_switch=True, vmswitch=None)
    assert state is not None and state.team is None


def test_lbfo_team_wins_over_a_set_report_on_other_nics() -> None:
    lbfo = ('{"Name": "Team1", "TeamingMode": "Lacp", "LacpTimer": "Fast", "Status": "Up",'
            ' "Members": ["NIC1", "NIC2"]}')
    other = SET_TEAM.replace('"NIC2"', '"NIC3"').replace('"NIC1"', '"NIC4"')
    state = parse_windows_host("hv", team=lbfo, members=None, jumbo=None, adapters=None,
                               nics=("NIC1", "NIC2"), vmswitch=other)
    assert state is not None and state.team == "Lacp"
