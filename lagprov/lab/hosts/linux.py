"""Reports of a simulated Linux host: ``/proc/net/bonding/<bond>``, ``ip link``, ``ip -j -d link``.

``/proc/net/bonding`` follows the real captures line for line (fixtures
``linux/proc_net_bonding_*``: RHEL 7 802.3ad healthy, the no-partner sample); other modes use the
kernel's ``Bonding Mode:`` header lines (vendor-cli.md 5.2).  ``ip link`` follows the fixture
``linux/ip_link``.  ``ip -j -d link`` / ``ip -d link show`` model iproute2 keys from memory
([K], no capture): ifindex, ifname, flags, mtu, qdisc, master, operstate, linkmode, group,
txqlen, link_type, address, broadcast, linkinfo.info_kind "bond" / info_data {mode, miimon,
updelay, downdelay, xmit_hash_policy, lacp_rate, ad_select, min_links, ad_info {aggregator,
num_ports, actor_key, partner_key, partner_mac}}, and on slaves info_slave_kind "bond" /
info_slave_data {state, mii_status, link_failure_count, perm_hwaddr, queue_id,
ad_aggregator_id, ad_actor_oper_port_state, ad_partner_oper_port_state}.
"""

from __future__ import annotations

import json

from lagprov.lab.base import LacpPeerInfo, LinkOutcome
from lagprov.lab.hosts.view import HostView
from lagprov.model.state import MemberStatus

DRIVER = "Ethernet Channel Bonding Driver: v3.7.1 (April 27, 2011)"
MODE_HEADER = {
    "balance-rr": "load balancing (round-robin)",
    "active-backup": "fault-tolerance (active-backup)",
    "balance-xor": "load balancing (xor)",
    "broadcast": "fault-tolerance (broadcast)",
    "802.3ad": "IEEE 802.3ad Dynamic link aggregation",
    "balance-tlb": "transmit load balancing",
    "balance-alb": "adaptive load balancing",
}
_HASHED = ("balance-xor", "802.3ad", "balance-tlb", "balance-alb")
_NO_PARTNER = LacpPeerInfo("00:00:00:00:00:00", 65535, 1, 255, 1, 1)
_IN_AGG = (MemberStatus.BUNDLED, MemberStatus.HOT_STANDBY)


def _outcome(host: HostView, nic: str) -> LinkOutcome:
    return host.outcomes().get(nic, LinkOutcome(status=MemberStatus.DOWN))


def _up(o: LinkOutcome) -> bool:
    return o.status is not MemberStatus.DOWN


def aggregator_ids(host: HostView) -> dict[str, int]:
    """802.3ad: slaves with the same partner share an aggregator; lone slaves get their own."""
    ids: dict[str, int] = {}
    by_partner: dict[tuple[str, int], int] = {}
    for nic in host.nics:
        o = _outcome(host, nic)
        if o.status in _IN_AGG and o.partner is not None:
            key = (o.partner.system_id, o.partner.key)
            by_partner.setdefault(key, len(ids) + 1)
            ids[nic] = by_partner[key]
        else:
            ids[nic] = len(ids) + 1
    return ids


def _lacp_info(host: HostView) -> list[str]:
    ids = aggregator_ids(host)
    outcomes = {nic: _outcome(host, nic) for nic in host.nics}
    active = next((ids[n] for n in host.nics if outcomes[n].status in _IN_AGG), 1)
    members = [n for n in host.nics if ids[n] == active]
    partner = next((outcomes[n].partner for n in members if outcomes[n].partner), None)
    partner = partner or _NO_PARTNER
    actor_key = outcomes[members[0]].actor_key if members else 0
    return [
        "802.3ad info",
        # kernel bond_procfs.c prints "LACP active: on|off" before the rate (Linux >= 5.15)
        f"LACP active: {'on' if host.lacp_active else 'off'}",
        f"LACP rate: {host.lacp_rate.value}",
        "Min links: 0",
        "Aggregator selection policy (ad_select): stable",
        "System priority: 65535",
        f"System MAC address: {host.system_mac}",
        "Active Aggregator Info:",
        f"        Aggregator ID: {active}",
        f"        Number of ports: {len(members)}",
        f"        Actor Key: {actor_key}",
        f"        Partner Key: {partner.key}",
        f"        Partner Mac Address: {partner.system_id}",
        "",
    ]


