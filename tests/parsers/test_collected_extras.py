"""Parsers added for issue 5: IOS ``show lacp sys-id``; Junos static ae member status."""

from __future__ import annotations

import pytest

from lagprov.errors import ParseError
from lagprov.model.state import DeviceLagState, LagState, MemberState, MemberStatus
from lagprov.model.types import Platform, SwitchMode
from lagprov.observe.parsers import parse_command, settle_static_members


def test_ios_lacp_sys_id_is_the_switch_own_system_id() -> None:
    # shape: "<system priority>, <dotted MAC>" (vendor-cli.md 1.3 lists the command)
    state = parse_command(Platform.CISCO_IOS, "show lacp sys-id", "32768, 2c6b.f575.8581\n",
                          device="sw1")
    assert state.system_id == "2c:6b:f5:75:85:81"
    assert state.lags == ()


def test_ios_lacp_sys_id_rejects_other_text() -> None:
    with pytest.raises(ParseError):
        parse_command(Platform.CISCO_IOS, "show lacp sys-id", "Port-channel1 is up\n")


def _junos(mode: SwitchMode, *members: MemberState,
           platform: Platform = Platform.JUNIPER_JUNOS) -> DeviceLagState:
    return DeviceLagState(device="ex", platform=platform,
                          lags=(LagState(channel=1, mode=mode, members=members),))


def test_junos_static_ae_member_status_follows_its_link() -> None:
    state = settle_static_members(_junos(
        SwitchMode.STATIC, MemberState(name="ge-0/0/1", link_up=True),
        MemberState(name="ge-0/0/2", link_up=False), MemberState(name="ge-0/0/3")))
    assert [m.status for m in state.lags[0].members] == [
        MemberStatus.BUNDLED, MemberStatus.DOWN, None]


def test_lacp_bundles_and_other_platforms_are_left_alone() -> None:
    up = MemberState(name="ge-0/0/1", link_up=True)
    lacp = _junos(SwitchMode.LACP_ACTIVE, up)
    assert settle_static_members(lacp) == lacp
    ios = _junos(SwitchMode.STATIC, MemberState(name="GigabitEthernet1/0/1", link_up=True),
                 platform=Platform.CISCO_IOS)
    assert settle_static_members(ios) == ios
