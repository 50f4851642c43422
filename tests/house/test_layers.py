"""The import rules of ARCHITECTURE.md, checked on the source: each folder imports only the
folders beneath it, and the front ends reach the core only through runs, report, intent and model.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "lagprov"

# folder -> the lagprov folders (top-level names) it may import, besides itself and `errors`.
ALLOWED: dict[str, frozenset[str]] = {
    "model": frozenset(),
    "knowledge": frozenset({"model"}),
    "intent": frozenset({"model", "knowledge"}),
    "observe": frozenset({"model", "knowledge"}),
    "verify": frozenset({"model", "knowledge"}),
    "edge": frozenset({"model", "knowledge"}),
    "provision": frozenset({"model", "knowledge", "intent", "observe"}),
    "report": frozenset({"model", "knowledge", "verify"}),
    "runs": frozenset({"model", "knowledge", "intent", "observe", "verify", "provision", "edge",
                       "report"}),
    "cli": frozenset({"model", "intent", "runs", "report", "lab", "service"}),
    "service": frozenset({"model", "intent", "runs", "report", "cli"}),
    "lab": frozenset({"model", "knowledge"}),
}
FRONT_ENDS = ("cli", "service")


def _imports(path: Path) -> set[str]:
    """Every `lagprov.<folder>` a module imports, at top level or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "lagprov" and len(parts) > 1:
                found.add(parts[1])
    return found


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if len(rel.parts) > 1:
            out.append((rel.parts[0], path))
    return out


def test_every_folder_has_a_rule() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(ALLOWED), "a new folder needs its line in ARCHITECTURE.md and ALLOWED"


@pytest.mark.parametrize(("folder", "path"), _modules(),
                         ids=lambda v: str(v.relative_to(PACKAGE)) if isinstance(v, Path) else v)
def test_imports_follow_the_layers(folder: str, path: Path) -> None:
    allowed = ALLOWED[folder] | {folder, "errors"}
    bad = sorted(_imports(path) - allowed)
    rel = path.relative_to(PACKAGE)
    assert not bad, f"{rel} imports lagprov.{bad} (allowed: {sorted(allowed)})"


def test_the_rules_catch_a_violation(tmp_path: Path) -> None:
    """The checker itself: an `edge` import inside a function of `verify` is found."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from lagprov.edge.sessions import NapalmSession\n")
    assert _imports(module) - ALLOWED["verify"] == {"edge"}


@pytest.mark.parametrize("folder", [f for f in ALLOWED if f not in FRONT_ENDS and f != "lab"])
def test_core_never_imports_front_ends_or_the_lab(folder: str) -> None:
    assert not ALLOWED[folder] & {"cli", "service", "lab"}
    if folder in {"model", "knowledge", "verify", "report"}:
        assert not ALLOWED[folder] & {"edge", "runs"}


def test_each_folder_names_its_public_api() -> None:
    for folder in ALLOWED:
        init = PACKAGE / folder / "__init__.py"
        tree = ast.parse(init.read_text(encoding="utf-8"))
        doc = ast.get_docstring(tree)
        assert doc, f"lagprov/{folder}/__init__.py has no docstring"
