"""The simulated EOS takes the LACP rate command of its model's EOS train, as the renderer
sends it.

vendor-cli.md 2.1: ``lacp rate fast`` is the older EOS syntax, ``lacp timer fast`` the newer
(AVD renders ``lacp timer fast|normal``); "The EOS DCS-7120T-4S runs an old EOS train. Expect
``lacp rate`` rather than ``lacp timer``".  The hardware data records the train's keyword
(``lacp_rate_cli``); the other command is refused with EOS's ``% Invalid input``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lagprov.knowledge.platforms.hardware import HARDWARE, hardware_of
from lagprov.lab.eos.eapi import run_cmds
from lagprov.lab.eos.switch import EosSwitch, create_switch
from lagprov.lab.lacp import resolve_links
from lagprov.model.inventory import Cable, SwitchDevice
from lagprov.model.types import LacpRate, Platform
from tests.lab.test_eos_support import HOST_MAC, SECRET, FakeFabric, enabled_cli, run

OLD_TRAIN = "DCS-7120T-4S"
NEW_TRAIN = ("DCS-7050SX-64", "DCS-7050SX3-48YC8", "DCS-7280SR-48C6", "DCS-720XP-48ZC2")
TIMEOUT_BIT = 0x02  # LACP port state bit 1: short timeout (fast rate), IEEE 802.1AX
MEMBER = ("interface Port-Channel10", "switchport mode trunk", "interface Ethernet1-2",
          "channel-group 10 mode active")
EXAMPLE = Path(__file__).resolve().parents[2] / "inventory"


def make(model: str) -> EosSwitch:
    device = SwitchDevice(name="eos-x", platform=Platform.ARISTA_EOS, hardware=model,
                          address="127.0.42.15")
    fabric = FakeFabric()
    switch = create_switch(device, HARDWARE[model], fabric)
    fabric.switch = switch
    return switch


def host_sees_fast(switch: EosSwitch) -> bool:
    """The host NIC's view of its partner (the switch's Ethernet1): the short-timeout bit of
    the partner state, what Linux prints in /proc/net/bonding ('details partner lacp pdu')."""
    cables = [Cable(a_device=switch.name, a_port=f"Ethernet{i + 1}", b_device="srv1",
                    b_port=f"eth{i}") for i in range(2)]
    fabric = FakeFabric()
    out = resolve_links({switch.name: switch.port_facts()}, {switch.name: switch.system_mac},
                        {"srv1": fabric.host_ports()}, {"srv1": HOST_MAC}, cables)
    partner = out[("srv1", "eth0")].partner
    assert partner is not None and partner.system_id == switch.system_mac
    return bool(partner.state & TIMEOUT_BIT)


def test_the_catalog_records_each_models_train() -> None:
    assert HARDWARE[OLD_TRAIN].lacp_rate_keyword == "rate"
    assert "old EOS train" in HARDWARE[OLD_TRAIN].lacp_rate_keyword_source
    for model in NEW_TRAIN:
        assert HARDWARE[model].lacp_rate_keyword == "timer", model
        assert "newer EOS syntax" in HARDWARE[model].lacp_rate_keyword_source, model
        assert "lacp_rate_cli" in HARDWARE[model].assumed, model  # the train is not confirmed
    # a model nobody described: the platform default, newer EOS
    assert hardware_of({}, "DCS-9999", Platform.ARISTA_EOS).lacp_rate_keyword == "timer"


@pytest.mark.parametrize("model", NEW_TRAIN)
def test_a_new_train_takes_lacp_timer_and_prints_it_back(model: str) -> None:
    switch = make(model)
    cli = enabled_cli(switch)
    assert run(cli, "configure terminal", *MEMBER, "lacp timer fast", "end") == ""
    text = switch.running_text()
    assert "interface Ethernet1\n   channel-group 10 mode active\n   lacp timer fast\n!\n" in text
    assert "lacp rate" not in text
    assert switch.port_facts()["Ethernet1"].rate is LacpRate.FAST
    assert host_sees_fast(switch)
    # 'normal' is the default: not printed, slow periodic
    assert run(cli, "configure", "interface Ethernet1", "lacp timer normal", "end") == ""
    assert "interface Ethernet1\n   channel-group 10 mode active\n!\n" in switch.running_text()
    assert switch.port_facts()["Ethernet1"].rate is LacpRate.SLOW
    assert switch.port_facts()["Ethernet2"].rate is LacpRate.FAST
    assert run(cli, "configure", "interface Ethernet2", "no lacp timer", "end") == ""
    assert "lacp timer" not in switch.running_text()
    assert switch.port_facts()["Ethernet2"].rate is LacpRate.SLOW
    assert not host_sees_fast(switch)


@pytest.mark.parametrize("line", ["lacp rate fast", "lacp rate normal", "no lacp rate"])
def test_a_new_train_refuses_lacp_rate(line: str) -> None:
    switch = make("DCS-7050SX3-48YC8")
    cli = enabled_cli(switch)
    run(cli, "configure", *MEMBER)
    before = switch.running_text()
    assert run(cli, line) == "% Invalid input\n"
    assert switch.running_text() == before


@pytest.mark.parametrize("line", ["lacp timer fast", "lacp timer normal", "no lacp timer"])
def test_the_old_train_refuses_lacp_timer(line: str) -> None:
    switch = make(OLD_TRAIN)
    cli = enabled_cli(switch)
    run(cli, "configure", *MEMBER)
    before = switch.running_text()
    assert run(cli, line) == "% Invalid input\n"
    assert switch.running_text() == before
    assert switch.port_facts()["Ethernet1"].rate is LacpRate.SLOW


def test_the_old_train_still_takes_lacp_rate() -> None:
    switch = make(OLD_TRAIN)
    cli = enabled_cli(switch)
    assert run(cli, "configure", *MEMBER, "lacp rate fast", "end") == ""
    assert "   channel-group 10 mode active\n   lacp rate fast\n" in switch.running_text()
    assert host_sees_fast(switch)


def test_abbreviated_timer_and_a_clean_session_keep_the_train() -> None:
    switch = make("DCS-7280SR-48C6")
    cli = enabled_cli(switch)
    assert run(cli, "configure session s1", "rollback clean-config", *MEMBER,
               "lacp ti f", "commit") == ""
    assert "   lacp timer fast\n" in switch.running_text()
    assert switch.port_facts()["Ethernet2"].rate is LacpRate.FAST


def test_eapi_configures_lacp_timer_and_returns_it_in_running_config() -> None:
    switch = make("DCS-7050SX3-48YC8")
    reply = run_cmds(switch, "lab", {"format": "json", "cmds": [
        {"cmd": "enable", "input": SECRET}, "configure", *MEMBER, "lacp timer fast", "end"]})
    assert reply is not None and "error" not in reply, reply
    shown = run_cmds(switch, "lab", {"format": "text", "cmds": [
        {"cmd": "enable", "input": SECRET}, "show running-config interfaces Ethernet1"]})
    assert shown is not None
    assert shown["result"][1]["output"] == (
        "interface Ethernet1\n   channel-group 10 mode active\n   lacp timer fast\n")
    refused = run_cmds(switch, "lab", {"format": "json", "cmds": [
        {"cmd": "enable", "input": SECRET}, "configure", "interface Ethernet1",
        "lacp rate fast"]})
    assert refused is not None
    assert refused["error"]["code"] == 1002
    assert refused["error"]["data"][-1] == {"errors": ["Invalid input"]}


def test_the_renderer_sends_what_the_lab_takes() -> None:
    """The example fabric: eos7120-1 (DCS-7120T-4S) gets 'lacp rate fast', the MLAG pair
    (DCS-7050SX-64) 'lacp timer fast' (vendor-cli.md 2.1)."""
    from lagprov.intent.load import load_inventory
    from lagprov.provision.render import render_device

    inv = load_inventory(EXAMPLE)
    old = render_device(inv, "eos7120-1").lines
    assert "   lacp rate fast" in old and not any("lacp timer" in line for line in old)
    for peer in ("eos7050-2a", "eos7050-2b"):
        lines = render_device(inv, peer).lines
        assert "   lacp timer fast" in lines, lines
        assert not any("lacp rate" in line for line in lines)
