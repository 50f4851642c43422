"""Numbers lint checks against that the platform specs do not carry: bundle sizes, host MTUs.

Each number says where it comes from.  Numbers that could not be confirmed from a vendor
document are marked ``verified=False``; exceeding them is a warning, not an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from lagprov.knowledge.platforms import HardwareModel
from lagprov.model.types import HostOs, Platform


@dataclass(frozen=True, slots=True)
class BundleLimit:
    """How many members one bundle can hold.

    ``active``: members that carry traffic at once.  ``lacp_total``: members an LACP bundle
    accepts, the ones above ``active`` waiting in hot-standby (equal to ``active`` where the
    platform has no hot-standby).  Static bundles never exceed ``active``.
    """

    active: int
    lacp_total: int
    source: str
    verified: bool = True

    def total(self, *, lacp: bool) -> int:
        """Most members a bundle of this kind accepts."""
        return self.lacp_total if lacp else self.active


# Cisco Catalyst 3750-X/3560-X 15.2(3)E configuration guide, "Configuring EtherChannels": LACP
# "up to a maximum of 16 ports. Only eight LACP links can be active at one time; the remaining
# eight links are placed in hot-standby mode"; a static ('on') channel bundles up to eight.
# The same EtherChannel limits apply to the 2960-S (IOS 15.0(2)SE) and the Catalyst 9300.
_IOS = BundleLimit(8, 16, "Cisco Catalyst EtherChannel guide: 8 active, 8 more hot-standby (LACP)")
# Juniper EX: the per-model figures (EX3300 8, EX4300 16: the EX hardware guides' table
# "Maximum Interfaces per LAG and Maximum LAGs per Switch") are hardware data
# (knowledge/hardware/juniper_ex.yaml, lag_members).  Unknown EX models get the smaller number.
_JUNOS_DEFAULT = BundleLimit(8, 8, "Juniper EX hardware guides: 8 per LAG on EX3300-class models")
# Arista: 16 members per port-channel on the older fixed platforms (7100 series); newer ones
# allow 32 or more.  Not re-verified for the DCS-7120T-4S.
_EOS = BundleLimit(16, 16, "Arista 7100-series port-channel size (unverified)", verified=False)
# Supermicro SMIS / Aricent ISS: 8 ports per aggregator is the ISS default; not published for
# the SSE-X24S (vendor-cli.md section 7).
_SMIS = BundleLimit(8, 8, "Aricent ISS default of 8 ports per aggregator (unverified)",
                    verified=False)


def bundle_limit(model: HardwareModel) -> BundleLimit:
    """The member limit of one bundle on ``model``: its own (hardware data), else the
    platform's."""
    if model.lag_members_active is not None:
        return BundleLimit(model.lag_members_active,
                           model.lag_members_lacp or model.lag_members_active,
                           model.lag_members_source, verified=model.lag_members_confirmed)
    if model.platform is Platform.CISCO_IOS:
        return _IOS
    if model.platform is Platform.JUNIPER_JUNOS:
        return _JUNOS_DEFAULT
    if model.platform is Platform.ARISTA_EOS:
        return _EOS
    return _SMIS


@dataclass(frozen=True, slots=True)
class HostMtuRange:
    """Values a host OS accepts for its MTU setting, in its own semantics."""

    low: int
    high: int
    what: str


# Linux 'ip link set mtu' needs at least 68 (IPv4 minimum, RFC 791); 9216 is the largest jumbo
# value common NIC drivers accept.  vSphere documents 9000 as the largest vSwitch/VMkernel MTU.
# Windows *JumboPacket counts the Ethernet header: drivers offer 1514 (off), 4088 and 9014.
HOST_MTU_RANGE: Mapping[HostOs, HostMtuRange] = MappingProxyType({
    HostOs.LINUX: HostMtuRange(68, 9216, "Linux IP MTU"),
    HostOs.VMWARE: HostMtuRange(68, 9000, "VMware vSwitch/vmk MTU"),
    HostOs.STORAGE: HostMtuRange(68, 9216, "storage port IP MTU"),
    HostOs.WINDOWS: HostMtuRange(1514, 9014, "Windows *JumboPacket (common values 1514, "
                                             "4088, 9014)"),
})
