"""MTU numbers normalised to "largest IP packet that passes" (vendor-cli.md section 0.3).

Every platform and host counts a different thing; lagprov compares only IP MTUs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from lagprov.model.types import HostOs, Platform

ETH_HEADER = 14
DOT1Q_TAG = 4
JUMBO_IP_MTU = 9000
DEFAULT_IP_MTU = 1500


@dataclass(frozen=True, slots=True)
class MtuSemantics:
    """How one platform's MTU number relates to the IP MTU.

    ``ip_mtu = value - overhead (- DOT1Q_TAG if tagged and counts_tag)``.
    """

    what: str
    overhead: int
    counts_tag: bool = False
    verified: bool = True

    def to_ip(self, value: int, *, tagged: bool = False) -> int:
        """The IP MTU a configured ``value`` allows."""
        return value - self.overhead - (DOT1Q_TAG if tagged and self.counts_tag else 0)

    def from_ip(self, ip_mtu: int, *, tagged: bool = False) -> int:
        """The configured value needed for ``ip_mtu``."""
        return ip_mtu + self.overhead + (DOT1Q_TAG if tagged and self.counts_tag else 0)


SWITCH_MTU: Mapping[Platform, MtuSemantics] = MappingProxyType(
    {
        # Cisco: "all values that quote MTU in bytes omit 18 bytes for Ethernet header and FCS"
        Platform.CISCO_IOS: MtuSemantics("system MTU, frame payload", 0),
        # EOS 'mtu' is the IP MTU ("Ethernet MTU 9214 bytes" in show interfaces)
        Platform.ARISTA_EOS: MtuSemantics("IP MTU", 0),
        # Junos media MTU includes the 14-byte header.  The 802.1Q tag is not subtracted: EX
        # switching ports at the default 1514 carry 1500-byte IP packets in tagged frames, and
        # counting the tag would flag every default trunk (vendor-cli.md 0.3 marks the tagged
        # figure [K]).  counts_tag=True is kept available for platforms that need it.
        Platform.JUNIPER_JUNOS: MtuSemantics("media MTU incl. L2 header", ETH_HEADER),
        # SMIS: semantics not published.  Read as a frame size including the header (the
        # conservative reading for jumbo checks: 9216 -> IP 9202).  Unverified.
        Platform.SUPERMICRO_SMIS: MtuSemantics(
            "frame size (assumed, unverified)", ETH_HEADER, verified=False
        ),
    }
)

HOST_MTU: Mapping[HostOs, MtuSemantics] = MappingProxyType(
    {
        HostOs.LINUX: MtuSemantics("IP MTU", 0),
        HostOs.VMWARE: MtuSemantics("IP MTU (vSwitch/vmk)", 0),
        HostOs.STORAGE: MtuSemantics("IP MTU", 0),
        # *JumboPacket counts the Ethernet header, not the FCS: 9014 <=> 9000
        HostOs.WINDOWS: MtuSemantics("Jumbo Packet incl. Ethernet header", ETH_HEADER),
    }
)


def switch_ip_mtu(platform: Platform, value: int, *, tagged: bool = False) -> int:
    """IP MTU of a switch MTU ``value`` on ``platform``.

    >>> switch_ip_mtu(Platform.JUNIPER_JUNOS, 9216)
    9202
    """
    return SWITCH_MTU[platform].to_ip(value, tagged=tagged)


def host_ip_mtu(os: HostOs, value: int) -> int:
    """IP MTU of a host MTU ``value``.

    >>> host_ip_mtu(HostOs.WINDOWS, 9014)
    9000
    """
    return HOST_MTU[os].to_ip(value)
