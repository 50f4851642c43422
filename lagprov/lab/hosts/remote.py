"""Exec requests to simulated Windows and ESXi hosts: what lagprov's SSH reads send them.

Each answer is ``(stdout, stderr, exit status)``; a refusal is recorded on the host
(``refuse``) so a test can prove what reached it.

* Windows: :mod:`.powershell` (one ``powershell.exe -EncodedCommand`` read, status 1 and a
  PowerShell-style error for anything else).
* Windows configuration scripts (``lagprov render --host``): :mod:`.windows_apply`.
* ESXi set commands (``esxcli network vswitch standard ... add|set``, guarded as rendered):
  :mod:`.esxi_apply`.
* ESXi: the ESXi Shell (BusyBox ``sh``) runs one ``esxcli`` read per exec request.  The line
  is read as a POSIX shell would (``shlex``) and shell syntax is refused exactly as on the lab's
  Linux hosts (:func:`.shell.shell_syntax`, status 2); an esxcli namespace the lab does not
  answer gets esxcli's usage error (status 1, modelled: no capture).  The global option
  ``--formatter=keyvalue`` (or ``--formatter keyvalue``) is answered where a real capture shows
  its shape (vSwitch list, NIC list); ``xml`` / ``csv`` and keyvalue elsewhere are refused
  (status 1), any other option too.  A vSwitch name that does not exist is an error, not an
  empty answer (modelled text).
"""

from __future__ import annotations

import shlex

from lagprov.lab.hosts import esxi as hosts_esxi
from lagprov.lab.hosts.esxi_apply import EsxiHost, esxi_apply_exec, is_apply
from lagprov.lab.hosts.powershell import Refused, decode_exec, run_script
from lagprov.lab.hosts.shell import REFUSED, Render, shell_syntax
from lagprov.lab.hosts.windows_apply import WindowsHost, is_config, windows_apply_exec

ExecAnswer = tuple[str, str, int]


def windows_exec(host: WindowsHost, command: str) -> ExecAnswer:
    """Answer one exec request on a Windows host (a configuration script:
    :mod:`.windows_apply`)."""
    host.record(command)
    try:
        script = decode_exec(command)
        if is_config(script):
            return windows_apply_exec(host, command, script)
        state = host.state()
        return host.answer(("powershell", script), state, lambda s: run_script(script, s)), "", 0
    except Refused as exc:
        host.refuse(command)
        return "", f"{exc}\n", 1


_FORMATTERS = ("xml", "csv", "keyvalue")  # esxcli's --formatter values in real use
_PLAIN: dict[tuple[str, ...], Render] = {
    ("network", "vswitch", "standard", "policy", "failover", "get", "-v"):
        hosts_esxi.esxcli_failover,
    ("network", "vswitch", "standard", "list", "-v"): hosts_esxi.vswitch_list,
    ("network", "nic", "list"): hosts_esxi.nic_list,
    ("network", "vswitch", "dvs", "vmware", "lacp", "config", "get"): hosts_esxi.lacp_config,
    ("network", "vswitch", "dvs", "vmware", "lacp", "status", "get"): hosts_esxi.lacp_status,
}
_KEYVALUE: dict[tuple[str, ...], Render] = {  # the forms a real capture shows
    ("network", "vswitch", "standard", "list", "-v"): hosts_esxi.vswitch_list_kv,
    ("network", "nic", "list"): hosts_esxi.nic_list_kv,
}


def _esxcli_options(argv: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    """(``--formatter`` value or None, the namespace words) of an ``esxcli`` argv (ValueError:
    an option the lab does not take)."""
    words, formatter = list(argv[1:]), None
    while words and words[0].startswith("--"):
        option = words.pop(0)
        name, eq, value = option.partition("=")
        if name != "--formatter":
            raise ValueError(f"Error: Invalid option {option} (the lab takes --formatter only)")
        if not eq:
            if not words:
                raise ValueError("Error: Missing required parameter --formatter")
            value = words.pop(0)
        if value not in _FORMATTERS:
            raise ValueError(f"Error: Invalid formatter {value!r}: expected one of "
                             f"{', '.join(_FORMATTERS)}")
        formatter = value
    return formatter, tuple(words)


def esxi_exec(host: EsxiHost, command: str) -> ExecAnswer:
    """Answer one exec request on an ESXi host (a set command: :mod:`.esxi_apply`)."""
    host.record(command)
    if is_apply(command):
        return esxi_apply_exec(host, command)
    found = shell_syntax(command)
    try:
        argv = tuple(shlex.split(command, posix=True))
    except ValueError as exc:
        found = str(exc).lower()
    if found is not None:
        host.refuse(command)
        return "", f"sh: lab: refused: unquoted {found} (the lab runs no shell syntax)\n", REFUSED
    if not argv or argv[0] != "esxcli":
        host.refuse(command)
        return "", f"sh: {argv[0] if argv else ''}: not found\n", 127
    try:
        formatter, words = _esxcli_options(argv)
    except ValueError as exc:
        host.refuse(command)
        return "", f"{exc}\n", 1
    table = _KEYVALUE if formatter == "keyvalue" else _PLAIN
    vswitch = words[-1] if len(words) > 1 and words[-2] == "-v" and words[:-1] in table else None
    render = table.get(words) or (table.get(words[:-1]) if vswitch is not None else None)
    if render is None or formatter not in (None, "keyvalue"):
        host.refuse(command)
        known = words in _PLAIN or words[:-1] in _PLAIN
        return "", ("Error: the lab answers this namespace in --formatter=keyvalue or plain text "
                    "only\n" if known and formatter else
                    f"Error: Unknown command or namespace {' '.join(words[:3])}\n"), 1
    if vswitch is not None and vswitch != host.bond:
        return "", f"Unable to find vswitch {vswitch}\n", 1
    return host.answer(argv, host.state(), render), "", 0
