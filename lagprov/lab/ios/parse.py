"""Cisco IOS command-line parsing for the lab: keywords by unique prefix, errors with caret.

IOS accepts any unique prefix of a keyword (``conf t``, ``sh run``, ``int``); a prefix shared by
several keywords is ``% Ambiguous command``; a command that stops early is
``% Incomplete command.``; a word that matches nothing is marked with a caret under its first
character: ``% Invalid input detected at '^' marker.``
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lagprov.errors import LagprovError

INVALID = "% Invalid input detected at '^' marker."
INCOMPLETE = "% Incomplete command."

IF_TYPES = ("GigabitEthernet", "TenGigabitEthernet", "FastEthernet", "Port-channel", "Vlan")
IF_SHORT = {"GigabitEthernet": "Gi", "TenGigabitEthernet": "Te", "FastEthernet": "Fa",
            "Port-channel": "Po", "Vlan": "Vl"}


class IosCliError(LagprovError):
    """A line the IOS CLI rejects; ``render`` gives the exact device text."""

    def __init__(self, kind: str, column: int = 0, line: str = "") -> None:
        super().__init__(kind)
        self.kind = kind  # "invalid" | "incomplete" | "ambiguous" | free text
        self.column = column
        self.line = line

    def render(self, prompt_len: int) -> str:
        """The device's answer, caret placed as under a prompt of ``prompt_len`` characters."""
        if self.kind == "invalid":
            return " " * (prompt_len + self.column) + "^\n" + INVALID + "\n\n"
        if self.kind == "incomplete":
            return INCOMPLETE + "\n\n"
        if self.kind == "ambiguous":
            return f'% Ambiguous command:  "{self.line}"\n'
        return self.kind if self.kind.endswith("\n") else self.kind + "\n"


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a line and its column."""

    text: str
    column: int


class Words:
    """The words of a line, consumed left to right with IOS keyword matching."""

    def __init__(self, line: str) -> None:
        self.line = line
        self.tokens = [Token(m.group(), m.start()) for m in re.finditer(r"\S+", line)]
        self.pos = 0

    def more(self) -> bool:
        """True while words remain."""
        return self.pos < len(self.tokens)

    def peek(self) -> Token | None:
        """The next word, not consumed."""
        return self.tokens[self.pos] if self.more() else None

    def end_column(self) -> int:
        """Column just after the line's last word (caret for a missing word)."""
        return len(self.line.rstrip())

    def invalid_here(self) -> IosCliError:
        """Invalid input at the next word (or the end of the line)."""
        tok = self.peek()
        return IosCliError("invalid", tok.column if tok else self.end_column(), self.line)

    def keyword(self, candidates: Sequence[str], *, required: bool = True) -> str | None:
        """Consume the next word as one of ``candidates`` (unique prefix, case-insensitive)."""
        tok = self.peek()
        if tok is None:
            if required:
                raise IosCliError("incomplete", line=self.line)
            return None
        low = tok.text.lower()
        exact = [c for c in candidates if c.lower() == low]
        found = exact or [c for c in candidates if c.lower().startswith(low)]
        if len(found) > 1:
            raise IosCliError("ambiguous", tok.column, self.line)
        if not found:
            raise IosCliError("invalid", tok.column, self.line)
        self.pos += 1
        return found[0]

    def word(self) -> str:
        """Consume the next word verbatim (Incomplete if none)."""
        tok = self.peek()
        if tok is None:
            raise IosCliError("incomplete", line=self.line)
        self.pos += 1
        return tok.text

    def number(self, low: int, high: int) -> int:
        """Consume an integer in ``low..high`` (caret under it otherwise)."""
        tok = self.peek()
        if tok is None:
            raise IosCliError("incomplete", line=self.line)
        if not tok.text.isdigit() or not low <= int(tok.text) <= high:
            raise IosCliError("invalid", tok.column, self.line)
        self.pos += 1
        return int(tok.text)

    def rest(self) -> str:
        """Everything after the current position, as typed (stripped)."""
        tok = self.peek()
        self.pos = len(self.tokens)
        return self.line[tok.column:].rstrip() if tok else ""

    def done(self) -> None:
        """Invalid input if words remain."""
        if self.more():
            raise self.invalid_here()


def interface_name(words: Words, known: Sequence[str]) -> str:
    """Consume an interface name (``Gi1/0/1``, ``GigabitEthernet 1/0/1``, ``po10``).

    The name must be one of ``known`` (Port-channel and Vlan names are accepted as new).
    """
    tok = words.peek()
    if tok is None:
        raise IosCliError("incomplete", line=words.line)
    m = re.fullmatch(r"([A-Za-z-]+)([\d/.]*)", tok.text)
    if m is None:
        raise words.invalid_here()
    words.pos += 1
    prefix, number = m.groups()
    types = [t for t in IF_TYPES if t.lower().startswith(prefix.lower())]
    if len(types) != 1:
        raise IosCliError("invalid" if not types else "ambiguous", tok.column, words.line)
    if not number:
        nxt = words.peek()
        if nxt is None:
            raise IosCliError("incomplete", line=words.line)
        number = words.word()
    name = types[0] + number
    if types[0] in ("Port-channel", "Vlan"):
        if not re.fullmatch(r"\d+", number):
            raise IosCliError("invalid", tok.column, words.line)
    elif name not in known:
        raise IosCliError("invalid", tok.column, words.line)
    return name


def interface_range(words: Words, known: Sequence[str]) -> list[str]:
    """Consume ``Gi1/0/1 - 2 , Gi1/0/5`` style ranges; every port must exist."""
    text = words.rest()
    column = words.tokens[-1].column if words.tokens else 0
    names: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        m = re.fullmatch(r"([A-Za-z-]+)\s*([\d/]*/)?(\d+)\s*(?:-\s*(\d+))?", part)
        if m is None:
            raise IosCliError("invalid", column, words.line)
        prefix, slot, first, last = m.groups()
        types = [t for t in IF_TYPES if t.lower().startswith(prefix.lower())]
        if len(types) != 1:
            raise IosCliError("invalid", column, words.line)
        for i in range(int(first), int(last or first) + 1):
            name = f"{types[0]}{slot or ''}{i}"
            if name not in known and types[0] != "Port-channel":
                raise IosCliError("invalid", column, words.line)
            names.append(name)
    if not names:
        raise IosCliError("incomplete", line=words.line)
    return names


def short_name(name: str) -> str:
    """``GigabitEthernet1/0/1`` -> ``Gi1/0/1``."""
    for long, short in IF_SHORT.items():
        if name.startswith(long):
            return short + name[len(long):]
    return name


def parse_vlans(text: str) -> tuple[int, ...]:
    """``10,20-22`` -> (10, 20, 21, 22); ValueError on anything else."""
    out: set[int] = set()
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        a, b = int(lo), int(hi or lo)
        if not 1 <= a <= b <= 4094:
            raise ValueError(text)
        out.update(range(a, b + 1))
    return tuple(sorted(out))


def format_vlans(vlans: Sequence[int]) -> str:
    """(10, 11, 20, 21, 22) -> ``10,11,20-22`` (IOS writes runs of three or more as ranges)."""
    parts: list[str] = []
    run: list[int] = []
    for v in sorted(vlans):
        if run and v == run[-1] + 1:
            run.append(v)
            continue
        if run:
            parts.append(_run_text(run))
        run = [v]
    if run:
        parts.append(_run_text(run))
    return ",".join(parts)


def _run_text(run: list[int]) -> str:
    if len(run) >= 3:
        return f"{run[0]}-{run[-1]}"
    return ",".join(str(v) for v in run)
