"""Small host inventories for the host-render tests: one host per OS, one trunk per team mode.

Every case is a jumbo trunk carrying VLANs 10 (untagged) and 20 (tagged) on two NICs, against
a switch end that bundles as the team needs (LACP: an EOS port-channel, fast, min-links 1), so
a golden file reads as "what this team mode looks like in this host format".
"""

from __future__ import annotations

from lagprov.knowledge.compat import TEAM_MODES
from lagprov.knowledge.mtu import HOST_MTU, JUMBO_IP_MTU
from lagprov.model.intent import HostEnd, SwitchEnd, Trunk8021q, TrunkIntent
from lagprov.model.inventory import HostDevice, Inventory, SwitchDevice
from lagprov.model.types import Bundling, HostOs, LacpRate, Platform, SwitchMode

SWITCH = SwitchDevice(name="sw-eos", platform=Platform.ARISTA_EOS, hardware="DCS-7120T-4S",
                      address="127.0.0.1")
# os -> (host device, team name, NICs)
HOSTS: dict[HostOs, tuple[str, str, tuple[str, str]]] = {
    HostOs.LINUX: ("srv-lnx", "bond0", ("eno1", "eno2")),
    HostOs.WINDOWS: ("srv-win", "Team1", ("NIC1", "NIC2")),
    HostOs.VMWARE: ("srv-esx", "vSwitch1", ("vmnic0", "vmnic1")),
    HostOs.STORAGE: ("array01", "TG1", ("LAN0", "LAN1")),
}

_SWITCH_MODE = {Bundling.LACP: SwitchMode.LACP_ACTIVE, Bundling.STATIC: SwitchMode.STATIC,
                Bundling.INDEPENDENT: SwitchMode.INDEPENDENT}

CASES: list[tuple[HostOs, str]] = [(os, m.canonical) for os in HOSTS for m in TEAM_MODES[os]]


def host_trunk(os: HostOs, team: str) -> TrunkIntent:
    device, name, nics = HOSTS[os]
    mode = next(m for m in TEAM_MODES[os] if m.canonical == team)
    sw_mode = _SWITCH_MODE[mode.bundling]
    lacp = mode.bundling is Bundling.LACP
    return TrunkIntent(
        name=f"{device}-{team}".replace(".", "-"),
        jumbo=True,
        switch=(SwitchEnd(
            device=SWITCH.name, platform=Platform.ARISTA_EOS, members=("Ethernet1", "Ethernet2"),
            mode=sw_mode, channel=10 if sw_mode.is_lag else None,
            lacp_rate=LacpRate.FAST if lacp else None, min_links=1 if lacp else None,
            mtu=9214, l2=Trunk8021q(vlans=(10, 20), native_vlan=10)),),
        host=HostEnd(
            device=device, os=os, team=team, bundling=mode.bundling,
            name=None if team == "none" else name, nics=nics,
            mtu=HOST_MTU[os].from_ip(JUMBO_IP_MTU),
            lacp_rate=LacpRate.FAST if lacp else None),
    )


def host_inventory(os: HostOs, team: str) -> Inventory:
    return Inventory(root="tests", switches=(SWITCH,),
                     hosts=(HostDevice(name=HOSTS[os][0], os=os),),
                     trunks=(host_trunk(os, team),))
