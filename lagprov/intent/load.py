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

from pydantic import ValidationError

from lagprov.errors import InputError, InputErrors
from lagprov.intent.devices import (
    CONFIG_FILE,
    NORNIR_FILES,
    DeviceReader,
    InventorySource,
    absolute_options,
    nornir_from_docs,
    nornir_from_plugin,
    read_config,
)
from lagprov.intent.files import ENV_NAMES, inventory_file, load_yaml, without_credentials
from lagprov.intent.nornir_files import check_nornir_files
from lagprov.knowledge.compat import canonical_team
from lagprov.knowledge.platforms import canonical_port
from lagprov.knowledge.platforms.hardware import (
    HardwareFileError,
    merge_catalog,
    parse_hardware_file,
)
from lagprov.model.hardware import HardwareModel
from lagprov.model.intent import TrunkIntent
from lagprov.model.inventory import Cable, HostDevice, Inventory, SwitchDevice
from lagprov.model.types import HostOs, Platform

HARDWARE_DIR = "hardware"
__all__ = ["ENV_NAMES", "inventory_file", "load_inventory", "load_yaml"]  # files', re-exported


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
        self.declared: set[str] = set()  # every device name the inventory source gives
        self.unreadable = False  # a Nornir file could not be read at all

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
            self.fail(file, f"{prefix}.{loc}" if prefix and loc else loc or prefix, msg)


def _unknown(r: _Reader, kind: str, name: object, known: Mapping[str, object]) -> str:
    """Why a trunk end's device is not usable: unknown, or refused where it is defined."""
    if str(name) in r.declared:
        return f"{name!r} is refused by the errors of its own entry (reported above)"
    return f"unknown {kind} {name!r}; known: {', '.join(sorted(known))}"


def _prepare_switch_end(r: _Reader, where: str, raw: Any,
                        switches: Mapping[str, SwitchDevice],
                        catalog: Mapping[str, HardwareModel]) -> Any:
    """Insert the platform and canonicalise member names (errors per member)."""
    if not isinstance(raw, dict):
        return raw
    end = dict(raw)
    device = switches.get(str(end.get("device")))
    if device is None:
        r.fail("trunks.yaml", f"{where}.device", _unknown(r, "switch", end.get("device"), switches))
        return None
    end["platform"] = device.platform
    model = catalog[device.hardware]
    members = end.get("members")
    if isinstance(members, list):
        canon = []
        for i, m in enumerate(members):
            try:
                name = canonical_port(device.platform, str(m))
            except ValueError as exc:
                r.fail("trunks.yaml", f"{where}.members[{i}]", str(exc))
                continue
            if model.catalogued and name not in model.port_names():
                r.fail("trunks.yaml", f"{where}.members[{i}]",
                       f"{device.name} ({model.name}) has no port {name!r}{_stack_hint(model)}")
                continue
            canon.append(name)
        end["members"] = canon
    return end


def _stack_hint(model: HardwareModel) -> str:
    """What to say about stack members after 'has no port' (knowledge.platforms.stacks)."""
    if model.stack_members:
        return (f"; its {model.stack_technology} members are "
                f"{', '.join(map(str, model.stack_members))} (hosts.yaml data.stack_members)")
    if model.stack_technology:
        return (f"; a port of another {model.stack_technology} member needs the members "
                "declared in hosts.yaml data.stack_members")
    return ""


