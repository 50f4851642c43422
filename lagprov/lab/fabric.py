"""The lab fabric: simulated switches and hosts built from an Inventory, cabled, served on loopback.

>>> from lagprov.intent.load import load_inventory            # doctest: +SKIP
>>> fabric = LabFabric.from_inventory(load_inventory("inventory"), rebase="127.0.90.0")
>>> fabric.start()                                            # doctest: +SKIP
>>> fabric.stop()                                             # doctest: +SKIP
"""

from __future__ import annotations

import importlib
import ipaddress
import itertools
import shutil
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

import yaml

from lagprov.errors import LabError
from lagprov.knowledge.platforms import hardware_of
from lagprov.lab.base import Faults, HostPortFacts, LabSwitch, LinkOutcome, PortFacts
from lagprov.lab.lacp import resolve_links
from lagprov.lab.runtime import LabLoop
from lagprov.model.inventory import Cable, Inventory, SwitchDevice

LAB_USERS: Mapping[str, str] = {"lab": "lab-password"}
LAB_ENV = {"LAGPROV_USERNAME": "lab", "LAGPROV_PASSWORD": "lab-password",
           "LAGPROV_SECRET": "lab-secret"}
_PLATFORM_MODULES = {"cisco_ios": "ios", "arista_eos": "eos", "juniper_junos": "junos",
                     "supermicro_smis": "smis"}
_DEFAULT_EAPI = 8080
_DEFAULT_NETCONF = 8830
_rebase_counter = itertools.count()
_rebase_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class LabPorts:
    """TCP ports one simulated device listens on (0: let the OS pick)."""

    ssh: int = 22
    eapi: int | None = None
    netconf: int | None = None
    winrm: int | None = None  # a Windows host read over WinRM: served here, not over SSH


# What one link resolution reads: (name, system MAC, port facts) of the switches and hosts
# involved, and the cables between them as (a_device, a_port, b_device, b_port).
_SwitchFacts = tuple[tuple[str, str, tuple[tuple[str, PortFacts], ...]], ...]
_HostFacts = tuple[tuple[str, str, tuple[tuple[str, HostPortFacts], ...]], ...]
_LinkInputs = tuple[_SwitchFacts, _HostFacts, tuple[tuple[str, str, str, str], ...]]


class LabFabricView(Protocol):
    """What a simulated switch may ask of the fabric."""

    def link_outcomes(self, device: str) -> dict[str, LinkOutcome]:
        """Outcome per port of ``device`` (LACP engine over the whole fabric)."""
        ...

    def faults(self, device: str) -> Faults:
        """The (mutable) faults of ``device``."""
        ...


def _platform_module(platform: str) -> ModuleType:
    name = _PLATFORM_MODULES.get(platform)
    if name is None:
        raise LabError(f"the lab has no simulator for platform {platform!r}")
    try:
        return importlib.import_module(f"lagprov.lab.{name}.switch")
    except ModuleNotFoundError as exc:
        raise LabError(f"lab module lagprov.lab.{name}.switch is not available: {exc}") from exc


def _touches(cable: Cable, device: str) -> bool:
    return device in (cable.a_device, cable.b_device)


def _other(cable: Cable, device: str) -> str:
    return cable.b_device if cable.a_device == device else cable.a_device


def _check_loopback(address: str, device: str) -> None:
    try:
        ok = ipaddress.ip_address(address) in ipaddress.ip_network("127.0.0.0/8")
    except ValueError:
        ok = False
    if not ok:
        raise LabError(f"{device}: the lab only listens on 127.0.0.0/8, not {address!r}")


def fresh_block() -> str:
    """A 127.x.y.0 block not handed out before in this process (pid-salted for xdist)."""
    import os

    with _rebase_lock:
        n = next(_rebase_counter)
    x = 100 + (os.getpid() % 100)
    return f"127.{x}.{(os.getpid() // 100 + n) % 250 + 1}.0"


