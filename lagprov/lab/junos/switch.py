"""A simulated Juniper EX switch (EX3300 classic / EX4300 ELS) for the lab.

Public API (agreed in the lab contracts):

* :func:`create_switch` ``(device, hardware, fabric) -> JunosSwitch`` (a ``LabSwitch``);
* :func:`serve` ``(switch, address, ports, users)``: SSH CLI on ``ports.ssh`` and NETCONF
  (``netconf`` subsystem) on ``ports.netconf`` (when set); returns closable handles.

The CLI is :mod:`lagprov.lab.junos.cli`, the NETCONF server :mod:`lagprov.lab.junos.netconf`,
the configuration databases :mod:`lagprov.lab.junos.db`.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from collections.abc import Mapping, Sequence
from typing import Protocol

from lagprov.errors import LabError
from lagprov.knowledge.platforms.base import HardwareModel
from lagprov.lab.base import CliSession, Faults, LinkOutcome, PortFacts, device_lock
from lagprov.lab.junos.cli import JunosCli
from lagprov.lab.junos.db import ConfigDB, TimerFactory, thread_timer
from lagprov.lab.junos.facts import AeView, ae_views, initial_lines, member_of
from lagprov.lab.junos.netconf import netconf_subsystem
from lagprov.lab.junos.schema import Node, build_schema, parse_statement, tokenize
from lagprov.lab.junos.show import MemberLacp, member_lacp
from lagprov.lab.junos.show_if import AeState
from lagprov.lab.junos.tree import Config
from lagprov.lab.ssh import start_ssh_server
from lagprov.model.inventory import SwitchDevice
from lagprov.model.state import MemberStatus
from lagprov.model.types import LacpRate

VERSIONS = {"els": "21.4R3-S5.4", "classic": "12.3R12.4"}
_session_ids = itertools.count(1)


class FabricView(Protocol):
    """The part of lab-core's ``LabFabricView`` a Junos switch uses."""

    def link_outcomes(self, device: str) -> dict[str, LinkOutcome]: ...

    def faults(self, device: str) -> Faults: ...


