"""The LACP engine: outcome tables for host x switch and switch x switch pairings."""

from __future__ import annotations

import pytest

from lagprov.lab.base import HostPortFacts, LagMode, LinkOutcome, PortFacts
from lagprov.lab.lacp import channel_up, resolve_links
from lagprov.model.inventory import Cable
from lagprov.model.state import MemberStatus as S
from lagprov.model.types import LacpRate

SW_MAC = "00:30:48:e3:70:a0"
SW2_MAC = "00:30:48:e3:70:b0"
HOST_MAC = "52:54:00:12:34:56"
HOST2_MAC = "52:54:00:65:43:21"

# (canonical team, lacp, static) per host bundling
TEAMS = {
    "lacp": ("802.3ad", True, False),
    "static": ("balance-xor", False, True),
    "independent": ("active-backup", False, False),
}
SWITCH_MODES = {
    "lacp-active": LagMode.ACTIVE,
    "lacp-passive": LagMode.PASSIVE,
    "static": LagMode.ON,
    "independent": None,
}


def sw_port(
    name: str, mode: LagMode | None, *, channel: int = 1, up: bool = True, **kw: object
) -> PortFacts:
    return PortFacts(
        port=name,
        admin_up=True,
        link_up=up,
        speed_mbps=10000,
        channel=channel if mode is not None else None,
        mode=mode,
        **kw,  # type: ignore[arg-type]
    )


def nic(
    name: str, bundling: str, *, up: bool = True, rate: LacpRate = LacpRate.SLOW
) -> HostPortFacts:
    team, lacp, static = TEAMS[bundling]
    return HostPortFacts(
        nic=name, link_up=up, speed_mbps=10000, team=team, lacp=lacp, static=static, rate=rate
    )


def host_pair(
    ports: list[PortFacts], nics: list[HostPortFacts], hosts: list[str] | None = None
) -> dict[tuple[str, str], LinkOutcome]:
    """Switch sw1 ports[i] cabled to nics[i] of host hosts[i] (default all on srv1)."""
    hosts = hosts or ["srv1"] * len(nics)
    host_ports: dict[str, dict[str, HostPortFacts]] = {}
    for h, n in zip(hosts, nics, strict=True):
        host_ports.setdefault(h, {})[n.nic] = n
    cables = [
        Cable(a_device="sw1", a_port=p.port, b_device=h, b_port=n.nic)
        for p, n, h in zip(ports, nics, hosts, strict=True)
    ]
    return resolve_links(
        {"sw1": {p.port: p for p in ports}},
        {"sw1": SW_MAC},
        host_ports,
        {"srv1": HOST_MAC, "srv2": HOST2_MAC},
        cables,
    )


# (host bundling, switch mode) -> (switch member status, host NIC status, switch has partner)
HOST_TABLE = {
    ("lacp", "lacp-active"): (S.BUNDLED, S.BUNDLED, True),
    ("lacp", "lacp-passive"): (S.BUNDLED, S.BUNDLED, True),
    ("lacp", "static"): (S.BUNDLED, S.INDIVIDUAL, False),
    ("lacp", "independent"): (S.INDIVIDUAL, S.INDIVIDUAL, False),
    ("static", "lacp-active"): (S.INDIVIDUAL, S.BUNDLED, False),
    ("static", "lacp-passive"): (S.INDIVIDUAL, S.BUNDLED, False),
    ("static", "static"): (S.BUNDLED, S.BUNDLED, False),
    ("static", "independent"): (S.INDIVIDUAL, S.BUNDLED, False),
    ("independent", "lacp-active"): (S.INDIVIDUAL, S.INDIVIDUAL, False),
    ("independent", "lacp-passive"): (S.INDIVIDUAL, S.INDIVIDUAL, False),
    ("independent", "static"): (S.BUNDLED, S.INDIVIDUAL, False),
    ("independent", "independent"): (S.INDIVIDUAL, S.INDIVIDUAL, False),
}


@pytest.mark.parametrize(("bundling", "mode"), sorted(HOST_TABLE))
def test_host_vs_switch_table(bundling: str, mode: str) -> None:
    want_sw, want_host, partnered = HOST_TABLE[(bundling, mode)]
    ports = [sw_port("Ex0/1", SWITCH_MODES[mode]), sw_port("Ex0/2", SWITCH_MODES[mode])]
    out = host_pair(ports, [nic("eth0", bundling), nic("eth1", bundling)])
    for sp, hn in (("Ex0/1", "eth0"), ("Ex0/2", "eth1")):
        assert out[("sw1", sp)].status is want_sw
        assert out[("srv1", hn)].status is want_host
        assert (out[("sw1", sp)].partner is not None) is partnered
        assert (out[("srv1", hn)].partner is not None) is partnered


