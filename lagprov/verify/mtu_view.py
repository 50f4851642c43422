"""Each end's MTU as "raw number (semantics) = IP n", and the binding (smallest) value."""

from __future__ import annotations

from dataclasses import dataclass

from lagprov.knowledge.mtu import HOST_MTU, SWITCH_MTU
from lagprov.knowledge.platforms.base import StateQuery
from lagprov.model.findings import Evidence
from lagprov.model.intent import SwitchEnd
from lagprov.model.state import HostTeamState
from lagprov.model.types import HostOs
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

    def text(self) -> str:
        """``"system MTU 1500 (system MTU, frame payload) = IP 1500"``."""
        return f"{self.where} {self.raw} ({self.semantics}) = IP {self.ip}"

    def describe(self) -> str:
        """``"cat9300-1 system MTU 1500 (system MTU, frame payload) = IP 1500"``."""
        return f"{self.device} {self.text()}"

    def evidence(self) -> Evidence:
        """This MTU as evidence."""
        return Evidence(
            source=self.source, value=f"IP MTU {self.ip}", raw=f"{self.where} {self.raw}"
        )


def switch_end_mtu(ctx: TrunkContext, end: SwitchEnd) -> EndMtu | None:
    """Binding IP MTU of a switch end: bundle, members or ports, else the global MTU."""
    dev = ctx.device(end)
    if dev is None:
        return None
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
    return EndMtu(
        end.device, where, sem.from_ip(ip, tagged=tagged), sem.what, ip, source(dev, query)
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
