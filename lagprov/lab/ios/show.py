"""Cisco IOS show outputs of the lab, shaped like the real captures in shared/fixtures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lagprov.lab.base import LagMode, LinkOutcome
from lagprov.lab.ios.config import IosConfig
from lagprov.lab.ios.parse import short_name
from lagprov.lab.vlans import vlan_name, vlan_table
from lagprov.model.state import MemberStatus

FLAG = {MemberStatus.BUNDLED: "P", MemberStatus.HOT_STANDBY: "H",
        MemberStatus.SUSPENDED: "s", MemberStatus.INDIVIDUAL: "I",
        MemberStatus.WAITING: "w", MemberStatus.DOWN: "D"}

_LEGEND_2960 = """Flags:  D - down        P - bundled in port-channel
        I - stand-alone s - suspended
        H - Hot-standby (LACP only)
        R - Layer3      S - Layer2
        U - in use      f - failed to allocate aggregator

        M - not in use, minimum links not met
        u - unsuitable for bundling
        w - waiting to be aggregated
        d - default port

"""
_LEGEND_9300 = _LEGEND_2960 + "        A - formed by Auto LAG\n\n\n"
_LEGEND_2960 += "\n"
_LACP_LEGEND = """Flags:  S - Device is requesting Slow LACPDUs
        F - Device is requesting Fast LACPDUs
        A - Device is in Active mode       P - Device is in Passive mode
"""
_LACP_HEAD = (
    "                  LACP port                        Admin  Oper   Port    Port\n"
    "Port      Flags   Priority  Dev ID          Age    key    Key    Number  State\n")
_COUNTERS = """  Last input never, output never, output hang never
  Last clearing of "show interface" counters never
  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0
  Queueing strategy: fifo
  Output queue: 0/40 (size/max)
  5 minute input rate 0 bits/sec, 0 packets/sec
  5 minute output rate 0 bits/sec, 0 packets/sec
     0 packets input, 0 bytes, 0 no buffer
     Received 0 broadcasts (0 multicasts)
     0 runts, 0 giants, 0 throttles\x20
     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored
     0 watchdog, 0 multicast, 0 pause input
     0 input packets with dribble condition detected
     0 packets output, 0 bytes, 0 underruns
     0 output errors, 0 collisions, 0 interface resets
     0 unknown protocol drops
     0 babbles, 0 late collision, 0 deferred
     0 lost carrier, 0 no carrier, 0 pause output
     0 output buffer failures, 0 output buffers swapped out
