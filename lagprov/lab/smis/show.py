"""Show-command outputs of the simulated SMIS switch.

The shapes are MODELLED, not captured: no real Supermicro SMIS output of these commands is
public.  They follow ``docs/smis-outputs.md`` exactly (Aricent ISS family, Oracle SEFOS
fragments); replace them when a real SSE-X24S capture exists.
"""

from __future__ import annotations

from collections.abc import Mapping

from lagprov.lab.base import LagMode, LinkOutcome
from lagprov.lab.lacp import channel_up
from lagprov.lab.smis.state import (
    SMIS_FIRMWARE,
    SMIS_HW_REVISION,
    SmisConfig,
    SmisIface,
    table_name,
)
from lagprov.lab.vlans import parse_ids
from lagprov.model.state import MemberStatus

_FLAG = {
    MemberStatus.BUNDLED: "P",
    MemberStatus.HOT_STANDBY: "H",
    MemberStatus.SUSPENDED: "s",
    MemberStatus.INDIVIDUAL: "I",
    MemberStatus.WAITING: "I",
    MemberStatus.DOWN: "D",
}
_STATE = {
    MemberStatus.BUNDLED: "Up in Bundle",
    MemberStatus.HOT_STANDBY: "Hot-Standby",
    MemberStatus.SUSPENDED: "Suspended",
    MemberStatus.INDIVIDUAL: "Stand-alone",
    MemberStatus.WAITING: "Stand-alone",
    MemberStatus.DOWN: "Down",
}
_DOWN = LinkOutcome(status=MemberStatus.DOWN)

Outcomes = Mapping[str, LinkOutcome]


def _protocol(cfg: SmisConfig, channel: int) -> str:
    modes = {cfg.ports[p].lag_mode for p in cfg.members(channel)}
    return "Manual" if modes == {LagMode.ON} else "LACP"


def _in_use(cfg: SmisConfig, channel: int, outcomes: Outcomes) -> bool:
    if cfg.channels[channel].shutdown:
        return False
    return channel_up(outcomes.get(p, _DOWN) for p in cfg.members(channel))


def show_version(hardware: str) -> str:
    """``show version`` in the two-line shape of the Oxidized ``aricentiss`` samples."""
    return (
        "Switch ID       Hardware Version                Firmware Version\n"
        f"0               {hardware:<14}{SMIS_HW_REVISION:<18}{SMIS_FIRMWARE}\n"
    )


def etherchannel_summary(cfg: SmisConfig, system_mac: str, outcomes: Outcomes) -> str:
    """``show etherchannel summary``."""
    state = "enabled" if cfg.la_enabled else "disabled"
    lines = [
        f"Port-channel Module Admin Status is {state}",
        f"Port-channel Module Oper Status is {state}",
        f"Port-channel System Identifier is  {system_mac}",
    ]
    if not cfg.la_enabled:
        return "\n".join(lines) + "\n"
    n = len(cfg.channels)
    lines += [
        "",
        "Flags:",
        "D - down           P - bundled in port-channel",
        "I - stand-alone    s - suspended",
        "H - Hot-standby (LACP only)",
        "U - in use         d - default port",
        "",
        f"Number of channel-groups in use: {n}",
        f"Number of aggregators: {n}",
        "",
        "Group  Port-channel  Protocol  Ports",
        "------ ------------- --------- ----------------------------------------",
    ]
    for ch in sorted(cfg.channels):
        po = f"Po{ch}({'U' if _in_use(cfg, ch, outcomes) else 'D'})"
        ports = ", ".join(
            f"{table_name(p)}({_FLAG[outcomes.get(p, _DOWN).status]})" for p in cfg.members(ch)
        )
        lines.append(f"{ch:<7}{po:<14}{_protocol(cfg, ch):<10}{ports}".rstrip())
    return "\n".join(lines) + "\n"


def _member_block(cfg: SmisConfig, port: str, outcome: LinkOutcome) -> list[str]:
    iface = cfg.ports[port]
    ch = iface.channel
    mode = (iface.lag_mode or LagMode.ON).value.capitalize()
    lines = [
        f"Port : {table_name(port)}",
        "------------",
        f"Port State = {_STATE[outcome.status]}",
        f"Channel Group : {ch}",
        f"Mode : {mode}",
        f"Pseudo port-channel = Po{ch}",
    ]
    if iface.lag_mode is LagMode.ON:
        return lines
    lines += [
        "LACP port-priority = 128",
        "LACP Wait-time = 2 secs",
        f"LACP Timeout = {'Short' if iface.lacp_fast else 'Long'}",
        f"LACP Port Identifier = {outcome.actor_port}",
        f"LACP Port Admin Key = {ch}",
        f"LACP Port Oper Key = {ch}",
        f"Port-state = 0x{outcome.actor_state:02x}",
    ]
    p = outcome.partner
    if p is not None:
        lines += [
            "",
            "Partner information:",
            f"LACP Partner System ID = {p.system_priority},{p.system_id}",
            f"LACP Partner Port Identifier = {p.port}",
            f"LACP Partner Oper Key = {p.key}",
            f"LACP Partner Port Priority = {p.port_priority}",
            f"LACP Partner Port-state = 0x{p.state:02x}",
        ]
    return lines


