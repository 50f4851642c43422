"""Issue 8, "Scope exactly what was asked": a trunk filter changes only that trunk, an unknown
filter is refused with suggestions, a conflict holds back only its own trunk, --replace."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagprov.cli import main
from lagprov.intent.load import load_inventory
from lagprov.model.outcome import OutcomeStatus
from lagprov.provision.device import provision_device
from lagprov.provision.precheck import run_checks
from lagprov.runs.provision import ProvisionReport, held_trunks
from lagprov.runs.scope import trunk_scope
from tests.conftest import EXAMPLE_INVENTORY
from tests.unit.test_provision import RecordingSession

INV = load_inventory(EXAMPLE_INVENTORY)
# cat9300-1 carries hv01-team (Po10: Gi1/0/1-2) and core-cat9300-ex4300 (Po1: Te1/1/1-2).
BASE = ("hostname cat9300-1\n"
        + "".join(f"interface GigabitEthernet1/0/{i}\n!\n" for i in range(1, 49))
        + "".join(f"interface TenGigabitEthernet1/1/{i}\n!\n" for i in range(1, 5)))
HV01 = ("GigabitEthernet1/0/1", "GigabitEthernet1/0/2", "Port-channel10")
CORE = ("TenGigabitEthernet1/1/", "Port-channel1\n")


def _plan(running: str, **kw: object) -> tuple[OutcomeStatus, str, tuple[str, ...]]:
    out = provision_device(RecordingSession(running), INV, "cat9300-1", commit=False,
                           device_diff=False, checker=run_checks, **kw)  # type: ignore[arg-type]
    assert out.plan is not None
    return out.status, "\n".join(out.plan.remediation) + "\n", out.plan.notes


def test_trunk_filter_scopes_each_device_to_that_trunk() -> None:
    scope = trunk_scope(INV, ["hv01-team"])
    assert scope == {"cat9300-1": frozenset({"hv01-team"})}
    whole = trunk_scope(INV, ["cat9300-1"])
    assert whole["cat9300-1"] == frozenset({"hv01-team", "core-cat9300-ex4300"})
    # a switch-to-switch trunk selects both of its switches, with only that trunk on each
    core = trunk_scope(INV, ["core-cat9300-ex4300"])
    assert core == {"cat9300-1": frozenset({"core-cat9300-ex4300"}),
                    "ex4300-1": frozenset({"core-cat9300-ex4300"})}


def test_filtered_plan_touches_only_that_trunk_and_notes_the_other() -> None:
    status, lines, notes = _plan(BASE, trunks=["hv01-team"])
    assert status is OutcomeStatus.PLANNED
    assert all(h in lines for h in HV01)
    assert not any(h in lines for h in CORE), lines
    assert any(n.startswith("not in this change: core-cat9300-ex4300") for n in notes), notes


@pytest.mark.parametrize("command", ["plan", "apply", "verify", "audit"])
def test_unknown_filter_exits_2_with_suggestions(command: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code = main([command, "--inventory", str(EXAMPLE_INVENTORY), "--filter", "hv01-teem"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "'hv01-teem'" in err and "did you mean: hv01-team" in err, err
    assert "nothing was sent" in err


def test_unknown_replace_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["plan", "--inventory", str(EXAMPLE_INVENTORY), "--replace", "cat9300-1"])
    err = capsys.readouterr().err
    assert code == 2 and "--replace: not a trunk" in err, err


_HAND_MEMBER = BASE.replace("interface GigabitEthernet1/0/2\n!",
                            "interface GigabitEthernet1/0/2\n channel-group 5 mode active\n!")
_HAND_CHANNEL = BASE.replace(
    "interface GigabitEthernet1/0/5\n!",
    "interface GigabitEthernet1/0/5\n description keep-me\n channel-group 10 mode active\n!")


@pytest.mark.parametrize(("running", "check"), [(_HAND_MEMBER, "member-free"),
                                                 (_HAND_CHANNEL, "channel-free")])
def test_conflict_holds_back_its_trunk_only(running: str, check: str) -> None:
    out = provision_device(RecordingSession(running), INV, "cat9300-1", commit=False,
                           device_diff=False, checker=run_checks)
    assert out.status is OutcomeStatus.PLANNED, out.messages
    assert out.plan is not None and out.plan.trunks == ("core-cat9300-ex4300",)
    lines = "\n".join(out.plan.remediation) + "\n"
    assert not any(h in lines for h in HV01) and "TenGigabitEthernet1/1/1" in lines
    found = [c for c in out.plan.checks if c.check == check]
    assert found and found[0].trunk == "hv01-team"
    assert "--replace hv01-team" in found[0].message  # the remediation is shown
    report = ProvisionReport(command="plan", started="", finished="", commit=False,
                             outcomes=(out,))
    assert held_trunks(out) == ("hv01-team",) and report.blocked == (out,)  # exit 1


def test_replace_moves_a_member_from_another_channel() -> None:
    status, lines, _ = _plan(_HAND_MEMBER, replace=["hv01-team"])
    assert status is OutcomeStatus.PLANNED
    port = lines.split("interface GigabitEthernet1/0/2\n", 1)[1].split("interface ")[0]
    assert " no channel-group\n" in port and " channel-group 10 mode active\n" in port
    assert port.index(" no channel-group") < port.index(" channel-group 10")


def test_replace_takes_unnamed_ports_out_of_the_bundle_and_keeps_their_lines() -> None:
    status, lines, _ = _plan(_HAND_CHANNEL, replace=["hv01-team"])
    assert status is OutcomeStatus.PLANNED
    port = lines.split("interface GigabitEthernet1/0/5\n", 1)[1].split("interface ")[0]
    assert port.split("\n")[:-1] == [" no channel-group"], port


def test_replace_without_a_conflict_changes_nothing_more(tmp_path: Path) -> None:
    assert _plan(BASE, replace=["hv01-team"])[1] == _plan(BASE)[1]
