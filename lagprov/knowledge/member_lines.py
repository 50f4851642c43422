"""What becomes of a member port's own lines when lagprov bundles it (issue 8 item 7).

lagprov owns a member's section, so without this table a plan would silently delete every line
it does not render there: edge/portfast, BPDU guard, storm-control, speed/duplex.  Each rule
says what to do with such a line instead, and why; the plan tells the engineer either way.

* ``keep``: stays on the member (speed/duplex: the bundle does not carry them, and a member
  whose speed differs from the others' is suspended, vendor-cli.md 1.1);
* ``move``: goes to the bundle, where it acts once the port is bundled (storm-control);
* ``move-if-edge``: goes to the bundle only if the bundle is a spanning-tree edge (BPDU guard
  on a switch-to-switch bundle would err-disable it); otherwise it is removed, and said so;
* ``intent``: the intent decides on the bundle (spanning-tree edge: ``TrunkIntent.stp_edge``),
  so the member's copy is removed and the note names what the bundle gets.

Patterns match a member line without its indent (Junos: the statement after
``set interfaces <port> ``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from lagprov.model.types import Platform

__all__ = ["MEMBER_LINES", "Carry", "MemberLineRule", "member_line_rule"]


class Carry(StrEnum):
    """What a plan does with a matching member line."""

    KEEP = "keep"
    MOVE = "move"
    MOVE_IF_EDGE = "move-if-edge"
    INTENT = "intent"


@dataclass(frozen=True, slots=True)
class MemberLineRule:
    """Member lines matching ``pattern`` are carried as ``action`` says, for ``why``."""

    pattern: re.Pattern[str]
    action: Carry
    why: str


def _rule(pattern: str, action: Carry, why: str) -> MemberLineRule:
    return MemberLineRule(re.compile(pattern), action, why)


_EDGE_WHY = ("spanning-tree runs on the bundle once the port is bundled; the bundle gets the "
             "edge setting the intent asks")
_BPDU_WHY = "BPDU guard/filter belongs to an edge bundle, never to a switch-to-switch one"
_STORM_WHY = "storm-control acts on the bundle once the port is bundled"
_SPEED_WHY = ("a member keeps its own speed/duplex: the bundle does not carry them and a member "
              "whose speed differs is suspended")

_INDENTED = (
    _rule(r"^spanning-tree portfast\b", Carry.INTENT, _EDGE_WHY),
    _rule(r"^spanning-tree (bpduguard|bpdufilter)\b", Carry.MOVE_IF_EDGE, _BPDU_WHY),
    _rule(r"^storm-control\b", Carry.MOVE, _STORM_WHY),
    _rule(r"^(speed|duplex)\b", Carry.KEEP, _SPEED_WHY),
)

MEMBER_LINES: Mapping[Platform, tuple[MemberLineRule, ...]] = MappingProxyType({
    # Catalyst: portfast [edge] [trunk], bpduguard, storm-control and speed/duplex are
    # interface commands of members and port-channels alike.
    Platform.CISCO_IOS: _INDENTED,
    # EOS: the same words (EOS has 'speed' but no 'duplex'; the pattern is harmless).
    Platform.ARISTA_EOS: _INDENTED,
    # SMIS (Aricent ISS): only speed/duplex are confirmed member commands (vendor-cli.md 4);
    # spanning-tree and storm-control forms are not, so they are not carried.
    Platform.SUPERMICRO_SMIS: (_rule(r"^(speed|duplex)\b", Carry.KEEP, _SPEED_WHY),),
    # Junos: link settings stay on the member; edge and storm-control live under protocols /
    # forwarding-options, outside the member's statements.
    Platform.JUNIPER_JUNOS: (
        _rule(r"^ether-options (speed|link-mode|auto-negotiation|no-auto-negotiation)\b",
              Carry.KEEP, _SPEED_WHY),
    ),
})


def member_line_rule(platform: Platform, line: str) -> MemberLineRule | None:
    """The rule for member line ``line`` (without indent) on ``platform``, or None."""
    for rule in MEMBER_LINES.get(platform, ()):
        if rule.pattern.search(line):
            return rule
    return None
