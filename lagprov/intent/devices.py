"""Switches and hosts as Nornir resolves them: SimpleInventory over the folder, or any Nornir
inventory plugin named in ``lagprov.yaml`` (or given by the caller).

lagprov does not re-implement Nornir's inheritance: the platform, hostname, port, ``data`` and
``connection_options`` of every host are read from the ``nornir.core.inventory.Host`` objects
the plugin returns (nested groups, then defaults), so whatever Nornir resolves, lagprov sees.
SimpleInventory files are first checked for shape (:mod:`lagprov.intent.nornir_files`); the
entries that pass are handed to the real ``SimpleInventory`` plugin.
"""

from __future__ import annotations

import ipaddress
import json
import re
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from nornir.core.inventory import Defaults, Groups, Host, Hosts
from nornir.core.inventory import Inventory as NornirInventory
from nornir.core.plugins.inventory import InventoryPluginRegister
from pydantic import Field, ValidationError

from lagprov.errors import InputError, UnsupportedPlatform
from lagprov.intent.mlag_pairs import check_mlag_pairs
from lagprov.intent.nornir_files import Fail, Pydantic
from lagprov.knowledge.platforms import parse_platform
from lagprov.knowledge.platforms.hardware import uncatalogued
from lagprov.knowledge.platforms.stacks import stack_key, stack_problem, stacked
from lagprov.model.base import Model
from lagprov.model.hardware import HardwareModel
from lagprov.model.inventory import HostDevice, SwitchDevice
from lagprov.model.types import Platform

SIMPLE = "SimpleInventory"
CONFIG_FILE = "lagprov.yaml"
NORNIR_FILES = ("hosts.yaml", "groups.yaml", "defaults.yaml")


class InventorySource(Model):
    """``lagprov.yaml: inventory``: a Nornir inventory plugin and its options.  Options whose
    name ends in ``file``, ``path`` or ``dir`` are paths relative to the inventory folder."""

    plugin: str = Field(default=SIMPLE, min_length=1)
    options: dict[str, Any] = Field(default_factory=dict)

    @property
    def folder_files(self) -> bool:
        """True for the default: SimpleInventory over the folder's own Nornir files."""
        return self.plugin == SIMPLE and not self.options


class LagprovConfig(Model):
    """The optional ``lagprov.yaml`` next to the inventory."""

    inventory: InventorySource = InventorySource()


def absolute_options(root: Path, options: Mapping[str, Any]) -> dict[str, Any]:
    """``options`` with the relative paths made absolute against the inventory folder."""
    out = dict(options)
    for key, value in options.items():
        if (isinstance(value, str) and key.lower().endswith(("file", "path", "dir"))
                and not Path(value).expanduser().is_absolute()):
            out[key] = str(root / value)
    return out


def nornir_from_docs(docs: Mapping[str, Mapping[str, Any]]) -> NornirInventory:
    """Nornir's own SimpleInventory over the checked ``hosts``/``groups``/``defaults`` docs.

    The docs are written as JSON (a subset of the YAML that SimpleInventory reads, so nothing
    is re-typed on the way) to a private folder the plugin loads.  An empty document is not
    written (SimpleInventory then logs no warning naming the private folder); with no hosts at
    all the inventory is empty without asking the plugin.
    """
    if not docs.get("hosts.yaml"):
        return NornirInventory(hosts=Hosts(), groups=Groups(), defaults=Defaults())
    with tempfile.TemporaryDirectory(prefix="lagprov-inv-") as tmp:
        paths = {}
        for name in NORNIR_FILES:
            paths[name] = Path(tmp) / name
            if docs.get(name):
                paths[name].write_text(json.dumps(docs[name]), encoding="utf-8")
        inv: NornirInventory = _simple()(host_file=str(paths["hosts.yaml"]),
                                         group_file=str(paths["groups.yaml"]),
                                         defaults_file=str(paths["defaults.yaml"])).load()
        return inv


def _simple() -> Any:
    InventoryPluginRegister.auto_register()
    return InventoryPluginRegister.get_plugin(SIMPLE)


