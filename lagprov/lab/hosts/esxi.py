"""Reports of simulated VMware ESXi hosts (vSphere Standard Switch, vendor-cli.md 5.3).

The three esxcli read-backs lagprov reads: the failover policy, the vSwitch list (MTU,
uplinks) and the NIC list.  No real capture exists: the shapes are modelled on the VMware
esxcli documentation ([K]); driver, PCI address and description are made up.
"""

from __future__ import annotations

from lagprov.lab.base import LinkOutcome
from lagprov.lab.hosts.view import HostView
from lagprov.model.state import MemberStatus

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


def reports(host: HostView) -> dict[str, str]:
    """File name -> content of every ESXi report."""
    return {
        "esxcli-failover.txt": esxcli_failover(host),
        "esxcli-vswitch-list.txt": vswitch_list(host),
        "esxcli-nic-list.txt": nic_list(host),
    }