def etherchannel_detail(cfg: SmisConfig, outcomes: Outcomes, only: int | None = None) -> str:
    """``show etherchannel detail`` (or ``show etherchannel N detail`` with ``only``)."""
    if not cfg.la_enabled:
        return ""
    blocks: list[str] = []
    for ch in sorted(cfg.channels):
        if only is not None and ch != only:
            continue
        members = cfg.members(ch)
        standby = [
            table_name(p)
            for p in members
            if outcomes.get(p, _DOWN).status is MemberStatus.HOT_STANDBY
        ]
        inuse = "Ag-Inuse" if _in_use(cfg, ch, outcomes) else "Ag-Not-Inuse"
        lines = [
            f"Port-channel: {ch}",
            "------------",
            f"Number of Ports = {len(members)}",
            f"HotStandBy port = {standby[0] if standby else 'null'}",
            f"Port state = Port-channel {inuse}",
            f"Protocol = {_protocol(cfg, ch)}",
            "Default Port = None",
        ]
        if members:
            lines += ["", "Ports in the Group", "------------------"]
            for i, port in enumerate(members):
                if i:
                    lines.append("")
                lines += _member_block(cfg, port, outcomes.get(port, _DOWN))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def interface_mtu(cfg: SmisConfig, default_mtu: int) -> str:
    """``show interface mtu``: every port, then every port-channel."""
    rows = [f"{table_name(p):<14}{i.mtu or default_mtu}" for p, i in cfg.ports.items()]
    rows += [f"{f'po{c}':<14}{i.mtu or default_mtu}" for c, i in sorted(cfg.channels.items())]
    return "\n".join(["Port          MTU", "---------     -----", *rows]) + "\n"


def _iface_lines(iface: SmisIface, is_port: bool) -> list[str]:
    out: list[str] = []
    if iface.description is not None:
        out.append(f' description "{iface.description}"')
    if iface.mtu is not None:
        out.append(f" mtu {iface.mtu}")
    if iface.l2_mode is not None:
        out.append(f" switchport mode {iface.l2_mode}")
    if iface.access_vlan is not None:
        out.append(f" switchport access vlan {iface.access_vlan}")
    if iface.trunk_allowed is not None:
        out.append(f" switchport trunk allowed vlan {iface.trunk_allowed}")
    if iface.native_vlan is not None:
        out.append(f" switchport trunk native vlan {iface.native_vlan}")
    if is_port and iface.channel is not None and iface.lag_mode is not None:
        out.append(f" channel-group {iface.channel} mode {iface.lag_mode.value}")
    if is_port and iface.lacp_fast:
        out.append(" lacp timeout short")
    if iface.stp_portfast:
        out.append(" spanning-tree portfast")
    out.append(" shutdown" if iface.shutdown else " no shutdown")
    return out


def _vlan_members(cfg: SmisConfig, vlan: int) -> tuple[list[str], list[str]]:
    """(member ports, untagged ports) of ``vlan``: a port-channel stands for its members."""
    members: list[str] = []
    untagged: list[str] = []
    ifaces = [(f"po{c}", i) for c, i in sorted(cfg.channels.items())]
    ifaces += [(table_name(p), i) for p, i in cfg.ports.items() if i.channel is None]
    for name, i in ifaces:
        if i.l2_mode == "trunk":
            allowed = parse_ids(i.trunk_allowed or "1-4094") or []
            if vlan in allowed:
                members.append(name)
            if (i.native_vlan or 1) == vlan and vlan in allowed:
                untagged.append(name)
        elif (i.access_vlan or 1) == vlan:
            members.append(name)
            untagged.append(name)
    return members, untagged


def vlan_brief(cfg: SmisConfig) -> str:
    """``show vlan brief``: one block per VLAN, VLAN 1 (always there) first.  No SMIS capture
    is public: the block is the Aricent ISS shape as docs/smis-outputs.md models it."""
    rule = "-" * 52
    lines = ["Vlan database", "-------------"]
    for vlan in sorted({1, *cfg.vlans}):
        members, untagged = _vlan_members(cfg, vlan)
        lines += [f"{'Vlan ID':<20}: {vlan}",
                  f"{'Member Ports':<20}: {', '.join(members) or 'None'}",
                  f"{'Untagged Ports':<20}: {', '.join(untagged) or 'None'}",
                  f"{'Forbidden Ports':<20}: None",
                  f"{'Name':<20}: {'default' if vlan == 1 else ''}".rstrip(),
                  f"{'Status':<20}: Permanent",
                  rule]
    return "\n".join(lines) + "\n"


def running_config(cfg: SmisConfig, hardware: str) -> str:
    """``show running-config``: only what differs from the factory defaults."""
    lines = ["Building configuration...", *show_version(hardware).splitlines(), ""]
    for vlan in sorted(cfg.vlans):
        lines += [f"vlan {vlan}", "!"]
    if cfg.la_enabled:
        lines += ["set port-channel enable", "!"]
    for ch, iface in sorted(cfg.channels.items()):
        lines += [f"interface port-channel {ch}", *_iface_lines(iface, False), "!"]
    for port, iface in cfg.ports.items():
        if iface != SmisIface():
            lines += [f"interface {port}", *_iface_lines(iface, True), "!"]
    lines.append("end")
    return "\n".join(lines) + "\n"
