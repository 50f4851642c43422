"""Arista EOS: the project's TextFSM/TTP templates, normalised to LagState.

ntc's ``arista_eos_show_port-channel_summary`` mis-parses ``Static`` rows (vendor-cli.md 2.2)
and ntc has nothing for ``show lacp neighbor`` / ``show port-channel``.
"""

from __future__ import annotations

import re

from lagprov.errors import ParseError
from lagprov.knowledge.mtu import switch_ip_mtu
from lagprov.model.state import (
    DeviceLagState,
    LagProtocol,
    LagState,
    MemberState,
    MemberStatus,
    PortState,
)
from lagprov.model.types import Platform, SwitchMode
from lagprov.observe.parsers._common import (
    ACTIVITY,
    AGGREGATION,
    COLLECTING,
    DEFAULTED,
    DISTRIBUTING,
    EXPIRED,
    SYNC,
    TIMEOUT,
    agreed,
    as_list,
    as_str,
    channel_of,
    config_mode,
    device_state,
    lacp_port,
    port_name,
    split_system_id,
    to_int,
)
from lagprov.observe.parsers._config import config_groups, config_lags, config_ports
from lagprov.observe.parsers._extract import ntc_rows, project_template, textfsm_rows
from lagprov.observe.parsers.vlans import ids_of_rows

P = Platform.ARISTA_EOS
_MEMBER = re.compile(r"(\S+?)\(([^)]*)\)")


def _state(device: str, lags: list[LagState], **extra: object) -> DeviceLagState:
    return device_state(P, device, lags, **extra)


def member_status(flags: str) -> MemberStatus | None:
    """EOS member flags (``PG+``, ``G-``, ``D``...) -> status; the strongest flag decides."""
    if "D" in flags:
        return MemberStatus.DOWN
    if "P" in flags:
        return MemberStatus.BUNDLED
    if "s" in flags:
        return MemberStatus.SUSPENDED
    if "I" in flags:
        return MemberStatus.INDIVIDUAL
    if "w" in flags or "G-" in flags:
        return MemberStatus.WAITING
    return None


def _summary_lag(row: dict[str, str | list[str]]) -> LagState:
    ports = " ".join(as_list(row["ports"]))
    found = _MEMBER.findall(ports)
    if len(found) != len(ports.split()):
        raise ValueError(f"unreadable member list {ports!r}")
    members = []
    for name, flags in found:
        status = member_status(flags)
        link = False if status is MemberStatus.DOWN else (True if status else None)
        members.append(
            MemberState(name=port_name(P, name), status=status, link_up=link, flags=(flags,))
        )
    proto_word = as_str(row["protocol"]).lower()
    proto_flags = as_str(row["protocol_flags"])
    protocol = {"lacp": LagProtocol.LACP, "static": LagProtocol.STATIC}.get(proto_word)
    mode = None
    if protocol is LagProtocol.STATIC:
        mode = SwitchMode.STATIC
    elif "a" in proto_flags:
        mode = SwitchMode.LACP_ACTIVE
    elif "p" in proto_flags:
        mode = SwitchMode.LACP_PASSIVE
    flags = as_str(row["bundle_flags"])
    return LagState(
        channel=channel_of(as_str(row["bundle"])),
        name=as_str(row["bundle"]),
        protocol=protocol,
        mode=mode,
        oper_up=True if "U" in flags else (False if "D" in flags else None),
        members=tuple(members),
    )


def parse_port_channel_summary(raw: str, device: str, command: str) -> DeviceLagState:
    """``show port-channel summary``; an empty table (no LAG configured) gives no lags."""
    if not re.search(r"^\s*Port-Channel\s+Protocol\s+Ports", raw, re.MULTILINE):
        raise ParseError(P, command, raw, "no 'Port-Channel  Protocol  Ports' table")
    rows = textfsm_rows(project_template(P, "show_port-channel_summary.textfsm"), raw)
    return _state(device, [_summary_lag(r) for r in rows])


