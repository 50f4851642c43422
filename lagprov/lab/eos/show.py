"""Text show commands of the simulated EOS, shaped like the captures in
``shared/fixtures/arista_eos`` (column positions measured on them).

Mapping of LACP-engine statuses to EOS flags ([K] where no capture shows it):
``BUNDLED`` -> ``PG+`` (LACP) / ``P`` (static), ``WAITING``/``INDIVIDUAL`` -> ``G-`` and
"Waiting for LACP response" (captures), ``DOWN`` -> ``D`` / "Link down" [K],
``SUSPENDED`` -> ``s`` [K], ``HOT_STANDBY`` -> ``G-`` / "Standby" [K].
"""

from __future__ import annotations

from lagprov.lab.base import LagMode
from lagprov.lab.eos.config import EOS_VERSION, channel_number, port_channel, short_name
from lagprov.lab.eos.state import EosView, duration
from lagprov.model.state import MemberStatus

_SUMMARY_LEGEND = """\
Flags                                                            \n\
-------------------------- ----------------------------- ------------------------- \n\
   a - LACP Active            p - LACP Passive           * - static fallback       \n\
   F - Fallback enabled       f - Fallback configured    ^ - individual fallback   \n\
   U - In Use                 D - Down                                             \n\
   + - In-Sync                - - Out-of-Sync            i - incompatible with agg \n\
   P - bundled in Po          s - suspended              G - Aggregable            \n\
   I - Individual             S - ShortTimeout           w - wait for agg          \n"""

_LACP_LEGEND = """\
State: A = Active, P = Passive; S=ShortTimeout, L=LongTimeout;
       G = Aggregable, I = Individual; s+=InSync, s-=OutOfSync;
       C = Collecting, X = state machine expired,
       D = Distributing, d = default neighbor state
                 |                        Partner
 Port    Status  | Sys-id                    Port#   State     OperKey  PortPri
------ ----------|------------------------- ------- --------- --------- -------
"""

_WAITING = "Waiting for LACP response"


def member_flags(view: EosView, port: str) -> str:
    """Flags of a member in ``show port-channel summary``."""
    status = view.status(port)
    lacp = view.cfg(port).mode is not LagMode.ON
    if status is MemberStatus.BUNDLED:
        return "PG+" if lacp else "P"
    if status is MemberStatus.DOWN:
        return "D"
    if status is MemberStatus.SUSPENDED:
        return "s"
    return "G-"


def inactive_reason(view: EosView, port: str) -> str:
    """Why a member is not active (``show port-channel``)."""
    status = view.status(port)
    if status is MemberStatus.DOWN:
        return "Link down"
    if status is MemberStatus.SUSPENDED:
        return "Suspended"
    if status is MemberStatus.HOT_STANDBY:
        return "Standby"
    return _WAITING


def _protocol(view: EosView, channel: int) -> str:
    mode = view.channel_mode(channel)
    if mode is LagMode.ON:
        return "Static"
    return "LACP(p)" if mode is LagMode.PASSIVE else "LACP(a)"


def show_port_channel_summary(view: EosView) -> str:
    """``show port-channel summary`` (channels without members are not listed)."""
    rows: list[str] = []
    in_use = 0
    for channel in view.channels():
        members = view.members(channel)
        if not members:
            continue
        up = view.is_up(port_channel(channel))
        in_use += up
        tokens = [f"{short_name(m)}({member_flags(view, m)})" for m in members]
        chunks = [tokens[i:i + 4] for i in range(0, len(tokens), 4)]
        po = f"Po{channel}({'U' if up else 'D'})"
        for i, chunk in enumerate(chunks):
            ports = "".join(f"{t:<7} " for t in chunk)
            lead = f"   {po:<19}{_protocol(view, channel):<13}" if i == 0 else " " * 35
            rows.append(f"{lead}{ports:<33}")
    head = [
        "",
        f"Number of channels in use: {in_use}",
        f"Number of aggregators: {in_use}",
        "",
        "   Port-Channel       Protocol     Ports                            ",
        "------------------ --------------- -------------------------------- ",
    ]
    return _SUMMARY_LEGEND + "\n".join(head + rows) + "\n"


def _partner_state(state: int) -> str:
    text = "A" if state & 0x01 else "P"
    text += "S" if state & 0x02 else "L"
    text += "G" if state & 0x04 else "I"
    text += "s+" if state & 0x08 else "s-"
    text += "C" if state & 0x10 else ""
    text += "X" if state & 0x80 else ""
    text += "D" if state & 0x20 else ""
    text += "d" if state & 0x40 else ""
    return text


