"""What a ``--filter`` selects: devices, and on each device the trunks a run may touch (pure).

A filter names devices or trunks.  A device name selects every trunk on that device; a trunk
name selects that trunk on each of its devices, and nothing else there.  A name that is neither
is refused before any device is contacted, with the closest known names.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping

from lagprov.errors import ConfigError
from lagprov.model.inventory import Inventory
from lagprov.provision.planning import ends_on

Scope = Mapping[str, frozenset[str]]  # device -> the trunks a run may touch there


class UnknownFilter(ConfigError):
    """A ``--filter`` name that is neither a device nor a trunk of the inventory."""


def known_names(inv: Inventory) -> list[str]:
    """Every name a filter may use: trunks, switches and hosts."""
    names = [t.name for t in inv.trunks] + [s.name for s in inv.switches]
    return names + [h.name for h in inv.hosts]


def check_filters(inv: Inventory, names: Collection[str] | None, option: str = "--filter",
                  *, trunks_only: bool = False) -> None:
    """Raise :class:`UnknownFilter` naming each unknown name and what it may have meant."""
    known = [t.name for t in inv.trunks] if trunks_only else known_names(inv)
    what = "a trunk" if trunks_only else "a trunk or device"
    problems = []
    for name in dict.fromkeys(names or ()):
        if name in known:
            continue
        close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
        hint = f" (did you mean: {', '.join(close)}?)" if close else ""
        problems.append(f"{name!r}{hint}")
    if problems:
        raise UnknownFilter(f"{option}: not {what} of {inv.root}: "
                            + "; ".join(problems) + "; nothing was sent")


def trunk_scope(inv: Inventory, names: Collection[str] | None) -> dict[str, frozenset[str]]:
    """Per switch carrying a selected trunk end, the trunks a run may touch there (a host's
    name selects its trunks)."""
    check_filters(inv, names)
    wanted = set(names or ())
    wanted |= {t.name for t in inv.trunks if t.host is not None and t.host.device in wanted}
    out: dict[str, frozenset[str]] = {}
    for s in inv.switches:
        trunks = [t.name for t, _ in ends_on(inv, s.name)]
        if not trunks:
            continue
        if not wanted or s.name in wanted:
            out[s.name] = frozenset(trunks)
        elif picked := wanted.intersection(trunks):
            out[s.name] = frozenset(picked)
    return out
