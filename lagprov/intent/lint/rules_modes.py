"""Rules about how the two ends bundle: modes, LACP activity and rate, platform features."""

from __future__ import annotations

from collections.abc import Iterator

from lagprov.intent.lint.base import Issue, LintContext, SwitchRef, TrunkRef, error, warning
from lagprov.intent.mlag_pairs import is_pair
from lagprov.knowledge.compat import (
    PAIRING_EXPLAINED,
    Pairing,
    pair_outcome,
    pairing_explained,
    switch_bundling,
)
from lagprov.knowledge.limits import bundle_limit
from lagprov.model.intent import Trunk8021q
from lagprov.model.types import Bundling, Feature, LacpRate, SwitchMode


def check_team_mode(ctx: LintContext) -> Iterator[Issue]:
    """A host team whose bundling the switch end does not offer (compat.pair_outcome).

    Host LACP speakers are active unless ``host.lacp_mode: passive`` (vDS LAG passive, Linux
    ``lacp_active off``); passive against passive is ``lacp-passive-both-ends``.
    """
    for t, ref, outcome in _host_pairs(ctx):
        host = t.host
        assert host is not None
        if outcome not in (Pairing.OK, Pairing.PASSIVE_PASSIVE):
            side = ref.device.platform if ref.end.mode.is_lacp else host.os
            yield error(t, f"{ref.field}.mode",
                        f"{host.device} team {host.team!r} needs {host.bundling.value} but "
                        f"{ref.label} is {ref.end.mode.value}: "
                        f"{pairing_explained(outcome, side)}")


def _host_pairs(ctx: LintContext) -> Iterator[tuple[TrunkRef, SwitchRef, Pairing]]:
    for t in ctx.trunks:
        host = t.host
        if host is None:
            continue
        for ref in ctx.ends_of(t):
            offer = switch_bundling(ref.end.mode)
            yield t, ref, pair_outcome(host.bundling, offer, a_active=host.lacp_mode == "active",
                                       b_active=ref.end.mode is not SwitchMode.LACP_PASSIVE)


def check_lag_spans_switches(ctx: LintContext) -> Iterator[Issue]:
    """One host bundle split over two separate switches.  An Arista MLAG bundle (``mlag`` on
    both ends) over a declared pair is one partner (the pair's shared system id)."""
    for t in ctx.trunks:
        host = t.host
        devices = {e.device for e in t.trunk.switch}
        if host is None or host.bundling is Bundling.INDEPENDENT or len(devices) < 2:
            continue
        pair = t.trunk.mlag is not None and is_pair(ctx.inventory.switches, *sorted(devices))
        if pair:
            continue
        hint = (f" (mlag {t.trunk.mlag} is set, but they are not a declared MLAG pair: "
                "hosts.yaml data.mlag_peer on each, naming the other)"
                if t.trunk.mlag is not None else "")
        yield error(t, f"{t.field}.switch",
                    f"{host.device} team {host.team!r} forms one {host.bundling.value} bundle, "
                    f"but its links end on {len(devices)} separate switches "
                    f"({', '.join(sorted(devices))}): each switch is a different partner and "
                    f"only one switch's links are used{hint}")


def check_passive_both_ends(ctx: LintContext) -> Iterator[Issue]:
    """Both ends LACP passive (two switches, or a passive host: vDS LAG passive, Linux
    ``lacp_active off``): no LACPDU is ever sent."""
    for t, a, b in _peer_pairs(ctx):
        if _peer_outcome(a, b) is Pairing.PASSIVE_PASSIVE:
            yield error(t, f"{b.field}.mode", _pair_msg(a, b, Pairing.PASSIVE_PASSIVE))
    for t, ref, outcome in _host_pairs(ctx):
        if outcome is Pairing.PASSIVE_PASSIVE:
            assert t.host is not None
            yield error(t, f"{ref.field}.mode",
                        f"{t.host.device} team {t.host.team!r} is LACP passive "
                        f"(host.lacp_mode) and {ref.label} is {ref.end.mode.value}: "
                        f"{PAIRING_EXPLAINED[outcome]}")


def check_peer_modes(ctx: LintContext) -> Iterator[Issue]:
    """Switch-to-switch trunk: LACP against static, or a bundle against plain ports."""
    for t, a, b in _peer_pairs(ctx):
        outcome = _peer_outcome(a, b)
        if outcome not in (Pairing.OK, Pairing.PASSIVE_PASSIVE):
            yield error(t, f"{b.field}.mode", _pair_msg(a, b, outcome))


def _peer_outcome(a: SwitchRef, b: SwitchRef) -> Pairing:
    return pair_outcome(switch_bundling(a.end.mode), switch_bundling(b.end.mode),
                        a_active=a.end.mode is not SwitchMode.LACP_PASSIVE,
                        b_active=b.end.mode is not SwitchMode.LACP_PASSIVE)