_STATE_LETTERS = (
    ("A", ACTIVITY), ("S", TIMEOUT), ("G", AGGREGATION), ("s+", SYNC),
    ("C", COLLECTING), ("D", DISTRIBUTING), ("d", DEFAULTED), ("X", EXPIRED),
)  # fmt: skip


def state_byte(letters: str) -> int:
    """EOS ``ALGs+CD`` -> 0x3D (61).  ``L``/``P``/``I``/``s-`` are the zero bits."""
    value = 0
    rest = letters
    if "s+" in rest:
        value |= SYNC
        rest = rest.replace("s+", "")
    rest = rest.replace("s-", "")
    for letter, bit in _STATE_LETTERS:
        if len(letter) == 1 and letter in rest:
            value |= bit
    return value


def _neighbor_status(word: str) -> MemberStatus | None:
    w = word.lower()
    for key, status in (
        ("bundled", MemberStatus.BUNDLED),
        ("standby", MemberStatus.HOT_STANDBY),
        ("individual", MemberStatus.INDIVIDUAL),
        ("suspended", MemberStatus.SUSPENDED),
        ("waiting", MemberStatus.WAITING),
    ):
        if w.startswith(key):
            return status
    return None


def parse_lacp_neighbor(raw: str, device: str, command: str) -> DeviceLagState:
    """``show lacp neighbor``: partner system id (``8000,0c-1d-...``), port, state letters."""
    if not re.search(r"Sys-id", raw):
        raise ParseError(P, command, raw, "no 'Port Status | Sys-id ...' header")
    by_channel: dict[int, list[MemberState]] = {}
    for row in textfsm_rows(project_template(P, "show_lacp_neighbor.textfsm"), raw):
        prio, mac = split_system_id(as_str(row["sys_id"]), hex_priority=True)
        partner = lacp_port(
            system_id=mac,
            system_priority=prio,
            port=to_int(as_str(row["port_number"])),
            port_priority=to_int(as_str(row["port_priority"])),
            key=to_int(as_str(row["oper_key"])),
            state=state_byte(as_str(row["state"])),
        )
        status = _neighbor_status(as_str(row["status"]))
        member = MemberState(
            name=port_name(P, as_str(row["port"])),
            status=status,
            link_up=True if status is MemberStatus.BUNDLED else None,
            partner=partner,
        )
        by_channel.setdefault(channel_of(as_str(row["channel"])), []).append(member)
    lags = [
        LagState(channel=c, protocol=LagProtocol.LACP, members=tuple(m))
        for c, m in by_channel.items()
    ]
    return _state(device, lags)


def _inactive_status(reason: str) -> MemberStatus | None:
    r = reason.lower()
    if "waiting for lacp" in r:
        return MemberStatus.WAITING
    if any(w in r for w in ("link down", "not connected", "link is down", "admin", "disabled")):
        return MemberStatus.DOWN
    if "suspend" in r:
        return MemberStatus.SUSPENDED
    return None


def _active_member(row: str) -> tuple[MemberState, str | None, str | None]:
    words = row.split()
    protocol = next((w for w in words[1:] if w.lower() in ("lacp", "static")), None)
    mode = next((w for w in words[1:] if w.lower() in ("active", "passive", "on")), None)
    member = MemberState(name=port_name(P, words[0]), status=MemberStatus.BUNDLED, link_up=True,
                         mode=config_mode(mode.lower()) if mode else None)
    return member, protocol, mode


