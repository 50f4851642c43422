"""A simulated Supermicro SSE-X24S (SMIS, Aricent ISS CLI) that Netmiko ``supermicro_smis`` drives.

Prompts ``host#`` / ``host(config)#`` / ``host(config-if)#`` / ``host(config-vlan)#``; errors
``% Invalid Command`` / ``% Incomplete command.``; ``write startup-config`` answers ``[OK]``.
Output shapes are MODELLED (docs/smis-outputs.md), not captured from a real switch.  Modelled,
unverified ISS behaviour: link aggregation is disabled until ``set port-channel enable``
(``channel-group`` is then refused), a port-channel must exist before ``channel-group`` names
it, and ``mtu`` on a port-channel is applied to its current members (SEFOS guide).
``set port-channel disable`` drops every channel of the switch at once (the LA module is
switch-wide: no member is bundled and ``show etherchannel summary`` lists no channel) while
keeping their configuration.  ``lacp timeout`` is refused while link aggregation is disabled
and accepted on a port without LACP, where it has no effect; ``no lacp timeout`` resets it
(iS5Comm iMR320 CLI reference, an Aricent ISS derivative, "lacp timeout").
``spanning-tree portfast`` is taken on ports and port-channels with the SEFOS warning (SEFOS
PVRST+ Administration Guide E24664, "Configure the Spanning-Tree portfast Setting").
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from lagprov.errors import LabError
from lagprov.knowledge.mtu import SWITCH_MTU
from lagprov.knowledge.platforms import canonical_port
from lagprov.knowledge.platforms.base import HardwareModel
from lagprov.lab.base import CliReply, Faults, LagMode, LinkOutcome, PortFacts, device_lock
from lagprov.lab.smis import show as show
from lagprov.lab.smis.iface import HANDLERS, INCOMPLETE, INVALID, vlan_ok
from lagprov.lab.smis.state import SmisConfig, SmisIface, system_mac
from lagprov.lab.vlans import site_vlans
from lagprov.model.inventory import SwitchDevice
from lagprov.model.types import LacpRate, Platform

LA_DISABLED = "% Port-channel module is disabled"  # modelled ISS wording, unverified
NO_CHANNEL = "% Port-channel {n} does not exist"  # modelled ISS wording, unverified
NO_DEFAULT_VLAN = "% Default VLAN cannot be deleted"  # modelled ISS wording, unverified
_SESSION_LINES = re.compile(r"^(set cli pagination (on|off)|terminal width \d+|end|exit)$")


class FabricView(Protocol):
    """The part of the lab fabric a simulated switch relies on."""

    def link_outcomes(self, device: str) -> dict[str, LinkOutcome]: ...

    def faults(self, device: str) -> Faults: ...


class PortsLike(Protocol):
    """Port numbers of one device (lab-core's ``LabPorts``); only ``ssh`` is used here."""

    ssh: int


class SmisSwitch:
    """A stateful SSE-X24S: configuration, command log, port facts for the LACP engine."""

    platform = Platform.SUPERMICRO_SMIS.value

    def __init__(self, name: str, hardware: HardwareModel, fabric: FabricView,
                 vlans: tuple[int, ...] = ()) -> None:
        self.name = name
        self.hardware = hardware
        self.fabric = fabric
        self.system_mac = system_mac(name)
        self.lock: threading.RLock = device_lock(fabric)  # the lab's one lock
        self.command_log: list[str] = []
        self.config = SmisConfig(ports={p: SmisIface() for p in hardware.port_names()},
                                 vlans={v for v in vlans if v != 1})

    @property
    def default_mtu(self) -> int:
        return self.hardware.mtu_default

    def port_facts(self) -> dict[str, PortFacts]:
        """Facts of every front-panel port (link aggregation ignored while disabled)."""
        sem = SWITCH_MTU[Platform.SUPERMICRO_SMIS]
        down = self.fabric.faults(self.name).down_ports
        facts: dict[str, PortFacts] = {}
        with self.lock:
            cfg = self.config
            for port, iface in cfg.ports.items():
                po = cfg.channels.get(iface.channel) if iface.channel is not None else None
                in_lag = cfg.la_enabled and po is not None
                facts[port] = PortFacts(
                    port=port,
                    admin_up=not iface.shutdown and not (in_lag and po is not None and po.shutdown),
                    link_up=port not in down,
                    speed_mbps=self.hardware.port_speed(port) or 10000,
                    channel=iface.channel if in_lag else None,
                    mode=iface.lag_mode if in_lag else None,
                    rate=LacpRate.FAST if iface.lacp_fast else LacpRate.SLOW,
                    mtu_ip=sem.to_ip(iface.mtu or self.default_mtu),
                    channel_mtu_ip=sem.to_ip(po.mtu or self.default_mtu) if in_lag and po else None,
                )
        return facts

    def open_cli(self, username: str) -> SmisCli:  # noqa: ARG002
        """A new CLI session."""
        return SmisCli(self)

    def running_config(self) -> str:
        """``show running-config``."""
        with self.lock:
            return show.running_config(self.config, self.hardware.name)

    def load_config(self, lines: list[str]) -> None:
        """Apply ``lines`` as if typed in configuration mode (LabError on the first error)."""
        cli = SmisCli(self)
        cli.mode = "config"
        for line in lines:
            if line.strip() in ("configure terminal", "conf t"):
                continue
            reply = cli.handle(line)
            if reply.output.startswith("%"):
                raise LabError(f"{self.name}: {line!r}: {reply.output.strip()}")
            if cli.mode == "exec":
                cli.mode = "config"

    def show(self, command: str) -> str | None:
        """Output of a show command, or None if it is not one this switch knows."""
        words = command.split()
        outcomes = self.fabric.link_outcomes(self.name)
        with self.lock:
            cfg = self.config
            match words:
                case ["show", "etherchannel", "summary"]:
                    return show.etherchannel_summary(cfg, self.system_mac, outcomes)
                case ["show", "etherchannel", "detail"]:
                    return show.etherchannel_detail(cfg, outcomes)
                case ["show", "etherchannel", n, "detail"] if n.isdigit():
                    return show.etherchannel_detail(cfg, outcomes, int(n))
                case ["show", "interface" | "interfaces", "mtu"]:
                    return show.interface_mtu(cfg, self.default_mtu)
                case ["show", "running-config"]:
                    return show.running_config(cfg, self.hardware.name)
                case ["show", "vlan", "brief"]:
                    return show.vlan_brief(cfg)
                case ["show", "version"]:
                    return show.show_version(self.hardware.name)
        return None


@dataclass
class _Target:
    port: str | None = None
    channel: int | None = None


class SmisCli:
    """One CLI session: exec, config, config-if and config-vlan modes."""

    def __init__(self, switch: SmisSwitch) -> None:
        self.sw = switch
        self.mode = "exec"
        self.target = _Target()
        self.config_lines = 0

    def banner(self) -> str:
        return ""

    def prompt(self) -> str:
        suffix = {"exec": "", "config": "(config)", "config-if": "(config-if)"}
        return f"{self.sw.name}{suffix.get(self.mode, '(config-vlan)')}#"

    def handle(self, line: str) -> CliReply:
        text = line.strip()
        if not text:
            return CliReply()
        faults = self.sw.fabric.faults(self.sw.name)
        if any(s in text for s in faults.reject_commands):
            return CliReply(INVALID + "\n")
        if text.startswith("show "):
            out = self.sw.show(text)
            return CliReply(INVALID + "\n" if out is None else out)
        if self.mode == "exec":
            return self._exec(text)
        logged = not _SESSION_LINES.match(text)
        with self.sw.lock:
            if logged:
                self.sw.command_log.append(text)
            error = self._config(text)
        if logged:
            self.config_lines += 1
            limit = faults.drop_after_config_lines
            if limit is not None and self.config_lines >= limit:
                faults.drop_after_config_lines = None  # one drop: the next session works
                return CliReply(close=True)
        return CliReply(error + "\n" if error else "")

    def _exec(self, text: str) -> CliReply:
        if text in ("configure terminal", "conf t", "config t", "configure"):
            self.mode = "config"
            return CliReply()
        if text == "write startup-config":
            return CliReply(
                "\nBuilding configuration, Please wait. May take a few minutes ...\n[OK]\n"
            )
        if text == "exit":
            return CliReply(close=True)
        if text in ("end", "set cli pagination off", "no cli pagination") or text.startswith(
            "terminal width "
        ):
            return CliReply()
        return CliReply(INVALID + "\n")

    def _config(self, text: str) -> str:
        """Run one configuration line; return an error string or ''."""
        words = text.split()
        if words[0] == "end":
            self.mode, self.target = "exec", _Target()
            return ""
        if words[0] == "exit":
            self.mode = "exec" if self.mode == "config" else "config"
            self.target = _Target()
            return ""
        if words[0] == "interface":
            return self._enter_interface(words[1:])
        if self.mode == "config-if":
            return self._iface_command(words)
        if self.mode == "config-vlan":
            return "" if words[0] == "name" and len(words) > 1 else INVALID
        return self._global_command(words)

    def _global_command(self, words: list[str]) -> str:
        cfg = self.sw.config
        match words:
            case ["set", "cli", "pagination", "on" | "off"] | ["terminal", "width", _]:
                return ""
            case ["set", "port-channel", "enable" | "disable" as state]:
                cfg.la_enabled = state == "enable"
                return ""
            case ["set", "port-channel"]:
                return INCOMPLETE
            case ["vlan", n] if vlan_ok(n):
                cfg.vlans.add(int(n))
                self.mode = "config-vlan"
                return ""
            case ["no", "vlan", "1"]:
                return NO_DEFAULT_VLAN
            case ["no", "vlan", n] if vlan_ok(n):
                cfg.vlans.discard(int(n))
                return ""
            case ["no", "interface", "port-channel" | "po", n] if n.isdigit():
                if cfg.channels.pop(int(n), None) is None:
                    return NO_CHANNEL.format(n=n)
                for port in cfg.members(int(n)):
                    cfg.ports[port].channel = cfg.ports[port].lag_mode = None
                return ""
            case ["vlan"] | ["no"] | ["no", "interface"] | ["no", "vlan"]:
                return INCOMPLETE
        return INVALID

    def _enter_interface(self, rest: list[str]) -> str:
        if not rest:
            return INCOMPLETE
        if rest[0].lower() in ("port-channel", "po"):
            if len(rest) != 2 or not rest[1].isdigit() or not 1 <= int(rest[1]) <= 65535:
                return INCOMPLETE if len(rest) == 1 else INVALID
            self.sw.config.channels.setdefault(int(rest[1]), SmisIface())
            self.target = _Target(channel=int(rest[1]))
        else:
            try:
                port = canonical_port(Platform.SUPERMICRO_SMIS, " ".join(rest))
            except ValueError:
                return INVALID
            if port not in self.sw.config.ports:
                return INVALID
            self.target = _Target(port=port)
        self.mode = "config-if"
        return ""

    def _iface(self) -> SmisIface:
        cfg = self.sw.config
        if self.target.port is not None:
            return cfg.ports[self.target.port]
        assert self.target.channel is not None
        return cfg.channels[self.target.channel]

    def _iface_command(self, words: list[str]) -> str:
        iface = self._iface()
        is_port = self.target.port is not None
        for handler in HANDLERS:
            result = handler(iface, words)
            if result is not None:
                return result
        if words[0] == "mtu" or words[:2] == ["no", "mtu"]:
            return self._mtu(iface, words)
        if is_port and ("channel-group" in words[:2] or "lacp" in words[:2]):
            return self._lag(iface, words)
        return INVALID

    def _mtu(self, iface: SmisIface, words: list[str]) -> str:
        hw = self.sw.hardware
        if words[0] == "no":
            value = None
        elif len(words) < 2:
            return INCOMPLETE
        elif not words[1].isdigit() or not hw.mtu_min <= int(words[1]) <= hw.mtu_max:
            return INVALID
        else:
            value = int(words[1])
        iface.mtu = value
        if self.target.channel is not None:  # ISS applies the channel MTU to its members
            for port in self.sw.config.members(self.target.channel):
                self.sw.config.ports[port].mtu = value
        return ""

    def _lag(self, iface: SmisIface, words: list[str]) -> str:
        cfg = self.sw.config
        match words:
            case ["no", "channel-group"]:
                iface.channel = iface.lag_mode = None
                return ""
            case ["channel-group", n, "mode", "active" | "passive" | "on" as mode] if n.isdigit():
                if not cfg.la_enabled:
                    return LA_DISABLED
                if int(n) not in cfg.channels:
                    return NO_CHANNEL.format(n=n)
                iface.channel, iface.lag_mode = int(n), LagMode(mode)
                return ""
            case ["channel-group", *_] if len(words) < 4:
                return INCOMPLETE
            case ["lacp", "timeout", "short" | "long"] | ["no", "lacp", "timeout"] if (
                    not cfg.la_enabled):
                return LA_DISABLED  # "only if the LA functionality is started and enabled"
            case ["lacp", "timeout", "short" | "long" as timeout]:
                iface.lacp_fast = timeout == "short"
                return ""
            case ["no", "lacp", "timeout"]:
                iface.lacp_fast = False
                return ""
            case ["lacp"] | ["lacp", "timeout"] | ["no", "lacp"]:
                return INCOMPLETE
        return INVALID


def create_switch(device: SwitchDevice, hardware: HardwareModel, fabric: FabricView) -> SmisSwitch:
    """A simulated SMIS switch for ``device``, with the site's VLANs (:mod:`lagprov.lab.vlans`)."""
    site = tuple(site_vlans(getattr(fabric, "inventory", None), device.name))
    return SmisSwitch(device.name, hardware, fabric, site)


async def serve(
    switch: SmisSwitch, address: str, ports: PortsLike, users: Mapping[str, str]
) -> list[object]:
    """Serve the switch's CLI over SSH on ``address:ports.ssh``; returns closable handles."""
    from lagprov.lab.ssh import start_ssh_server

    factory: Callable[[str], SmisCli] = switch.open_cli
    acceptor = await start_ssh_server(
        address=address,
        port=ports.ssh,
        users=users,
        session_factory=factory,
        faults=switch.fabric.faults(switch.name),
    )
    return [acceptor]
