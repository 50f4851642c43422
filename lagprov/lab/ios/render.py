"""The running configuration of a lab IOS switch, as IOS prints it."""

from __future__ import annotations

from lagprov.lab.ios.config import IosConfig, IosInterface
from lagprov.lab.ios.parse import format_vlans


def _interface_lines(itf: IosInterface) -> list[str]:
    lines = [f"interface {itf.name}"]
    if itf.description:
        lines.append(f" description {itf.description}")
    if itf.access_vlan is not None:
        lines.append(f" switchport access vlan {itf.access_vlan}")
    if itf.native is not None:
        lines.append(f" switchport trunk native vlan {itf.native}")
    if itf.allowed is not None:
        lines.append(f" switchport trunk allowed vlan {format_vlans(itf.allowed) or 'none'}")
    if itf.mode is not None:
        lines.append(f" switchport mode {itf.mode}")
    lines += [f" {e}" for e in itf.extras if e.startswith(("switchport", "speed", "duplex"))]
    if itf.min_links is not None:
        lines.append(f" port-channel min-links {itf.min_links}")
    if itf.name.startswith("Vlan"):
        lines.append(" no ip address")
    if itf.shutdown:
        lines.append(" shutdown")
    lines += [f" {e}" for e in itf.extras if not e.startswith(("switchport", "speed", "duplex"))]
    # 'lacp rate' after 'channel-group', as a public running-config shows them, so that a
    # saved configuration replays on a switch that takes 'lacp rate' only on an LACP port
    if itf.group is not None and itf.lag_mode is not None:
        lines.append(f" channel-group {itf.group} mode {itf.lag_mode.value}")
    if itf.rate_fast:
        lines.append(" lacp rate fast")
    return lines


def render_config(cfg: IosConfig) -> list[str]:
    """The configuration as IOS prints it after ``Current configuration``, ending in ``end``."""
    head = [g for g in cfg.globals if g.startswith(("version", "service", "no service"))]
    boot = [g for g in cfg.globals if g.startswith("boot-")]
    rest = [g for g in cfg.globals if g not in head and g not in boot]
    lines = ["!", *head, "!", f"hostname {cfg.hostname}", "!", *boot, "!"]
    if cfg.system_mtu is not None:
        lines.append(f"system mtu {cfg.system_mtu}")
    if cfg.jumbo_mtu is not None:
        lines.append(f"system mtu jumbo {cfg.jumbo_mtu}")
    lines += [*rest, "!"]
    order = [f"Port-channel{n}" for n in cfg.channels()]
    order += [p for p in cfg.ports] + [n for n in cfg.interfaces if n.startswith("Vlan")]
    for name in order:
        if name in cfg.interfaces:
            lines += [*_interface_lines(cfg.interfaces[name]), "!"]
    lines += ["line con 0", "line vty 0 4", " login local", " transport input ssh", "!", "end"]
    return lines
