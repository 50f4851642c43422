"""Reports of simulated VMware ESXi hosts (vSphere Standard Switch, vendor-cli.md 5.3).

The three esxcli read-backs lagprov reads: the failover policy, the vSwitch list (MTU,
uplinks) and the NIC list.  No real capture of the plain-text forms exists: those shapes are
modelled on the VMware esxcli documentation ([K]); driver, PCI address and description are made
up.  The ``--formatter=keyvalue`` forms of the vSwitch and NIC lists follow real captures
(ESXi 6.x ``network vswitch standard list``, ESXi 8 ``network nic list`` with ``DPUId``): one
``structure[N].<Struct>.<Field>.<type>=value`` line per field, fields in ASCII order, list
elements as ``<type>[i].<type>=v`` and an empty list as ``<type>[] = ``.  A host whose team is
a vDS LACP LAG answers the vDS LACP views (``lacp config get`` / ``status get``, modelled:
lagprov.observe.parsers.esxcli_lacp) from its LACP outcomes.
"""

from __future__ import annotations

import zlib

from lagprov.lab.base import LinkOutcome
from lagprov.lab.hosts.view import HostView
from lagprov.model.state import MemberStatus
from lagprov.model.types import Bundling

_DOWN = LinkOutcome(status=MemberStatus.DOWN)
_POLICY = {"iphash": "iphash", "portid": "portid", "mac": "mac", "explicit": "explicit"}
_NIC_COLUMNS = (("Name", 6), ("PCI Device", 12), ("Driver", 6), ("Admin Status", 12),
                ("Link Status", 11), ("Speed", 5), ("Duplex", 6), ("MAC Address", 17),
                ("MTU", 4), ("Description", 11))


def esxcli_failover(host: HostView) -> str:
    """``esxcli network vswitch standard policy failover get -v vSwitch0``."""
    return (
        f"   Load Balancing: {_POLICY.get(host.team_mode, 'portid')}\n"
        "   Network Failure Detection: link\n"
        "   Notify Switches: true\n"
        "   Failback: true\n"
        f"   Active Adapters: {', '.join(host.nics)}\n"
        "   Standby Adapters: \n"
        "   Unused Adapters: \n"
    )


def vswitch_list(host: HostView) -> str:
    """``esxcli network vswitch standard list -v vSwitch0`` (uplinks newest first, as ESXi
    tends to list them)."""
    return (
        f"{host.bond}\n"
        f"   Name: {host.bond}\n"
        "   Class: cswitch\n"
        "   Num Ports: 5632\n"
        "   Used Ports: 6\n"
        "   Configured Ports: 128\n"
        f"   MTU: {host.mtu}\n"
        "   CDP Status: listen\n"
        "   Beacon Enabled: false\n"
        "   Beacon Interval: 1\n"
        "   Beacon Threshold: 3\n"
        "   Beacon Required By: \n"
        f"   Uplinks: {', '.join(reversed(host.nics))}\n"
        "   Portgroups: VM Network, Management Network\n"
    )


def nic_list(host: HostView) -> str:
    """``esxcli network nic list``: fixed-width table, Speed in Mb/s (0 when the link is
    down), the NIC MTU follows the vSwitch."""
    outcomes = host.outcomes()
    rows = []
    for i, nic in enumerate(host.nics):
        o = outcomes.get(nic, _DOWN)
        up = o.status is not MemberStatus.DOWN
        rows.append((nic, f"0000:03:00.{i}", "ixgben", "Up", "Up" if up else "Down",
                     str((o.speed_mbps or host.speed_mbps) if up else 0),
                     "Full" if up else "Half", host.nic_mac(nic), str(host.mtu),
                     "Intel(R) Ethernet Controller X540-AT2"))
    widths = [max(w, len(h), *(len(r[k]) for r in rows))
              for k, (h, w) in enumerate(_NIC_COLUMNS)]
    right = {"Speed", "MTU"}

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.rjust(w) if _NIC_COLUMNS[k][0] in right else c.ljust(w)
            for k, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    head = tuple(h for h, _ in _NIC_COLUMNS)
    rule = tuple("-" * w for w in widths)
    return "\n".join(line(r) for r in (head, rule, *rows)) + "\n"


def _kv(index: int, struct: str, fields: dict[str, tuple[str, object]]) -> list[str]:
    lines = []
    for name in sorted(fields):
        kind, value = fields[name]
        path = f"structure[{index}].{struct}.{name}.{kind}"
        if isinstance(value, list | tuple):
            lines += [f"{path}[{i}].{kind}={v}" for i, v in enumerate(value)] or [f"{path}[] = "]
        else:
            lines.append(f"{path}={str(value).lower() if isinstance(value, bool) else value}")
    return lines


