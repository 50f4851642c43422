"""Golden files: every platform x mode x (create, remove).

The golden files were written by hand from vendor-cli.md (and docs/smis-outputs.md for
SMIS) before the templates existed; a mismatch shows a unified diff.  To change a golden
file, edit it by hand and say why: there is deliberately no --update-golden switch.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from lagprov.provision.render import render_device
from tests.render.cases import MODES, SWITCHES, inventory, trunk

GOLDEN = Path(__file__).parent / "golden"

CASES = [(v, mode, action) for v in ("cisco_ios", "arista_eos", "juniper_junos",
                                     "supermicro_smis")
         for mode in MODES for action in ("create", "remove")]
CASES.append(("juniper_junos_classic", "lacp-active", "create"))


def golden_path(variant: str, mode: str, action: str) -> Path:
    platform = SWITCHES[variant][1].value
    suffix = "-classic" if variant.endswith("_classic") else ""
    return GOLDEN / platform / f"{mode}{suffix}.{action}.cfg"


def assert_golden(actual: str, path: Path) -> None:
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True),
            fromfile=f"{path} (golden)", tofile="rendered"))
        pytest.fail(f"rendered config differs from {path.name}:\n{diff}", pytrace=False)


@pytest.mark.parametrize(("variant", "mode", "action"), CASES,
                         ids=[f"{v}/{m}.{a}" for v, m, a in CASES])
def test_golden(variant: str, mode: str, action: str) -> None:
    inv = inventory(variant, trunk(variant, mode))
    cfg = render_device(inv, SWITCHES[variant][0], remove=action == "remove")
    assert_golden(cfg.text, golden_path(variant, mode, action))


@pytest.mark.parametrize(("variant", "mode"), [(v, m) for v, m, a in CASES if a == "remove"])
def test_absent_trunk_renders_its_removal(variant: str, mode: str) -> None:
    inv = inventory(variant, trunk(variant, mode, state="absent"))
    cfg = render_device(inv, SWITCHES[variant][0])
    assert_golden(cfg.text, golden_path(variant, mode, "remove"))


def test_every_golden_file_is_used() -> None:
    used = {golden_path(v, m, a) for v, m, a in CASES}
    on_disk = set(GOLDEN.rglob("*.cfg"))
    assert on_disk == used
