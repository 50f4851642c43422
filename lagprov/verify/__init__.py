"""Verification: pure rules over one trunk's intent and observed state, tri-state findings.

>>> from lagprov.verify import verify_trunk  # doctest: +SKIP
>>> verify_trunk(trunk, {"cat9300-1": state}, host_state)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lagprov.model.findings import Evidence, Finding, Status
from lagprov.model.hardware import HardwareModel
from lagprov.model.intent import TrunkIntent
from lagprov.model.state import DeviceLagState, HostTeamState
from lagprov.verify.context import Rule, TrunkContext
from lagprov.verify.rules import DEFAULT_RULES, EXPLAINS, fold_consequences

__all__ = [
    "DEFAULT_RULES",
    "EXPLAINS",
    "Evidence",
    "Finding",
    "Rule",
    "Status",
    "TrunkContext",
    "trunk_switches",
    "verify_all",
    "verify_trunk",
]


def verify_trunk(
    trunk: TrunkIntent,
    switches: Mapping[str, DeviceLagState],
    host: HostTeamState | None,
    *,
    rules: Iterable[Rule] = DEFAULT_RULES,
    hardware: Mapping[str, HardwareModel] | None = None,
) -> tuple[Finding, ...]:
    """Every finding of ``rules`` on one trunk, root causes folded (see rules.EXPLAINS).

    A switch missing from ``switches`` is unreachable: its checks are unverifiable.
    ``hardware`` is the inventory's catalog (``Inventory.hardware``; None: the shipped one).
    """
    ctx = TrunkContext(trunk=trunk, switches=trunk_switches(trunk, switches), host=host,
                       hardware=hardware or {})
    return fold_consequences(ctx, (f for rule in rules for f in rule.check(ctx)))


def trunk_switches(trunk: TrunkIntent, switches: Mapping[str, DeviceLagState]
                   ) -> dict[str, DeviceLagState]:
    """The states of ``trunk``'s own switches (peer included) among ``switches``.

    Rules only look at the trunk's ends; handing them the whole fleet would make every
    trunk's root-cause scoping walk every switch (a run quadratic in the fleet).
    """
    return {e.device: switches[e.device] for e in trunk.switch_ends if e.device in switches}


def verify_all(
    trunks: Iterable[TrunkIntent],
    switches: Mapping[str, DeviceLagState],
    hosts: Mapping[str, HostTeamState],
    *,
    rules: Iterable[Rule] = DEFAULT_RULES,
    hardware: Mapping[str, HardwareModel] | None = None,
) -> tuple[Finding, ...]:
    """:func:`verify_trunk` for every trunk; hosts are looked up by device name."""
    chosen = tuple(rules)
    out: list[Finding] = []
    for t in trunks:
        host = hosts.get(t.host.device) if t.host is not None else None
        out += verify_trunk(t, switches, host, rules=chosen, hardware=hardware)
    return tuple(out)
