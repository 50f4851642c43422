"""Juniper Junos (EX): the project's TextFSM/TTP templates, normalised to LagState.

MTU numbers are Junos *media* MTUs (L2 header included): IP MTU = media MTU - 14 via
:mod:`lagprov.knowledge.mtu`.
The 802.1Q tag is not subtracted (``tagged=False``) so that every command
of one device yields the same number; vendor-cli.md 0.3 notes the extra 4 bytes on tagged ae.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lagprov.errors import ParseError
from lagprov.knowledge.mtu import switch_ip_mtu
from lagprov.knowledge.platforms import get_spec
from lagprov.model.intent import L2
from lagprov.model.state import (
    DeviceLagState,
    LagProtocol,
    LagState,
    MemberState,
    MemberStatus,
    PortState,
)
from lagprov.model.types import LacpRate, Platform, SwitchMode
from lagprov.observe.parsers._common import (
    ACTIVITY,
    AGGREGATION,
    COLLECTING,
    DEFAULTED,
    DISTRIBUTING,
    EXPIRED,
    SYNC,
    TIMEOUT,
    as_str,
    channel_of,
    device_state,
    l2_of,
    lacp_mode_of,
    lacp_port,
    lacp_rate_of,
    norm_mac,
    parse_vlan_list,
    port_name,
    reject_unread_lines,
    to_int,
)
from lagprov.observe.parsers._extract import project_template, textfsm_rows, ttp_groups

P = Platform.JUNIPER_JUNOS
_NOT_RUNNING = "lacp subsystem not running"
Row = dict[str, str | list[str]]


def _state(device: str, lags: list[LagState], **extra: object) -> DeviceLagState:
    return device_state(P, device, lags, **extra)


def _state_byte(row: Row) -> int:
    bits = (
        ("exp", EXPIRED), ("def", DEFAULTED), ("dist", DISTRIBUTING), ("col", COLLECTING),
        ("syn", SYNC), ("aggr", AGGREGATION),
    )  # fmt: skip
    value = sum(bit for key, bit in bits if as_str(row[key]) == "Yes")
    value |= TIMEOUT if as_str(row["timeout"]) == "Fast" else 0
    value |= ACTIVITY if as_str(row["activity"]) == "Active" else 0
    return value


def _info_fields(row: Row) -> dict[str, object]:
    return {
        "system_priority": to_int(as_str(row["sys_priority"])),
        "system_id": norm_mac(as_str(row["sys_id"])),
        "port_priority": to_int(as_str(row["port_priority"])),
        "port": to_int(as_str(row["port_number"])),
        "key": to_int(as_str(row["port_key"])),
    }


def _lacp_status(mux: str, partner_defaulted: bool) -> MemberStatus | None:
    if mux == "Collecting distributing":
        return MemberStatus.BUNDLED
    if partner_defaulted or mux in ("Detached", "Waiting", "Attached"):
        return MemberStatus.WAITING
    return None


def _fold_lacp_rows(rows: Sequence[Row]) -> list[LagState]:
    sides: dict[tuple[str, str, str], dict[str, object]] = {}
    mux: dict[tuple[str, str], str] = {}
    order: dict[str, list[str]] = {}
    for row in rows:
        ae, port, role = as_str(row["ae"]), port_name(P, as_str(row["port"])), as_str(row["role"])
        if port not in order.setdefault(ae, []):
            order[ae].append(port)
        if as_str(row["mux_state"]):
            mux[(ae, port)] = as_str(row["mux_state"])
        elif as_str(row["exp"]):
            sides.setdefault((ae, port, role), {})["state"] = _state_byte(row)
        elif as_str(row["sys_id"]):
            sides.setdefault((ae, port, role), {}).update(_info_fields(row))
    lags = []
    for ae, ports in order.items():
        members = []
        for port in ports:
            actor = sides.get((ae, port, "Actor"))
            partner = sides.get((ae, port, "Partner"))
            p_state = partner.get("state") if partner else None
            defaulted = isinstance(p_state, int) and bool(p_state & DEFAULTED)
            status = _lacp_status(mux.get((ae, port), ""), defaulted)
            members.append(
                MemberState(
                    name=port,
                    status=status,
                    link_up=True if status is MemberStatus.BUNDLED else None,
                    actor=lacp_port(**actor) if actor else None,  # type: ignore[arg-type]
                    partner=lacp_port(**partner) if partner else None,  # type: ignore[arg-type]
                )
            )
        lags.append(
            LagState(
                channel=channel_of(ae), name=ae, protocol=LagProtocol.LACP,
                mode=lacp_mode_of(members), lacp_rate=lacp_rate_of(members),
                members=tuple(members),
            )
        )
    return lags


def parse_lacp_interfaces(raw: str, device: str, command: str) -> DeviceLagState:
    """``show lacp interfaces [aeN] [extensive]`` (state, protocol and info tables).

    ``warning: lacp subsystem not running`` (no LACP ae configured) gives no lags.
    """
    if _NOT_RUNNING in raw:
        return _state(device, [])
    if "Aggregated interface:" not in raw:
        raise ParseError(P, command, raw, "no 'Aggregated interface:' block")
    rows = textfsm_rows(project_template(P, "show_lacp_interfaces.textfsm"), raw)
    return _state(device, _fold_lacp_rows(rows))


def parse_interfaces_extensive(raw: str, device: str, command: str) -> DeviceLagState:
    """``show interfaces aeN extensive``: link, media MTU, minimum links, LACP info, members."""
    rows = textfsm_rows(project_template(P, "show_interfaces_aeN_extensive.textfsm"), raw)
    if not rows or not as_str(rows[0]["ae"]):
        raise ParseError(P, command, raw, "no 'Physical interface: aeN' block")
    head = rows[0]
    info = [r for r in rows if as_str(r["sys_id"])]
    links = {port_name(P, as_str(r["port"])): as_str(r["link"]) == "Up"
             for r in rows if as_str(r["link"])}
    sides: dict[tuple[str, str], dict[str, object]] = {}
    order: list[str] = []
    for row in info:
        port = port_name(P, as_str(row["port"]))
        if port not in order:
            order.append(port)
        sides[(port, as_str(row["role"]))] = _info_fields(row)
    for port in links:
        if port not in order:
            order.append(port)
    members = tuple(
        MemberState(
            name=port,
            link_up=links.get(port),
            actor=lacp_port(**sides[(port, "Actor")]) if (port, "Actor") in sides else None,  # type: ignore[arg-type]
            partner=(
                lacp_port(**sides[(port, "Partner")])  # type: ignore[arg-type]
                if (port, "Partner") in sides else None
            ),
        )
        for port in order
    )
    mtu = to_int(as_str(head["mtu"]))
    lag = LagState(
        channel=channel_of(as_str(head["ae"])),
        name=as_str(head["ae"]),
        protocol=LagProtocol.LACP if info else None,
        oper_up=as_str(head["ae_link"]) == "Up",
        min_links=to_int(as_str(head["min_links"])),
        mtu_ip=switch_ip_mtu(P, mtu) if mtu is not None else None,
        description=as_str(head["description"]) or None,
        members=members,
    )
    return _state(device, [lag])


def _fold_config(lines: Sequence[dict[str, object]]) -> dict[str, dict[str, object]]:
    by_name: dict[str, dict[str, object]] = {}
    for line in lines:
        fields = by_name.setdefault(str(line["name"]), {})
        for key, value in line.items():
            if key == "vlans":
                fields.setdefault("vlans", []).extend(str(value).strip("[] ").split())  # type: ignore[attr-defined]
            elif key not in ("name", "unit"):
                fields[key] = value
    return by_name


def _l2(f: dict[str, object]) -> L2 | None:
    vlans = f.get("vlans")
    return l2_of(
        str(f["l2_mode"]) if "l2_mode" in f else None,
        vlans[0] if isinstance(vlans, list) and f.get("l2_mode") == "access" else None,
        vlans if isinstance(vlans, list) else [],
        str(f["native_vlan"]) if "native_vlan" in f else None,
    )


def _ip_mtu(f: dict[str, object]) -> int | None:
    mtu = f.get("mtu")
    return switch_ip_mtu(P, int(str(mtu))) if mtu is not None else None


def _description(f: dict[str, object]) -> str | None:
    return str(f["description"]).strip('"') if "description" in f else None


def _config_lag(name: str, f: dict[str, object], members: list[MemberState]) -> LagState:
    lacp = f.get("lacp_mode")
    mode = {"active": SwitchMode.LACP_ACTIVE, "passive": SwitchMode.LACP_PASSIVE}.get(str(lacp))
    static = "lacp_mode" not in f and "periodic" not in f
    # no 'periodic' statement: the EX default, fast (vendor-cli.md 3.1, corrected)
    rate = None if static else {"fast": LacpRate.FAST, "slow": LacpRate.SLOW}.get(
        str(f.get("periodic")), get_spec(P).lacp_default_rate)
    return LagState(
        channel=channel_of(name),
        name=name,
        protocol=LagProtocol.STATIC if static else LagProtocol.LACP,
        mode=SwitchMode.STATIC if static else mode,
        lacp_rate=rate,
        min_links=int(str(f["min_links"])) if "min_links" in f else _default_min_links(),
        mtu_ip=_ip_mtu(f),
        description=_description(f),
        l2=_l2(f),
        members=tuple(members),
    )


def _default_min_links() -> int | None:
    """No ``minimum-links`` statement: Junos's default (one link up), from the spec."""
    rule = get_spec(P).min_links
    return rule.default if rule is not None else None


