"""The lab's LACP engine: what IEEE 802.1AX would make of every cable, seen from each end.

A pure function of both ends' configuration facts and the cabling.  Decision table (per cable
whose both ends are up; either end admin down / link down, or an uncabled port -> ``DOWN``):

=====================  =====================  ======================================================
this end               other end              this end's outcome
=====================  =====================  ======================================================
LACP                   LACP, one active       ``BUNDLED``, partner = the other end's actor info
LACP passive           LACP passive           ``WAITING`` (no LACPDU ever sent), no partner
LACP                   static / plain port /  ``INDIVIDUAL``, no partner ("no LACPDU received").
                       independent team       Printers map it: IOS ``I`` (or ``s`` with suspend-
                                              individual), EOS "Waiting for LACP response", SMIS
                                              ``I``, Linux: each slave in its own aggregator
static (mode on)       anything up            ``BUNDLED`` without LACP info (it cannot know);
                                              ``reason`` flags a non-static peer
plain port / indep.    anything up            ``INDIVIDUAL`` (``reason`` flags a channel peer)
=====================  =====================  ======================================================

Then, per bundle (switch channel, host team):

* a switch member whose ``mtu_ip`` differs from ``channel_mtu_ip`` -> ``SUSPENDED``,
  reason ``MTU mismatch`` (Aricent ISS behaviour, applied to every platform that sets both);
* LACP members whose partners differ (other system or other key, e.g. cabled to two hosts):
  members facing the partner of the first member (port order) bundle, the others are
  ``SUSPENDED``, reason ``partner mismatch``;
* the LACP peer of a suspended port sees it out of sync: ``WAITING``, reason
  ``partner not in sync (...)``;
* more than :data:`MAX_ACTIVE` LACP members -> the extra ones ``HOT_STANDBY`` (IOS), and their
  LACP peers too;
* min-links: members keep ``BUNDLED`` (LACP did negotiate) but get the reason
  ``min-links not met (n of m)``; the channel itself is down (IOS flags the Po ``M``); use
  :func:`channel_up` in printers.

Actor/partner identities: switch system id = the switch ``system_mac`` (an EOS MLAG
interface: the pair's MLAG system id; a Port-Channel's ``lacp system-id``: that id; both as
``PortFacts.lacp_system_id``) (priority 32768, port
priority 32768), port number = 1-based position of the port in the switch's ``port_facts``,
key = channel number.  Hosts: system id = host system MAC, port number = NIC index + 1, key =
the Linux speed key (9 for 1G, 13 for 10G, as in the real captures), priority 65535 / port
priority 255 for Linux ``802.3ad`` (captures), 32768 / 32768 for other hosts ([K]).
State bytes (vendor-cli.md 0.2): Activity 0x01, Timeout 0x02, Aggregation 0x04, Sync 0x08,
Collecting 0x10, Distributing 0x20, Defaulted 0x40: 0x3D active long, 0x3F active fast,
0x3C passive long bundled; hot-standby 0x0F-style (sync, no C/D); no partner 0x45 (active).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from lagprov.lab.base import HostPortFacts, LacpPeerInfo, LagMode, LinkOutcome, PortFacts
from lagprov.model.inventory import Cable
from lagprov.model.state import MemberStatus
from lagprov.model.types import LacpRate

MAX_ACTIVE = 8
SWITCH_PRIORITY = 32768
SWITCH_PORT_PRIORITY = 32768
LINUX_PRIORITY = 65535
LINUX_PORT_PRIORITY = 255
OTHER_HOST_PRIORITY = 32768

_ACTIVITY, _TIMEOUT, _AGGREGATION, _SYNC, _COLLECTING, _DISTRIBUTING, _DEFAULTED = (
    0x01,
    0x02,
    0x04,
    0x08,
    0x10,
    0x20,
    0x40,
)
_SPEED_KEYS = {10: 5, 100: 7, 1000: 9, 2500: 11, 10000: 13, 25000: 15, 40000: 17, 100000: 21}

Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class _End:
    key: Key
    system_id: str
    priority: int
    port_priority: int
    number: int
    lacp_key: int
    up: bool
    lacp: bool
    active: bool
    static: bool
    rate: LacpRate
    group: Key | None
    excluded: str = ""  # local reason to stay out of the bundle
    min_links: int | None = None


def host_lacp_key(speed_mbps: int) -> int:
    """The Linux bonding actor key of a full-duplex port (9 at 1G, 13 at 10G)."""
    return _SPEED_KEYS.get(speed_mbps, 13)


def _switch_end(device: str, sys_id: str, index: int, f: PortFacts) -> _End:
    lacp = f.mode in (LagMode.ACTIVE, LagMode.PASSIVE) and f.channel is not None
    mtu_bad = (
        f.channel is not None
        and f.mtu_ip is not None
        and f.channel_mtu_ip is not None
        and f.mtu_ip != f.channel_mtu_ip
    )
    return _End(
        key=(device, f.port),
        system_id=f.lacp_system_id or sys_id,
        priority=SWITCH_PRIORITY,
        port_priority=SWITCH_PORT_PRIORITY,
        number=index + 1,
        lacp_key=f.channel or 0,
        up=f.admin_up and f.link_up,
        lacp=lacp,
        active=f.mode is LagMode.ACTIVE,
        static=f.mode is LagMode.ON and f.channel is not None,
        rate=f.rate,
        group=(device, f"Po{f.channel}") if f.channel is not None else None,
        excluded="MTU mismatch" if mtu_bad else "",
        min_links=f.min_links,
    )


def _host_end(host: str, sys_id: str, index: int, f: HostPortFacts) -> _End:
    linux = f.team == "802.3ad"
    bundles = f.lacp or f.static
    return _End(
        key=(host, f.nic),
        system_id=sys_id,
        priority=LINUX_PRIORITY if linux else OTHER_HOST_PRIORITY,
        port_priority=LINUX_PORT_PRIORITY if linux else SWITCH_PORT_PRIORITY,
        number=index + 1,
        lacp_key=host_lacp_key(f.speed_mbps),
        up=f.link_up,
        lacp=f.lacp,
        active=f.lacp and f.active,  # a passive host (lacp_active off) waits for LACPDUs
        static=f.static and not f.lacp,
        rate=f.rate,
        group=(host, f.team) if bundles else None,
    )


def _collect_ends(
    switch_ports: Mapping[str, Mapping[str, PortFacts]],
    switch_ids: Mapping[str, str],
    host_ports: Mapping[str, Mapping[str, HostPortFacts]],
    host_ids: Mapping[str, str],
) -> dict[Key, _End]:
    ends: dict[Key, _End] = {}
    for dev, ports in switch_ports.items():
        for i, sf in enumerate(ports.values()):
            e = _switch_end(dev, switch_ids.get(dev, "00:00:00:00:00:00"), i, sf)
            ends[e.key] = e
    for host, nics in host_ports.items():
        for i, hf in enumerate(nics.values()):
            e = _host_end(host, host_ids.get(host, "00:00:00:00:00:00"), i, hf)
            ends[e.key] = e
    return ends


def _peers(ends: Mapping[Key, _End], cables: Iterable[Cable]) -> dict[Key, Key]:
    peers: dict[Key, Key] = {}
    for c in cables:
        a, b = (c.a_device, c.a_port), (c.b_device, c.b_port)
        if a in ends and b in ends and a not in peers and b not in peers and a != b:
            peers[a] = b
            peers[b] = a
    return peers


def _lacp_link(a: _End, b: _End) -> bool:
    return a.lacp and b.lacp and (a.active or b.active)


def _exclude_by_group(
    ends: dict[Key, _End], peers: Mapping[Key, Key], live: set[Key]
) -> tuple[dict[Key, _End], set[Key]]:
    """Partner mismatch (-> excluded) and beyond MAX_ACTIVE (-> hot standby), per bundle."""
    groups: dict[Key, list[_End]] = {}
    for e in ends.values():
        live_lacp = e.key in live and _lacp_link(e, ends[peers[e.key]])
        if e.group is not None and live_lacp and not e.excluded:
            groups.setdefault(e.group, []).append(e)
    out = dict(ends)
    standby: set[Key] = set()
    for members in groups.values():
        members.sort(key=lambda m: m.number)
        first = ends[peers[members[0].key]]
        wanted = (first.system_id, first.lacp_key)
        selected = 0
        for m in members:
            p = ends[peers[m.key]]
            if (p.system_id, p.lacp_key) != wanted:
                out[m.key] = replace(m, excluded="partner mismatch")
            elif selected >= MAX_ACTIVE:
                standby.add(m.key)
            else:
                selected += 1
    return out, standby


def _status(me: _End, peer: _End, standby: set[Key]) -> tuple[MemberStatus, str]:
    if me.excluded and (me.lacp or me.static):
        return MemberStatus.SUSPENDED, me.excluded
    if me.lacp:
        if not peer.lacp:
            kind = "a static channel" if peer.static else "not running LACP"
            return MemberStatus.INDIVIDUAL, f"no LACPDU received: peer is {kind}"
        if not (me.active or peer.active):
            return MemberStatus.WAITING, "passive-passive: neither end sends LACPDUs"
        if peer.excluded:
            return MemberStatus.WAITING, f"partner not in sync ({peer.excluded})"
        if me.key in standby or peer.key in standby:
            return MemberStatus.HOT_STANDBY, "more than 8 LACP members"
        return MemberStatus.BUNDLED, ""
    if me.static:
        if peer.lacp:
            return MemberStatus.BUNDLED, "peer runs LACP: it will not bundle with a static channel"
        if not peer.static:
            return MemberStatus.BUNDLED, "peer is not a channel (independent team or plain port)"
        return MemberStatus.BUNDLED, ""
    if peer.lacp or peer.static:
        return MemberStatus.INDIVIDUAL, "peer is a channel; this end is not"
    return MemberStatus.INDIVIDUAL, ""


def _state(e: _End, status: MemberStatus, partnered: bool) -> int:
    if not e.lacp:
        return 0
    s = _AGGREGATION | (_ACTIVITY if e.active else 0) | (_TIMEOUT if e.rate is LacpRate.FAST else 0)
    if status is MemberStatus.BUNDLED:
        s |= _SYNC | _COLLECTING | _DISTRIBUTING
    elif status is MemberStatus.HOT_STANDBY:
        s |= _SYNC
    if not partnered:
        s |= _DEFAULTED
    return s


def _down(e: _End, reason: str) -> LinkOutcome:
    return LinkOutcome(
        status=MemberStatus.DOWN,
        actor_state=_state(e, MemberStatus.DOWN, False),
        actor_port=e.number,
        actor_key=e.lacp_key,
        reason=reason,
    )


def _outcomes(
    ends: Mapping[Key, _End], peers: Mapping[Key, Key], live: set[Key], standby: set[Key]
) -> dict[Key, LinkOutcome]:
    status = {k: _status(ends[k], ends[peers[k]], standby) for k in live}
    out: dict[Key, LinkOutcome] = {}
    for k, e in ends.items():
        if k not in peers:
            out[k] = _down(e, "not cabled")
            continue
        if k not in live:
            out[k] = _down(e, "link down" if not e.up else "peer link down")
            continue
        p = ends[peers[k]]
        st, reason = status[k]
        heard = e.lacp and p.lacp and (e.active or p.active)
        partner = None
        if heard:
            p_state = _state(p, status[p.key][0], True)
            partner = LacpPeerInfo(
                system_id=p.system_id,
                system_priority=p.priority,
                port=p.number,
                port_priority=p.port_priority,
                key=p.lacp_key,
                state=p_state,
            )
        out[k] = LinkOutcome(
            status=st,
            actor_state=_state(e, st, heard),
            actor_port=e.number,
            actor_key=e.lacp_key,
            partner=partner,
            reason=reason,
        )
    return out


def _apply_min_links(ends: Mapping[Key, _End], out: dict[Key, LinkOutcome]) -> None:
    groups: dict[Key, list[Key]] = {}
    for e in ends.values():
        if e.group is not None and e.min_links:
            groups.setdefault(e.group, []).append(e.key)
    for keys in groups.values():
        need = ends[keys[0]].min_links or 0
        bundled = [k for k in keys if out[k].status is MemberStatus.BUNDLED]
        if bundled and len(bundled) < need:
            note = f"min-links not met ({len(bundled)} of {need})"
            for k in bundled:
                old = out[k].reason
                out[k] = replace(out[k], reason=f"{old}; {note}" if old else note)


def resolve_links(
    switch_ports: Mapping[str, Mapping[str, PortFacts]],
    switch_ids: Mapping[str, str],
    host_ports: Mapping[str, Mapping[str, HostPortFacts]],
    host_ids: Mapping[str, str],
    cables: Sequence[Cable],
) -> dict[tuple[str, str], LinkOutcome]:
    """Outcome per ``(device, port)`` for switch ports and ``(host, nic)`` for host NICs.

    Every port and NIC of the inputs gets an outcome; cables naming unknown ports are ignored
    (their known end is ``DOWN``, "not cabled"); a port on two cables keeps the first one.
    """
    ends = _collect_ends(switch_ports, switch_ids, host_ports, host_ids)
    peers = _peers(ends, cables)
    live = {k for k, p in peers.items() if ends[k].up and ends[p].up}
    ends, standby = _exclude_by_group(ends, peers, live)
    out = _outcomes(ends, peers, live, standby)
    _apply_min_links(ends, out)
    speeds = {(d, p): f.speed_mbps for d, ports in switch_ports.items() for p, f in ports.items()}
    speeds |= {(h, n): f.speed_mbps for h, nics in host_ports.items() for n, f in nics.items()}
    for k in live:  # a link runs at the speed of its slower end
        out[k] = replace(out[k], speed_mbps=min(speeds[k], speeds[peers[k]]))
    return out


def channel_up(outcomes: Iterable[LinkOutcome], min_links: int | None = None) -> bool:
    """True when a channel is in use: at least ``min_links`` (default 1) members bundled."""
    bundled = sum(1 for o in outcomes if o.status is MemberStatus.BUNDLED)
    return bundled >= max(1, min_links or 1)
