"""Exec requests to simulated Windows and ESXi hosts: what lagprov's SSH reads send them.

Each answer is ``(stdout, stderr, exit status)``; a refusal is recorded on the host
(``refuse``) so a test can prove what reached it.

* Windows: :mod:`.powershell` (one ``powershell.exe -EncodedCommand`` read, status 1 and a
  PowerShell-style error for anything else).
* ESXi: the ESXi Shell (BusyBox ``sh``) runs one ``esxcli`` read per exec request.  The line
  is read as a POSIX shell would (``shlex``) and shell syntax is refused exactly as on the lab's
  Linux hosts (:func:`.shell.shell_syntax`, status 2); an esxcli namespace the lab does not
  answer gets esxcli's usage error (status 1, modelled: no capture).  A vSwitch name that does
  not exist is an error, not an empty answer (modelled text).
"""

from __future__ import annotations

import shlex

from lagprov.lab.hosts import esxi as hosts_esxi
from lagprov.lab.hosts.powershell import Refused, decode_exec, run_script
from lagprov.lab.hosts.shell import REFUSED, ShellHost, shell_syntax

ExecAnswer = tuple[str, str, int]


def windows_exec(host: ShellHost, command: str) -> ExecAnswer:
    """Answer one exec request on a Windows host."""
    host.record(command)
    try:
        script = decode_exec(command)
        state = host.state()
        return host.answer(("powershell", script), state, lambda s: run_script(script, s)), "", 0
    except Refused as exc:
        host.refuse(command)
        return "", f"{exc}\n", 1


def esxi_exec(host: ShellHost, command: str) -> ExecAnswer:
    """Answer one exec request on an ESXi host."""
    host.record(command)
    found = shell_syntax(command)
    try:
        argv = tuple(shlex.split(command, posix=True))
    except ValueError as exc:
        found = str(exc).lower()
    if found is not None:
        host.refuse(command)
        return "", f"sh: lab: refused: unquoted {found} (the lab runs no shell syntax)\n", REFUSED
    state = host.state()
    bond = host.bond
    reads = {
        ("esxcli", "network", "vswitch", "standard", "policy", "failover", "get", "-v"):
            hosts_esxi.esxcli_failover,
        ("esxcli", "network", "vswitch", "standard", "list", "-v"): hosts_esxi.vswitch_list,
    }
    if argv == ("esxcli", "network", "nic", "list"):
        return host.answer(argv, state, hosts_esxi.nic_list), "", 0
    render = reads.get(argv[:-1]) if argv else None
    if render is None:
        host.refuse(command)
        return "", f"Error: Unknown command or namespace {' '.join(argv[1:4])}\n", 1
    if argv[-1] != bond:
        return "", f"Unable to find vswitch {argv[-1]}\n", 1
    return host.answer(argv, state, render), "", 0
