"""Every broken inventory of tests/inventories/cases.yaml is caught, by the loader or by lint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lagprov.errors import InputErrors
from lagprov.intent.lint import (
    EXIT_FINDINGS,
    EXIT_INPUT_ERROR,
    EXIT_OK,
    RULES,
    lint_folder,
    lint_inventory,
)
from lagprov.intent.load import load_inventory
from lagprov.model.types import Severity
from tests.lint.mutate import EXAMPLE, FS_KINDS, apply_case, load_cases

CASES = load_cases()
EXPECT = {"input-error", "lint-error", "lint-warning"}


def test_cases_are_well_formed() -> None:
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    assert len(CASES) >= 25
    rule_ids = {r.id for r in RULES}
    for c in CASES:
        assert c["expect"] in EXPECT, c["name"]
        assert c.get("description"), c["name"]
        assert c.get("field"), f"{c['name']}: every case names the field it breaks"
        assert any(k in c for k in ("set", "delete", "append", "replace", "fs")), c["name"]
        assert all(kind in FS_KINDS for kind in (c.get("fs") or {}).values()), c["name"]
        assert c.get("class", ISSUE_CLASSES[0]) in ISSUE_CLASSES, c["name"]
        if c["expect"] != "input-error":
            assert c["rule"] in rule_ids, c["name"]
            assert c.get("trunk"), c["name"]


# The kinds of broken input issue 16 lists; each needs cases of its own.
ISSUE_CLASSES = ("yaml-types", "duplicate-keys", "structure", "filesystem", "credentials",
                 "model-range", "no-hostname", "peer-self", "team-twice", "host-mtu",
                 "shell-names")


def test_every_kind_of_broken_input_has_cases() -> None:
    counts = {k: sum(1 for c in CASES if c.get("class") == k) for k in ISSUE_CLASSES}
    assert all(n >= 2 for n in counts.values()), counts
    assert len(CASES) >= 117  # issue 16: at least 60 cases beyond the 57 it started with
    assert sum(1 for c in CASES if c["expect"] == "lint-error") >= 30  # plan/apply refuse these


def test_every_rule_has_a_case_except_unsafe_text() -> None:
    # unsafe-text cannot be reached through the loader (it refuses the same text first);
    # tests/lint/test_rules.py covers it on a model built without validation.
    covered = {c["rule"] for c in CASES if "rule" in c}
    assert {r.id for r in RULES} - covered == {"unsafe-text"}


def test_example_inventory_has_no_error() -> None:
    findings = lint_inventory(load_inventory(EXAMPLE))
    errors = [f for f in findings if f.severity is Severity.ERROR]
    assert errors == []
    assert lint_folder(EXAMPLE).exit_code == EXIT_OK


def _error_locations(exc: InputErrors) -> list[tuple[str, str]]:
    return [(e.location, e.message) for e in exc.errors]


@pytest.mark.parametrize("case", [c for c in CASES if c["expect"] == "input-error"],
                         ids=lambda c: c["name"])
def test_input_error_case(case: dict[str, Any], tmp_path: Path) -> None:
    root = apply_case(case, tmp_path / "inv")
    with pytest.raises(InputErrors) as info:
        load_inventory(root)
    errors = _error_locations(info.value)
    hits = [(loc, msg) for loc, msg in errors
            if case["file"] in loc and case["field"] in loc
            and case.get("message", "") in msg]
    assert hits, f"no error names {case['file']} / {case['field']!r}: {errors}"
    assert lint_folder(root).exit_code == EXIT_INPUT_ERROR


@pytest.mark.parametrize("case", [c for c in CASES if c["expect"] != "input-error"],
                         ids=lambda c: c["name"])
def test_lint_case(case: dict[str, Any], tmp_path: Path) -> None:
    root = apply_case(case, tmp_path / "inv")
    findings = lint_inventory(load_inventory(root))  # must load: the mistake is semantic
    want = Severity.ERROR if case["expect"] == "lint-error" else Severity.WARNING
    hits = [f for f in findings
            if f.rule == case["rule"] and f.severity is want and f.trunk == case["trunk"]
            and case["field"] in f.field and case.get("message", "") in f.message]
    assert hits, f"expected {case['rule']} ({want}) at {case['field']!r}, got:\n" + "\n".join(
        f"  {f.rule} {f.severity} {f.field}: {f.message}" for f in findings)
    assert all(f.file == str(root / "trunks.yaml") for f in hits)
    expected_exit = EXIT_FINDINGS if want is Severity.ERROR else EXIT_OK
    if want is Severity.WARNING:
        assert not [f for f in findings if f.severity is Severity.ERROR], findings
    assert lint_folder(root).exit_code == expected_exit