def _lacp_status(view: EosView, port: str) -> str:
    status = view.status(port)
    if status is MemberStatus.BUNDLED:
        return "Bundled"
    if status is MemberStatus.HOT_STANDBY:
        return "Standby"
    return "Waiting"


def show_lacp_neighbor(view: EosView) -> str:
    """``show lacp neighbor``: members that hear a partner, grouped by channel."""
    lines: list[str] = []
    for channel in view.channels():
        rows: list[str] = []
        for port in view.members(channel):
            outcome = view.outcome(port)
            if outcome is None or outcome.partner is None or view.cfg(port).shutdown:
                continue
            p = outcome.partner
            sys_id = f"{p.system_priority:04x},{p.system_id.replace(':', '-')}"
            rows.append(
                f" {short_name(port):<7} {_lacp_status(view, port):<7} | {sys_id:<22}"
                f"{p.port:>9}   {_partner_state(p.state):<10} {f'0x{p.key:04x}':>6}"
                f"    {p.port_priority:>5}"
            )
        if rows:
            lines.append(f"Port Channel {port_channel(channel)}:")
            lines.extend(rows)
    return _LACP_LEGEND + "".join(f"{line}\n" for line in lines)


def _inactive_block(view: EosView, ports: list[str]) -> list[str]:
    if not ports:
        return []
    return [
        "  Configured, but inactive ports:",
        "       Port          Reason unconfigured  ",
        "    ---------------- -------------------------",
        *(f"       {p:<14}{inactive_reason(view, p)}" for p in ports),
    ]


def _channel_block(view: EosView, channel: int) -> list[str]:
    active = view.bundled(channel)
    inactive = [m for m in view.members(channel) if m not in active]
    lines = [f"Port Channel {port_channel(channel)}:"]
    lines.append(f"  Active Ports: {' '.join(active)}" if active else "  No Active Ports")
    return lines + _inactive_block(view, inactive)


def show_port_channel(view: EosView, channel: int | None = None) -> str:
    """``show port-channel [N]``."""
    channels = view.channels() if channel is None else [channel]
    lines: list[str] = []
    for c in channels:
        lines.extend(_channel_block(view, c))
    return "".join(f"{line}\n" for line in lines)


def _detailed_block(view: EosView, channel: int) -> list[str]:
    po = view.cfg(port_channel(channel))
    active = view.bundled(channel)
    mode = view.channel_mode(channel)
    protocol = "Static" if mode is LagMode.ON else "LACP"
    mode_text = {LagMode.ACTIVE: "Active", LagMode.PASSIVE: "Passive"}.get(
        mode or LagMode.ON, "On")
    started = duration_clock(view.boot_time)
    lines = [
        f"Port Channel {port_channel(channel)} (Fallback State: Unconfigured):",
        f"Minimum links: {po.min_links if po.min_links is not None else 'unconfigured'}",
        "Minimum speed: unconfigured",
        f"Current weight/Max weight: {len(active)}/16",
    ]
    if active:
        lines += [
            "  Active Ports:",
            "      Port               Time Became Active      Protocol      Mode      Weight",
            "    ------------------ ----------------------- ------------- ----------- ------",
            *(f"      {p:<19}{started:<24}{protocol:<14}{mode_text:<12}1" for p in active),
        ]
    else:
        lines.append("  No Active Ports")
    inactive = [m for m in view.members(channel) if m not in active]
    return lines + _inactive_block(view, inactive)


def duration_clock(timestamp: float) -> str:
    """``13:46:32`` (UTC) of a timestamp."""
    t = int(timestamp) % 86400
    return f"{t // 3600:02d}:{t // 60 % 60:02d}:{t % 60:02d}"


def show_port_channel_detailed(view: EosView, channel: int | None = None) -> str:
    """``show port-channel [N] detailed``."""
    channels = view.channels() if channel is None else [channel]
    lines: list[str] = []
    for c in channels:
        lines.extend(_detailed_block(view, c))
    return "".join(f"{line}\n" for line in lines)


