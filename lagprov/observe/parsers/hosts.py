"""Host side: Linux bonding, Windows LBFO, VMware vSwitch outputs -> :class:`HostTeamState`.

These outputs are ``key: value`` text or JSON; a line parser is the extract step (vendor-cli.md
section 6: "simple line parser") and the normalise step maps vocabularies through
:mod:`lagprov.knowledge.compat` and MTUs through :mod:`lagprov.knowledge.mtu`.
"""

from __future__ import annotations

import json
import re

from lagprov.errors import ParseError
from lagprov.knowledge.compat import canonical_team
from lagprov.knowledge.mtu import host_ip_mtu
from lagprov.model.state import HostMemberState, HostTeamState, LacpActivity
from lagprov.model.types import HostOs, LacpRate
from lagprov.observe.parsers._common import lacp_port, norm_mac

_BOND_MODES = {
    "ieee 802.3ad dynamic link aggregation": "802.3ad",
    "load balancing (round-robin)": "balance-rr",
    "fault-tolerance (active-backup)": "active-backup",
    "load balancing (xor)": "balance-xor",
    "fault-tolerance (broadcast)": "broadcast",
    "transmit load balancing": "balance-tlb",
    "adaptive load balancing": "balance-alb",
}
_ZERO_MAC = "00:00:00:00:00:00"
# "LACP active: on|off" (kernel bond_procfs.c, 802.3ad info, since the lacp_active option of
# Linux 5.15); older kernels print no such line: the activity is then unknown (the actor
# port state bits still tell it per slave).
_LACP_ACTIVE = {"on": LacpActivity.ACTIVE, "off": LacpActivity.PASSIVE}


def _kv(line: str) -> tuple[str, str]:
    key, _, value = line.partition(":")
    return key.strip().lower(), value.strip()