def nornir_from_plugin(root: Path, source: InventorySource, fail: Fail) -> NornirInventory | None:
    """The inventory an installed Nornir plugin returns (None, with the error, if it fails)."""
    InventoryPluginRegister.auto_register()
    known = sorted(InventoryPluginRegister.available)
    if source.plugin not in known:
        fail(CONFIG_FILE, "inventory.plugin", f"no Nornir inventory plugin {source.plugin!r} is "
                                              f"installed; installed: {', '.join(known)}")
        return None
    plugin = InventoryPluginRegister.get_plugin(source.plugin)
    try:
        inv: object = plugin(**absolute_options(root, source.options)).load()
    except TypeError as exc:
        fail(CONFIG_FILE, "inventory.options", f"{source.plugin}: {exc}")
        return None
    except Exception as exc:  # noqa: BLE001  (a third-party plugin may raise anything)
        fail(CONFIG_FILE, "inventory.plugin",
             f"{source.plugin} could not load the inventory: {type(exc).__name__}: {exc}")
        return None
    if not isinstance(inv, NornirInventory):
        fail(CONFIG_FILE, "inventory.plugin", f"{source.plugin} returned no Nornir inventory")
        return None
    return inv


def _text(value: Any) -> str | None:
    """A data field that must be text (a number is taken as written: MLAG domain 10)."""
    return None if value is None else str(value)


QUEUE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def _queue(name: str, host: Host, fail: Fail, file: str) -> tuple[bool, str | None]:
    """``data.queue``: (ok, the site queue or None)."""
    raw = host.get("queue")
    if raw is None:
        return True, None
    if not isinstance(raw, str) or not QUEUE_NAME.fullmatch(raw):
        fail(file, f"{name}.data.queue", f"expected a queue (site) name of letters, digits, "
             f"'-', '_' or '.' (at most 64), got {raw!r}")
        return False, None
    return True, raw


WINRM_AUTHS = ("negotiate", "ntlm", "kerberos", "basic")


def _winrm_auth(name: str, host: Host, transport: str, port: int, fail: Fail,
                file: str) -> str | None:
    """``data.winrm_auth`` (default negotiate; None: refused).  Basic has no message encryption,
    so over HTTP (any port but 5986) it is accepted only to a loopback address."""
    raw = host.get("winrm_auth")
    field = f"{name}.data.winrm_auth"
    if raw is None:
        return "negotiate"
    if transport != "winrm":
        fail(file, field, "only with data.transport: winrm")
        return None
    if raw not in WINRM_AUTHS:
        fail(file, field, f"expected one of {', '.join(WINRM_AUTHS)}, got {raw!r}")
        return None
    if raw == "basic" and port != 5986 and not _loopback(host.hostname):
        fail(file, field, "basic over HTTP sends the password and every answer unencrypted: "
             "use port 5986 (HTTPS) or negotiate (basic over HTTP is for the lab on "
             "127.0.0.0/8 only)")
        return None
    return str(raw)


def _loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False


def _napalm_port(host: Host) -> int | None:
    extras = host.get_connection_parameters("napalm").extras or {}
    port = (extras.get("optional_args") or {}).get("port")
    return int(port) if port is not None else None