def _port_channel_lag(row: dict[str, str | list[str]]) -> LagState:
    members: list[MemberState] = []
    protocols: list[str | None] = []
    modes: list[str | None] = []
    for name in as_str(row["active_line"]).split():
        members.append(MemberState(name=port_name(P, name), status=MemberStatus.BUNDLED,
                                   link_up=True))
    for text in as_list(row["active_rows"]):
        if text.startswith("Peer"):
            continue  # MLAG peer's port: not a member on this device
        member, protocol, mode = _active_member(text)
        members.append(member)
        protocols.append(protocol)
        modes.append(mode)
    for text in as_list(row["inactive_rows"]):
        name, _, reason = text.partition(" ")
        status = _inactive_status(reason)
        members.append(MemberState(name=port_name(P, name), status=status,
                                   link_up=False if status is MemberStatus.DOWN else None))
    proto_word = agreed(p.lower() if p else None for p in protocols)
    mode = config_mode(agreed(m.lower() if m else None for m in modes))
    min_links = as_str(row["min_links"])
    oper_up = False if as_str(row["no_active"]) else (True if members and (
        members[0].status is MemberStatus.BUNDLED) else None)
    return LagState(
        channel=channel_of(as_str(row["channel"])),
        name=as_str(row["channel"]),
        protocol={"lacp": LagProtocol.LACP, "static": LagProtocol.STATIC}.get(proto_word or ""),
        mode=mode,
        oper_up=oper_up,
        min_links=int(min_links) if min_links.isdigit() else None,
        members=tuple(members),
    )


def parse_port_channel(raw: str, device: str, command: str) -> DeviceLagState:
    """``show port-channel [N] [detailed]``: active and inactive ports with their reasons.

    ``PeerEthernetN`` rows (MLAG peer ports) are skipped: they are not members on this device.
    """
    rows = textfsm_rows(project_template(P, "show_port-channel.textfsm"), raw)
    if not rows:
        raise ParseError(P, command, raw, "no 'Port Channel Port-ChannelN' block")
    return _state(device, [_port_channel_lag(r) for r in rows])


def parse_interfaces(raw: str, device: str, command: str) -> DeviceLagState:
    """``show interfaces``: MTU (IP MTU on EOS), link, membership ("Member of Port-ChannelN")."""
    rows = textfsm_rows(project_template(P, "show_interfaces.textfsm"), raw)
    if not rows:
        raise ParseError(P, command, raw, "no '<interface> is ..., line protocol is' line")
    lags: dict[int, dict[str, object]] = {}
    members: dict[int, list[MemberState]] = {}
    ports: list[PortState] = []
    for row in rows:
        name = as_str(row["interface"])
        up = as_str(row["link_status"]) == "up" and as_str(row["protocol_status"]) == "up"
        mtu = to_int(as_str(row["mtu"]))
        mtu_ip = switch_ip_mtu(P, mtu) if mtu is not None else None
        bw = to_int(as_str(row["bandwidth_kbit"]))
        speed = bw // 1000 if bw else None
        description = as_str(row["description"]) or None
        if as_str(row["hardware"]) == "Port-Channel" and "." not in name:
            lags.setdefault(channel_of(name), {}).update(
                {"name": name, "oper_up": up, "mtu_ip": mtu_ip, "description": description}
            )
        elif as_str(row["member_of"]):
            # an administratively down (or link-down) member stays in its bundle, as down
            member = MemberState(name=port_name(P, name), link_up=up, mtu_ip=mtu_ip,
                                 speed_mbps=speed)
            members.setdefault(channel_of(as_str(row["member_of"])), []).append(member)
        elif as_str(row["hardware"]) == "Ethernet" and name.startswith("Ethernet"):
            ports.append(PortState(name=port_name(P, name), link_up=up, mtu_ip=mtu_ip,
                                   speed_mbps=speed, description=description))
    result = [
        LagState.model_validate({"channel": c, **lags.get(c, {}),
                                 "members": tuple(members.get(c, ()))})
        for c in set(lags) | set(members)
    ]
    return _state(device, result, ports=tuple(ports))


def parse_running_config(raw: str, device: str, command: str) -> DeviceLagState:
    """``show running-config`` (or ``section interface``)."""
    groups = config_groups(P, command, raw)  # any consistent indentation, or flat
    return _state(device, config_lags(P, groups), ports=tuple(config_ports(P, groups)))


def parse_vlan_table(text: str, command: str) -> frozenset[int]:
    """``show vlan`` (``brief`` prints the same table): the configured VLAN ids.  ntc-templates'
    ``arista_eos_show_vlan`` reads them; a row it skips (a status other than active/suspended)
    is refused by :func:`ids_of_rows`, never dropped."""
    return ids_of_rows(P, command, text, ntc_rows("arista_eos_show_vlan.textfsm", text))
