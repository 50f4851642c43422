"""A simulated Windows host takes the team ``lagprov render --host`` writes for it (PowerShell).

A host pipeline sends the rendered script the way lagprov sends its reads (OpenSSH or WinRS:
``powershell.exe -NoProfile -NonInteractive -EncodedCommand <script>``).  The lab runs exactly
the statements the renderer emits (``lagprov/knowledge/templates/host/windows/powershell.j2``),
one per line, and nothing else:

* ``$ErrorActionPreference = 'Stop'``; comments and blank lines;
* ``if (-not (<probe>)) {`` ... [``} else {`` ...] ``}`` with the probes
  ``Get-NetLbfoTeam -Name X -ErrorAction SilentlyContinue``,
  ``Get-NetLbfoTeamMember -Team X -Name $nic -ErrorAction SilentlyContinue``,
  ``Get-NetLbfoTeamNic -Team X | Where-Object VlanID -eq N`` and
  ``Get-VMSwitch -Name X -ErrorAction SilentlyContinue``;
* ``foreach ($nic in @('A','B')) {`` ... ``}``;
* ``Set-NetAdapterAdvancedProperty`` (``*JumboPacket`` only), ``New-NetLbfoTeam``,
  ``Set-NetLbfoTeam``, ``Add-NetLbfoTeamMember``, ``Add-NetLbfoTeamNic``, ``New-VMSwitch
  -EnableEmbeddedTeaming $true``, ``Set-VMSwitchTeam``.

Parameters bind as PowerShell binds them (names and enum values case-insensitive); an unknown
cmdlet is a ``CommandNotFoundException``, an unknown parameter or value a
``ParameterBindingException``, in PowerShell 5.1's error layout.  With ``$ErrorActionPreference
= 'Stop'`` the script stops at the first error and what ran before it stays applied, as on
Windows.  The refusals of the cmdlets themselves (a member already in another team, a team name
taken, an adapter that does not exist, a Jumbo Packet value the driver does not list) are
modelled on Microsoft's documentation; their texts are [K] (no capture).  The LBFO
``LoadBalancingAlgorithm`` values are New-NetLbfoTeam's enum; SET takes HyperVPort or Dynamic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from lagprov.lab.hosts.powershell import Refused, expansion
from lagprov.lab.hosts.powershell_bind import (
    JUMBO_VALUES,
    LBFO,
    LITERAL,
    Args,
    PsError,
    bind,
    fault,
    not_found,
    strings,
)
from lagprov.lab.hosts.shell import ShellHost
from lagprov.lab.hosts.view import TeamSettings
from lagprov.model.types import LacpRate

_IF = re.compile(r"if \(-not \((?P<probe>.+)\)\) \{")
_FOREACH = re.compile(rf"foreach \(\$(?P<var>\w+) in @\((?P<list>{LITERAL}(?:,{LITERAL})*)\)\) "
                      r"\{")
_TEAMNIC = re.compile(r"Get-NetLbfoTeamNic (?P<args>.+) \| Where-Object VlanID -eq (?P<vlan>\d+)")


class WindowsHost(ShellHost, Protocol):
    """A simulated Windows host a pipeline configures (``fleet.LabHost``)."""

    def team_settings(self) -> TeamSettings: ...

    def apply_team(self, team: TeamSettings) -> None: ...


@dataclass
class _Run:
    """One script's run: the host's team settings as the statements change them."""

    team: TeamSettings

    @property
    def lbfo(self) -> bool:
        return self.team.team in LBFO

    def probe(self, text: str, env: Mapping[str, str]) -> bool:
        """Whether the guarded read returns anything."""
        teamnic = _TEAMNIC.fullmatch(text)
        if teamnic is not None:
            _, args = bind("Get-NetLbfoTeamNic " + teamnic["args"], env)
            self._lbfo_team("Get-NetLbfoTeamNic", str(args["Team"]))
            return int(teamnic["vlan"]) in self.team.vlans
        cmd, args = bind(text, env)
        if args.get("ErrorAction") != "SilentlyContinue" or not cmd.startswith("Get-"):
            raise not_found(text)
        if cmd == "Get-NetLbfoTeam":
            return self.lbfo and args["Name"] == self.team.name
        if cmd == "Get-NetLbfoTeamMember":
            return (self.lbfo and args["Team"] == self.team.name
                    and args["Name"] in self.team.members)
        if cmd == "Get-VMSwitch":
            return self.team.team == "SET" and args["Name"] == self.team.name
        raise not_found(text)

    def _lbfo_team(self, cmd: str, name: str) -> None:
        if not (self.lbfo and name == self.team.name):
            raise fault(cmd, f"No MSFT_NetLbfoTeam objects found with property 'Name' equal to "
                         f"'{name}'.  Verify the value of the property and retry.",
                         "ObjectNotFound")

    def _adapters(self, cmd: str, names: tuple[str, ...]) -> None:
        for nic in names:
            if nic not in self.team.adapters:
                raise fault(cmd, f"No MSFT_NetAdapter objects found with property 'Name' equal "
                             f"to '{nic}'.  Verify the value of the property and retry.",
                             "ObjectNotFound")

    def call(self, cmd: str, a: Args) -> None:
        t = self.team
        if cmd == "Set-NetAdapterAdvancedProperty":
            names = tuple(str(n) for n in a["Name"])  # type: ignore[attr-defined]
            self._adapters(cmd, names)
            if str(a["RegistryKeyword"]) != "*JumboPacket":
                raise fault(cmd, f"No matching keyword value found. Keyword: "
                             f"{a['RegistryKeyword']} (the lab models *JumboPacket only)",
                             "ObjectNotFound")
            if a["RegistryValue"] not in JUMBO_VALUES:
                raise fault(cmd, f"No matching keyword value found. Value: {a['RegistryValue']}")
            if set(names) != set(t.adapters):
                raise fault(cmd, "the lab host models one Jumbo Packet value for all its "
                             f"adapters ({', '.join(t.adapters)})")
            self.team = replace(t, mtu=int(str(a["RegistryValue"])))
        elif cmd == "New-NetLbfoTeam":
            self._new_team(cmd, a)
        elif cmd == "Set-NetLbfoTeam":
            self._lbfo_team(cmd, str(a["Name"]))
            self.team = replace(t, team=str(a.get("TeamingMode", t.team)),
                                lb_algorithm=str(a.get("LoadBalancingAlgorithm",
                                                       t.lb_algorithm or "Dynamic")),
                                lacp_rate=_rate(a, t.lacp_rate))
        elif cmd == "Add-NetLbfoTeamMember":
            self._lbfo_team(cmd, str(a["Team"]))
            nic = str(a["Name"])
            self._adapters(cmd, (nic,))
            if nic in t.members:
                raise fault(cmd, f"'{nic}' is already a member of team '{t.name}'.")
            self.team = replace(t, members=(*t.members, nic))
        elif cmd == "Add-NetLbfoTeamNic":
            self._lbfo_team(cmd, str(a["Team"]))
            vlan = int(str(a["VlanID"]))
            if vlan in t.vlans or not 1 <= vlan <= 4094:
                raise fault(cmd, f"VlanID {vlan}: already on a team NIC or out of range 1-4094")
            self.team = replace(t, vlans=(*t.vlans, vlan))
        elif cmd == "New-VMSwitch":
            self._new_set(cmd, a)
        elif cmd == "Set-VMSwitchTeam":
            if not (t.team == "SET" and a["Name"] == t.name):
                raise fault("Set-VMSwitchTeam", f"Hyper-V was unable to find a virtual switch "
                             f"with name \"{a['Name']}\".", "ObjectNotFound")
            self.team = replace(t, lb_algorithm=str(a.get("LoadBalancingAlgorithm",
                                                          t.lb_algorithm)))
        else:
            raise not_found(cmd)  # a read used as a statement: nothing the renderer emits

    def _free(self, cmd: str, members: tuple[str, ...]) -> None:
        self._adapters(cmd, members)
        if self.team.team in (*LBFO, "SET"):
            taken = [m for m in members if m in self.team.members]
            if taken:
                raise fault(cmd, f"'{taken[0]}' is already a member of team "
                             f"'{self.team.name}'; remove it from that team first.",
                             "InvalidOperation")

    def _new_team(self, cmd: str, a: Args) -> None:
        name = str(a["Name"])
        members = tuple(str(m) for m in a["TeamMembers"])  # type: ignore[attr-defined]
        if self.lbfo and name == self.team.name:
            raise fault(cmd, f"A team with the name '{name}' already exists.",
                         "ResourceExists")
        self._free(cmd, members)
        if self.team.team in (*LBFO, "SET"):
            raise fault(cmd, f"the lab host models one team and has '{self.team.name}'")
        self.team = replace(self.team, team=str(a.get("TeamingMode", "SwitchIndependent")),
                            name=name, members=members, vlans=(),
                            lb_algorithm=str(a.get("LoadBalancingAlgorithm", "Dynamic")),
                            lacp_rate=_rate(a, LacpRate.SLOW))

    def _new_set(self, cmd: str, a: Args) -> None:
        members = tuple(str(m) for m in a["NetAdapterName"])  # type: ignore[attr-defined]
        if a.get("EnableEmbeddedTeaming") is not True:
            raise fault(cmd, "the lab builds SET switches only (-EnableEmbeddedTeaming $true)")
        if self.team.team == "SET" and a["Name"] == self.team.name:
            raise fault(cmd, f"A virtual switch with the name '{a['Name']}' already exists.",
                         "ResourceExists")
        self._free(cmd, members)
        if self.team.team in (*LBFO, "SET"):
            raise fault(cmd, f"the lab host models one team and has '{self.team.name}'")
        self.team = replace(self.team, team="SET", name=str(a["Name"]), members=members,
                            lb_algorithm=None, vlans=())


def _rate(a: Args, default: LacpRate) -> LacpRate:
    timer = a.get("LacpTimer")
    return default if timer is None else LacpRate.FAST if timer == "Fast" else LacpRate.SLOW


Block = list[tuple[int, str]]


def _block(lines: Block, i: int) -> tuple[Block, int, str]:
    """The statements from ``lines[i]`` to its closing ``}`` or ``} else {`` (index, closer)."""
    depth, body = 0, Block()
    while i < len(lines):
        n, text = lines[i]
        if text in ("}", "} else {") and depth == 0:
            return body, i, text
        if text.endswith("{") and text != "} else {":
            depth += 1
        elif text == "}":
            depth -= 1
        body.append((n, text))
        i += 1
    raise PsError("{", "Missing closing '}' in statement block or type definition.",
                  "ParserError: (:) [], ParseException", "MissingEndCurlyBrace")


def _run_block(run: _Run, lines: Block, env: dict[str, str]) -> None:
    i = 0
    while i < len(lines):
        n, text = lines[i]
        try:
            i = _statement(run, lines, i, env)
        except PsError as exc:
            if exc.line == 1 and exc.text == exc.cmd:  # not yet placed: this line
                exc.line, exc.text = n, text
                exc.column = max(1, text.find(exc.cmd) + 1)
            raise


def _statement(run: _Run, lines: Block, i: int, env: dict[str, str]) -> int:
    _, text = lines[i]
    if_ = _IF.fullmatch(text)
    loop = _FOREACH.fullmatch(text)
    if if_ is not None:
        then, j, closer = _block(lines, i + 1)
        other: Block = []
        if closer == "} else {":
            other, j, closer = _block(lines, j + 1)
            if closer != "}":
                raise not_found("else")
        _run_block(run, other if run.probe(if_["probe"], env) else then, env)
        return j + 1
    if loop is not None:
        body, j, closer = _block(lines, i + 1)
        if closer != "}":
            raise not_found("else")
        for item in strings("foreach", loop["var"], loop["list"], env):
            _run_block(run, body, {**env, loop["var"]: item})
        return j + 1
    if text.lower() in ("$erroractionpreference = 'stop'", "$erroractionpreference='stop'"):
        return i + 1
    cmd, args = bind(text, env)
    run.call(cmd, args)
    return i + 1


def run_config(script: str, team: TeamSettings) -> tuple[TeamSettings, PsError | None]:
    """The team after ``script`` ran on a host with ``team``, and the error that stopped it."""
    found = expansion(script)
    if found is not None:
        raise Refused(f"refused: unquoted {found} (the lab runs no PowerShell expansion)")
    lines = [(n, ln.strip()) for n, ln in enumerate(script.splitlines(), 1)]
    lines = [(n, t) for n, t in lines if t and not t.startswith("#")]
    if lines and lines[0][1].lower().replace(" ", "") != "$erroractionpreference='stop'":
        raise Refused("refused: a configuration script must start with "
                      "$ErrorActionPreference = 'Stop' (as lagprov renders it)")
    run = _Run(team)
    try:
        _run_block(run, lines, {})
    except PsError as exc:
        return run.team, exc
    return run.team, None


def is_config(script: str) -> bool:
    """Whether ``script`` is a configuration script: its first statement is
    ``$ErrorActionPreference = 'Stop'`` on a line of its own, as lagprov renders it (a read is
    one line, ``$ErrorActionPreference='Stop'; [ordered]@{...}``)."""
    first = next((ln.strip() for ln in script.splitlines()
                  if ln.strip() and not ln.strip().startswith("#")), "")
    return first.lower().replace(" ", "") == "$erroractionpreference='stop'"


def windows_apply_exec(host: WindowsHost, command: str, script: str) -> tuple[str, str, int]:
    """Run a configuration script (exec request ``command``) on ``host``: exit 1 and
    PowerShell's error at the first failing statement; what ran before it stays applied, as
    with ``-ErrorAction Stop``.  A statement PowerShell would not bind (unknown cmdlet or
    parameter) is recorded as refused (``refuse``)."""
    before = host.team_settings()
    after, error = run_config(script, before)
    if after != before:
        try:
            host.apply_team(after)
        except ValueError as exc:  # not reachable from the bound enums; kept as a refusal
            raise Refused(str(exc)) from None
    if error is not None:
        if error.category.endswith(("CommandNotFoundException", "ParameterBindingException")):
            host.refuse(command)
        return "", error.render(), 1
    return "", "", 0

