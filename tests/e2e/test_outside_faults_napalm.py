"""Faults from outside (issue 16), the NAPALM paths: a switch that dies or stops mid-push.

EOS over eAPI (NAPALM ``eos``: a config session, then its commit) and Junos over NETCONF
(NAPALM ``junos``: the exclusive lock, ``load-configuration``, ``commit-configuration``) die
while the candidate is loaded, as the commit arrives (it never takes effect), or right after
it took effect (its answer never comes); and a NAPALM and a Netmiko switch stop answering
mid-push (a hang: the connection stays up, nothing comes back).  What the devices do with
the change follows their vendors (``lagprov.lab.eos.eapi``, ``lagprov.lab.junos.netconf``):
an uncommitted EOS config session is discarded when the switch reboots, an uncommitted Junos
candidate when its NETCONF session ends, which also releases the exclusive lock.

Every case: the run is stored ``incomplete`` with exactly the lines the switch confirmed (a
NAPALM candidate counts as sent once its commit is sent: none while it was being loaded,
all of it from the commit on), the witness switch is applied, ``runs`` and ``plan`` say so,
and once the switch is restarted ``rollback RUN --commit`` puts both switches back as they
were; ``plan`` then no longer warns.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from lagprov.cli import main
from lagprov.edge.nornir_glue import TransportChoice
from lagprov.lab.eos.switch import EosSwitch
from lagprov.lab.junos.switch import JunosSwitch
from lagprov.model.outcome import OutcomeStatus
from lagprov.runs.provision import provision_run
from lagprov.runs.store import FileRunStore
from tests.e2e.conftest import E2eLab
from tests.e2e.kit import SWITCHES, Case, comparable, inventory_with, log_len, log_since

pytestmark = [pytest.mark.lab, pytest.mark.slow]

SLOT = 11
CHANNEL = 20 + SLOT
# The other switch of each run (another platform, so it is reached over another protocol).
WITNESS = {"arista_eos": "juniper_junos", "juniper_junos": "arista_eos",
           "cisco_ios": "arista_eos"}
_SESSION = ("end", "exit")  # lines that move a CLI session, never in a switch's log


@dataclass(frozen=True)
class Fault:
    """One crash of the victim: which fault, on what text, and what it leaves."""

    platform: str
    netmiko: bool
    kind: str  # die_after | die_before | stop_after (lagprov.lab.base.Faults)
    text: str
    changed: bool  # (part of) the change took effect on the victim before it went silent
    commit_sent: bool  # lagprov sent the commit (NAPALM): the whole candidate counts as sent

    @property
    def stops(self) -> bool:
        return self.kind == "stop_after"


FAULTS = [
    # EOS, eAPI: dies on a line of the config session (the candidate half loaded) ...
    Fault("arista_eos", False, "die_after", f"channel-group {CHANNEL} mode", False, False),
    # ... as 'configure session napalm_X commit' arrives, or right after it took effect.
    Fault("arista_eos", False, "die_before", "commit", False, True),
    Fault("arista_eos", False, "die_after", "commit", True, True),
    # Junos, NETCONF: dies on a line of <load-configuration> ...
    Fault("juniper_junos", False, "die_after", f"802.3ad ae{CHANNEL}", False, False),
    # ... as <commit-configuration> arrives, or right after it committed.
    Fault("juniper_junos", False, "die_before", "commit-configuration", False, True),
    Fault("juniper_junos", False, "die_after", "commit-configuration", True, True),
    # Stops answering: EOS (NAPALM) once its commit took effect; IOS (Netmiko) mid-push, where
    # each line takes effect as it arrives (no candidate).
    Fault("arista_eos", False, "stop_after", "commit", True, True),
    Fault("cisco_ios", True, "stop_after", f"channel-group {CHANNEL} mode", True, False),
]


def _id(f: Fault) -> str:
    return f"{f.platform}-{'netmiko' if f.netmiko else 'napalm'}-{f.kind}-{f.text.split()[0]}"


def _trunk(platform: str, *, state: str = "present") -> dict[str, Any]:
    """The spare-slot trunk of ``platform`` without VLANs (no VLAN pre-check involved)."""
    out = Case(platform, "lacp-active", SLOT).trunk_yaml(state=state)
    out["switch"].pop("l2", None)
    return out


def _clear(lab: E2eLab, device: str) -> None:
    f = lab.fabric.faults(device)
    f.down, f.stopped, f.latency_s = False, False, 0.0
    f.die_after = f.die_before = f.stop_after = f.cut_after = None


AFTER_RESTART_DEADLINE_S = 60  # a bound against hanging, not a speed figure


@pytest.fixture()
def clean(lab: E2eLab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private state folder and short device bounds; afterwards faults cleared and the
    slot's trunks removed."""
    state = tmp_path / "state"
    monkeypatch.setenv("LAGPROV_STATE", str(state))
    monkeypatch.setenv("LAGPROV_CONNECT_BACKOFF", "0.2")
    monkeypatch.setenv("LAGPROV_DEVICE_DEADLINE", "8")  # a stopped switch's reconnect
    yield state
    monkeypatch.setenv("LAGPROV_DEVICE_DEADLINE", str(AFTER_RESTART_DEADLINE_S))
    for dev in SWITCHES.values():
        _clear(lab, dev)
    gone = [_trunk(p, state="absent") for p in SWITCHES]
    report = provision_run(inventory_with(lab.inventory, tmp_path / "cleanup", gone),
                           commit=True, store=FileRunStore(tmp_path / "cleanup-state"))
    assert not report.failed, [o.error for o in report.failed]


