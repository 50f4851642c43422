"""A simulated ESXi host takes the vSwitch ``lagprov render --host`` writes for it (esxcli).

A host pipeline sends the rendered script over SSH one line per exec request (the ESXi Shell
runs each with BusyBox ``sh``).  The lab runs the lines the renderer emits
(``lagprov/knowledge/templates/host/vmware/esxcli.j2``) and nothing else:

* ``esxcli network vswitch standard add -v X`` / ``uplink add -u N -v X`` /
  ``set -v X --mtu N`` / ``policy failover set -v X --load-balancing L --active-uplinks a,b
  --failure-detection link|beacon`` / ``portgroup add -p P -v X`` / ``portgroup set -p P
  --vlan-id N``;
* each guarded as the renderer guards it: ``<read> >/dev/null 2>&1 || <set>`` and
  ``<read> | grep -q[E] '<pattern>' || <set>``, where ``<read>`` is ``esxcli network vswitch
  standard list -v X`` or ``... standard portgroup list``; the set runs when the read fails or
  grep finds nothing, as ``sh`` runs an or-list.

Options take esxcli's long and short forms (``-v``/``--vswitch-name``, ``-u``/``--uplink-name``,
``-m``/``--mtu``, ``-l``/``--load-balancing``, ``-a``/``--active-uplinks``,
``-f``/``--failure-detection``, ``-p``/``--portgroup-name``, ``--vlan-id``); an unknown option
is esxcli's ``Error: Invalid option`` with exit status 1, nothing changed.  The lab host models
one standard vSwitch whose uplinks are all active: another vSwitch, standby uplinks or a policy
naming fewer uplinks than the vSwitch has are refused (exit 1, modelled text).  The refusal texts
of esxcli itself (uplink already there, no such NIC, MTU out of range) are [K] (no capture).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import replace
from typing import Protocol

from lagprov.lab.hosts import esxi as hosts_esxi
from lagprov.lab.hosts.shell import ShellHost, shell_syntax
from lagprov.lab.hosts.view import TeamSettings

ExecAnswer = tuple[str, str, int]
LOAD_BALANCING = ("iphash", "mac", "portid", "explicit")  # esxcli ... failover set -l
MTU_RANGE = (1280, 9000)  # vSphere Standard Switch MTU ([K])
_SET = ("network", "vswitch", "standard")
_OPTIONS = {"-v": "vswitch-name", "-u": "uplink-name", "-m": "mtu", "-l": "load-balancing",
            "-a": "active-uplinks", "-f": "failure-detection", "-p": "portgroup-name",
            "-s": "standby-uplinks"}
_VERBS: dict[tuple[str, ...], tuple[frozenset[str], frozenset[str]]] = {  # (required, allowed)
    ("add",): (frozenset({"vswitch-name"}), frozenset({"vswitch-name"})),
    ("uplink", "add"): (frozenset({"vswitch-name", "uplink-name"}),
                        frozenset({"vswitch-name", "uplink-name"})),
    ("set",): (frozenset({"vswitch-name"}), frozenset({"vswitch-name", "mtu"})),
    ("policy", "failover", "set"): (frozenset({"vswitch-name"}), frozenset(
        {"vswitch-name", "load-balancing", "active-uplinks", "standby-uplinks",
         "failure-detection"})),
    ("portgroup", "add"): (frozenset({"vswitch-name", "portgroup-name"}),
                           frozenset({"vswitch-name", "portgroup-name"})),
    ("portgroup", "set"): (frozenset({"portgroup-name"}),
                           frozenset({"portgroup-name", "vlan-id"})),
}
_QUIET = " >/dev/null 2>&1"
_GREP = re.compile(r"grep -q(?P<ere>E?) '(?P<pattern>[^']*)'")


class EsxiHost(ShellHost, Protocol):
    """A simulated ESXi host a pipeline configures (``fleet.LabHost``)."""

    def team_settings(self) -> TeamSettings: ...

    def apply_team(self, team: TeamSettings) -> None: ...


class EsxcliError(Exception):
    """esxcli's error (the text is what it prints, exit status 1)."""


