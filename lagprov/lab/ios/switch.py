"""Simulated Cisco Catalyst (2960-S IOS 15.0(2)SE, 9300 IOS-XE 17.x) for the lab."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import threading
import time
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

import asyncssh

from lagprov.errors import LabError
from lagprov.knowledge.platforms import get_spec
from lagprov.knowledge.platforms.base import HardwareModel, MtuScope
from lagprov.lab.base import CliSession, LagMode, LinkOutcome, PortFacts, device_lock
from lagprov.lab.fabric import LabFabricView, LabPorts
from lagprov.lab.ios.cli import IosCli
from lagprov.lab.ios.config import (
    Context,
    IosConfig,
    IosConfigurator,
    default_config,
)
from lagprov.lab.ios.parse import IosCliError
from lagprov.lab.ios.render import render_config
from lagprov.lab.ios.show import ShowData
from lagprov.lab.ssh import start_ssh_server
from lagprov.lab.vlans import site_vlans
from lagprov.model.inventory import SwitchDevice
from lagprov.model.state import MemberStatus
from lagprov.model.types import LacpRate

ENABLE_SECRET = "lab-secret"
# Config-mode lines that change the CLI session, not the device: never in command_log.
_NOT_LOGGED = ("end", "exit", "file prompt quiet", "no file prompt quiet")


def _mac_for(name: str) -> str:
    h = hashlib.sha256(name.encode()).hexdigest()
    return "00:1e:" + ":".join(h[i:i + 2] for i in range(0, 8, 2))


class IosSwitch:
    """A Catalyst switch: running/startup config, flash folder, LACP facts, show data."""

    platform = "cisco_ios"

    def __init__(self, device: SwitchDevice, hardware: HardwareModel,
                 fabric: LabFabricView) -> None:
        self.name = device.name
        self.device = device
        self.hardware = hardware
        self.fabric = fabric
        self.system_mac = _mac_for(device.name)
        self.lock: threading.RLock = device_lock(fabric)  # the lab's one lock
        self.command_log: list[str] = []
        self.flash = Path(tempfile.mkdtemp(prefix=f"lagprov-lab-{device.name}-flash-"))
        # the site's VLANs exist at start (lagprov.lab.vlans): the example plans and applies
        site = tuple(site_vlans(getattr(fabric, "inventory", None), device.name))
        self.running = default_config(device.name, hardware, site)
        self.startup = self.running.clone()
        self.boot_time = time.monotonic()
        self._booted_mtu = (self.running.system_mtu, self.running.jumbo_mtu)

    @property
    def jumbo_scope(self) -> bool:
        """True on 2960-S style switches ('system mtu jumbo', reload needed)."""
        return self.hardware.mtu_scope is MtuScope.SYSTEM_JUMBO

    def system_mtus(self) -> tuple[int, int]:
        """Effective (system MTU, jumbo MTU) now (9300: jumbo == system)."""
        default = self.hardware.mtu_default
        if self.jumbo_scope:
            system, jumbo = self._booted_mtu
            return system or default, jumbo or default
        mtu = self.running.system_mtu or default
        return mtu, mtu

    def port_mtu(self) -> int:
        """Effective IP MTU of the (Gigabit and faster) front-panel ports."""
        return self.system_mtus()[1]

    def configurator(self, cfg: IosConfig | None = None) -> IosConfigurator:
        """An interpreter over ``cfg`` (default: the running config)."""
        return IosConfigurator(cfg or self.running, self.hardware,
                               get_spec(self.device.platform).channel_max)

    def log(self, line: str) -> None:
        """Record a configuration line in ``command_log``."""
        text = line.strip()
        if text and not text.startswith("!") and text not in _NOT_LOGGED:
            with self.lock:
                self.command_log.append(line)

    # ---- LabSwitch --------------------------------------------------------------------
    def port_facts(self) -> dict[str, PortFacts]:
        """LACP-relevant facts of every front-panel port."""
        with self.lock:
            down = self.fabric.faults(self.name).down_ports
            facts: dict[str, PortFacts] = {}
            for port in self.running.ports:
                itf = self.running.interfaces[port]
                po = self.running.interfaces.get(f"Port-channel{itf.group}")
                facts[port] = PortFacts(
                    port=port, admin_up=not itf.shutdown, link_up=port not in down,
                    speed_mbps=self.hardware.port_speed(port) or 1000, channel=itf.group,
                    mode=itf.lag_mode, rate=LacpRate.FAST if itf.rate_fast else LacpRate.SLOW,
                    mtu_ip=self.port_mtu(), min_links=po.min_links if po else None)
            return facts

    def open_cli(self, username: str) -> CliSession:
        """A new interactive session (user exec mode)."""
        return IosCli(self, username)

    # ---- state seen by the show commands -----------------------------------------------
    def statuses(self, outcomes: Mapping[str, LinkOutcome]) -> dict[str, MemberStatus]:
        """Member status per port: the LACP outcome, but suspended if its L2 setup differs."""
        out: dict[str, MemberStatus] = {}
        for port in self.running.ports:
            itf = self.running.interfaces[port]
            outcome = outcomes.get(port)
            status = outcome.status if outcome is not None else MemberStatus.DOWN
            if itf.shutdown:
                status = MemberStatus.DOWN
            po = self.running.interfaces.get(f"Port-channel{itf.group}")
            if (po is not None and status is not MemberStatus.DOWN
                    and po.switchport_key() != itf.switchport_key()):
                status = MemberStatus.SUSPENDED
            if itf.group is not None and itf.lag_mode is LagMode.ON and status in (
                    MemberStatus.WAITING, MemberStatus.INDIVIDUAL):
                status = MemberStatus.BUNDLED
            out[port] = status
        return out

    def show_data(self) -> ShowData:
        """A consistent snapshot for the show commands."""
        outcomes = self.fabric.link_outcomes(self.name)
        with self.lock:
            return ShowData(
                cfg=self.running.clone(), status=self.statuses(outcomes), outcomes=outcomes,
                speeds={p: self.hardware.port_speed(p) or 1000 for p in self.running.ports},
                mtu=self.port_mtu(), mac=self.system_mac,
                new_style=not self.jumbo_scope)

    def running_config(self) -> str:
        """``show running-config`` text."""
        with self.lock:
            body = "\n".join(render_config(self.running)) + "\n"
        return f"Building configuration...\n\nCurrent configuration : {len(body)} bytes\n{body}"

    def config_text(self, cfg: IosConfig | None = None) -> str:
        """The configuration as written to a file (``copy running-config flash:x``)."""
        return "\n".join(render_config(cfg or self.running)) + "\n"

    # ---- changes ----------------------------------------------------------------------
    def apply_lines(self, lines: Iterable[str], cfg: IosConfig | None = None, *,
                    reject: Collection[str] = ()) -> tuple[str, str]:
        """Apply config lines as ``copy <file> running-config`` does.

        ``reject``: substrings refused as invalid input (the ``reject_commands`` fault).

        Returns (output, error): ``error`` is the failing line with its IOS error text
        (empty if every line was accepted); application stops at the first invalid line.
        """
        conf = self.configurator(cfg)
        ctx = Context()
        out: list[str] = []
        with self.lock:
            for raw in lines:
                line = raw.rstrip("\r\n")
                if line.startswith(("Building configuration", "Current configuration")):
                    continue
                try:
                    if any(bad and bad in line for bad in reject):
                        raise IosCliError("invalid", len(line) - len(line.lstrip()), line)
                    applied = conf.apply(ctx, line)
                except IosCliError as exc:
                    return "".join(out), f"{line}\n{exc.render(0)}"
                self.log(line)
                out.append(applied.output)
        return "".join(out), ""

    def load_config(self, lines: Iterable[str]) -> None:
        """Apply lines as typed in config mode (LabError at the first rejected line)."""
        _, error = self.apply_lines(lines)
        if error:
            raise LabError(f"{self.name} rejected configuration:\n{error}")

    def replace_config(self, text: str) -> str:
        """``configure replace``: the config becomes exactly ``text``; '' or the error text."""
        fresh = IosConfig(hostname=self.running.hostname, ports=self.running.ports)
        for p in fresh.ports:
            fresh.interface(p)
        fresh.vlans = set(self.running.vlans)  # the VLAN database is not the configuration
        _, error = self.apply_lines(text.splitlines(), fresh)
        if error:
            return error
        with self.lock:
            self.running = fresh
        return ""

    def save(self) -> None:
        """``write memory``."""
        with self.lock:
            self.startup = self.running.clone()

    def reload(self) -> None:
        """Reboot: the startup config becomes running and pending MTU changes take effect."""
        with self.lock:
            vlans = self.running.vlans  # vlan.dat survives a reload
            self.running = self.startup.clone()
            self.running.vlans = vlans
            self._booted_mtu = (self.running.system_mtu, self.running.jumbo_mtu)
            self.boot_time = time.monotonic()

    def close(self) -> None:
        """Remove the flash folder."""
        shutil.rmtree(self.flash, ignore_errors=True)


def create_switch(device: SwitchDevice, hardware: HardwareModel,
                  fabric: LabFabricView) -> IosSwitch:
    """The platform hook the fabric calls."""
    return IosSwitch(device, hardware, fabric)


async def serve(switch: IosSwitch, address: str, ports: LabPorts,
                users: Mapping[str, str]) -> list[asyncssh.SSHAcceptor]:
    """Serve the CLI (and SCP into its flash folder) on ``address:ports.ssh``."""
    faults = switch.fabric.faults(switch.name)
    acceptor = await start_ssh_server(address=address, port=ports.ssh, users=users,
                                      session_factory=switch.open_cli, faults=faults,
                                      scp_root=switch.flash)
    return [acceptor]
