"""Read an inventory folder (Nornir SimpleInventory + trunks.yaml) into one validated value.

``hosts.yaml``/``groups.yaml``/``defaults.yaml`` are Nornir's; ``trunks.yaml`` holds the
trunk intent; ``cabling.yaml`` (optional) the cabling as built, for the lab.  Every error names
the file and the field (``trunks.yaml: trunks[2] (hv01-team).switch[0].members[1]: ...``);
all errors of a pass are reported together, and nothing is sent anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from lagprov.errors import InputError, InputErrors
from lagprov.knowledge.compat import canonical_team
from lagprov.knowledge.platforms import HARDWARE, canonical_port
from lagprov.model.intent import TrunkIntent
from lagprov.model.inventory import Cable, HostDevice, Inventory, SwitchDevice
from lagprov.model.types import HostOs, Platform

NORNIR_FILES = ("hosts.yaml", "groups.yaml", "defaults.yaml")


def load_yaml(path: Path) -> Any:
    """Parse one YAML file; a syntax error becomes an :class:`InputError` with line/column."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(where, f"malformed YAML: {problem}") from None


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(where, f"expected a mapping, got {type(value).__name__}")
    return value


def _loc(parts: tuple[int | str, ...]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


class _Reader:
    """Collects every error of one pass instead of stopping at the first."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.errors: list[InputError] = []

    def fail(self, file: str, field: str, message: str) -> None:
        self.errors.append(InputError(f"{self.root / file}: {field}", message))

    def pydantic(self, file: str, prefix: str, exc: ValidationError) -> None:
        errors = exc.errors()
        failed = [tuple(e["loc"]) for e in errors if e["type"] != "too_short"]
        for err in errors:
            loc_t = tuple(err["loc"])
            if err["type"] == "too_short" and any(f[: len(loc_t)] == loc_t for f in failed):
                continue  # pydantic also reports a tuple as empty when its items failed
            loc = _loc(tuple(err["loc"]))
            msg = err["msg"].removeprefix("Value error, ")
            self.fail(file, f"{prefix}.{loc}" if loc else prefix, msg)


def _host_value(host: Mapping[str, Any], groups: Mapping[str, Any], defaults: Mapping[str, Any],
                key: str, data: bool = False) -> Any:
    """Nornir's resolution: the host, then its groups in order, then defaults."""
    def get(d: Mapping[str, Any]) -> Any:
        src = d.get("data") or {} if data else d
        return src.get(key) if isinstance(src, dict) else None

    if (v := get(host)) is not None:
        return v
    for g in host.get("groups") or []:
        if (v := get(groups.get(g) or {})) is not None:
            return v
    return get(defaults)


def _napalm_port(host: Mapping[str, Any]) -> int | None:
    opts = (((host.get("connection_options") or {}).get("napalm") or {}).get("extras") or {})
    port = (opts.get("optional_args") or {}).get("port")
    return int(port) if port is not None else None


def _read_devices(r: _Reader, hosts: dict[str, Any], groups: dict[str, Any],
                  defaults: dict[str, Any]) -> tuple[list[SwitchDevice], list[HostDevice]]:
    switches: list[SwitchDevice] = []
    servers: list[HostDevice] = []
    for name, raw in hosts.items():
        h = raw if isinstance(raw, dict) else {}
        if not isinstance(raw, dict):
            r.fail("hosts.yaml", str(name), "expected a mapping")
            continue
        platform = _host_value(h, groups, defaults, "platform")
        address = _host_value(h, groups, defaults, "hostname")
        port = _host_value(h, groups, defaults, "port") or 22
        os_name = _host_value(h, groups, defaults, "os", data=True)
        try:
            if os_name is None:
                hardware = _host_value(h, groups, defaults, "hardware", data=True)
                if platform not in {p.value for p in Platform}:
                    known = ", ".join(p.value for p in Platform)
                    r.fail("hosts.yaml", f"{name}.platform",
                           f"unknown switch platform {platform!r}; supported: {known} "
                           "(hosts need data.os)")
                    continue
                if hardware not in HARDWARE or HARDWARE[hardware].platform != platform:
                    fit = ", ".join(m for m, hw in HARDWARE.items() if hw.platform == platform)
                    r.fail("hosts.yaml", f"{name}.data.hardware",
                           f"unknown {platform} hardware {hardware!r}; known: {fit}")
                    continue
                eapi = _napalm_port(h) if platform == Platform.ARISTA_EOS else None
                netconf = _napalm_port(h) if platform == Platform.JUNIPER_JUNOS else None
                switches.append(SwitchDevice(
                    name=name, platform=platform, hardware=hardware, address=str(address),
                    port=int(port), eapi_port=eapi, netconf_port=netconf))
            else:
                servers.append(HostDevice(name=name, os=os_name, address=address, port=int(port)))
        except ValidationError as exc:
            r.pydantic("hosts.yaml", str(name), exc)
    return switches, servers


def _prepare_switch_end(r: _Reader, where: str, raw: Any,
                        switches: Mapping[str, SwitchDevice]) -> Any:
    """Insert the platform and canonicalise member names (errors per member)."""
    if not isinstance(raw, dict):
        return raw
    end = dict(raw)
    device = switches.get(str(end.get("device")))
    if device is None:
        r.fail("trunks.yaml", f"{where}.device",
               f"unknown switch {end.get('device')!r}; known: {', '.join(sorted(switches))}")
        return None
    end["platform"] = device.platform
    model = HARDWARE[device.hardware]
    members = end.get("members")
    if isinstance(members, list):
        canon = []
        for i, m in enumerate(members):
            try:
                name = canonical_port(device.platform, str(m))
            except ValueError as exc:
                r.fail("trunks.yaml", f"{where}.members[{i}]", str(exc))
                continue
            if name not in model.port_names():
                r.fail("trunks.yaml", f"{where}.members[{i}]",
                       f"{device.name} ({model.name}) has no port {name!r}")
                continue
            canon.append(name)
        end["members"] = canon
    return end


def _prepare_host_end(r: _Reader, where: str, raw: Any, servers: Mapping[str, HostDevice]) -> Any:
    if not isinstance(raw, dict):
        return raw
    end = dict(raw)
    device = servers.get(str(end.get("device")))
    if device is None:
        r.fail("trunks.yaml", f"{where}.device",
               f"unknown host {end.get('device')!r}; known: {', '.join(sorted(servers))}")
        return None
    os_given = end.setdefault("os", device.os.value)
    if os_given != device.os.value:
        r.fail("trunks.yaml", f"{where}.os",
               f"{os_given!r} contradicts hosts.yaml ({device.name} is {device.os.value})")
        return None
    try:
        mode = canonical_team(HostOs(device.os), str(end.get("team", "")))
    except ValueError as exc:
        r.fail("trunks.yaml", f"{where}.team", str(exc))
        return None
    end["team"] = mode.canonical
    end["bundling"] = mode.bundling
    return end


def _read_trunks(r: _Reader, doc: Any, switches: Mapping[str, SwitchDevice],
                 servers: Mapping[str, HostDevice]) -> list[TrunkIntent]:
    body = _mapping(doc, str(r.root / "trunks.yaml"))
    items = body.get("trunks")
    if not isinstance(items, list):
        r.fail("trunks.yaml", "trunks", "expected a list of trunks")
        return []
    trunks: list[TrunkIntent] = []
    seen: set[str] = set()
    for i, raw in enumerate(items):
        label = f"trunks[{i}]" + (f" ({raw.get('name')})" if isinstance(raw, dict) else "")
        if not isinstance(raw, dict):
            r.fail("trunks.yaml", label, "expected a mapping")
            continue
        t = dict(raw)
        before = len(r.errors)
        sw = t.get("switch")
        if isinstance(sw, dict):
            sw = [sw]
        if isinstance(sw, list):
            t["switch"] = [_prepare_switch_end(r, f"{label}.switch[{j}]", e, switches)
                           for j, e in enumerate(sw)]
        if "peer" in t:
            t["peer"] = _prepare_switch_end(r, f"{label}.peer", t["peer"], switches)
        if "host" in t:
            t["host"] = _prepare_host_end(r, f"{label}.host", t["host"], servers)
        if len(r.errors) > before:
            continue
        try:
            trunk = TrunkIntent.model_validate(t)
        except ValidationError as exc:
            r.pydantic("trunks.yaml", label, exc)
            continue
        if trunk.name in seen:
            r.fail("trunks.yaml", f"{label}.name", f"trunk name {trunk.name!r} is used twice")
        seen.add(trunk.name)
        trunks.append(trunk)
    return trunks


def _read_cabling(
    r: _Reader, path: Path, inv_devices: Mapping[str, Platform | None]
) -> list[Cable]:
    body = _mapping(load_yaml(path), str(path))
    cables: list[Cable] = []
    for i, raw in enumerate(body.get("cables") or []):
        where = f"cables[{i}]"
        if not isinstance(raw, dict) or set(raw) != {"a", "b"}:
            r.fail("cabling.yaml", where, "expected {a: 'device port', b: 'device port'}")
            continue
        ends = []
        for side in ("a", "b"):
            dev, _, port = str(raw[side]).partition(" ")
            if dev not in inv_devices:
                r.fail("cabling.yaml", f"{where}.{side}", f"unknown device {dev!r}")
                break
            platform = inv_devices[dev]
            try:
                port = canonical_port(platform, port) if platform else port.strip()
            except ValueError as exc:
                r.fail("cabling.yaml", f"{where}.{side}", str(exc))
                break
            ends.append((dev, port))
        if len(ends) == 2:
            cables.append(Cable(a_device=ends[0][0], a_port=ends[0][1],
                                b_device=ends[1][0], b_port=ends[1][1]))
    return cables


def load_inventory(root: Path | str) -> Inventory:
    """Read and validate the inventory folder ``root``.

    Raises:
        InputErrors: every problem found, each naming file and field.
    """
    root = Path(root)
    r = _Reader(root)
    if not (root / "hosts.yaml").is_file():
        raise InputErrors([InputError(str(root), "no hosts.yaml here: not an inventory folder")])
    docs: dict[str, dict[str, Any]] = {}
    for f in NORNIR_FILES:
        path = root / f
        try:
            docs[f] = _mapping(load_yaml(path), str(path)) if path.is_file() else {}
        except InputError as exc:
            r.errors.append(exc)
            docs[f] = {}
    switches, servers = _read_devices(r, docs["hosts.yaml"], docs["groups.yaml"],
                                      docs["defaults.yaml"])
    sw = {s.name: s for s in switches}
    hs = {h.name: h for h in servers}
    trunks: list[TrunkIntent] = []
    cabling: list[Cable] = []
    try:
        if (root / "trunks.yaml").is_file():
            trunks = _read_trunks(r, load_yaml(root / "trunks.yaml"), sw, hs)
        devices: dict[str, Platform | None] = {s.name: s.platform for s in switches}
        devices.update({h.name: None for h in servers})
        if (root / "cabling.yaml").is_file():
            cabling = _read_cabling(r, root / "cabling.yaml", devices)
    except InputError as exc:
        r.errors.append(exc)
    if r.errors:
        raise InputErrors(r.errors)
    return Inventory(root=str(root), switches=tuple(switches), hosts=tuple(servers),
                     trunks=tuple(trunks), cabling=tuple(cabling))
