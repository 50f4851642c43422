"""Cisco IOS / IOS-XE: extract with the project's TextFSM/TTP templates, normalise to LagState.

ntc-templates' ``cisco_ios_show_etherchannel_summary`` drops the member after ``hot-sby``
(vendor-cli.md 1.3) and ntc has no ``show lacp neighbor|internal`` / ``show etherchannel detail``
templates, so all of them are the project's own (``templates/parsers/cisco_ios``).
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
    as_list,
    as_str,
    channel_of,
    config_mode,
    decode_cisco_flags,
    device_state,
    lacp_mode_of,
    lacp_port,
    lacp_rate_of,
    norm_mac,
    port_name,
    reject_unread_lines,
    to_int,
)
from lagprov.observe.parsers._config import config_groups, config_lags, config_ports
from lagprov.observe.parsers._extract import ntc_rows, project_template, textfsm_rows
from lagprov.observe.parsers.vlans import ids_of_rows

P = Platform.CISCO_IOS
_MEMBER = re.compile(r"(\S+?)\(([\w-]+)\)")
_PHYSICAL = re.compile(r"(Ethernet|GigE|Gigabit)", re.IGNORECASE)

MEMBER_FLAGS: dict[str, MemberStatus] = {
    "P": MemberStatus.BUNDLED, "bndl": MemberStatus.BUNDLED,
    "H": MemberStatus.HOT_STANDBY, "hot-sby": MemberStatus.HOT_STANDBY,
    "s": MemberStatus.SUSPENDED, "susp": MemberStatus.SUSPENDED,
    "I": MemberStatus.INDIVIDUAL, "indep": MemberStatus.INDIVIDUAL,
    "w": MemberStatus.WAITING, "waiting": MemberStatus.WAITING,
    "D": MemberStatus.DOWN, "down": MemberStatus.DOWN,
}  # fmt: skip
_LINK_UP = {
    MemberStatus.BUNDLED: True,
    MemberStatus.HOT_STANDBY: True,
    MemberStatus.INDIVIDUAL: True,
    MemberStatus.DOWN: False,
}
PROTOCOLS = {"LACP": LagProtocol.LACP, "PAgP": LagProtocol.PAGP, "-": LagProtocol.STATIC}


def _state(device: str, lags: list[LagState], **extra: object) -> DeviceLagState:
    return device_state(P, device, lags, **extra)


def _member(name: str, flag: str) -> MemberState:
    status = MEMBER_FLAGS.get(flag)
    return MemberState(
        name=port_name(P, name),
        status=status,
        link_up=_LINK_UP.get(status) if status else None,
        flags=(flag,),
    )


def parse_etherchannel_summary(raw: str, device: str, command: str) -> DeviceLagState:
    """``show etherchannel [N] summary``."""
    if not re.search(r"^-+\+-+", raw, re.MULTILINE):
        raise ParseError(P, command, raw, "no 'Group  Port-channel  Protocol' table")
    lags = []
    for row in textfsm_rows(project_template(P, "show_etherchannel_summary.textfsm"), raw):
        ports = " ".join(as_list(row["ports"]))
        members = tuple(_member(n, f) for n, f in _MEMBER.findall(ports))
        if len(members) != len(ports.split()):
            raise ParseError(P, command, raw, f"unreadable member list {ports!r}")
        flags = as_str(row["bundle_flags"])
        protocol = PROTOCOLS[as_str(row["protocol"])]
        lags.append(
            LagState(
                channel=int(as_str(row["group"])),
                name=as_str(row["bundle"]),
                protocol=protocol,
                mode=SwitchMode.STATIC if protocol is LagProtocol.STATIC else None,
                oper_up=True if "U" in flags else (False if "D" in flags else None),
                members=members,
            )
        )
    return _state(device, lags)


_LACP_LEGEND = re.compile(r"^(Flags:.*|\s+[SFAP]\s+-.*|\s*)$")


def _lacp_rows(raw: str, command: str, template: str) -> list[dict[str, str | list[str]]]:
    if all(_LACP_LEGEND.match(line) for line in raw.splitlines()):
        return []  # the flags legend alone: LACP runs on no channel (no neighbour to list)
    if not re.search(r"^Port\s+Flags", raw, re.MULTILINE):
        raise ParseError(P, command, raw, "no 'Port  Flags ...' LACP table")
    return textfsm_rows(project_template(P, template), raw)


def _group_lags(by_group: dict[int, list[MemberState]]) -> list[LagState]:
    return [
        LagState(channel=group, protocol=LagProtocol.LACP, members=tuple(members))
        for group, members in by_group.items()
    ]


def parse_lacp_neighbor(raw: str, device: str, command: str) -> DeviceLagState:
    """``show lacp [N] neighbor``: the partner side of every member."""
    by_group: dict[int, list[MemberState]] = {}
    for row in _lacp_rows(raw, command, "show_lacp_neighbor.textfsm"):
        activity, rate = decode_cisco_flags(as_str(row["flags"]))
        partner = lacp_port(
            system_id=norm_mac(as_str(row["dev_id"])),
            port_priority=to_int(as_str(row["priority"])),
            key=to_int(as_str(row["oper_key"])),
            port=to_int(as_str(row["port_number"])),
            state=to_int(as_str(row["port_state"])),
            activity=activity,
            rate=rate,
        )
        member = MemberState(name=port_name(P, as_str(row["port"])), partner=partner)
        by_group.setdefault(int(as_str(row["group"])), []).append(member)
    return _state(device, _group_lags(by_group))


def parse_lacp_internal(raw: str, device: str, command: str) -> DeviceLagState:
    """``show lacp [N] internal``: the actor side and the bundling state of every member."""
    by_group: dict[int, list[MemberState]] = {}
    for row in _lacp_rows(raw, command, "show_lacp_internal.textfsm"):
        activity, rate = decode_cisco_flags(as_str(row["flags"]))
        actor = lacp_port(
            port_priority=to_int(as_str(row["priority"])),
            key=to_int(as_str(row["oper_key"])),
            port=to_int(as_str(row["port_number"])),
            state=to_int(as_str(row["port_state"])),
            activity=activity,
            rate=rate,
        )
        flag = as_str(row["state"])
        base = _member(as_str(row["port"]), flag)
        by_group.setdefault(int(as_str(row["group"])), []).append(
            base.model_copy(update={"actor": actor})
        )
    lags = [
        lag.model_copy(
            update={"mode": lacp_mode_of(lag.members), "lacp_rate": lacp_rate_of(lag.members)}
        )
        for lag in _group_lags(by_group)
    ]
    return _state(device, lags)


def _detail_status(port_state: str) -> MemberStatus | None:
    words = port_state.split()
    for word, status in (
        ("In-Bndl", MemberStatus.BUNDLED),
        ("Hot-stdby", MemberStatus.HOT_STANDBY),
        ("Susp", MemberStatus.SUSPENDED),
        ("Indep", MemberStatus.INDIVIDUAL),
        ("Waiting", MemberStatus.WAITING),
        ("Down", MemberStatus.DOWN),
    ):
        if word in words:
            return status
    return None


def _detail_member(row: dict[str, str | list[str]]) -> MemberState:
    status = _detail_status(as_str(row["port_state"]))
    actor = partner = None
    if as_str(row["local_port_state"]):
        activity, rate = decode_cisco_flags(as_str(row["local_flags"]))
        actor = lacp_port(
            port_priority=to_int(as_str(row["local_priority"])),
            key=to_int(as_str(row["local_oper_key"])),
            port=to_int(as_str(row["local_port_number"])),
            state=to_int(as_str(row["local_port_state"])),
            activity=activity,
            rate=rate,
        )
    if as_str(row["partner_port_state"]):
        activity, rate = decode_cisco_flags(as_str(row["partner_flags"]))
        partner = lacp_port(
            system_id=norm_mac(as_str(row["partner_dev_id"])),
            port_priority=to_int(as_str(row["partner_priority"])),
            key=to_int(as_str(row["partner_oper_key"])),
            port=to_int(as_str(row["partner_port_number"])),
            state=to_int(as_str(row["partner_port_state"])),
            activity=activity,
            rate=rate,
        )
    return MemberState(
        name=port_name(P, as_str(row["port"])),
        status=status,
        link_up=_LINK_UP.get(status) if status else None,
        actor=actor,
        partner=partner,
    )


def parse_etherchannel_detail(raw: str, device: str, command: str) -> DeviceLagState:
    """``show etherchannel [N] detail``."""
    rows = textfsm_rows(project_template(P, "show_etherchannel_detail.textfsm"), raw)
    ports = [r for r in rows if as_str(r["port"])]
    channels = [r for r in rows if as_str(r["po_name"])]
    if not ports and not channels:
        raise ParseError(P, command, raw, "no 'Port:' nor 'Port-channel:' block")
    by_group: dict[int, list[MemberState]] = {}
    mode_word: dict[int, set[str]] = {}
    extra: dict[int, dict[str, object]] = {}
    for row in ports:
        group = int(as_str(row["channel_group"]) or channel_of(as_str(row["pseudo_po"])))
        word = as_str(row["mode"]).lower()
        member = _detail_member(row).model_copy(update={"mode": config_mode(word)})
        by_group.setdefault(group, []).append(member)  # each member keeps its own mode
        mode_word.setdefault(group, set()).add(word)
        extra.setdefault(group, {}).update(_group_fields(row))
    for row in channels:
        group = channel_of(as_str(row["po_name"]))
        by_group.setdefault(group, [])
        po_state = as_str(row["po_state"])
        up = {"Ag-Inuse": True, "Ag-Not-Inuse": False}.get(po_state)
        extra.setdefault(group, {}).update({"name": as_str(row["po_name"]), "oper_up": up})
        extra[group].update(_group_fields(row))
    lags = []
    for group, members in by_group.items():
        words = mode_word.get(group, set())
        mode = config_mode(words.pop()) if len(words) == 1 else None
        fields = {k: v for k, v in extra.get(group, {}).items() if v is not None}
        lags.append(
            LagState.model_validate(
                {"channel": group, "members": tuple(members), "mode": mode, **fields,
                 "lacp_rate": lacp_rate_of(members)}
            )
        )
    return _state(device, lags)


def _group_fields(row: dict[str, str | list[str]]) -> dict[str, object]:
    protocol = PROTOCOLS.get(as_str(row["group_protocol"]))
    return {"protocol": protocol, "min_links": to_int(as_str(row["min_links"]))}


def parse_interfaces(raw: str, device: str, command: str) -> DeviceLagState:
    """``show interfaces``: MTU, link and membership of port-channels; physical ports."""
    rows = textfsm_rows(project_template(P, "show_interfaces.textfsm"), raw)
    if not rows:
        raise ParseError(P, command, raw, "no '<interface> is ..., line protocol is' line")
    lags: list[LagState] = []
    ports: list[PortState] = []
    for row in rows:
        name = as_str(row["interface"])
        up = as_str(row["link_status"]) == "up" and as_str(row["protocol_status"]) == "up"
        mtu = to_int(as_str(row["mtu"]))
        mtu_ip = switch_ip_mtu(P, mtu) if mtu is not None else None
        description = as_str(row["description"]) or None
        if "." in name:
            continue
        if name.lower().startswith("port-channel"):
            names = as_list(row["members"]) + as_str(row["member_line"]).split()
            lags.append(
                LagState(
                    channel=channel_of(name), name=name, oper_up=up, mtu_ip=mtu_ip,
                    description=description,
                    members=tuple(MemberState(name=port_name(P, n)) for n in names),
                )
            )
        elif _PHYSICAL.search(name):
            bw = to_int(as_str(row["bandwidth_kbit"]))
            ports.append(
                PortState(
                    name=port_name(P, name), link_up=up, mtu_ip=mtu_ip, description=description,
                    speed_mbps=bw // 1000 if bw else None,
                )
            )
    return _state(device, lags, ports=tuple(ports))


# Every line 'show system mtu' prints (Cat9k: genieparser iosxe ShowSystemMtu; 3750: the
# VMware/EMC note of fixture 2_c3750_jumbo9000; 'On next reload' after a 'system mtu' change).
_MTU_LINES = re.compile(
    r"^(Global Ethernet MTU is \d+ bytes\.?|(System( Jumbo| Alternate)?|Routing) MTU size is "
    r"\d+ bytes\.?|On next reload, .*MTU.* \d+ bytes\.?)$"
)


def parse_system_mtu(raw: str, device: str, command: str) -> DeviceLagState:
    """``show system mtu``: ``Global Ethernet MTU is N`` (3850/9k) or ``System [Jumbo] MTU``."""
    values = {
        key: int(m.group(1))
        for key, pattern in (
            ("global", r"Global Ethernet MTU is (\d+)"),
            ("jumbo", r"System Jumbo MTU size is (\d+)"),
            ("system", r"System MTU size is (\d+)"),
        )
        if (m := re.search(pattern, raw))
    }
    if not values:
        raise ParseError(P, command, raw, "no 'Global Ethernet MTU' / 'System MTU size' line")
    reject_unread_lines(P, command, raw, _MTU_LINES)
    # On 2960/3560/3750 the jumbo value governs GigE and faster ports (vendor-cli.md 1.2).
    value = values.get("global") or values.get("jumbo") or values["system"]
    return _state(device, [], system_mtu_ip=switch_ip_mtu(P, value))


_SYS_ID = re.compile(r"^\s*(\d+)\s*,\s*([0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})\s*$",
                     re.MULTILINE)


def parse_lacp_sys_id(raw: str, device: str, command: str) -> DeviceLagState:
    """``show lacp sys-id``: ``<priority>, <dotted MAC>`` (e.g. ``32768, 2c6b.f575.8581``), the
    switch's own LACP system id, which its LACP partners report as their partner system."""
    m = _SYS_ID.search(raw)
    if m is None:
        raise ParseError(P, command, raw, "no '<priority>, <mac>' line")
    reject_unread_lines(P, command, raw, _SYS_ID)
    return _state(device, [], system_id=norm_mac(m.group(2)))


def parse_running_config(raw: str, device: str, command: str) -> DeviceLagState:
    """``show running-config`` (whole, ``| section interface`` or ``interface X``)."""
    groups = config_groups(P, command, raw)  # any consistent indentation, or flat
    return _state(device, config_lags(P, groups), ports=tuple(config_ports(P, groups)))


def parse_vlan_table(text: str, command: str) -> frozenset[int]:
    """``show vlan brief`` / ``show vlan``: the VLAN ids of the database (1 and 1002-1005
    included).  ntc-templates' ``cisco_ios_show_vlan`` reads the ids (and stops at the
    ``VLAN Type`` table of the long form); :func:`ids_of_rows` refuses a row it skipped."""
    return ids_of_rows(P, command, text, ntc_rows("cisco_ios_show_vlan.textfsm", text))
