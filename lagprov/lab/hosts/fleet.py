"""Simulated hosts of the lab: NIC facts for the LACP engine, and the hosts' own reports.

A :class:`LabHost` is built from the inventory (its trunks' host ends).  Linux hosts can be
served over SSH (a small shell Netmiko ``linux`` accepts); Windows and VMware hosts write the
JSON/text reports lagprov reads (``write_reports``).  Report shapes: see ``hosts_linux``,
``hosts_windows`` and ``hosts_esxi``.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from lagprov.knowledge.compat import canonical_team
from lagprov.knowledge.mtu import HOST_MTU
from lagprov.lab.base import CliReply, Faults, HostPortFacts, LinkOutcome
from lagprov.model.intent import HostEnd, TrunkIntent
from lagprov.model.inventory import HostDevice
from lagprov.model.types import Bundling, HostOs, LacpRate

_DEFAULT_MTU = {HostOs.WINDOWS: 1514}
_DEFAULT_BOND = {HostOs.LINUX: "bond0", HostOs.WINDOWS: "Team1", HostOs.VMWARE: "vSwitch0"}


class HostFabricView(Protocol):
    """The part of the lab fabric a simulated host relies on."""

    def link_outcomes(self, device: str) -> dict[str, LinkOutcome]: ...

    def faults(self, device: str) -> Faults: ...


class PortsLike(Protocol):
    """Port numbers of one device (lab-core's ``LabPorts``); only ``ssh`` is used here."""

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
    lock: threading.RLock = field(default_factory=threading.RLock)

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
                )
                for nic in self.nics
            }

    def outcomes(self) -> dict[str, LinkOutcome]:
        """Outcome per NIC (from the fabric's LACP engine run)."""
        return self.fabric.link_outcomes(self.name)

    def write_reports(self, dest: Path) -> list[Path]:
        """Write the host's own reports under ``dest/<host>/``; return the files written."""
        from lagprov.lab.hosts import esxi as hosts_esxi
        from lagprov.lab.hosts import linux as hosts_linux
        from lagprov.lab.hosts import windows as hosts_windows

        folder = dest / self.name
        folder.mkdir(parents=True, exist_ok=True)
        if self.os is HostOs.WINDOWS:
            reports = hosts_windows.reports(self)
        elif self.os is HostOs.VMWARE:
            reports = hosts_esxi.reports(self)
        elif self.os is HostOs.LINUX:
            reports = {
                f"proc_net_bonding_{self.bond}.txt": hosts_linux.proc_net_bonding(self),
                "ip_link.txt": hosts_linux.ip_link(self),
                "ip_-j_-d_link.json": hosts_linux.ip_json(self),
            }
        else:
            reports = {}
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
    )


class LinuxShell:
    """A minimal bash-like shell on a simulated Linux host (what Netmiko ``linux`` needs)."""

    def __init__(self, host: LabHost, username: str) -> None:
        self.host = host
        self.username = username

    def banner(self) -> str:
        return ""

    def prompt(self) -> str:
        return f"{self.username}@{self.host.name}:~$ "

    def handle(self, line: str) -> CliReply:
        from lagprov.lab.hosts import linux as hosts_linux

        cmd = " ".join(line.split())
        h = self.host
        answers = {
            "": "",
            "hostname": h.name + "\n",
            f"cat /proc/net/bonding/{h.bond}": hosts_linux.proc_net_bonding(h),
            "ip link": hosts_linux.ip_link(h),
            "ip link show": hosts_linux.ip_link(h),
            "ip -j -d link": hosts_linux.ip_json(h),
            "ip -d -j link": hosts_linux.ip_json(h),
            f"ip -d link show {h.bond}": hosts_linux.ip_d_link_show(h, h.bond),
        }
        if cmd in ("exit", "logout"):
            return CliReply(close=True)
        if cmd in answers:
            return CliReply(answers[cmd])
        if cmd.startswith("cat /proc/net/bonding/"):
            return CliReply(f"cat: {cmd[4:]}: No such file or directory\n")
        return CliReply(f"bash: {cmd.split()[0]}: command not found\n")


async def serve(
    host: LabHost, address: str, ports: PortsLike, users: Mapping[str, str]
) -> list[object]:
    """Serve a Linux host's shell over SSH on ``address:ports.ssh``; returns closable handles.

    Other hosts are not served (their reports are files: :meth:`LabHost.write_reports`).
    """
    if host.os is not HostOs.LINUX:
        return []
    from lagprov.lab.ssh import start_ssh_server

    def factory(username: str) -> LinuxShell:
        return LinuxShell(host, username)

    acceptor = await start_ssh_server(
        address=address,
        port=ports.ssh,
        users=users,
        session_factory=factory,
        faults=host.fabric.faults(host.name),
    )
    return [acceptor]
