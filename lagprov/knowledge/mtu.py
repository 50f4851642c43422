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
# A hardware L2 frame limit counts the header, one 802.1Q tag and the FCS: EOS L2 MTU 9236
# carries IP 9214 (hardware.py, DCS-7120T-4S)
L2_FRAME_OVERHEAD = ETH_HEADER + DOT1Q_TAG + 4


@dataclass(frozen=True, slots=True)
class MtuSemantics:
    """How one platform's MTU number relates to the IP MTU.

    ``ip_mtu = value - overhead (- DOT1Q_TAG if tagged and counts_tag)``.

    Where the semantics are not published (``verified=False``), ``to_ip`` is the conservative
    reading (the lowest IP MTU the value may mean) and ``to_ip_max`` the most generous one (the
    value read as an IP MTU); a verdict that differs between the two is unknown, never a
    failure.  The factory ``default`` is known to pass IP 1500 (a switch that drops 1500-byte
    packets out of the box does not exist), so it reads as IP 1500 either way.
    """

    what: str
    overhead: int
    counts_tag: bool = False
    verified: bool = True
    default: int | None = None

    def _is_default(self, value: int) -> bool:
        return not self.verified and value == self.default

    def to_ip(self, value: int, *, tagged: bool = False) -> int:
        """The IP MTU a configured ``value`` allows (the conservative reading if unverified)."""
        if self._is_default(value):
            return DEFAULT_IP_MTU
        return value - self.overhead - (DOT1Q_TAG if tagged and self.counts_tag else 0)

    def to_ip_max(self, value: int, *, tagged: bool = False) -> int:
        """The largest IP MTU ``value`` may mean: ``to_ip`` where the semantics are known."""
        if self.verified or self._is_default(value):
            return self.to_ip(value, tagged=tagged)
        return value

    def from_ip(self, ip_mtu: int, *, tagged: bool = False) -> int:
        """The configured value needed for ``ip_mtu`` (under the conservative reading)."""
        if self.default is not None and not self.verified and ip_mtu == DEFAULT_IP_MTU:
            return self.default
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
        # SMIS: semantics not published (vendor-cli.md 0.3, section 4).  The default 1500
        # passes IP 1500; any other value is read both ways: as a frame size including the
        # header (9216 -> IP 9202, the conservative reading) and as an IP MTU (9216), and a
        # check whose verdict depends on the reading is unverifiable.
        Platform.SUPERMICRO_SMIS: MtuSemantics(
            "frame size or IP MTU (unpublished)", ETH_HEADER, verified=False, default=1500
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


def switch_ip_mtu_max(platform: Platform, value: int, *, tagged: bool = False) -> int:
    """The most generous IP MTU a switch MTU ``value`` may mean (= ``switch_ip_mtu`` where the
    platform's semantics are published).

    >>> smis = Platform.SUPERMICRO_SMIS
    >>> switch_ip_mtu_max(smis, 9216), switch_ip_mtu(smis, 9216), switch_ip_mtu(smis, 1500)
    (9216, 9202, 1500)
    """
    return SWITCH_MTU[platform].to_ip_max(value, tagged=tagged)


def host_ip_mtu(os: HostOs, value: int) -> int:
    """IP MTU of a host MTU ``value``.

    >>> host_ip_mtu(HostOs.WINDOWS, 9014)
    9000
    """
    return HOST_MTU[os].to_ip(value)
