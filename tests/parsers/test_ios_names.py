"""IOS-XE interface spellings as the device prints them, one canonical spelling everywhere
(issue 9, "Parsers never drop data quietly").

The minimal outputs below are written from the shapes of real captures (read in place, not
copied): genieparser iosxe ShowEtherchannelSummary golden_output_3 (``Fi1/0/5(D)`` on a
Catalyst 9k stack, ``/work/shared/fixtures/cisco_ios/show_etherchannel_summary/
3_cat9k_static_suspended.txt``), ShowLacpNeighbor / ShowLacpInternal golden_output (the
``Port Flags ...`` tables), ShowEtherChannelDetail golden_output_1 (``TwentyFiveGigE1/0/13``),
ntc-templates cisco_ios_show_interfaces5.raw (``Member 0 : TenGigabitEthernet0/0/0 ,``).
"""

from __future__ import annotations

import pytest

from lagprov.knowledge.platforms import canonical_port
from lagprov.model.types import Platform
from lagprov.observe.parsers import parse_command

IOS = Platform.CISCO_IOS

# (as typed or printed, the spelling IOS-XE prints)
SPELLINGS = [
    ("TwoGigabitEthernet1/0/1", "TwoGigabitEthernet1/0/1"),
    ("Tw1/0/1", "TwoGigabitEthernet1/0/1"),
    ("FiveGigabitEthernet1/0/5", "FiveGigabitEthernet1/0/5"),
    ("Fi1/0/5", "FiveGigabitEthernet1/0/5"),  # a Catalyst front panel: 5G mGig, not 50G
    ("TwentyFiveGigE1/1/1", "TwentyFiveGigE1/1/1"),
    ("Twe1/1/1", "TwentyFiveGigE1/1/1"),
    ("TwentyFiveGigabitEthernet1/1/1", "TwentyFiveGigE1/1/1"),
    ("FortyGigabitEthernet1/1/1", "FortyGigabitEthernet1/1/1"),
    ("Fo1/1/1", "FortyGigabitEthernet1/1/1"),
    ("FiftyGigE1/0/1", "FiftyGigE1/0/1"),
    ("FiftyGigabitEthernet1/0/1", "FiftyGigE1/0/1"),  # netutils' expansion
    ("HundredGigE1/0/49", "HundredGigE1/0/49"),
    ("Hu1/0/49", "HundredGigE1/0/49"),
    ("HundredGigabitEthernet1/0/49", "HundredGigE1/0/49"),  # netutils' expansion
    ("TwoHundredGigE1/0/1", "TwoHundredGigE1/0/1"),
    ("FourHundredGigE1/0/1", "FourHundredGigE1/0/1"),
    ("AppGigabitEthernet1/0/1", "AppGigabitEthernet1/0/1"),
    ("Ap1/0/1", "AppGigabitEthernet1/0/1"),
    ("Gi1/0/7", "GigabitEthernet1/0/7"),
    ("Te1/1/4", "TenGigabitEthernet1/1/4"),
]


@pytest.mark.parametrize(("given", "canon"), SPELLINGS)
def test_canonical_port_is_the_spelling_ios_xe_prints(given: str, canon: str) -> None:
    assert canonical_port(IOS, given) == canon
    assert canonical_port(IOS, canon) == canon  # idempotent


_SUMMARY = """\
Flags:  D - down        P - bundled in port-channel
        I - stand-alone s - suspended

Group  Port-channel  Protocol    Ports
------+-------------+-----------+-----------------------------------------------
4      Po4(RU)        LACP        Fi1/0/5(P)      Tw1/0/6(P)
                                  Twe1/1/1(P)     Fo1/1/2(D)
                                  Hu1/0/49(P)     Ap1/0/1(s)
"""