def _pair_msg(a: SwitchRef, b: SwitchRef, outcome: Pairing) -> str:
    lacp = next((r.device.platform for r in (a, b) if r.end.mode.is_lacp), None)
    return (f"{a.label} is {a.end.mode.value} and {b.label} is {b.end.mode.value}: "
            f"{pairing_explained(outcome, lacp)}")


def _peer_pairs(ctx: LintContext) -> Iterator[tuple[TrunkRef, SwitchRef, SwitchRef]]:
    for t in ctx.trunks:
        ends = ctx.ends_of(t)
        if t.trunk.peer is not None and len(ends) == 2:
            yield t, ends[0], ends[1]


def check_lacp_rate(ctx: LintContext) -> Iterator[Issue]:
    """LACP rate asked differently at the two ends (each side then times out at its own pace)."""
    for t in ctx.trunks:
        host = t.host
        if host is not None and host.lacp_rate is not None:
            if host.bundling is not Bundling.LACP:
                yield warning(t, f"{t.field}.host.lacp_rate",
                              f"team {host.team!r} does not run LACP; lacp_rate has no effect")
                continue
            for ref in ctx.ends_of(t):
                rate = _rate(ref)
                if ref.end.mode.is_lacp and rate is not host.lacp_rate:
                    yield warning(t, f"{ref.field}.lacp_rate",
                                  f"{host.device} asks LACP rate {host.lacp_rate.value} but "
                                  f"{ref.label} uses {rate.value}: failure detection takes "
                                  "3 s one way and 90 s the other")
    for t, a, b in _peer_pairs(ctx):
        if a.end.mode.is_lacp and b.end.mode.is_lacp and _rate(a) is not _rate(b):
            yield warning(t, f"{b.field}.lacp_rate",
                          f"{a.label} uses LACP rate {_rate(a).value} but {b.label} uses "
                          f"{_rate(b).value}")


def _rate(ref: SwitchRef) -> LacpRate:
    """The rate the end runs: asked, else the platform's default (Junos EX: fast)."""
    return ref.end.lacp_rate or ref.spec.lacp_default_rate


def _features(ref: SwitchRef) -> Iterator[tuple[Feature, str]]:
    end = ref.end
    if end.lacp_rate is LacpRate.FAST:
        yield Feature.LACP_RATE_FAST, "lacp_rate"
    if end.min_links is not None and ref.spec.min_links_statement(end.min_links) is not None:
        yield Feature.MIN_LINKS, "min_links"
    if end.mode is SwitchMode.LACP_PASSIVE:
        yield Feature.LACP_PASSIVE, "mode"
    if end.mode is SwitchMode.STATIC:
        yield Feature.STATIC_LAG, "mode"
    if isinstance(end.l2, Trunk8021q) and end.l2.native_vlan is not None:
        yield Feature.NATIVE_VLAN, "l2.native_vlan"


def check_features(ctx: LintContext) -> Iterator[Issue]:
    """An end asking for what its platform or hardware model declares it lacks."""
    for ref in ctx.switch_ends:
        for feature, field in _features(ref):
            if ref.spec.supports(feature, ref.model):
                continue
            where = ref.model.name if feature in ref.model.lacks else ref.spec.title
            note = f" ({ref.model.note})" if feature in ref.model.lacks and ref.model.note else ""
            yield error(ref.trunk, f"{ref.field}.{field}",
                        f"{ref.end.device}: {where} does not support {feature.value}{note}")


def check_min_links_allowed(ctx: LintContext) -> Iterator[Issue]:
    """min-links the platform refuses: out of its range, or on a static bundle where it is
    LACP only (Cisco: 2..8, LACP only; ``PlatformSpec.min_links``)."""
    for ref in ctx.switch_ends:
        rule, need = ref.spec.min_links, ref.end.min_links
        problem = rule.problem(need, lacp=ref.end.mode.is_lacp) if rule and need else None
        if problem is not None:
            yield error(ref.trunk, f"{ref.field}.min_links", f"{ref.label}: {problem}")


def check_min_links(ctx: LintContext) -> Iterator[Issue]:
    """min-links that can never be met, or that one link failure already breaks."""
    for ref in ctx.switch_ends:
        need = ref.end.min_links
        if need is None:
            continue
        limit = bundle_limit(ref.model)
        field = f"{ref.field}.min_links"
        n = len(ref.end.members)
        if need > limit.active:
            yield error(ref.trunk, field,
                        f"min_links {need} can never be met: at most {limit.active} members "
                        f"carry traffic on {ref.model.name} ({limit.source})")
        elif need == n and n > 1:
            yield warning(ref.trunk, field,
                          f"min_links {need} equals the {n} members: one failed link takes "
                          f"{ref.label} down entirely")
