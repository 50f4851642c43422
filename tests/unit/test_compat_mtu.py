"""The mode-compatibility table and MTU normalisation (vendor-cli.md 0.1 and 0.3)."""

from __future__ import annotations

import pytest

from lagprov.knowledge.compat import Pairing, canonical_team, pair_outcome, switch_bundling
from lagprov.knowledge.mtu import host_ip_mtu, switch_ip_mtu
from lagprov.model.types import Bundling, HostOs, Platform, SwitchMode


@pytest.mark.parametrize(
    ("os", "team", "canonical", "bundling"),
    [
        (HostOs.LINUX, "4", "802.3ad", Bundling.LACP),
        (HostOs.LINUX, "balance-rr", "balance-rr", Bundling.STATIC),
        (HostOs.LINUX, "2", "balance-xor", Bundling.STATIC),
        (HostOs.LINUX, "broadcast", "broadcast", Bundling.STATIC),
        (HostOs.LINUX, "active-backup", "active-backup", Bundling.INDEPENDENT),
        (HostOs.LINUX, "6", "balance-alb", Bundling.INDEPENDENT),
        (HostOs.WINDOWS, "LACP", "Lacp", Bundling.LACP),
        (HostOs.WINDOWS, "static", "Static", Bundling.STATIC),
        (HostOs.WINDOWS, "SwitchIndependent", "SwitchIndependent", Bundling.INDEPENDENT),
        (HostOs.WINDOWS, "SET", "SET", Bundling.INDEPENDENT),
        (HostOs.VMWARE, "ip-hash", "iphash", Bundling.STATIC),
        (HostOs.VMWARE, "portid", "portid", Bundling.INDEPENDENT),
        (HostOs.VMWARE, "lacp", "lacp", Bundling.LACP),
        (HostOs.STORAGE, "lacp", "lacp", Bundling.LACP),
    ],
)
def test_team_vocabulary(os: HostOs, team: str, canonical: str, bundling: Bundling) -> None:
    mode = canonical_team(os, team)
    assert (mode.canonical, mode.bundling) == (canonical, bundling)


def test_unknown_team_lists_choices() -> None:
    with pytest.raises(ValueError, match=r"802\.3ad"):
        canonical_team(HostOs.LINUX, "9")


@pytest.mark.parametrize(
    ("host", "switch", "expected"),
    [
        (Bundling.LACP, SwitchMode.LACP_ACTIVE, Pairing.OK),
        (Bundling.LACP, SwitchMode.LACP_PASSIVE, Pairing.OK),  # host LACP is active
        (Bundling.LACP, SwitchMode.STATIC, Pairing.LACP_VS_STATIC),
        (Bundling.LACP, SwitchMode.INDEPENDENT, Pairing.LACP_VS_INDEPENDENT),
        (Bundling.STATIC, SwitchMode.STATIC, Pairing.OK),
        (Bundling.STATIC, SwitchMode.LACP_ACTIVE, Pairing.LACP_VS_STATIC),
        (Bundling.INDEPENDENT, SwitchMode.STATIC, Pairing.STATIC_VS_INDEPENDENT),
        (Bundling.INDEPENDENT, SwitchMode.LACP_ACTIVE, Pairing.LACP_VS_INDEPENDENT),
        (Bundling.INDEPENDENT, SwitchMode.INDEPENDENT, Pairing.OK),
    ],
)
def test_host_switch_pairing(host: Bundling, switch: SwitchMode, expected: Pairing) -> None:
    assert pair_outcome(host, switch_bundling(switch),
                        b_active=switch is not SwitchMode.LACP_PASSIVE) is expected


def test_passive_passive_never_forms() -> None:
    assert pair_outcome(Bundling.LACP, Bundling.LACP, a_active=False, b_active=False) is (
        Pairing.PASSIVE_PASSIVE
    )


@pytest.mark.parametrize(
    ("platform", "value", "tagged", "ip"),
    [
        (Platform.JUNIPER_JUNOS, 9216, False, 9202),
        (Platform.JUNIPER_JUNOS, 9216, True, 9202),  # the tag is not counted (knowledge.mtu)
        (Platform.JUNIPER_JUNOS, 1514, False, 1500),
        (Platform.CISCO_IOS, 9000, False, 9000),
        (Platform.CISCO_IOS, 9198, True, 9198),
        (Platform.ARISTA_EOS, 9214, True, 9214),
    ],
)
def test_switch_mtu_to_ip(platform: Platform, value: int, tagged: bool, ip: int) -> None:
    assert switch_ip_mtu(platform, value, tagged=tagged) == ip


def test_windows_jumbo_packet_counts_the_header() -> None:
    assert host_ip_mtu(HostOs.WINDOWS, 9014) == 9000
    assert host_ip_mtu(HostOs.LINUX, 9000) == 9000