def _slave_block(host: HostView, nic: str, agg_id: int | None) -> list[str]:
    o = _outcome(host, nic)
    lines = [
        f"Slave Interface: {nic}",
        f"MII Status: {'up' if _up(o) else 'down'}",
        f"Speed: {(o.speed_mbps or host.speed_mbps) if _up(o) else 'Unknown'}"
        f"{' Mbps' if _up(o) else ''}",
        f"Duplex: {'full' if _up(o) else 'unknown'}",
        "Link Failure Count: 0",
        f"Permanent HW addr: {host.nic_mac(nic)}",
        "Slave queue ID: 0",
    ]
    if agg_id is None:
        return lines
    p = o.partner or _NO_PARTNER
    return [
        *lines,
        f"Aggregator ID: {agg_id}",
        "Actor Churn State: none" if o.partner else "Actor Churn State: churned",
        "Partner Churn State: none" if o.partner else "Partner Churn State: churned",
        "Actor Churned Count: 0",
        "Partner Churned Count: 0",
        "details actor lacp pdu:",
        "    system priority: 65535",
        f"    system mac address: {host.system_mac}",
        f"    port key: {o.actor_key}",
        "    port priority: 255",
        f"    port number: {o.actor_port}",
        f"    port state: {o.actor_state}",
        "details partner lacp pdu:",
        f"    system priority: {p.system_priority}",
        f"    system mac address: {p.system_id}",
        f"    oper key: {p.key}",
        f"    port priority: {p.port_priority}",
        f"    port number: {p.port}",
        f"    port state: {p.state}",
    ]


def proc_net_bonding(host: HostView) -> str:
    """``cat /proc/net/bonding/<bond>`` (empty bond list: the file does not exist -> "")."""
    mode = host.team_mode
    if mode not in MODE_HEADER:
        return ""
    any_up = any(_up(_outcome(host, n)) for n in host.nics)
    lines = [DRIVER, "", f"Bonding Mode: {MODE_HEADER[mode]}"]
    if mode in _HASHED:
        lines.append("Transmit Hash Policy: layer2 (0)")
    if mode == "active-backup":
        current = next((n for n in host.nics if _up(_outcome(host, n))), "None")
        lines += ["Primary Slave: None", f"Currently Active Slave: {current}"]
    lines += [
        f"MII Status: {'up' if any_up else 'down'}",
        "MII Polling Interval (ms): 100",
        "Up Delay (ms): 0",
        "Down Delay (ms): 0",
        "",
    ]
    ids = aggregator_ids(host) if mode == "802.3ad" else {}
    if mode == "802.3ad":
        lines += _lacp_info(host)
    blocks = ["\n".join(_slave_block(host, nic, ids.get(nic))) for nic in host.nics]
    return "\n".join(lines) + "\n" + "\n\n".join(blocks) + "\n"


def _flags(host: HostView, nic: str | None) -> tuple[list[str], bool]:
    """Interface flags and whether the carrier is up."""
    bonded = host.team_mode in MODE_HEADER
    if nic is None:
        up = any(_up(_outcome(host, n)) for n in host.nics)
        flags = ["BROADCAST", "MULTICAST", "MASTER", "UP"]
    else:
        up = _up(_outcome(host, nic))
        flags = ["BROADCAST", "MULTICAST", *(["SLAVE"] if bonded else []), "UP"]
    flags = ([*flags, "LOWER_UP"]) if up else ["NO-CARRIER", *flags]
    return flags, up


def _links(host: HostView) -> list[dict[str, object]]:
    bonded = host.team_mode in MODE_HEADER
    rows: list[dict[str, object]] = []
    for i, nic in enumerate(host.nics):
        flags, up = _flags(host, nic)
        row: dict[str, object] = {"ifindex": i + 2, "ifname": nic, "flags": flags, "qdisc": "mq"}
        row.update(mtu=host.mtu, operstate="UP" if up else "DOWN")
        row["address"] = host.system_mac if bonded else host.nic_mac(nic)
        if bonded:
            row["master"] = host.bond
        rows.append(row)
    if bonded:
        flags, up = _flags(host, None)
        rows.append(
            {
                "ifindex": len(host.nics) + 2,
                "ifname": host.bond,
                "flags": flags,
                "qdisc": "noqueue",
                "mtu": host.mtu,
                "operstate": "UP" if up else "DOWN",
                "address": host.system_mac,
            }
        )
    return rows


