"""Simulated Arista EOS switch (any catalogued EOS model; its EOS train's LACP rate command,
``lacp rate`` or ``lacp timer``, from the hardware data): state, configuration sessions, servers.

Public API (see ``/tmp/lab_common.md``): :func:`create_switch`, :func:`serve`,
:class:`EosSwitch` (a :class:`~lagprov.lab.base.LabSwitch`), and
:meth:`EosSwitch.load_config` to load configuration text as typed in config mode.

State: ``running``, ``startup`` and ``flash:`` files are :class:`EosConfig` trees; a
configuration session works on its own copy and ``commit`` replaces the running config with it
(``commit timer`` keeps the old one to revert to, checked lazily).  Every configuration line
received (CLI config mode, sessions, eAPI, ``configure replace``) is appended to
``command_log`` under ``lock``.  Show commands read the LACP outcomes from the fabric *before*
taking the lock (the fabric calls back :meth:`EosSwitch.port_facts` of every switch).
"""

from __future__ import annotations

import difflib
import hashlib
import threading
import time
from collections import deque
from collections.abc import Mapping, Sequence
from typing import Protocol

from lagprov.errors import LabError
from lagprov.knowledge.platforms.base import HardwareModel
from lagprov.lab.base import CliSession, Faults, LinkOutcome, PortFacts, device_lock
from lagprov.lab.eos.apply import GLOBAL, EosInputError, apply_line
from lagprov.lab.eos.cli import EosCli
from lagprov.lab.eos.config import (
    EosConfig,
    colon_mac,
    default_config,
    lacp_keyword,
    port_channel,
    render_body,
    render_running_config,
)
from lagprov.lab.eos.device import ConfigSession
from lagprov.lab.eos.eapi import start_eapi_server
from lagprov.lab.eos.mlag import BLOCK as MLAG_BLOCK
from lagprov.lab.eos.mlag import MlagSide, MlagView, mlag_of, side, startup_block
from lagprov.lab.eos.state import EosView, colon
from lagprov.lab.ssh import start_ssh_server
from lagprov.lab.vlans import site_vlans
from lagprov.model.inventory import SwitchDevice
from lagprov.model.types import LacpRate

MAX_SAVED_SESSIONS = 1
MAX_OPEN_SESSIONS = 5
ENABLE_SECRET = "lab-secret"


class FabricView(Protocol):
    """What the switch uses of the lab fabric (``LabFabricView`` of ``lagprov.lab.fabric``)."""

    def link_outcomes(self, device: str) -> dict[str, LinkOutcome]: ...

    def faults(self, device: str) -> Faults: ...


class PortsLike(Protocol):
    """The port numbers :func:`serve` needs (``LabPorts`` of ``lagprov.lab.fabric``)."""

    @property
    def ssh(self) -> int: ...

    @property
    def eapi(self) -> int | None: ...


def _system_mac(name: str) -> str:
    digest = hashlib.sha256(name.encode()).digest()
    return colon(0x001C73000000 | (digest[0] << 16) | (digest[1] << 8))  # Arista OUI 00:1c:73


