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
from typing import TYPE_CHECKING

from lagprov.lab.base import LinkOutcome
from lagprov.model.state import MemberStatus
from lagprov.model.types import Bundling

if TYPE_CHECKING:
    from lagprov.lab.hosts.fleet import LabHost

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


def _members(host: LabHost) -> list[tuple[str, LinkOutcome]]:
    outcomes = host.outcomes()
    return [(nic, outcomes.get(nic, _DOWN)) for nic in host.nics]


def _member_state(host: LabHost, o: LinkOutcome) -> tuple[str, str]:
    """(OperationalStatus, FailureReason) of one team member."""
    if o.status is MemberStatus.DOWN:
        return "Failed", "PhysicalMediaDisconnected"
    if host.bundling is Bundling.LACP and o.status is not MemberStatus.BUNDLED:
        return "Failed", "LacpNegotiationIssue"
    return "Active", "NoFailure"


def _team_status(host: LabHost) -> str:
    active = [m for m in _members(host) if _member_state(host, m[1])[0] == "Active"]
    if not active:
        return "Down"
    return "Up" if len(active) == len(host.nics) else "Degraded"


def _teamed(host: LabHost) -> bool:
    return host.team_mode in ("Lacp", "Static", "SwitchIndependent")


def lbfo_team(host: LabHost) -> str:
    """``Get-NetLbfoTeam | Select-Object ... | ConvertTo-Json -Depth 3`` ("" when no team)."""
    if not _teamed(host):
        return ""
    team = {
        "Name": host.bond,
        "TeamingMode": host.team_mode,
        "LoadBalancingAlgorithm": "Dynamic",
        "LacpTimer": "Fast" if host.lacp_rate.value == "fast" else "Slow",
        "Status": _team_status(host),
        "Members": list(host.nics),
    }
    return ps51_json(team) + "\n"


def lbfo_members(host: LabHost) -> str:
    """``Get-NetLbfoTeamMember | Select-Object ... | ConvertTo-Json`` ("" when no team)."""
    if not _teamed(host):
        return ""
    rows = []
    for nic, o in _members(host):
        status, reason = _member_state(host, o)
        rows.append(
            {
                "Name": nic,
                "Team": host.bond,
                "AdministrativeMode": "Active",
                "OperationalStatus": status,
                "FailureReason": reason,
            }
        )
    return ps51_json(rows[0] if len(rows) == 1 else rows) + "\n"


def jumbo_packet(host: LabHost) -> str:
    """The ``*JumboPacket`` advanced property as ConvertTo-Json prints it (vendor-cli.md 5.1).

    One object per NIC (bare when there is one).
    """
    rows = [
        {"Name": nic, "DisplayValue": f"{host.mtu} Bytes", "RegistryValue": [str(host.mtu)]}
        for nic in host.nics
    ]
    return ps51_json(rows[0] if len(rows) == 1 else rows) + "\n"


def link_speed(mbps: int) -> str:
    """Get-NetAdapter's ``LinkSpeed`` text: ``10 Gbps``, ``100 Mbps``, ``0 bps``."""
    if mbps <= 0:
        return "0 bps"
    return f"{mbps // 1000} Gbps" if mbps % 1000 == 0 else f"{mbps} Mbps"


def net_adapter(host: LabHost) -> str:
    """``Get-NetAdapter -Name <nics> | Select-Object Name,Status,LinkSpeed,MacAddress |
    ConvertTo-Json`` (modelled, see the module docstring)."""
    rows = []
    for nic, o in _members(host):
        up = o.status is not MemberStatus.DOWN
        rows.append({
            "Name": nic,
            "Status": "Up" if up else "Disconnected",
            "LinkSpeed": link_speed((o.speed_mbps or host.speed_mbps) if up else 0),
            "MacAddress": host.nic_mac(nic).replace(":", "-").upper(),
        })
    return ps51_json(rows[0] if len(rows) == 1 else rows) + "\n"


def vm_switch_team(host: LabHost) -> str:
    """``Get-VMSwitchTeam | Select-Object ...`` of lagprov's report ("" when no SET team)."""
    if host.team_mode != "SET":
        return ""
    team = {"Name": host.bond, "TeamingMode": "SwitchIndependent",
            "LoadBalancingAlgorithm": "HyperVPort", "Members": list(host.nics)}
    return ps51_json(team) + "\n"


def reports(host: LabHost) -> dict[str, str]:
    """File name -> content of every Windows report."""
    return {
        "Get-NetLbfoTeam.json": lbfo_team(host),
        "Get-NetLbfoTeamMember.json": lbfo_members(host),
        "Get-NetAdapterAdvancedProperty-JumboPacket.json": jumbo_packet(host),
        "Get-NetAdapter.json": net_adapter(host),
        "Get-VMSwitchTeam.json": vm_switch_team(host),
    }
