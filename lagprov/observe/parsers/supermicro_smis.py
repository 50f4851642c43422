"""Supermicro SMIS (Aricent ISS): parsers for the MODELLED output shapes of docs/smis-outputs.md.

**No real Supermicro SMIS capture of these commands exists** (vendor-cli.md sections 4 and 7):
the templates in ``templates/parsers/supermicro_smis`` follow the shapes lagprov's lab prints.
Replace them with real captures as soon as an SSE-X24S is available.  ``ESC[27m`` prefixes and
``\\r`` are stripped before parsing (:func:`lagprov.observe.parsers._common.clean_output`).
"""

from __future__ import annotations

import re

from lagprov.errors import ParseError
from lagprov.knowledge.mtu import switch_ip_mtu
from lagprov.model.state import (
    DeviceLagState,
    LacpActivity,
    LagProtocol,
    LagState,
    MemberState,
    MemberStatus,
    PortState,
)
from lagprov.model.types import LacpRate, Platform, SwitchMode
from lagprov.observe.parsers._common import (
    as_str,
    config_mode,
    device_state,
    lacp_mode_of,
    lacp_port,
    lacp_rate_of,
    norm_mac,
    port_name,
    split_system_id,
    to_int,
)
from lagprov.observe.parsers._config import config_groups, config_lags, config_ports
from lagprov.observe.parsers._extract import project_template, textfsm_rows
from lagprov.observe.parsers.vlans import ids_of_rows

P = Platform.SUPERMICRO_SMIS
_MEMBER = re.compile(r"([A-Za-z]+\s?\d+/\d+)\(([A-Za-z]+)\)")
MEMBER_FLAGS = {
    "P": MemberStatus.BUNDLED, "H": MemberStatus.HOT_STANDBY, "s": MemberStatus.SUSPENDED,
    "I": MemberStatus.INDIVIDUAL, "D": MemberStatus.DOWN,
}  # fmt: skip
PORT_STATES = {
    "Up in Bundle": MemberStatus.BUNDLED, "Hot-Standby": MemberStatus.HOT_STANDBY,
    "Suspended": MemberStatus.SUSPENDED, "Stand-alone": MemberStatus.INDIVIDUAL,
    "Down": MemberStatus.DOWN,
}  # fmt: skip
_ACTIVITY = {
    SwitchMode.LACP_ACTIVE: LacpActivity.ACTIVE, SwitchMode.LACP_PASSIVE: LacpActivity.PASSIVE
}
PROTOCOLS = {"LACP": LagProtocol.LACP, "Manual": LagProtocol.STATIC}


def _state(device: str, lags: list[LagState], **extra: object) -> DeviceLagState:
    return device_state(P, device, lags, **extra)


def _link(status: MemberStatus | None) -> bool | None:
    if status is MemberStatus.DOWN:
        return False
    return True if status in (MemberStatus.BUNDLED, MemberStatus.HOT_STANDBY) else None


def parse_etherchannel_summary(raw: str, device: str, command: str) -> DeviceLagState:
    """``show etherchannel summary`` (modelled).  LA disabled -> no lags."""
    if not re.search(r"^Port-channel Module Admin Status is", raw, re.MULTILINE):
        raise ParseError(P, command, raw, "no 'Port-channel Module Admin Status' line")
    rows = textfsm_rows(project_template(P, "show_etherchannel_summary.textfsm"), raw)
    system_id = re.search(r"System Identifier is\s+(\S+)", raw)
    lags = []
    for row in rows:
        ports = as_str(row["ports"])
        found = _MEMBER.findall(ports)
        if len(found) != len([p for p in ports.split(",") if p.strip()]):
            raise ValueError(f"unreadable member list {ports!r}")
        members = tuple(
            MemberState(
                name=port_name(P, name), status=MEMBER_FLAGS.get(flag),
                link_up=_link(MEMBER_FLAGS.get(flag)), flags=(flag,),
            )
            for name, flag in found
        )
        protocol = PROTOCOLS.get(as_str(row["protocol"]))
        flags = as_str(row["bundle_flags"])
        lags.append(
            LagState(
                channel=int(as_str(row["bundle"])[2:]),
                name=as_str(row["bundle"]),
                protocol=protocol,
                mode=config_mode("on") if protocol is LagProtocol.STATIC else None,
                oper_up=True if "U" in flags else (False if "D" in flags else None),
                members=members,
            )
        )
    return _state(device, lags, system_id=norm_mac(system_id.group(1)) if system_id else None)


