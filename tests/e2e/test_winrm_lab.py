"""Issue 11: Windows hosts with ``data.transport: winrm`` verified live over the lab's WinRM.

tests/inventories/winrm: two Windows hosts behind one Catalyst, an LACP team (hv01, group
``servers``) and a Static team (hv02, group ``hyperv``), both ``winrm_auth: basic`` on HTTP
5985.  The lab serves them over WinRM only (no SSH); lagprov reads them with pypsrp's WinRS
client, one process each.  A seeded fault on a host is still caught; a group's wrong password
is an auth error for that host alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import device_table
from tests.e2e.test_verify_faults import Lab, failed, start_lab

INVENTORY = load_inventory(Path(__file__).resolve().parents[1] / "inventories" / "winrm")

pytestmark = [pytest.mark.lab, pytest.mark.usefixtures("lab_credentials")]


@pytest.fixture()
def lab(tmp_path: Path) -> Iterator[Lab]:
    yield from start_lab(tmp_path, INVENTORY)


def test_winrm_hosts_verify_clean_read_live_over_winrm(lab: Lab) -> None:
    report = lab.verify(None)
    assert report.errors == ()
    assert failed(report) == set()
    sources = {e.device: e.source for t in report.trunks for e in t.ends if e.role == "host"}
    assert sources == {"hv01": "live", "hv02": "live"}
    for name in ("hv01", "hv02"):
        host = lab.fabric.hosts[name]
        assert len(host.command_log) == 1 and host.refused == []
        assert host.command_log[0].startswith("powershell.exe -NoProfile -NonInteractive "
                                              "-EncodedCommand ")
        assert lab.fabric.accepted(name) == {"winrm": 1}  # one HTTP connection, no SSH
    rows = {name: ports for name, _, ports in device_table(lab.fabric)}
    assert rows["hv01"] == rows["hv02"] == "winrm 5985"


def test_the_windows_seeded_fault_is_still_caught_over_winrm(lab: Lab) -> None:
    # the example fabric's Windows fault (test_verify_faults): SwitchIndependent on a port-channel
    lab.fabric.set_host_team("hv01", "SwitchIndependent")
    report = lab.verify(None)
    assert report.errors == ()
    assert failed(report) == {("hv01-team", "host-team-mode", "hv01", "Team1")}


def test_a_groups_wrong_password_fails_that_host_alone(
        lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAGPROV_HYPERV_PASSWORD", "not-the-lab-password")
    report = lab.verify(None)
    assert [(e.device, e.stage, e.kind.value) for e in report.errors] == [
        ("hv02", "connect", "auth")]
    assert lab.fabric.hosts["hv02"].command_log == []
    assert {t for t, *_ in failed(report)} <= {"hv02-team"}
    hv01 = {e.source for t in report.trunks for e in t.ends if e.device == "hv01"}
    assert hv01 == {"live"}
