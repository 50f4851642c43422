"""Stacks and Virtual Chassis (issue 10): a switch declares its members (``data.stack_members``)
and the ports of every declared member are ports of the one logical switch; a bundle across
members is one switch end.  A port on an undeclared member, or members a model cannot have,
are exit 2 naming the file and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lagprov.cli import main
from lagprov.intent import load_inventory
from lagprov.knowledge.platforms import HARDWARE
from lagprov.knowledge.platforms.stacks import stacked

STACKS = Path(__file__).resolve().parents[1] / "inventories" / "stacks"


@pytest.fixture
def inv(tmp_path: Path) -> Path:
    root = tmp_path / "inv"
    shutil.copytree(STACKS, root)
    return root


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _validate(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["validate", "--inventory", str(root)])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_validate_accepts_a_stacked_9300_and_an_ex_virtual_chassis(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _validate(STACKS, capsys)
    assert code == 0, text
    loaded = load_inventory(STACKS)
    ends = {t.name: t.switch_ends[0] for t in loaded.trunks}
    # One switch end each, its members on two stack members / FPCs.
    assert ends["srv-stack-cross"].members == ("GigabitEthernet1/0/5", "GigabitEthernet2/0/5")
    assert ends["srv-vc-cross"].members == ("ge-0/0/5", "ge-1/0/5")
    cat = loaded.switch("stack9300")
    assert cat.stack_members == (1, 2)
    assert loaded.hardware[cat.hardware].stack_members == (1, 2)
    assert loaded.hardware[cat.hardware].name == "C9300-48P"  # what show version prints


def test_a_port_on_an_undeclared_member_is_refused_with_file_and_field(
        inv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(inv, "trunks.yaml", "Gi2/0/5", "Gi3/0/5")
    _edit(inv, "trunks.yaml", "ge-1/0/5", "ge-2/0/5")
    code, text = _validate(inv, capsys)
    assert code == 2
    assert (f"{inv / 'trunks.yaml'}: trunks[0] (srv-stack-cross).switch[0].members[1]: "
            "stack9300 (C9300-48P) has no port 'GigabitEthernet3/0/5'") in text
    assert "members are 1, 2 (hosts.yaml data.stack_members)" in text
    assert f"{inv / 'trunks.yaml'}: trunks[1] (srv-vc-cross).switch[0].members[1]" in text


def test_an_unstacked_switch_has_only_its_own_members_ports(
        inv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(inv, "hosts.yaml", "    stack_members: [1, 2]\n", "")
    code, text = _validate(inv, capsys)
    assert code == 2
    assert "has no port 'GigabitEthernet2/0/5'; a port of another StackWise-480 member " \
           "needs the members declared in hosts.yaml data.stack_members" in text


@pytest.mark.parametrize(("old", "new", "message"), [
    ("stack_members: [0, 1]", "stack_members: [0, 10]",
     "exvc.data.stack_members: Virtual Chassis member numbers are 0..9 on EX4300-48T; got [10]"),
    ("stack_members: [1, 2]", "stack_members: [1, 1]",
     "stack9300.data.stack_members: member numbers given twice: [1, 1]"),
    ("stack_members: [1, 2]", "stack_members: 2",
     "stack9300.data.stack_members: expected a list of member numbers (e.g. [1, 2]), got 2"),
    ("hardware: C9300-48P", "hardware: C9500-40X",
     "stack9300.data.stack_members: C9500-40X does not stack"),
])
def test_members_the_model_cannot_have_are_refused(inv: Path, old: str, new: str, message: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    _edit(inv, "hosts.yaml", old, new)
    code, text = _validate(inv, capsys)
    assert code == 2
    assert f"{inv / 'hosts.yaml'}: {message}" in text


def test_an_uncatalogued_stack_is_allowed_with_the_warning(
        inv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(inv, "hosts.yaml", "hardware: C9300-48P", "hardware: C9300-24UX-NEW")
    code, text = _validate(inv, capsys)
    assert code == 0, text
    assert "hardware-uncatalogued" in text  # the ports (of every member) are not checked
    loaded = load_inventory(inv)
    assert loaded.switch("stack9300").stack_members == (1, 2)


def test_the_stacked_ports_are_the_models_ports_once_per_member() -> None:
    base = HARDWARE["C9300-48UXM"]
    two = stacked(base, [2, 1])
    assert len(two.port_names()) == 2 * len(base.port_names())
    assert two.port_speed("TwoGigabitEthernet2/0/36") == 2500
    assert two.port_speed("TenGigabitEthernet2/1/8") == 10000
    assert two.port_speed("TwoGigabitEthernet3/0/1") is None
    vc = stacked(HARDWARE["EX4300-48T"], [0, 3])
    assert {"ge-0/0/0", "ge-3/0/47"} <= set(vc.port_names())
    assert "ge-1/0/0" not in vc.port_names()


def test_the_data_says_what_a_cross_stack_bundle_supports() -> None:
    # Catalyst 2960-S FlexStack: a cross-stack EtherChannel takes LACP or 'on', not PAgP.
    flex = HARDWARE["WS-C2960S-48TS-L"]
    assert (flex.stack_technology, flex.stack_member_max) == ("FlexStack", 4)
    assert flex.stack_cross_protocols == ("lacp", "static")
    assert "pagp" not in flex.stack_cross_protocols
    assert HARDWARE["C9500-40X"].stack_technology == ""  # StackWise Virtual: not a stack here
    assert not HARDWARE["DCS-7050SX-64"].stack_technology  # EOS: MLAG, not stacking

