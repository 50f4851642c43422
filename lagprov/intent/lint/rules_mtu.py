"""MTU rules.  Every comparison is made on the IP MTU (:mod:`lagprov.knowledge.mtu`), and
every message
gives both the configured number, in its own semantics, and the IP MTU it means."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lagprov.intent.lint.base import Issue, LintContext, SwitchRef, TrunkRef, error, warning
from lagprov.knowledge.limits import HOST_MTU_RANGE
from lagprov.knowledge.mtu import (
    DEFAULT_IP_MTU,
    HOST_MTU,
    JUMBO_IP_MTU,
    L2_FRAME_OVERHEAD,
    SWITCH_MTU,
    host_ip_mtu,
    switch_ip_mtu,
    switch_ip_mtu_max,
)
from lagprov.knowledge.platforms import MtuScope
from lagprov.model.intent import HostEnd, Trunk8021q
from lagprov.model.types import HostOs, Platform

_SHORT = {
    Platform.CISCO_IOS: "Catalyst",
    Platform.JUNIPER_JUNOS: "Junos",
    Platform.ARISTA_EOS: "EOS",
    Platform.SUPERMICRO_SMIS: "SMIS",
}
_OS = {
    HostOs.LINUX: "Linux",
    HostOs.WINDOWS: "Windows",
    HostOs.VMWARE: "VMware",
    HostOs.STORAGE: "storage",
}


@dataclass(frozen=True, slots=True)
class EndMtu:
    """An end's MTU as configured and as IP MTU, with words for messages."""

    ip: int
    text: str  # "Junos media MTU incl. L2 header 1514 (default) = IP 1500"
    ip_max: int | None = None  # the generous reading where the semantics are unpublished

    @property
    def high(self) -> int:
        """The largest IP MTU the end may pass (``ip`` where the semantics are known)."""
        return self.ip if self.ip_max is None else self.ip_max


def switch_mtu(ref: SwitchRef) -> EndMtu:
    """The IP MTU a switch end passes.

    An end with no ``mtu`` keeps the model's default, read untagged: platform defaults are
    chosen to pass 1500-byte IP packets on tagged ports too.  An EOS switchport bridges up to
    the hardware's L2 frame limit whatever ``mtu`` says (vendor-cli.md 0.3, corrected).
    """
    platform = ref.device.platform
    limit = ref.model.l2_frame_max
    if platform is Platform.ARISTA_EOS and ref.end.l2 is not None and limit is not None:
        ip = limit - L2_FRAME_OVERHEAD
        return EndMtu(ip, f"{ref.end.device} EOS switchport: {ref.model.name} L2 frame limit "
                          f"{limit} = IP {ip} ('mtu' limits routed traffic only)")
    given = ref.end.mtu
    value = ref.model.mtu_default if given is None else given
    tagged = given is not None and isinstance(ref.end.l2, Trunk8021q)
    ip = switch_ip_mtu(platform, value, tagged=tagged)
    high = switch_ip_mtu_max(platform, value, tagged=tagged)
    sem = SWITCH_MTU[platform]
    notes = [n for n, on in (("default", given is None),
                             ("802.1Q-tagged", tagged and sem.counts_tag)) if on]
    extra = f" ({', '.join(notes)})" if notes else ""
    span = f"{ip}..{high}" if high != ip else str(ip)
    return EndMtu(ip, f"{ref.end.device} {_SHORT[platform]} {sem.what} {value}{extra} = IP {span}",
                  high if high != ip else None)


def host_mtu(host: HostEnd) -> EndMtu:
    """The IP MTU a host end sends (1500 when not given)."""
    sem = HOST_MTU[host.os]
    if host.mtu is None:
        return EndMtu(DEFAULT_IP_MTU, f"{host.device} {_OS[host.os]} default IP MTU 1500")
    ip = host_ip_mtu(host.os, host.mtu)
    return EndMtu(ip, f"{host.device} {_OS[host.os]} {sem.what} {host.mtu} = IP {ip}")


