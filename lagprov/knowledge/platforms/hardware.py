"""Switch hardware models of the example fabric: ports, MTU knobs, missing features.

Claims marked [K] in vendor-cli.md are declared conservatively: a feature that is not
confirmed for a model is listed in ``lacks``, so lagprov refuses it before rendering instead of
sending a command the switch may reject.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from lagprov.knowledge.platforms.base import HardwareModel, MtuScope, PortRange
from lagprov.model.types import Feature, Platform

_MODELS = (
    HardwareModel(
        name="WS-C2960S-48TS-L",
        platform=Platform.CISCO_IOS,
        ports=(PortRange("GigabitEthernet1/0/", 1, 52, 1000),),
        mtu_scope=MtuScope.SYSTEM_JUMBO,
        mtu_min=1500,
        mtu_max=9000,
        mtu_default=1500,
        mtu_needs_reload=True,
        channel_max=6,
        lacks=frozenset({Feature.LACP_RATE_FAST, Feature.MIN_LINKS}),
        note="2960-S: 'system mtu jumbo' needs a reload; 'lacp rate fast' and min-links are "
        "not confirmed on 15.0(2)SE and are refused",
    ),
    HardwareModel(
        name="C9300-48T",
        platform=Platform.CISCO_IOS,
        ports=(
            PortRange("GigabitEthernet1/0/", 1, 48, 1000),
            PortRange("TenGigabitEthernet1/1/", 1, 8, 10000),
        ),
        mtu_scope=MtuScope.SYSTEM,
        mtu_min=1500,
        mtu_max=9198,
        mtu_default=1500,
    ),
    HardwareModel(
        name="EX3300-48T",
        platform=Platform.JUNIPER_JUNOS,
        ports=(PortRange("ge-0/0/", 0, 47, 1000), PortRange("xe-0/1/", 0, 3, 10000)),
        mtu_scope=MtuScope.INTERFACE,
        mtu_min=1514,
        mtu_max=9216,
        mtu_default=1514,
        vlan_style="classic",
    ),
    HardwareModel(
        name="EX4300-48T",
        platform=Platform.JUNIPER_JUNOS,
        ports=(PortRange("ge-0/0/", 0, 47, 1000), PortRange("xe-0/2/", 0, 3, 10000)),
        mtu_scope=MtuScope.INTERFACE,
        mtu_min=1514,
        mtu_max=9216,
        mtu_default=1514,
        vlan_style="els",
    ),
    HardwareModel(
        name="DCS-7120T-4S",
        platform=Platform.ARISTA_EOS,
        ports=(PortRange("Ethernet", 1, 20, 10000), PortRange("Ethernet", 21, 24, 10000)),
        mtu_scope=MtuScope.INTERFACE,
        mtu_min=68,
        mtu_max=9214,
        mtu_default=1500,
    ),
    HardwareModel(
        name="SSE-X24S",
        platform=Platform.SUPERMICRO_SMIS,
        ports=(PortRange("Ex 0/", 1, 24, 10000),),
        mtu_scope=MtuScope.INTERFACE,
        mtu_min=1500,
        mtu_max=9216,
        mtu_default=1500,
        note="MTU range and semantics not published for SMIS; 9216 is the common ISS maximum",
    ),
)

HARDWARE: Mapping[str, HardwareModel] = MappingProxyType({m.name: m for m in _MODELS})
