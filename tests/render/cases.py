"""Small inventories for the render tests, built from the models directly.

One switch per platform, one trunk per case.  Every case uses the same two member ports of
the switch, so a golden file reads as "what this mode looks like on this platform".
"""

from __future__ import annotations

from lagprov.model.intent import Access, HostEnd, SwitchEnd, Trunk8021q, TrunkIntent
from lagprov.model.inventory import HostDevice, Inventory, SwitchDevice
from lagprov.model.types import Bundling, HostOs, LacpRate, Platform, SwitchMode

# platform -> (switch name, hardware, member ports, jumbo MTU in the platform's semantics)
SWITCHES: dict[str, tuple[str, Platform, str, tuple[str, str], int]] = {
    "cisco_ios": ("sw-ios", Platform.CISCO_IOS, "C9300-48T",
                  ("GigabitEthernet1/0/1", "GigabitEthernet1/0/2"), 9198),
    "cisco_2960s": ("sw-2960s", Platform.CISCO_IOS, "WS-C2960S-48TS-L",
                    ("GigabitEthernet1/0/1", "GigabitEthernet1/0/2"), 9000),
    "arista_eos": ("sw-eos", Platform.ARISTA_EOS, "DCS-7120T-4S", ("Ethernet1", "Ethernet2"), 9214),
    "juniper_junos": ("sw-junos", Platform.JUNIPER_JUNOS, "EX4300-48T",
                      ("ge-0/0/10", "ge-0/0/11"), 9216),
    "juniper_junos_classic": ("sw-junos", Platform.JUNIPER_JUNOS, "EX3300-48T",
                              ("ge-0/0/10", "ge-0/0/11"), 9216),
    "supermicro_smis": ("sw-smis", Platform.SUPERMICRO_SMIS, "SSE-X24S", ("Ex 0/1", "Ex 0/2"),
                        9216),
}

MODES = ("lacp-active", "lacp-passive", "static", "independent")

_HOST = HostDevice(name="srv01", os=HostOs.LINUX)


def _host_end(bundling: Bundling) -> HostEnd:
    team = {Bundling.LACP: "802.3ad", Bundling.STATIC: "balance-xor",
            Bundling.INDEPENDENT: "active-backup"}[bundling]
    return HostEnd(device="srv01", os=HostOs.LINUX, team=team, bundling=bundling,
                   nics=("eno1", "eno2"))


def switch_end(variant: str, mode: str, **overrides: object) -> SwitchEnd:
    """The switch end of case ``mode`` on ``variant`` (a key of SWITCHES)."""
    name, platform, _, members, mtu = SWITCHES[variant]
    fields: dict[str, object] = {"device": name, "platform": platform, "members": members}
    if mode == "lacp-active":
        fields |= {
            "mode": SwitchMode.LACP_ACTIVE, "channel": 10, "lacp_rate": LacpRate.FAST,
            "min_links": None if platform is Platform.SUPERMICRO_SMIS else 1, "mtu": mtu,
            "description": "srv01-bond0",
            # the SMIS spec declares no native-vlan support
            "l2": Trunk8021q(vlans=(10, 11, 12, 20),
                             native_vlan=None if platform is Platform.SUPERMICRO_SMIS else 10),
        }
    elif mode == "lacp-passive":  # no description: the trunk name is used
        fields |= {"mode": SwitchMode.LACP_PASSIVE, "channel": 11, "l2": Trunk8021q(vlans=(10, 20))}
    elif mode == "static":
        fields |= {"mode": SwitchMode.STATIC, "channel": 12, "description": "esx01-vswitch0",
                   "l2": Access(vlan=20)}
    else:
        fields |= {"mode": SwitchMode.INDEPENDENT, "mtu": mtu, "description": "iscsi-path-a",
                   "l2": Access(vlan=100)}
    fields |= overrides
    return SwitchEnd.model_validate(fields)


TRUNK_NAMES = {"lacp-active": "srv01-bond0", "lacp-passive": "srv02-bond0",
               "static": "esx01-vswitch0", "independent": "iscsi-path-a"}


def trunk(variant: str, mode: str, *, name: str | None = None, state: str = "present",
          **overrides: object) -> TrunkIntent:
    """A trunk from ``switch_end(variant, mode)`` to the Linux host srv01."""
    end = switch_end(variant, mode, **overrides)
    bundling = (Bundling.INDEPENDENT if mode == "independent"
                else Bundling.STATIC if mode == "static" else Bundling.LACP)
    return TrunkIntent(name=name or TRUNK_NAMES[mode], state=state,
                       switch=(end,), host=_host_end(bundling))


def inventory(variant: str, *trunks: TrunkIntent) -> Inventory:
    """An inventory of the one switch of ``variant`` and host srv01."""
    name, platform, hardware, _, _ = SWITCHES[variant]
    switch = SwitchDevice(name=name, platform=platform, hardware=hardware, address="127.0.0.1")
    return Inventory(root="tests/render", switches=(switch,), hosts=(_HOST,), trunks=trunks)
