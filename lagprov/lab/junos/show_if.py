"""`show interfaces aeN extensive` (text and `| display json`) in the layout of the real EX
capture ``show_interfaces_ae0_extensive/1.txt``; counters are zeros, index numbers derived."""

from __future__ import annotations

from dataclasses import dataclass

from lagprov.lab.junos.facts import AeView
from lagprov.lab.junos.show import MemberLacp, _d, lacp_info_rows


@dataclass(frozen=True, slots=True)
class AeState:
    """An ae with its members' printed LACP data and which members are bundled."""

    ae: AeView
    members: list[MemberLacp]
    up_members: tuple[str, ...]
    speed_mbps: int
    mac: str

    @property
    def link_up(self) -> bool:
        return self.ae.enabled and len(self.up_members) >= self.ae.min_links

    @property
    def speed(self) -> str:
        if not self.speed_mbps:
            return "Unspecified"
        return f"{self.speed_mbps // 1000}Gbps" if self.speed_mbps >= 1000 else \
            f"{self.speed_mbps}mbps"


_TRAFFIC = """  Traffic statistics:
   Input  bytes  :                    0                    0 bps
   Output bytes  :                    0                    0 bps
   Input  packets:                    0                    0 pps
   Output packets:                    0                    0 pps
  Input errors:
    Errors: 0, Drops: 0, Framing errors: 0, Runts: 0, Giants: 0, Policed discards: 0, Resource errors: 0
  Output errors:
    Carrier transitions: 0, Errors: 0, Drops: 0, MTU errors: 0, Resource errors: 0
"""  # noqa: E501


def _unit_block(st: AeState, unit: str, index: int) -> list[str]:
    ae, number = st.ae, unit.split()[1]
    lines = [f"  Logical interface {ae.name}.{number} (Index {320 + index}) "
             f"(SNMP ifIndex {542 + index}) (Generation {148 + index})",
             f"    Flags: {'Up' if st.link_up else 'Down'} SNMP-Traps 0x4004000 "
             "Encapsulation: ENET2",
             "    Statistics        Packets        pps         Bytes          bps",
             "    Bundle:",
             "        Input :             0          0             0            0",
             "        Output:             0          0             0            0",
             "    Link:"]
    for m in ae.members:
        lines += [f"      {m}.{number}",
                  "        Input :             0          0             0            0",
                  "        Output:             0          0             0            0"]
    lines += ["", "", f"    Aggregate member links: {len(ae.members)}", ""]
    if st.members and ae.mode.value != "on":
        lines += lacp_info_rows(st.members, f".{number}")
    lines += ["    List-Type       Status", "    Primary         " +
              ("Active" if st.link_up else "Down  "), "                Interfaces:"]
    lines += [f"                {m:<16}{'Up' if m in st.up_members else 'Down':<5}"
              for m in ae.members]
    lines += [f"    Protocol eth-switch, MTU: {ae.mtu}", f"    Generation: {172 + index}, "
              "Route table: 0"]
    return lines


def show_interfaces_extensive(st: AeState) -> str:
    ae = st.ae
    up = "Up" if st.link_up else "Down"
    lines = [
        f"Physical interface: {ae.name}, {'Enabled' if ae.enabled else 'Administratively down'}"
        f", Physical link is {up}",
        f"  Interface index: {128 + ae.number}, SNMP ifIndex: {500 + ae.number}, "
        f"Generation: {131 + ae.number}",
    ]
    if ae.description:
        lines.append(f"  Description: {ae.description}")
    lines += [
        f"  Link-level type: Ethernet, MTU: {ae.mtu}, Speed: {st.speed}, BPDU Error: None, "
        "MAC-REWRITE Error: None, Loopback: Disabled, Source filtering: Disabled, "
        "Flow control: Disabled",
        "  Pad to minimum frame size: Disabled",
        f"  Minimum links needed: {ae.min_links}, Minimum bandwidth needed: 1bps",
        "  Device flags   : Present Running" + ("" if st.link_up else " Down"),
        "  Interface flags: SNMP-Traps Internal: 0x4000",
        f"  Current address: {st.mac}, Hardware address: {st.mac}",
        "  Last flapped   : Never",
        "  Statistics last cleared: Never",
    ]
    text = "\n".join(lines) + "\n" + _TRAFFIC
    for index, unit in enumerate(ae.units):
        text += "\n" + "\n".join(_unit_block(st, unit, index)) + "\n"
    return text


def interfaces_json(st: AeState) -> dict[str, object]:
    """`show interfaces aeN extensive | display json` (get-interface-information)."""
    ae = st.ae
    logical = []
    for unit in ae.units:
        number = unit.split()[1]
        links = [{"name": _d(f"{m}.{number}"), "input-packets": _d(0), "output-packets": _d(0)}
                 for m in ae.members]
        info = [{"name": _d(f"{m.port}.{number}"), "lacp-role": _d(role),
                 "lacp-sys-priority": _d(v[0]), "lacp-system-id": _d(v[1]),
                 "lacp-port-priority": _d(v[2]), "lacp-port-number": _d(v[3]),
                 "lacp-port-key": _d(v[4])}
                for m in st.members for role, v in (("Actor", m.actor), ("Partner", m.partner))]
        entry: dict[str, object] = {
            "name": _d(f"{ae.name}.{number}"),
            "lag-traffic-statistics": [{"lag-bundle": [{"input-packets": _d(0)}],
                                        "lag-link": links}],
            "lag-member-count": _d(len(ae.members))}
        if ae.mode.value != "on":
            entry["lag-lacp-info"] = info
        logical.append(entry)
    physical: dict[str, object] = {
        "name": _d(ae.name),
        "admin-status": _d("up" if ae.enabled else "down",
                           **{"junos:format": "Enabled" if ae.enabled else "Disabled"}),
        "oper-status": _d("up" if st.link_up else "down"),
        "description": _d(ae.description) if ae.description else None,
        "local-index": _d(128 + ae.number), "snmp-index": _d(500 + ae.number),
        "link-level-type": _d("Ethernet"), "mtu": _d(ae.mtu), "speed": _d(st.speed),
        "minimum-links-in-aggregate": _d(ae.min_links),
        "minimum-bandwidth-in-aggregate": _d("1bps"),
        "current-physical-address": _d(st.mac), "hardware-physical-address": _d(st.mac),
        "interface-flapped": _d("Never", **{"junos:seconds": "0"}),
        "logical-interface": logical,
    }
    return {"interface-information": [{
        "attributes": {"xmlns": "http://xml.juniper.net/junos/21.4R0/junos-interface",
                       "junos:style": "normal"},
        "physical-interface": [{k: v for k, v in physical.items() if v is not None}]}]}
