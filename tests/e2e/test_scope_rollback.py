"""Issue 8 on the lab: a trunk filter changes only that trunk, and a committed run is undone by
``lagprov rollback RUN_ID --commit``, line for line.

Each device carries two trunks of this module (slots 9 and 10).  After a baseline apply,
someone changes trunk B by hand; then trunk A's intent changes and ``--filter A`` must plan,
apply and roll back only A's sections, leaving B's hand change alone.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from lagprov.cli import main
from lagprov.runs.provision import provision_run
from tests.e2e.conftest import E2eLab
from tests.e2e.kit import Case, add_vlans, comparable, inventory_with, log_len, log_since

# Hand change on trunk B's bundle, as an engineer would type it (vendor-cli.md: interface
# description on IOS/EOS/SMIS; Junos ``set interfaces aeN description``).
_HAND = {
    "cisco_ios": ["interface Port-channel{ch}", " description hand-change"],
    "arista_eos": ["interface Port-Channel{ch}", " description hand-change"],
    "supermicro_smis": ["interface port-channel {ch}", " description hand-change", " exit"],
    "juniper_junos": ["set interfaces ae{ch} description hand-change"],
}
# (platform, netmiko): IOS and Junos over NAPALM, SMIS over Netmiko (its only transport),
# EOS over Netmiko.
PLATFORMS = [("cisco_ios", False), ("supermicro_smis", False), ("juniper_junos", False),
             ("arista_eos", True)]


def _hand(lab: E2eLab, case: Case, lines: list[str]) -> None:
    lab.fabric.load_config(case.device, [x.format(ch=case.channel) for x in lines])


def _changed(case: Case) -> dict[str, Any]:
    """Trunk A with a new description and VLAN: what the filtered run changes."""
    t = case.trunk_yaml()
    t["switch"]["description"] = "changed-by-run"
    t["switch"]["l2"] = {"mode": "access", "vlan": 300 + case.slot}
    return t


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


def _lines_of(report: dict[str, Any], device: str) -> list[str]:
    [outcome] = [o for o in report["outcomes"] if o["device"] == device]
    return list(outcome["plan"]["remediation"]) if outcome["plan"] else []


def _mentions(lines: list[str], case: Case) -> bool:
    """Whether any line is about ``case``'s members or bundle (on any platform's spelling:
    ``1/0/19``, ``Ex 0/19``, ``ge-0/0/19``, ``Ethernet19``; ``Port-channel30``,
    ``port-channel 30``, ``ae30``)."""
    numbers = "|".join(m.rsplit("/", 1)[-1].removeprefix("Ethernet") for m in case.members)
    pattern = re.compile(rf"(?:0/|Ethernet)(?:{numbers})(?!\d)|(?:hannel ?|ae){case.channel}(?!\d)")
    return any(pattern.search(line) for line in lines)


@pytest.mark.parametrize(("platform", "netmiko"), PLATFORMS)
def test_filter_apply_and_rollback_line_for_line(lab: E2eLab, tmp_path: Path, platform: str,
                                                 netmiko: bool,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    a, b = Case(platform, "lacp-passive", 9), Case(platform, "lacp-passive", 10)
    device = a.device
    # the trunks' VLANs exist before the run (pre-change check 'vlans-exist')
    add_vlans(lab.fabric, device, platform, (a.access_vlan, b.access_vlan, 300 + a.slot))
    base = provision_run(inventory_with(lab.inventory, tmp_path / "base",
                                        [a.trunk_yaml(), b.trunk_yaml()]), commit=True)
    assert not base.failed, [o.error for o in base.failed]
    _hand(lab, b, _HAND[platform])
    inv = tmp_path / "inv"
    inventory_with(lab.inventory, inv, [_changed(a), b.trunk_yaml()])
    transport = ["--netmiko"] if netmiko else []

    code, out = _cli(capsys, "plan", "-i", str(inv), "--filter", a.trunk, "--format", "json",
                     *transport)
    assert code == 0, out
    plan = json.loads(out)
    lines = _lines_of(plan, device)
    assert lines and _mentions(lines, a), lines
    assert not _mentions(lines, b), lines  # B's hand change is not in this change
    assert not any("hand-change" in x for x in lines), lines
    [outcome] = plan["outcomes"]
    assert any(n.startswith(f"not in this change: {b.trunk}") for n in outcome["plan"]["notes"])

    before = lab.fabric.running_config(device)
    code, out = _cli(capsys, "apply", "-i", str(inv), "--filter", a.trunk, "--commit",
                     "--format", "json", *transport)
    assert code == 0, out
    run_id = json.loads(out)["run_id"]
    changed = lab.fabric.running_config(device)
    assert comparable(changed, keep_globals=True) != comparable(before, keep_globals=True)
    assert "hand-change" in changed  # trunk B was not touched

    code, out = _cli(capsys, "rollback", run_id, "-i", str(inv), "--commit", *transport)
    assert code == 0, out
    assert comparable(lab.fabric.running_config(device), keep_globals=True) == comparable(
        before, keep_globals=True)

    start = log_len(lab.fabric, device)
    code, out = _cli(capsys, "rollback", run_id, "-i", str(inv), "--format", "json",
                     *transport)
    assert code == 0, out
    again = json.loads(out)
    assert [o["status"] for o in again["outcomes"]] == ["no-change"], again
    assert "nothing to restore" in again["outcomes"][0]["messages"][0]
    assert log_since(lab.fabric, device, start) == []

    code, out = _cli(capsys, "runs", "--format", "json")
    assert code == 0
    runs = json.loads(out)
    assert runs[0]["command"] == "rollback" and runs[0]["trunks"] == [a.trunk]
    assert runs[1]["id"] == run_id and runs[1]["devices"] == [device]
    # leave the device as the next case expects: both trunks gone
    gone = provision_run(inventory_with(lab.inventory, tmp_path / "gone",
                                        [a.trunk_yaml(state="absent"),
                                         b.trunk_yaml(state="absent")]), commit=True)
    assert not gone.failed, [o.error for o in gone.failed]


def test_rollback_refuses_when_the_device_changed_since_the_run(
        lab: E2eLab, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = Case("cisco_ios", "lacp-passive", 11)
    device = a.device
    add_vlans(lab.fabric, device, a.platform, [a.access_vlan])  # 'vlans-exist'
    inv = tmp_path / "inv"
    inventory_with(lab.inventory, inv, [a.trunk_yaml()])
    before = lab.fabric.running_config(device)
    code, out = _cli(capsys, "apply", "-i", str(inv), "--commit", "--format", "json")
    assert code == 0, out
    run_id = json.loads(out)["run_id"]
    _hand(lab, a, ["interface Port-channel{ch}", " description edited-after-the-run"])
    start = log_len(lab.fabric, device)
    code, out = _cli(capsys, "rollback", run_id, "-i", str(inv), "--commit")
    assert code == 1, out
    assert "changed since run" in out and "edited-after-the-run" in out, out
    assert log_since(lab.fabric, device, start) == []  # refused: nothing sent
    code, out = _cli(capsys, "rollback", run_id, "-i", str(inv), "--commit", "--force")
    assert code == 0, out
    assert comparable(lab.fabric.running_config(device), keep_globals=True) == comparable(
        before, keep_globals=True)
