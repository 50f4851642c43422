"""Rules about ports, bundles and their numbers: who uses which port and channel, how many."""

from __future__ import annotations

from collections.abc import Iterator

from lagprov.intent.lint.base import Issue, LintContext, SwitchRef, error, warning
from lagprov.knowledge.limits import bundle_limit


def check_port_reuse(ctx: LintContext) -> Iterator[Issue]:
    """A switch port, or a host NIC, claimed twice (by two trunks, or twice by one trunk)."""
    first: dict[tuple[str, str], str] = {}
    for ref in ctx.switch_ends:
        for k, port in enumerate(ref.end.members):
            field = f"{ref.field}.members[{k}]"
            key = (ref.end.device, port)
            if key in first:
                yield error(ref.trunk, field, f"{ref.end.device} port {port} is already used by "
                            f"{first[key]}: one port can belong to one trunk end only")
            else:
                first[key] = field
    nics: dict[tuple[str, str], str] = {}
    for t in ctx.trunks:
        if t.host is None:
            continue
        for k, nic in enumerate(t.host.nics):
            field = f"{t.field}.host.nics[{k}]"
            key = (t.host.device, nic)
            if key in nics:
                yield error(t, field, f"{t.host.device} NIC {nic!r} is already used by "
                            f"{nics[key]}: a NIC can be in one team only")
            else:
                nics[key] = field


def check_channel_reuse(ctx: LintContext) -> Iterator[Issue]:
    """The same channel number given to two bundles of one switch."""
    first: dict[tuple[str, int], str] = {}
    for ref in ctx.switch_ends:
        if ref.end.channel is None:
            continue
        key = (ref.end.device, ref.end.channel)
        if key in first:
            yield error(ref.trunk, f"{ref.field}.channel",
                        f"{ref.label} is already used by {first[key]}: the two trunks would "
                        "merge into one bundle")
        else:
            first[key] = f"{ref.field}.channel"


def check_channel_range(ctx: LintContext) -> Iterator[Issue]:
    """A channel number the platform, or the hardware model, cannot create."""
    for ref in ctx.switch_ends:
        channel = ref.end.channel
        if channel is None:
            continue
        spec, model = ref.spec, ref.model
        if not spec.channel_min <= channel <= spec.channel_max:
            yield error(ref.trunk, f"{ref.field}.channel",
                        f"channel {channel} is outside {spec.title}'s range "
                        f"{spec.channel_min}..{spec.channel_max}")
        elif model.channel_max is not None and channel > model.channel_max:
            yield error(ref.trunk, f"{ref.field}.channel",
                        f"channel {channel} is above {model.channel_max}, the highest bundle "
                        f"number of {ref.end.device} ({model.name})")


def check_member_count(ctx: LintContext) -> Iterator[Issue]:
    """Both sides of a trunk must have as many links; a bundle must fit the platform."""
    for t in ctx.trunks:
        ends = ctx.ends_of(t)
        near = [r for r in ends if not r.is_peer]
        far = [r for r in ends if r.is_peer]
        n_near = sum(len(r.end.members) for r in near)
        if t.host is not None and n_near != len(t.host.nics):
            yield error(t, f"{t.field}.host.nics",
                        f"the switch side has {n_near} member(s) ({_ports(near)}) but "
                        f"{t.host.device} lists {len(t.host.nics)} NIC(s): member i is cabled "
                        "to NIC i, so the counts must match")
        if far and n_near != len(far[0].end.members):
            yield error(t, f"{far[0].field}.members",
                        f"{far[0].end.device} has {len(far[0].end.members)} member(s) but "
                        f"{near[0].end.device} has {n_near}: member i is cabled to member i")
    for ref in ctx.switch_ends:
        yield from _bundle_size(ref)


def _ports(refs: list[SwitchRef]) -> str:
    return "; ".join(f"{r.end.device}: {', '.join(r.end.members)}" for r in refs)


def _bundle_size(ref: SwitchRef) -> Iterator[Issue]:
    if not ref.end.mode.is_lag:
        return
    limit = bundle_limit(ref.model)
    n = len(ref.end.members)
    lacp = ref.end.mode.is_lacp
    total = limit.total(lacp=lacp)
    field = f"{ref.field}.members"
    if n > total:
        kind = "an LACP" if lacp else "a static"
        msg = (f"{n} members, but {kind} bundle on {ref.model.name} holds at most {total} "
               f"({limit.source})")
        yield error(ref.trunk, field, msg) if limit.verified else warning(ref.trunk, field, msg)
    elif n > limit.active:
        yield warning(ref.trunk, field,
                      f"{n} members: only {limit.active} carry traffic on {ref.model.name}, the "
                      f"other {n - limit.active} wait in hot-standby ({limit.source})")


def check_member_speed(ctx: LintContext) -> Iterator[Issue]:
    """Members of one bundle at different speeds (IOS suspends them; LACP will not bundle)."""
    for ref in ctx.switch_ends:
        if not ref.end.mode.is_lag:
            continue
        speeds = {m: ref.model.port_speed(m) for m in ref.end.members}
        if len(set(speeds.values())) > 1:
            listing = ", ".join(f"{m} {_speed(s)}" for m, s in speeds.items())
            yield error(ref.trunk, f"{ref.field}.members",
                        f"members of {ref.label} run at different speeds ({listing}): a bundle "
                        "needs one speed; the odd members are suspended")


def check_peer_speed(ctx: LintContext) -> Iterator[Issue]:
    """Cabled member pairs of a switch-to-switch trunk with different port speeds."""
    for t in ctx.trunks:
        ends = ctx.ends_of(t)
        if t.trunk.peer is None or len(ends) != 2:
            continue
        a, b = ends
        for k, (pa, pb) in enumerate(zip(a.end.members, b.end.members, strict=False)):
            sa, sb = a.model.port_speed(pa), b.model.port_speed(pb)
            if sa is not None and sb is not None and sa != sb:
                yield warning(t, f"{b.field}.members[{k}]",
                              f"{a.end.device} {pa} ({_speed(sa)}) is cabled to {b.end.device} "
                              f"{pb} ({_speed(sb)}): the link runs at the lower speed at best, "
                              "or not at all with fixed-speed optics")


def _speed(mbps: int | None) -> str:
    if mbps is None:
        return "unknown speed"
    return f"{mbps // 1000}G" if mbps >= 1000 else f"{mbps}M"
