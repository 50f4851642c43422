"""Support for the EOS tests (no tests here): a fake fabric with one host on Ethernet1-2."""

from __future__ import annotations

from dataclasses import dataclass, field

from lagprov.knowledge.platforms.hardware import HARDWARE
from lagprov.lab.base import Faults, HostPortFacts, LinkOutcome
from lagprov.lab.eos.cli import EosCli
from lagprov.lab.eos.switch import EosSwitch, create_switch
from lagprov.lab.lacp import resolve_links
from lagprov.model.inventory import Cable, SwitchDevice
from lagprov.model.types import Platform

HOST_MAC = "0c:1d:c0:f4:7b:39"
SECRET = "lab-secret"


@dataclass
class FakeFabric:
    """link_outcomes via the real LACP engine: host ``srv1`` eth0/eth1 on Ethernet1/2."""

    host_team: tuple[str, bool, bool] = ("802.3ad", True, False)  # team, lacp, static
    faults_: Faults = field(default_factory=Faults)
    switch: EosSwitch | None = None
    calls: int = 0

    def faults(self, device: str) -> Faults:
        return self.faults_

    def host_ports(self) -> dict[str, HostPortFacts]:
        team, lacp, static = self.host_team
        return {
            nic: HostPortFacts(nic=nic, link_up=True, speed_mbps=10000, team=team, lacp=lacp,
                               static=static, mtu_ip=9000)
            for nic in ("eth0", "eth1")
        }

    def link_outcomes(self, device: str) -> dict[str, LinkOutcome]:
        assert self.switch is not None
        self.calls += 1
        cables = [Cable(a_device=device, a_port=f"Ethernet{i + 1}", b_device="srv1",
                        b_port=f"eth{i}") for i in range(2)]
        out = resolve_links({device: self.switch.port_facts()}, {device: self.switch.system_mac},
                            {"srv1": self.host_ports()}, {"srv1": HOST_MAC}, cables)
        return {port: o for (dev, port), o in out.items() if dev == device}


def make_switch(name: str = "eos7120-1") -> tuple[EosSwitch, FakeFabric]:
    device = SwitchDevice(name=name, platform=Platform.ARISTA_EOS, hardware="DCS-7120T-4S",
                          address="127.0.42.15")
    fabric = FakeFabric()
    switch = create_switch(device, HARDWARE["DCS-7120T-4S"], fabric)
    fabric.switch = switch
    return switch, fabric


def enabled_cli(switch: EosSwitch) -> EosCli:
    """A CLI session already in privileged mode."""
    cli = EosCli(switch, "lab")
    cli.handle("enable")
    cli.handle(SECRET)
    assert cli.prompt().endswith("#")
    return cli


def run(cli: EosCli, *lines: str) -> str:
    """Feed lines; return the concatenated outputs."""
    return "".join(cli.handle(line).output for line in lines)


LAG_LINES = (
    "interface Port-Channel10",
    "description srv1-bond0",
    "mtu 9214",
    "switchport mode trunk",
    "switchport trunk allowed vlan 10,20",
    "port-channel min-links 1",
    "interface Ethernet1-2",
    "description srv1-bond0 member",
    "channel-group 10 mode active",
    "lacp rate fast",
)
