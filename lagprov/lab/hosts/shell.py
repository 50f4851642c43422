"""The shell of a simulated Linux host: what Netmiko ``linux`` (and lagprov's reads) type into it.

The lab reads each line the way bash would (POSIX ``shlex``), so ``cat '/proc/net/bonding/bond0'``
and ``cat /proc/net/bonding/bond0`` are one command, and it answers only the few read-only
commands lagprov sends.  It never executes shell syntax: a line bash would act on beyond one
simple command (an unquoted operator ``;`` ``&&`` ``||`` ``|`` ``&`` ``<`` ``>`` ``(`` ``)``, a
command substitution ``$(...)`` or backticks, a parameter, pathname or tilde expansion) is refused
with an error line and exit status 2, and recorded (:meth:`ShellHost.refuse`) so a test can prove
what reached the host.  ``echo $?`` prints the last exit status, as bash does: it is the one
expansion answered, so a client can see a refusal the way it sees any failed command.

Exit statuses follow bash: 0 answered, 1 ``cat`` of a missing file, 127 command not found,
2 refused (bash's status for a usage/syntax error).  An unterminated quote would make an
interactive bash prompt for the rest (PS2 ``> ``); the lab refuses the line instead, so a client
never hangs on it.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import Protocol

from lagprov.lab.base import CliReply
from lagprov.lab.hosts import linux as hosts_linux
from lagprov.lab.hosts.view import HostState

REFUSED = 2
NOT_FOUND = 127
_BONDING = "/proc/net/bonding/"  # + the bond: the only file the lab has
_OPERATORS = {"&&": "an and-list", "||": "an or-list", ";": "a command list",
              "|": "a pipeline", "&": "a background job", ">": "a redirection",
              "<": "a redirection", "(": "a subshell", ")": "a subshell"}
_GLOB = "*?["
_SPECIAL_PARAMS = "@*#?$!-0123456789"
Render = Callable[[HostState], str]


class ShellHost(Protocol):
    """What the shell needs of a simulated host (``fleet.LabHost`` has it)."""

    @property
    def name(self) -> str: ...

    @property
    def bond(self) -> str: ...

    def state(self) -> HostState:
        """The host's current state (team settings and LACP outcomes)."""
        ...

    def answer(self, command: tuple[str, ...], state: HostState, render: Render) -> str:
        """``render(state)``, computed once per (command, state)."""
        ...

    def record(self, line: str) -> None:
        """Log a received (non-blank) line."""
        ...

    def refuse(self, line: str) -> None:
        """Log a line the shell refused to run."""
        ...


def _expansion(line: str, i: int) -> str | None:
    """What ``$`` at ``line[i]`` starts, if bash would expand it (None: a literal ``$``)."""
    nxt = line[i + 1: i + 2]
    if nxt == "(":
        return "a command substitution '$('"
    if nxt == "{":
        return "a parameter expansion '${'"
    if nxt.isalpha() or nxt == "_" or (nxt and nxt in _SPECIAL_PARAMS):
        return f"a parameter expansion '${nxt}'"
    if nxt in ("'", '"'):
        return f"ANSI-C/locale quoting '${nxt}'"
    return None


def _unquoted(line: str, i: int, word_start: bool) -> str | None:
    """What an unquoted ``line[i]`` makes bash do beyond reading a word (None: nothing)."""
    ch = line[i]
    if ch == "`":
        return "a command substitution '`'"
    if ch == "$":
        return _expansion(line, i)
    pair = line[i: i + 2]
    if pair in _OPERATORS:
        return f"{_OPERATORS[pair]} '{pair}'"
    if ch in _OPERATORS:
        return f"{_OPERATORS[ch]} '{ch}'"
    if ch in _GLOB:
        return f"a pathname expansion '{ch}'"
    if ch == "~" and word_start:
        return "a tilde expansion '~'"
    return None