def _config_port(name: str, f: dict[str, object]) -> PortState:
    """A front-panel port in no bundle: its own ``mtu`` statement, description and VLANs.

    No ``mtu`` statement leaves the MTU unknown: groups and interface ranges, which this
    output does not expand, may set it, so the platform default is not assumed.
    """
    return PortState(name=port_name(P, name), mtu_ip=_ip_mtu(f), description=_description(f),
                     l2=_l2(f))


_SET_LINE = re.compile(r"^((set|deactivate|activate|delete) \S.*|#.*|\{[\w:.-]+\})$")


def parse_configuration_set(raw: str, device: str, command: str) -> DeviceLagState:
    """``show configuration [interfaces] | display set``.

    An ae without an ``aggregated-ether-options lacp`` statement is a static bundle; a ``lacp``
    statement without ``active|passive`` leaves the mode unknown here (Junos default: passive);
    without ``periodic`` an LACP ae runs fast (the EX default).
    A member keeps only its own ``mtu`` statement (the ae's MTU applies to members without one,
    see ``PlatformSpec.members_take_lag_mtu``).  Front-panel ports outside any ae are ports.
    """
    if not any(line.startswith("set ") for line in raw.splitlines()):
        raise ParseError(P, command, raw, "no 'set ...' line")
    reject_unread_lines(P, command, raw, _SET_LINE)  # never a silently skipped line
    lines = ttp_groups(project_template(P, "show_configuration_pipe_display_set.ttp"), raw, "lines")
    config = _fold_config(lines)
    members: dict[str, list[MemberState]] = {}
    ports: list[PortState] = []
    pattern = get_spec(P).interface_pattern
    for name, f in config.items():
        if "lag" in f:
            members.setdefault(str(f["lag"]), []).append(
                MemberState(name=port_name(P, name), mtu_ip=_ip_mtu(f))
            )
        elif pattern.match(port_name(P, name)):
            ports.append(_config_port(name, f))
    ae_names = {n for n in config if n.startswith("ae") and n[2:].isdigit()} | set(members)
    lags = [_config_lag(n, config.get(n, {}), members.get(n, [])) for n in ae_names]
    return _state(device, lags, ports=tuple(ports))


