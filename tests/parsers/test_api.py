"""Dispatch, errors, merge rules, host parsers without fixtures, SMIS modelled shapes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lagprov.errors import ParseError
from lagprov.model.state import (
    DeviceLagState,
    LacpActivity,
    LagProtocol,
    LagState,
    MemberState,
    MemberStatus,
)
from lagprov.model.types import Bundling, LacpRate, Platform, SwitchMode
from lagprov.observe.parsers import (
    command_key,
    command_slug,
    merge_device_states,
    parse_command,
    parse_device,
    parse_esxcli_failover,
    parse_linux_ip_json,
    parse_windows_team,
    supported_commands,
)
from lagprov.observe.parsers._common import norm_mac, split_system_id

REPO = Path(__file__).resolve().parents[2]


def test_command_slug() -> None:
    assert command_slug("show port-channel summary") == "show_port-channel_summary"
    assert command_slug("show configuration | display set") == "show_configuration_pipe_display_set"


def test_command_key_generalises_numbers() -> None:
    assert command_key("show etherchannel 10 summary") == "show etherchannel N summary"
    assert command_key("show interfaces ae12 extensive") == "show interfaces aeN extensive"
    assert command_key("show running-config interface Port-channel1") == (
        "show running-config interface"
    )


def test_mac_normalisation() -> None:
    assert norm_mac("001e.49ff.a3e6") == "00:1e:49:ff:a3:e6"
    assert split_system_id("8000,0c-1d-c0-f4-7b-39", hex_priority=True) == (
        32768, "0c:1d:c0:f4:7b:39",
    )


GARBAGE = "lorem ipsum dolor\nsit amet 42\n"


@pytest.mark.parametrize(("platform", "command"), [
    (p, c) for p in Platform for c in supported_commands(p)
])
def test_garbage_raises_parse_error_naming_platform_and_command(
    platform: Platform, command: str
) -> None:
    with pytest.raises(ParseError) as info:
        parse_command(platform, command, GARBAGE, device="sw1")
    assert info.value.platform == platform and info.value.command == command
    assert str(platform) in str(info.value) and command in str(info.value)


def test_unknown_command_and_cli_error_raise() -> None:
    with pytest.raises(ParseError, match="no parser"):
        parse_command(Platform.CISCO_IOS, "show clock", "12:00:00")
    with pytest.raises(ParseError, match="device answered with an error"):
        parse_command(Platform.CISCO_IOS, "show lacp neighbor", "% Invalid input detected at")
    with pytest.raises(ParseError, match="empty output"):
        parse_command(Platform.ARISTA_EOS, "show port-channel summary", "  \n")


def _state(*lags: LagState, **kw: object) -> DeviceLagState:
    return DeviceLagState.model_validate({"device": "sw", "platform": "cisco_ios",
                                          "lags": lags, **kw})


def test_merge_known_beats_unknown_and_later_wins_only_for_listed_fields() -> None:
    a = _state(LagState(channel=1, protocol=LagProtocol.LACP, mtu_ip=9000, members=(
        MemberState(name="Gi1", status=MemberStatus.WAITING),)))
    b = _state(LagState(channel=1, mode=SwitchMode.LACP_ACTIVE, mtu_ip=1500, members=(
        MemberState(name="Gi1", status=MemberStatus.BUNDLED, speed_mbps=1000),
        MemberState(name="Gi2"))), system_mtu_ip=9000)
    merged = merge_device_states(a, b)
    lag = merged.lag(1)
    assert lag is not None
    assert (lag.protocol, lag.mode, lag.mtu_ip) == (LagProtocol.LACP, SwitchMode.LACP_ACTIVE, 9000)
    assert [m.name for m in lag.members] == ["Gi1", "Gi2"]
    assert lag.members[0].status is MemberStatus.BUNDLED  # 'status' is a later-wins field
    assert lag.members[0].speed_mbps == 1000
    assert merged.system_mtu_ip == 9000


def test_parse_device_merges_summary_and_lacp_neighbor() -> None:
    summary = (
        "Group  Port-channel  Protocol    Ports\n"
        "------+-------------+-----------+------------------------\n"
        "1      Po1(SU)         LACP      Gi1/0/1(P)  Gi1/0/2(P)\n"
    )
    neighbor = (
        "Channel group 1 neighbors\n\n"
        "Port      Flags   Priority  Dev ID          Age    key    Key    Number  State\n"
        "Gi1/0/1   FA      32768     0011.2233.4455  1s     0x0    0x9    0x1     0x3F\n"
    )
    state = parse_device("sw1", Platform.CISCO_IOS, {
        "show etherchannel summary": summary, "show lacp neighbor": neighbor})
    lag = state.lag(1)
    assert lag is not None and lag.name == "Po1"
    m = lag.member("GigabitEthernet1/0/1")
    assert m is not None and m.status is MemberStatus.BUNDLED
    assert m.partner is not None and m.partner.rate is LacpRate.FAST and m.partner.key == 9


def test_windows_team_json_string_and_integer_enums() -> None:
    members = json.dumps([
        {"Name": "NIC1", "Team": "T1", "OperationalStatus": "Active", "FailureReason": "NoFailure"},
        {"Name": "NIC2", "Team": "T1", "OperationalStatus": "Failed",
         "FailureReason": "PhysicalMediaDisconnected"},
    ])
    jumbo = json.dumps([{"Name": "NIC1", "DisplayValue": "9014 Bytes", "RegistryValue": ["9014"]},
                        {"Name": "NIC2", "DisplayValue": "9014 Bytes", "RegistryValue": ["9014"]}])
    for team in ({"Name": "T1", "TeamingMode": "Lacp", "LacpTimer": "Slow", "Status": "Degraded"},
                 {"Name": "T1", "TeamingMode": 2, "LacpTimer": 1, "Status": 2}):
        state = parse_windows_team("hv1", json.dumps(team), members, jumbo)
        assert (state.team, state.bundling, state.lacp_rate, state.status) == (
            "Lacp", Bundling.LACP, LacpRate.SLOW, "Degraded")
        assert state.mtu_ip == 9000
        assert [m.link_up for m in state.members] == [True, False]
    with pytest.raises(ParseError):
        parse_windows_team("hv1", "not json", None, None)


def test_linux_ip_json_bond() -> None:
    raw = json.dumps([
        {"ifname": "eno1", "mtu": 9000, "master": "bond0", "linkinfo": {
            "info_slave_kind": "bond",
            "info_slave_data": {"mii_status": "UP", "ad_aggregator_id": 1}}},
        {"ifname": "bond0", "mtu": 9000, "operstate": "UP", "linkinfo": {
            "info_kind": "bond", "info_data": {"mode": "802.3ad", "ad_lacp_rate": "fast",
                                              "ad_info": {"partner_mac": "00:11:22:33:44:55"}}}},
    ])
    state = parse_linux_ip_json("h1", raw, bond="bond0")
    assert (state.team, state.lacp_rate, state.partner_system_id, state.mtu_ip) == (
        "802.3ad", LacpRate.FAST, "00:11:22:33:44:55", 9000)
    assert state.members[0].aggregator_id == 1 and state.members[0].link_up is True


def test_esxcli_failover() -> None:
    raw = ("   Load Balancing: iphash\n   Network Failure Detection: link\n"
           "   Active Adapters: vmnic0, vmnic1\n   Standby Adapters:\n   Unused Adapters:\n")
    state = parse_esxcli_failover("esx1", raw)
    assert (state.team, state.bundling) == ("iphash", Bundling.STATIC)
    assert [m.name for m in state.members] == ["vmnic0", "vmnic1"]


def _smis_blocks() -> dict[str, str]:
    doc = REPO / "docs" / "smis-outputs.md"
    if not doc.is_file():
        pytest.skip("docs/smis-outputs.md is absent")
    text = doc.read_text()
    sections = re.findall(r"^## `([^`]+)`\n.*?```\n(.*?)```", text, re.S | re.M)
    return dict(sections)


def test_smis_modelled_outputs() -> None:
    """Modelled shapes (no real SMIS capture exists); values read from docs/smis-outputs.md."""
    blocks = _smis_blocks()
    p = Platform.SUPERMICRO_SMIS
    summary = parse_command(p, "show etherchannel summary", blocks["show etherchannel summary"])
    assert summary.system_id == "00:30:48:e3:70:a0"
    po2 = summary.lag(2)
    assert po2 is not None and po2.protocol is LagProtocol.STATIC and po2.oper_up is False
    assert [(m.name, m.status) for m in po2.members] == [("Ex 0/7", MemberStatus.DOWN)]
    detail = parse_command(p, "show etherchannel detail", blocks["show etherchannel detail"])
    po1 = detail.lag(1)
    assert po1 is not None and po1.mode is SwitchMode.LACP_ACTIVE and po1.oper_up is True
    member = po1.members[0]
    assert member.partner is not None and member.partner.system_priority == 32768
    assert member.partner.state == 0x3D and member.actor is not None
    assert member.actor.activity is LacpActivity.ACTIVE and member.actor.rate is LacpRate.SLOW
    mtu = parse_command(p, "show interface mtu", blocks["show interface mtu"])
    assert mtu.lag(1) is not None and mtu.ports[0].name == "Ex 0/1"
    run = parse_command(p, "show running-config", blocks["show running-config"])
    lag = run.lag(1)
    assert lag is not None and lag.lacp_rate is LacpRate.FAST and lag.description == "eonstor01-tg1"
    assert [m.name for m in lag.members] == ["Ex 0/1"]


def test_ios_lacp_legend_alone_means_no_lacp_channel() -> None:
    from lagprov.model.types import Platform
    from lagprov.observe.parsers import parse_command

    legend = (
        "Flags:  S - Device is requesting Slow LACPDUs\n"
        "        F - Device is requesting Fast LACPDUs\n"
        "        A - Device is in Active mode       P - Device is in Passive mode\n"
    )
    assert parse_command(Platform.CISCO_IOS, "show lacp neighbor", legend).lags == ()
