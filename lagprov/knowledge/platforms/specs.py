"""The four supported platforms, as data."""

from __future__ import annotations

import re
from types import MappingProxyType

from lagprov.knowledge.platforms.base import MinLinksRule, PlatformSpec, StateQuery
from lagprov.knowledge.platforms.ios_names import IOS_PORT_RE
from lagprov.model.types import Feature, LacpRate, Platform

_ALL_LAG = frozenset(
    {Feature.LACP_RATE_FAST, Feature.MIN_LINKS, Feature.LACP_PASSIVE, Feature.STATIC_LAG,
     Feature.NATIVE_VLAN}
)

# Cisco 'port-channel min-links': "The minimum number of active LACP ports in the port
# channel. The range is 2 to 8. The default is 1." and it "must specify a number a less than
# the number specified by the lacp max-bundle command" (Layer 2/3 Command Reference, Cisco IOS
# XE Release 3E; Cat4500 15.2(4)E "Configuring LACP Port Channel Min-links"); vendor-cli.md 1.1.
_IOS_MIN_LINKS = MinLinksRule(
    low=2, high=8, default=1, lacp_only=True,
    source="Cisco 'port-channel min-links' is LACP only, 2..8, default 1; vendor-cli.md 1.1")
# Arista 'port-channel min-links' (vendor-cli.md 2.1, pyeapi): EOS applies it to LACP and
# static port-channels alike; the reference gives no range, so only the bundle size bounds it.
_EOS_MIN_LINKS = MinLinksRule(
    low=1, high=None, default=1, lacp_only=False,
    source="Arista 'port-channel min-links'; vendor-cli.md 2.1 (range not published there)")
# Junos 'aggregated-ether-options minimum-links' (vendor-cli.md 3.1): "By default, only one
# link must be up"; it applies to static and LACP ae bundles (Juniper "Configuring Aggregated
# Ethernet Minimum Links").  The EX range follows the per-LAG member limit.
_JUNOS_MIN_LINKS = MinLinksRule(
    low=1, high=None, default=1, lacp_only=False,
    source="Junos 'minimum-links', default 1; vendor-cli.md 3.1")

CISCO_IOS = PlatformSpec(
    platform=Platform.CISCO_IOS,
    title="Cisco Catalyst (IOS / IOS-XE)",
    netmiko_device_type="cisco_ios",
    napalm_driver="ios",
    hier_platform="CISCO_IOS",
    lag_name_format="Port-channel{id}",
    interface_pattern=IOS_PORT_RE,  # every spelling IOS-XE prints (ios_names)
    interface_example="GigabitEthernet1/0/7",
    channel_min=1,
    channel_max=128,
    features=_ALL_LAG | {Feature.DEVICE_DIFF},
    commands=MappingProxyType({
        StateQuery.RUNNING_CONFIG: "show running-config",
        StateQuery.LAG_SUMMARY: "show etherchannel summary",
        StateQuery.LACP_NEIGHBORS: "show lacp neighbor",
        StateQuery.INTERFACES: "show interfaces",
        StateQuery.SYSTEM_MTU: "show system mtu",
        StateQuery.VLANS: "show vlan brief",  # the VLAN database (VTP server: not in the config)
    }),
    save_command="write memory",
    min_links=_IOS_MIN_LINKS,
    raise_only=("system mtu", "system mtu jumbo"),
)

ARISTA_EOS = PlatformSpec(
    platform=Platform.ARISTA_EOS,
    title="Arista EOS",
    netmiko_device_type="arista_eos",
    napalm_driver="eos",
    hier_platform="ARISTA_EOS",
    lag_name_format="Port-Channel{id}",
    interface_pattern=re.compile(r"^Ethernet\d+(/\d+)?$"),
    interface_example="Ethernet7",
    channel_min=1,
    channel_max=2000,
    features=_ALL_LAG | {Feature.PER_PORT_MTU, Feature.DEVICE_DIFF, Feature.COMMIT_CONFIRMED},
    commands=MappingProxyType({
        StateQuery.RUNNING_CONFIG: "show running-config",
        StateQuery.LAG_SUMMARY: "show port-channel summary",
        StateQuery.LACP_NEIGHBORS: "show lacp neighbor",
        StateQuery.INTERFACES: "show interfaces",
        StateQuery.VLANS: "show vlan",
    }),
    save_command="write memory",
    min_links=_EOS_MIN_LINKS,
)

