"""Faults from outside (issue 16): a switch that dies mid-push, two runs at once, Ctrl-C twice.

A switch that dies mid-push (``Faults.die_after``: it handles that line, then every session
is cut until the test restarts it) leaves its run ``incomplete`` in the run store with the
lines it confirmed; ``runs`` and ``plan`` say so and ``rollback RUN --commit`` restores every
device the run touched once the switch answers again.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lagprov.cli import main
from lagprov.edge.locks import device_lock
from lagprov.edge.nornir_glue import TransportChoice
from lagprov.intent.load import load_inventory
from lagprov.model.outcome import OutcomeStatus
from lagprov.runs.provision import provision_run
from lagprov.runs.store import FileRunStore
from tests.e2e.conftest import E2eLab
from tests.e2e.kit import (
    REPO,
    SWITCHES,
    Case,
    comparable,
    inventory_with,
    log_len,
    log_since,
)
from tests.e2e.test_faults import _unchanged
from tests.workflow.labkit import LAB_ENV

SLOT = 9
WITNESS = "arista_eos"
_SESSION = ("end", "exit")  # lines that move the CLI session, never in a switch's log


def _trunk(platform: str, *, state: str = "present") -> dict[str, Any]:
    """The spare-slot trunk of ``platform`` without VLANs (no VLAN pre-check involved)."""
    out = Case(platform, "lacp-active", SLOT).trunk_yaml(state=state)
    out["switch"].pop("l2", None)
    return out


@pytest.fixture()
def clean(lab: E2eLab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private state folder; afterwards faults cleared and the slot's trunks removed."""
    state = tmp_path / "state"
    monkeypatch.setenv("LAGPROV_STATE", str(state))
    monkeypatch.setenv("LAGPROV_CONNECT_BACKOFF", "0.2")
    yield state
    for dev in SWITCHES.values():
        f = lab.fabric.faults(dev)
        f.down, f.die_after, f.latency_s = False, None, 0.0
    gone = [_trunk(p, state="absent") for p in SWITCHES]
    report = provision_run(inventory_with(lab.inventory, tmp_path / "cleanup", gone),
                           commit=True, store=FileRunStore(tmp_path / "cleanup-state"))
    assert not report.failed, [o.error for o in report.failed]