def _out(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().out


def _left_on_the_device(lab: E2eLab, fault: Fault, victim: str) -> None:
    """What the victim kept of an uncommitted change once it went silent: nothing."""
    sw = lab.fabric.switch(victim)
    if isinstance(sw, EosSwitch):  # a reboot discards every uncommitted config session
        with sw.lock:
            assert not [n for n, s in sw.sessions.items() if s.state == "pending"]
    if isinstance(sw, JunosSwitch) and not fault.stops:  # the session ended with the crash
        with sw.lock:
            assert sw.db.lock_owner is None, "the exclusive lock outlived the session"
            assert sw.db.candidate == sw.db.committed, "an uncommitted candidate was kept"


@pytest.mark.parametrize("fault", FAULTS, ids=_id)
def test_switch_dying_or_stopping_mid_push_leaves_an_incomplete_run_that_rollback_restores(
        lab: E2eLab, tmp_path: Path, clean: Path, capsys: pytest.CaptureFixture[str],
        fault: Fault, monkeypatch: pytest.MonkeyPatch) -> None:
    victim, witness = SWITCHES[fault.platform], SWITCHES[WITNESS[fault.platform]]
    before = {d: lab.fabric.running_config(d) for d in (victim, witness)}
    inv_dir = tmp_path / "inv"
    inv = inventory_with(lab.inventory, inv_dir,
                         [_trunk(fault.platform), _trunk(WITNESS[fault.platform])])
    setattr(lab.fabric.faults(victim), fault.kind, fault.text)
    if not fault.stops:  # a dead switch needs no short deadline; a loaded machine (2 cores,
        # the whole suite beside it) once took longer than 8 s to reach the Junos commit
        monkeypatch.setenv("LAGPROV_DEVICE_DEADLINE", str(AFTER_RESTART_DEADLINE_S))
    start = log_len(lab.fabric, victim)
    # A dead switch's sessions end at once; a stopped one's only by the client's timeout.
    report = provision_run(inv, commit=True, store=FileRunStore(clean),
                           choice=TransportChoice(netmiko_everywhere=fault.netmiko,
                                                  timeout_s=10 if fault.stops else 30))
    out = {o.device: o for o in report.outcomes}
    silent = lab.fabric.faults(victim)
    assert (silent.stopped if fault.stops else silent.down), \
        f"the fault never fired: {out[victim].status} {out[victim].error}"
    assert out[witness].status is OutcomeStatus.APPLIED, out[witness]
    assert out[victim].status is OutcomeStatus.FAILED, out[victim]
    assert report.run_id is not None

    # The victim as it was left: the change took effect or not, nothing uncommitted kept.
    changed = comparable(lab.fabric.running_config(victim)) != comparable(before[victim])
    assert changed is fault.changed
    _left_on_the_device(lab, fault, victim)

    record = FileRunStore(clean).get(report.run_id)
    assert record.result == "incomplete"
    entry = record.configs[victim]
    assert not entry.finished and entry.pending
    assert entry.planned == out[victim].plan.remediation  # type: ignore[union-attr]
    received = [r.strip() for r in log_since(lab.fabric, victim, start)
                if r.strip() and r.strip() not in _SESSION]
    if fault.netmiko:  # each line confirmed before the next: the one it stopped on was not
        at = next(i for i, line in enumerate(entry.planned) if fault.text in line)
        assert entry.sent == entry.planned[:at]
        lines = [s.strip() for s in entry.planned[:at + 1] if s.strip() not in _SESSION]
        assert received[-len(lines):] == lines
    elif fault.commit_sent:  # the whole candidate was on the switch, its commit sent
        assert entry.sent == entry.planned
        assert [s.strip() for s in entry.planned if s.strip() not in _SESSION] == \
            received[-len([s for s in entry.planned if s.strip() not in _SESSION]):]
    else:  # it died while the candidate was loaded: no commit was sent
        assert entry.sent == ()
        assert fault.text in received[-1], received
    assert record.configs[witness].finished

    code, runs = _out(capsys, ["runs", "--state", str(clean)])
    assert code == 0 and report.run_id in runs and "incomplete" in runs
    assert f"{victim}: {len(entry.sent)} of {len(entry.planned)} lines sent" in runs

    # The short deadline bounds the silent switch's run; a restarted switch on a loaded
    # machine (2 cores, the whole suite beside it) may take longer than that to answer.
    monkeypatch.setenv("LAGPROV_DEVICE_DEADLINE", str(AFTER_RESTART_DEADLINE_S))
    _clear(lab, victim)  # the switch restarts
    code, planned = _out(capsys, ["plan", "--inventory", str(inv_dir)])
    assert "an earlier run did not finish" in planned, planned
    assert f"lagprov rollback {report.run_id} --commit" in planned

    argv = ["rollback", report.run_id, "--commit", "--inventory", str(inv_dir),
            "--state", str(clean)] + (["--netmiko"] if fault.netmiko else [])
    code, restored = _out(capsys, argv)
    assert code == 0, restored
    for device in (victim, witness):
        # As before the run (a rollback leaves device-wide lines: lagprov.provision.restore).
        assert comparable(lab.fabric.running_config(device)) == comparable(before[device])
    _, again = _out(capsys, ["plan", "--inventory", str(inv_dir)])
    assert "an earlier run did not finish" not in again, again
    code, runs = _out(capsys, ["runs", "--state", str(clean)])
    assert f"{victim}: {len(entry.sent)} of {len(entry.planned)} lines sent; restored by" \
        in runs


@pytest.mark.parametrize("platform", ["arista_eos", "juniper_junos"])
def test_a_commit_whose_answer_is_lost_is_read_back_before_anything_is_undone(
        lab: E2eLab, tmp_path: Path, clean: Path, platform: str) -> None:
    """The connection drops right after the commit took effect, the switch staying up: the
    change is on it, so lagprov must not report "nothing applied" (a fresh EOS driver has no
    config session to discard); it reads the switch again and restores it."""
    victim, witness = SWITCHES[platform], SWITCHES[WITNESS[platform]]
    before = lab.fabric.running_config(victim)
    inv = inventory_with(lab.inventory, tmp_path / "inv", [_trunk(platform), _trunk(
        WITNESS[platform])])
    lab.fabric.faults(victim).cut_after = {"arista_eos": "commit",
                                           "juniper_junos": "commit-configuration"}[platform]
    report = provision_run(inv, commit=True, store=FileRunStore(clean))
    out = {o.device: o for o in report.outcomes}
    assert lab.fabric.faults(victim).cut_after is None, "the fault never fired"
    assert out[witness].status is OutcomeStatus.APPLIED, out[witness]
    assert out[victim].status is OutcomeStatus.ROLLED_BACK, out[victim]
    assert "previous configuration restored" in out[victim].messages, out[victim].messages
    assert comparable(lab.fabric.running_config(victim)) == comparable(before)
    assert report.run_id is not None
    record = FileRunStore(clean).get(report.run_id)
    assert record.result == "partial" and victim not in record.configs