def _detail_member(row: dict[str, str | list[str]]) -> MemberState:
    status = PORT_STATES.get(as_str(row["port_state"]))
    rate = {"Long": LacpRate.SLOW, "Short": LacpRate.FAST}.get(as_str(row["timeout"]))
    actor = partner = None
    if as_str(row["port_state_byte"]) or as_str(row["port_number"]):
        mode = config_mode(as_str(row["mode"]))
        actor = lacp_port(
            port=to_int(as_str(row["port_number"])),
            port_priority=to_int(as_str(row["port_priority"])),
            key=to_int(as_str(row["oper_key"])),
            state=to_int(as_str(row["port_state_byte"])),
            rate=rate,
            activity=_ACTIVITY.get(mode) if mode else None,
        )
    if as_str(row["partner_system_id"]):
        prio, mac = split_system_id(as_str(row["partner_system_id"]), hex_priority=False)
        partner = lacp_port(
            system_id=mac, system_priority=prio,
            port=to_int(as_str(row["partner_port"])),
            key=to_int(as_str(row["partner_key"])),
            port_priority=to_int(as_str(row["partner_priority"])),
            state=to_int(as_str(row["partner_state"])),
        )
    return MemberState(name=port_name(P, as_str(row["port"])), status=status,
                       link_up=_link(status), actor=actor, partner=partner)


def parse_etherchannel_detail(raw: str, device: str, command: str) -> DeviceLagState:
    """``show etherchannel [N] detail`` (modelled)."""
    rows = textfsm_rows(project_template(P, "show_etherchannel_detail.textfsm"), raw)
    rows = [r for r in rows if as_str(r["channel"])]
    if not rows:
        raise ParseError(P, command, raw, "no 'Port-channel: N' block")
    fields: dict[int, dict[str, object]] = {}
    members: dict[int, list[MemberState]] = {}
    modes: dict[int, set[str]] = {}
    for row in rows:
        channel = int(as_str(row["channel"]))
        members.setdefault(channel, [])
        if as_str(row["port"]):
            word = as_str(row["mode"]).lower()  # each member keeps its own mode
            members[channel].append(
                _detail_member(row).model_copy(update={"mode": config_mode(word)}))
            modes.setdefault(channel, set()).add(word)
        else:
            up = {"Ag-Inuse": True, "Ag-Not-Inuse": False}.get(as_str(row["po_state"]))
            fields[channel] = {"oper_up": up, "protocol": PROTOCOLS.get(as_str(row["protocol"]))}
    lags = []
    for channel, ms in members.items():
        words = modes.get(channel, set())
        mode = config_mode(words.pop()) if len(words) == 1 else lacp_mode_of(ms)
        lags.append(
            LagState.model_validate(
                {"channel": channel, **fields.get(channel, {}), "mode": mode,
                 "lacp_rate": lacp_rate_of(ms), "members": tuple(ms)}
            )
        )
    return _state(device, lags)


def parse_interface_mtu(raw: str, device: str, command: str) -> DeviceLagState:
    """``show interface mtu`` (modelled): ``Ex0/1 9216`` ... ``po1 9216``."""
    if not re.search(r"^Port\s+MTU", raw, re.MULTILINE):
        raise ParseError(P, command, raw, "no 'Port  MTU' header")
    rows = textfsm_rows(project_template(P, "show_interface_mtu.textfsm"), raw)
    lags, ports = [], []
    for row in rows:
        name, mtu = as_str(row["port"]), switch_ip_mtu(P, int(as_str(row["mtu"])))
        if name.lower().startswith("po"):
            lags.append(LagState(channel=int(re.sub(r"\D", "", name)), mtu_ip=mtu))
        else:
            ports.append(PortState(name=port_name(P, name), mtu_ip=mtu))
    return _state(device, lags, ports=tuple(ports))


def parse_running_config(raw: str, device: str, command: str) -> DeviceLagState:
    """``show running-config`` (modelled): ``interface port-channel N`` + member blocks."""
    groups = config_groups(P, command, raw)  # any consistent indentation, or flat
    return _state(device, config_lags(P, groups), ports=tuple(config_ports(P, groups)))


def parse_vlan_table(text: str, command: str) -> frozenset[int]:
    """``show vlan brief``: one ``Vlan ID : N`` block per VLAN (the Aricent ISS shape, modelled:
    docs/smis-outputs.md); the template refuses any line it does not know."""
    rows = textfsm_rows(project_template(P, "show_vlan_brief.textfsm"), text)
    return ids_of_rows(P, command, text, rows)
