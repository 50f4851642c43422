"""The four supported platforms, as data."""

from __future__ import annotations

import re
from types import MappingProxyType

from lagprov.knowledge.platforms.base import PlatformSpec, StateQuery
from lagprov.model.types import Feature, Platform

_ALL_LAG = frozenset(
    {Feature.LACP_RATE_FAST, Feature.MIN_LINKS, Feature.LACP_PASSIVE, Feature.STATIC_LAG,
     Feature.NATIVE_VLAN}
)

CISCO_IOS = PlatformSpec(
    platform=Platform.CISCO_IOS,
    title="Cisco Catalyst (IOS / IOS-XE)",
    netmiko_device_type="cisco_ios",
    napalm_driver="ios",
    hier_platform="CISCO_IOS",
    lag_name_format="Port-channel{id}",
    interface_pattern=re.compile(
        r"^(FastEthernet|GigabitEthernet|TenGigabitEthernet|TwentyFiveGigE|FortyGigabitEthernet"
        r"|HundredGigE)\d+/\d+/\d+$"
    ),
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
    }),
    save_command="write memory",
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
    }),
    save_command="write memory",
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
        # MTU and minimum links are read per bundle: "show interfaces aeN extensive"
        # (lagprov.observe.collect adds one command per ae of the intent).
    }),
    save_command="commit",
    members_take_lag_mtu=True,
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
    }),
    save_command="write startup-config",
)
