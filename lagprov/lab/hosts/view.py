"""What the host reports (``linux``, ``windows``, ``esxi``) read of a simulated host.

:class:`~.fleet.LabHost` has it; the report modules type the host with :class:`HostView`
instead of importing ``fleet``, so imports run one way: reports -> ``fleet``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from lagprov.lab.base import LinkOutcome
from lagprov.model.types import Bundling, LacpRate


class HostView(Protocol):
    """The host's team settings and NICs, and the LACP outcome per NIC."""

    @property
    def nics(self) -> tuple[str, ...]: ...

    @property
    def bond(self) -> str: ...

    @property
    def mtu(self) -> int: ...

    @property
    def speed_mbps(self) -> int: ...

    @property
    def lacp_rate(self) -> LacpRate: ...

    @property
    def lacp_active(self) -> bool: ...

    @property
    def system_mac(self) -> str: ...

    @property
    def bundling(self) -> Bundling: ...

    @property
    def team_mode(self) -> str: ...

    @property
    def lb_algorithm(self) -> str | None: ...

    def nic_mac(self, nic: str) -> str: ...

    def outcomes(self) -> dict[str, LinkOutcome]: ...


@dataclass(frozen=True)
class HostState:
    """One consistent, immutable reading of a host: its team settings and its LACP outcomes.

    Every answer and report of a host is rendered from one ``HostState`` (a :class:`HostView`),
    so a render never goes back to the fabric; two equal states render equal answers, which is
    what lets a host cache its answers until its state (or a neighbour's) changes.
    """

    name: str
    nics: tuple[str, ...]
    bond: str
    mtu: int
    speed_mbps: int
    lacp_rate: LacpRate
    lacp_active: bool
    system_mac: str
    bundling: Bundling
    team_mode: str
    nic_macs: tuple[str, ...]
    links: tuple[tuple[str, LinkOutcome], ...]  # (nic, outcome), as the fabric resolved them
    lb_algorithm: str | None = None  # a Windows team's, when set (None: the OS default)
    _by_nic: dict[str, LinkOutcome] = field(init=False, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_nic", dict(self.links))

    def nic_mac(self, nic: str) -> str:
        """Permanent HW address of ``nic``."""
        return self.nic_macs[self.nics.index(nic)]

    def outcomes(self) -> dict[str, LinkOutcome]:
        """Outcome per NIC (a copy: the state stays immutable)."""
        return dict(self._by_nic)


@dataclass(frozen=True)
class TeamSettings:
    """A host's team as a pipeline sets it (:mod:`.windows_apply`, :mod:`.esxi_apply`).

    Windows: ``team`` is the canonical TeamingMode (``none``: no team), ``name`` the team or
    SET switch, ``vlans`` the team NICs' VLAN IDs.  ESXi: ``team`` is the vSwitch load
    balancing, ``name`` the vSwitch, ``members`` its uplinks, ``portgroups`` (name, VLAN ID).
    ``adapters`` are the host's physical NICs (what may become a member).
    """

    team: str
    name: str
    members: tuple[str, ...]
    adapters: tuple[str, ...]
    mtu: int
    lacp_rate: LacpRate
    lb_algorithm: str | None = None
    vlans: tuple[int, ...] = ()
    portgroups: tuple[tuple[str, int], ...] = ()
