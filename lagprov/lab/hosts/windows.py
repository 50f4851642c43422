"""Reports of simulated Windows (LBFO) hosts (VMware: ``hosts_esxi``).

The JSON that Windows PowerShell 5.1 prints for the Select-Object/ConvertTo-Json commands of
vendor-cli.md 5.1 (enums cast to strings; PS 5.1 layout: 4-space indent, ``"key":  value``
with two spaces; one object prints bare, several as an array).  No real capture exists:
member values ``Active``/``Failed``, ``NoFailure``/``LacpNegotiationIssue``/
``PhysicalMediaDisconnected`` and ``DisplayValue`` ``9014 Bytes`` are [K].  A host without a
team prints nothing for the LBFO cmdlets (empty pipeline, [K]).  ``Get-NetAdapter`` is
modelled too (not in vendor-cli.md): ``Status`` ``Up``/``Disconnected``, ``LinkSpeed``
``10 Gbps``/``0 bps``, ``MacAddress`` ``52-54-00-..`` ([K]).
"""

from __future__ import annotations

import json

from lagprov.knowledge.mtu import HOST_MTU
from lagprov.lab.base import LinkOutcome
from lagprov.lab.hosts.view import HostView
from lagprov.model.state import MemberStatus
from lagprov.model.types import Bundling, HostOs

_DOWN = LinkOutcome(status=MemberStatus.DOWN)


def ps51_json(value: object, indent: int = 0) -> str:
    """``value`` serialised the way Windows PowerShell 5.1 ``ConvertTo-Json`` lays it out."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return "{\n\n" + pad + "}"
        items = []
        for k, v in value.items():
            head = f"{pad}    {json.dumps(k)}:  "
            items.append(head + ps51_json(v, len(head)))
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        inner = " " * (indent + 4)
        parts = [inner + ps51_json(v, indent + 4) for v in value]
        return "[\n" + ",\n".join(parts) + "\n" + pad + "]"
    return json.dumps(value)


def _members(host: HostView) -> list[tuple[str, LinkOutcome]]:
    outcomes = host.outcomes()
    return [(nic, outcomes.get(nic, _DOWN)) for nic in host.nics]


def _member_state(host: HostView, o: LinkOutcome) -> tuple[str, str]:
    """(OperationalStatus, FailureReason) of one team member."""
    if o.status is MemberStatus.DOWN:
        return "Failed", "PhysicalMediaDisconnected"
    if host.bundling is Bundling.LACP and o.status is not MemberStatus.BUNDLED:
        return "Failed", "LacpNegotiationIssue"
    return "Active", "NoFailure"


def _team_status(host: HostView) -> str:
    active = [m for m in _members(host) if _member_state(host, m[1])[0] == "Active"]
    if not active:
        return "Down"
    return "Up" if len(active) == len(host.nics) else "Degraded"


def _teamed(host: HostView) -> bool:
    return host.team_mode in ("Lacp", "Static", "SwitchIndependent")


def _one_or_many(rows: list[dict[str, object]]) -> str:
    """A pipeline's rows as ConvertTo-Json prints them: one bare, several as an array."""
    return ps51_json(rows[0] if len(rows) == 1 else rows) + "\n"


def team_rows(host: HostView) -> list[dict[str, object]]:
    """``Get-NetLbfoTeam`` objects (none when the host has no LBFO team)."""
    if not _teamed(host):
        return []
    return [{
        "Name": host.bond,
        "Members": list(host.nics),
        "TeamNics": host.bond,
        "TeamingMode": host.team_mode,
        "LoadBalancingAlgorithm": host.lb_algorithm or "Dynamic",
        "LacpTimer": "Fast" if host.lacp_rate.value == "fast" else "Slow",
        "Status": _team_status(host),
    }]


def member_rows(host: HostView) -> list[dict[str, object]]:
    """``Get-NetLbfoTeamMember`` objects (none when the host has no LBFO team)."""
    if not _teamed(host):
        return []
    rows: list[dict[str, object]] = []
    for nic, o in _members(host):
        status, reason = _member_state(host, o)
        rows.append({"Name": nic, "Team": host.bond, "AdministrativeMode": "Active",
                     "OperationalStatus": status, "FailureReason": reason})
    return rows


def jumbo_rows(host: HostView) -> list[dict[str, object]]:
    """``Get-NetAdapterAdvancedProperty -RegistryKeyword '*JumboPacket'`` objects."""
    return [{"Name": nic, "DisplayName": "Jumbo Packet", "DisplayValue": f"{host.mtu} Bytes",
             "RegistryKeyword": "*JumboPacket", "RegistryValue": [str(host.mtu)]}
            for nic in host.nics]