def vswitch_list_kv(host: HostView) -> str:
    """``esxcli --formatter=keyvalue network vswitch standard list -v vSwitch0``."""
    return "\n".join(_kv(0, "VirtualSwitch", {
        "BeaconEnabled": ("boolean", False), "BeaconInterval": ("integer", 1),
        "BeaconRequiredBy": ("string", []), "BeaconThreshold": ("integer", 3),
        "CDPStatus": ("string", "listen"), "Class": ("string", "cswitch"),
        "ConfiguredPorts": ("integer", 128), "MTU": ("integer", host.mtu),
        "Name": ("string", host.bond), "NumPorts": ("integer", 5632),
        "Portgroups": ("string", ["VM Network", "Management Network"]),
        "Uplinks": ("string", list(reversed(host.nics))), "UsedPorts": ("integer", 6),
    })) + "\n"


def nic_list_kv(host: HostView) -> str:
    """``esxcli --formatter=keyvalue network nic list`` (ESXi 8 fields)."""
    outcomes = host.outcomes()
    lines: list[str] = []
    for i, nic in enumerate(host.nics):
        o = outcomes.get(nic, _DOWN)
        up = o.status is not MemberStatus.DOWN
        link = "Up" if up else "Down"
        lines += _kv(i, "Nic", {
            "AdminStatus": ("string", "Up"), "DPUId": ("string", "N/A"),
            "Description": ("string", "Intel(R) Ethernet Controller X540-AT2"),
            "Driver": ("string", "ixgben"), "Duplex": ("string", "Full" if up else "Half"),
            "Link": ("string", link), "LinkStatus": ("string", link),
            "MACAddress": ("string", host.nic_mac(nic)), "MTU": ("integer", host.mtu),
            "Name": ("string", nic), "PCIDevice": ("string", f"0000:03:00.{i}"),
            "Speed": ("integer", (o.speed_mbps or host.speed_mbps) if up else 0),
        })
    return "\n".join(lines) + "\n"


_DVS = "DSwitch"  # vCenter's default name for a new distributed switch
_BITS = (("ACT", 0x01), ("TMO", 0x02), ("AGG", 0x04), ("SYN", 0x08), ("COL", 0x10),
         ("DIST", 0x20), ("DEF", 0x40), ("EXP", 0x80))


def _lag(host: HostView) -> bool:
    return host.bundling is Bundling.LACP


def lag_id(host: HostView) -> str:
    """A stable LAG id for the host's LAG (vCenter assigns one per LAG)."""
    return str(zlib.crc32(host.bond.encode()) % 10**9)


def lacp_config(host: HostView) -> str:
    """``esxcli network vswitch dvs vmware lacp config get`` (modelled, see
    lagprov.observe.parsers.esxcli_lacp): one row for the host's LAG, or the no-LAG message."""
    if not _lag(host):
        return "No running LACP group on the host\n"
    rows = [("DVS Name", "LAG Name", "LAG ID", "NICs", "Enabled", "Mode"),
            (_DVS, host.bond, lag_id(host), ",".join(host.nics), "true",
             "Active" if host.lacp_active else "Passive")]
    widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _state(byte: int) -> str:
    return "".join(f"{name}," for name, bit in _BITS if byte & bit)


def lacp_status(host: HostView) -> str:
    """``esxcli network vswitch dvs vmware lacp status get`` (modelled, see
    lagprov.observe.parsers.esxcli_lacp): per uplink its LACP outcome from the fabric."""
    if not _lag(host):
        return "No running LACP group on the host\n"
    rate = "F" if host.lacp_rate.value == "fast" else "S"
    flags = rate + ("A" if host.lacp_active else "P")
    outcomes = host.outcomes()
    lines = [_DVS, f"   DVSwitch: {_DVS}",
             "   Flags: S - Device is sending Slow LACPDUs, F - Device is sending fast LACPDUs, "
             "A - Device is in active mode, P - Device is in passive mode",
             f"   LAGID: {lag_id(host)}", f"   Mode: {'Active' if host.lacp_active else 'Passive'}",
             "   Nic List:"]
    for nic in host.nics:
        o = outcomes.get(nic, _DOWN)
        state = {MemberStatus.BUNDLED: "Bundled", MemberStatus.DOWN: "Down",
                 MemberStatus.HOT_STANDBY: "Hot-standby"}.get(o.status, "Independent")
        lines += ["         Local Information:", f"         Admin Key: {o.actor_key}",
                  f"         Flags: {flags}", f"         Oper Key: {o.actor_key}",
                  f"         Port Number: {o.actor_port}", "         Port Priority: 255",
                  f"         Port State: {_state(o.actor_state)}", f"         Nic: {nic}"]
        p = o.partner
        if p is not None:
            pflags = ("F" if p.state & 0x02 else "S") + ("A" if p.state & 0x01 else "P")
            lines += ["         Partner Information:", "         Age: 00:00:01",
                      f"         Device ID: {p.system_id}", f"         Flags: {pflags}",
                      f"         Oper Key: {p.key}", f"         Port Number: {p.port}",
                      f"         Port Priority: {p.port_priority}",
                      f"         Port State: {_state(p.state)}"]
        lines.append(f"         State: {state}")
    return "\n".join(lines) + "\n"


def reports(host: HostView) -> dict[str, str]:
    """File name -> content of every ESXi report."""
    return {
        "esxcli-failover.txt": esxcli_failover(host),
        "esxcli-vswitch-list.txt": vswitch_list(host),
        "esxcli-nic-list.txt": nic_list(host),
    }
