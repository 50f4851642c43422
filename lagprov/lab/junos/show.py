"""Junos operational outputs of the lab, shaped like the real captures in
``shared/fixtures/juniper_junos`` (column widths measured on them).

Member state comes from the LACP engine's :class:`LinkOutcome` per port.  The JSON variants
follow Junos' ``| display json`` shape: every element is a list of ``{"data": value}`` objects
(attributes as ``"attributes"``), with the XML element names of ``get-lacp-interface-information``
and ``get-interface-information`` (``lag-lacp-state``, ``lag-lacp-protocol``, ``lag-lacp-header``,
``physical-interface``, ``logical-interface``, ``lag-traffic-statistics``/``lag-link``,
``lacp-info``...).  Modelled: names and values the lab knows; counters are zeros.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lagprov.lab.base import LagMode, LinkOutcome
from lagprov.lab.junos.facts import AeView
from lagprov.model.state import MemberStatus
from lagprov.model.types import LacpRate

LACP_NOT_RUNNING = "warning: lacp subsystem not running - not needed by configuration.\n"
_STATE_HEAD = ("    LACP state:       Role   Exp   Def  Dist  Col  Syn  Aggr  Timeout  Activity")
_PROTO_HEAD = "    LACP protocol:        Receive State  Transmit State          Mux State"
_INFO_HEAD = (
    "    LACP info:        Role     System             System       Port     Port    Port \n"
    "                             priority         identifier   priority   number     key "
)
_MUX = {MemberStatus.BUNDLED: "Collecting distributing", MemberStatus.WAITING: "Attached",
        MemberStatus.HOT_STANDBY: "Waiting"}
JUNOS_PRIORITY = 127


@dataclass(frozen=True, slots=True)
class MemberLacp:
    """Everything the LACP tables print for one member."""

    port: str
    actor_state: int
    partner_state: int
    receive: str
    transmit: str
    mux: str
    actor: tuple[int, str, int, int, int]  # sys prio, system id, port prio, port, key
    partner: tuple[int, str, int, int, int]


def _yes(state: int, bit: int) -> str:
    return "Yes" if state & bit else "No"


def member_lacp(ae: AeView, index: int, port: str, outcome: LinkOutcome,
                system_mac: str) -> MemberLacp:
    """Derive the printed LACP fields of member ``index`` (0-based) of ``ae``."""
    state = outcome.actor_state or (
        (0x01 if ae.mode is LagMode.ACTIVE else 0) | (0x02 if ae.rate is LacpRate.FAST else 0)
        | 0x04 | (0x40 if outcome.partner is None else 0))
    port_no, key = outcome.actor_port or index + 1, outcome.actor_key or ae.number + 1
    actor = (JUNOS_PRIORITY, ae.system_id or system_mac, JUNOS_PRIORITY, port_no, key)
    peer = outcome.partner
    down = outcome.status is MemberStatus.DOWN
    if peer is None:
        partner, pstate = (1, "00:00:00:00:00:00", 1, port_no, 0), 0x46
        receive = "Port disabled" if down else "Defaulted"
    else:
        partner = (peer.system_priority, peer.system_id, peer.port_priority, peer.port, peer.key)
        pstate, receive = peer.state, "Current"
    transmit = "No periodic" if down else (
        "Fast periodic" if pstate & 0x02 else "Slow periodic")
    return MemberLacp(port, state, pstate, receive, transmit,
                      _MUX.get(outcome.status, "Detached"), actor, partner)


def _state_row(name: str, role: str, state: int) -> str:
    return (f"      {name:<10}{role:>10}{_yes(state, 0x80):>6}{_yes(state, 0x40):>6}"
            f"{_yes(state, 0x20):>6}{_yes(state, 0x10):>5}{_yes(state, 0x08):>5}"
            f"{_yes(state, 0x04):>6}{'Fast' if state & 0x02 else 'Slow':>9}"
            f"{'Active' if state & 0x01 else 'Passive':>10}")


def _info_row(name: str, role: str, info: tuple[int, str, int, int, int]) -> str:
    prio, system, port_prio, port, key = info
    return (f"      {name:<10}{role:>10}{prio:>11}{system:>19}{port_prio:>11}{port:>9}"
            f"{key:>8}")


def lacp_info_rows(members: list[MemberLacp], suffix: str = "") -> list[str]:
    rows = [_INFO_HEAD]
    for m in members:
        rows.append(_info_row(m.port + suffix, "Actor", m.actor))
        rows.append(_info_row(m.port + suffix, "Partner", m.partner))
    return rows


def show_lacp_interfaces(aes: Mapping[str, list[MemberLacp]], *, extensive: bool) -> str:
    """`show lacp interfaces [aeN] [extensive]` for the LACP aes given (ae -> members)."""
    if not aes:
        return LACP_NOT_RUNNING
    blocks = []
    for ae, members in aes.items():
        lines = [f"Aggregated interface: {ae}", _STATE_HEAD]
        for m in members:
            lines.append(_state_row(m.port, "Actor", m.actor_state))
            lines.append(_state_row(m.port, "Partner", m.partner_state))
        lines.append(_PROTO_HEAD + (" " if extensive else ""))
        lines.extend(f"      {m.port:<10}{m.receive:>23}{m.transmit:>16} {m.mux:>18}"
                     for m in members)
        if extensive:
            lines.extend(lacp_info_rows(members))
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _d(value: object, **attributes: str) -> list[dict[str, object]]:
    item: dict[str, object] = {"data": str(value)}
    if attributes:
        item["attributes"] = attributes
    return [item]


def lacp_json(aes: Mapping[str, list[MemberLacp]]) -> dict[str, object]:
    """`show lacp interfaces | display json` (get-lacp-interface-information)."""
    infos = []
    for ae, members in aes.items():
        states = []
        for m in members:
            for role, st in (("Actor", m.actor_state), ("Partner", m.partner_state)):
                states.append({
                    "name": _d(m.port), "lacp-role": _d(role),
                    "lacp-expired": _d(_yes(st, 0x80)), "lacp-defaulted": _d(_yes(st, 0x40)),
                    "lacp-distributing": _d(_yes(st, 0x20)),
                    "lacp-collecting": _d(_yes(st, 0x10)),
                    "lacp-synchronization": _d(_yes(st, 0x08)),
                    "lacp-aggregation": _d(_yes(st, 0x04)),
                    "lacp-timeout": _d("Fast" if st & 0x02 else "Slow"),
                    "lacp-activity": _d("Active" if st & 0x01 else "Passive"),
                })
        protocols = [{"name": _d(m.port), "lacp-receive-state": _d(m.receive),
                      "lacp-transmit-state": _d(m.transmit), "lacp-mux-state": _d(m.mux)}
                     for m in members]
        infos.append({"lag-lacp-header": [{"aggregate-name": _d(ae)}],
                      "lag-lacp-state": states, "lag-lacp-protocol": protocols})
    return {"lacp-interface-information-list": [{
        "attributes": {"xmlns": "http://xml.juniper.net/junos/21.4R0/junos-lacpd"},
        "lacp-interface-information": infos}]}
