"""Small hand-built intents and observed states: one healthy fabric, faults as edits of it.

The MAC addresses are fake; the numbers follow vendor-cli.md (Windows Jumbo Packet 9014 = IP
9000, Junos media MTU 9216 = IP 9202, SMIS 9216 = IP 9202 under the conservative reading of
its unpublished semantics, EOS mtu 9214 = IP 9214; EOS switchports bridge up to the
DCS-7120T-4S L2 frame limit 9236 = IP 9214).  Switches carry the inventory's hardware model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lagprov.model.intent import Access, HostEnd, SwitchEnd, Trunk8021q, TrunkIntent
from lagprov.model.state import (
    DeviceLagState,
    HostMemberState,
    HostTeamState,
    LacpActivity,
    LacpPort,
    LagProtocol,
    LagState,
    MemberState,
    MemberStatus,
    PortState,
)
from lagprov.model.types import Bundling, HostOs, LacpRate, Platform, SwitchMode

CAT = "00:11:22:33:44:01"
EOS = "00:11:22:33:44:02"
EX = "00:11:22:33:44:03"
HV01 = "02:00:00:00:01:01"
HV02 = "02:00:00:00:01:02"  # another host: the wrong cable leads here
LNX01 = "02:00:00:00:02:01"
LNX02 = "02:00:00:00:02:02"
ESX02 = "02:00:00:00:03:02"
ZERO = "00:00:00:00:00:00"

ACTIVE, PASSIVE = LacpActivity.ACTIVE, LacpActivity.PASSIVE
FAST, SLOW = LacpRate.FAST, LacpRate.SLOW


def lacp(sys_id: str, port: int, act: LacpActivity = ACTIVE, rate: LacpRate = FAST) -> LacpPort:
    return LacpPort(system_id=sys_id, port=port, activity=act, rate=rate, key=10)


def member(
    name: str,
    me: str,
    my_port: int,
    peer: str | None,
    peer_port: int | None,
    *,
    speed: int = 1000,
    mtu: int | None = 1500,
    status: MemberStatus = MemberStatus.BUNDLED,
    act: LacpActivity = ACTIVE,
    rate: LacpRate = FAST,
    flags: tuple[str, ...] = ("P",),
) -> MemberState:
    return MemberState(
        name=name,
        status=status,
        link_up=status is not MemberStatus.DOWN,
        actor=lacp(me, my_port, act, rate),
        partner=None if peer is None else LacpPort(system_id=peer, port=peer_port),
        speed_mbps=speed,
        mtu_ip=mtu,
        flags=flags,
    )


def nic(
    name: str,
    me: str,
    port: int | None,
    peer: str | None,
    *,
    mtu: int = 1500,
    speed: int = 1000,
    agg: int | None = None,
    rate: LacpRate = FAST,
    act: LacpActivity = ACTIVE,
) -> HostMemberState:
    return HostMemberState(
        name=name,
        link_up=True,
        speed_mbps=speed,
        mtu_ip=mtu,
        aggregator_id=agg,
        actor=None if port is None else lacp(me, port, act, rate),
        partner=None if peer is None else LacpPort(system_id=peer),
    )


# ---------------------------------------------------------------- intents

HV01_TRUNK = TrunkIntent(
    name="hv01-team",
    switch=(
        SwitchEnd(
            device="cat9300-1",
            platform=Platform.CISCO_IOS,
            channel=10,
            members=("GigabitEthernet1/0/1", "GigabitEthernet1/0/2"),
            mode=SwitchMode.LACP_ACTIVE,
            lacp_rate=FAST,
            min_links=1,
            l2=Trunk8021q(vlans=(10, 20, 30), native_vlan=10),
        ),
    ),
    host=HostEnd(
        device="hv01",
        os=HostOs.WINDOWS,
        team="Lacp",
        bundling=Bundling.LACP,
        name="Team1",
        nics=("NIC1", "NIC2"),
        lacp_rate=FAST,
    ),
)

LNX01_TRUNK = TrunkIntent(
    name="lnx01-bond0",
    jumbo=True,
    switch=(
        SwitchEnd(
            device="eos7120-1",
            platform=Platform.ARISTA_EOS,
            channel=10,
            members=("Ethernet1", "Ethernet2"),
            lacp_rate=FAST,
            min_links=1,
            mtu=9214,
            l2=Trunk8021q(vlans=(10, 20)),
        ),
    ),
    host=HostEnd(
        device="lnx01",
        os=HostOs.LINUX,
        team="802.3ad",
        bundling=Bundling.LACP,
        name="bond0",
        nics=("ens1f0", "ens1f1"),
        mtu=9000,
        lacp_rate=FAST,
    ),
)

LNX02_TRUNK = TrunkIntent(
    name="lnx02-bond0",
    switch=(
        SwitchEnd(
            device="ex4300-1",
            platform=Platform.JUNIPER_JUNOS,
            channel=1,
            members=("ge-0/0/10", "ge-0/0/11"),
            mode=SwitchMode.STATIC,
            l2=Access(vlan=20),
        ),
    ),
    host=HostEnd(
        device="lnx02",
        os=HostOs.LINUX,
        team="balance-xor",
        bundling=Bundling.STATIC,
        name="bond0",
        nics=("eno1", "eno2"),
    ),
)

ESX02_TRUNK = TrunkIntent(
    name="esx02-lag1",
    switch=(
        SwitchEnd(
            device="ex4300-1",
            platform=Platform.JUNIPER_JUNOS,
            channel=2,
            members=("ge-0/0/20", "ge-0/0/21"),
            mode=SwitchMode.LACP_PASSIVE,
            lacp_rate=SLOW,
        ),
    ),
    host=HostEnd(
        device="esx02",
        os=HostOs.VMWARE,
        team="lacp",
        bundling=Bundling.LACP,
        name="lag1",
        nics=("vmnic2", "vmnic3"),
    ),
)

MPIO_TRUNK = TrunkIntent(
    name="win-iscsi01-mpio",
    purpose="iscsi-mpio",
    jumbo=True,
    switch=(
        SwitchEnd(
            device="sse-x24s-1",
            platform=Platform.SUPERMICRO_SMIS,
            members=("Ex 0/5",),
            mode=SwitchMode.INDEPENDENT,
            mtu=9216,
            l2=Access(vlan=100),
        ),
        SwitchEnd(
            device="ex3300-1",
            platform=Platform.JUNIPER_JUNOS,
            members=("ge-0/0/5",),
            mode=SwitchMode.INDEPENDENT,
            mtu=9216,
            l2=Access(vlan=101),
        ),
    ),
    host=HostEnd(
        device="win-iscsi01",
        os=HostOs.WINDOWS,
        team="none",
        bundling=Bundling.INDEPENDENT,
        nics=("iSCSI-A", "iSCSI-B"),
        mtu=9014,
    ),
)

CORE_TRUNK = TrunkIntent(
    name="core-cat9300-ex4300",
    purpose="interswitch",
    switch=(
        SwitchEnd(
            device="cat9300-1",
            platform=Platform.CISCO_IOS,
            channel=1,
            members=("TenGigabitEthernet1/1/1", "TenGigabitEthernet1/1/2"),
        ),
    ),
    peer=SwitchEnd(
        device="ex4300-1",
        platform=Platform.JUNIPER_JUNOS,
        channel=0,
        members=("xe-0/2/0", "xe-0/2/1"),
    ),
)

TRUNKS = (HV01_TRUNK, LNX01_TRUNK, LNX02_TRUNK, ESX02_TRUNK, MPIO_TRUNK, CORE_TRUNK)

# ---------------------------------------------------------------- observed, healthy

CAT_PO10 = LagState(
    channel=10,
    name="Po10",
    protocol=LagProtocol.LACP,
    mode=SwitchMode.LACP_ACTIVE,
    oper_up=True,
    lacp_rate=FAST,
    min_links=1,
    l2=Trunk8021q(vlans=(10, 20, 30), native_vlan=10),
    members=(
        member("GigabitEthernet1/0/1", CAT, 1, HV01, 1),
        member("GigabitEthernet1/0/2", CAT, 2, HV01, 2),
    ),
)
CAT_PO1 = LagState(
    channel=1,
    name="Po1",
    protocol=LagProtocol.LACP,
    mode=SwitchMode.LACP_ACTIVE,
    oper_up=True,
    members=(
        member("TenGigabitEthernet1/1/1", CAT, 25, EX, 100, speed=10000, rate=SLOW),
        member("TenGigabitEthernet1/1/2", CAT, 26, EX, 101, speed=10000, rate=SLOW),
    ),
)
EOS_PO10 = LagState(
    channel=10,
    name="Port-Channel10",
    protocol=LagProtocol.LACP,
    mode=SwitchMode.LACP_ACTIVE,
    oper_up=True,
    lacp_rate=FAST,
    min_links=1,
    mtu_ip=9214,
    l2=Trunk8021q(vlans=(10, 20)),
    members=(
        member("Ethernet1", EOS, 1, LNX01, 1, speed=10000, mtu=9214),
        member("Ethernet2", EOS, 2, LNX01, 2, speed=10000, mtu=9214),
    ),
)
EX_AE0 = LagState(
    channel=0,
    name="ae0",
    protocol=LagProtocol.LACP,
    mode=SwitchMode.LACP_ACTIVE,
    oper_up=True,
    members=(
        member("xe-0/2/0", EX, 100, CAT, 25, speed=10000, rate=SLOW),
        member("xe-0/2/1", EX, 101, CAT, 26, speed=10000, rate=SLOW),
    ),
)
EX_AE1 = LagState(
    channel=1,
    name="ae1",
    protocol=LagProtocol.STATIC,
    mode=SwitchMode.STATIC,
    oper_up=True,
    l2=Access(vlan=20),
    members=(
        MemberState(
            name="ge-0/0/10",
            status=MemberStatus.BUNDLED,
            link_up=True,
            speed_mbps=1000,
            mtu_ip=1500,
        ),
        MemberState(
            name="ge-0/0/11",
            status=MemberStatus.BUNDLED,
            link_up=True,
            speed_mbps=1000,
            mtu_ip=1500,
        ),
    ),
)
EX_AE2 = LagState(
    channel=2,
    name="ae2",
    protocol=LagProtocol.LACP,
    mode=SwitchMode.LACP_PASSIVE,
    oper_up=True,
    lacp_rate=SLOW,
    members=(
        member("ge-0/0/20", EX, 20, ESX02, 1, act=PASSIVE, rate=SLOW),
        member("ge-0/0/21", EX, 21, ESX02, 2, act=PASSIVE, rate=SLOW),
    ),
)


def switches() -> dict[str, DeviceLagState]:
    """Every switch, healthy."""
    return {
        "cat9300-1": DeviceLagState(
            device="cat9300-1",
            platform=Platform.CISCO_IOS,
            lags=(CAT_PO10, CAT_PO1),
            system_mtu_ip=1500,
            system_id="0011.2233.4401",
            hardware="C9300-48T",
        ),
        "eos7120-1": DeviceLagState(
            device="eos7120-1", platform=Platform.ARISTA_EOS, lags=(EOS_PO10,), system_id=EOS,
            hardware="DCS-7120T-4S",
        ),
        "ex4300-1": DeviceLagState(
            device="ex4300-1",
            platform=Platform.JUNIPER_JUNOS,
            lags=(EX_AE0, EX_AE1, EX_AE2),
            system_id=EX,
            hardware="EX4300-48T",
        ),
        "sse-x24s-1": DeviceLagState(
            device="sse-x24s-1",
            platform=Platform.SUPERMICRO_SMIS,
            ports=(
                PortState(
                    name="Ex 0/5", link_up=True, mtu_ip=9202, speed_mbps=10000, l2=Access(vlan=100)
                ),
            ),
        ),
        "ex3300-1": DeviceLagState(
            device="ex3300-1",
            platform=Platform.JUNIPER_JUNOS,
            ports=(
                PortState(
                    name="ge-0/0/5",
                    link_up=True,
                    mtu_ip=9202,
                    speed_mbps=10000,
                    l2=Access(vlan=101),
                ),
            ),
        ),
    }


def hosts() -> dict[str, HostTeamState]:
    """Every host team, healthy."""
    return {
        "hv01": HostTeamState(
            device="hv01",
            os=HostOs.WINDOWS,
            name="Team1",
            team="Lacp",
            bundling=Bundling.LACP,
            lacp_rate=FAST,
            system_id="02-00-00-00-01-01",
            mtu_ip=1500,
            status="Up",
            members=(nic("NIC1", HV01, 1, CAT), nic("NIC2", HV01, 2, CAT)),
        ),
        "lnx01": HostTeamState(
            device="lnx01",
            os=HostOs.LINUX,
            name="bond0",
            team="802.3ad",
            bundling=Bundling.LACP,
            lacp_rate=FAST,
            system_id=LNX01,
            partner_system_id=EOS,
            mtu_ip=9000,
            members=(
                nic("ens1f0", LNX01, 1, EOS, mtu=9000, speed=10000, agg=1),
                nic("ens1f1", LNX01, 2, EOS, mtu=9000, speed=10000, agg=1),
            ),
        ),
        "lnx02": HostTeamState(
            device="lnx02",
            os=HostOs.LINUX,
            name="bond0",
            team="balance-xor",
            bundling=Bundling.STATIC,
            mtu_ip=1500,
            members=(nic("eno1", LNX02, None, None), nic("eno2", LNX02, None, None)),
        ),
        "esx02": HostTeamState(
            device="esx02",
            os=HostOs.VMWARE,
            name="lag1",
            team="lacp",
            bundling=Bundling.LACP,
            lacp_rate=SLOW,
            system_id=ESX02,
            mtu_ip=1500,
            members=(
                nic("vmnic2", ESX02, 1, EX, rate=SLOW),
                nic("vmnic3", ESX02, 2, EX, rate=SLOW),
            ),
        ),
        "win-iscsi01": HostTeamState(
            device="win-iscsi01",
            os=HostOs.WINDOWS,
            team="none",
            bundling=Bundling.INDEPENDENT,
            mtu_ip=9000,
            members=(
                nic("iSCSI-A", "02:00:00:00:04:01", None, None, mtu=9000, speed=10000),
                nic("iSCSI-B", "02:00:00:00:04:01", None, None, mtu=9000, speed=10000),
            ),
        ),
    }


# ---------------------------------------------------------------- editing helpers


def edit_lag(sw: dict[str, DeviceLagState], device: str, channel: int, **changes: Any) -> None:
    """Replace fields of one bundle in ``sw`` (in place on the dict)."""
    dev = sw[device]
    lags = tuple(lg.model_copy(update=changes) if lg.channel == channel else lg for lg in dev.lags)
    sw[device] = dev.model_copy(update={"lags": lags})


def edit_member(
    sw: dict[str, DeviceLagState], device: str, channel: int, name: str, **changes: Any
) -> None:
    """Replace fields of one bundle member."""
    lag = sw[device].lag(channel)
    assert lag is not None
    members = tuple(m.model_copy(update=changes) if m.name == name else m for m in lag.members)
    edit_lag(sw, device, channel, members=members)


def edit_host(hs: dict[str, HostTeamState], device: str, **changes: Any) -> None:
    """Replace fields of one host team."""
    hs[device] = hs[device].model_copy(update=changes)


def edit_nic(hs: dict[str, HostTeamState], device: str, name: str, **changes: Any) -> None:
    """Replace fields of one host NIC."""
    h = hs[device]
    members = tuple(m.model_copy(update=changes) if m.name == name else m for m in h.members)
    hs[device] = h.model_copy(update={"members": members})


@dataclass
class World:
    """Intents and observed state for one test; edit freely."""

    trunks: list[TrunkIntent] = field(default_factory=lambda: list(TRUNKS))
    switches: dict[str, DeviceLagState] = field(default_factory=switches)
    hosts: dict[str, HostTeamState] = field(default_factory=hosts)

    def trunk(self, name: str) -> TrunkIntent:
        return next(t for t in self.trunks if t.name == name)

    def replace_trunk(self, trunk: TrunkIntent) -> None:
        self.trunks = [trunk if t.name == trunk.name else t for t in self.trunks]