def shell_syntax(line: str) -> str | None:
    """The first thing in ``line`` bash would run or expand beyond one simple command.

    >>> shell_syntax("cat '/proc/net/bonding/bond0;x'") is None
    True
    >>> shell_syntax("cat /proc/net/bonding/bond0 && reboot")
    "an and-list '&&'"
    >>> shell_syntax('cat "$(touch /tmp/x)"')
    "a command substitution '$('"
    """
    quote = ""
    i = 0
    word_start = True
    while i < len(line):
        ch = line[i]
        if quote == "'":
            quote = "" if ch == "'" else quote
        elif ch == "\\":
            i += 1  # the next character is literal (inside double quotes too, for our purpose)
        elif quote == '"':
            if ch == '"':
                quote = ""
            elif ch == "`" or ch == "$":
                found = "a command substitution '`'" if ch == "`" else _expansion(line, i)
                if found:
                    return found
        elif ch in "'\"":
            quote = ch
        else:
            found = _unquoted(line, i, word_start)
            if found:
                return found
        word_start = quote == "" and ch in " \t"
        i += 1
    return None


class LinuxShell:
    """A minimal bash-like shell on a simulated Linux host (what Netmiko ``linux`` needs)."""

    def __init__(self, host: ShellHost, username: str) -> None:
        self.host = host
        self.username = username
        self.status = 0  # exit status of the last command (``echo $?``)

    def banner(self) -> str:
        return ""

    def prompt(self) -> str:
        return f"{self.username}@{self.host.name}:~$ "

    def handle(self, line: str) -> CliReply:
        if not line.strip():  # Netmiko's prompt probes: nothing to run, nothing to compute
            return CliReply()
        self.host.record(line)
        if line.split() == ["echo", "$?"]:
            return CliReply(f"{self.status}\n")
        refused = self._refusal(line)
        if refused is not None:
            self.host.refuse(line)
            self.status = REFUSED
            return CliReply(refused)
        argv = tuple(shlex.split(line, posix=True))
        if argv in (("exit",), ("logout",)):
            return CliReply(close=True)
        output, self.status = self._run(argv)
        return CliReply(output)

    @staticmethod
    def _refusal(line: str) -> str | None:
        try:
            shlex.split(line, posix=True)
        except ValueError as exc:  # "No closing quotation" / "No escaped character"
            return f"bash: lab: refused: {str(exc).lower()} (the lab runs no shell syntax)\n"
        found = shell_syntax(line)
        if found is None:
            return None
        return f"bash: lab: refused: unquoted {found} (the lab runs no shell syntax)\n"

    def _run(self, argv: tuple[str, ...]) -> tuple[str, int]:
        if argv == ("hostname",):
            return self.host.name + "\n", 0
        if argv[0] == "cat" and len(argv) == 2:
            if argv[1] != _BONDING + self.host.bond:
                return f"cat: {argv[1]}: No such file or directory\n", 1
            return self.host.answer(argv, self.host.state(), hosts_linux.proc_net_bonding), 0
        render = _command(argv)
        if render is None:
            return f"bash: {argv[0]}: command not found\n", NOT_FOUND
        output = self.host.answer(argv, self.host.state(), render)
        return output, 1 if output.startswith('Device "') else 0


_READS: dict[tuple[str, ...], Render] = {
    ("ip", "link"): hosts_linux.ip_link,
    ("ip", "link", "show"): hosts_linux.ip_link,
    ("ip", "-j", "-d", "link"): hosts_linux.ip_json,
    ("ip", "-d", "-j", "link"): hosts_linux.ip_json,
}


def _command(argv: tuple[str, ...]) -> Render | None:
    """The renderer answering ``argv`` (None: not a command this host knows)."""
    if argv in _READS:
        return _READS[argv]
    if len(argv) == 5 and argv[:4] == ("ip", "-d", "link", "show"):
        name = argv[4]
        return lambda state: hosts_linux.ip_d_link_show(state, name)
    return None