JUNIPER_JUNOS = PlatformSpec(
    platform=Platform.JUNIPER_JUNOS,
    title="Juniper EX (Junos)",
    netmiko_device_type="juniper_junos",
    napalm_driver="junos",
    hier_platform="JUNIPER_JUNOS",
    lag_name_format="ae{id}",
    interface_pattern=re.compile(r"^(ge|xe|et|mge)-\d+/\d+/\d+$"),
    interface_example="ge-0/0/7",
    channel_min=0,
    channel_max=127,
    features=_ALL_LAG | {Feature.PER_PORT_MTU, Feature.DEVICE_DIFF, Feature.COMMIT_CONFIRMED},
    commands=MappingProxyType({
        StateQuery.RUNNING_CONFIG: "show configuration | display set",
        StateQuery.LACP_NEIGHBORS: "show lacp interfaces extensive",
        # the VLANs are the configuration's 'vlans' stanza: read with the running config
        StateQuery.VLANS: "show configuration | display set",
        # MTU and minimum links are read per bundle: "show interfaces aeN extensive"
        # (lagprov.observe.collect adds one command per ae of the intent).
    }),
    save_command="commit",
    members_take_lag_mtu=True,
    min_links=_JUNOS_MIN_LINKS,
    # Juniper 'periodic (EX Series)': "Default: fast" (vendor-cli.md 3.1, corrected)
    lacp_default_rate=LacpRate.FAST,
    # a plan never lowers the ae count (issue 8 item 1): max(running, needed)
    raise_only=("set chassis aggregated-devices ethernet device-count",),
)

# Supermicro SSE (SMIS, Aricent ISS).  No public captures exist: the CLI is modelled on
# Netmiko's supermicro_smis driver and the Aricent ISS / Oracle SEFOS LA guide (vendor-cli.md
# section 4).  min-links is not documented for SMIS, so it is declared missing.
SUPERMICRO_SMIS = PlatformSpec(
    platform=Platform.SUPERMICRO_SMIS,
    title="Supermicro SSE (SMIS)",
    netmiko_device_type="supermicro_smis",
    napalm_driver=None,
    hier_platform="GENERIC",
    lag_name_format="port-channel {id}",
    interface_pattern=re.compile(r"^(Gi|Ex|Xl|Fx) \d+/\d+$"),
    interface_example="Ex 0/7",
    channel_min=1,
    channel_max=65535,
    features=frozenset(
        {Feature.LACP_RATE_FAST, Feature.LACP_PASSIVE, Feature.STATIC_LAG, Feature.PER_PORT_MTU}
    ),
    commands=MappingProxyType({
        StateQuery.RUNNING_CONFIG: "show running-config",
        StateQuery.LAG_SUMMARY: "show etherchannel summary",
        StateQuery.LACP_NEIGHBORS: "show etherchannel detail",
        StateQuery.INTERFACES: "show interface mtu",
        # Aricent ISS 'show vlan brief' (modelled: docs/smis-outputs.md)
        StateQuery.VLANS: "show vlan brief",
    }),
    save_command="write startup-config",
    # Link aggregation is one switch-wide module on Aricent ISS ('set port-channel enable',
    # SEFOS LA guide, vendor-cli.md section 4); lagprov never disables it (issue 8, item 1).
    switch_wide=MappingProxyType({"set port-channel enable": "set port-channel disable"}),
)