class EosSwitch:
    """One simulated EOS switch."""

    platform = "arista_eos"

    def __init__(self, device: SwitchDevice, hardware: HardwareModel, fabric: FabricView,
                 enable_secret: str = ENABLE_SECRET) -> None:
        self.name = device.name
        self.device = device
        self.hardware = hardware
        self.fabric = fabric
        self.enable_secret = enable_secret
        self.system_mac = _system_mac(device.name)
        self.serial = "JPE" + hashlib.sha256(device.name.encode()).hexdigest()[:8].upper()
        self.lock: threading.RLock = device_lock(fabric)  # the lab's one lock
        self.command_log: list[str] = []
        # Not a fault: the commands of the last eAPI ``runCmds`` requests received, one tuple
        # a request (``enable`` included, never its secret), for tests to count requests;
        # bounded, so that a lab left up does not grow with every read.
        self.eapi_requests: deque[tuple[str, ...]] = deque(maxlen=1024)
        self.ports = hardware.port_names()
        # the site's VLANs exist at start (lagprov.lab.vlans): the example plans and applies
        site = tuple(site_vlans(getattr(fabric, "inventory", None), device.name))
        self.running = default_config(device.name, self.ports, site,
                                      lacp_keyword(hardware.lacp_rate_keyword))
        if device.mlag_peer is not None:  # a declared MLAG pair: its MLAG block (lab.eos.mlag)
            pair = sorted((device.name, device.mlag_peer))
            self.running.globals[MLAG_BLOCK] = startup_block(
                device.mlag_domain or "mlag", f"10.255.255.{pair.index(device.mlag_peer) + 1}")
        self.startup = self.running.clone()
        self.flash: dict[str, EosConfig] = {}
        self.sessions: dict[str, ConfigSession] = {}
        self.boot_time = time.time()

    # ------------------------------------------------------------ LabSwitch
    def port_facts(self) -> dict[str, PortFacts]:
        """LACP facts of every front-panel port, in port order."""
        down = set(self.fabric.faults(self.name).down_ports)  # fabric first, then our lock
        mlag = self.mlag_view()
        with self.lock:
            self.expire_timers()
            out: dict[str, PortFacts] = {}
            cfg = self.running.interfaces
            mlag_ids = mlag_of(self.running)
            for port in self.ports:
                c = cfg[port]
                po = cfg.get(port_channel(c.channel)) if c.channel is not None else None
                po_mtu = po.mtu if po is not None else None
                # EOS members take their channel's MTU: never an MTU mismatch inside a channel.
                own = (po_mtu or self.hardware.mtu_default) if po is not None else c.mtu
                out[port] = PortFacts(
                    port=port,
                    admin_up=not c.shutdown,
                    link_up=port not in down,
                    speed_mbps=self.hardware.port_speed(port) or 10000,
                    channel=c.channel if c.mode is not None else None,
                    mode=c.mode,
                    rate=LacpRate.FAST if c.lacp_fast else LacpRate.SLOW,
                    mtu_ip=own if own is not None else self.hardware.mtu_default,
                    channel_mtu_ip=(po_mtu or self.hardware.mtu_default) if po else None,
                    min_links=po.min_links if po is not None else None,
                    lacp_system_id=colon_mac(po.lacp_system_id)
                    if po is not None and po.lacp_system_id is not None
                    else mlag.lacp_system_id(c.channel, mlag_ids),
                )
            return out

    # ------------------------------------------------------------ MLAG
    def _mlag_peer(self) -> EosSwitch | None:
        peer = getattr(self.fabric, "switches", {}).get(self.device.mlag_peer)
        return peer if isinstance(peer, EosSwitch) else None

    def mlag_side(self, outcomes: Mapping[str, LinkOutcome] | None = None) -> MlagSide:
        """This switch's side of its MLAG pair (lagprov.lab.eos.mlag)."""
        link_down = self.fabric.faults(self.name).mlag_peer_link_down
        with self.lock:
            return side(self.name, self.system_mac, self.running, link_down, outcomes)

    def mlag_view(self, *, ports: bool = False) -> MlagView:
        """The pair as this switch sees it; ``ports``: with the members' link states (for
        ``show mlag``), else only what the LACP engine needs (no outcomes: no recursion)."""
        peer = self._mlag_peer()
        mine = self.fabric.link_outcomes(self.name) if ports else None
        theirs = self.fabric.link_outcomes(peer.name) if ports and peer is not None else None
        return MlagView(self.mlag_side(mine), peer.mlag_side(theirs) if peer else None)

    def open_cli(self, username: str) -> CliSession:
        """A new interactive EOS CLI session."""
        return EosCli(self, username)

    # ------------------------------------------------------------ views
    def snapshot(self) -> EosView:
        """A consistent view for show commands (fabric queried before locking)."""
        outcomes = self.fabric.link_outcomes(self.name)
        with self.lock:
            self.expire_timers()
            return EosView(
                config=self.running.clone(), outcomes=outcomes, ports=self.ports,
                speeds={p: self.hardware.port_speed(p) or 10000 for p in self.ports},
                system_mac=self.system_mac, model=self.hardware.name, serial=self.serial,
                boot_time=self.boot_time, now=time.time(),
                mtu_default=self.hardware.mtu_default,
            )

    def running_text(self) -> str:
        """``show running-config``."""
        with self.lock:
            self.expire_timers()
            return render_running_config(self.running, self.hardware.name)

    def running_config(self) -> str:
        """The running configuration (``LabFabric.running_config``)."""
        return self.running_text()

    def faults(self) -> Faults:
        """This switch's faults, as set on the fabric."""
        return self.fabric.faults(self.name)

    # ------------------------------------------------------------ configuration
    def log(self, line: str) -> None:
        """Record a configuration line."""
        with self.lock:
            self.command_log.append(line)

    def log_request(self, commands: tuple[str, ...]) -> None:
        """Record one eAPI ``runCmds`` request (its commands, in order)."""
        with self.lock:
            self.eapi_requests.append(commands)

    def load_config(self, text: str | Sequence[str]) -> None:
        """Apply configuration (text or lines, as typed after ``configure``) to running."""
        lines = text.splitlines() if isinstance(text, str) else list(text)
        with self.lock:
            ctx = GLOBAL
            for raw in lines:
                line = raw.strip()
                if not line or line.startswith("!") or line == "end":
                    continue
                try:
                    ctx = apply_line(self.running, ctx, line)
                except EosInputError as err:
                    raise LabError(f"{self.name}: {err} in {line!r}") from err
                self.command_log.append(line)

    def write_memory(self) -> str:
        """``write memory`` / ``copy running-config startup-config``."""
        with self.lock:
            self.expire_timers()
            self.startup = self.running.clone()
        return "Copy completed successfully.\n"

    def copy(self, source: str, dest: str) -> str:
        """``copy A B`` between running-config, startup-config and ``flash:`` files."""
        with self.lock:
            self.expire_timers()
            config = self._file(source)
            if dest in ("startup-config", "flash:startup-config"):
                self.startup = config.clone()
            elif dest.startswith("flash:"):
                self.flash[dest.removeprefix("flash:").lstrip("/")] = config.clone()
            elif dest in ("running-config", "system:running-config"):
                self.command_log.append(f"copy {source} running-config")
                self.running = config.clone()
            else:
                raise KeyError(dest)
        return "Copy completed successfully.\n"

    def _file(self, source: str) -> EosConfig:
        if source in ("running-config", "system:running-config"):
            return self.running
        if source in ("startup-config", "flash:startup-config"):
            return self.startup
        return self.flash[source.removeprefix("flash:").lstrip("/")]

    def configure_replace(self, source: str) -> None:
        """``configure replace <file>`` (KeyError if the file does not exist)."""
        with self.lock:
            self.expire_timers()
            self.running = self._file(source).clone()
            self.command_log.append(f"configure replace {source}")

    # ------------------------------------------------------------ sessions
    def expire_timers(self) -> None:
        """Revert sessions whose commit timer ran out (lazy, on every access)."""
        with self.lock:
            now = time.monotonic()
            for name, s in list(self.sessions.items()):
                if s.state == "pendingCommitTimer" and s.commit_by is not None \
                        and now >= s.commit_by and s.revert_to is not None:
                    self.running = s.revert_to
                    del self.sessions[name]

    def open_session(self, name: str) -> ConfigSession:
        """Enter (create or resume) session ``name``; ValueError if it cannot be entered."""
        with self.lock:
            self.expire_timers()
            s = self.sessions.get(name)
            if s is not None and s.state != "pending":
                raise ValueError(f"% Cannot enter session {name} (session is {s.state})")
            if s is None:
                if sum(x.state == "pending" for x in self.sessions.values()) >= \
                        MAX_OPEN_SESSIONS:
                    raise ValueError("% Maximum number of pending sessions has been reached")
                s = self.sessions[name] = ConfigSession(self.running.clone())
            return s

    def commit_session(self, name: str, timer_s: float | None = None) -> None:
        """Commit (or confirm a timed commit of) session ``name``; KeyError if unknown."""
        with self.lock:
            self.expire_timers()
            s = self.sessions[name]
            if s.state == "completed":
                raise ValueError(f"% Session {name} has already been committed")
            if s.state == "pending":
                previous = self.running
                self.running = s.config.clone()
                if timer_s is not None:
                    s.state, s.revert_to = "pendingCommitTimer", previous
                    s.commit_by = time.monotonic() + timer_s
                    return
            s.state, s.completed, s.commit_by, s.revert_to = "completed", time.time(), None, None
            done = [k for k, v in self.sessions.items() if v.state == "completed" and k != name]
            for k in done[: max(0, len(done) - MAX_SAVED_SESSIONS + 1)]:
                del self.sessions[k]

    def abort_session(self, name: str) -> None:
        """Abort session ``name`` (a pending commit timer is reverted at once)."""
        with self.lock:
            s = self.sessions.pop(name)
            if s.state == "pendingCommitTimer" and s.revert_to is not None:
                self.running = s.revert_to

    def session_diff(self, name: str) -> str:
        """``show session-config named X diffs``: unified diff running -> session."""
        with self.lock:
            s = self.sessions[name]
            diff = difflib.unified_diff(
                render_body(self.running), render_body(s.config),
                fromfile="system:/running-config", tofile=f"session:/{name}-session-config",
                lineterm="")
            return "".join(f"{line}\n" for line in diff)

    def sessions_json(self, detail: bool) -> dict[str, object]:
        """``show configuration sessions [detail]`` JSON model."""
        with self.lock:
            self.expire_timers()
            now_m, up = time.monotonic(), time.time() - self.boot_time
            sessions: dict[str, object] = {}
            for name, s in self.sessions.items():
                entry: dict[str, object] = {"state": s.state, "completedTime": s.completed,
                                            "commitUser": "", "description": "",
                                            "instances": {}}
                if detail and s.commit_by is not None:
                    entry["commitBy"] = up + (s.commit_by - now_m)
                sessions[name] = entry
            return {"sessions": sessions, "maxSavedSessions": MAX_SAVED_SESSIONS,
                    "maxOpenSessions": MAX_OPEN_SESSIONS}


def create_switch(device: SwitchDevice, hardware: HardwareModel,
                  fabric: FabricView) -> EosSwitch:
    """A simulated EOS switch for ``device`` (hostname = device name)."""
    if not hardware.port_names():
        raise LabError(f"{device.name}: hardware model {hardware.name} has no ports")
    return EosSwitch(device, hardware, fabric)


async def serve(switch: EosSwitch, address: str, ports: PortsLike,
                users: Mapping[str, str]) -> list[object]:
    """Start the SSH CLI on ``ports.ssh`` and eAPI (HTTP) on ``ports.eapi`` of ``address``.

    Returns handles with ``close()`` (the asyncssh acceptor, the eAPI server).
    """
    handles: list[object] = []
    acceptor = await start_ssh_server(address=address, port=ports.ssh, users=users,
                                      session_factory=switch.open_cli,
                                      faults=switch.faults())
    handles.append(acceptor)
    if ports.eapi is not None:
        handles.append(start_eapi_server(switch, address, ports.eapi, users))
    return handles
