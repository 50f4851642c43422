"""The VLAN table of a switch -> the ids of the VLANs that exist (pre-change check
``vlans-exist``).  One parser per platform (in the platform modules), dispatched by
:func:`lagprov.observe.parsers.parse_vlan_table`; the shared checks are here.

ntc-templates' ``cisco_ios_show_vlan`` / ``arista_eos_show_vlan`` read the ids right, but skip a
row they do not match without a word (their catch-all ``^\\d+`` rule, and a STATUS outside
``active|suspended`` on EOS drops the row): :func:`ids_of_rows` therefore checks that every
table row starting with a VLAN id was read, and raises otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from lagprov.errors import ParseError
from lagprov.model.types import Platform
from lagprov.observe.parsers._extract import Row

VlanParser = Callable[[str, str], frozenset[int]]
"""``(text, command) -> VLAN ids``; raises ParseError."""

_ROW = re.compile(r"^(\d+)\s")
# IOS 'show vlan' (not brief) goes on with per-VLAN media tables: the ids table ends there.
_TABLE_END = re.compile(r"^(VLAN\s+Type|Remote SPAN|Primary\s+Secondary)")


def ids_of_rows(platform: Platform, command: str, text: str, rows: Sequence[Row]) -> frozenset[int]:
    """The ``vlan_id`` of ``rows``; ParseError when a table row was not read, or none was."""
    ids = {int(str(r["vlan_id"])) for r in rows}
    listed: set[int] = set()
    for line in text.split("\n"):
        if _TABLE_END.match(line):
            break
        if m := _ROW.match(line):
            listed.add(int(m.group(1)))
    unread = sorted(listed - ids)
    if unread:
        raise ParseError(platform, command, text,
                         f"VLAN rows not understood: {', '.join(map(str, unread))}")
    return checked(platform, command, text, ids)


def checked(platform: Platform, command: str, text: str, ids: set[int]) -> frozenset[int]:
    """``ids`` if it is a plausible VLAN table: not empty, every id 1..4094."""
    if not ids:
        raise ParseError(platform, command, text, "no VLAN found in the table")
    bad = sorted(v for v in ids if not 1 <= v <= 4094)
    if bad:
        raise ParseError(platform, command, text, f"not a VLAN id: {bad[0]}")
    return frozenset(ids)