class JunosSwitch:
    """One EX switch: configuration databases, facts for the LACP engine, CLI sessions."""

    platform = "juniper_junos"

    def __init__(self, name: str, hardware: HardwareModel, fabric: FabricView, *,
                 timer_factory: TimerFactory = thread_timer, site: Sequence[str] = ()) -> None:
        self.name = name
        self.hardware = hardware
        self.fabric = fabric
        self.vlan_style = hardware.vlan_style or "els"
        digest = hashlib.sha256(name.encode()).digest()
        self.system_mac = "2c:6b:f5:" + ":".join(f"{b:02x}" for b in digest[:3])
        self.lock: threading.RLock = device_lock(fabric)  # the lab's one lock
        self.command_log: list[str] = []
        self.schema: Node = build_schema(hardware.mtu_min, hardware.mtu_max)
        initial = Config()
        for line in (f"version {VERSIONS[self.vlan_style]}", f"system host-name {name}",
                     *(s.removeprefix("set ") for s in site)):
            initial.set(parse_statement(self.schema, tokenize(line)))
        self.db = ConfigDB(initial, vlan_style=self.vlan_style, lock=self.lock,
                           faults=self.faults, timer_factory=timer_factory)

    # -- LabSwitch -----------------------------------------------------------------------
    def faults(self) -> Faults:
        return self.fabric.faults(self.name)

    @property
    def hostname(self) -> str:
        with self.lock:
            return self.db.committed.value("system", "host-name") or self.name

    def aes(self) -> dict[str, AeView]:
        with self.lock:
            return ae_views(self.db.committed, self.hardware.mtu_default)

    def port_facts(self) -> dict[str, PortFacts]:
        with self.lock:
            config = self.db.committed
            aes = ae_views(config, self.hardware.mtu_default)
            down = set(self.faults().down_ports)
            facts = {}
            for port in self.hardware.port_names():
                ae = aes.get(member_of(config, port) or "")
                mtu = int(config.value("interfaces", port, "mtu") or 0) or None
                facts[port] = PortFacts(
                    port=port,
                    admin_up=config.get("interfaces", port, "disable") is None,
                    link_up=port not in down,
                    speed_mbps=self.hardware.port_speed(port) or 1000,
                    channel=ae.number if ae else None,
                    mode=ae.mode if ae else None,
                    rate=ae.rate if ae else LacpRate.SLOW,
                    mtu_ip=(mtu - 14) if mtu else (ae.ip_mtu if ae else
                                                   self.hardware.mtu_default - 14),
                    channel_mtu_ip=ae.ip_mtu if ae else None,
                    min_links=ae.min_links if ae else None,
                )
            return facts

    def open_cli(self, username: str) -> CliSession:
        return JunosCli(self, username, f"cli-{next(_session_ids)}")

    def load_config(self, lines: Sequence[str]) -> None:
        """Type ``lines`` in configuration mode and commit them (fabric helper)."""
        cli = self.open_cli("lab")
        for line in ("configure", *lines, "commit and-quit"):
            out = cli.handle(line).output
            if "error" in out.lower():
                raise LabError(f"{self.name}: {line!r}: {out.strip()}")

    def running_config(self) -> str:
        """The committed configuration as ``display set`` lines."""
        with self.lock:
            return "\n".join(self.db.committed.display_set()) + "\n"

    # -- state for show commands -------------------------------------------------------------
    def outcome(self, outcomes: Mapping[str, LinkOutcome], port: str) -> LinkOutcome:
        if port in self.faults().down_ports:
            return LinkOutcome(status=MemberStatus.DOWN)
        return outcomes.get(port, LinkOutcome(status=MemberStatus.DOWN))

    def ae_state(self, ae: AeView) -> AeState:
        outcomes = self.fabric.link_outcomes(self.name)
        members: list[MemberLacp] = []
        up: list[str] = []
        speed = 0
        for index, port in enumerate(ae.members):
            outcome = self.outcome(outcomes, port)
            members.append(member_lacp(ae, index, port, outcome, self.system_mac))
            if outcome.status is MemberStatus.BUNDLED:
                up.append(port)
                speed += self.hardware.port_speed(port) or 0
        return AeState(ae, members, tuple(up), speed, self.system_mac)

    def close(self) -> None:
        self.db.close()


def create_switch(device: SwitchDevice, hardware: HardwareModel,
                  fabric: FabricView) -> JunosSwitch:
    """The lab's Junos switch for ``device`` (EX3300 classic or EX4300 ELS by ``hardware``),
    with factory-default ports and the site's VLANs (:func:`facts.initial_lines`)."""
    inventory = getattr(fabric, "inventory", None)  # the lab fabric's own Inventory
    return JunosSwitch(device.name, hardware, fabric,
                       site=initial_lines(hardware, inventory, device.name))


class _Ports(Protocol):
    @property
    def ssh(self) -> int: ...

    @property
    def netconf(self) -> int | None: ...


async def serve(switch: JunosSwitch, address: str, ports: _Ports,
                users: Mapping[str, str]) -> list[object]:
    """SSH CLI on ``ports.ssh``; NETCONF subsystem on ``ports.netconf`` (if not None).

    The SSH server also offers the ``netconf`` subsystem, as real Junos does on port 22.
    Port 0 picks a free port (read it back with ``handle.get_port()``).
    """
    faults = switch.faults()
    handles: list[object] = [await start_ssh_server(
        address=address, port=ports.ssh, users=users, session_factory=switch.open_cli,
        faults=faults, subsystems={"netconf": netconf_subsystem(switch)})]
    if ports.netconf is not None and (ports.netconf == 0 or ports.netconf != ports.ssh):
        handles.append(await start_ssh_server(
            address=address, port=ports.netconf, users=users,
            session_factory=switch.open_cli, faults=faults,
            subsystems={"netconf": netconf_subsystem(switch)}))
    return handles