_VLAN_ID = re.compile(r"^set vlans (\S+) vlan-id (\d+)$")
_VLAN_LIST = re.compile(r"^set vlans (\S+) vlan-id-list (\S+)$")
_INACTIVE_VLAN = re.compile(r"^deactivate vlans (\S+)$")


def parse_vlan_config(text: str, command: str) -> frozenset[int]:
    """The ids of the ``vlans`` stanza of ``show configuration | display set`` (``vlan-id`` and
    ``vlan-id-list``; a deactivated VLAN does not exist).  A configuration without VLANs gives
    none: the check then finds every VLAN missing."""
    if not any(line.startswith("set ") for line in text.splitlines()):
        raise ParseError(P, command, text, "no 'set ...' line")
    reject_unread_lines(P, command, text, _SET_LINE)
    ids: dict[str, set[int]] = {}
    inactive: set[str] = set()
    for line in text.splitlines():
        line = line.strip()
        if m := _VLAN_ID.match(line):
            ids.setdefault(m.group(1), set()).add(int(m.group(2)))
        elif m := _VLAN_LIST.match(line):
            found = parse_vlan_list(m.group(2))
            if found is None:
                raise ParseError(P, command, text, f"vlan-id-list not understood: {line!r}")
            ids.setdefault(m.group(1), set()).update(found)
        elif m := _INACTIVE_VLAN.match(line):
            inactive.add(m.group(1))
    return frozenset(v for name, vs in ids.items() if name not in inactive for v in vs)
