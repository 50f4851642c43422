"""EOS ``show mlag`` / ``show mlag interfaces`` (lagprov.observe.parsers.arista_mlag).

The cases are written here in the shape of public captures, not copied: the inactive pair of
ntc-templates tests/arista_eos/show_mlag/arista_eos_show_mlag.raw (a 'MLAG Ports' section,
'peer-link status : Lowerlayerdown', an all-zero system-id) and the active vEOS 4.24 'show mlag
detail' of titom73/avd-to-containerlab containerlab/snapshots/EAPI-LEAF1B/report.md (extra
keys such as 'peer-config' and a 'MLAG Detailed Status' section)."""

from __future__ import annotations

import pytest

from lagprov.errors import ParseError
from lagprov.model.types import Platform
from lagprov.observe.parsers import parse_command

EOS = Platform.ARISTA_EOS

INACTIVE = """MLAG Configuration:
domain-id           :          pairDomain
local-interface     :            Vlan4094
peer-address        :            10.9.9.2
peer-link           :      Port-Channel99

MLAG Status:
state               :            Inactive
negotiation status  :          Connecting
peer-link status    :      Lowerlayerdown
local-int status    :                  Up
system-id           :   00:00:00:00:00:00

MLAG Ports:
Disabled            :                   0
Configured          :                   0
Inactive            :                   0
Active-partial      :                   0
Active-full         :                   0
"""

ACTIVE_DETAIL = """MLAG Configuration:
domain-id                          :            POD_7
local-interface                    :            Vlan4094
peer-address                       :        10.9.9.1
peer-link                          :       Port-Channel7
peer-config                        :          consistent

MLAG Status:
state                              :              Active
negotiation status                 :           Connected
peer-link status                   :                  Up
local-int status                   :                  Up
system-id                          :   0e:aa:bb:00:11:22
dual-primary detection             :            Disabled

MLAG Ports:
Active-full                        :                   2

MLAG Detailed Status:
State                           :              secondary
Peer MAC address                :      0c:aa:bb:00:11:22
"""

INTERFACES = """                                                                 local/remote
   mlag       desc             state       local       remote          status
---------- ------------ ----------------- ----------- ------------ ------------
     10       server a      active-full         Po10         Po10           up/up
     12                  active-partial         Po12            -         up/down
"""


def test_an_inactive_pair() -> None:
    m = parse_command(EOS, "show mlag", INACTIVE, device="leaf1").mlag
    assert m is not None
    assert (m.domain_id, m.peer_link, m.state, m.peer_link_status) == (
        "pairDomain", "Port-Channel99", "Inactive", "Lowerlayerdown")
    assert m.system_id is None  # all zeros: no shared id
    assert m.interfaces is None  # not read by this command


def test_an_active_pair_in_detail() -> None:
    m = parse_command(EOS, "show mlag detail", ACTIVE_DETAIL, device="leaf1").mlag
    assert m is not None
    assert (m.state, m.negotiation, m.peer_link_status, m.system_id, m.domain_id) == (
        "Active", "Connected", "Up", "0e:aa:bb:00:11:22", "POD_7")


def test_mlag_interfaces() -> None:
    m = parse_command(EOS, "show mlag interfaces", INTERFACES, device="leaf1").mlag
    assert m is not None and m.interfaces is not None
    ten, twelve = m.interfaces
    assert (ten.mlag_id, ten.state, ten.local, ten.remote, ten.status) == (
        10, "active-full", "Po10", "Po10", "up/up")
    assert (twelve.state, twelve.remote, twelve.status) == ("active-partial", None, "up/down")


def test_no_mlag_interface_is_an_empty_table_not_missing_data() -> None:
    header = "\n".join(INTERFACES.splitlines()[:3]) + "\n"
    m = parse_command(EOS, "show mlag interfaces", header, device="leaf1").mlag
    assert m is not None and m.interfaces == ()


@pytest.mark.parametrize(("command", "raw", "why"), [
    ("show mlag", INACTIVE.replace("state               :            Inactive\n", ""),
     "no 'state :'"),
    ("show mlag", INACTIVE + "something unexpected here\n", "not a 'key : value' line"),
    ("show mlag interfaces", INTERFACES + "     14   x   half-up   Po14  -  up/down\n",
     "not an MLAG interface row"),
    ("show mlag interfaces", INTERFACES.splitlines()[3] + "\n", "not an MLAG interface row"),
])
def test_what_it_does_not_understand_is_refused(command: str, raw: str, why: str) -> None:
    with pytest.raises(ParseError, match=why):
        parse_command(EOS, command, raw, device="leaf1")