def adapter_rows(host: HostView) -> list[dict[str, object]]:
    """``Get-NetAdapter`` objects of the team's NICs (modelled, see the module docstring)."""
    rows: list[dict[str, object]] = []
    for i, (nic, o) in enumerate(_members(host)):
        up = o.status is not MemberStatus.DOWN
        rows.append({
            "Name": nic,
            "InterfaceDescription": _description(i),
            "Status": "Up" if up else "Disconnected",
            "LinkSpeed": link_speed((o.speed_mbps or host.speed_mbps) if up else 0),
            "MacAddress": host.nic_mac(nic).replace(":", "-").upper(),
        })
    return rows


def _description(index: int) -> str:
    return "Intel(R) Ethernet Controller X540-AT2" + (f" #{index + 1}" if index else "")


def set_rows(host: HostView) -> list[dict[str, object]]:
    """``Get-VMSwitchTeam`` objects (none when the host has no SET team)."""
    if host.team_mode != "SET":
        return []
    return [{"Name": host.bond, "TeamingMode": "SwitchIndependent",
             "LoadBalancingAlgorithm": host.lb_algorithm or "HyperVPort",
             "NetAdapterInterfaceDescription": [_description(i)
                                                for i in range(len(host.nics))],
             "Members": list(host.nics)}]


def ip_rows(host: HostView) -> list[dict[str, object]]:
    """``Get-NetIPInterface -AddressFamily IPv4`` objects: the LBFO team interface when teamed
    (its members carry no IP), each NIC when not; a SET team's IP is on its vEthernet
    adapter, not modelled ([K]).  ``NlMtu`` is the IP MTU: Jumbo Packet minus the 14-byte
    Ethernet header (vendor-cli.md 5.1, lagprov.knowledge.mtu)."""
    if host.team_mode == "SET":
        return []
    mtu = HOST_MTU[HostOs.WINDOWS].to_ip(host.mtu)
    aliases = [host.bond] if _teamed(host) else list(host.nics)
    return [{"InterfaceAlias": a, "AddressFamily": "IPv4", "NlMtu": mtu} for a in aliases]


def lbfo_team(host: HostView) -> str:
    """``Get-NetLbfoTeam | Select-Object ... | ConvertTo-Json -Depth 3`` ("" when no team)."""
    rows = team_rows(host)
    keep = ("Name", "TeamingMode", "LoadBalancingAlgorithm", "LacpTimer", "Status", "Members")
    return ps51_json({k: rows[0][k] for k in keep}) + "\n" if rows else ""


def lbfo_members(host: HostView) -> str:
    """``Get-NetLbfoTeamMember | Select-Object ... | ConvertTo-Json`` ("" when no team)."""
    rows = member_rows(host)
    return _one_or_many(rows) if rows else ""


def jumbo_packet(host: HostView) -> str:
    """The ``*JumboPacket`` advanced property as ConvertTo-Json prints it (vendor-cli.md 5.1).

    One object per NIC (bare when there is one).
    """
    return _one_or_many([{k: r[k] for k in ("Name", "DisplayValue", "RegistryValue")}
                         for r in jumbo_rows(host)])


def link_speed(mbps: int) -> str:
    """Get-NetAdapter's ``LinkSpeed`` text: ``10 Gbps``, ``100 Mbps``, ``0 bps``."""
    if mbps <= 0:
        return "0 bps"
    return f"{mbps // 1000} Gbps" if mbps % 1000 == 0 else f"{mbps} Mbps"


def net_adapter(host: HostView) -> str:
    """``Get-NetAdapter -Name <nics> | Select-Object Name,Status,LinkSpeed,MacAddress |
    ConvertTo-Json`` (modelled, see the module docstring)."""
    return _one_or_many([{k: r[k] for k in ("Name", "Status", "LinkSpeed", "MacAddress")}
                         for r in adapter_rows(host)])


def vm_switch_team(host: HostView) -> str:
    """``Get-VMSwitchTeam | Select-Object ...`` of lagprov's report ("" when no SET team)."""
    rows = set_rows(host)
    keep = ("Name", "TeamingMode", "LoadBalancingAlgorithm", "Members")
    return ps51_json({k: rows[0][k] for k in keep}) + "\n" if rows else ""


def ip_interface(host: HostView) -> str:
    """``Get-NetIPInterface ... | Select-Object InterfaceAlias,NlMtu | ConvertTo-Json``
    ("" when no interface)."""
    rows = [{k: r[k] for k in ("InterfaceAlias", "NlMtu")} for r in ip_rows(host)]
    return _one_or_many(rows) if rows else ""


def reports(host: HostView) -> dict[str, str]:
    """File name -> content of every Windows report."""
    return {
        "Get-NetLbfoTeam.json": lbfo_team(host),
        "Get-NetLbfoTeamMember.json": lbfo_members(host),
        "Get-NetAdapterAdvancedProperty-JumboPacket.json": jumbo_packet(host),
        "Get-NetAdapter.json": net_adapter(host),
        "Get-VMSwitchTeam.json": vm_switch_team(host),
        "Get-NetIPInterface.json": ip_interface(host),
    }
