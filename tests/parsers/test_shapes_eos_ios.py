"""Shapes real fleets print that the parsers used to drop or misread (issue 9, "Parsers never
drop data quietly"): EOS administratively down members, EOS ``IP MTU 1500 bytes , BW``, the
older IOS ``show lacp internal`` layout.

Minimal cases written from the shape of public captures (read in place, not copied):
- ntc-templates tests/arista_eos/show_interfaces/arista_eos_show_interfaces4.raw
  ("Loopback0 is administratively down, line protocol is down (disabled)") and
  arista_eos_show_interfaces.raw ("IP MTU 1500 bytes , BW 10000000 kbit");
- genieparser src/genie/libs/parser/ios/tests/ShowLacpInternal/cli/equal/golden_output_output.txt
  (Catalyst 4500/6500 layout with 'LACPDUs Interval' and flags 'saC').
The EOS admin-down case is also read from the lab's own EOS (a lab capture).
"""

from __future__ import annotations

from lagprov.model.state import LacpActivity, MemberStatus
from lagprov.model.types import LacpRate, Platform, SwitchMode
from lagprov.observe.parsers import parse_command
from tests.lab.test_eos_support import LAG_LINES, enabled_cli, make_switch, run

EOS = Platform.ARISTA_EOS

_EOS_ADMIN_DOWN = """\
Ethernet1 is up, line protocol is up (connected)
  Hardware is Ethernet, address is 985d.82b8.fb26 (bia 985d.82b8.fb26)
  Member of Port-Channel1
  Ethernet MTU 9214 bytes, BW 10000000 kbit
  Full-duplex, 10Gb/s, auto negotiation: off, uni-link: n/a
Ethernet2 is administratively down, line protocol is down (disabled)
  Hardware is Ethernet, address is 985d.82b8.fb27 (bia 985d.82b8.fb27)
  Member of Port-Channel1
  Ethernet MTU 9214 bytes, BW 10000000 kbit
  Full-duplex, 10Gb/s, auto negotiation: off, uni-link: n/a
Port-Channel1 is up, line protocol is up (connected)
  Hardware is Port-Channel, address is 985d.82b8.fb26
  Ethernet MTU 9214 bytes, BW 10000000 kbit
"""


def test_eos_admin_down_member_stays_in_the_bundle_as_down() -> None:
    po1 = parse_command(EOS, "show interfaces", _EOS_ADMIN_DOWN).lag(1)
    assert po1 is not None
    assert [(m.name, m.link_up) for m in po1.members] == [
        ("Ethernet1", True), ("Ethernet2", False),
    ]


def test_eos_admin_down_member_from_the_lab_stays_in_every_view() -> None:
    switch, _ = make_switch()
    cli = enabled_cli(switch)
    run(cli, "configure", *LAG_LINES, "interface Ethernet2", "shutdown", "end")
    shown = parse_command(EOS, "show interfaces", run(cli, "show interfaces")).lag(10)
    assert shown is not None
    assert [(m.name, m.link_up) for m in shown.members] == [
        ("Ethernet1", True), ("Ethernet2", False),
    ]
    detailed = parse_command(EOS, "show port-channel 10 detailed",
                             run(cli, "show port-channel 10 detailed")).lag(10)
    assert detailed is not None
    assert [(m.name, m.status, m.link_up) for m in detailed.members] == [
        ("Ethernet1", MemberStatus.BUNDLED, True), ("Ethernet2", MemberStatus.DOWN, False),
    ]


_EOS_ROUTED = """\
Ethernet51 is up, line protocol is up (connected)
  Hardware is Ethernet, address is 0800.27dc.5443
  Internet address is 172.16.1.1/24
  Broadcast address is 255.255.255.255
  Address determined by manual configuration
  IP MTU 1500 bytes , BW 10000000 kbit
  Full-duplex, 10Gb/s, auto negotiation: off, uni-link: unknown
"""


def test_eos_ip_mtu_with_a_space_before_the_comma_keeps_its_speed() -> None:
    state = parse_command(EOS, "show interfaces", _EOS_ROUTED)
    assert [(p.name, p.mtu_ip, p.speed_mbps) for p in state.ports] == [
        ("Ethernet51", 1500, 10000),
    ]


_IOS_OLD_INTERNAL = """\
Flags:  S - Device is requesting Slow LACPDUs
        F - Device is requesting Fast LACPDUs
        A - Device is in Active mode       P - Device is in Passive mode

Channel group 1
                            LACPDUs     LACP Port    Admin   Oper    Port     Port
Port      Flags    State    Interval    Priority     Key     Key     Number   State
Fa4/1     saC      bndl     30s         32768        100     100     0xc1     0x75
Fa4/2     saC      bndl     30s         32768        100     100     0xc2     0x75
"""


def test_ios_lacp_internal_older_layout_with_lacpdus_interval() -> None:
    po1 = parse_command(Platform.CISCO_IOS, "show lacp internal", _IOS_OLD_INTERNAL).lag(1)
    assert po1 is not None
    assert [(m.name, m.status) for m in po1.members] == [
        ("FastEthernet4/1", MemberStatus.BUNDLED), ("FastEthernet4/2", MemberStatus.BUNDLED),
    ]
    actor = po1.members[0].actor
    assert actor is not None
    assert (actor.port, actor.key, actor.state) == (0xC1, 100, 0x75)
    assert (actor.activity, actor.rate) == (LacpActivity.ACTIVE, LacpRate.SLOW)
    assert (po1.mode, po1.lacp_rate) == (SwitchMode.LACP_ACTIVE, LacpRate.SLOW)


def test_ios_lowercase_flags_without_a_state_byte_still_decode() -> None:
    from lagprov.observe.parsers._common import decode_cisco_flags

    assert decode_cisco_flags("saC") == (LacpActivity.ACTIVE, LacpRate.SLOW)
    assert decode_cisco_flags("fp") == (LacpActivity.PASSIVE, LacpRate.FAST)
