"""Windows LBFO and VMware vSwitch read-backs -> :class:`HostTeamState` (vendor-cli.md 5.1, 5.3).

Windows JSON is expected with string enums (the ``[string]$_.TeamingMode`` casts of 5.1); the
integer MOF values listed there ([K], unverified) are accepted too.
"""

from __future__ import annotations

import json
import re

from lagprov.compat import canonical_team
from lagprov.errors import ParseError
from lagprov.model.state import HostMemberState, HostTeamState
from lagprov.model.types import HostOs, LacpRate
from lagprov.mtu import host_ip_mtu
from lagprov.parsers._common import agreed

TEAMING_MODE = {0: "Static", 1: "SwitchIndependent", 2: "Lacp"}
LACP_TIMER = {0: "Fast", 1: "Slow"}
STATUS = {0: "Up", 1: "Down", 2: "Degraded"}
_W = "windows"


def _enum(value: object, table: dict[int, str]) -> str | None:
    if value is None:
        return None
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return table.get(int(value))
    return str(value)


def _load(text: str, what: str) -> list[dict[str, object]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(_W, what, text, f"not JSON: {exc}") from exc
    items = data if isinstance(data, list) else [data]
    if not all(isinstance(i, dict) for i in items):
        raise ParseError(_W, what, text, "expected a JSON object or a list of objects")
    return items


def _jumbo(jumbo_json: str | None) -> dict[str, int]:
    if jumbo_json is None:
        return {}
    result = {}
    for item in _load(jumbo_json, "Get-NetAdapterAdvancedProperty"):
        value = item.get("RegistryValue", item.get("DisplayValue"))
        if isinstance(value, list):
            value = value[0] if value else None
        if value is not None and str(value).isdigit():
            result[str(item["Name"])] = host_ip_mtu(HostOs.WINDOWS, int(str(value)))
    return result


def _team_state(device: str, fields: dict[str, object], members: tuple[HostMemberState, ...],
                raw: str, command: str) -> HostTeamState:
    mode = _enum(fields.get("TeamingMode"), TEAMING_MODE)
    if mode is None:
        raise ParseError(_W, command, raw, "no TeamingMode")
    try:
        team = canonical_team(HostOs.WINDOWS, mode)
    except ValueError as exc:
        raise ParseError(_W, command, raw, str(exc)) from exc
    timer = _enum(fields.get("LacpTimer"), LACP_TIMER)
    return HostTeamState(
        device=device, os=HostOs.WINDOWS, name=str(fields["Name"]) if "Name" in fields else None,
        team=team.canonical, bundling=team.bundling,
        lacp_rate={"Fast": LacpRate.FAST, "Slow": LacpRate.SLOW}.get(timer or ""),
        mtu_ip=agreed(m.mtu_ip for m in members),
        status=_enum(fields.get("Status"), STATUS), members=members,
    )


def parse_windows_team(
    device: str, team_json: str, members_json: str | None, jumbo_json: str | None
) -> HostTeamState:
    """Get-NetLbfoTeam / Get-NetLbfoTeamMember / '*JumboPacket' JSON (MTU = JumboPacket - 14)."""
    teams = _load(team_json, "Get-NetLbfoTeam")
    if len(teams) != 1:
        raise ParseError(_W, "Get-NetLbfoTeam", team_json, f"expected one team, got {len(teams)}")
    fields = teams[0]
    mtus = _jumbo(jumbo_json)
    rows: list[dict[str, object]]
    if members_json is not None:
        rows = [r for r in _load(members_json, "Get-NetLbfoTeamMember")
                if r.get("Team") in (None, fields.get("Name"))]
    else:
        names = fields.get("Members") or []
        rows = [{"Name": n} for n in (names if isinstance(names, list) else [names])]
    members = tuple(
        HostMemberState(
            name=str(r["Name"]),
            link_up=_member_link(r),
            mtu_ip=mtus.get(str(r["Name"])),
            failure_reason=str(r["FailureReason"]) if r.get("FailureReason") else None,
        )
        for r in rows
    )
    return _team_state(device, fields, members, team_json, "Get-NetLbfoTeam")


def _member_link(row: dict[str, object]) -> bool | None:
    if row.get("FailureReason") == "PhysicalMediaDisconnected":
        return False
    return True if row.get("OperationalStatus") in ("Active", "Standby") else None


def parse_windows_team_text(device: str, raw: str) -> HostTeamState:
    """The ``Format-List`` text of Get-NetLbfoTeam / New-NetLbfoTeam (``Name : LBFOTeam`` ...)."""
    fields: dict[str, object] = {}
    for line in raw.replace("\r", "").splitlines():
        key, sep, value = line.partition(" : ")
        if sep:
            fields[key.strip()] = value.strip()
    if "TeamingMode" not in fields:
        raise ParseError(_W, "Get-NetLbfoTeam", raw, "no 'TeamingMode : ...' line")
    names = str(fields.get("Members", "")).strip("{}")
    members = tuple(HostMemberState(name=n.strip()) for n in names.split(",") if n.strip())
    return _team_state(device, fields, members, raw, "Get-NetLbfoTeam")


def parse_esxcli_failover(device: str, raw: str) -> HostTeamState:
    """``esxcli network vswitch standard policy failover get -v <vSwitch>`` ([K] shape).

    ``Load Balancing: iphash|portid|mac|explicit`` -> canonical team; members are the active
    and standby adapters.
    """
    fields = {k.strip(): v.strip() for k, _, v in
              (line.partition(":") for line in raw.splitlines() if ":" in line)}
    command = "esxcli network vswitch standard policy failover get"
    if "Load Balancing" not in fields:
        raise ParseError("vmware", command, raw, "no 'Load Balancing:' line")
    try:
        team = canonical_team(HostOs.VMWARE, fields["Load Balancing"])
    except ValueError as exc:
        raise ParseError("vmware", command, raw, str(exc)) from exc
    nics = [n for key in ("Active Adapters", "Standby Adapters")
            for n in re.split(r"[,\s]+", fields.get(key, "")) if n]
    return HostTeamState(
        device=device, os=HostOs.VMWARE, team=team.canonical, bundling=team.bundling,
        members=tuple(HostMemberState(name=n) for n in nics),
    )
