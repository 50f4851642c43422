"""PowerShell parameter binding for the lab's Windows hosts (:mod:`.windows_apply`).

The configuration cmdlets lagprov renders and their parameters; a command line is bound as
PowerShell binds it (parameter names and enum values case-insensitive), and a failure is a
PowerShell 5.1 error record: ``CommandNotFoundException`` for an unknown cmdlet,
``ParameterBindingException`` for an unknown parameter, a missing or unconvertible value.
The enums are those of Microsoft's NetLbfo and Hyper-V cmdlet documentation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

LBFO = ("Static", "SwitchIndependent", "Lacp")
LBFO_LB = ("TransportPorts", "IPAddresses", "MacAddresses", "HyperVPort", "Dynamic")
SET_LB = ("HyperVPort", "Dynamic")
_TIMER = ("Fast", "Slow")
JUMBO_VALUES = (1514, 4088, 9014)  # Intel X540 *JumboPacket registry values ([K])
LITERAL = r"'(?:[^']|'')*'"
_NAME = r"[A-Za-z0-9_.-]+"


class PsError(Exception):
    """A PowerShell error record (its text is PowerShell 5.1's error layout)."""

    def __init__(self, cmd: str, message: str, category: str, error_id: str) -> None:
        super().__init__(message)
        self.cmd, self.message, self.category, self.error_id = cmd, message, category, error_id
        self.line, self.column, self.text = 1, 1, cmd

    def render(self) -> str:
        mark = " " * (self.column - 1) + "~" * max(1, len(self.cmd))
        return (f"{self.cmd} : {self.message}\n"
                f"At line:{self.line} char:{self.column}\n+ {self.text}\n+ {mark}\n"
                f"    + CategoryInfo          : {self.category}\n"
                f"    + FullyQualifiedErrorId : {self.error_id}\n")


def not_found(cmd: str) -> PsError:
    return PsError(cmd, f"The term '{cmd}' is not recognized as the name of a cmdlet, function, "
                   "script file, or operable program. Check the spelling of the name, or if a "
                   "path was included, verify that the path is correct and try again.",
                   f"ObjectNotFound: ({cmd}:String) [], CommandNotFoundException",
                   "CommandNotFoundException")


def binding(cmd: str, message: str, error_id: str) -> PsError:
    return PsError(cmd, message, f"InvalidArgument: (:) [{cmd}], ParameterBindingException",
                   f"{error_id},{cmd}")


def fault(cmd: str, message: str, category: str = "InvalidArgument") -> PsError:
    return PsError(cmd, message, f"{category}: (:) [{cmd}], CimException",
                   f"Windows System Error 87,{cmd}")


def _words(text: str) -> list[str]:
    """``text`` split at spaces outside quotes (PowerShell's argument tokens, simplified)."""
    out, cur, quoted = [], "", False
    for ch in text:
        if ch == "'":
            quoted = not quoted
        if ch == " " and not quoted:
            if cur:
                out.append(cur)
            cur = ""
        else:
            cur += ch
    return [*out, *([cur] if cur else [])]


def strings(cmd: str, param: str, value: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """A string[] argument: ``'a','b'``, ``'a'``, a bare word, or a loop variable."""
    items = []
    for part in re.findall(rf"{LITERAL}|[^,]+", value):
        if part.startswith("'"):
            items.append(part[1:-1].replace("''", "'"))
        elif part.startswith("$"):
            if part[1:] not in env:
                raise binding(cmd, f"Cannot bind argument to parameter '{param}' because it is "
                               "null.", "ParameterArgumentValidationErrorNullNotAllowed")
            items.append(env[part[1:]])
        elif re.fullmatch(_NAME, part):
            items.append(part)
        else:
            raise binding(cmd, f"Cannot bind parameter '{param}' to value {part}.",
                           "CannotConvertArgument")
    return tuple(items)


def _enum(cmd: str, param: str, value: str, names: tuple[str, ...]) -> str:
    for name in names:
        if value.strip("'").lower() == name.lower():
            return name
    raise binding(cmd, f"Cannot bind parameter '{param}'. Cannot convert value \"{value}\" to "
                   f"type \"{param}\". Error: \"Unable to match the identifier name {value} to a "
                   "valid enumerator name. Specify one of the following enumerator names and "
                   f"try again: {', '.join(names)}\"", "CannotConvertArgumentNoMessage")


# cmdlet -> parameter -> kind: "s" string, "l" string[], "i" int, "b" $true/$false,
# "w" switch (-Confirm:$false), or an enum's names
_Kind = str | tuple[str, ...]
_PARAMS: Mapping[str, Mapping[str, _Kind]] = {
    "Set-NetAdapterAdvancedProperty": {"Name": "l", "RegistryKeyword": "s",
                                       "RegistryValue": "i"},
    "New-NetLbfoTeam": {"Name": "s", "TeamMembers": "l", "TeamingMode": LBFO,
                        "LoadBalancingAlgorithm": LBFO_LB, "LacpTimer": _TIMER, "Confirm": "w"},
    "Set-NetLbfoTeam": {"Name": "s", "TeamingMode": LBFO, "LoadBalancingAlgorithm": LBFO_LB,
                        "LacpTimer": _TIMER, "Confirm": "w"},
    "Add-NetLbfoTeamMember": {"Team": "s", "Name": "s", "Confirm": "w"},
    "Add-NetLbfoTeamNic": {"Team": "s", "VlanID": "i", "Confirm": "w"},
    "New-VMSwitch": {"Name": "s", "NetAdapterName": "l", "EnableEmbeddedTeaming": "b",
                     "AllowManagementOS": "b"},
    "Set-VMSwitchTeam": {"Name": "s", "LoadBalancingAlgorithm": SET_LB},
    "Get-NetLbfoTeam": {"Name": "s", "ErrorAction": ("SilentlyContinue",)},
    "Get-NetLbfoTeamMember": {"Team": "s", "Name": "s", "ErrorAction": ("SilentlyContinue",)},
    "Get-NetLbfoTeamNic": {"Team": "s"},
    "Get-VMSwitch": {"Name": "s", "ErrorAction": ("SilentlyContinue",)},
}
_MANDATORY = {"Set-NetAdapterAdvancedProperty": ("Name", "RegistryKeyword", "RegistryValue"),
              "New-NetLbfoTeam": ("Name", "TeamMembers"), "Set-NetLbfoTeam": ("Name",),
              "Add-NetLbfoTeamMember": ("Team", "Name"), "Add-NetLbfoTeamNic": ("Team", "VlanID"),
              "New-VMSwitch": ("Name", "NetAdapterName"), "Set-VMSwitchTeam": ("Name",)}

Args = dict[str, object]


def bind(line: str, env: Mapping[str, str]) -> tuple[str, Args]:
    """(cmdlet, bound parameters) of one command line."""
    words = _words(line)
    cmd = next((c for c in _PARAMS if c.lower() == words[0].lower()), None)
    if cmd is None:
        raise not_found(words[0])
    spec, args, i = _PARAMS[cmd], Args(), 1
    while i < len(words):
        word = words[i]
        name, colon, inline = word[1:].partition(":")
        param = next((p for p in spec if p.lower() == name.lower()), None)
        if not word.startswith("-") or param is None:
            raise binding(cmd, f"A parameter cannot be found that matches parameter name "
                           f"'{name if word.startswith('-') else word}'.",
                           "NamedParameterNotFound" if word.startswith("-") else
                           "PositionalParameterNotFound")
        kind = spec[param]
        if kind == "w":
            if colon and inline.lower() not in ("$false", "$true"):
                raise binding(cmd, f"Cannot convert '{inline}' to the type "
                               "'System.Management.Automation.SwitchParameter'.",
                               "CannotConvertArgument")
            args[param] = not colon or inline.lower() == "$true"
            i += 1
            continue
        if i + 1 >= len(words):
            raise binding(cmd, f"Missing an argument for parameter '{param}'. Specify a "
                           "parameter of type 'System.String' and try again.",
                           "MissingArgument")
        value = words[i + 1]
        args[param] = _value(cmd, param, kind, value, env)
        i += 2
    missing = [p for p in _MANDATORY.get(cmd, ()) if p not in args]
    if missing:
        raise binding(cmd, "Cannot process command because of one or more missing mandatory "
                       f"parameters: {' '.join(missing)}.", "MissingMandatoryParameter")
    return cmd, args


def _value(cmd: str, param: str, kind: _Kind, value: str, env: Mapping[str, str]) -> object:
    if isinstance(kind, tuple):
        return _enum(cmd, param, value, kind)
    if kind == "i":
        if not value.isdigit():
            raise binding(cmd, f"Cannot bind parameter '{param}'. Cannot convert value "
                           f"\"{value}\" to type \"System.Int32\".", "CannotConvertArgument")
        return int(value)
    if kind == "b":
        if value.lower() not in ("$true", "$false"):
            raise binding(cmd, f"Cannot convert value \"{value}\" to type \"System.Boolean\".",
                           "CannotConvertArgument")
        return value.lower() == "$true"
    items = strings(cmd, param, value, env)
    if kind == "s" and len(items) != 1:
        raise binding(cmd, f"Cannot convert 'System.Object[]' to the type 'System.String' "
                       f"required by parameter '{param}'.", "CannotConvertArgument")
    return items[0] if kind == "s" else items
