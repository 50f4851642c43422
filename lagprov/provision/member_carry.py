"""Carry a member port's own lines through a plan instead of deleting them (issue 8 item 7).

The rules are data (``lagprov.knowledge.member_lines``): speed/duplex stay on the member,
storm-control moves to the bundle, BPDU guard moves only to an edge bundle, and the member's
spanning-tree edge line gives way to the edge setting the intent renders on the bundle.  The
candidate is completed *before* it is compared, so the diff keeps what is carried; every line
kept, moved or removed on purpose gets a note in the plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lagprov.knowledge.member_lines import Carry, MemberLineRule, member_line_rule
from lagprov.model.types import Platform

__all__ = ["MemberGroup", "carry_member_lines"]


@dataclass(frozen=True, slots=True)
class MemberGroup:
    """The member sections of one trunk end and its bundle section (None: independent ports).

    ``removal``: the end is being removed; its members keep their kept and moved lines.
    """

    members: tuple[str, ...]
    bundle: str | None
    removal: bool = False


_Sections = dict[str, list[str]]


def _sections(lines: Sequence[str]) -> tuple[list[str], _Sections]:
    """Top-level lines in order, and each one's indented lines (stripped)."""
    order: list[str] = []
    body: _Sections = {}
    head = ""
    for raw in lines:
        line = raw.rstrip()
        if not line.strip() or line.strip() in ("!", "exit", "end"):
            continue
        if line[:1].isspace():
            body.setdefault(head, []).append(line.strip())
            continue
        head = line
        if head not in body:
            order.append(head)
            body[head] = []
    return order, body


def _port(head: str) -> str:
    return head.split(" ", 1)[1] if " " in head else head


class _Carrier:
    def __init__(self, platform: Platform, running: str, candidate: Sequence[str],
                 device: str) -> None:
        self.platform = platform
        self.device = device
        _, self.run = _sections(running.replace("\r", "").splitlines())
        self.order, self.cand = _sections(candidate)
        self.notes: list[str] = []

    def _add(self, head: str, line: str) -> None:
        if head not in self.cand:
            self.order.append(head)
            self.cand[head] = []
        if line not in self.cand[head]:
            self.cand[head].append(line)

    def _is_edge(self, head: str) -> bool:
        return any((r := member_line_rule(self.platform, x)) is not None
                   and r.action is Carry.INTENT for x in self.cand.get(head, []))

    def _edge_line(self, head: str) -> str:
        found = [x for x in self.cand.get(head, [])
                 if (r := member_line_rule(self.platform, x)) and r.action is Carry.INTENT]
        return f"'{found[0]}'" if found else "no edge setting"

    def group(self, g: MemberGroup) -> None:
        for head in g.members:
            for line in self.run.get(head, []):
                rule = member_line_rule(self.platform, line)
                if rule is not None and line not in self.cand.get(head, []):
                    self._member_line(g, head, line, rule)
        if g.bundle is not None and not g.removal:
            for line in self.run.get(g.bundle, []):
                rule = member_line_rule(self.platform, line)
                moved = rule is not None and (rule.action is Carry.MOVE or (
                    rule.action is Carry.MOVE_IF_EDGE and self._is_edge(g.bundle)))
                if moved:  # carried there by an earlier plan, or set by hand: it stays
                    self._add(g.bundle, line)

    def _member_line(self, g: MemberGroup, head: str, line: str, rule: MemberLineRule) -> None:
        port, target = _port(head), g.bundle if g.bundle and not g.removal else head
        action = rule.action
        if action is Carry.MOVE_IF_EDGE:
            action = Carry.MOVE if target == head or self._is_edge(target) else Carry.INTENT
        if g.removal and action is not Carry.INTENT:
            action = Carry.KEEP
        where = f"{self.device}: {port}"
        if action is Carry.KEEP or (action is Carry.MOVE and target == head):
            self._add(head, line)
            self.notes.append(f"{where} keeps '{line}': {rule.why}")
        elif action is Carry.MOVE:
            self._add(target, line)
            self.notes.append(f"{where}: '{line}' moves to {_port(target)}: {rule.why}")
        else:
            self.notes.append(f"{where}: '{line}' is removed; {_port(target)} gets "
                              f"{self._edge_line(target)}: {rule.why}")

    def lines(self) -> list[str]:
        out: list[str] = []
        for head in self.order:
            out.append(head)
            out.extend(f" {x}" for x in self.cand[head])
        return out


def _junos(running: str, candidate: Sequence[str], groups: Sequence[MemberGroup],
           device: str) -> tuple[list[str], list[str]]:
    out, notes = list(candidate), []
    have = [s.strip() for s in running.splitlines() if s.startswith("set interfaces ")]
    for g in groups:
        for head in g.members:
            prefix = f"set {head} "
            for stmt in have:
                rule = member_line_rule(Platform.JUNIPER_JUNOS, stmt.removeprefix(prefix))
                if stmt.startswith(prefix) and rule is not None and stmt not in out:
                    out.append(stmt)
                    notes.append(f"{device}: {_port(head)} keeps "
                                 f"'{stmt.removeprefix(prefix)}': {rule.why}")
    return out, notes


def carry_member_lines(platform: Platform, running: str, candidate: Sequence[str],
                       groups: Sequence[MemberGroup], *,
                       device: str) -> tuple[list[str], list[str]]:
    """``candidate`` completed with the member lines the rules carry, and a note per line."""
    if platform is Platform.JUNIPER_JUNOS:
        return _junos(running, candidate, groups, device)
    carrier = _Carrier(platform, running, candidate, device)
    for g in groups:
        carrier.group(g)
    return carrier.lines(), carrier.notes
