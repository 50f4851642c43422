"""One test per known ntc-templates defect (vendor-cli.md 1.3, 2.2, 3.2): ntc's wrong result,
then the project parser's right one."""

from __future__ import annotations

import pytest
import textfsm
from ntc_templates.parse import parse_output

from lagprov.model.state import LagProtocol, MemberStatus
from lagprov.model.types import Platform, SwitchMode
from lagprov.observe.parsers import parse_command
from lagprov.observe.parsers._extract import NTC_TEMPLATES
from tests.parsers.fixture_table import FIXTURES

if not FIXTURES.is_dir():
    pytest.skip(f"shared fixtures folder {FIXTURES} is absent", allow_module_level=True)


def _raw(rel: str) -> str:
    return (FIXTURES / rel).read_text()


def test_ios_summary_hot_standby_keeps_third_member() -> None:
    raw = _raw("cisco_ios/show_etherchannel_summary/4_tabs_hotstandby.txt")
    ntc = parse_output(platform="cisco_ios", command="show etherchannel summary", data=raw)
    assert ntc[1]["member_interface"] == ["Gi4", "Gi5"]  # ntc loses Gi6
    po2 = parse_command(Platform.CISCO_IOS, "show etherchannel summary", raw).lag(2)
    assert po2 is not None
    assert [(m.name, m.status) for m in po2.members] == [
        ("GigabitEthernet4", MemberStatus.BUNDLED),
        ("GigabitEthernet5", MemberStatus.HOT_STANDBY),
        ("GigabitEthernet6", MemberStatus.BUNDLED),
    ]


def test_eos_summary_static_row_keeps_name_and_first_member() -> None:
    raw = _raw("arista_eos/show_port-channel_summary/3_static.txt")
    ntc = parse_output(platform="arista_eos", command="show port-channel summary", data=raw)
    assert ntc[0]["bundle_name"] == "" and ntc[0]["member_interface"] == ["Et2"]
    po3 = parse_command(Platform.ARISTA_EOS, "show port-channel summary", raw).lag(3)
    assert po3 is not None
    assert (po3.name, po3.protocol, po3.mode) == ("Po3", LagProtocol.STATIC, SwitchMode.STATIC)
    assert [(m.name, m.status) for m in po3.members] == [
        ("Ethernet1", MemberStatus.DOWN),
        ("Ethernet2", MemberStatus.BUNDLED),
    ]


def test_junos_lacp_extensive_parses_with_system_ids() -> None:
    raw = _raw("juniper_junos/show_lacp_interfaces_extensive/1_vmx.txt")
    with pytest.raises(textfsm.TextFSMError):
        parse_output(platform="juniper_junos", command="show lacp interfaces", data=raw)
    ae0 = parse_command(Platform.JUNIPER_JUNOS, "show lacp interfaces extensive", raw).lag(0)
    assert ae0 is not None
    member = ae0.members[0]
    assert member.actor is not None and member.partner is not None
    assert member.actor.system_id == "12:12:12:12:12:12"
    assert member.partner.system_id == "aa:bb:cc:80:05:00"
    assert member.partner.system_priority == 32768


@pytest.mark.parametrize(
    ("platform", "rel"),
    [
        ("cisco_ios", "cisco_ios/show_lacp_neighbor/1.txt"),
        ("arista_eos", "arista_eos/show_lacp_neighbor/1_veos.txt"),
    ],
)
def test_lacp_neighbor_has_no_ntc_template_but_parses(platform: str, rel: str) -> None:
    assert not (NTC_TEMPLATES / f"{platform}_show_lacp_neighbor.textfsm").exists()
    state = parse_command(Platform(platform), "show lacp neighbor", _raw(rel))
    partners = [m.partner for lag in state.lags for m in lag.members]
    assert partners and all(p is not None and p.system_id for p in partners)
