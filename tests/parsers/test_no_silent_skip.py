"""No parser returns an empty or partial state for input it did not understand: one unknown
row fed to each switch parser raises ParseError naming the line (issue 9).

Each case is a minimal output written from the shape of a real capture (cited per case; the
captures are read in place under /work/shared/fixtures or in the public repository named) with
one row in a shape the parser does not know.  SMIS cases follow the modelled shapes of
docs/smis-outputs.md (no real capture exists).
"""

from __future__ import annotations

import pytest

from lagprov.errors import ParseError
from lagprov.model.types import Platform
from lagprov.observe.parsers import parse_command

IOS, EOS, JUNOS, SMIS = (
    Platform.CISCO_IOS, Platform.ARISTA_EOS, Platform.JUNIPER_JUNOS, Platform.SUPERMICRO_SMIS,
)

_IOS_LACP_HEAD = (
    "Flags:  S - Device is requesting Slow LACPDUs\n"
    "        F - Device is requesting Fast LACPDUs\n"
    "        A - Device is in Active mode       P - Device is in Passive mode\n\n"
)

# (id, platform, command, output, the unknown row's line number)
CASES = [
    # genieparser iosxe ShowEtherchannelSummary golden_output_3 (fixture 3_cat9k...): a table
    # row after a blank line (a paging artefact) used to fall into the trailer, unread.
    ("ios-summary", IOS, "show etherchannel summary",
     "Group  Port-channel  Protocol    Ports\n"
     "------+-------------+-----------+-----------------------------------------------\n"
     "3      Po3(SU)        LACP        Te2/0/1(P)      Te2/0/2(P)\n"
     "\n"
     "4      Po4(SU)        LACP        Te2/0/3(P)      Te2/0/4(P)\n", 5),
    # genieparser iosxe ShowEtherChannelDetail golden_output_1 (fixture show_etherchannel_detail)
    ("ios-detail", IOS, "show etherchannel detail",
     "Port: Twe1/0/13\n------------\n\n"
     "Port state    = Up Mstr Assoc In-Bndl \n"
     "Channel group = 1           Mode = Active          Gcchange = -\n"
     "Port-channel  = Po1         GC   =   -             Pseudo port-channel = Po1\n\n"
     "Local information:\n"
     "                                LACP port    Admin     Oper    Port        Port\n"
     "Port          Flags   State     Priority     Key       Key     Number      State\n"
     "Twe1/0/13     SA      bndl      200          0x1\n", 11),
    # genieparser iosxe ShowLacpNeighbor golden_output (fixture show_lacp_neighbor/1.txt)
    ("ios-lacp-neighbor", IOS, "show lacp neighbor",
     _IOS_LACP_HEAD + "Channel group 1 neighbors\n\n"
     "Port      Flags   Priority  Dev ID          Age    key    Key    Number  State\n"
     "Gi2       SA      32768     001e.49ff.a3e6  25s    0x0    0x1    0x1     0x3D\n"
     "Gi3       SA      32768     001e.49ff.a3e6\n", 9),
    # genieparser iosxe ShowLacpInternal golden_output (fixture show_lacp_internal/1.txt)
    ("ios-lacp-internal", IOS, "show lacp internal",
     _IOS_LACP_HEAD + "Channel group 1\n"
     "Port      Flags   State     Priority      Key       Key     Number      State\n"
     "Gi2       SA      bndl      32768         0x1       0x1     0x1         0x3D\n"
     "Gi3       SA      bndl\n", 8),
    # ntc-templates cisco_ios_show_interfaces5.raw (fixture show_interfaces/portchannel_...)
    ("ios-interfaces", IOS, "show interfaces",
     "Port-channel1 is up, line protocol is up \n"
     "  MTU 9216 bytes, BW 20000000 Kbit/sec, DLY 10 usec, \n"
     "TenGigabitEthernet0/0/0 is up line protocol is up\n"
     "  MTU 9216 bytes, BW 10000000 Kbit/sec, DLY 10 usec, \n", 3),
    ("ios-interfaces-mtu", IOS, "show interfaces",
     "Port-channel1 is up, line protocol is up \n"
     "  MTU 9216 bytes BW 20000000 Kbit/sec, DLY 10 usec, \n", 2),
    # genieparser iosxe ShowSystemMtu golden_output (fixture show_system_mtu/1.txt)
    ("ios-system-mtu", IOS, "show system mtu",
     "Global Ethernet MTU is 1500 bytes.\nSystem MTU for port Gi1/0/1 is 9000 bytes\n", 2),
    ("ios-sys-id", IOS, "show lacp sys-id",
     "32768, 2c6b.f575.8581\n 32768 2c6b.f575.8582\n", 2),
    # fixture show_running-config_interface/1_po_lacp_trunk.txt (IOL 'sh run int')
    ("ios-running-config", IOS, "show running-config",
     "interface Port-channel1\n switchport mode trunk\n!\n"
     "interface Ethernet0/0\n channel-group 1 mode desirable non-silent\n!\n", 5),
    # ntc-templates arista_eos_show_port-channel_summary.raw (fixture ..._summary/1.txt)
    ("eos-summary", EOS, "show port-channel summary",
     "   Port-Channel       Protocol     Ports\n"
     "------------------ --------------- --------------------------------\n"
     "   Po10(U)            LACP(a)      Et1(PG+) Et2(PG+)\n"
     "Po11 LACP Et3\n", 4),
    # fixture show_lacp_neighbor/1_veos.txt (vEOS 4.24)
    ("eos-lacp-neighbor", EOS, "show lacp neighbor",
     " Port    Status  | Sys-id                    Port#   State     OperKey  PortPri\n"
     "------ ----------|------------------------- ------- --------- --------- -------\n"
     "Port Channel Port-Channel3:\n"
     " Et3     Bundled | 8000,0c-1d-c0-f4-7b-39        3   ALGs+CD    0x0003    32768\n"
     " Et4     Bundled | 8000,0c-1d-c0-f4-7b-39\n", 5),
    # fixture show_port-channel_N_detailed/1.txt
    ("eos-port-channel", EOS, "show port-channel 5 detailed",
     "Port Channel Port-Channel5:\n"
     "  Active Ports:\n"
     "       Port                    Time Became Active       Protocol    Mode\n"
     "    --------------------- ------------------------- -------------- ------\n"
     "       Ethernet5               6/22/20, 3:36:15         LACP        Active\n"
     "Ethernet6 garbled row\n", 6),
    # ntc-templates arista_eos_show_interfaces.raw ("IP MTU 1500 bytes , BW ...")
    ("eos-interfaces", EOS, "show interfaces",
     "Ethernet1 is up, line protocol is up (connected)\n"
     "  Hardware is Ethernet, address is 0800.27dc.5443\n"
     "  IP MTU 1500 bytes; BW 10000000 kbit\n", 3),
    # fixture show_running-config/1_avd_port-channels.txt (AVD, EOS 3-space indentation)
    ("eos-running-config", EOS, "show running-config",
     "interface Port-Channel3\n   switchport mode trunk\n!\n"
     "interface Ethernet3\n   channel-group 3\n!\n", 5),
    # fixture juniper_junos/show_interfaces_ae0_extensive/1.txt (genieparser junos)
    ("junos-interfaces-extensive", JUNOS, "show interfaces ae0 extensive",
     "Physical interface: ae0, Enabled, Physical link is Up\n"
     "  Link-level type: Ethernet, MTU: 1514, Speed: 3Gbps\n"
     "    LACP info:        Role     System             System       Port     Port    Port \n"
     "                             priority         identifier   priority   number     key \n"
     "      ge-0/0/0.0     Actor        127  2c:6b:f5:ff:cf:97        127        1       1\n"
     "      ge-0/0/4.0     Actor        127  2c:6b:f5:ff:cf:97\n", 6),
    # ntc-templates juniper_junos_show_lacp_interfaces.raw (fixture show_lacp_interfaces/1.txt)
    ("junos-lacp-interfaces", JUNOS, "show lacp interfaces",
     "Aggregated interface: ae33\n"
     "    LACP state:       Role   Exp   Def  Dist  Col  Syn  Aggr  Timeout  Activity\n"
     "      xe-0/0/0:0     Actor    No    No   Yes  Yes  Yes   Yes     Fast    Active\n"
     "      xe-0/0/0:0   Partner    No    No   Yes\n", 4),
    # fixture juniper_junos/show_configuration_display_set/3_ex_passive_fast.txt
    ("junos-configuration-set", JUNOS, "show configuration | display set",
     "set interfaces ae0 aggregated-ether-options lacp active\n"
     "interfaces ae0 aggregated-ether-options lacp periodic slow\n", 2),
    # docs/smis-outputs.md (modelled)
    ("smis-summary", SMIS, "show etherchannel summary",
     "Port-channel Module Admin Status is enabled\n"
     "Group  Port-channel  Protocol  Ports\n"
     "------ ------------- --------- ----------------------------------------\n"
     "1      Po1(U)        LACP      Ex0/1(P), Ex0/2(P)\n"
     "Po2 Manual Ex0/7\n", 5),
    ("smis-interface-mtu", SMIS, "show interface mtu",
     "Port          MTU\n---------     -----\nEx0/1         9216\nEx0/2         jumbo\n", 4),
    # docs/smis-outputs.md (modelled)
    ("smis-detail", SMIS, "show etherchannel detail",
     "Port-channel: 1\n------------\nPort state = Port-channel Ag-Inuse\nProtocol = LACP\n\n"
     "Port : Ex0/1\n------------\nPort State = Up in Bundle\nChannel Group : 1\nMode : Active\n"
     "LACP Port Identifier = one\n", 11),
    ("smis-running-config", SMIS, "show running-config",
     "interface port-channel 1\n!\ninterface Ex 0/1\n channel-group 1\n!\n", 4),
]


@pytest.mark.parametrize(("platform", "command", "raw", "line"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_an_unknown_row_is_a_parse_error_naming_the_line(
        platform: Platform, command: str, raw: str, line: int) -> None:
    with pytest.raises(ParseError, match=rf"line {line}\b"):
        parse_command(platform, command, raw)