def test_healthy_lacp_carries_partner_identity_and_state_bytes() -> None:
    ports = [
        sw_port("Ex0/1", LagMode.ACTIVE, channel=7),
        sw_port("Ex0/2", LagMode.ACTIVE, channel=7),
    ]
    out = host_pair(ports, [nic("eth0", "lacp"), nic("eth1", "lacp", rate=LacpRate.FAST)])
    sw = out[("sw1", "Ex0/2")]
    assert sw.actor_state == 0x3D and sw.actor_port == 2 and sw.actor_key == 7
    assert sw.partner is not None
    assert sw.partner.system_id == HOST_MAC
    assert (sw.partner.system_priority, sw.partner.port_priority) == (65535, 255)
    assert (sw.partner.port, sw.partner.key, sw.partner.state) == (2, 13, 0x3F)
    host = out[("srv1", "eth0")]
    assert host.actor_state == 61 and host.actor_key == 13 and host.actor_port == 1
    assert host.partner is not None
    assert (host.partner.system_id, host.partner.system_priority) == (SW_MAC, 32768)
    assert (host.partner.port, host.partner.key, host.partner.state) == (1, 7, 0x3D)


def test_passive_switch_against_active_host_state_byte() -> None:
    out = host_pair([sw_port("Ex0/1", LagMode.PASSIVE)], [nic("eth0", "lacp")])
    assert out[("sw1", "Ex0/1")].actor_state == 0x3C
    partner = out[("srv1", "eth0")].partner
    assert partner is not None and partner.state == 0x3C


def test_lacp_without_partner_reason_and_defaulted_bit() -> None:
    out = host_pair([sw_port("Ex0/1", LagMode.ACTIVE)], [nic("eth0", "static")])
    sw = out[("sw1", "Ex0/1")]
    assert sw.actor_state == 0x45  # active, aggregatable, defaulted
    assert "static" in sw.reason
    assert "LACP" in out[("srv1", "eth0")].reason


def test_static_switch_flags_independent_host() -> None:
    out = host_pair([sw_port("Ex0/1", LagMode.ON)], [nic("eth0", "independent")])
    sw = out[("sw1", "Ex0/1")]
    assert sw.status is S.BUNDLED and sw.actor_state == 0 and "not a channel" in sw.reason


def switch_pair(
    a: LagMode | None, b: LagMode | None, n: int = 2
) -> dict[tuple[str, str], LinkOutcome]:
    left = {f"Gi1/0/{i}": sw_port(f"Gi1/0/{i}", a, channel=1) for i in range(1, n + 1)}
    right = {f"Ethernet{i}": sw_port(f"Ethernet{i}", b, channel=5) for i in range(1, n + 1)}
    cables = [
        Cable(a_device="ios1", a_port=f"Gi1/0/{i}", b_device="eos1", b_port=f"Ethernet{i}")
        for i in range(1, n + 1)
    ]
    return resolve_links(
        {"ios1": left, "eos1": right}, {"ios1": SW_MAC, "eos1": SW2_MAC}, {}, {}, cables
    )


SWITCH_TABLE = {
    (LagMode.ACTIVE, LagMode.ACTIVE): (S.BUNDLED, S.BUNDLED),
    (LagMode.ACTIVE, LagMode.PASSIVE): (S.BUNDLED, S.BUNDLED),
    (LagMode.PASSIVE, LagMode.PASSIVE): (S.WAITING, S.WAITING),
    (LagMode.ACTIVE, LagMode.ON): (S.INDIVIDUAL, S.BUNDLED),
    (LagMode.PASSIVE, LagMode.ON): (S.INDIVIDUAL, S.BUNDLED),
    (LagMode.ON, LagMode.ON): (S.BUNDLED, S.BUNDLED),
    (LagMode.ACTIVE, None): (S.INDIVIDUAL, S.INDIVIDUAL),
}


@pytest.mark.parametrize(("a", "b"), list(SWITCH_TABLE))
def test_switch_to_switch_table(a: LagMode, b: LagMode | None) -> None:
    want_a, want_b = SWITCH_TABLE[(a, b)]
    out = switch_pair(a, b)
    assert out[("ios1", "Gi1/0/2")].status is want_a
    assert out[("eos1", "Ethernet2")].status is want_b
    # symmetric when the roles are swapped
    if b is not None:
        swapped = switch_pair(b, a)
        assert swapped[("ios1", "Gi1/0/1")].status is want_b
        assert swapped[("eos1", "Ethernet1")].status is want_a


def test_passive_passive_has_no_partner() -> None:
    out = switch_pair(LagMode.PASSIVE, LagMode.PASSIVE)
    o = out[("ios1", "Gi1/0/1")]
    assert o.partner is None and "passive" in o.reason and o.actor_state == 0x44


