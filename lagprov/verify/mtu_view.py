"""Each end's MTU as "raw number (semantics) = IP n", and the binding (smallest) value."""

from __future__ import annotations

from dataclasses import dataclass

from lagprov.knowledge.mtu import HOST_MTU, L2_FRAME_OVERHEAD, SWITCH_MTU
from lagprov.knowledge.platforms import catalogued_model
from lagprov.knowledge.platforms.base import StateQuery
from lagprov.model.findings import Evidence
from lagprov.model.intent import SwitchEnd
from lagprov.model.state import HostTeamState
from lagprov.model.types import HostOs, Platform
from lagprov.verify.context import (
    TrunkContext,
    host_source,
    is_tagged,
    lag_label,
    observed_ip,
    source,
)


@dataclass(frozen=True, slots=True)
class EndMtu:
    """The smallest IP MTU found at one end, and where it was found."""

    device: str
    where: str  # "Port-channel10 MTU", "system MTU", "member Ethernet2 MTU", "Jumbo Packet"
    raw: int  # the number in the end's own semantics
    semantics: str
    ip: int
    source: str
    # the most generous reading where the platform's semantics are unpublished (SMIS): the
    # IP MTU is somewhere in ip..ip_max, and a verdict that differs between them is unknown
    ip_max: int | None = None

    @property
    def high(self) -> int:
        """The largest IP MTU this end may pass (``ip`` where the semantics are known)."""
        return self.ip if self.ip_max is None else self.ip_max

    def text(self) -> str:
        """``"system MTU 1500 (system MTU, frame payload) = IP 1500"``."""
        span = f"{self.ip}..{self.ip_max}" if self.high != self.ip else str(self.ip)
        return f"{self.where} {self.raw} ({self.semantics}) = IP {span}"

    def describe(self) -> str:
        """``"cat9300-1 system MTU 1500 (system MTU, frame payload) = IP 1500"``."""
        return f"{self.device} {self.text()}"

    def evidence(self) -> Evidence:
        """This MTU as evidence."""
        return Evidence(
            source=self.source, value=f"IP MTU {self.ip}", raw=f"{self.where} {self.raw}"
        )


def switchport_l2(ctx: TrunkContext, end: SwitchEnd) -> str | None:
    """Why ``end`` bridges (is a switchport), or None if nothing says so.

    Observed VLAN settings first, then the intent's ``l2`` (lagprov configures a switchport).
    """
    dev, lag = ctx.device(end), ctx.lag(end)
    if lag is not None and lag.l2 is not None:
        return "switchport (observed VLANs)"
    ports = [dev.port(p) for p in end.members] if dev is not None else []
    if any(p is not None and p.l2 is not None for p in ports):
        return "switchport (observed VLANs)"
    if end.l2 is not None:
        return "switchport (intent l2)"
    return None


def _l2_limited(ctx: TrunkContext, end: SwitchEnd) -> bool:
    """True where bridged frames are limited by the hardware, not by ``mtu`` (EOS
    switchports: vendor-cli.md 0.3, corrected)."""
    return end.platform is Platform.ARISTA_EOS and switchport_l2(ctx, end) is not None


def _l2_frame_mtu(ctx: TrunkContext, end: SwitchEnd) -> EndMtu | None:
    """A switchport's IP MTU from its hardware's L2 frame limit (None: model not known)."""
    dev = ctx.device(end)
    model = catalogued_model(ctx.hardware, dev.hardware) if dev is not None and dev.hardware \
        else None
    if dev is None or model is None or model.l2_frame_max is None:
        return None
    ip = model.l2_frame_max - L2_FRAME_OVERHEAD
    why = switchport_l2(ctx, end)
    return EndMtu(
        end.device, f"{why}: {model.name} L2 frame limit", model.l2_frame_max,
        "frame incl. header, 802.1Q tag, FCS; 'mtu' limits routed traffic only", ip,
        f"hardware {model.name}: {model.l2_frame_source}",
    )


def unknown_reason(ctx: TrunkContext, end: SwitchEnd) -> str:
    """Why :func:`switch_end_mtu` found nothing for ``end``."""
    dev = ctx.device(end)
    if dev is None:
        return f"no state from {end.device}"
    if _l2_limited(ctx, end):
        model = f"hardware {dev.hardware}" if dev.hardware else "an unknown hardware model"
        return (f"{end.device} is a {switchport_l2(ctx, end)}: bridged frames are limited by the "
                f"hardware's L2 frame limit, not known for {model}")
    return f"{end.device} reported no MTU"


def switch_end_mtu(ctx: TrunkContext, end: SwitchEnd) -> EndMtu | None:
    """Binding IP MTU of a switch end: bundle, members or ports, else the global MTU.

    An EOS switchport bridges up to its hardware's L2 frame limit whatever ``mtu`` says:
    that limit binds, and the evidence says so.
    """
    dev = ctx.device(end)
    if dev is None:
        return None
    if _l2_limited(ctx, end):
        return _l2_frame_mtu(ctx, end)
    sem = SWITCH_MTU[end.platform]
    tagged = is_tagged(end)
    # the global MTU first: on equal values it is the one that binds (Catalyst system mtu)
    found: list[tuple[int, str]] = []
    if dev.system_mtu_ip is not None:
        found.append((dev.system_mtu_ip, "system MTU"))
    lag = ctx.lag(end)
    if end.mode.is_lag and lag is not None:
        if lag.mtu_ip is not None:
            found.append((observed_ip(end, lag.mtu_ip) or 0, f"{lag_label(end, lag)} MTU"))
        found += [(observed_ip(end, m.mtu_ip) or 0, f"member {m.name} MTU")
                  for m in lag.members if m.mtu_ip is not None]
    elif not end.mode.is_lag:
        ports = (dev.port(p) for p in end.members)
        found += [(observed_ip(end, p.mtu_ip) or 0, f"port {p.name} MTU")
                  for p in ports if p and p.mtu_ip is not None]
    if not found:
        return None
    ip, where = min(found, key=lambda f: f[0])
    query = StateQuery.SYSTEM_MTU if where == "system MTU" else StateQuery.INTERFACES
    raw = sem.from_ip(ip, tagged=tagged)
    high = sem.to_ip_max(raw, tagged=tagged)
    return EndMtu(
        end.device, where, raw, sem.what, ip, source(dev, query), high if high != ip else None
    )


def host_end_mtu(host: HostTeamState | None) -> EndMtu | None:
    """Binding IP MTU of the host team (team MTU, or the smallest member MTU)."""
    if host is None:
        return None
    found: list[tuple[int, str]] = []
    label = "Jumbo Packet" if host.os is HostOs.WINDOWS else "MTU"
    if host.mtu_ip is not None:
        found.append((host.mtu_ip, f"{host.name} {label}" if host.name else label))
    found += [(m.mtu_ip, f"NIC {m.name} {label}") for m in host.members if m.mtu_ip is not None]
    if not found:
        return None
    ip, where = min(found, key=lambda f: f[0])
    sem = HOST_MTU[host.os]
    return EndMtu(host.device, where, sem.from_ip(ip), sem.what, ip, host_source(host))
