"""Support for the SMIS tests (no tests here): a fake fabric with one host on Ex 0/1-2."""

from __future__ import annotations

from dataclasses import dataclass, field

from lagprov.knowledge.platforms.hardware import HARDWARE
from lagprov.lab.base import Faults, HostPortFacts, LinkOutcome
from lagprov.lab.lacp import resolve_links
from lagprov.lab.smis.switch import SmisCli, SmisSwitch
from lagprov.model.inventory import Cable

HOST_MAC = "52:54:00:aa:bb:cc"


@dataclass
class FakeFabric:
    """link_outcomes via the real LACP engine; the host's team is settable."""

    host_team: tuple[str, bool, bool] = ("802.3ad", True, False)
    host_mtu: int = 9000
    faults_: Faults = field(default_factory=Faults)
    switch: SmisSwitch | None = None

    def faults(self, device: str) -> Faults:
        return self.faults_

    def host_ports(self) -> dict[str, HostPortFacts]:
        team, lacp, static = self.host_team
        return {
            nic: HostPortFacts(
                nic=nic, link_up=True, speed_mbps=10000, team=team, lacp=lacp, static=static
            )
            for nic in ("eth0", "eth1")
        }

    def link_outcomes(self, device: str) -> dict[str, LinkOutcome]:
        assert self.switch is not None
        cables = [
            Cable(a_device=device, a_port=f"Ex 0/{i + 1}", b_device="srv1", b_port=f"eth{i}")
            for i in range(2)
        ]
        out = resolve_links(
            {device: self.switch.port_facts()},
            {device: self.switch.system_mac},
            {"srv1": self.host_ports()},
            {"srv1": HOST_MAC},
            cables,
        )
        return {port: o for (dev, port), o in out.items() if dev == device}


def make_switch(name: str = "sse-x24s-1") -> tuple[SmisSwitch, FakeFabric]:
    hw = HARDWARE["SSE-X24S"]
    fabric = FakeFabric()
    switch = SmisSwitch(name, hw, fabric)
    fabric.switch = switch
    return switch, fabric


def run(cli: SmisCli, *lines: str) -> str:
    """Feed lines; return the concatenated outputs."""
    return "".join(cli.handle(line).output for line in lines)


LAG_CONFIG = (
    "configure terminal",
    "set port-channel enable",
    "interface port-channel 1",
    'description "eonstor01-tg1"',
    "mtu 9216",
    "switchport mode access",
    "switchport access vlan 100",
    "no shutdown",
    "exit",
    "interface Ex 0/1",
    'description "eonstor01-tg1"',
    "mtu 9216",
    "switchport mode access",
    "switchport access vlan 100",
    "channel-group 1 mode active",
    "lacp timeout short",
    "no shutdown",
    "exit",
    "interface ex 0/2",
    "mtu 9216",
    "channel-group 1 mode active",
    "end",
)
