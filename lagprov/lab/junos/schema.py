"""The slice of the Junos EX configuration schema the lab accepts, and the `set` statement parser.

A statement such as ``set interfaces ae0 aggregated-ether-options lacp active`` is walked
against :data:`schema` and becomes a :class:`Statement`: its node keys (``interfaces``,
``ae0``, ``aggregated-ether-options``, ``lacp``, ``active``), its kind (leaf, flag, list, empty
container) and its values.  Named entries whose keyword belongs to the key (``unit 0``) are one
key.  Anything outside the schema is a :class:`JunosSyntaxError` carrying the offending token's
column, which the CLI turns into Junos' caret line and ``syntax error.``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from lagprov.errors import LabError


class Kind(Enum):
    """What a schema node is."""

    CONTAINER = "container"  # fixed keywords below it
    NAMED = "named"  # `interfaces <name> ...`: the name is its own key
    KEYED = "keyed"  # `unit <n> ...`: keyword and name form one key ("unit 0")
    LEAF = "leaf"  # one value
    FLAG = "flag"  # no value
    LIST = "list"  # several values, `[ a b ]`


Check = Callable[[str], str | None]  # returns the Junos error message for a bad value


@dataclass(frozen=True, slots=True)
class Node:
    """A schema node; ``children`` are in Junos' display order."""

    kind: Kind
    children: tuple[tuple[str, Node], ...] = ()
    check: Check | None = None
    pattern: str = ""  # NAMED/KEYED: what a name looks like
    group: str = ""  # FLAG: mutually exclusive flags share a group

    def child(self, keyword: str) -> tuple[int, Node] | None:
        for index, (name, node) in enumerate(self.children):
            if name == keyword:
                return index, node
        return None


@dataclass(frozen=True, slots=True)
class Statement:
    """One parsed `set`/`delete` statement."""

    keys: tuple[str, ...]
    kind: Kind
    values: tuple[str, ...] = ()
    order: tuple[int, ...] = ()  # schema index per key (named entries: the list's index)
    group: str = ""


class JunosSyntaxError(LabError):
    """A statement Junos would refuse while typing it."""

    def __init__(self, column: int, message: str = "syntax error.") -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    column: int