def _bond_sections(raw: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Extract: the bond's ``key: value`` lines and one dict per ``Slave Interface:``.

    Keys under ``details actor|partner lacp pdu:`` are prefixed ``actor.`` / ``partner.``.
    """
    head: dict[str, str] = {}
    slaves: list[dict[str, str]] = []
    prefix = ""
    for line in raw.splitlines():
        if not line.strip() or ":" not in line:
            continue
        key, value = _kv(line)
        if key == "slave interface":
            slaves.append({"name": value})
            prefix = ""
        elif key.startswith("details ") and key.endswith("lacp pdu"):
            prefix = key.split()[1] + "."
        elif slaves:
            indented = line[:1].isspace()
            slaves[-1][(prefix if indented else "") + key] = value
        else:
            head.setdefault(key, value)
    return head, slaves


def _slave(s: dict[str, str]) -> HostMemberState:
    speed = re.match(r"(\d+)", s.get("speed", ""))
    actor = partner = None
    if "actor.port state" in s:
        actor = lacp_port(
            system_id=norm_mac(s["actor.system mac address"]),
            system_priority=int(s["actor.system priority"]),
            key=int(s["actor.port key"]),
            port_priority=int(s["actor.port priority"]),
            port=int(s["actor.port number"]),
            state=int(s["actor.port state"]),
        )
    if "partner.port state" in s:
        partner = lacp_port(
            system_id=norm_mac(s["partner.system mac address"]),
            system_priority=int(s["partner.system priority"]),
            key=int(s["partner.oper key"]),
            port_priority=int(s["partner.port priority"]),
            port=int(s["partner.port number"]),
            state=int(s["partner.port state"]),
        )
    agg = s.get("aggregator id")
    return HostMemberState(
        name=s["name"],
        link_up=s["mii status"] == "up" if "mii status" in s else None,
        speed_mbps=int(speed.group(1)) if speed else None,
        aggregator_id=int(agg) if agg and agg.isdigit() else None,
        actor=actor,
        partner=partner,
    )


def parse_linux_bonding(device: str, raw: str, *, bond: str) -> HostTeamState:
    """``/proc/net/bonding/<bond>``.

    ``partner_system_id`` is None when the bond reports the all-zero partner MAC (no LACP
    partner): an unknown partner, not a partner called 00:00:00:00:00:00.

    Raises:
        ParseError: no ``Bonding Mode:`` line, or an unknown mode.
    """
    command = f"cat /proc/net/bonding/{bond}"
    head, slaves = _bond_sections(raw.replace("\r", ""))
    mode_text = head.get("bonding mode", "").lower()
    if not mode_text:
        raise ParseError("linux", command, raw, "no 'Bonding Mode:' line")
    if mode_text not in _BOND_MODES:
        raise ParseError("linux", command, raw, f"unknown bonding mode {mode_text!r}")
    team = canonical_team(HostOs.LINUX, _BOND_MODES[mode_text])
    try:
        members = tuple(_slave(s) for s in slaves)
        system = norm_mac(head["system mac address"]) if "system mac address" in head else None
        partner = norm_mac(head["partner mac address"]) if "partner mac address" in head else None
    except (KeyError, ValueError) as exc:
        raise ParseError("linux", command, raw, f"{type(exc).__name__}: {exc}") from exc
    rate = {"slow": LacpRate.SLOW, "fast": LacpRate.FAST}.get(head.get("lacp rate", ""))
    active = head.get("lacp active")
    if active is not None and active not in _LACP_ACTIVE:
        raise ParseError("linux", command, raw, f"unreadable 'LACP active: {active}' line")
    return HostTeamState(
        device=device, os=HostOs.LINUX, name=bond, team=team.canonical, bundling=team.bundling,
        lacp_rate=rate, lacp_activity=_LACP_ACTIVE.get(active or ""), system_id=system,
        partner_system_id=None if partner == _ZERO_MAC else partner,
        status=head.get("mii status"), members=members,
    )


_IP_LINK = re.compile(
    r"^\d+:\s+(?P<name>[^:@\s]+)(?:@\S+)?:\s+<(?P<flags>[^>]*)>\s+mtu\s+(?P<mtu>\d+)(?P<rest>.*)$",
    re.MULTILINE,
)


def parse_linux_ip_link(device: str, raw: str, *, bond: str) -> HostTeamState:
    """``ip link [show]``: MTU (IP MTU as is) and link of ``bond`` and its slaves (``master``)."""
    links = [m.groupdict() for m in _IP_LINK.finditer(raw)]
    own = next((x for x in links if x["name"] == bond), None)
    if own is None:
        raise ParseError("linux", "ip link", raw, f"no '{bond}:' line")
    slaves = [x for x in links if re.search(rf"\bmaster {re.escape(bond)}\b", x["rest"])]
    return HostTeamState(
        device=device, os=HostOs.LINUX, name=bond,
        mtu_ip=host_ip_mtu(HostOs.LINUX, int(own["mtu"])),
        status="up" if "LOWER_UP" in own["flags"].split(",") else "down",
        members=tuple(
            HostMemberState(
                name=x["name"], mtu_ip=host_ip_mtu(HostOs.LINUX, int(x["mtu"])),
                link_up="LOWER_UP" in x["flags"].split(","),
            )
            for x in slaves
        ),
    )


def parse_linux_ip_json(device: str, raw: str, *, bond: str) -> HostTeamState:
    """``ip -j -d link``: bond mode/rate/partner and slave MTU/aggregator.

    Key names are iproute2's as remembered ([K] in vendor-cli.md 5.2, no real capture):
    ``ifname``, ``mtu``, ``master``, ``operstate``, ``linkinfo.info_kind == "bond"``,
    ``info_data.mode`` / ``ad_lacp_rate`` / ``ad_info.partner_mac``, and on slaves
    ``linkinfo.info_slave_kind == "bond"`` with ``info_slave_data.ad_aggregator_id`` /
    ``mii_status``.  Missing keys leave fields unknown; they are not guessed.
    """
    try:
        links = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ParseError("linux", "ip -j -d link", raw, f"not JSON: {exc}") from exc
    if not isinstance(links, list):
        raise ParseError("linux", "ip -j -d link", raw, "expected a JSON list of links")
    own = next((x for x in links if isinstance(x, dict) and x.get("ifname") == bond), None)
    info = (own or {}).get("linkinfo", {})
    if own is None or info.get("info_kind") != "bond":
        raise ParseError("linux", "ip -j -d link", raw, f"no bond link {bond!r}")
    data = info.get("info_data", {})
    team = canonical_team(HostOs.LINUX, str(data["mode"])) if "mode" in data else None
    partner = data.get("ad_info", {}).get("partner_mac")
    members = []
    for x in links:
        if not isinstance(x, dict) or x.get("master") != bond:
            continue
        slave = x.get("linkinfo", {}).get("info_slave_data", {})
        agg = slave.get("ad_aggregator_id")
        members.append(
            HostMemberState(
                name=str(x["ifname"]),
                mtu_ip=int(x["mtu"]) if "mtu" in x else None,
                link_up=str(slave["mii_status"]).upper() == "UP" if "mii_status" in slave else None,
                aggregator_id=int(agg) if agg is not None else None,
            )
        )
    partner_mac = norm_mac(str(partner)) if partner else None
    return HostTeamState(
        device=device, os=HostOs.LINUX, name=bond,
        team=team.canonical if team else None, bundling=team.bundling if team else None,
        lacp_rate={"slow": LacpRate.SLOW, "fast": LacpRate.FAST}.get(str(data.get("ad_lacp_rate"))),
        partner_system_id=None if partner_mac == _ZERO_MAC else partner_mac,
        mtu_ip=int(own["mtu"]) if "mtu" in own else None,
        status=str(own["operstate"]).lower() if "operstate" in own else None,
        members=tuple(members),
    )
