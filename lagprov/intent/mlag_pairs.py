"""Arista MLAG pairs as the inventory declares them (``data.mlag_peer``, ``data.mlag_domain``).

Two EOS switches form a pair when each names the other as ``mlag_peer``; the domain, when
given, is the same on both.  A trunk end with ``mlag`` set is one half of a bundle over such a
pair (the lint rule ``mlag-pair`` checks the trunks; here only the devices).
"""

from __future__ import annotations

from collections.abc import Sequence

from lagprov.intent.nornir_files import Fail
from lagprov.model.inventory import SwitchDevice
from lagprov.model.types import Platform


def _problem(sw: SwitchDevice, by_name: dict[str, SwitchDevice]) -> tuple[str, str] | None:
    """(field, message) of what is wrong with ``sw``'s pair declaration, or None."""
    if sw.mlag_peer is None:
        if sw.mlag_domain is not None:
            return "mlag_domain", "an MLAG domain without data.mlag_peer (the other switch)"
        return None
    if sw.platform is not Platform.ARISTA_EOS:
        return "mlag_peer", (f"MLAG pairs are Arista EOS; {sw.name} is {sw.platform.value} "
                             "(a Catalyst stack or EX Virtual Chassis is one switch: "
                             "data.stack_members)")
    peer = by_name.get(sw.mlag_peer)
    if peer is None or peer.name == sw.name:
        return "mlag_peer", (f"{sw.mlag_peer!r} is not another switch of the inventory; "
                             f"known: {', '.join(sorted(set(by_name) - {sw.name}))}")
    if peer.mlag_peer != sw.name:
        return "mlag_peer", (f"{peer.name} does not name {sw.name} as its data.mlag_peer "
                             f"(it has {peer.mlag_peer!r}): each peer names the other")
    if sw.mlag_domain != peer.mlag_domain:
        return "mlag_domain", (f"{sw.name} has {sw.mlag_domain!r}, its peer {peer.name} has "
                               f"{peer.mlag_domain!r}: one pair, one domain")
    return None


def check_mlag_pairs(file: str, switches: Sequence[SwitchDevice],
                     fail: Fail) -> list[SwitchDevice]:
    """``switches`` without those whose pair declaration is wrong (each failed with its field)."""
    by_name = {s.name: s for s in switches}
    kept = []
    for sw in switches:
        problem = _problem(sw, by_name)
        if problem is None:
            kept.append(sw)
        else:
            fail(file, f"{sw.name}.data.{problem[0]}", problem[1])
    return kept


def is_pair(switches: Sequence[SwitchDevice], a: str, b: str) -> bool:
    """True when switches ``a`` and ``b`` are a declared MLAG pair."""
    by_name = {s.name: s for s in switches}
    return a in by_name and b in by_name and by_name[a].mlag_peer == b \
        and by_name[b].mlag_peer == a