def portgroup_list(team: TeamSettings) -> str:
    """``esxcli network vswitch standard portgroup list`` (modelled, [K])."""
    rows = [("Name", "Virtual Switch", "Active Clients", "VLAN ID")]
    rows += [(p, team.name, "0", str(v)) for p, v in team.portgroups]
    widths = [max(len(r[k]) for r in rows) for k in range(4)]
    lines = ["  ".join(c.rjust(w) if k >= 2 else c.ljust(w)
                       for k, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip()
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _parse(argv: list[str]) -> tuple[tuple[str, ...], dict[str, str]]:
    """(verb after ``network vswitch standard``, options) of an esxcli set command."""
    if argv[:1] != ["esxcli"] or tuple(argv[1:4]) != _SET:
        raise EsxcliError(f"Error: Unknown command or namespace {' '.join(argv[1:4])}")
    rest = argv[4:]
    n = next((i for i, w in enumerate(rest) if w.startswith("-")), len(rest))
    verb = tuple(rest[:n])
    if verb not in _VERBS:
        raise EsxcliError(f"Error: Unknown command or namespace network vswitch standard "
                          f"{' '.join(verb)}")
    required, allowed = _VERBS[verb]
    options: dict[str, str] = {}
    words = rest[n:]
    while words:
        word = words.pop(0)
        name, eq, value = word.partition("=")
        long = _OPTIONS.get(name) or (name[2:] if name.startswith("--") else None)
        if long is None or long not in allowed:
            raise EsxcliError(f"Error: Invalid option {name}")
        if not eq:
            if not words:
                raise EsxcliError(f"Error: Missing required parameter --{long}")
            value = words.pop(0)
        options[long] = value
    missing = sorted(required - set(options))
    if missing:
        raise EsxcliError(f"Error: Missing required parameter --{missing[0]}")
    return verb, options


def _list(names: str) -> tuple[str, ...]:
    return tuple(n for n in names.split(",") if n)


def apply_set(team: TeamSettings, verb: tuple[str, ...], o: dict[str, str]) -> TeamSettings:
    """The host's vSwitch after one esxcli set command."""
    vswitch = o.get("vswitch-name")
    if vswitch is not None and vswitch != team.name:
        if verb == ("add",):
            raise EsxcliError(f"Error: the lab host models one standard vSwitch ({team.name})")
        raise EsxcliError(f"Unable to find vswitch {vswitch}")
    if verb == ("add",):
        raise EsxcliError(f"Error: A vSwitch named {vswitch} already exists")
    if verb == ("uplink", "add"):
        nic = o["uplink-name"]
        if nic not in team.adapters:
            raise EsxcliError(f"Error: Invalid uplink name {nic}: no such physical NIC")
        if nic in team.members:
            raise EsxcliError(f"Error: Uplink {nic} is already on vSwitch {team.name}")
        return replace(team, members=(*team.members, nic))
    if verb == ("set",):
        mtu = o.get("mtu", str(team.mtu))
        if not mtu.isdigit() or not MTU_RANGE[0] <= int(mtu) <= MTU_RANGE[1]:
            raise EsxcliError(f"Error: Invalid MTU {mtu}: must be between {MTU_RANGE[0]} and "
                              f"{MTU_RANGE[1]}")
        return replace(team, mtu=int(mtu))
    if verb == ("policy", "failover", "set"):
        return _failover(team, o)
    groups = dict(team.portgroups)
    name = o["portgroup-name"]
    if verb == ("portgroup", "add"):
        if name in groups:
            raise EsxcliError(f"Error: A portgroup with the name {name} already exists")
        return replace(team, portgroups=(*team.portgroups, (name, 0)))
    if name not in groups:
        raise EsxcliError(f"Error: Unable to find portgroup {name}")
    vlan = o.get("vlan-id", str(groups[name]))
    if not vlan.isdigit() or int(vlan) > 4095:
        raise EsxcliError(f"Error: Invalid VLAN ID {vlan}: must be between 0 and 4095")
    return replace(team, portgroups=tuple((p, int(vlan) if p == name else v)
                                          for p, v in team.portgroups))


def _failover(team: TeamSettings, o: dict[str, str]) -> TeamSettings:
    lb = o.get("load-balancing", team.team)
    if lb not in LOAD_BALANCING:
        raise EsxcliError(f"Error: Invalid load balancing policy {lb}: expected one of "
                          f"{', '.join(LOAD_BALANCING)}")
    if o.get("failure-detection", "link") not in ("link", "beacon"):
        raise EsxcliError(f"Error: Invalid failure detection {o['failure-detection']}: "
                          "expected link or beacon")
    if o.get("standby-uplinks"):
        raise EsxcliError("Error: the lab host models active uplinks only (no standby)")
    active = _list(o.get("active-uplinks", ",".join(team.members)))
    unknown = [n for n in active if n not in team.members]
    if unknown:
        raise EsxcliError(f"Error: Uplink {unknown[0]} is not an uplink of vSwitch {team.name}")
    if set(active) != set(team.members):
        raise EsxcliError("Error: the lab host models every uplink active; name all of "
                          f"{', '.join(team.members)}")
    return replace(team, team=lb, members=active)


def _check(host: EsxiHost, team: TeamSettings, left: str) -> bool:
    """Whether the guard ``left`` of an or-list succeeds (then its set is not run)."""
    if left.endswith(_QUIET):
        read, grep = left[: -len(_QUIET)], None
    else:
        read, sep, grep = left.partition(" | ")
        if not sep or _GREP.fullmatch(grep) is None:
            raise EsxcliError(f"sh: lab: refused: {left[:60]} (not a guard lagprov renders)")
    argv = tuple(shlex.split(read))
    if argv[:6] == ("esxcli", *_SET, "list", "-v") and len(argv) == 7:
        ok = argv[6] == team.name
        text = hosts_esxi.vswitch_list(host.state()) if ok else ""
    elif argv == ("esxcli", *_SET, "portgroup", "list"):
        ok, text = True, portgroup_list(team)
    else:
        raise EsxcliError(f"sh: lab: refused: {read[:60]} (not a guard lagprov renders)")
    if grep is None or not ok:
        return ok
    m = _GREP.fullmatch(grep)
    assert m is not None
    pattern = m["pattern"] if m["ere"] else re.escape(m["pattern"]).replace(r"\^", "^", 1)
    return any(re.search(pattern, line) for line in text.splitlines())


def _or_list(command: str) -> tuple[str | None, str]:
    """(guard, set) of ``guard || set``, or (None, command); shell syntax beyond the
    renderer's forms is left to the caller's refusal."""
    left, sep, right = command.partition(" || ")
    return (left, right) if sep else (None, command)


def is_apply(command: str) -> bool:
    """Whether ``command`` is a set command (or guarded set) this module runs."""
    _, right = _or_list(command)
    try:
        argv = shlex.split(right)
    except ValueError:
        return False
    return (shell_syntax(right) is None and tuple(argv[1:4]) == _SET and argv[:1] == ["esxcli"]
            and any(tuple(argv[4:4 + len(v)]) == v for v in _VERBS))


def esxi_apply_exec(host: EsxiHost, command: str) -> ExecAnswer:
    """Run one rendered line on ``host`` (exit 1 and esxcli's error, nothing changed)."""
    guard, right = _or_list(command)
    if guard is not None and shell_syntax(guard.replace(" | ", " ").replace(_QUIET, "")
                                          ) is not None:
        host.refuse(command)
        return "", "sh: lab: refused: shell syntax beyond lagprov's guards\n", 2
    before = host.team_settings()
    try:
        if guard is not None and _check(host, before, guard):
            return "", "", 0
        verb, options = _parse(shlex.split(right))
        after = apply_set(before, verb, options)
    except EsxcliError as exc:
        if str(exc).startswith("sh: "):
            host.refuse(command)
            return "", f"{exc}\n", 2
        return "", f"{exc}\n", 1
    if after != before:
        host.apply_team(after)
    return "", "", 0
