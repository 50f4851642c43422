"""The one rule that decides whether an unverifiable check blocks a gate.

``verify --strict`` / ``audit --strict`` (the CLI) and ``POST /trunks/{name}/ready`` (the HTTP
handshake) both call :func:`excuse`: an unverifiable finding is *excused* (it does not fail the
gate) only when

* its rule is in the caller's ``accept_unverifiable`` list (``--accept-unverifiable RULE``, or
  the handshake body's ``accept_unverifiable``), or
* the inventory declares the end it is missing as not observable (``hosts.yaml``
  ``data.observable: false``, e.g. a storage array without management access) and every other
  end of the trunk was read: then the missing data is exactly what the inventory says cannot
  be read.

Everything else that is unverifiable blocks: with ``--strict`` it is a failure (exit 1), and the
handshake verdict stays ``unverifiable``, never ``pass``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol

from lagprov.model.findings import Finding, Status
from lagprov.verify import DEFAULT_RULES

HOST_REPORT_RULE = "host-report-agrees"
"""The finding a run adds when a host's report and its live read disagree (a warning)."""

RULE_IDS: frozenset[str] = frozenset({r.id for r in DEFAULT_RULES} | {HOST_REPORT_RULE})
"""Every rule id a finding can carry: what ``accept_unverifiable`` may name."""


def unknown_rules(accept: Collection[str]) -> list[str]:
    """The names in ``accept`` that are no rule id (a typo would excuse nothing)."""
    return [a for a in accept if a not in RULE_IDS]


class EndView(Protocol):
    """What the rule needs to know of one end of the trunk."""

    @property
    def device(self) -> str:
        """The end's device."""
        ...

    @property
    def observed(self) -> bool:
        """Whether a state was read for it."""
        ...

    @property
    def declared_unobservable(self) -> bool:
        """Whether the inventory declares it cannot be read."""
        ...


def declared_devices(ends: Sequence[EndView]) -> set[str]:
    """Ends the inventory declares as not observable and that were indeed not read."""
    return {e.device for e in ends if e.declared_unobservable and not e.observed}


def excuse(f: Finding, ends: Sequence[EndView], accept: Collection[str] = ()) -> str | None:
    """Why the unverifiable finding ``f`` does not block a gate, or None when it blocks.

    Findings that are not unverifiable are never excused (None).
    """
    if f.status is not Status.UNVERIFIABLE:
        return None
    if f.rule in accept:
        return f"accepted: {f.rule} is in accept_unverifiable"
    declared = declared_devices(ends)
    if not declared:
        return None
    others_read = all(e.observed for e in ends if e.device not in declared)
    if f.device in declared or others_read:
        names = ", ".join(sorted(declared))
        return f"declared: {names} is declared not observable in the inventory"
    return None


def is_declared(reason: str | None) -> bool:
    """True when :func:`excuse` gave a declaration (not an accepted rule) as the reason."""
    return reason is not None and reason.startswith("declared:")
