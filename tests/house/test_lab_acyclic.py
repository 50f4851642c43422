"""The lab has no import cycles: within each simulator imports run one way (state/config -> show
commands -> CLI -> the switch), checked on the source with every import counted (top level, inside
functions, under ``if TYPE_CHECKING:``).
"""

from __future__ import annotations

import ast
from pathlib import Path

LAB = Path(__file__).resolve().parents[2] / "lagprov" / "lab"


def _module_name(path: Path, root: Path, package: str) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([package, *parts])


def _targets(node: ast.AST, here: str, is_package: bool) -> list[str]:
    """The dotted names one import statement loads (a `from X import y` may load `X.y`)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        anchor = here.split(".")
        anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
        base = ".".join([*anchor, base]) if base else ".".join(anchor)
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """module -> the modules of `package` (a folder `root`) it imports, however and wherever."""
    paths = {_module_name(p, root, package): p for p in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        edges: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            for target in _targets(node, name, path.name == "__init__.py"):
                parts = target.split(".")
                # importing a.b.c runs a, a.b and a.b.c: every one that is a module of ours
                for i in range(1, len(parts) + 1):
                    dotted = ".".join(parts[:i])
                    if dotted in paths and dotted != name:
                        edges.add(dotted)
        graph[name] = edges
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a path that ends where it starts) per back edge of a depth-first search."""
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return cycles


def test_the_lab_has_no_import_cycle() -> None:
    cycles = find_cycles(import_graph(LAB, "lagprov.lab"))
    text = "\n".join(" -> ".join(cycle) for cycle in cycles)
    if cycles:
        print(f"import cycles in lagprov.lab:\n{text}")
    assert not cycles, f"import cycles in lagprov.lab:\n{text}"


def test_the_graph_sees_the_lab() -> None:
    """The checker reads the real lab: it finds the switch's imports of its own folder."""
    graph = import_graph(LAB, "lagprov.lab")
    assert "lagprov.lab.ios.config" in graph["lagprov.lab.ios.switch"]
    assert "lagprov.lab.ios.files" in graph["lagprov.lab.ios.showcmd"]


def test_the_checker_finds_a_cycle(tmp_path: Path) -> None:
    """Two modules that import each other, one inside a function, the other for typing only."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from pkg import b\n    return b\n")
    (pkg / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import f\n"
    )
    (pkg / "c.py").write_text("from . import a\n")
    graph = import_graph(pkg, "pkg")
    assert graph["pkg.c"] == {"pkg", "pkg.a"}
    assert find_cycles(graph) == [["pkg.a", "pkg.b", "pkg.a"]]
    (pkg / "b.py").write_text("X = 1\n")
    assert find_cycles(import_graph(pkg, "pkg")) == []