def test_etherchannel_summary_member_list_keeps_every_spelling() -> None:
    po4 = parse_command(IOS, "show etherchannel summary", _SUMMARY).lag(4)
    assert po4 is not None
    assert [m.name for m in po4.members] == [
        "FiveGigabitEthernet1/0/5", "TwoGigabitEthernet1/0/6", "TwentyFiveGigE1/1/1",
        "FortyGigabitEthernet1/1/2", "HundredGigE1/0/49", "AppGigabitEthernet1/0/1",
    ]


_NEIGHBOR = """\
Flags:  S - Device is requesting Slow LACPDUs
        F - Device is requesting Fast LACPDUs
        A - Device is in Active mode       P - Device is in Passive mode

Channel group 1 neighbors

                  LACP port                        Admin  Oper   Port    Port
Port      Flags   Priority  Dev ID          Age    key    Key    Number  State
Fi1/0/5   SA      32768     001e.49ff.a3e6  25s    0x0    0x1    0x1     0x3D
Hu1/0/49  SA      32768     001e.49ff.a3e6  19s    0x0    0x1    0x2     0x3D
"""

_INTERNAL = """\
Flags:  S - Device is requesting Slow LACPDUs
        F - Device is requesting Fast LACPDUs
        A - Device is in Active mode       P - Device is in Passive mode

Channel group 1
                            LACP port     Admin     Oper    Port        Port
Port      Flags   State     Priority      Key       Key     Number      State
Twe1/1/1  SA      bndl      32768         0x1       0x1     0x1         0x3D
Fo1/1/2   SA      bndl      32768         0x1       0x1     0x2         0x3D
"""


def test_lacp_neighbor_and_internal_keep_every_spelling() -> None:
    nb = parse_command(IOS, "show lacp neighbor", _NEIGHBOR).lag(1)
    internal = parse_command(IOS, "show lacp internal", _INTERNAL).lag(1)
    assert nb is not None and internal is not None
    assert [m.name for m in nb.members] == ["FiveGigabitEthernet1/0/5", "HundredGigE1/0/49"]
    assert [m.name for m in internal.members] == [
        "TwentyFiveGigE1/1/1", "FortyGigabitEthernet1/1/2",
    ]


_INTERFACES = """\
FiveGigabitEthernet1/0/5 is up, line protocol is up (connected)
  Hardware is Five Gigabit Ethernet, address is 00a5.bf9c.2a05 (bia 00a5.bf9c.2a05)
  MTU 9000 bytes, BW 5000000 Kbit/sec, DLY 10 usec,
HundredGigE1/0/49 is up, line protocol is up (connected)
  MTU 9000 bytes, BW 100000000 Kbit/sec, DLY 10 usec,
Port-channel4 is up, line protocol is up (connected)
  MTU 9000 bytes, BW 105000000 Kbit/sec, DLY 10 usec,
  Members in this channel: Fi1/0/5 Hu1/0/49
"""


def test_show_interfaces_keeps_every_spelling() -> None:
    state = parse_command(IOS, "show interfaces", _INTERFACES)
    assert [(p.name, p.speed_mbps) for p in state.ports] == [
        ("FiveGigabitEthernet1/0/5", 5000), ("HundredGigE1/0/49", 100000),
    ]
    po4 = state.lag(4)
    assert po4 is not None
    assert [m.name for m in po4.members] == ["FiveGigabitEthernet1/0/5", "HundredGigE1/0/49"]


_RUNNING = """\
interface Port-channel4
 switchport mode trunk
!
interface FiveGigabitEthernet1/0/5
 channel-group 4 mode active
!
interface HundredGigE1/0/49
 channel-group 4 mode active
!
interface TwoGigabitEthernet1/0/6
 description mpio-a
 mtu 9000
!
"""


def test_running_config_keeps_every_spelling() -> None:
    state = parse_command(IOS, "show running-config", _RUNNING)
    po4 = state.lag(4)
    assert po4 is not None
    assert [m.name for m in po4.members] == ["FiveGigabitEthernet1/0/5", "HundredGigE1/0/49"]
    assert [p.name for p in state.ports] == ["TwoGigabitEthernet1/0/6"]
