"""Stacks and Virtual Chassis: one logical switch made of several members.

A Catalyst StackWise/FlexStack stack numbers its members 1..N and every port name carries the
member (``GigabitEthernet2/0/3`` is port 3 of member 2); an EX Virtual Chassis numbers its
members as FPCs 0..N (``ge-1/0/3`` is port 3 of FPC 1).  A switch of the inventory declares its
members (``data.stack_members``); its ports are then the hardware model's port list repeated
per member, the member number in the name replaced (the model's own names carry
``stack.member_first``: Gi1/0/x, ge-0/0/x).  A bundle across members is one switch end.

Where the model's ``stack`` block comes from is in ``lagprov/knowledge/hardware/*.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from lagprov.model.hardware import HardwareModel, PortRange

_MEMBER = re.compile(r"^(?P<head>\D*?)(?P<member>\d+)(?P<tail>/.*)$")


def stack_key(model: str, members: Sequence[int]) -> str:
    """The catalog key of ``model`` stacked as ``members`` (what SwitchDevice.hardware holds)."""
    return f"{model} (members {','.join(str(m) for m in sorted(members))})"


def _member_range(r: PortRange, first: int, member: int) -> PortRange:
    m = _MEMBER.match(r.prefix)
    if m is None or int(m["member"]) != first:
        raise ValueError(f"port prefix {r.prefix!r} does not carry member number {first}")
    return replace(r, prefix=f"{m['head']}{member}{m['tail']}")


def stack_problem(model: HardwareModel, members: Sequence[int]) -> str | None:
    """Why ``model`` cannot be stacked as ``members`` (None: it can).  An uncatalogued model
    takes any members: its ports are not known, so none is checked (hardware-uncatalogued)."""
    if not members:
        return "expected at least one member number"
    if len(set(members)) != len(members):
        return f"member numbers given twice: {list(members)}"
    if not model.catalogued:
        return None
    if not model.stack_technology or model.stack_member_max is None:
        return f"{model.name} does not stack (its hardware data has no 'stack' block)"
    lo, hi = model.stack_member_first, model.stack_member_max
    wrong = [m for m in members if not lo <= m <= hi]
    if wrong:
        return (f"{model.stack_technology} member numbers are {lo}..{hi} on {model.name}; "
                f"got {wrong}")
    return None


def stacked(model: HardwareModel, members: Sequence[int]) -> HardwareModel:
    """``model`` as the logical switch of ``members``: its ports repeated per member.

    Raises:
        ValueError: :func:`stack_problem` names why it cannot.
    """
    if (problem := stack_problem(model, members)) is not None:
        raise ValueError(problem)
    ordered = tuple(sorted(members))
    if not model.catalogued:  # no port list to repeat
        return replace(model, stack_members=ordered)
    ports = tuple(_member_range(r, model.stack_member_first, m)
                  for m in ordered for r in model.ports)
    return replace(model, ports=ports, stack_members=ordered)