_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|(\[|\])|([^\s\[\]"]+)')


def tokenize(line: str) -> list[Token]:
    """Split a CLI line into words; double quotes group, `[` and `]` stand alone."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(line):
        if line[pos].isspace():
            pos += 1
            continue
        m = _TOKEN.match(line, pos)
        if m is None:  # an unterminated quote
            raise JunosSyntaxError(pos, "syntax error, expecting <quoted-string>.")
        text = m.group(1) if m.group(1) is not None else m.group(0)
        tokens.append(Token(text.replace('\\"', '"'), pos))
        pos = m.end()
    return tokens


def int_range(low: int, high: int) -> Check:
    """Junos' range check wording."""

    def check(value: str) -> str | None:
        if not value.isdigit():
            return f"number expected at '{value}'"  # real: "error: number: '...'"
        if not low <= int(value) <= high:
            return f"Value {value} is not within range ({low}..{high}) at '{value}'"
        return None

    return check


def one_of(*choices: str) -> Check:
    def check(value: str) -> str | None:
        return None if value in choices else "syntax error."

    return check


def matches(pattern: str) -> Check:
    compiled = re.compile(pattern)

    def check(value: str) -> str | None:
        return None if compiled.fullmatch(value) else "syntax error."

    return check


def anything(_value: str) -> str | None:
    return None


IFNAME = r"(?:ge|xe|et|mge|fe)-\d+/\d+/\d+(?::\d+)?|ae\d{1,3}|irb|vlan|lo0|me0|vme|em\d"
AE_NAME = r"ae(?:\d|[1-9]\d|1[01]\d|12[0-7])"
_VLAN = r"[A-Za-z0-9][A-Za-z0-9_.-]*"


def _leaf(check: Check = anything) -> Node:
    return Node(Kind.LEAF, check=check)


def _c(*children: tuple[str, Node]) -> Node:
    return Node(Kind.CONTAINER, children=tuple(children))


def build_schema(mtu_min: int, mtu_max: int) -> Node:
    """The EX schema; ``mtu`` range from the hardware model."""
    switching = _c(
        ("interface-mode", _leaf(one_of("trunk", "access"))),
        ("port-mode", _leaf(one_of("trunk", "access"))),
        ("vlan", _c(("members", Node(Kind.LIST, check=matches(_VLAN))))),
        ("native-vlan-id", _leaf(int_range(1, 4094))),
    )
    unit = _c(
        ("description", _leaf()),
        ("vlan-id", _leaf(int_range(1, 4094))),
        ("encapsulation", _leaf(matches(r"[a-z-]+"))),
        ("family", _c(
            ("ethernet-switching", switching),
            ("inet", _c(("address", Node(Kind.LIST, check=matches(r"[\d.]+/\d+"))))),
        )),
    )
    lacp = _c(
        ("active", Node(Kind.FLAG, group="lacp-mode")),
        ("passive", Node(Kind.FLAG, group="lacp-mode")),
        ("periodic", _leaf(one_of("fast", "slow"))),
        ("system-id", _leaf(matches(r"(?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}"))),
    )
    interface = _c(
        ("description", _leaf()),
        ("disable", Node(Kind.FLAG)),
        ("vlan-tagging", Node(Kind.FLAG)),
        ("native-vlan-id", _leaf(int_range(1, 4094))),
        ("mtu", _leaf(int_range(mtu_min, mtu_max))),
        ("encapsulation", _leaf(matches(r"[a-z-]+"))),
        ("ether-options", _c(("802.3ad", _leaf(matches(AE_NAME))))),
        ("gigether-options", _c(("802.3ad", _leaf(matches(AE_NAME))))),
        ("aggregated-ether-options", _c(
            ("minimum-links", _leaf(int_range(1, 16))),
            ("link-speed", _leaf(matches(r"\d+[gm]"))),
            ("lacp", lacp),
        )),
        ("unit", Node(Kind.KEYED, children=(("", unit),), pattern=r"\d{1,5}")),
    )
    rstp_port = _c(("edge", Node(Kind.FLAG)), ("disable", Node(Kind.FLAG)))
    rstp = _c(("interface", Node(Kind.NAMED, children=(("", rstp_port),), pattern=IFNAME)))
    return _c(
        ("version", _leaf()),
        ("system", _c(("host-name", _leaf(matches(r"[A-Za-z0-9][A-Za-z0-9.-]*"))))),
        ("chassis", _c(("aggregated-devices", _c(("ethernet", _c(
            ("device-count", _leaf(int_range(1, 128))),
        )))))),
        ("interfaces", Node(Kind.NAMED, children=(("", interface),), pattern=IFNAME)),
        # `set protocols rstp interface ae10 edge` (Juniper "edge (Spanning Trees)"; issue 8)
        ("protocols", _c(("rstp", rstp))),
        ("vlans", Node(Kind.NAMED, children=(("", _c(
            ("description", _leaf()),
            ("vlan-id", _leaf(int_range(1, 4094))),
        )),), pattern=_VLAN)),
    )


def _list_values(tokens: list[Token], start: int, check: Check) -> tuple[str, ...]:
    rest = tokens[start:]
    if not rest:
        raise JunosSyntaxError(tokens[start - 1].column, "syntax error, expecting <data>.")
    if rest[0].text == "[":
        if rest[-1].text != "]" or len(rest) < 3:
            raise JunosSyntaxError(rest[-1].column)
        rest = rest[1:-1]
    elif len(rest) > 1:
        raise JunosSyntaxError(rest[1].column)
    for token in rest:
        if token.text in "[]" or check(token.text) is not None:
            raise JunosSyntaxError(token.column)
    return tuple(t.text for t in rest)


def parse_statement(
    schema: Node, tokens: list[Token], *, need_value: bool = True, base: int = 0
) -> Statement:
    """Walk ``tokens`` (the words after `set`/`delete`) down ``schema``.

    ``need_value=False`` (delete) accepts a path that stops at any node.  ``base`` is the
    column where the statement starts (for the caret) when ``tokens`` is empty.
    """
    node = schema
    keys: list[str] = []
    order: list[int] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if node.kind in (Kind.NAMED, Kind.KEYED):
            if not re.fullmatch(node.pattern, token.text):
                raise JunosSyntaxError(token.column)
            if node.kind is Kind.KEYED:
                keys[-1] = f"{keys[-1]} {token.text}"
            else:
                keys.append(token.text)
                order.append(order[-1])
            node = node.children[0][1]
            i += 1
            continue
        if node.kind is not Kind.CONTAINER:
            raise JunosSyntaxError(token.column)
        found = node.child(token.text)
        if found is None:
            raise JunosSyntaxError(token.column)
        index, child = found
        keys.append(token.text)
        order.append(index)
        i += 1
        if child.kind is Kind.LEAF:
            if i >= len(tokens):
                if not need_value:
                    return Statement(tuple(keys), child.kind, (), tuple(order))
                raise JunosSyntaxError(token.column + len(token.text) + 1,
                                       "syntax error, expecting <data>.")
            value = tokens[i]
            problem = child.check(value.text) if child.check else None
            if problem is not None:
                raise JunosSyntaxError(value.column, problem)
            if i + 1 < len(tokens):
                raise JunosSyntaxError(tokens[i + 1].column)
            return Statement(tuple(keys), child.kind, (value.text,), tuple(order))
        if child.kind is Kind.LIST:
            if i >= len(tokens) and not need_value:
                return Statement(tuple(keys), child.kind, (), tuple(order))
            values = _list_values(tokens, i, child.check or anything)
            return Statement(tuple(keys), child.kind, values, tuple(order))
        if child.kind is Kind.FLAG:
            if i < len(tokens):
                raise JunosSyntaxError(tokens[i].column)
            return Statement(tuple(keys), child.kind, (), tuple(order), child.group)
        node = child
    if node.kind is Kind.KEYED or (node.kind is Kind.NAMED and need_value) or not keys:
        column = tokens[-1].column + len(tokens[-1].text) + 1 if tokens else base
        raise JunosSyntaxError(column, "syntax error, expecting <data>." if keys else
                               "syntax error, expecting <statement> or <identifier>.")
    return Statement(tuple(keys), Kind.CONTAINER, (), tuple(order))
