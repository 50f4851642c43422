"""Replicate the saved healthy example run into a large fleet (inventory + saved outputs)."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from bench.common import SAVED

_HOSTNAME = re.compile(r"^(hostname |set system host-name )(\S+)$", re.MULTILINE)


def _rename_ends(trunk: dict[str, Any], rename: dict[str, str]) -> dict[str, Any]:
    out = copy.deepcopy(trunk)
    for key in ("switch", "peer", "host"):
        ends = out.get(key)
        for end in ends if isinstance(ends, list) else [ends] if ends else []:
            end["device"] = rename[end["device"]]
    return out


def _copy_device(src: Path, dest: Path, old: str, new: str) -> None:
    dest.mkdir(parents=True)
    for f in src.iterdir():
        text = f.read_text(encoding="utf-8")
        if not f.name.startswith("_"):
            text = _HOSTNAME.sub(lambda m: m.group(1) + (new if m.group(2) == old else m.group(2)),
                                 text)
        (dest / f.name).write_text(text, encoding="utf-8")


def replicate(dest: Path, copies: int) -> tuple[Path, Path, int]:
    """``copies`` renamed copies of the saved example fabric; (inventory, saved, switches)."""
    src_inv, src_out = SAVED / "inventory", SAVED / "healthy"
    hosts = yaml.safe_load((src_inv / "hosts.yaml").read_text(encoding="utf-8"))
    trunks = yaml.safe_load((src_inv / "trunks.yaml").read_text(encoding="utf-8"))["trunks"]
    inv_dir, out_dir = dest / "inventory", dest / "saved"
    inv_dir.mkdir(parents=True)
    for name in ("groups.yaml", "defaults.yaml"):
        shutil.copy2(src_inv / name, inv_dir / name)
    new_hosts: dict[str, Any] = {}
    new_trunks: list[dict[str, Any]] = []
    switches = 0
    for c in range(copies):
        rename = {name: f"{name}-r{c:03d}" for name in hosts}
        for name, entry in hosts.items():
            new_hosts[rename[name]] = copy.deepcopy(entry)
            switches += "hardware" in (entry.get("data") or {})
            if (src_out / name).is_dir():
                _copy_device(src_out / name, out_dir / rename[name], name, rename[name])
        for t in trunks:
            renamed = _rename_ends(t, rename)
            renamed["name"] = f"{t['name']}-r{c:03d}"
            new_trunks.append(renamed)
    (inv_dir / "hosts.yaml").write_text(yaml.safe_dump(new_hosts, sort_keys=False),
                                        encoding="utf-8")
    (inv_dir / "trunks.yaml").write_text(yaml.safe_dump({"trunks": new_trunks}, sort_keys=False),
                                         encoding="utf-8")
    return inv_dir, out_dir, switches
