"""What travels over the broker, and how a worker finds the run's inventory.

A task carries names and settings only: the device, its read-back job or its trunks, the
transport settings, and a reference to the inventory (its folder, its Nornir plugin and a
fingerprint of its content).  Results come back as the frozen models' JSON
(``model_dump(mode="json")``).  Credentials never travel: a worker reads them from its own
environment, as every lagprov process does.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lagprov.edge.nornir_glue import TransportChoice
from lagprov.errors import ConfigError
from lagprov.intent.load import load_inventory
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import DeviceOutcome
from lagprov.runs.provision_tasks import Pushed

Payload = dict[str, Any]


class InventoryMismatch(ConfigError):
    """The worker's copy of the inventory is not the one the run was planned with."""


def choice_payload(choice: TransportChoice) -> Payload:
    """The transport settings of a run (decided where the run started)."""
    return dataclasses.asdict(choice)


def choice_from(payload: Mapping[str, Any]) -> TransportChoice:
    """The transport settings a task carries."""
    fields = {f.name for f in dataclasses.fields(TransportChoice)}
    return TransportChoice(**{k: v for k, v in payload.items() if k in fields})


def pushed_payload(pushed: Pushed) -> Payload:
    """A plan/apply/restore result as JSON."""
    return {"outcome": pushed.outcome.model_dump(mode="json"), "before": pushed.before,
            "after": pushed.after}


def pushed_from(payload: Mapping[str, Any]) -> Pushed:
    """The result a task sent back."""
    return Pushed(DeviceOutcome.model_validate(payload["outcome"]), payload.get("before"),
                  payload.get("after"))


def _canonical(value: Any) -> Any:
    """``value`` with its sets sorted (their order differs from process to process)."""
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def fingerprint(inv: Inventory) -> str:
    """A digest of everything loaded from the inventory folder but its path."""
    text = json.dumps(_canonical(inv.model_dump(exclude={"root"})), sort_keys=True,
                      default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def inventory_ref(inv: Inventory) -> Payload:
    """How a worker finds the run's inventory: the folder (absolute), its plugin and
    options, and the fingerprint its copy must have."""
    return {"root": str(Path(inv.root).resolve()), "plugin": inv.inventory_plugin,
            "options": dict(inv.inventory_options), "fingerprint": fingerprint(inv)}


_cache: dict[str, tuple[tuple[tuple[str, int, int], ...], Inventory, str]] = {}
_cache_lock = threading.Lock()


def _stamp(root: Path) -> tuple[tuple[str, int, int], ...]:
    """What changes when the folder's files do (the folder and its hardware/)."""
    paths = [p for folder in (root, root / "hardware") if folder.is_dir()
             for p in folder.iterdir() if p.is_file()]
    out = []
    for p in sorted(paths):
        info = p.stat()
        out.append((str(p), info.st_mtime_ns, info.st_size))
    return tuple(out)


def worker_inventory(ref: Mapping[str, Any]) -> Inventory:
    """The inventory a task names, loaded here (and kept while its files do not change).

    Raises:
        InventoryMismatch: this machine's copy differs from the run's (or is missing).
        InputErrors: it does not load.
    """
    root = Path(str(ref["root"]))
    if not root.is_dir():
        raise InventoryMismatch(f"the run's inventory folder {root} does not exist on this "
                                "worker (workers read the same inventory folder, same path)")
    key = json.dumps([str(root), ref.get("plugin"), ref.get("options") or {}], sort_keys=True)
    stamp = _stamp(root)
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None and hit[0] == stamp:
        inv, digest = hit[1], hit[2]
    else:
        options = ref.get("options") or {}
        plugin = ref.get("plugin")
        if not options and plugin == "SimpleInventory":
            inv = load_inventory(root)
        else:
            inv = load_inventory(root, plugin=plugin, plugin_options=options)
        digest = fingerprint(inv)
        with _cache_lock:
            _cache[key] = (stamp, inv, digest)
    if digest != ref.get("fingerprint"):
        raise InventoryMismatch(f"the inventory at {root} on this worker differs from the one "
                                f"the run was planned with (fingerprint {digest}, the run's "
                                f"{ref.get('fingerprint')}); give every worker the same copy")
    return inv
