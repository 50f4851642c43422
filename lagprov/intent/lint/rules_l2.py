"""Rules about layer 2 and design: MPIO paths, VLANs across ends, text safety."""

from __future__ import annotations

from collections.abc import Iterator

from lagprov.intent.lint.base import Issue, LintContext, TrunkRef, error, warning
from lagprov.intent.lint.rules_mtu import switch_mtu
from lagprov.model.intent import L2, Access, Trunk8021q
from lagprov.model.safety import check_cli_text
from lagprov.model.types import Bundling


def _mpio(ctx: LintContext) -> Iterator[TrunkRef]:
    return (t for t in ctx.trunks if t.trunk.purpose == "iscsi-mpio")


def check_mpio_teamed(ctx: LintContext) -> Iterator[Issue]:
    """iSCSI MPIO paths must be plain NICs on plain ports: MPIO balances, not a team or LAG."""
    for t in _mpio(ctx):
        if t.host is not None and t.host.team != "none":
            yield error(t, f"{t.field}.host.team",
                        f"purpose iscsi-mpio needs team 'none' (one IP per NIC, MPIO picks the "
                        f"path), not {t.host.team!r}")
        for ref in ctx.ends_of(t):
            if ref.end.mode.is_lag:
                yield error(t, f"{ref.field}.mode",
                            f"purpose iscsi-mpio needs independent ports, but {ref.label} is a "
                            f"{ref.end.mode.value} bundle")


def check_mpio_switches(ctx: LintContext) -> Iterator[Issue]:
    """MPIO paths should survive the loss of one switch (paths on one switch are a valid,
    less redundant design: a warning)."""
    for t in _mpio(ctx):
        ends = ctx.ends_of(t)
        paths: dict[str, int] = {}
        for ref in ends:
            paths[ref.end.device] = paths.get(ref.end.device, 0) + len(ref.end.members)
        if len(paths) < 2:
            yield warning(t, f"{t.field}.switch",
                          f"every MPIO path ends on {', '.join(paths)}: valid, but losing that "
                          "one switch loses all paths; put the paths on at least two switches")
            continue
        for ref in ends:
            if paths[ref.end.device] > 1:
                yield warning(t, f"{ref.field}.members",
                              f"{paths[ref.end.device]} MPIO paths end on {ref.end.device}: "
                              "losing it takes several paths down at once")
                paths[ref.end.device] = 0  # report each switch once


def check_mpio_shared_vlan(ctx: LintContext) -> Iterator[Issue]:
    """Two MPIO paths in one VLAN while the host has separate NICs: the host sees one subnet
    on two NICs and sends every iSCSI session out of one of them, so MPIO has one path."""
    for t in _mpio(ctx):
        paths: dict[int, list[str]] = {}
        last: dict[int, str] = {}
        for ref in ctx.ends_of(t):
            if isinstance(ref.end.l2, Access):
                vlan = ref.end.l2.vlan
                paths.setdefault(vlan, []).extend(f"{ref.end.device} {m}" for m in ref.end.members)
                last[vlan] = f"{ref.field}.l2"
        for vlan, names in paths.items():
            if len(names) > 1:
                yield error(t, last[vlan],
                            f"MPIO paths {', '.join(names)} share access VLAN {vlan}: the "
                            "host's separate iSCSI NICs sit in one subnet and it sends every "
                            "session out of one NIC; give each path its own VLAN and subnet")


def _l2_text(l2: L2 | None) -> str:
    if l2 is None:
        return "no L2 setting"
    if isinstance(l2, Access):
        return f"access VLAN {l2.vlan}"
    native = f", native {l2.native_vlan}" if l2.native_vlan is not None else ""
    return f"trunk VLANs {','.join(map(str, l2.vlans))}{native}"


def check_vlan_mismatch(ctx: LintContext) -> Iterator[Issue]:
    """The two switches of a switch-to-switch trunk carry different VLANs or native VLANs."""
    for t in ctx.trunks:
        ends = ctx.ends_of(t)
        if t.trunk.peer is None or len(ends) != 2:
            continue
        a, b = ends
        if a.end.l2 is not None and b.end.l2 is not None and a.end.l2 != b.end.l2:
            yield error(t, f"{b.field}.l2",
                        f"{a.end.device} has {_l2_text(a.end.l2)} but {b.end.device} has "
                        f"{_l2_text(b.end.l2)}: VLANs missing on one side are black-holed, a "
                        "native VLAN mismatch leaks untagged traffic between VLANs")


def check_native_allowed(ctx: LintContext) -> Iterator[Issue]:
    """A trunk's native VLAN must be in its allowed list: otherwise the untagged frames the
    native VLAN is for are dropped on the port (and a host sending untagged is cut off)."""
    for t in ctx.trunks:
        for ref in ctx.ends_of(t):
            l2 = ref.end.l2
            if isinstance(l2, Trunk8021q) and l2.native_vlan is not None \
                    and l2.native_vlan not in l2.vlans:
                yield error(t, f"{ref.field}.l2.native_vlan",
                            f"{ref.label}: native VLAN {l2.native_vlan} is not in the allowed "
                            f"VLANs {','.join(map(str, l2.vlans))}; add it to vlans, or drop "
                            "native_vlan")


def check_independent_ports(ctx: LintContext) -> Iterator[Issue]:
    """The ports of one switch-independent team must be configured identically.

    The team moves MAC addresses between NICs; a port without the VLAN or MTU of the others
    drops the traffic that fails over to it.  MPIO (team ``none``) is exempt: its paths are
    separate networks on purpose.
    """
    for t in ctx.trunks:
        host = t.host
        ends = ctx.ends_of(t)
        if host is None or host.bundling is not Bundling.INDEPENDENT or host.team == "none":
            continue
        first = ends[0]
        for ref in ends[1:]:
            if ref.end.l2 != first.end.l2:
                yield error(t, f"{ref.field}.l2",
                            f"team {host.team!r} needs identical ports, but {first.end.device} "
                            f"has {_l2_text(first.end.l2)} and {ref.end.device} has "
                            f"{_l2_text(ref.end.l2)}")
            a, b = switch_mtu(first), switch_mtu(ref)
            if a.ip != b.ip:
                yield error(t, f"{ref.field}.mtu",
                            f"team {host.team!r} needs identical ports, but {a.text} and "
                            f"{b.text}")


def check_unsafe_text(ctx: LintContext) -> Iterator[Issue]:
    """Defence in depth: every text that may reach a CLI line passes check_cli_text."""
    for t in ctx.trunks:
        texts: list[tuple[str, str | None]] = [(f"{t.field}.name", t.trunk.name),
                                               (f"{t.field}.description", t.trunk.description)]
        for ref in ctx.ends_of(t):
            texts += [(f"{ref.field}.device", ref.end.device),
                      (f"{ref.field}.description", ref.end.description)]
            texts += [(f"{ref.field}.members[{k}]", m) for k, m in enumerate(ref.end.members)]
        if t.host is not None:
            h = t.host
            texts += [(f"{t.field}.host.device", h.device), (f"{t.field}.host.name", h.name),
                      (f"{t.field}.host.team", h.team)]
            texts += [(f"{t.field}.host.nics[{k}]", n) for k, n in enumerate(h.nics)]
        for field, text in texts:
            reason = _unsafe(text)
            if reason is not None:
                yield error(t, field, f"{text!r} is unsafe in a CLI line: {reason}")


def _unsafe(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        check_cli_text(text)
    except ValueError as exc:
        return str(exc)
    return None
