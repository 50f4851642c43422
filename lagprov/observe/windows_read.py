"""The Windows host's read-backs as one PowerShell command line, and its answer split back.

A Windows host is read in one round trip: one script (Windows PowerShell 5.1, the
``powershell.exe`` of Server 2016+; nothing in it needs PowerShell 7) emits one JSON object
with a key per cmdlet.  Each cmdlet's rows are the ``Select-Object`` projections of
vendor-cli.md 5.1 (enums cast to ``[string]``), so :func:`split_windows_answer` hands each
key's value to the same parsers as the report files (``hosts_windows``), under the same
command names (:data:`lagprov.observe.host_commands.WINDOWS_KEYS`).

Quoting: the team and NIC names are validated per OS by the intent model
(:func:`lagprov.model.safety.check_host_name`) and are PowerShell single-quoted all the same
(``'`` doubled), so nothing in them is ever expanded.  The script itself has no ``$(``, no
backtick and no double-quoted string: an ``@(...)`` array subexpression keeps every cmdlet's
answer a JSON array (``[]``: nothing in the pipeline, i.e. no LBFO / SET team), and a host
without the Hyper-V module answers ``[]`` for ``Get-VMSwitchTeam`` (no SET team is possible).
A cmdlet that fails stops the script (``$ErrorActionPreference='Stop'``): an error, never a
partial answer.  Adapters and IP interfaces are asked by name with ``SilentlyContinue``: a
NIC the host does not have is absent from the answer (verification then reports it missing).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence

from lagprov.errors import ParseError

_STR = "@{{n='{0}';e={{[string]$_.{0}}}}}"
_TEAM = ",".join(["Name", *(_STR.format(f) for f in (
    "TeamingMode", "LoadBalancingAlgorithm", "LacpTimer", "Status")),
    "@{n='Members';e={@($_.Members)}}"])
_MEMBER = ",".join(["Name", "Team", *(_STR.format(f) for f in (
    "AdministrativeMode", "OperationalStatus", "FailureReason"))])
_SET = ",".join(["Name", *(_STR.format(f) for f in ("TeamingMode", "LoadBalancingAlgorithm")),
                 "@{n='Members';e={@(Get-NetAdapter -InterfaceDescription "
                 "$_.NetAdapterInterfaceDescription | ForEach-Object Name)}}"])

WINDOWS_PIPELINES: tuple[tuple[str, str], ...] = (
    ("Get-NetLbfoTeam", f"Get-NetLbfoTeam | Select-Object {_TEAM}"),
    ("Get-NetLbfoTeamMember", f"Get-NetLbfoTeamMember | Select-Object {_MEMBER}"),
    ("Get-VMSwitchTeam", "if (Get-Command Get-VMSwitchTeam -ErrorAction Ignore) "
                         f"{{Get-VMSwitchTeam | Select-Object {_SET}}}"),
    ("Get-NetAdapter", "Get-NetAdapter -Name {nics} -ErrorAction SilentlyContinue | "
                       "Select-Object Name,Status,LinkSpeed,MacAddress"),
    ("Get-NetAdapterAdvancedProperty", "Get-NetAdapterAdvancedProperty -RegistryKeyword "
                                       "'*JumboPacket' | Select-Object Name,DisplayValue,"
                                       "RegistryValue"),
    ("Get-NetIPInterface", "Get-NetIPInterface -InterfaceAlias {aliases} -AddressFamily IPv4 "
                           "-ErrorAction SilentlyContinue | Select-Object InterfaceAlias,NlMtu"),
)
"""(JSON key, pipeline) of the one read-back script; ``{nics}`` / ``{aliases}`` are filled
with PowerShell single-quoted name lists."""


def ps_quote(name: str) -> str:
    """``name`` as a PowerShell single-quoted literal (no expansion inside).

    >>> ps_quote("O'Brien NIC")
    "'O''Brien NIC'"
    """
    return "'" + name.replace("'", "''") + "'"


def ps_list(names: Sequence[str]) -> str:
    """A comma-separated list of single-quoted literals (``'A','B'``)."""
    return ",".join(ps_quote(n) for n in names)


def windows_script(bond: str, nics: Sequence[str]) -> str:
    """The one PowerShell command line that reads a Windows host's team over ``nics``.

    >>> "'iSCSI-A','iSCSI-B'" in windows_script("Team1", ["iSCSI-A", "iSCSI-B"])
    True
    """
    names = list(nics) or [bond]
    aliases = [bond, *(n for n in nics if n != bond)]
    entries = "; ".join(
        f"{ps_quote(key)}=@("
        + pipe.replace("{nics}", ps_list(names)).replace("{aliases}", ps_list(aliases)) + ")"
        for key, pipe in WINDOWS_PIPELINES)
    return ("$ErrorActionPreference='Stop'; "
            f"[ordered]@{{{entries}}} | ConvertTo-Json -Depth 4")


def encoded_command(script: str) -> str:
    """``powershell.exe`` running ``script`` from ``-EncodedCommand`` (base64 of UTF-16LE):
    the same command line whichever shell the OpenSSH server starts (cmd.exe by default,
    PowerShell when ``DefaultShell`` is set), with no quoting left to either shell."""
    b64 = base64.b64encode(script.encode("utf-16-le")).decode("ascii")
    return f"powershell.exe -NoProfile -NonInteractive -EncodedCommand {b64}"


def split_windows_answer(raw: str, commands: Mapping[str, str]) -> dict[str, str]:
    """The script's JSON object as ``command -> JSON text`` for the report parsers.

    ``commands`` maps each JSON key (the cmdlet) to the command name its output is kept under.

    Raises:
        ParseError: not a JSON object, or a key of the script missing from it.
    """
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ParseError("windows", "read-back script", raw, f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ParseError("windows", "read-back script", raw, "expected one JSON object")
    missing = [k for k in commands if k not in data]
    if missing:
        raise ParseError("windows", "read-back script", raw,
                         f"no {', '.join(missing)} in the answer")
    return {command: json.dumps(data[key]) for key, command in commands.items()}
