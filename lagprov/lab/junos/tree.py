"""A Junos configuration as a set of statements: set/delete, `display set`, curly text, diff.

Statements are kept in insertion order; output is sorted the way Junos prints: fixed keywords
in schema order, named entries (interfaces, units, VLANs) in the order they first appeared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lagprov.lab.junos.schema import Kind, Statement

_PLAIN = re.compile(r"[A-Za-z0-9._:/+,@=*-]+")


def quote(value: str) -> str:
    """Junos quotes a value that is not one plain word."""
    return value if _PLAIN.fullmatch(value) else '"' + value.replace('"', '\\"') + '"'


@dataclass
class Tree:
    """A nested view of a configuration, for curly output and diffs."""

    children: dict[str, Tree] = field(default_factory=dict)
    kind: Kind = Kind.CONTAINER
    values: tuple[str, ...] = ()

    def line(self, key: str) -> str:
        if self.kind is Kind.FLAG or (self.kind is Kind.CONTAINER and not self.children):
            return f"{key};"
        if self.kind is Kind.LEAF:
            return f"{key} {quote(self.values[0])};"
        if self.kind is Kind.LIST:
            vals = [quote(v) for v in self.values]
            return f"{key} {vals[0]};" if len(vals) == 1 else f"{key} [ {' '.join(vals)} ];"
        return f"{key} {{"

    def render(self, indent: int = 0, mark: str = "") -> list[str]:
        """Curly text of the children, each line prefixed by ``mark`` (diff +/-)."""
        out: list[str] = []
        pad = " " * indent
        for key, child in self.children.items():
            head = child.line(key)
            out.append(_marked(mark, pad + head))
            if head.endswith("{"):
                out.extend(child.render(indent + 4, mark))
                out.append(_marked(mark, pad + "}"))
        return out


def _marked(mark: str, line: str) -> str:
    """Junos diffs put the +/- in the first indentation column."""
    return mark + line[1:] if mark else line


_PHYSICAL = re.compile(r"(?:ge|xe|et|mge|fe)-(\d+)/(\d+)/(\d+)(?::(\d+))?")


def _name_rank(keys: tuple[str, ...], n: int,
               first: dict[tuple[str, ...], int]) -> tuple[int, ...]:
    """Junos order of a named entry: physical ports by slot, then aeN, units by number;
    anything else in order of first appearance."""
    key = keys[n]
    if n == 1 and keys[0] == "interfaces":
        m = _PHYSICAL.fullmatch(key)
        if m:
            return (0, *(int(g or 0) for g in m.groups()))
        if re.fullmatch(r"ae\d+", key):
            return (1, int(key[2:]))
        return (2, first[keys[: n + 1]])
    if key.startswith("unit ") and key[5:].isdigit():
        return (0, int(key[5:]))
    return (0, first[keys[: n + 1]])


def _presence(keys: tuple[str, ...]) -> bool:
    """``unit N`` and ``family X`` exist on their own, empty (see :meth:`Config.delete`)."""
    return keys[-1].startswith("unit ") or (len(keys) > 1 and keys[-2] == "family")


class Config:
    """The statements of one configuration database (candidate, committed or a rollback)."""

    def __init__(self, statements: dict[tuple[str, ...], Statement] | None = None) -> None:
        self._stmts: dict[tuple[str, ...], Statement] = dict(statements or {})

    def copy(self) -> Config:
        return Config(self._stmts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Config) and self.sorted() == other.sorted()

    def __hash__(self) -> int:  # pragma: no cover - configs are not used as keys
        raise TypeError("Config is mutable")

    def set(self, stmt: Statement) -> None:
        """Apply a `set`: a leaf value replaces, a list grows, exclusive flags replace."""
        # an explicit statement below an empty container replaces that container marker
        for n in range(1, len(stmt.keys)):
            marker = self._stmts.get(stmt.keys[:n])
            if marker is not None and marker.kind is Kind.CONTAINER:
                del self._stmts[stmt.keys[:n]]
        if stmt.kind is Kind.CONTAINER and any(k[: len(stmt.keys)] == stmt.keys
                                               for k in self._stmts):
            return
        if stmt.group:
            for key, other in list(self._stmts.items()):
                if other.group == stmt.group and key[:-1] == stmt.keys[:-1]:
                    del self._stmts[key]
        old = self._stmts.get(stmt.keys)
        if old is not None and stmt.kind is Kind.LIST:
            merged = old.values + tuple(v for v in stmt.values if v not in old.values)
            stmt = Statement(stmt.keys, stmt.kind, merged, stmt.order, stmt.group)
        self._stmts[stmt.keys] = stmt

    def delete(self, stmt: Statement) -> bool:
        """Apply a `delete`; False when nothing matched (Junos: `warning: statement not found`)."""
        old = self._stmts.get(stmt.keys)
        if old is not None and old.kind is Kind.LIST and stmt.values:
            kept = tuple(v for v in old.values if v not in stmt.values)
            if kept == old.values:
                return False
            if kept:
                self._stmts[stmt.keys] = Statement(old.keys, old.kind, kept, old.order)
            else:
                del self._stmts[stmt.keys]
                self._keep_presence(stmt)
            return True
        if old is not None and old.kind is Kind.LEAF and stmt.values and (
                stmt.values != old.values):
            return False
        doomed = [k for k in self._stmts if k[: len(stmt.keys)] == stmt.keys]
        for key in doomed:
            del self._stmts[key]
        if doomed:
            self._keep_presence(stmt)
        return bool(doomed)

    def _keep_presence(self, stmt: Statement) -> None:
        """A logical unit or an address family that loses its last statement stays, empty.

        Junos deletes exactly the path given: ``delete interfaces ge-0/0/1 unit 0 family
        ethernet-switching vlan`` leaves ``family ethernet-switching;`` (and ``delete ... unit 0
        family ethernet-switching`` leaves ``unit 0;``), which an ae member may not carry
        (issue 8 item 5; vendor-cli.md 3.1).  Only ``unit N`` and ``family X`` are modelled.
        """
        for n in range(len(stmt.keys) - 1, 0, -1):
            prefix = stmt.keys[:n]
            if self.has(*prefix):
                return
            if _presence(prefix):
                self._stmts[prefix] = Statement(prefix, Kind.CONTAINER, (), stmt.order[:n])
                return

    def get(self, *keys: str) -> Statement | None:
        return self._stmts.get(keys)

    def value(self, *keys: str) -> str | None:
        stmt = self._stmts.get(keys)
        return stmt.values[0] if stmt is not None and stmt.values else None

    def has(self, *keys: str) -> bool:
        """Whether any statement lies at or below ``keys``."""
        return any(k[: len(keys)] == keys for k in self._stmts)

    def names(self, *keys: str) -> list[str]:
        """Names of the entries directly below ``keys`` (e.g. interface names), in order."""
        seen: dict[str, None] = {}
        for k in self.sorted():
            if len(k.keys) > len(keys) and k.keys[: len(keys)] == keys:
                seen.setdefault(k.keys[len(keys)], None)
        return list(seen)

    def sorted(self) -> list[Statement]:
        first: dict[tuple[str, ...], int] = {}
        for seq, key in enumerate(self._stmts):
            for n in range(1, len(key) + 1):
                first.setdefault(key[:n], seq)

        def sort_key(stmt: Statement) -> tuple[tuple[int, tuple[int, ...]], ...]:
            return tuple((stmt.order[n], _name_rank(stmt.keys, n, first))
                         for n in range(len(stmt.keys)))

        return sorted(self._stmts.values(), key=sort_key)

    def display_set(self) -> list[str]:
        """`show configuration | display set` lines."""
        lines: list[str] = []
        for stmt in self.sorted():
            path = "set " + " ".join(stmt.keys)
            if stmt.kind is Kind.LIST:
                lines.extend(f"{path} {quote(v)}" for v in stmt.values)
            elif stmt.values:
                lines.append(f"{path} {quote(stmt.values[0])}")
            else:
                lines.append(path)
        return lines

    def tree(self) -> Tree:
        root = Tree()
        for stmt in self.sorted():
            node = root
            for key in stmt.keys[:-1]:
                node = node.children.setdefault(key, Tree())
            node.children[stmt.keys[-1]] = Tree(kind=stmt.kind, values=stmt.values)
        return root

    def curly(self) -> str:
        """`show configuration` text (each line ends with a newline)."""
        return "".join(line + "\n" for line in self.tree().render())


def diff(old: Config, new: Config) -> str:
    """`show | compare` text between two databases ("" when equal)."""
    out: list[str] = []
    _diff_tree(old.tree(), new.tree(), [], out)
    return "".join(line + "\n" for line in out)


def _diff_tree(old: Tree, new: Tree, path: list[str], out: list[str]) -> None:
    indent = 4 if path else 3  # Junos: '+  system {' under [edit], '+   ae0 {' below
    block: list[str] = []
    nested: list[tuple[str, Tree, Tree]] = []
    for key in list(old.children) + [k for k in new.children if k not in old.children]:
        a, b = old.children.get(key), new.children.get(key)
        if a is not None and b is not None:
            if a.kind is Kind.CONTAINER and b.kind is Kind.CONTAINER and a.children and \
                    b.children:
                nested.append((key, a, b))
            elif (a.kind, a.values, a.children) != (b.kind, b.values, b.children):
                block.extend(Tree(children={key: a}).render(indent, "-"))
                block.extend(Tree(children={key: b}).render(indent, "+"))
        elif a is not None:
            block.extend(Tree(children={key: a}).render(indent, "-"))
        elif b is not None:
            block.extend(Tree(children={key: b}).render(indent, "+"))
    if block:
        out.append("[edit" + "".join(" " + p for p in path) + "]")
        out.extend(block)
    for key, a, b in nested:
        _diff_tree(a, b, [*path, key], out)
