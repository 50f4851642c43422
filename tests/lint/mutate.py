"""Apply a broken-inventory case of tests/inventories/cases.yaml to a copy of inventory/."""

from __future__ import annotations

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


def apply_case(case: dict[str, Any], dest: Path) -> Path:
    """Copy the example inventory to ``dest`` and break it as ``case`` says."""
    shutil.copytree(EXAMPLE, dest)
    target = dest / case.get("file", "trunks.yaml")
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
    return dest