def check_mtu_range(ctx: LintContext) -> Iterator[Issue]:
    """An MTU value the switch model, or the host OS, does not accept."""
    for ref in ctx.switch_ends:
        m, mtu = ref.model, ref.end.mtu
        if mtu is not None and not m.mtu_min <= mtu <= m.mtu_max:
            yield error(ref.trunk, f"{ref.field}.mtu",
                        f"{ref.end.device} ({m.name}) accepts MTU {m.mtu_min}..{m.mtu_max} "
                        f"({SWITCH_MTU[ref.device.platform].what}), not {mtu}")
    for t in ctx.trunks:
        host = t.host
        if host is None or host.mtu is None:
            continue
        rng = HOST_MTU_RANGE[host.os]
        if not rng.low <= host.mtu <= rng.high:
            yield error(t, f"{t.field}.host.mtu",
                        f"{rng.what} must be {rng.low}..{rng.high}, not {host.mtu}")


def check_mtu_too_small(ctx: LintContext) -> Iterator[Issue]:
    """A jumbo trunk end below IP 9000, or a switch end below the host it faces."""
    for t in ctx.trunks:
        hm = host_mtu(t.host) if t.host is not None else None
        for ref in ctx.ends_of(t):
            yield from _switch_too_small(t, ref, hm)
        if t.host is not None and hm is not None and t.trunk.jumbo and hm.ip < JUMBO_IP_MTU:
            yield error(t, f"{t.field}.host.mtu", _jumbo_msg(hm))


def _switch_too_small(t: TrunkRef, ref: SwitchRef, hm: EndMtu | None) -> Iterator[Issue]:
    sm = switch_mtu(ref)
    field = f"{ref.field}.mtu"
    if hm is not None and sm.ip < hm.ip:
        yield _below(t, field, sm, hm.ip,
                     f"{hm.text} > {sm.text}: the host sends frames the switch drops")
    elif t.trunk.jumbo and sm.ip < JUMBO_IP_MTU:
        yield _below(t, field, sm, JUMBO_IP_MTU, _jumbo_msg(sm))


def _below(t: TrunkRef, field: str, sm: EndMtu, want: int, problem: str) -> Issue:
    """An error, or a warning where only the conservative reading of unpublished semantics
    (SMIS) is too small: never a guessed failure."""
    if sm.high < want:
        return error(t, field, problem)
    return warning(t, field, f"cannot be verified: {problem} only if the value counts the "
                             "Ethernet header (the semantics are unpublished); check with a DF "
                             "ping, or configure the platform maximum")


def _jumbo_msg(m: EndMtu) -> str:
    return f"jumbo: true needs IP MTU >= {JUMBO_IP_MTU} on every end, but {m.text}"


def check_peer_mtu(ctx: LintContext) -> Iterator[Issue]:
    """The two switches of a switch-to-switch trunk pass different IP MTUs."""
    for t in ctx.trunks:
        ends = ctx.ends_of(t)
        if t.trunk.peer is None or len(ends) != 2:
            continue
        a, b = switch_mtu(ends[0]), switch_mtu(ends[1])
        if a.ip != b.ip:
            yield warning(t, f"{ends[1].field}.mtu",
                          f"{a.text} but {b.text}: packets above IP {min(a.ip, b.ip)} are "
                          "dropped in one direction")


_GLOBAL = (MtuScope.SYSTEM, MtuScope.SYSTEM_JUMBO)


def check_global_mtu_conflict(ctx: LintContext) -> Iterator[Issue]:
    """Ends of one Catalyst (system-wide MTU) asking for different MTUs: the largest wins."""
    by_device: dict[str, list[SwitchRef]] = {}
    for ref in ctx.switch_ends:
        if ref.model.mtu_scope in _GLOBAL and ref.end.mtu is not None:
            by_device.setdefault(ref.end.device, []).append(ref)
    for device, refs in by_device.items():
        largest = max(r.end.mtu or 0 for r in refs)
        for ref in refs:
            if ref.end.mtu != largest:
                yield warning(ref.trunk, f"{ref.field}.mtu",
                              f"{device} has one system-wide MTU; this end asks {ref.end.mtu} "
                              f"but another asks {largest}, and the largest ({largest}) wins "
                              "on every port")


def check_mtu_reload(ctx: LintContext) -> Iterator[Issue]:
    """A jumbo MTU on a model where it only takes effect after a reload (2960-S)."""
    seen: set[str] = set()
    for ref in ctx.switch_ends:
        mtu = ref.end.mtu
        if (ref.model.mtu_needs_reload and mtu is not None and mtu != ref.model.mtu_default
                and ref.end.device not in seen):
            seen.add(ref.end.device)
            yield warning(ref.trunk, f"{ref.field}.mtu",
                          f"{ref.end.device} ({ref.model.name}): 'system mtu jumbo {mtu}' only "
                          "takes effect after a reload; plan one")
