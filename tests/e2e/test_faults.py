"""Faults during ``apply --commit``: the device ends exactly as it was, the others are applied.

Each run provisions one spare-slot trunk on the faulty device and on a healthy witness switch;
the lab injects the fault (lagprov.lab.base.Faults) on the first only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from lagprov.cli import main
from lagprov.edge.locks import device_lock
from lagprov.edge.nornir_glue import TransportChoice
from lagprov.intent.load import load_inventory
from lagprov.model.outcome import DeviceOutcome, OutcomeStatus
from lagprov.runs.provision import ProvisionReport, provision_run
from tests.e2e.conftest import E2eLab
from tests.e2e.kit import SWITCHES, Case, comparable, inventory_with, log_len, log_since

SLOT = 8
WITNESS = {"arista_eos": "juniper_junos"}  # the healthy switch of a run (EOS is the fastest)


def _cases(platform: str) -> tuple[Case, Case]:
    return Case(platform, "lacp-active", SLOT), Case(WITNESS.get(platform, "arista_eos"),
                                                      "lacp-active", SLOT)


@pytest.fixture()
def clean(lab: E2eLab, tmp_path: Path) -> Iterator[None]:
    """After the test: faults cleared and the spare-slot trunks removed from every switch."""
    yield
    for dev in SWITCHES.values():
        f = lab.fabric.faults(dev)
        f.reject_commands.clear()
        f.latency_s, f.auth_fail = 0.0, False
        f.drop_after_config_lines = f.config_locked_by = None
    gone = [Case(p, "lacp-active", SLOT).trunk_yaml(state="absent") for p in SWITCHES]
    report = provision_run(inventory_with(lab.inventory, tmp_path / "cleanup", gone),
                           commit=True)
    assert not report.failed, [o.error for o in report.failed]


def _run(lab: E2eLab, tmp_path: Path, platform: str, *, netmiko: bool = False,
         timeout_s: int = 30) -> tuple[ProvisionReport, DeviceOutcome]:
    victim, witness = _cases(platform)
    inv = inventory_with(lab.inventory, tmp_path / "inv",
                         [victim.trunk_yaml(), witness.trunk_yaml()])
    report = provision_run(inv, commit=True, choice=TransportChoice(
        netmiko_everywhere=netmiko, timeout_s=timeout_s))
    by_device = {o.device: o for o in report.outcomes}
    assert by_device[witness.device].status is OutcomeStatus.APPLIED, by_device[witness.device]
    return report, by_device[victim.device]


# Switch-wide enables a restore leaves on (issue 8 item 1): 'set port-channel disable' would
# drop every channel of an SMIS switch, so lagprov never sends it.
_LEFT_ON = ("set port-channel enable",)


def _unchanged(lab: E2eLab, device: str, before: str) -> None:
    # Every configuration line as before (the IOS byte count and ``!`` separators aside).
    was = comparable(before, keep_globals=True)
    now = [line for line in comparable(lab.fabric.running_config(device), keep_globals=True)
           if line in was or line not in _LEFT_ON]
    assert now == was


# The refused line is the forward one only (a device refusing ``channel-group 28 mode active``
# still takes ``no channel-group``), so the restore can get through.
_REJECT = {"cisco_ios": (f"channel-group {20 + SLOT} mode", "Invalid input"),
           "arista_eos": (f"channel-group {20 + SLOT} mode", "Invalid input"),
           "juniper_junos": (f"802.3ad ae{20 + SLOT}", "syntax error"),
           "supermicro_smis": (f"channel-group {20 + SLOT} mode", "Invalid Command")}


@pytest.mark.usefixtures("clean")
@pytest.mark.parametrize(("platform", "netmiko"), [
    ("cisco_ios", False), ("arista_eos", False),
    ("juniper_junos", False),
    ("supermicro_smis", False), ("cisco_ios", True), ("arista_eos", True)])
def test_rejected_command_restores_the_device(lab: E2eLab, tmp_path: Path, platform: str,
                                              netmiko: bool) -> None:
    device = SWITCHES[platform]
    before = lab.fabric.running_config(device)
    word, error = _REJECT[platform]
    lab.fabric.faults(device).reject_commands.add(word)
    report, out = _run(lab, tmp_path, platform, netmiko=netmiko)
    assert out.failed and out.error_kind == "rejected", out
    assert error in (out.error or ""), out.error
    assert out.status is OutcomeStatus.ROLLED_BACK, out.messages
    _unchanged(lab, device, before)
    assert len(report.failed) == 1


@pytest.mark.usefixtures("clean")
@pytest.mark.parametrize(("platform", "netmiko"), [
    ("cisco_ios", True), ("arista_eos", True),
    ("supermicro_smis", False), ("juniper_junos", True)])
def test_session_dropped_mid_push_restores_the_device(lab: E2eLab, tmp_path: Path,
                                                      platform: str, netmiko: bool) -> None:
    device = SWITCHES[platform]
    before = lab.fabric.running_config(device)
    lab.fabric.faults(device).drop_after_config_lines = 3
    start = log_len(lab.fabric, device)
    _, out = _run(lab, tmp_path, platform, netmiko=netmiko, timeout_s=5)
    assert out.failed and out.error_kind == "unreachable", out
    assert log_since(lab.fabric, device, start), "the push should have started"
    assert out.status is OutcomeStatus.ROLLED_BACK, out
    _unchanged(lab, device, before)


@pytest.mark.usefixtures("clean")
def test_timeout_fails_the_device_only(lab: E2eLab, tmp_path: Path) -> None:
    device = SWITCHES["cisco_ios"]
    before = lab.fabric.running_config(device)
    lab.fabric.faults(device).latency_s = 3.0
    start = log_len(lab.fabric, device)
    _, out = _run(lab, tmp_path, "cisco_ios", timeout_s=1)
    assert out.failed and out.error_kind == "timeout", out
    assert device in (out.error or "")
    assert log_since(lab.fabric, device, start) == []
    lab.fabric.faults(device).latency_s = 0.0
    _unchanged(lab, device, before)


@pytest.mark.usefixtures("clean")
def test_junos_configuration_locked_by_another_user(lab: E2eLab, tmp_path: Path) -> None:
    device = SWITCHES["juniper_junos"]
    before = lab.fabric.running_config(device)
    lab.fabric.faults(device).config_locked_by = "alice"
    _, out = _run(lab, tmp_path, "juniper_junos")
    assert out.status is OutcomeStatus.ROLLED_BACK and out.error_kind == "commit", out
    assert "alice" in (out.error or "") and "locked" in (out.error or ""), out.error
    _unchanged(lab, device, before)


@pytest.mark.usefixtures("clean")
def test_auth_failure_exit_3_and_no_credential_in_any_output(
        lab: E2eLab, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    device = SWITCHES["cisco_ios"]
    before = lab.fabric.running_config(device)
    victim, witness = _cases("cisco_ios")
    inv_dir = tmp_path / "inv"
    inventory_with(lab.inventory, inv_dir, [victim.trunk_yaml(), witness.trunk_yaml()])
    lab.fabric.faults(device).auth_fail = True
    code = main(["apply", "--commit", "--inventory", str(inv_dir), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 3
    report = json.loads(out)
    status = {o["device"]: (o["status"], o["error_kind"]) for o in report["outcomes"]}
    assert status == {device: ("failed", "auth"), witness.device: ("applied", None)}
    _unchanged(lab, device, before)
    text_code = main(["apply", "--commit", "--inventory", str(inv_dir), "-v"])
    text, text_err = capsys.readouterr()
    assert text_code == 3 and "authentication failed" in text
    for secret in ("lab-password", "lab-secret"):
        for where in (out, err, text, text_err):
            assert secret not in where


@pytest.mark.usefixtures("clean")
def test_device_locked_by_another_run_is_not_touched(lab: E2eLab, tmp_path: Path) -> None:
    device = SWITCHES["arista_eos"]
    before = lab.fabric.running_config(device)
    start = log_len(lab.fabric, device)
    sw = load_inventory(lab.inventory).switch(device)
    # The lock is keyed by the device's address (issue 16): the name alone is another key.
    with device_lock(device, exclusive=True, address=f"{sw.address}:{sw.port}"):
        _, out = _run(lab, tmp_path, "arista_eos")
    assert out.status is OutcomeStatus.FAILED
    assert "locked by another lagprov run" in (out.error or ""), out.error
    assert log_since(lab.fabric, device, start) == []
    _unchanged(lab, device, before)


@pytest.mark.parametrize("force", [False, True])
def test_member_in_another_channel_blocks_the_device(lab: E2eLab, tmp_path: Path,
                                                     force: bool) -> None:
    device = SWITCHES["cisco_ios"]
    victim, _ = _cases("cisco_ios")
    port = "GigabitEthernet1/0/" + victim.members[0].rsplit("/", 1)[1]
    lab.fabric.load_config(device, [f"interface {port}", " channel-group 40 mode active"])
    try:
        before = lab.fabric.running_config(device)
        inv_dir = tmp_path / "inv"
        inventory_with(lab.inventory, inv_dir, [victim.trunk_yaml()])
        start = log_len(lab.fabric, device)
        argv = ["apply", "--commit", "--inventory", str(inv_dir), "--format", "json"]
        code = main(argv + (["--force"] if force else []))
        assert code == 1
        assert log_since(lab.fabric, device, start) == []
        assert lab.fabric.running_config(device) == before
    finally:
        lab.fabric.load_config(device, [f"interface {port}", " no channel-group",
                                        "no interface Port-channel40"])