class DeviceReader:
    """Turns resolved Nornir hosts into lagprov devices, collecting errors per host."""

    def __init__(self, file: str, fail: Fail, pydantic: Pydantic,
                 catalog: Mapping[str, HardwareModel], *, check_password: bool) -> None:
        self.file = file
        self.check_password = check_password  # the folder's own files are checked as text
        self.fail = fail
        self.pydantic = pydantic
        self.catalog = dict(catalog)  # grows by the uncatalogued models the switches name

    def read(self, inv: NornirInventory) -> tuple[list[SwitchDevice], list[HostDevice]]:
        """Every host of ``inv``: a switch unless it has ``data.os``."""
        switches: list[SwitchDevice] = []
        servers: list[HostDevice] = []
        for name, host in inv.hosts.items():
            if self.check_password and host.password:
                self.fail(self.file, f"{name}.password", "credentials are never read from the "
                          "inventory; set LAGPROV_USERNAME, LAGPROV_PASSWORD and "
                          "LAGPROV_SECRET in the environment")
                continue
            if host.hostname is None:
                self.fail(self.file, f"{name}.hostname", "no hostname (set it on the host, "
                          "one of its groups, or in the defaults)")
                continue
            try:
                if host.get("os") is None:
                    switch = self._switch(name, host)
                    if switch is not None:
                        switches.append(switch)
                else:
                    server = self._server(name, host)
                    if server is not None:
                        servers.append(server)
            except ValidationError as exc:
                self.pydantic(self.file, str(name), exc)
        return check_mlag_pairs(self.file, switches, self.fail), servers

    def _switch(self, name: str, host: Host) -> SwitchDevice | None:
        try:
            platform = parse_platform(str(host.platform) if host.platform else "")
        except UnsupportedPlatform as exc:
            self.fail(self.file, f"{name}.platform", f"{exc} (hosts need data.os)")
            return None
        model = self._model(name, host, platform)
        if model is None:
            return None
        members = self._stack(name, host, model)
        if members is None:
            return None
        key = model.name
        if members:
            key = stack_key(model.name, members)
            self.catalog[key] = stacked(model, members)
        port = _napalm_port(host)
        ok, queue = _queue(name, host, self.fail, self.file)
        if not ok:
            return None
        return SwitchDevice(
            name=name, platform=platform, hardware=key, stack_members=members, queue=queue,
            mlag_peer=_text(host.get("mlag_peer")), mlag_domain=_text(host.get("mlag_domain")),
            address=str(host.hostname),
            port=host.port or 22,
            eapi_port=port if platform is Platform.ARISTA_EOS else None,
            netconf_port=port if platform is Platform.JUNIPER_JUNOS else None)

    def _model(self, name: str, host: Host, platform: Platform) -> HardwareModel | None:
        hardware = host.get("hardware")
        fit = ", ".join(sorted(m for m, hw in self.catalog.items()
                               if hw.platform is platform and hw.catalogued))
        if not isinstance(hardware, str) or not hardware:
            self.fail(self.file, f"{name}.data.hardware",
                      f"expected the {platform.value} hardware model name, got {hardware!r}; "
                      f"catalogued: {fit}")
            return None
        model = self.catalog.get(hardware)
        if model is None:
            model = self.catalog[hardware] = uncatalogued(hardware, platform)
        if model.platform is not platform:
            what = "catalogued" if model.catalogued else "named by another switch"
            self.fail(self.file, f"{name}.data.hardware",
                      f"{hardware!r} is a {model.platform.value} model ({what}), but {name} is "
                      f"{platform.value}; {platform.value} models: {fit}")
            return None
        return model

    def _stack(self, name: str, host: Host, model: HardwareModel) -> tuple[int, ...] | None:
        """``data.stack_members`` checked against the model's stacking (None: refused)."""
        raw = host.get("stack_members")
        if raw is None:
            return ()
        if not isinstance(raw, list) or not all(type(m) is int for m in raw):
            self.fail(self.file, f"{name}.data.stack_members",
                      f"expected a list of member numbers (e.g. [1, 2]), got {raw!r}")
            return None
        if (problem := stack_problem(model, raw)) is not None:
            self.fail(self.file, f"{name}.data.stack_members", problem)
            return None
        return tuple(sorted(raw))

    def _server(self, name: str, host: Host) -> HostDevice | None:
        observable = host.get("observable")
        if observable is not None and not isinstance(observable, bool):
            self.fail(self.file, f"{name}.data.observable",
                      f"expected true or false, got {observable!r}")
            return None
        transport = host.get("transport") or "ssh"
        if transport not in ("ssh", "winrm") or (transport == "winrm"
                                                  and host.get("os") != "windows"):
            self.fail(self.file, f"{name}.data.transport",
                      f"expected ssh or winrm (winrm: Windows hosts only), got {transport!r}")
            return None
        ok, queue = _queue(name, host, self.fail, self.file)
        if not ok:
            return None
        port = host.port or (5985 if transport == "winrm" else 22)
        auth = _winrm_auth(name, host, transport, port, self.fail, self.file)
        if auth is None:
            return None
        return HostDevice(name=name, os=host.get("os"), address=host.hostname, queue=queue,
                          port=port, winrm_auth=auth,
                          observable=observable is not False, transport=transport,
                          group=host.groups[0].name if host.groups else None)


def read_config(root: Path, load: Callable[[Path], Any], fail: Fail,
                pydantic: Pydantic) -> InventorySource:
    """``lagprov.yaml``'s inventory source (the default when the file is absent or wrong)."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return InventorySource()
    try:
        return LagprovConfig.model_validate(load(path) or {}).inventory
    except InputError as exc:
        fail(CONFIG_FILE, "", exc.message)
    except ValidationError as exc:
        pydantic(CONFIG_FILE, "", exc)
    return InventorySource()
