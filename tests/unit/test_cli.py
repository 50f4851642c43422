"""The CLI front end: every broken inventory gets its exit code and a message naming file and
field, with no traceback and nothing sent; render covers every platform of the example."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from lagprov.cli import main
from tests.conftest import EXAMPLE_INVENTORY
from tests.lint.mutate import apply_case, load_cases

EXIT = {"input-error": 2, "lint-error": 1, "lint-warning": 0}
CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_validate_exit_code_and_message(case: dict[str, Any], tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    inv = apply_case(case, tmp_path / "inv")
    code = main(["validate", "--inventory", str(inv)])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == EXIT[case["expect"]], text
    assert "Traceback" not in text
    assert case["field"] in text
    assert case.get("file", "trunks.yaml") in text


PLAN_CASES = [c for c in CASES if c["expect"] != "lint-warning"]


@pytest.mark.parametrize("case", PLAN_CASES, ids=[c["name"] for c in PLAN_CASES])
def test_plan_refuses_before_any_device_is_contacted(
        case: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`plan` on a broken inventory: the same exit code as validate, the file and field named,
    no traceback, and the run never started (the sessions themselves are counted in the lab by
    tests/e2e/test_broken_inventory_lab.py)."""
    import lagprov.cli.workflow_cmds as workflow_cmds

    opened: list[object] = []

    def no_devices(*args: object, **kwargs: object) -> object:
        opened.append(args)
        raise AssertionError("a run was started for a broken inventory")

    monkeypatch.setattr(workflow_cmds, "provision_run", no_devices)
    inv = apply_case(case, tmp_path / "inv")
    code = main(["plan", "--inventory", str(inv)])
    out = capsys.readouterr()
    text = out.out + out.err
    assert opened == []
    assert code == EXIT[case["expect"]], text
    assert "Traceback" not in text
    assert case["field"] in text
    assert case.get("file", "trunks.yaml") in text


def test_clean_example_validates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--inventory", str(EXAMPLE_INVENTORY)]) == 0
    assert capsys.readouterr().out.startswith("OK: 8 trunks")


def test_render_every_switch_of_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--inventory", str(EXAMPLE_INVENTORY)]) == 0
    out = capsys.readouterr().out
    for needle in ("channel-group 10 mode active",  # cat9300-1, eos7120-1
                   "channel-group 1 mode on",  # cat2960s-1 static
                   "set interfaces ge-0/0/10 ether-options 802.3ad ae1",  # ex4300-1
                   "set chassis aggregated-devices ethernet device-count 2",
                   "set port-channel enable",  # sse-x24s-1
                   "   mtu 9214"):  # eos7120-1 Port-Channel10
        assert needle in out, needle


def test_render_unknown_host_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--inventory", str(EXAMPLE_INVENTORY), "--host", "nope"]) == 2
    assert "not a switch" in capsys.readouterr().err


def test_render_unsupported_feature_is_refused(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    inv = apply_case({"name": "fast-on-2960", "set": {
        "trunks[esx01-vswitch0].switch.mode": "lacp-active",
        "trunks[esx01-vswitch0].switch.lacp_rate": "fast"}}, tmp_path / "inv")
    assert main(["render", "--inventory", str(inv), "--host", "cat2960s-1"]) == 2
    err = capsys.readouterr().err
    assert "lacp-rate-fast" in err and "esx01-vswitch0" in err and "nothing was rendered" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--no-such-option"]) == 2
    assert main(["render", "--format", "xml"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_missing_credentials_are_bad_input(monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("LAGPROV_USERNAME")
    assert main(["plan", "--inventory", str(EXAMPLE_INVENTORY)]) == 2
    assert "LAGPROV_USERNAME" in capsys.readouterr().err
