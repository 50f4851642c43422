"""The PowerShell a simulated Windows host answers over OpenSSH (what lagprov's read sends).

Windows OpenSSH runs an exec request through its default shell (cmd.exe, or PowerShell when
``DefaultShell`` is set); lagprov sends ``powershell.exe -NoProfile -NonInteractive
-EncodedCommand <base64 of UTF-16LE>`` (Microsoft's ``about_PowerShell_exe``), which both shells
run alike.  The lab decodes the script and answers only what it understands:

    $ErrorActionPreference='Stop'; [ordered]@{'<key>'=@(<pipeline>); ...} | ConvertTo-Json -Depth N

where each pipeline is one known read-only cmdlet (parameters from its table below), an optional
``if (Get-Command <cmdlet> -ErrorAction Ignore) {...}`` guard, and a ``Select-Object`` of
property names and ``@{n='X';e={[string]$_.X}}`` casts.  It runs nothing else: a script with an
unquoted expansion (``$(``, a backtick escape, a double-quoted string, which PowerShell expands)
or anything it does not recognise is refused with PowerShell's own kind of error on stderr and
exit status 1, and recorded (``refuse``), as the Linux shell refuses shell operators.  No real
capture of this exchange exists: the object properties are [K] (``windows``).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping

from lagprov.lab.hosts import windows as win
from lagprov.lab.hosts.view import HostState

Rows = Callable[[HostState], list[dict[str, object]]]
_LITERAL = r"'(?:[^']|'')*'"
_LIST = re.compile(rf"{_LITERAL}(?:,{_LITERAL})*")
_OUTER = re.compile(r"\$ErrorActionPreference='Stop'; \[ordered\]@\{(?P<body>.*)\} \| "
                    r"ConvertTo-Json -Depth (?P<depth>[1-9][0-9]?)", re.DOTALL)
_ENTRY = re.compile(rf"(?P<key>{_LITERAL})=@\((?P<pipe>.*)\)", re.DOTALL)
_GUARD = re.compile(r"if \(Get-Command (?P<cmd>[A-Za-z-]+) -ErrorAction Ignore\) \{(?P<pipe>.*)\}",
                    re.DOTALL)
_CAST = re.compile(r"@\{n='(\w+)';e=\{\[string\]\$_\.(\w+)\}\}")
_SET_MEMBERS = ("@{n='Members';e={@(Get-NetAdapter -InterfaceDescription "
                "$_.NetAdapterInterfaceDescription | ForEach-Object Name)}}")
_EXPRESSIONS = {"@{n='Members';e={@($_.Members)}}": "Members", _SET_MEMBERS: "Members"}


class Refused(Exception):
    """A command line the lab host does not run (the text is PowerShell's kind of error)."""


# cmdlet -> (rows, the name filter parameter or None, other parameters -> accepted values)
_CMDLETS: Mapping[str, tuple[Rows, str | None, Mapping[str, frozenset[str]]]] = {
    "Get-NetLbfoTeam": (win.team_rows, None, {}),
    "Get-NetLbfoTeamMember": (win.member_rows, None, {}),
    "Get-VMSwitchTeam": (win.set_rows, None, {}),
    "Get-NetAdapter": (win.adapter_rows, "-Name",
                       {"-ErrorAction": frozenset({"SilentlyContinue"})}),
    "Get-NetAdapterAdvancedProperty": (win.jumbo_rows, None,
                                       {"-RegistryKeyword": frozenset({"'*JumboPacket'"})}),
    "Get-NetIPInterface": (win.ip_rows, "-InterfaceAlias",
                           {"-AddressFamily": frozenset({"IPv4"}),
                            "-ErrorAction": frozenset({"SilentlyContinue"})}),
}


def decode_exec(command: str) -> str:
    """The script of an exec request ``powershell.exe -NoProfile -NonInteractive
    -EncodedCommand <b64>`` (Refused: any other command line)."""
    argv = command.split()
    if len(argv) != 5 or argv[0].lower() not in ("powershell.exe", "powershell") \
            or [a.lower() for a in argv[1:4]] != ["-noprofile", "-noninteractive",
                                                   "-encodedcommand"]:
        raise Refused(f"'{command[:60]}' is not recognized as a command line this host runs "
                      "(the lab answers powershell.exe -NoProfile -NonInteractive "
                      "-EncodedCommand <script>)")
    try:
        return base64.b64decode(argv[4], validate=True).decode("utf-16-le")
    except (binascii.Error, UnicodeDecodeError):
        raise Refused("Cannot process the command because the value specified with "
                      "-EncodedCommand is not properly encoded. The value must be Base64 "
                      "encoded.") from None


def expansion(script: str) -> str | None:
    """The first thing outside single quotes that PowerShell would expand or escape."""
    quoted = False
    for i, ch in enumerate(script):
        if ch == "'":
            quoted = not quoted  # '' inside a literal toggles twice: still quoted
        elif not quoted and ch == "`":
            return "a backtick escape '`'"
        elif not quoted and script.startswith("$(", i):
            return "a subexpression '$('"
        elif not quoted and ch == '"':
            return 'a double-quoted (expanding) string \'"\''
    return "an unterminated string" if quoted else None


def _split(text: str, sep: str) -> list[str]:
    """``text`` split at ``sep`` outside quotes and brackets."""
    parts, depth, quoted, start, i = [], 0, False, 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch in "({[":
            depth += 1
        elif not quoted and ch in ")}]":
            depth -= 1
        elif not quoted and depth == 0 and text.startswith(sep, i):
            parts.append(text[start:i])
            start = i + len(sep)
            i = start
            continue
        i += 1
    return [*parts, text[start:]]


def _names(literals: str) -> list[str]:
    return [p[1:-1].replace("''", "'") for p in _split(literals, ",")]


def _unknown(what: str) -> Refused:
    return Refused(f"The term '{what[:60]}' is not recognized as the name of a cmdlet, "
                   "function, script file, or operable program (the lab answers lagprov's "
                   "read-only cmdlets only).")


def _cmdlet(text: str, state: HostState) -> list[dict[str, object]]:
    words = _split(text.strip(), " ")
    rows_of, by_name, params = _CMDLETS.get(words[0], (None, None, {}))
    if rows_of is None:
        raise _unknown(words[0])
    rows = rows_of(state)
    args = words[1:]
    if len(args) % 2:
        raise Refused(f"{words[0]}: missing an argument for parameter '{args[-1]}'.")
    for name, value in zip(args[::2], args[1::2], strict=True):
        if name == by_name and _LIST.fullmatch(value):
            wanted = _names(value)
            key = "Name" if name == "-Name" else "InterfaceAlias"
            rows = [r for r in rows if r[key] in wanted]
        elif value not in params.get(name, frozenset()):
            raise Refused(f"{words[0]}: A parameter cannot be found that matches parameter "
                          f"name '{name.lstrip('-')}' with value {value[:40]} (the lab).")
    return rows


def _select(props: str, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    fields: list[tuple[str, str, bool]] = []  # (output name, row key, cast to string)
    for prop in _split(props, ","):
        cast = _CAST.fullmatch(prop)
        if re.fullmatch(r"\w+", prop):
            fields.append((prop, prop, False))
        elif cast and cast.group(1) == cast.group(2):
            fields.append((cast.group(1), cast.group(2), True))
        elif prop in _EXPRESSIONS:
            fields.append((_EXPRESSIONS[prop], _EXPRESSIONS[prop], False))
        else:
            raise _unknown(prop)
    return [{out: (str(r.get(key)) if cast else r.get(key)) for out, key, cast in fields}
            for r in rows]


def _pipeline(pipe: str, state: HostState) -> list[dict[str, object]]:
    guard = _GUARD.fullmatch(pipe)
    if guard is not None:
        if guard.group("cmd") not in _CMDLETS:
            raise _unknown(guard.group("cmd"))
        pipe = guard.group("pipe")  # the lab's hosts have the Hyper-V module
    stages = _split(pipe, " | ")
    if len(stages) != 2 or not stages[1].startswith("Select-Object "):
        raise _unknown(pipe)
    return _select(stages[1][len("Select-Object "):], _cmdlet(stages[0], state))


def run_script(script: str, state: HostState) -> str:
    """The JSON the script prints on a host in ``state`` (Refused: not run)."""
    found = expansion(script)
    if found is not None:
        raise Refused(f"refused: unquoted {found} (the lab runs no PowerShell expansion)")
    outer = _OUTER.fullmatch(script.strip())
    if outer is None:
        raise _unknown(script.strip())
    answer: dict[str, object] = {}
    for entry in _split(outer.group("body"), "; "):
        m = _ENTRY.fullmatch(entry.strip())
        if m is None:
            raise _unknown(entry.strip())
        answer[_names(m.group("key"))[0]] = _pipeline(m.group("pipe"), state)
    return win.ps51_json(answer) + "\n"
