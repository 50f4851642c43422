"""Guards against text that could inject CLI lines or break quoting on any platform."""

from __future__ import annotations

import re

# Printable ASCII minus the characters that end a line, start CLI help (IOS '?'),
# break Junos quoting ('"', '\\') or open a Junos/EOS comment/pipe inside a value.
_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f"\\?|;{}]|[^\x20-\x7e]')
MAX_TEXT = 200


def check_cli_text(value: str) -> str:
    """Return ``value`` if it is safe to place in a CLI line on every platform.

    Raises:
        ValueError: naming the offending character, for newlines, control characters,
            quotes, ``?``, ``|``, ``;``, braces or non-ASCII text.
    """
    if len(value) > MAX_TEXT:
        raise ValueError(f"longer than {MAX_TEXT} characters")
    bad = _FORBIDDEN.search(value)
    if bad:
        raise ValueError(
            f"contains {bad.group()!r} at position {bad.start()}: newlines, control "
            "characters, quotes, backslashes, '?', '|', ';' and braces could inject or break "
            "CLI lines"
        )
    return value


# Names that end up in a host command (team, bond, vSwitch and NIC names), per host OS.  Linux
# interface names: 1-15 bytes (IFNAMSIZ 16 with the NUL), no '/', ':' or whitespace (the
# kernel's dev_valid_name); lagprov also refuses every shell metacharacter, so a name can never
# become a second command.  Windows adapter and team names may hold spaces ("Ethernet 2") but no
# quote, backtick or '$' (PowerShell expansion).  ESXi vSwitch and vmnic names: letters, digits,
# '-', '_' and '.'.
_HOST_NAME_RULES: dict[str, tuple[re.Pattern[str], str]] = {
    "linux": (re.compile(r"(?!\.\.?$)[A-Za-z0-9_.@+-]{1,15}"),
              "a Linux interface name: 1-15 of letters, digits and _ . @ + -"),
    "windows": (re.compile(r"[A-Za-z0-9_.()#+ -]{1,128}"),
                "a Windows adapter or team name: letters, digits, spaces and _ . ( ) # + -"),
    "vmware": (re.compile(r"[A-Za-z0-9_.-]{1,32}"),
               "an ESXi vSwitch or vmnic name: 1-32 of letters, digits and _ . -"),
}


def check_host_name(os: str, value: str) -> str:
    """Return ``value`` if it is a valid name for a team or NIC on ``os`` (a ``HostOs`` value).

    >>> check_host_name("linux", "bond0")
    'bond0'
    """
    rule = _HOST_NAME_RULES.get(os)
    if rule is not None and not rule[0].fullmatch(value):
        raise ValueError(f"{value!r} is not {rule[1]}")
    return value
