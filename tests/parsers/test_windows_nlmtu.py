"""Get-NetIPInterface NlMtu in the Windows read (issue 11): the IP MTU where Jumbo Packet is
not reported.  Shapes: ``Select-Object InterfaceAlias,NlMtu | ConvertTo-Json`` as Windows
PowerShell 5.1 prints objects (modelled, no real capture; vendor-cli.md 5.1)."""

from __future__ import annotations

import pytest

from lagprov.errors import ParseError
from lagprov.observe.parsers.hosts_windows import parse_windows_host, parse_windows_nlmtu

ADAPTERS = ('[{"Name": "iSCSI-A", "Status": "Up", "LinkSpeed": "10 Gbps"},'
            ' {"Name": "iSCSI-B", "Status": "Up", "LinkSpeed": "10 Gbps"}]')
NICS = ("iSCSI-A", "iSCSI-B")


def test_nlmtu_gives_the_members_ip_mtu_without_jumbo_packet() -> None:
    state = parse_windows_host(
        "w", team="[]", members="[]", jumbo="[]", adapters=ADAPTERS, nics=NICS,
        ip_interfaces='[{"InterfaceAlias": "iSCSI-A", "NlMtu": 9000},'
                      ' {"InterfaceAlias": "iSCSI-B", "NlMtu": 9000}]')
    assert state is not None
    assert [m.mtu_ip for m in state.members] == [9000, 9000]
    assert state.mtu_ip == 9000


def test_jumbo_packet_wins_over_nlmtu() -> None:
    jumbo = ('[{"Name": "iSCSI-A", "RegistryValue": ["9014"]},'
             ' {"Name": "iSCSI-B", "RegistryValue": ["9014"]}]')
    state = parse_windows_host(
        "w", team="[]", members="[]", jumbo=jumbo, adapters=ADAPTERS, nics=NICS,
        ip_interfaces='{"InterfaceAlias": "iSCSI-A", "NlMtu": 1500}')
    assert state is not None and [m.mtu_ip for m in state.members] == [9000, 9000]


def test_lbfo_team_interface_mtu() -> None:
    team = ('{"Name": "Team1", "TeamingMode": "Lacp", "LacpTimer": "Fast", '
            '"Status": "Up", "Members": ["NIC1", "NIC2"]}')
    state = parse_windows_host("w", team=team, members=None, jumbo=None, adapters=None,
                               nics=("NIC1", "NIC2"), bond="Team1",
                               ip_interfaces='{"InterfaceAlias": "Team1", "NlMtu": 9000}')
    assert state is not None and state.mtu_ip == 9000
    assert [m.mtu_ip for m in state.members] == [None, None]  # members carry no IP


@pytest.mark.parametrize("raw", ['{"InterfaceAlias": "A"}', '{"InterfaceAlias": "A", '
                                 '"NlMtu": "9000"}', '"x"'])
def test_unreadable_rows_raise(raw: str) -> None:
    with pytest.raises(ParseError):
        parse_windows_nlmtu(raw)
