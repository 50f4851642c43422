"""Pre-change checks block each of their cases, and a blocked device is sent nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagprov.intent.load import load_inventory
from lagprov.model.outcome import OutcomeStatus
from lagprov.provision.device import provision_device
from lagprov.provision.precheck import run_checks
from tests.conftest import EXAMPLE_INVENTORY
from tests.lint.mutate import apply_case
from tests.unit.test_provision import SITE_VLANS, RecordingSession

INV = load_inventory(EXAMPLE_INVENTORY)
CLEAN_9300 = "hostname cat9300-1\n" + "".join(
    f"interface GigabitEthernet1/0/{i}\n!\n" for i in range(1, 49))


def _checks(inv, device: str, running: str) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(c.check, c.trunk) for c in run_checks(inv, device, running, SITE_VLANS)}


def test_clean_device_passes_every_check() -> None:
    assert run_checks(INV, "cat9300-1", CLEAN_9300, SITE_VLANS) == ()


@pytest.mark.parametrize(
    ("running", "check"),
    [
        ("interface GigabitEthernet1/0/1\n no switchport\n ip address 10.1.1.1 255.255.255.0\n",
         "member-no-l3"),
        ("interface GigabitEthernet1/0/2\n channel-group 5 mode active\n", "member-free"),
        ("interface GigabitEthernet1/0/30\n channel-group 10 mode active\n", "channel-free"),
    ],
)
def test_running_config_conflicts_block(running: str, check: str) -> None:
    found = run_checks(INV, "cat9300-1", "hostname cat9300-1\n" + running, SITE_VLANS)
    assert [(c.check, c.trunk, c.overridable) for c in found] == [(check, "hv01-team", False)]
    assert found[0].message


def _variant(tmp_path: Path, **case: object) -> object:
    return load_inventory(apply_case({"name": "precheck", **case}, tmp_path / "inv"))


def test_unsupported_feature_blocks(tmp_path: Path) -> None:
    inv = _variant(tmp_path, set={"trunks[esx01-vswitch0].switch.mode": "lacp-active",
                                  "trunks[esx01-vswitch0].switch.lacp_rate": "fast"})
    assert ("feature-supported", "esx01-vswitch0") in _checks(inv, "cat2960s-1", "")


def test_host_team_disagreeing_blocks(tmp_path: Path) -> None:
    inv = _variant(tmp_path, set={"trunks[hv01-team].host.team": "SwitchIndependent",
                                  "trunks[hv01-team].host.lacp_rate": None,
                                  "trunks[hv01-team].host.lacp_system_id": None})
    assert ("host-team-agrees", "hv01-team") in _checks(inv, "cat9300-1", CLEAN_9300)


def test_mixed_speed_blocks(tmp_path: Path) -> None:
    inv = _variant(tmp_path, set={"trunks[hv01-team].switch.members":
                                  ["Gi1/0/1", "Te1/1/5"]})
    assert ("member-speed", "hv01-team") in _checks(inv, "cat9300-1", CLEAN_9300)


def test_2960_jumbo_needs_a_reload_and_can_be_forced(tmp_path: Path) -> None:
    inv = _variant(tmp_path, set={"trunks[esx01-vswitch0].switch.mtu": 9000})
    found = run_checks(inv, "cat2960s-1", "hostname cat2960s-1\n", SITE_VLANS)
    assert [(c.check, c.overridable) for c in found] == [("mtu-reload", True)]
    assert run_checks(inv, "cat2960s-1", "system mtu jumbo 9000\n", SITE_VLANS) == ()
    blocked = provision_device(RecordingSession("hostname cat2960s-1\n"), inv, "cat2960s-1",
                               commit=True, checker=run_checks)
    assert blocked.status is OutcomeStatus.BLOCKED
    forced = provision_device(RecordingSession("hostname cat2960s-1\n", apply_on_commit=False),
                              inv, "cat2960s-1", commit=False, force=True, checker=run_checks)
    assert forced.status is OutcomeStatus.PLANNED
    assert forced.plan is not None and "system mtu jumbo 9000" in forced.plan.remediation


def test_blocked_device_is_sent_nothing() -> None:
    # Checks block per trunk (issue 8): the device is blocked when every trunk in the change is.
    session = RecordingSession("hostname cat9300-1\ninterface GigabitEthernet1/0/2\n"
                               " channel-group 5 mode active\n")
    out = provision_device(session, INV, "cat9300-1", commit=True, checker=run_checks,
                           trunks=["hv01-team"])
    assert out.status is OutcomeStatus.BLOCKED
    # two reads (the running configuration, the VLAN table), nothing loaded or committed
    assert session.calls == ["run show running-config", "run show vlan brief"]
