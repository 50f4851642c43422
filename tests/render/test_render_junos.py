"""Junos EX rendering rules of issue 8: LACP periodic, member unit cleanup, STP edge,
device-count notes (vendor-cli.md section 3.1)."""

from __future__ import annotations

from lagprov.model.intent import SwitchEnd, TrunkIntent
from lagprov.model.inventory import Inventory, SwitchDevice
from lagprov.model.types import LacpRate, Platform, SwitchMode
from lagprov.provision.render import render_device
from tests.render.cases import inventory, trunk

V = "juniper_junos"


def _lines(*trunks: TrunkIntent, remove: bool = False) -> tuple[str, ...]:
    return render_device(inventory(V, *trunks), "sw-junos", remove=remove).lines


def test_slow_rate_is_rendered_because_ex_defaults_to_fast() -> None:
    # Juniper 'periodic (EX Series)': "Default: fast" -> slow must be said
    lines = _lines(trunk(V, "lacp-active", lacp_rate=LacpRate.SLOW))
    assert "set interfaces ae10 aggregated-ether-options lacp periodic slow" in lines
    assert not any("periodic fast" in line for line in lines)


def test_a_member_loses_its_whole_unit_before_it_joins_the_ae() -> None:
    lines = list(_lines(trunk(V, "lacp-active")))
    for port in ("ge-0/0/10", "ge-0/0/11"):
        delete = f"delete interfaces {port} unit 0"
        assert delete in lines
        join = f"set interfaces {port} ether-options 802.3ad ae10"
        assert lines.index(delete) < lines.index(join)
        assert not any(line.startswith(f"delete interfaces {port} unit 0 ") for line in lines)


def test_stp_edge_on_a_host_bundle_and_on_independent_host_ports() -> None:
    lines = _lines(trunk(V, "lacp-active"), trunk(V, "independent", members=("ge-0/0/20",)))
    assert "set protocols rstp interface ae10 edge" in lines
    assert "set protocols rstp interface ge-0/0/20 edge" in lines
    assert not any(line.startswith("set protocols rstp interface ge-0/0/1") for line in lines)


def test_no_stp_edge_when_the_intent_turns_it_off() -> None:
    lines = _lines(trunk(V, "lacp-active", stp_edge=False))
    assert not any("rstp" in line for line in lines)


def test_no_stp_edge_on_a_switch_to_switch_trunk() -> None:
    near = SwitchEnd(device="sw-junos", platform=Platform.JUNIPER_JUNOS,
                     members=("ge-0/0/30", "ge-0/0/31"), mode=SwitchMode.LACP_ACTIVE, channel=3)
    far = SwitchEnd(device="sw-junos2", platform=Platform.JUNIPER_JUNOS,
                    members=("ge-0/0/30", "ge-0/0/31"), mode=SwitchMode.LACP_ACTIVE, channel=3)
    uplink = TrunkIntent(name="uplink", switch=(near,), peer=far)
    base = inventory(V)
    other = SwitchDevice(name="sw-junos2", platform=Platform.JUNIPER_JUNOS,
                         hardware="EX4300-48T", address="127.0.0.2")
    inv = Inventory(root=base.root, switches=(*base.switches, other), hosts=base.hosts,
                    trunks=(uplink,))
    for device in ("sw-junos", "sw-junos2"):
        assert not any("rstp" in line for line in render_device(inv, device).lines)


def test_remove_deletes_the_stp_edge_it_set() -> None:
    lines = _lines(trunk(V, "lacp-active"), remove=True)
    assert "delete protocols rstp interface ae10 edge" in lines


def test_render_says_device_count_only_raises() -> None:
    notes = render_device(inventory(V, trunk(V, "lacp-active")), "sw-junos").notes
    assert any("only raises" in n and "device-count 11" in n for n in notes), notes
