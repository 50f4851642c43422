"""What a committed Junos configuration means for LACP: aggregated interfaces and members."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lagprov.knowledge.mtu import SWITCH_MTU
from lagprov.knowledge.platforms import get_spec
from lagprov.knowledge.platforms.base import HardwareModel
from lagprov.lab.base import LagMode
from lagprov.lab.junos.tree import Config
from lagprov.lab.vlans import site_vlans
from lagprov.model.inventory import Inventory
from lagprov.model.types import LacpRate, Platform


@dataclass(frozen=True, slots=True)
class AeView:
    """One aggregated Ethernet interface as configured (and within device-count)."""

    name: str
    number: int
    members: tuple[str, ...]
    mode: LagMode  # ON = no `lacp` statement (static)
    rate: LacpRate
    min_links: int
    mtu: int  # media MTU
    description: str
    tagged: bool
    units: tuple[str, ...]
    enabled: bool
    system_id: str | None

    @property
    def ip_mtu(self) -> int:
        return SWITCH_MTU[Platform.JUNIPER_JUNOS].to_ip(self.mtu, tagged=self.tagged)


def lacp_rate(periodic: str | None) -> LacpRate:
    """``periodic fast|slow``; no statement runs the EX default, fast (vendor-cli.md 3.1)."""
    if periodic is None:
        return get_spec(Platform.JUNIPER_JUNOS).lacp_default_rate
    return LacpRate(periodic)


def initial_lines(hardware: HardwareModel, inventory: Inventory | None, device: str) -> list[str]:
    """The switch as it stands before lagprov touches it.

    * Every front-panel port is a factory-default layer-2 port: ``unit 0 family
      ethernet-switching`` (the EX factory configuration; an assumption [K], vendor-cli.md does
      not list it), so making it an ae member must remove the whole ``unit 0`` (issue 8 item 5).
    * The site's VLANs exist: ``default`` (id 1) and ``v<N>`` for every VLAN the inventory's
      trunks carry on this switch, because the lab's commit refuses a ``vlan members`` that no
      ``vlans`` entry defines (see :mod:`lagprov.lab.junos.db`).  A test removes one to see
      a change blocked.
    """
    lines = [f"set interfaces {port} unit 0 family ethernet-switching"
             for port in hardware.port_names()]
    lines.append("set vlans default vlan-id 1")
    lines.extend(f"set vlans v{n} vlan-id {n}" for n in site_vlans(inventory, device))
    return lines


def device_count(config: Config) -> int:
    return int(config.value("chassis", "aggregated-devices", "ethernet", "device-count") or 0)


def member_of(config: Config, ifname: str) -> str | None:
    """The ae an interface is a member of (ether-options or gigether-options 802.3ad)."""
    for opts in ("ether-options", "gigether-options"):
        ae = config.value("interfaces", ifname, opts, "802.3ad")
        if ae is not None:
            return ae
    return None


def _tagged(config: Config, ae: str, units: list[str]) -> bool:
    if config.get("interfaces", ae, "vlan-tagging") is not None:
        return True
    for unit in units:
        for mode in ("interface-mode", "port-mode"):
            if config.value("interfaces", ae, unit, "family", "ethernet-switching",
                            mode) == "trunk":
                return True
    return False


def ae_views(config: Config, default_mtu: int) -> dict[str, AeView]:
    """Every ae that exists (number below device-count), members in configuration order."""
    count = device_count(config)
    members: dict[str, list[str]] = {}
    for ifname in config.names("interfaces"):
        ae = member_of(config, ifname)
        if ae is not None:
            members.setdefault(ae, []).append(ifname)
    names = [n for n in config.names("interfaces") if re.fullmatch(r"ae\d+", n)]
    names += [n for n in members if n not in names]
    views: dict[str, AeView] = {}
    for name in names:
        number = int(name[2:])
        if number >= count:
            continue
        lacp = ("interfaces", name, "aggregated-ether-options", "lacp")
        if config.get(*lacp, "active") is not None:
            mode = LagMode.ACTIVE
        elif config.has(*lacp):
            mode = LagMode.PASSIVE  # "If you do not specify ... LACP remains passive"
        else:
            mode = LagMode.ON
        units = [n for n in config.names("interfaces", name) if n.startswith("unit ")]
        views[name] = AeView(
            name=name, number=number, members=tuple(members.get(name, ())), mode=mode,
            rate=lacp_rate(config.value(*lacp, "periodic")),
            min_links=int(config.value("interfaces", name, "aggregated-ether-options",
                                       "minimum-links") or 1),
            mtu=int(config.value("interfaces", name, "mtu") or default_mtu),
            description=config.value("interfaces", name, "description") or "",
            tagged=_tagged(config, name, units), units=tuple(units),
            enabled=config.get("interfaces", name, "disable") is None,
            system_id=config.value(*lacp, "system-id"),
        )
    return views