"""


@dataclass(frozen=True, slots=True)
class ShowData:
    """What the show commands need from a switch at one instant."""

    cfg: IosConfig
    status: Mapping[str, MemberStatus]  # per physical port (suspension applied)
    outcomes: Mapping[str, LinkOutcome]
    speeds: Mapping[str, int]  # Mb/s per physical port
    mtu: int  # effective MTU of the front-panel ports
    mac: str  # system MAC aa:bb:cc:dd:ee:ff
    new_style: bool  # IOS-XE 9300 legend


def dotted_mac(mac: str, offset: int = 0) -> str:
    """``aa:bb:cc:dd:ee:ff`` (+offset) -> ``aabb.ccdd.eeff``."""
    value = (int(mac.replace(":", ""), 16) + offset) & (2**48 - 1)
    h = f"{value:012x}"
    return f"{h[0:4]}.{h[4:8]}.{h[8:12]}"


def channel_status(d: ShowData, num: int) -> str:
    """Po flags: S plus U (in use), D (down) or M (min-links not met)."""
    members = d.cfg.channels().get(num, [])
    up = [m for m in members if d.status.get(m) in (MemberStatus.BUNDLED,)]
    po = d.cfg.interfaces.get(f"Port-channel{num}")
    if po is not None and po.shutdown:
        return "SD"
    if po is not None and po.min_links and 0 < len(up) < po.min_links:
        return "SM"
    return "SU" if up else "SD"


def etherchannel_summary(d: ShowData, only: int | None = None) -> str:
    """``show etherchannel [N] summary``."""
    channels = d.cfg.channels()
    out = [] if only is not None else [_LEGEND_9300 if d.new_style else _LEGEND_2960]
    if only is None:
        out.append(f"Number of channel-groups in use: {len(channels)}\n"
                   f"Number of aggregators:           {len(channels)}\n\n")
    out.append("Group  Port-channel  Protocol    Ports\n"
               "------+-------------+-----------+-----------------------------------------------\n")
    for num, members in channels.items():
        if only is not None and num != only:
            continue
        modes = {d.cfg.interfaces[m].lag_mode for m in members}
        proto = "-" if not members or modes == {LagMode.ON} else "LACP"
        cells = [f"{short_name(m)}({FLAG[d.status.get(m, MemberStatus.DOWN)]})" for m in members]
        head = f"{num:<7}{f'Po{num}({channel_status(d, num)})':<16}{proto:<10}"
        rows = [cells[i:i + 4] for i in range(0, len(cells), 4)] or [[]]
        for i, row in enumerate(rows):
            text = (head if i == 0 else " " * 33) + "  ".join(f"{c:<10}" for c in row)
            out.append(text.rstrip() + "\n")
    return "".join(out)


def _flags(state: int) -> str:
    return ("F" if state & 0x02 else "S") + ("A" if state & 0x01 else "P")


def lacp_neighbor(d: ShowData) -> str:
    """``show lacp neighbor``: one block per LACP channel."""
    out = [_LACP_LEGEND]
    for num, members in d.cfg.channels().items():
        lacp = [m for m in members if d.cfg.interfaces[m].lag_mode in (LagMode.ACTIVE,
                                                                        LagMode.PASSIVE)]
        if not lacp:
            continue
        out.append(f"\nChannel group {num} neighbors\n\n{_LACP_HEAD}")
        for m in lacp:
            peer = d.outcomes[m].partner if m in d.outcomes else None
            if peer is None:
                row = (f"{short_name(m):<10}{'SP':<8}{0:<10}{'0000.0000.0000':<16}{'0s':>3}    "
                       f"{'0x0':<7}{'0x0':<7}{'0x0':<8}0x0")
            else:
                row = (f"{short_name(m):<10}{_flags(peer.state):<8}{peer.port_priority:<10}"
                       f"{dotted_mac(peer.system_id):<16}{'1s':>3}    {'0x0':<7}"
                       f"{hex(peer.key):<7}{hex(peer.port):<8}0x{peer.state:02X}")
            out.append(row + "\n")
    return "".join(out)


def system_mtu(jumbo_scope: bool, system: int, jumbo: int) -> str:
    """``show system mtu`` (2960: system + jumbo lines; 9300: global Ethernet MTU)."""
    if jumbo_scope:
        return f"System MTU size is {system} bytes\nSystem Jumbo MTU size is {jumbo} bytes\n"
    return f"Global Ethernet MTU is {system} bytes.\n"


def _line_state(d: ShowData, name: str) -> tuple[str, str, str]:
    """(link, protocol, reason) as IOS prints them for interface ``name``."""
    itf = d.cfg.interfaces[name]
    if itf.shutdown:
        return "administratively down", "down", "disabled"
    if name.startswith("Port-channel"):
        up = channel_status(d, int(name[len("Port-channel"):])) == "SU"
        return ("up", "up", "connected") if up else ("down", "down", "notconnect")
    if name.startswith("Vlan"):
        return "up", "up", ""
    status = d.status.get(name, MemberStatus.DOWN)
    if status is MemberStatus.DOWN:
        return "down", "down", "notconnect"
    if status is MemberStatus.SUSPENDED:
        return "up", "down", "suspended"
    return "up", "up", "connected"


def _interface_block(d: ShowData, name: str, index: int) -> str:
    itf = d.cfg.interfaces[name]
    link, proto, reason = _line_state(d, name)
    mac = dotted_mac(d.mac, index)
    suffix = f" ({reason})" if reason else ""
    lines = [f"{name} is {link}, line protocol is {proto}{suffix} "]
    if name.startswith("Port-channel"):
        num = int(name[len("Port-channel"):])
        members = d.cfg.channels().get(num, [])
        active = [m for m in members if d.status.get(m) is MemberStatus.BUNDLED]
        bw = sum(d.speeds.get(m, 1000) for m in active) * 1000 or 100000
        speed = d.speeds.get(members[0], 1000) if members else 1000
        lines += [f"  Hardware is EtherChannel, address is {mac} (bia {mac})"]
    elif name.startswith("Vlan"):
        bw, speed = 1000000, 0
        lines += [f"  Hardware is EtherSVI, address is {mac} (bia {mac})"]
    else:
        speed = d.speeds[name]
        bw = speed * 1000
        kind = "Ten Gigabit Ethernet" if speed >= 10000 else "Gigabit Ethernet"
        lines += [f"  Hardware is {kind}, address is {mac} (bia {mac})"]
    if itf.description:
        lines.append(f"  Description: {itf.description}")
    lines += [f"  MTU {d.mtu if not name.startswith('Vlan') else 1500} bytes, BW {bw} Kbit/sec, "
              "DLY 10 usec, ",
              "     reliability 255/255, txload 1/255, rxload 1/255",
              "  Encapsulation ARPA, loopback not set", "  Keepalive set (10 sec)"]
    if not name.startswith("Vlan"):
        media = "unknown" if name.startswith("Port") else "10/100/1000BaseTX"
        lines += [f"  Full-duplex, {speed}Mb/s, link type is auto, media type is {media}",
                  "  input flow-control is off, output flow-control is unsupported "]
    if name.startswith("Port-channel"):
        members = d.cfg.channels().get(int(name[len("Port-channel"):]), [])
        active = [short_name(m) for m in members if d.status.get(m) is MemberStatus.BUNDLED]
        if active:
            lines.append("  Members in this channel: " + " ".join(active) + " ")
    lines.append("  ARP type: ARPA, ARP Timeout 04:00:00")
    return "\n".join(lines) + "\n" + _COUNTERS


def interface_order(cfg: IosConfig) -> list[str]:
    """Interfaces in IOS display order: Vlan, physical ports, Port-channels."""
    vlans = [n for n in cfg.interfaces if n.startswith("Vlan")]
    pos = [f"Port-channel{n}" for n in cfg.channels()]
    return vlans + list(cfg.ports) + pos


def interfaces(d: ShowData, only: str | None = None) -> str:
    """``show interfaces [name]``."""
    order = interface_order(d.cfg)
    return "".join(_interface_block(d, n, i + 1) for i, n in enumerate(order)
                   if only is None or n == only)


def ip_interface_brief(d: ShowData) -> str:
    """``show ip interface brief``."""
    out = ["Interface              IP-Address      OK? Method Status                Protocol\n"]
    for name in interface_order(d.cfg):
        link, proto, _ = _line_state(d, name)
        method = "NVRAM" if name.startswith("Vlan") else "unset"
        out.append(f"{name + ' ':<23}{'unassigned':<16}{'YES':<4}{method:<7}{link:<22}{proto}\n")
    return "".join(out)


_RESERVED = {1: "default", 1002: "fddi-default", 1003: "token-ring-default",
             1004: "fddinet-default", 1005: "trnet-default"}


def vlan_brief(d: ShowData) -> str:
    """``show vlan brief`` (the shape of ntc-templates tests/cisco_ios/show_vlan): every VLAN
    of the database with its access ports (trunks are not listed, a bundle as its Po)."""
    ports: dict[int, list[str]] = {v: [] for v in d.cfg.vlans}
    for name, itf in d.cfg.interfaces.items():
        if name.startswith("Vlan") or itf.group is not None or itf.mode == "trunk":
            continue
        vlan = itf.access_vlan or 1
        if vlan in ports:
            ports[vlan].append(short_name(name))
    rows = [(v, _RESERVED.get(v, vlan_name(v)), "act/unsup" if 1002 <= v <= 1005 else "active",
             ports[v]) for v in sorted(ports)]
    return vlan_table(rows, id_width=4)