_COUNTERS = """\
  Loopback Mode : None
  {changes} link status changes since last clear
  Last clearing of "show interface" counters {clear} ago
  5 minutes input rate 0 bps (0.0% with framing overhead), 0 packets/sec
  5 minutes output rate 0 bps (0.0% with framing overhead), 0 packets/sec
     0 packets input, 0 bytes
     Received 0 broadcasts, 0 multicast
     0 runts, 0 giants
     0 input errors, 0 CRC, 0 alignment, 0 symbol, 0 input discards
     0 PAUSE input
     0 packets output, 0 bytes
     Sent 0 broadcasts, 0 multicast
     0 output errors, 0 collisions
     0 late collision, 0 deferred, 0 output discards
     0 PAUSE output
"""


def _status_line(view: EosView, name: str) -> str:
    cfg = view.cfg(name)
    if cfg.shutdown:
        return f"{name} is administratively down, line protocol is down (disabled)"
    if view.is_up(name):
        return f"{name} is up, line protocol is up (connected)"
    proto = "lowerlayerdown" if channel_number(name) is not None else "down"
    return f"{name} is down, line protocol is {proto} (notconnect)"


def _speed_text(mbps: int) -> str:
    return f"{mbps // 1000}Gb/s" if mbps >= 1000 else f"{mbps}Mb/s"


def _ip_lines(view: EosView, name: str) -> list[str]:
    cfg = view.cfg(name)
    addrs = [v.split()[2] for v in cfg.verbatim if v.startswith("ip address ") and
             len(v.split()) > 2]
    if not addrs:
        return []
    return [f"  Internet address is {addrs[0]}", "  Broadcast address is 255.255.255.255"]


def _mtu_line(view: EosView, name: str, bw: str) -> str:
    cfg = view.cfg(name)
    if cfg.routed or name.startswith("Management"):
        default = " (default)" if cfg.mtu is None else ""
        return f"  IP MTU {view.mtu(name)} bytes{default}{bw}"
    return f"  Ethernet MTU {view.mtu(name)} bytes{bw}"


def _interface_block(view: EosView, name: str) -> str:
    cfg = view.cfg(name)
    up = view.is_up(name)
    mac = view.mac(name)
    since = f"  {'Up' if up else 'Down'} {duration(view.uptime())}"
    lines = [_status_line(view, name)]
    number = channel_number(name)
    if number is not None:
        lines.append(f"  Hardware is Port-Channel, address is {mac}")
    else:
        lines.append(f"  Hardware is Ethernet, address is {mac} (bia {mac})")
    if cfg.description:
        lines.append(f"  Description: {cfg.description}")
    if cfg.channel is not None:
        lines.append(f"  Member of {port_channel(cfg.channel)}")
    lines += _ip_lines(view, name)
    speed = view.speed(name)
    bw = f", BW {speed * 1000} kbit" if speed else ""
    lines.append(_mtu_line(view, name, bw))
    if number is not None:
        bundled = view.bundled(number)
        lines.append(f"  Full-duplex, {_speed_text(speed)}" if speed else
                     "  Full-duplex, Unconfigured")
        lines.append(f"  Active members in this channel: {len(bundled)}")
        lines += [f"  ... {m} , Full-duplex, {_speed_text(view.speed(m))}" for m in bundled]
        lines += ["  Fallback mode is: off", since]
        return "".join(f"{line}\n" for line in lines)
    autoneg = "on" if name.startswith("Management") else "off"
    lines.append(f"  Full-duplex, {_speed_text(speed)}, auto negotiation: {autoneg}, "
                 "uni-link: n/a")
    lines.append(since)
    up_s = int(view.uptime())
    clear = f"{up_s // 3600}:{up_s // 60 % 60:02d}:{up_s % 60:02d}"
    counters = _COUNTERS.format(changes=1 if up else 0, clear=clear)
    return "".join(f"{line}\n" for line in lines) + counters


def show_interfaces(view: EosView, names: list[str] | None = None) -> str:
    """``show interfaces [names]``."""
    return "".join(_interface_block(view, n) for n in names or view.interface_names())


def show_version(view: EosView) -> str:
    """``show version``."""
    mac = view.system_mac.replace(":", "")
    return (
        f"Arista {view.model}\n"
        "Hardware version:    01.00\n"
        f"Serial number:       {view.serial}\n"
        f"System MAC address:  {mac[0:4]}.{mac[4:8]}.{mac[8:12]}\n\n"
        f"Software image version: {EOS_VERSION}\n"
        "Architecture:           i386\n"
        f"Internal build version: {EOS_VERSION}-lab\n"
        "Internal build ID:      00000000-0000-0000-0000-000000000000\n\n"
        f"Uptime:                 {duration(view.uptime())}\n"
        "Total memory:           4009932 kB\n"
        "Free memory:            2234568 kB\n\n"
    )
