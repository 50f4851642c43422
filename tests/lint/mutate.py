"""Apply a broken-inventory case of tests/inventories/cases.yaml to a copy of inventory/."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "inventory"
CASES_FILE = REPO / "tests" / "inventories" / "cases.yaml"

_PART = re.compile(r"([^\[\]]+)((?:\[[^\]]+\])*)")


def load_cases() -> list[dict[str, Any]]:
    """Every case of cases.yaml."""
    doc = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
    return list(doc["cases"])


def _steps(path: str) -> list[str | int]:
    steps: list[str | int] = []
    for part in path.split("."):
        m = _PART.fullmatch(part)
        if m is None:
            raise ValueError(f"bad path {path!r}")
        steps.append(m.group(1))
        for sel in re.findall(r"\[([^\]]+)\]", m.group(2)):
            steps.append(int(sel) if sel.isdigit() else f"name={sel}")
    return steps


def _child(node: Any, step: str | int) -> Any:
    if isinstance(step, int):
        return node[step]
    if step.startswith("name="):
        name = step.removeprefix("name=")
        matches = [item for item in node if isinstance(item, dict) and item.get("name") == name]
        if len(matches) != 1:
            raise KeyError(f"no single list item named {name!r}")
        return matches[0]
    if step not in node:
        raise KeyError(step)
    return node[step]


def _parent(doc: Any, path: str) -> tuple[Any, str | int]:
    steps = _steps(path)
    node = doc
    for step in steps[:-1]:
        node = _child(node, step)
    last = steps[-1]
    if isinstance(last, str) and last.startswith("name="):
        raise ValueError(f"{path!r}: the last step must be a key or an index")
    return node, last


def _patch(doc: Any, case: dict[str, Any]) -> Any:
    for path, value in (case.get("set") or {}).items():
        node, key = _parent(doc, path)
        node[key] = value
    for path in case.get("delete") or []:
        node, key = _parent(doc, path)
        del node[key]  # KeyError if the key is not there: the case would be a no-op
    for path, value in (case.get("append") or {}).items():
        node, key = _parent(doc, path)
        node[key].append(value)
    return doc


# What ``fs`` can make of a path of the copy (the file's content, if any, goes outside for the
# symlinks that lead out of the folder, so only the link is wrong).
FS_KINDS = ("directory", "fifo", "symlink-loop", "broken-symlink", "symlink-outside")


def _filesystem(dest: Path, name: str, kind: str) -> None:
    path = dest / name
    path.parent.mkdir(parents=True, exist_ok=True)
    outside = dest.parent / "outside" / name
    if kind == "symlink-outside":
        outside.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            shutil.move(path, outside)
        else:
            outside.write_text("{}\n", encoding="utf-8")
        path.symlink_to(outside, target_is_directory=outside.is_dir())
        return
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    if kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)  # reading it would block until a writer comes: it must never be opened
    elif kind == "symlink-loop":
        loop = path.with_name(path.name + ".loop")
        path.symlink_to(loop.name)
        loop.symlink_to(path.name)
    elif kind == "broken-symlink":
        path.symlink_to(path.name + ".missing")
    else:
        raise ValueError(f"fs kind {kind!r}; known: {', '.join(FS_KINDS)}")


def apply_case(case: dict[str, Any], dest: Path, source: Path = EXAMPLE) -> Path:
    """Copy the inventory ``source`` (the example) to ``dest`` and break it as ``case`` says.

    ``write`` ({path: text}) runs first (a file the example does not have); ``fs``
    ({path: kind}) runs last: it replaces a file (or folder) of the copy by one of
    :data:`FS_KINDS`.
    """
    shutil.copytree(source, dest, symlinks=True)
    for name, content in (case.get("write") or {}).items():  # a file the example lacks
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / name).write_text(content, encoding="utf-8")
    target = dest / case.get("file", "trunks.yaml")
    if any(k in case for k in ("replace", "set", "delete", "append")):
        text = target.read_text(encoding="utf-8")
        for old, new in case.get("replace") or []:
            count = text.count(old)
            if count != 1:
                raise AssertionError(f"{case['name']}: {old!r} occurs {count} times, not once")
            text = text.replace(old, new)
        if any(k in case for k in ("set", "delete", "append")):
            doc = _patch(yaml.safe_load(text), case)
            text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=False)
        target.write_text(text, encoding="utf-8")
    for name, kind in (case.get("fs") or {}).items():
        _filesystem(dest, name, kind)
    return dest