def _prepare_host_end(r: _Reader, where: str, raw: Any, servers: Mapping[str, HostDevice]) -> Any:
    if not isinstance(raw, dict):
        return raw
    end = dict(raw)
    device = servers.get(str(end.get("device")))
    if device is None:
        r.fail("trunks.yaml", f"{where}.device", _unknown(r, "host", end.get("device"), servers))
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
                 servers: Mapping[str, HostDevice],
                 catalog: Mapping[str, HardwareModel]) -> list[TrunkIntent]:
    body = _mapping(doc, str(r.root / "trunks.yaml"))
    for key in sorted(set(body) - {"trunks"}, key=str):
        r.fail("trunks.yaml", str(key), "unknown top-level key; trunks.yaml holds 'trunks:' only")
    items = body.get("trunks")
    if not isinstance(items, list):
        r.fail("trunks.yaml", "trunks", "expected a list of trunks")
        return []
    trunks: list[TrunkIntent] = []
    seen: set[str] = set()
    teams: dict[tuple[str, str], str] = {}
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
            t["switch"] = [_prepare_switch_end(r, f"{label}.switch[{j}]", e, switches, catalog)
                           for j, e in enumerate(sw)]
        if "peer" in t:
            t["peer"] = _prepare_switch_end(r, f"{label}.peer", t["peer"], switches, catalog)
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
        _check_ends(r, label, trunk, teams)
        trunks.append(trunk)
    return trunks


def _check_ends(r: _Reader, label: str, trunk: TrunkIntent, teams: dict[tuple[str, str], str]
                ) -> None:
    """A switch-to-switch trunk joins two switches; a host team belongs to one trunk."""
    if trunk.peer is not None and trunk.peer.device in {e.device for e in trunk.switch}:
        r.fail("trunks.yaml", f"{label}.peer.device",
               f"{trunk.peer.device!r} is also the trunk's own switch: a switch-to-switch trunk "
               "joins two different switches")
    host = trunk.host
    if host is None or host.name is None or host.team == "none":
        return
    # Windows team and adapter names are case-insensitive; Linux and ESXi names are not
    key = (host.device, host.name.casefold() if host.os is HostOs.WINDOWS else host.name)
    if key in teams:
        r.fail("trunks.yaml", f"{label}.host.name",
               f"{host.device} team {host.name!r} is already the host end of {teams[key]}: "
               "one host team (bond) belongs to one trunk")
    else:
        teams[key] = label


def _read_cabling(
    r: _Reader, path: Path, inv_devices: Mapping[str, Platform | None]
) -> list[Cable]:
    body = _mapping(load_yaml(path), str(path))
    for key in sorted(set(body) - {"cables"}, key=str):
        r.fail("cabling.yaml", str(key), "unknown top-level key; cabling.yaml holds 'cables:' only")
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


def _read_hardware(r: _Reader) -> dict[str, HardwareModel]:
    """The inventory's own models (``hardware/*.yaml``), each file checked like the shipped
    ones; a model given twice is an error naming the second file."""
    folder = r.root / HARDWARE_DIR
    if not folder.is_dir():
        return {}
    own: dict[str, tuple[str, HardwareModel]] = {}
    for path in sorted(folder.glob("*.yaml")):
        rel = f"{HARDWARE_DIR}/{path.name}"
        try:
            checked = inventory_file(r.root, rel)
            doc = load_yaml(checked) if checked is not None else None
            models = parse_hardware_file(doc)
        except InputError as exc:
            r.errors.append(exc)
            continue
        except ValidationError as exc:
            r.pydantic(rel, "", exc)
            continue
        except HardwareFileError as exc:
            for field, message in exc.problems:
                r.fail(rel, field, message)
            continue
        for m in models:
            if m.name in own:
                r.fail(rel, f"models.{m.name}", f"also defined in {own[m.name][0]}")
            own[m.name] = (rel, m)
    return {name: m for name, (_, m) in own.items()}


