"""The per-device provisioning algorithm: no-op, plan, commit, and every way back.

These drive ``provision_device`` through a recording Session whose device is a running-config
string, so that the control flow (what is sent, when the previous configuration is restored) is
checked exactly.  The same algorithm runs over real NAPALM/Netmiko sessions in tests/e2e.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from lagprov.errors import CommandError, ConnectError
from lagprov.intent.load import load_inventory
from lagprov.model.outcome import OutcomeStatus
from lagprov.provision.device import provision_device
from lagprov.provision.planning import plan_device
from tests.conftest import EXAMPLE_INVENTORY

INV = load_inventory(EXAMPLE_INVENTORY)
# A VLAN table holding VLAN 1 and every VLAN of the example inventory, in the 'show vlan
# [brief]' shape IOS and EOS share (ntc-templates tests/cisco_ios/show_vlan and
# tests/arista_eos/show_vlan, .raw): the pre-change check 'vlans-exist' passes on it.
SITE_VLANS = ("VLAN Name                             Status    Ports\n"
              "---- -------------------------------- --------- -------------------------------\n"
              + "".join(f"{v:<4} VLAN{v:04d}                         active\n"
                        for v in (1, 10, 20, 30, 100, 101)))
BASE = "hostname eos7120-1\n" + "".join(f"interface Ethernet{i}\n!\n" for i in range(1, 25))


class RecordingSession:
    """A device whose running config is a string; commits apply the remediation verbatim."""

    def __init__(self, running: str, *, fail_commit: Exception | None = None,
                 atomic: bool = True, apply_on_commit: bool = True,
                 vlans: str = SITE_VLANS) -> None:
        self.running = running
        self.vlans = vlans  # the answer to 'show vlan [brief]' (the VLAN table)
        self.original = running
        self.fail_commit = fail_commit
        self.atomic_commit = atomic
        self.native_rollback = True
        self.apply_on_commit = apply_on_commit
        self.calls: list[str] = []
        self.loaded: tuple[str, ...] = ()

    def run(self, command: str) -> str:
        self.calls.append(f"run {command}")
        return self.vlans if command.startswith("show vlan") else self.running

    def load(self, lines: Sequence[str]) -> str | None:
        self.calls.append("load")
        self.loaded = tuple(lines)
        return "+" + "\n+".join(lines)

    def commit(self, *, confirm_seconds: int | None = None) -> None:
        self.calls.append(f"commit confirm={confirm_seconds}")
        if self.fail_commit is not None:
            raise self.fail_commit
        if self.apply_on_commit:
            plan = plan_device(INV, "eos7120-1", self.running)
            self.running = _apply(self.running, plan.remediation)

    def confirm(self) -> None:
        self.calls.append("confirm")

    def discard(self, *, force: bool = False) -> None:
        self.calls.append(f"discard force={force}")

    def rollback(self, reverse: Sequence[str]) -> None:
        self.calls.append("rollback")
        self.running = self.original


def _apply(running: str, lines: Sequence[str]) -> str:
    """Merge indented remediation into a running config (enough for these tests)."""
    blocks: dict[str, list[str]] = {}
    order: list[str] = []
    head = ""
    for line in running.splitlines() + list(lines):
        if line.strip() in {"!", ""}:
            continue
        if not line.startswith(" "):
            head = line
            if head not in blocks:
                blocks[head] = []
                order.append(head)
            continue
        blocks[head].append(line)
    return "".join(h + "\n" + "".join(c + "\n" for c in blocks[h]) + "!\n" for h in order)


def test_plan_only_loads_then_discards() -> None:
    s = RecordingSession(BASE)
    out = provision_device(s, INV, "eos7120-1", commit=False)
    assert out.status is OutcomeStatus.PLANNED
    assert out.plan is not None and "interface Port-Channel10" in out.plan.remediation
    assert out.plan.device_diff is not None
    assert s.calls[-1] == "discard force=False" and not any(c.startswith("commit") for c in s.calls)


def test_commit_then_second_run_is_a_noop() -> None:
    s = RecordingSession(BASE)
    first = provision_device(s, INV, "eos7120-1", commit=True)
    assert first.status is OutcomeStatus.APPLIED, first.error
    s.calls.clear()
    second = provision_device(s, INV, "eos7120-1", commit=True)
    assert second.status is OutcomeStatus.NOOP
    assert s.calls == ["run show running-config"]


def test_rejected_atomic_commit_discards_only() -> None:
    s = RecordingSession(BASE, fail_commit=CommandError("eos7120-1 rejected: % Invalid input"))
    out = provision_device(s, INV, "eos7120-1", commit=True)
    assert out.status is OutcomeStatus.ROLLED_BACK and out.error_kind == "rejected"
    assert "rollback" not in s.calls and s.calls[-1] == "discard force=True"
    assert s.running == BASE


def test_partial_commit_is_rolled_back() -> None:
    s = RecordingSession(BASE, fail_commit=CommandError("rejected"), atomic=False)
    out = provision_device(s, INV, "eos7120-1", commit=True)
    assert out.status is OutcomeStatus.ROLLED_BACK
    assert "rollback" in s.calls


def test_dropped_session_reopens_to_restore() -> None:
    s = RecordingSession(BASE, fail_commit=ConnectError("session dropped"), atomic=False)
    fresh = RecordingSession(BASE)
    out = provision_device(s, INV, "eos7120-1", commit=True, reopen=lambda: fresh)
    assert out.status is OutcomeStatus.ROLLED_BACK and out.error_kind == "unreachable"
    assert fresh.calls == ["rollback"]


def test_post_check_failure_rolls_back() -> None:
    s = RecordingSession(BASE, apply_on_commit=False)  # the device ignores the change
    out = provision_device(s, INV, "eos7120-1", commit=True)
    assert out.status is OutcomeStatus.ROLLED_BACK and out.error_kind == "post-check"
    assert "rollback" in s.calls and "confirm" not in s.calls


def test_failed_rollback_is_reported_loudly() -> None:
    class Broken(RecordingSession):
        def rollback(self, reverse: Sequence[str]) -> None:
            raise ConnectError("gone")

    s = Broken(BASE, apply_on_commit=False)
    out = provision_device(s, INV, "eos7120-1", commit=True)
    assert out.status is OutcomeStatus.FAILED
    assert any("ROLLBACK FAILED" in m for m in out.messages)


@pytest.mark.parametrize("device", ["cat2960s-1", "cat9300-1", "ex3300-1", "ex4300-1",
                                    "eos7120-1", "sse-x24s-1"])
def test_every_device_of_the_example_plans(device: str) -> None:
    plan = plan_device(INV, device, "")
    assert plan.remediation, device
    assert plan.trunks


def test_interrupt_before_commit_sends_nothing() -> None:
    import threading

    stop = threading.Event()
    stop.set()  # Ctrl-C arrived while the plan was being made
    s = RecordingSession(BASE)
    out = provision_device(s, INV, "eos7120-1", commit=True, stop=stop)
    assert out.status is OutcomeStatus.PLANNED
    assert not any(c.startswith("commit") for c in s.calls)
    assert s.running == BASE
