"""Windows LBFO and SET read-backs -> :class:`HostTeamState` (vendor-cli.md 5.1).

Windows JSON is expected with string enums (the ``[string]$_.TeamingMode`` casts of 5.1); the
integer MOF values listed there ([K], unverified) are accepted too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

from lagprov.errors import ParseError
from lagprov.knowledge.compat import canonical_team
from lagprov.knowledge.mtu import host_ip_mtu
from lagprov.model.base import Model
from lagprov.model.state import HostMemberState, HostTeamState
from lagprov.model.types import HostOs, LacpRate
from lagprov.observe.parsers._common import agreed

TEAMING_MODE = {0: "Static", 1: "SwitchIndependent", 2: "Lacp"}
LACP_TIMER = {0: "Fast", 1: "Slow"}
STATUS = {0: "Up", 1: "Down", 2: "Degraded"}
_W = "windows"
ADAPTERS = "Get-NetAdapter"
SET_TEAM = "Get-VMSwitchTeam"


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
    return _lbfo_state(device, teams[0], team_json, members_json, jumbo_json)


def _lbfo_state(device: str, fields: dict[str, object], team_json: str,
                members_json: str | None, jumbo_json: str | None) -> HostTeamState:
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


# --- Get-NetAdapter, and the host without an LBFO team ---------------------------------------

ADAPTER_LINK = {"up": True, "disconnected": False, "disabled": False, "not present": False}
"""Get-NetAdapter ``Status`` -> link up ([K]: ``Up``/``Disconnected``/``Disabled``/``Not
Present`` as remembered from the cmdlet's display, no real capture)."""

_UNIT = {"bps": 1e-6, "kbps": 1e-3, "mbps": 1.0, "gbps": 1e3, "tbps": 1e6}
_SPEED = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([KMGT]?bps)\s*$", re.IGNORECASE)


class WindowsAdapter(Model):
    """One row of ``Get-NetAdapter | Select-Object Name,Status,LinkSpeed,MacAddress``."""

    name: str
    status: str
    link_up: bool | None
    speed_mbps: int | None = None
    mac: str | None = None


def _items(text: str, what: str) -> list[dict[str, object]]:
    """Like :func:`_load`, but ``null`` / ``[]`` (nothing in the pipeline) is no object."""
    if text.strip() in ("", "null", "[]"):
        return []
    return _load(text, what)


def _link_speed(value: object, raw: str) -> int | None:
    """``"10 Gbps"`` -> 10000 (Mb/s); an integer is the ``Speed`` property in bit/s."""
    if value is None:
        return None
    if isinstance(value, int):
        mbps = value / 1e6
    else:
        m = _SPEED.match(str(value))
        if m is None:
            raise ParseError(_W, ADAPTERS, raw, f"unreadable LinkSpeed {value!r}")
        mbps = float(m.group(1)) * _UNIT[m.group(2).lower()]
    return round(mbps) if mbps > 0 else None


def parse_windows_adapters(raw: str) -> tuple[WindowsAdapter, ...]:
    """``Get-NetAdapter -Name <nics> | Select-Object Name,Status,LinkSpeed,MacAddress |
    ConvertTo-Json`` (modelled shape: not in vendor-cli.md 5.1, no real capture).

    >>> parse_windows_adapters('{"Name": "iSCSI-A", "Status": "Up", "LinkSpeed": "10 Gbps"}')[0]
    WindowsAdapter(name='iSCSI-A', status='Up', link_up=True, speed_mbps=10000, mac=None)

    Raises:
        ParseError: not JSON objects, or a row without ``Name``/``Status``, or a bad LinkSpeed.
    """
    out = []
    for row in _items(raw, ADAPTERS):
        name, status = row.get("Name"), row.get("Status")
        if not isinstance(name, str) or not isinstance(status, str):
            raise ParseError(_W, ADAPTERS, raw, "a row without string Name and Status")
        mac = row.get("MacAddress")
        out.append(WindowsAdapter(
            name=name, status=status, link_up=ADAPTER_LINK.get(status.lower()),
            speed_mbps=_link_speed(row.get("LinkSpeed"), raw),
            mac=str(mac) if mac else None,
        ))
    return tuple(out)


def parse_windows_host(device: str, *, team: str | None, members: str | None,
                       jumbo: str | None, adapters: str | None, nics: Sequence[str] = (),
                       bond: str | None = None, set_switch: bool = False,
                       vmswitch: str | None = None,
                       ip_interfaces: str | None = None) -> HostTeamState | None:
    """The Windows host's team over ``nics`` from its reports (each None: not reported).

    ``team`` is the Get-NetLbfoTeam JSON: empty, ``null`` or ``[]`` means *no LBFO team on
    the host*, i.e. team ``none`` (independent NICs, e.g. iSCSI MPIO) whose members are the
    adapters of the Get-NetAdapter report.  A SET team is not shown by the LBFO cmdlets but
    by ``vmswitch`` (:func:`parse_windows_set_team`); without that report, no LBFO team on a
    host the intent says is SET (``set_switch``) leaves the mode unknown.  Of
    several teams, the one named ``bond`` or holding one of ``nics`` is read; a lone team that
    holds none of ``nics`` is not theirs.  Get-NetAdapter adds link and speed where the team
    report left them unknown; ``ip_interfaces`` (Get-NetIPInterface ``NlMtu``) the IP MTU
    where Jumbo Packet left it unknown.  None: nothing reported.

    Raises:
        ParseError: an unreadable report, or several teams and no way to pick one.
    """
    state = _host_team(device, team=team, members=members, jumbo=jumbo, adapters=adapters,
                       nics=nics, bond=bond, set_switch=set_switch, vmswitch=vmswitch)
    if state is None or ip_interfaces is None:
        return state
    return _ip_mtu_fill(state, parse_windows_nlmtu(ip_interfaces), bond)


def _host_team(device: str, *, team: str | None, members: str | None, jumbo: str | None,
               adapters: str | None, nics: Sequence[str], bond: str | None,
               set_switch: bool, vmswitch: str | None) -> HostTeamState | None:
    rows = parse_windows_adapters(adapters) if adapters is not None else None
    by_name = {a.name: a for a in rows or ()}
    teams = _items(team, "Get-NetLbfoTeam") if team is not None else None
    chosen = _pick_team(teams or [], team or "", nics, bond)
    if chosen is None and vmswitch is not None:
        state = parse_windows_set_team(device, vmswitch, nics=nics, bond=bond, jumbo=jumbo)
        if state is not None:
            return state.model_copy(update={"members": tuple(
                _adapter_fill(m, by_name.get(m.name)) for m in state.members)})
        set_switch = False  # reported: no SET team over these NICs either
    if chosen is not None:
        state = _lbfo_state(device, chosen, team or "", members, jumbo)
        return state.model_copy(update={"members": tuple(
            _adapter_fill(m, by_name.get(m.name)) for m in state.members)})
    if teams is None and rows is None:
        return None
    mtus = _jumbo(jumbo)
    names = ([a.name for a in rows] if rows is not None
             else [n for n in nics if n in mtus])
    wanted = [n for n in names if not nics or n in nics]
    found = tuple(_adapter_fill(HostMemberState(name=n, mtu_ip=mtus.get(n)), by_name.get(n))
                  for n in wanted)
    mode = canonical_team(HostOs.WINDOWS, "none") if teams is not None and not set_switch \
        else None
    return HostTeamState(
        device=device, os=HostOs.WINDOWS,
        team=mode.canonical if mode else None, bundling=mode.bundling if mode else None,
        mtu_ip=agreed(m.mtu_ip for m in found), members=found,
    )


def _team_nics(fields: dict[str, object]) -> set[str]:
    names = fields.get("Members") or []
    return {str(n) for n in (names if isinstance(names, list) else [names])}


def _pick_team(teams: list[dict[str, object]], raw: str, nics: Sequence[str],
               bond: str | None, what: str = "Get-NetLbfoTeam") -> dict[str, object] | None:
    """The team of ``teams`` that carries ``nics`` (None: no team on them)."""
    if len(teams) > 1:
        named = [t for t in teams if bond is not None and t.get("Name") == bond]
        teams = named or [t for t in teams if _team_nics(t) & set(nics)]
        if len(teams) > 1:
            raise ParseError(_W, what, raw,
                             f"{len(teams)} teams and none is {bond!r} alone")
        return teams[0] if teams else None
    if not teams:
        return None
    known = _team_nics(teams[0])
    return None if nics and known and not known & set(nics) else teams[0]


def _adapter_fill(m: HostMemberState, a: WindowsAdapter | None) -> HostMemberState:
    """``m`` with the adapter's link and speed where still unknown."""
    if a is None:
        return m
    update: dict[str, object] = {}
    if m.link_up is None and a.link_up is not None:
        update["link_up"] = a.link_up
    if m.speed_mbps is None and a.speed_mbps is not None:
        update["speed_mbps"] = a.speed_mbps
    if a.link_up is False and m.failure_reason is None:
        update["failure_reason"] = f"adapter {a.status}"
    return m.model_copy(update=update) if update else m


def parse_windows_set_team(device: str, raw: str, *, nics: Sequence[str] = (),
                           bond: str | None = None, jumbo: str | None = None
                           ) -> HostTeamState | None:
    """The Switch Embedded Team over ``nics`` from lagprov's ``Get-VMSwitchTeam`` report.

    The report is ``Get-VMSwitchTeam | Select-Object Name,
    @{n='TeamingMode';e={[string]$_.TeamingMode}}, @{n='LoadBalancingAlgorithm';e={[string]
    $_.LoadBalancingAlgorithm}}, @{n='Members';e={@(Get-NetAdapter -InterfaceDescription
    $_.NetAdapterInterfaceDescription | ForEach-Object Name)}} | ConvertTo-Json -Depth 3``:
    the string casts of vendor-cli.md 5.1, member descriptions turned into adapter names.
    Modelled shape: no real capture is public.  SET is always switch independent (5.1), so a
    team reporting another TeamingMode is an error, not a guess.  None: no SET team holds
    ``nics`` (empty, ``null`` or ``[]``: no SET team at all).

    >>> parse_windows_set_team("hv", '{"Name": "S", "TeamingMode": "SwitchIndependent", '
    ...                        '"Members": ["A", "B"]}').team
    'SET'

    Raises:
        ParseError: not JSON objects, several teams and none is ``bond``, or a TeamingMode
            other than SwitchIndependent.
    """
    fields = _pick_team(_items(raw, SET_TEAM), raw, nics, bond, SET_TEAM)
    if fields is None:
        return None
    teaming = _enum(fields.get("TeamingMode"), TEAMING_MODE)
    if teaming not in (None, "SwitchIndependent"):
        raise ParseError(_W, SET_TEAM, raw, f"SET team with TeamingMode {teaming!r}")
    mtus = _jumbo(jumbo)
    members = tuple(HostMemberState(name=n, mtu_ip=mtus.get(n))
                    for n in sorted(_team_nics(fields), key=_order(nics)))
    mode = canonical_team(HostOs.WINDOWS, "SET")
    return HostTeamState(
        device=device, os=HostOs.WINDOWS,
        name=str(fields["Name"]) if "Name" in fields else None,
        team=mode.canonical, bundling=mode.bundling,
        mtu_ip=agreed(m.mtu_ip for m in members), members=members,
    )


def _order(nics: Sequence[str]) -> Callable[[str], tuple[int, str]]:
    """Sort key: the intended NIC order first, others after by name."""
    index = {n: i for i, n in enumerate(nics)}
    return lambda n: (index.get(n, len(index)), n)


IP_INTERFACE = "Get-NetIPInterface"


def parse_windows_nlmtu(raw: str) -> dict[str, int]:
    """``Get-NetIPInterface ... | Select-Object InterfaceAlias,NlMtu | ConvertTo-Json``:
    interface alias -> IP MTU (``NlMtu`` is the IP MTU itself, no header counted).

    Raises:
        ParseError: not JSON objects, or a row without a string alias and an integer NlMtu.
    """
    out: dict[str, int] = {}
    for row in _items(raw, IP_INTERFACE):
        alias, mtu = row.get("InterfaceAlias"), row.get("NlMtu")
        if not isinstance(alias, str) or not isinstance(mtu, int) or isinstance(mtu, bool):
            raise ParseError(_W, IP_INTERFACE, raw, "a row without InterfaceAlias and NlMtu")
        out[alias] = mtu
    return out


def _ip_mtu_fill(state: HostTeamState, nlmtu: dict[str, int],
                 bond: str | None) -> HostTeamState:
    """``state`` with the IP MTU of ``Get-NetIPInterface`` where Jumbo Packet left it unknown:
    a member's own interface (independent NICs), the team's interface for the team."""
    members = tuple(m if m.mtu_ip is not None or m.name not in nlmtu
                    else m.model_copy(update={"mtu_ip": nlmtu[m.name]})
                    for m in state.members)
    alias = state.name or bond
    team_mtu = state.mtu_ip
    if team_mtu is None and alias is not None:
        team_mtu = nlmtu.get(alias)
    if team_mtu is None:
        team_mtu = agreed(m.mtu_ip for m in members)
    return state.model_copy(update={"members": members, "mtu_ip": team_mtu})