def _read_nornir(r: _Reader, source: InventorySource, catalog: Mapping[str, HardwareModel]
                 ) -> tuple[list[SwitchDevice], list[HostDevice], dict[str, HardwareModel]]:
    """The devices as Nornir resolves them, and the catalog grown by uncatalogued models."""
    if source.folder_files:
        docs: dict[str, dict[str, Any]] = {}
        for f in NORNIR_FILES:
            try:
                path = inventory_file(r.root, f)
                docs[f] = _mapping(load_yaml(path), str(path)) if path is not None else {}
            except InputError as exc:
                r.errors.append(exc)
                r.unreadable = True
                docs[f] = {}
            found: list[str] = []
            docs[f] = without_credentials(docs[f], "", found)
            for field in found:
                r.fail(f, field, f"credentials are never read from inventory files; remove it "
                                 f"and set {ENV_NAMES} in the environment")
        if r.unreadable:  # every device would be 'unknown': the file's own error says it all
            return [], [], dict(catalog)
        r.declared = {str(name) for name in docs["hosts.yaml"]}
        nornir = nornir_from_docs(check_nornir_files(docs, r.fail, r.pydantic))
        reader = DeviceReader("hosts.yaml", r.fail, r.pydantic, catalog, check_password=False)
    else:
        plugin_inv = nornir_from_plugin(r.root, source, r.fail)
        if plugin_inv is None:
            return [], [], dict(catalog)
        nornir = plugin_inv
        r.declared = {str(name) for name in plugin_inv.hosts}
        reader = DeviceReader(f"{source.plugin} inventory", r.fail, r.pydantic, catalog,
                              check_password=True)
    switches, servers = reader.read(nornir)
    return switches, servers, reader.catalog


def load_inventory(root: Path | str, *, plugin: str | None = None,
                   plugin_options: Mapping[str, Any] | None = None) -> Inventory:
    """Read and validate the inventory folder ``root``.

    The devices come from Nornir: SimpleInventory over the folder's ``hosts.yaml`` /
    ``groups.yaml`` / ``defaults.yaml`` by default, or the inventory plugin named by
    ``plugin`` (with ``plugin_options``) or in the folder's ``lagprov.yaml``.  Trunks and
    cabling always come from the folder.

    Raises:
        InputErrors: every problem found, each naming file and field.
    """
    root = Path(root)
    r = _Reader(root)
    if not root.is_dir():
        raise InputErrors([InputError(str(root), "not a folder: give the inventory folder")])
    try:
        inventory_file(root, CONFIG_FILE)  # a folder, FIFO or outside symlink is never skipped
        source = read_config(root, load_yaml, r.fail, r.pydantic)
    except InputError as exc:
        r.errors.append(exc)
        source = InventorySource()
    if plugin is not None:
        source = InventorySource(plugin=plugin, options=dict(plugin_options or {}))
    if source.folder_files and not (root / "hosts.yaml").exists() \
            and not (root / "hosts.yaml").is_symlink():
        raise InputErrors([InputError(str(root), "no hosts.yaml here: not an inventory folder "
                                                 "(or name a Nornir inventory plugin in "
                                                 "lagprov.yaml)")])
    own = _read_hardware(r)
    switches, servers, catalog = _read_nornir(r, source, merge_catalog(own))
    sw = {s.name: s for s in switches}
    hs = {h.name: h for h in servers}
    trunks: list[TrunkIntent] = []
    cabling: list[Cable] = []
    try:
        if (trunks_file := inventory_file(root, "trunks.yaml")) is not None:
            trunks_doc = load_yaml(trunks_file)  # its own syntax is always checked
            if not r.unreadable:
                trunks = _read_trunks(r, trunks_doc, sw, hs, catalog)
        devices: dict[str, Platform | None] = {s.name: s.platform for s in switches}
        devices.update({h.name: None for h in servers})
        if (cabling_file := inventory_file(root, "cabling.yaml")) is not None \
                and not r.unreadable:
            cabling = _read_cabling(r, cabling_file, devices)
    except InputError as exc:
        r.errors.append(exc)
    if r.errors:
        raise InputErrors(r.errors)
    return Inventory(root=str(root), switches=tuple(switches), hosts=tuple(servers),
                     trunks=tuple(trunks), cabling=tuple(cabling), hardware=catalog,
                     inventory_plugin=source.plugin,
                     inventory_options=absolute_options(root, source.options))