def ip_link(host: HostView) -> str:
    """``ip link`` in the fixture's shape (lo first)."""
    lines = [
        "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT"
        " qlen 1000",
        "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00",
    ]
    for r in _links(host):
        flags = ",".join(r["flags"])  # type: ignore[arg-type]
        master = f" master {r['master']}" if "master" in r else ""
        lines += [
            f"{r['ifindex']}: {r['ifname']}: <{flags}> mtu {r['mtu']} qdisc {r['qdisc']}{master}"
            f" state {r['operstate']} mode DEFAULT qlen 1000",
            f"    link/ether {r['address']} brd ff:ff:ff:ff:ff:ff",
        ]
    return "\n".join(lines) + "\n"


def _bond_info_data(host: HostView) -> dict[str, object]:
    data: dict[str, object] = {
        "mode": host.team_mode,
        "miimon": 100,
        "updelay": 0,
        "downdelay": 0,
        "xmit_hash_policy": "layer2",
        "min_links": 0,
    }
    if host.team_mode == "802.3ad":
        info = _lacp_info(host)
        value = dict(line.strip().split(": ", 1) for line in info if ": " in line)
        data.update(lacp_rate=host.lacp_rate.value, ad_select="stable")
        data["ad_info"] = {
            "aggregator": int(value["Aggregator ID"]),
            "num_ports": int(value["Number of ports"]),
            "actor_key": int(value["Actor Key"]),
            "partner_key": int(value["Partner Key"]),
            "partner_mac": value["Partner Mac Address"],
        }
    return data


def _slave_data(host: HostView, nic: str, agg: int | None) -> dict[str, object]:
    o = _outcome(host, nic)
    active = o.status is MemberStatus.BUNDLED or (agg is None and _up(o))
    data: dict[str, object] = {
        "state": "ACTIVE" if active else "BACKUP",
        "mii_status": "UP" if _up(o) else "DOWN",
        "link_failure_count": 0,
        "perm_hwaddr": host.nic_mac(nic),
        "queue_id": 0,
    }
    if agg is not None:
        data["ad_aggregator_id"] = agg
        data["ad_actor_oper_port_state"] = o.actor_state
        data["ad_partner_oper_port_state"] = (o.partner or _NO_PARTNER).state
    return data


def ip_json(host: HostView) -> str:
    """``ip -j -d link`` (iproute2 JSON, one line)."""
    ids = aggregator_ids(host) if host.team_mode == "802.3ad" else {}
    out: list[dict[str, object]] = []
    for r in _links(host):
        row = dict(r)
        row.update(linkmode="DEFAULT", group="default", txqlen=1000, link_type="ether")
        row["broadcast"] = "ff:ff:ff:ff:ff:ff"
        name = str(r["ifname"])
        if name == host.bond:
            row["linkinfo"] = {"info_kind": "bond", "info_data": _bond_info_data(host)}
        elif "master" in r:
            row["linkinfo"] = {
                "info_slave_kind": "bond",
                "info_slave_data": _slave_data(host, name, ids.get(name)),
            }
        out.append(row)
    return json.dumps(out, separators=(",", ":")) + "\n"


def ip_d_link_show(host: HostView, name: str) -> str:
    """``ip -d link show <bond>`` (text form of the same facts)."""
    row = next((r for r in json.loads(ip_json(host)) if r["ifname"] == name), None)
    if row is None:
        return f'Device "{name}" does not exist.\n'
    first = next(line for line in ip_link(host).splitlines() if line.split(": ")[1:2] == [name])
    data = row["linkinfo"]["info_data"]
    words = [f"bond mode {data['mode']} miimon 100 updelay 0 downdelay 0"]
    words.append(f"xmit_hash_policy {data['xmit_hash_policy']} min_links 0")
    if "ad_info" in data:
        ad = data["ad_info"]
        words.append(
            f"lacp_rate {data['lacp_rate']} ad_select stable ad_aggregator {ad['aggregator']}"
            f" ad_num_ports {ad['num_ports']} ad_actor_key {ad['actor_key']}"
            f" ad_partner_key {ad['partner_key']} ad_partner_mac {ad['partner_mac']}"
        )
    return (
        "\n".join(
            [
                first,
                f"    link/ether {row['address']} brd ff:ff:ff:ff:ff:ff promiscuity 0 ",
                "    " + " ".join(words) + " ",
            ]
        )
        + "\n"
    )
