"""The configuration data of a lab IOS switch: interfaces and globals, as IOS keeps them."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from lagprov.knowledge.platforms.base import HardwareModel, MtuScope
from lagprov.lab.base import LagMode


@dataclass
class IosInterface:
    """One interface's configuration."""

    name: str
    description: str | None = None
    shutdown: bool = False
    mode: str | None = None  # "access" | "trunk"
    access_vlan: int | None = None
    allowed: tuple[int, ...] | None = None  # None: all VLANs
    native: int | None = None
    group: int | None = None
    lag_mode: LagMode | None = None
    rate_fast: bool = False
    min_links: int | None = None
    extras: list[str] = field(default_factory=list)

    def switchport_key(self) -> tuple[object, ...]:
        """What must match between a member and its Port-channel."""
        return (self.mode, self.access_vlan, self.allowed, self.native)


DEFAULT_VLANS = (1, 1002, 1003, 1004, 1005)


@dataclass
class IosConfig:
    """The running (or startup) configuration of a lab IOS switch."""

    hostname: str
    ports: tuple[str, ...]
    globals: list[str] = field(default_factory=list)
    interfaces: dict[str, IosInterface] = field(default_factory=dict)
    system_mtu: int | None = None  # configured 'system mtu N'
    jumbo_mtu: int | None = None  # configured 'system mtu jumbo N'
    # The VLAN database (vlan.dat, VTP server mode, the default): not part of the running
    # configuration, kept by 'configure replace' and a reload.  "VLAN IDs 1 and 1002 to 1005
    # are automatically created and cannot be removed" (Catalyst 2960 configuration guide,
    # "Normal-Range VLAN Configuration Guidelines", manualshive.com catalyst-2960-series).
    vlans: set[int] = field(default_factory=lambda: set(DEFAULT_VLANS))

    def clone(self) -> IosConfig:
        """A deep copy."""
        return copy.deepcopy(self)

    def interface(self, name: str) -> IosInterface:
        """The interface ``name``, created on first use."""
        if name not in self.interfaces:
            self.interfaces[name] = IosInterface(name)
        return self.interfaces[name]

    def channels(self) -> dict[int, list[str]]:
        """Channel number -> member ports, for every configured Port-channel."""
        out: dict[int, list[str]] = {
            int(n[len("Port-channel"):]): [] for n in self.interfaces if n.startswith("Port-ch")
        }
        for p in self.ports:
            itf = self.interfaces.get(p)
            if itf is not None and itf.group is not None:
                out.setdefault(itf.group, []).append(p)
        return dict(sorted(out.items()))


def default_config(hostname: str, hardware: HardwareModel,
                   vlans: tuple[int, ...] = ()) -> IosConfig:
    """A factory-fresh switch with SSH/SCP enabled, as the lab ships it, and the site's
    ``vlans`` in its VLAN database (:func:`lagprov.lab.vlans.site_vlans`)."""
    version = "15.0" if hardware.mtu_scope is MtuScope.SYSTEM_JUMBO else "17.9"
    cfg = IosConfig(hostname=hostname, ports=hardware.port_names())
    cfg.globals = [f"version {version}", "service timestamps debug datetime msec",
                   "service timestamps log datetime msec", "no service password-encryption",
                   "boot-start-marker", "boot-end-marker", "ip domain-name lab.local",
                   "ip scp server enable", "spanning-tree mode rapid-pvst"]
    for p in cfg.ports:
        cfg.interface(p)
    cfg.interface("Vlan1")
    cfg.vlans.update(vlans)
    return cfg