def test_link_down_and_uncabled() -> None:
    ports = [sw_port("Ex0/1", LagMode.ACTIVE), sw_port("Ex0/2", LagMode.ACTIVE, up=False)]
    extra = sw_port("Ex0/3", LagMode.ACTIVE)
    out = resolve_links(
        {"sw1": {p.port: p for p in [*ports, extra]}},
        {"sw1": SW_MAC},
        {"srv1": {"eth0": nic("eth0", "lacp"), "eth1": nic("eth1", "lacp")}},
        {"srv1": HOST_MAC},
        [
            Cable(a_device="sw1", a_port="Ex0/1", b_device="srv1", b_port="eth0"),
            Cable(a_device="srv1", a_port="eth1", b_device="sw1", b_port="Ex0/2"),
        ],
    )
    assert out[("sw1", "Ex0/1")].status is S.BUNDLED
    assert out[("sw1", "Ex0/2")].status is S.DOWN
    assert (
        out[("srv1", "eth1")].status is S.DOWN and out[("srv1", "eth1")].reason == "peer link down"
    )
    assert out[("sw1", "Ex0/3")].status is S.DOWN and out[("sw1", "Ex0/3")].reason == "not cabled"


def test_admin_down_is_down_on_both_ends() -> None:
    p = PortFacts(
        port="Ex0/1", admin_up=False, link_up=True, speed_mbps=10000, channel=1, mode=LagMode.ACTIVE
    )
    out = host_pair([p], [nic("eth0", "lacp")])
    assert out[("sw1", "Ex0/1")].status is S.DOWN
    assert out[("srv1", "eth0")].status is S.DOWN


def test_mtu_mismatch_suspends_member_and_peer_waits() -> None:
    ports = [
        sw_port("Ex0/1", LagMode.ACTIVE, mtu_ip=9216, channel_mtu_ip=9216),
        sw_port("Ex0/2", LagMode.ACTIVE, mtu_ip=1500, channel_mtu_ip=9216),
    ]
    out = host_pair(ports, [nic("eth0", "lacp"), nic("eth1", "lacp")])
    assert out[("sw1", "Ex0/1")].status is S.BUNDLED
    bad = out[("sw1", "Ex0/2")]
    assert bad.status is S.SUSPENDED and bad.reason == "MTU mismatch"
    host = out[("srv1", "eth1")]
    assert host.status is S.WAITING and "MTU mismatch" in host.reason
    assert host.partner is not None and host.partner.state & 0x08 == 0  # partner not in sync


def test_mtu_mismatch_on_static_member() -> None:
    ports = [sw_port("Ex0/1", LagMode.ON, mtu_ip=1500, channel_mtu_ip=9000)]
    out = host_pair(ports, [nic("eth0", "static")])
    assert out[("sw1", "Ex0/1")].status is S.SUSPENDED
    assert out[("srv1", "eth0")].status is S.BUNDLED  # the static host cannot know


def test_cabled_to_two_hosts_partner_mismatch() -> None:
    ports = [sw_port(f"Ex0/{i}", LagMode.ACTIVE) for i in (1, 2, 3)]
    nics = [nic("eth0", "lacp"), nic("eth1", "lacp"), nic("eth0", "lacp")]
    out = host_pair(ports, nics, hosts=["srv1", "srv1", "srv2"])
    assert out[("sw1", "Ex0/1")].status is S.BUNDLED
    assert out[("sw1", "Ex0/2")].status is S.BUNDLED
    assert out[("sw1", "Ex0/3")].status is S.SUSPENDED
    assert out[("sw1", "Ex0/3")].reason == "partner mismatch"
    assert out[("srv2", "eth0")].status is S.WAITING


def test_host_nics_to_two_channels_partner_mismatch_on_host() -> None:
    ports = [
        sw_port("Ex0/1", LagMode.ACTIVE, channel=1),
        sw_port("Ex0/2", LagMode.ACTIVE, channel=2),
    ]
    out = host_pair(ports, [nic("eth0", "lacp"), nic("eth1", "lacp")])
    assert out[("srv1", "eth0")].status is S.BUNDLED
    assert out[("srv1", "eth1")].status is S.SUSPENDED
    assert out[("sw1", "Ex0/2")].status is S.WAITING


def test_min_links_not_met_keeps_members_but_channel_down() -> None:
    ports = [
        sw_port("Ex0/1", LagMode.ACTIVE, min_links=2),
        sw_port("Ex0/2", LagMode.ACTIVE, min_links=2, up=False),
    ]
    out = host_pair(ports, [nic("eth0", "lacp"), nic("eth1", "lacp")])
    assert out[("sw1", "Ex0/1")].status is S.BUNDLED
    assert "min-links not met (1 of 2)" in out[("sw1", "Ex0/1")].reason
    members = [out[("sw1", "Ex0/1")], out[("sw1", "Ex0/2")]]
    assert not channel_up(members, 2)
    assert channel_up(members, None)


def test_more_than_eight_members_hot_standby() -> None:
    out = switch_pair(LagMode.ACTIVE, LagMode.ACTIVE, n=10)
    statuses = [out[("ios1", f"Gi1/0/{i}")].status for i in range(1, 11)]
    assert statuses == [S.BUNDLED] * 8 + [S.HOT_STANDBY] * 2
    assert out[("eos1", "Ethernet10")].status is S.HOT_STANDBY
    assert out[("ios1", "Gi1/0/9")].actor_state == 0x0D  # sync, not collecting/distributing