class LabFabric:
    """Every simulated device of an inventory, their cabling and faults."""

    def __init__(self, inventory: Inventory, addresses: Mapping[str, str]) -> None:
        """Prefer :meth:`from_inventory`."""
        self.inventory = inventory
        self.addresses = dict(addresses)
        self.switches: dict[str, LabSwitch] = {}
        self.hosts: dict[str, Any] = {}
        self.cables: list[Cable] = list(inventory.cabling) or [
            Cable(a_device=a, a_port=b, b_device=c, b_port=d)
            for t in inventory.trunks for a, b, c, d in t.cables()]
        self._faults: dict[str, Faults] = {}
        # The lab lock: every device built here guards its state with it (lagprov.lab.base).
        self.device_lock = threading.RLock()
        self._resolved: dict[str, tuple[_LinkInputs, dict[str, LinkOutcome]]] = {}
        self._loop: LabLoop | None = None
        self._handles: list[Any] = []
        self.ports: dict[str, LabPorts] = {}

    # ---- construction -----------------------------------------------------------------
    @classmethod
    def from_inventory(cls, inv: Inventory, *, rebase: str | None = None) -> LabFabric:
        """Build every switch and host of ``inv``.

        ``rebase``: a ``127.x.y.0`` block (or ``"auto"``); device *i* gets ``127.x.y.(10+i)``
        instead of its inventory address, so tests never clash with a user's lab.
        """
        devices = [s.name for s in inv.switches] + [h.name for h in inv.hosts]
        addresses: dict[str, str] = {}
        if rebase is not None:
            block = fresh_block() if rebase == "auto" else rebase
            base = ipaddress.ip_address(block)
            for i, name in enumerate(devices):
                addresses[name] = str(base + 10 + i)
        else:
            addresses = {s.name: s.address for s in inv.switches}
            addresses.update({h.name: h.address for h in inv.hosts if h.address})
        fabric = cls(inv, addresses)
        for sw in inv.switches:
            fabric._add_switch(sw)
        if inv.hosts:
            hosts_mod = _platform_module_hosts()
            for h in inv.hosts:
                fabric._faults[h.name] = Faults()
                fabric.hosts[h.name] = hosts_mod.create_host(h, inv.trunks, fabric)
                if h.os in hosts_mod.SERVED and h.observable and h.name in addresses:
                    fabric.ports[h.name] = (LabPorts(winrm=h.port) if h.transport == "winrm"
                                            else LabPorts(ssh=h.port))
        return fabric

    def _add_switch(self, sw: SwitchDevice) -> None:
        module = _platform_module(sw.platform.value)
        self._faults[sw.name] = Faults()
        model = hardware_of(self.inventory.hardware, sw.hardware, sw.platform)
        if not model.catalogued:
            raise LabError(f"{sw.name}: the lab cannot simulate {sw.hardware}: the model is "
                           "not in the hardware catalog, so its ports are not known "
                           "(add it under hardware/ in the inventory)")
        self.switches[sw.name] = module.create_switch(sw, model, self)
        self.ports[sw.name] = LabPorts(
            ssh=sw.port,
            eapi=(sw.eapi_port or _DEFAULT_EAPI) if sw.platform.value == "arista_eos" else None,
            netconf=(sw.netconf_port or _DEFAULT_NETCONF)
            if sw.platform.value == "juniper_junos" else None)

    # ---- LabFabricView ----------------------------------------------------------------
    def faults(self, device: str) -> Faults:
        """The mutable faults of ``device`` (KeyError if unknown)."""
        return self._faults[device]

    def link_outcomes(self, device: str) -> dict[str, LinkOutcome]:
        """LinkOutcome per port of ``device`` (switch port or host NIC).

        Resolved once per state: the facts of the devices involved (their configuration,
        faults and team settings, read under the lab lock) and the cables are the key, so a
        show command or a host answer after no change reuses the last resolution.
        """
        with self.device_lock:
            inputs = self._link_inputs(device)
            cached = self._resolved.get(device)
            if cached is not None and cached[0] == inputs:
                return dict(cached[1])
            switches, hosts, cables = inputs
            outcomes = resolve_links(
                {n: dict(facts) for n, _, facts in switches}, {n: m for n, m, _ in switches},
                {n: dict(facts) for n, _, facts in hosts}, {n: m for n, m, _ in hosts},
                [Cable(a_device=a, a_port=b, b_device=c, b_port=d) for a, b, c, d in cables])
            mine = {port: o for (dev, port), o in outcomes.items() if dev == device}
            self._resolved[device] = (inputs, mine)
            return dict(mine)

    def _link_inputs(self, device: str) -> _LinkInputs:
        # What LACP makes of this device's ports depends on its neighbours' channels, whose
        # members face their own neighbours: the cables touching the device and its
        # neighbours are enough, so a large fabric costs no more per call than a small one.
        near = {device} | {_other(c, device) for c in self.cables if _touches(c, device)}
        cables = [c for c in self.cables if c.a_device in near or c.b_device in near]
        involved = near | {c.a_device for c in cables} | {c.b_device for c in cables}
        switches = tuple((n, s.system_mac, tuple(s.port_facts().items()))
                         for n, s in self.switches.items() if n in involved)
        hosts = tuple((n, h.system_mac, tuple(h.host_port_facts().items()))
                      for n, h in self.hosts.items() if n in involved)
        return switches, hosts, tuple((c.a_device, c.a_port, c.b_device, c.b_port)
                                      for c in cables)

    # ---- serving ----------------------------------------------------------------------
    def start(self, *, ports: Mapping[str, LabPorts] | None = None) -> None:
        """Serve every device on its address (LabError outside 127.0.0.0/8)."""
        for name, address in self.addresses.items():
            _check_loopback(address, name)
        if self._loop is not None:
            return
        if ports:
            self.ports.update(ports)
        self._loop = LabLoop()
        self._loop.start()
        try:
            self._loop.run(self._serve_all(), timeout=60)
        except BaseException:
            self.stop()
            raise

    async def _serve_all(self) -> None:
        for name, sw in self.switches.items():
            module = _platform_module(sw.platform)
            handles = await module.serve(sw, self.addresses[name], self.ports[name], LAB_USERS)
            self._handles.extend(handles)
        if self.hosts:
            hosts_mod = _platform_module_hosts()
            for name, host in self.hosts.items():
                if name in self.ports:
                    handles = await hosts_mod.serve(host, self.addresses[name], self.ports[name],
                                                    LAB_USERS)
                    self._handles.extend(handles)

    def cpu_seconds(self) -> float:
        """CPU time the lab's serving thread has used so far (0.0 when stopped); EOS eAPI
        requests run on threads of their own and are not counted."""
        return self._loop.cpu_seconds() if self._loop is not None else 0.0

    def stop(self) -> None:
        """Close every server and the loop; remove switch flash folders."""
        loop, self._loop = self._loop, None
        if loop is not None:
            try:
                loop.close(self._handles, timeout=10)
            finally:
                self._handles.clear()
                loop.stop()

    def close(self) -> None:
        """Stop and release every per-device resource."""
        self.stop()
        for sw in self.switches.values():
            closer = getattr(sw, "close", None)
            if callable(closer):
                closer()

    def accepted(self, device: str) -> dict[str, int]:
        """Connections ``device``'s servers have accepted since the fabric was built, per
        protocol (``ssh``, ``netconf``, ``eapi``; a port of no known protocol by number)."""
        names: dict[int, str] = {}
        p = self.ports.get(device)
        if p is not None:
            names = {p.ssh: "ssh", **({p.netconf: "netconf"} if p.netconf else {}),
                     **({p.eapi: "eapi"} if p.eapi else {}),
                     **({p.winrm: "winrm"} if p.winrm else {})}
        return {names.get(port, str(port)): n
                for port, n in self._faults[device].accepted.by_port().items()}

    def accepted_total(self) -> int:
        """Connections accepted by every device of the fabric so far."""
        return sum(n for d in self._faults for n in self.accepted(d).values())

    # ---- state and faults -------------------------------------------------------------
    def switch(self, device: str) -> LabSwitch:
        """The simulated switch ``device``."""
        try:
            return self.switches[device]
        except KeyError:
            raise LabError(f"no switch {device!r} in the lab") from None

    def load_config(self, device: str, lines: Sequence[str]) -> None:
        """Apply configuration lines to ``device`` as if typed in config mode."""
        sw = self.switch(device)
        loader = getattr(sw, "load_config", None)
        if not callable(loader):
            raise LabError(f"{device}: its simulator has no load_config")
        loader(list(lines))

    def running_config(self, device: str) -> str:
        """``device``'s running configuration in its own format."""
        sw = self.switch(device)
        render = getattr(sw, "running_config", None)
        if not callable(render):
            raise LabError(f"{device}: its simulator has no running_config")
        return str(render())

    def write_host_reports(self, dest: Path) -> list[Path]:
        """Every simulated host writes its own reports under ``dest/<host>/``."""
        written: list[Path] = []
        for host in self.hosts.values():  # each renders under the lab lock, writes after it
            written.extend(host.write_reports(dest))
        return written

    def set_host_team(self, host: str, team: str) -> None:
        """Change the team mode of simulated host ``host`` (e.g. to break a trunk)."""
        if host not in self.hosts:
            raise LabError(f"no host {host!r} in the lab")
        target = self.hosts[host]
        with target.lock:
            target.team = team

    def cable(self, a: tuple[str, str], b: tuple[str, str]) -> None:
        """Plug a cable between (device, port) ``a`` and ``b``."""
        with self.device_lock:
            self.cables.append(Cable(a_device=a[0], a_port=a[1], b_device=b[0], b_port=b[1]))

    def uncable(self, end: tuple[str, str]) -> None:
        """Pull the cable plugged into (device, port) ``end``."""
        with self.device_lock:
            self.cables = [c for c in self.cables
                           if (c.a_device, c.a_port) != end and (c.b_device, c.b_port) != end]

    # ---- inventory copy ---------------------------------------------------------------
    def write_inventory(self, dest: Path) -> Path:
        """Copy the inventory folder to ``dest`` with this fabric's addresses; returns ``dest``."""
        src = Path(self.inventory.root)
        dest.mkdir(parents=True, exist_ok=True)
        for f in src.iterdir():
            if f.is_file():
                shutil.copy2(f, dest / f.name)
        hosts = yaml.safe_load((src / "hosts.yaml").read_text(encoding="utf-8")) or {}
        for name, entry in hosts.items():
            if isinstance(entry, dict) and name in self.addresses:
                entry["hostname"] = self.addresses[name]
                if name in self.ports:
                    entry["port"] = self.ports[name].winrm or self.ports[name].ssh
        (dest / "hosts.yaml").write_text(yaml.safe_dump(hosts, sort_keys=False),
                                         encoding="utf-8")
        return dest


def _platform_module_hosts() -> ModuleType:
    try:
        return importlib.import_module("lagprov.lab.hosts.fleet")
    except ModuleNotFoundError as exc:
        raise LabError(f"lab module lagprov.lab.hosts.fleet is not available: {exc}") from exc


def device_table(fabric: LabFabric) -> list[tuple[str, str, str]]:
    """(device, address, 'ssh N eapi N netconf N') rows for printing."""
    rows = []
    for name in list(fabric.switches) + [h for h in fabric.hosts if h in fabric.addresses]:
        p = fabric.ports.get(name)
        parts = [f"winrm {p.winrm}" if p.winrm else f"ssh {p.ssh}"] if p else []
        if p and p.eapi:
            parts.append(f"eapi {p.eapi}")
        if p and p.netconf:
            parts.append(f"netconf {p.netconf}")
        rows.append((name, fabric.addresses[name], " ".join(parts) or "-"))
    return rows


def iter_switch_names(fabric: LabFabric) -> Iterable[str]:
    """Names of the simulated switches."""
    return iter(fabric.switches)
