"""Independent ports read from the running configuration (IOS, EOS, SMIS share the fold).

MPIO paths and the ports of switch-independent teams are verified port by port
(``independent-ports``): their VLANs, MTU and description come from the configuration.
"""

from __future__ import annotations

from lagprov.model.intent import Access, Trunk8021q
from lagprov.model.types import Platform
from lagprov.observe.parsers import parse_command

SMIS = """\
interface port-channel 1
 mtu 9216
 switchport mode access
 switchport access vlan 100
!
interface Ex 0/1
 mtu 9216
 channel-group 1 mode active
!
interface Ex 0/5
 description "win-iscsi01-path-a"
 mtu 9216
 switchport mode access
 switchport access vlan 100
!
interface Ex 0/6
!
interface vlan 1
 description "mgmt"
!
"""

IOS = """\
interface Port-channel1
 switchport mode trunk
 switchport trunk allowed vlan 10,20
!
interface GigabitEthernet1/0/1
 channel-group 1 mode active
!
interface GigabitEthernet1/0/7
 description hv02-nic1
 switchport mode trunk
 switchport trunk allowed vlan 10,20-22
 switchport trunk native vlan 10
!
interface Vlan10
 description svi
!
interface Loopback0
 description router-id
!
"""

EOS = """\
interface Ethernet7
   description esx02-vmnic2
   mtu 9214
   switchport access vlan 30
!
interface Management1
   description oob_management
!
"""


def test_smis_independent_port_has_its_vlan_mtu_and_description() -> None:
    state = parse_command(Platform.SUPERMICRO_SMIS, "show running-config", SMIS, device="sw")
    assert [p.name for p in state.ports] == ["Ex 0/5"]  # not the member, nor the empty block
    port = state.ports[0]
    assert port.l2 == Access(vlan=100)
    assert port.description == "win-iscsi01-path-a"
    assert port.mtu_ip is not None and port.mtu_ip < 9216  # SMIS read as a frame size
    assert [m.name for m in state.lags[0].members] == ["Ex 0/1"]


def test_ios_svis_and_loopbacks_are_not_ports() -> None:
    state = parse_command(Platform.CISCO_IOS, "show running-config", IOS, device="sw")
    assert [p.name for p in state.ports] == ["GigabitEthernet1/0/7"]
    assert state.ports[0].l2 == Trunk8021q(vlans=(10, 20, 21, 22), native_vlan=10)
    assert state.ports[0].description == "hv02-nic1"


def test_eos_port_without_mode_is_access_and_management_is_not_a_port() -> None:
    state = parse_command(Platform.ARISTA_EOS, "show running-config", EOS, device="sw")
    assert [(p.name, p.l2, p.mtu_ip) for p in state.ports] == [
        ("Ethernet7", Access(vlan=30), 9214)]
