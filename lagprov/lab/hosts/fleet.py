"""Simulated hosts of the lab: NIC facts for the LACP engine, and the hosts' own reports.

A :class:`LabHost` is built from the inventory (its trunks' host ends).  Linux, Windows and ESXi
hosts are served over SSH (the shell of :mod:`.shell`: read like bash, shell syntax refused;
PowerShell and esxcli exec requests: :mod:`.remote`); every host can also write the JSON/text
reports lagprov reads from files (``write_reports``).  Report shapes: see
``hosts_linux``, ``hosts_windows`` and ``hosts_esxi``.

Every answer and report is rendered from one :class:`~.view.HostState` (the host's settings and
its LACP outcomes, read once under the lab lock); a shell answer is kept until that state
changes, so a command repeated, or a blank prompt probe, costs no LACP resolution.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from lagprov.knowledge.compat import canonical_team
from lagprov.knowledge.mtu import HOST_MTU
from lagprov.lab.base import Faults, HostPortFacts, LinkOutcome, device_lock
from lagprov.lab.hosts import esxi as hosts_esxi
from lagprov.lab.hosts import linux as hosts_linux
from lagprov.lab.hosts import windows as hosts_windows
from lagprov.lab.hosts.linux_apply import ETC_DIRS, BondConfig, linux_exec
from lagprov.lab.hosts.remote import esxi_exec, windows_exec
from lagprov.lab.hosts.shell import LinuxShell, Render
from lagprov.lab.hosts.view import HostState, TeamSettings
from lagprov.lab.hosts.winrm import start_winrm_server
from lagprov.lab.ssh import start_ssh_server
from lagprov.model.intent import HostEnd, TrunkIntent
from lagprov.model.inventory import HostDevice
from lagprov.model.state import MemberStatus
from lagprov.model.types import Bundling, HostOs, LacpRate

_DEFAULT_MTU = {HostOs.WINDOWS: 1514}
_MAX_ANSWERS = 64  # answers kept for one state (``ip -d link show <any name>`` varies)
_DEFAULT_BOND = {HostOs.LINUX: "bond0", HostOs.WINDOWS: "Team1", HostOs.VMWARE: "vSwitch0"}


class HostFabricView(Protocol):
    """The part of the lab fabric a simulated host relies on."""

    def link_outcomes(self, device: str) -> dict[str, LinkOutcome]: ...

    def faults(self, device: str) -> Faults: ...


class PortsLike(Protocol):
    """Port numbers of one device (lab-core's ``LabPorts``); ``ssh`` is used here, and
    ``LabPorts.winrm`` (when there) for a Windows host read over WinRM."""

    ssh: int


def host_mac(name: str, index: int = 0) -> str:
    """A deterministic, locally administered MAC for NIC ``index`` of host ``name``."""
    digest = hashlib.sha256(name.encode()).digest()
    return "52:54:00" + "".join(f":{b:02x}" for b in digest[:2]) + f":{index * 2:02x}"


@dataclass
class LabHost:
    """A simulated host.  ``team`` (canonical, lagprov.knowledge.compat) is settable for faults."""

    name: str
    os: HostOs
    team: str
    nics: tuple[str, ...]
    mtu: int  # in the host's own MTU semantics (Windows Jumbo Packet)
    fabric: HostFabricView
    bond: str = "bond0"
    lacp_rate: LacpRate = LacpRate.SLOW
    speed_mbps: int = 10000
    system_id: str | None = None  # the declared LACP system id (trunks.yaml), if any
    lacp_active: bool = True  # Linux lacp_active / vDS LAG mode; settable for faults
    transport: str = "ssh"  # how it is served: ssh, or winrm (a Windows host, hosts.yaml)
    lb_algorithm: str | None = None  # a Windows team's LoadBalancingAlgorithm (None: default)
    adapters: tuple[str, ...] = ()  # physical NICs (default: ``nics``); a pipeline teams them
    team_vlans: tuple[int, ...] = ()  # Windows team NICs' VLAN IDs (Add-NetLbfoTeamNic)
    portgroups: tuple[tuple[str, int], ...] = (("VM Network", 0), ("Management Network", 0))
    lock: threading.RLock = field(default_factory=threading.RLock)  # the fabric's lab lock
    command_log: list[str] = field(default_factory=list)  # every non-blank line its shell got
    refused: list[str] = field(default_factory=list)  # lines its shell refused to run
    _answers: dict[tuple[str, ...], str] = field(default_factory=dict, repr=False)
    _answered: HostState | None = field(default=None, repr=False)  # the state of _answers

    @property
    def system_mac(self) -> str:
        """The LACP actor system id: as declared in the intent, else a generated MAC."""
        return self.system_id or host_mac(self.name)

    @property
    def bundling(self) -> Bundling:
        return canonical_team(self.os, self.team).bundling

    @property
    def team_mode(self) -> str:
        """``team`` in canonical spelling (it may be set to an alias, e.g. ``4``)."""
        return canonical_team(self.os, self.team).canonical

    def nic_mac(self, nic: str) -> str:
        """Permanent HW address of ``nic``."""
        return host_mac(self.name, self.nics.index(nic))

    def host_port_facts(self) -> dict[str, HostPortFacts]:
        """Facts of every NIC, for the LACP engine."""
        down = self.fabric.faults(self.name).down_ports
        with self.lock:
            bundling = self.bundling
            team = self.team_mode
            ip_mtu = HOST_MTU[self.os].to_ip(self.mtu)
            return {
                nic: HostPortFacts(
                    nic=nic,
                    link_up=nic not in down,
                    speed_mbps=self.speed_mbps,
                    team=team,
                    lacp=bundling is Bundling.LACP,
                    static=bundling is Bundling.STATIC,
                    rate=self.lacp_rate,
                    mtu_ip=ip_mtu,
                    active=self.lacp_active,
                )
                for nic in self.nics
            }

    def outcomes(self) -> dict[str, LinkOutcome]:
        """Outcome per NIC (from the fabric's LACP engine run)."""
        return self.fabric.link_outcomes(self.name)

    def state(self) -> HostState:
        """The host's settings and LACP outcomes now, read once (renders use only this)."""
        with self.lock:
            outcomes = self.outcomes()
            down = LinkOutcome(status=MemberStatus.DOWN)
            return HostState(
                name=self.name, nics=self.nics, bond=self.bond, mtu=self.mtu,
                speed_mbps=self.speed_mbps, lacp_rate=self.lacp_rate,
                lacp_active=self.lacp_active, system_mac=self.system_mac,
                bundling=self.bundling, team_mode=self.team_mode,
                nic_macs=tuple(self.nic_mac(n) for n in self.nics),
                links=tuple((n, outcomes.get(n, down)) for n in self.nics),
                lb_algorithm=self.lb_algorithm)

    def answer(self, command: tuple[str, ...], state: HostState, render: Render) -> str:
        """``render(state)``, computed once per command until the host's state changes."""
        with self.lock:
            if state != self._answered or len(self._answers) >= _MAX_ANSWERS:
                self._answers.clear()
                self._answered = state
            if command not in self._answers:
                self._answers[command] = render(state)
            return self._answers[command]

    def apply_bond(self, bond: BondConfig) -> None:
        """Take the bond a pipeline applied (:mod:`.linux_apply`): mode, members, LACP rate,
        MTU (ValueError: a mode or rate Linux bonding does not have)."""
        team = canonical_team(self.os, bond.mode).canonical
        rate = LacpRate(bond.lacp_rate) if bond.lacp_rate else LacpRate.SLOW
        with self.lock:
            self.team, self.bond, self.nics, self.lacp_rate = team, bond.name, bond.members, rate
            self.mtu = bond.mtu if bond.mtu is not None else 1500

    def team_settings(self) -> TeamSettings:
        """The team as a Windows / ESXi pipeline sees it (:mod:`.windows_apply`)."""
        with self.lock:
            return TeamSettings(
                team=self.team_mode, name=self.bond, members=self.nics,
                adapters=self.adapters or self.nics, mtu=self.mtu, lacp_rate=self.lacp_rate,
                lb_algorithm=self.lb_algorithm, vlans=self.team_vlans,
                portgroups=self.portgroups)

    def apply_team(self, team: TeamSettings) -> None:
        """Take the team a Windows / ESXi pipeline set (:mod:`.windows_apply`,
        :mod:`.esxi_apply`; ValueError: a team mode the OS does not have)."""
        mode = canonical_team(self.os, team.team).canonical
        with self.lock:
            self.adapters = self.adapters or self.nics
            self.team, self.bond, self.nics, self.mtu = mode, team.name, team.members, team.mtu
            self.lacp_rate, self.lb_algorithm = team.lacp_rate, team.lb_algorithm
            self.team_vlans, self.portgroups = team.vlans, team.portgroups

    def record(self, line: str) -> None:
        """Log a line received by the host's shell."""
        with self.lock:
            self.command_log.append(line)

    def refuse(self, line: str) -> None:
        """Log a line the host's shell refused to run."""
        with self.lock:
            self.refused.append(line)

    def reports(self) -> dict[str, str]:
        """The host's own reports (file name -> text), rendered from one state."""
        state = self.state()
        if self.os is HostOs.WINDOWS:
            return hosts_windows.reports(state)
        if self.os is HostOs.VMWARE:
            return hosts_esxi.reports(state)
        if self.os is HostOs.LINUX:
            return {
                f"proc_net_bonding_{state.bond}.txt": hosts_linux.proc_net_bonding(state),
                "ip_link.txt": hosts_linux.ip_link(state),
                "ip_-j_-d_link.json": hosts_linux.ip_json(state),
            }
        return {}

    def write_reports(self, dest: Path) -> list[Path]:
        """Write the host's own reports under ``dest/<host>/``; return the files written.

        The texts are rendered under the lab lock; the files are written after it is released.
        """
        reports = self.reports()
        folder = dest / self.name
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for filename, text in reports.items():
            path = folder / filename
            path.write_text(text, encoding="utf-8")
            written.append(path)
        return written


def _host_ends(name: str, trunks: Sequence[TrunkIntent]) -> list[HostEnd]:
    return [
        t.host
        for t in trunks
        if t.host is not None and t.host.device == name and t.state == "present"
    ]


def create_host(
    device: HostDevice, trunks: Sequence[TrunkIntent], fabric_view: HostFabricView
) -> LabHost:
    """A simulated host for ``device``, configured as its trunks' host ends say."""
    ends = _host_ends(device.name, trunks)
    nics: list[str] = []
    for end in ends:
        nics += [n for n in end.nics if n not in nics]
    first = ends[0] if ends else None
    team = canonical_team(device.os, first.team).canonical if first else "none"
    mtu = next((e.mtu for e in ends if e.mtu is not None), None)
    return LabHost(
        name=device.name,
        os=device.os,
        team=team,
        nics=tuple(nics),
        mtu=mtu or _DEFAULT_MTU.get(device.os, 1500),
        fabric=fabric_view,
        bond=(first.name if first and first.name else _DEFAULT_BOND.get(device.os, "team0")),
        lacp_rate=(first.lacp_rate if first and first.lacp_rate else LacpRate.SLOW),
        system_id=next((e.lacp_system_id for e in ends if e.lacp_system_id), None),
        lacp_active=all(e.lacp_mode == "active" for e in ends),
        transport=device.transport,
        lock=device_lock(fabric_view),
    )


_EXEC = {HostOs.WINDOWS: windows_exec, HostOs.VMWARE: esxi_exec}
SERVED = frozenset({HostOs.LINUX, *_EXEC})
"""Host OSes the lab serves over SSH (a storage array has no management access here)."""


async def serve(
    host: LabHost, address: str, ports: PortsLike, users: Mapping[str, str]
) -> list[object]:
    """Serve a host over SSH on ``address:ports.ssh``; returns closable handles.

    Linux: an interactive shell (:mod:`.shell`); Windows and ESXi: exec requests
    (:mod:`.remote`), as OpenSSH on Windows Server and the ESXi Shell take them.  A Windows
    host with ``transport: winrm`` is served over WinRM on ``ports.winrm`` instead
    (:mod:`.winrm`: the WinRS cmd shell, the same answers).  Other hosts are not served (their
    reports are files: :meth:`LabHost.write_reports`).
    """
    if host.os not in SERVED:
        return []
    if host.transport == "winrm" and host.os is HostOs.WINDOWS:
        winrm = getattr(ports, "winrm", None)
        port = winrm if isinstance(winrm, int) else 5985
        return [start_winrm_server(host, host.fabric.faults(host.name), address, port, users)]
    run = _EXEC.get(host.os)
    root = _EtcRoot(host.name) if host.os is HostOs.LINUX else None

    def factory(username: str) -> LinuxShell:
        return LinuxShell(host, username)

    def linux(user: str, command: str) -> tuple[str, str, int]:
        assert root is not None
        return linux_exec(host, root.path, user, command)

    acceptor = await start_ssh_server(
        address=address,
        port=ports.ssh,
        users=users,
        session_factory=factory,
        faults=host.fabric.faults(host.name),
        exec_handler=(lambda _user, command: run(host, command)) if run else
        (linux if root is not None else None),
        scp_root=root.path if root is not None else None,
    )
    return [acceptor, *([root] if root is not None else [])]


class _EtcRoot:
    """A Linux host's own file tree for SFTP / SCP (``/etc/netplan`` ...), removed at close."""

    def __init__(self, name: str) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=f"lagprov-{name}-"))
        for folder in ETC_DIRS:
            (self.path / folder).mkdir(parents=True, exist_ok=True)

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