def _out(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().out


@pytest.mark.parametrize(("platform", "netmiko", "die_after"), [
    ("cisco_ios", True, f"channel-group {20 + SLOT} mode"),           # Netmiko
    ("supermicro_smis", False, f"channel-group {20 + SLOT} mode"),    # Netmiko (SMIS)
    ("cisco_ios", False, "merge_config.txt running-config"),          # NAPALM ios
])
def test_switch_dying_mid_push_leaves_an_incomplete_run_that_rollback_restores(
        lab: E2eLab, tmp_path: Path, clean: Path, capsys: pytest.CaptureFixture[str],
        platform: str, netmiko: bool, die_after: str) -> None:
    victim, witness = SWITCHES[platform], SWITCHES[WITNESS]
    before = {d: lab.fabric.running_config(d) for d in (victim, witness)}
    inv_dir = tmp_path / "inv"
    inv = inventory_with(lab.inventory, inv_dir, [_trunk(platform), _trunk(WITNESS)])
    lab.fabric.faults(victim).die_after = die_after
    start = log_len(lab.fabric, victim)
    report = provision_run(inv, commit=True, store=FileRunStore(clean),
                           choice=TransportChoice(netmiko_everywhere=netmiko, timeout_s=5))
    out = {o.device: o for o in report.outcomes}
    assert lab.fabric.faults(victim).down, "the switch should have died mid-push"
    assert out[witness].status is OutcomeStatus.APPLIED
    assert out[victim].status is OutcomeStatus.FAILED, out[victim]
    assert report.run_id is not None

    record = FileRunStore(clean).get(report.run_id)
    assert record.result == "incomplete"
    entry = record.configs[victim]
    assert not entry.finished and entry.planned == out[victim].plan.remediation  # type: ignore[union-attr]
    received = [line.strip() for line in log_since(lab.fabric, victim, start)]
    if netmiko or platform == "supermicro_smis":
        # Netmiko: each line is confirmed before the next; the line the switch died on
        # reached it, but its answer never came back.
        died = next(i for i, line in enumerate(entry.planned) if die_after in line)
        assert entry.sent == entry.planned[:died]
        lines = [s.strip() for s in entry.planned[:died + 1] if s.strip() not in _SESSION]
        assert lines == [r for r in received if r not in _SESSION][-len(lines):]
    else:
        # NAPALM: the whole candidate was on the switch when its commit started.
        assert entry.sent == entry.planned
    assert record.configs[witness].finished

    code, runs = _out(capsys, ["runs", "--state", str(clean)])
    assert code == 0 and report.run_id in runs and "incomplete" in runs
    assert f"{victim}: {len(entry.sent)} of {len(entry.planned)} lines sent" in runs

    lab.fabric.faults(victim).down = False  # the switch is back
    code, planned = _out(capsys, ["plan", "--inventory", str(inv_dir)])
    assert "an earlier run did not finish" in planned, planned
    assert f"lagprov rollback {report.run_id} --commit" in planned

    argv = ["rollback", report.run_id, "--commit", "--inventory", str(inv_dir),
            "--state", str(clean)] + (["--netmiko"] if netmiko else [])
    code, restored = _out(capsys, argv)
    assert code == 0, restored
    for device in (victim, witness):
        # As before the run; a rollback leaves device-wide lines such as ``system mtu`` (it
        # never lowers a global: lagprov.provision.restore).
        assert comparable(lab.fabric.running_config(device)) == comparable(before[device])
    _, again = _out(capsys, ["plan", "--inventory", str(inv_dir)])
    assert "an earlier run did not finish" not in again
    code, runs = _out(capsys, ["runs", "--state", str(clean)])
    assert f"{victim}: {len(entry.sent)} of {len(entry.planned)} lines sent; restored by" in runs


def _env(state: Path) -> dict[str, str]:
    env = {**os.environ, **LAB_ENV, "LAGPROV_STATE": str(state), "PYTHONPATH": str(REPO)}
    env.pop("COVERAGE_PROCESS_START", None)
    return env


def test_two_runs_with_different_state_folders_never_push_one_device_at_once(
        lab: E2eLab, tmp_path: Path, clean: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    device = SWITCHES["arista_eos"]
    before = lab.fabric.running_config(device)
    inv_dir = tmp_path / "inv"
    inventory_with(lab.inventory, inv_dir, [_trunk("arista_eos")])
    sw = load_inventory(inv_dir).switch(device)
    start = log_len(lab.fabric, device)
    monkeypatch.setenv("LAGPROV_STATE", str(tmp_path / "state-a"))
    with device_lock(device, exclusive=True, address=f"{sw.address}:{sw.port}"):  # run A
        run_b = subprocess.run(  # run B: another process, another state folder
            [sys.executable, "-m", "lagprov", "apply", "--commit", "--inventory", str(inv_dir),
             "--format", "json"], env=_env(tmp_path / "state-b"), capture_output=True,
            text=True, timeout=300, check=False)
    assert run_b.returncode == 3, run_b.stderr
    outcome = json.loads(run_b.stdout)["outcomes"][0]
    assert outcome["status"] == "failed"
    assert "locked by another lagprov run" in outcome["error"], outcome
    assert log_since(lab.fabric, device, start) == []
    _unchanged(lab, device, before)


def test_ctrl_c_twice_still_prints_the_report(lab: E2eLab, tmp_path: Path,
                                             clean: Path) -> None:
    victim, witness = SWITCHES["cisco_ios"], SWITCHES[WITNESS]
    before = lab.fabric.running_config(victim)
    inv_dir = tmp_path / "inv"
    inventory_with(lab.inventory, inv_dir, [_trunk("cisco_ios"), _trunk(WITNESS)])
    lab.fabric.faults(victim).latency_s = 0.4  # a slow push, so Ctrl-C lands in the middle
    start = log_len(lab.fabric, victim)
    proc = subprocess.Popen(
        [sys.executable, "-m", "lagprov", "apply", "--commit", "--netmiko", "--inventory",
         str(inv_dir), "--format", "json"], env=_env(clean), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not log_since(lab.fabric, victim, start) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert log_since(lab.fabric, victim, start), "the push never started"
        proc.send_signal(signal.SIGINT)
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert stdout.strip(), f"no report printed; stderr: {stderr}"
    report = json.loads(stdout)
    status = {o["device"]: (o["status"], o["error_kind"]) for o in report["outcomes"]}
    assert status[victim] == ("rolled-back", "interrupted"), status
    assert status[witness][0] in ("applied", "planned"), status  # done, or never started
    assert "aborting" in stderr
    lab.fabric.faults(victim).latency_s = 0.0
    _unchanged(lab, victim, before)


def test_a_killed_apply_leaves_an_incomplete_run_that_rollback_restores(
        lab: E2eLab, tmp_path: Path, clean: Path, capsys: pytest.CaptureFixture[str]) -> None:
    victim = SWITCHES["cisco_ios"]
    before = lab.fabric.running_config(victim)
    inv_dir = tmp_path / "inv"
    inventory_with(lab.inventory, inv_dir, [_trunk("cisco_ios")])
    lab.fabric.faults(victim).latency_s = 0.3
    start = log_len(lab.fabric, victim)
    proc = subprocess.Popen(
        [sys.executable, "-m", "lagprov", "apply", "--commit", "--netmiko", "--inventory",
         str(inv_dir)], env=_env(clean), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while len(log_since(lab.fabric, victim, start)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.kill()  # lagprov dies mid-push: no restore, no report
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    [summary] = FileRunStore(clean).recent()
    record = FileRunStore(clean).get(summary.id)
    assert record.result == "incomplete"
    entry = record.configs[victim]
    assert entry.pending and 0 < len(entry.sent) < len(entry.planned)
    received = [r.strip() for r in log_since(lab.fabric, victim, start)
                if r.strip() and r.strip() not in _SESSION]
    sent = [s.strip() for s in entry.sent if s.strip() not in _SESSION]
    assert received[:len(sent)] == sent and len(received) - len(sent) in (0, 1)  # 1: in flight
    lab.fabric.faults(victim).latency_s = 0.0
    code = main(["rollback", record.id, "--commit", "--netmiko", "--inventory", str(inv_dir),
                 "--state", str(clean)])
    assert code == 0, capsys.readouterr().out
    assert comparable(lab.fabric.running_config(victim)) == comparable(before)
