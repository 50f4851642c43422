"""Issue 11: every host end read live on the lab, no report files.

Windows hosts answer one PowerShell read over OpenSSH, ESXi hosts esxcli over SSH exec, Linux
hosts their shell; the lab refuses what it does not recognise.  A host that cannot be reached
is a device error for that host alone.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from lagprov.edge.hosts_ssh import ExecSession
from lagprov.edge.nornir_glue import Credentials
from lagprov.errors import AuthError, CommandError
from lagprov.model.types import HostOs
from lagprov.report import RunReport
from lagprov.verify import Status
from tests.e2e.test_verify_faults import Lab, failed, start_lab

LIVE_OS = (HostOs.LINUX, HostOs.WINDOWS, HostOs.VMWARE)
CREDS = Credentials("lab", "lab-password", "lab-secret")

pytestmark = pytest.mark.usefixtures("lab_credentials")


@pytest.fixture()
def lab(tmp_path: Path) -> Iterator[Lab]:
    yield from start_lab(tmp_path)


def _host_sources(lab: Lab, report: RunReport) -> dict[str, set[str | None]]:
    live = {h.name for h in lab.inv.hosts if h.os in LIVE_OS}
    out: dict[str, set[str | None]] = {}
    for trunk in report.trunks:
        for end in trunk.ends:
            if end.role == "host" and end.device in live:
                out.setdefault(end.device, set()).add(end.source)
    return out


def test_example_fabric_verifies_clean_with_every_host_read_live(lab: Lab) -> None:
    report = lab.verify(None)  # no --reports
    assert report.errors == ()
    assert failed(report) == set()
    sources = _host_sources(lab, report)
    assert set(sources) == {"hv01", "win-iscsi01", "esx01", "lnx01", "lnx02", "lnx03"}
    assert all(s == {"live"} for s in sources.values()), sources
    for name in ("hv01", "win-iscsi01"):  # one round trip each, nothing refused
        host = lab.fabric.hosts[name]
        assert len(host.command_log) == 1 and host.refused == []
        assert host.command_log[0].startswith("powershell.exe -NoProfile -NonInteractive "
                                              "-EncodedCommand ")
    esx = lab.fabric.hosts["esx01"]
    assert esx.refused == [] and all(c.startswith("esxcli ") for c in esx.command_log)
    # no host end is left unverifiable but the declared-only storage array
    assert not [f for f in report.findings if f.status is Status.UNVERIFIABLE
                and f.trunk not in ("eonstor01-tg1",) and f.rule.startswith("host")]


def test_windows_host_down_is_a_device_error_for_that_host_alone(lab: Lab) -> None:
    lab.fabric.faults("hv01").down = True
    report = lab.verify(None)
    assert [(e.device, e.kind.value) for e in report.errors] == [("hv01", "unreachable")]
    sources = _host_sources(lab, report)
    assert sources.pop("hv01") == {None}
    assert all(s == {"live"} for s in sources.values()), sources
    assert {t for t, *_ in failed(report)} <= {"hv01-team"}


def test_a_groups_credentials_come_from_the_environment(
        lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAGPROV_SERVERS_PASSWORD", "not-the-lab-password")
    report = lab.verify(["esx01-vswitch0", "lnx01-bond0"])
    kinds = {e.device: e.kind.value for e in report.errors}
    assert kinds == {"esx01": "auth", "lnx01": "auth"}  # the switches log in as before
    monkeypatch.setenv("LAGPROV_SERVERS_PASSWORD", "lab-password")
    monkeypatch.setenv("LAGPROV_PASSWORD", "wrong-for-the-switches")
    report = lab.verify(["esx01-vswitch0"])
    assert {e.device for e in report.errors} == {"cat2960s-1"}


def _session(lab: Lab, host: str) -> ExecSession:
    device = lab.inv.host(host)
    assert device.address is not None
    return ExecSession(host, device.address, device.port, CREDS, 10)


def _encoded(script: str) -> str:
    b64 = base64.b64encode(script.encode("utf-16-le")).decode()
    return f"powershell.exe -NoProfile -NonInteractive -EncodedCommand {b64}"


@pytest.mark.parametrize(("script", "why"), [
    ("$ErrorActionPreference='Stop'; [ordered]@{'x'=@(Get-NetAdapter -Name "
     "'a',$(Restart-Computer) -ErrorAction SilentlyContinue | Select-Object Name)} | "
     "ConvertTo-Json -Depth 4", "unquoted a subexpression '$('"),
    ("$ErrorActionPreference='Stop'; [ordered]@{'x'=@(Get-NetAdapter -Name "
     "'a`' -ErrorAction SilentlyContinue | Select-Object Name)} | ConvertTo-Json -Depth 4",
     None),  # the backtick is inside quotes: a literal name, answered
    ("$ErrorActionPreference='Stop'; [ordered]@{'x'=@(Get-NetAdapter -Name "
     "\"$env:COMPUTERNAME\" | Select-Object Name)} | ConvertTo-Json -Depth 4",
     "double-quoted (expanding) string"),
    ("Restart-Computer -Force", "is not recognized as the name of a cmdlet"),
    ("$ErrorActionPreference='Stop'; [ordered]@{'x'=@(Remove-NetLbfoTeam -Name 'Team1' "
     "| Select-Object Name)} | ConvertTo-Json -Depth 4", "'Remove-NetLbfoTeam' is not recog"),
])
def test_the_windows_lab_host_refuses_what_it_does_not_recognise(
        lab: Lab, script: str, why: str | None) -> None:
    session = _session(lab, "hv01")
    try:
        if why is None:
            assert session.run(_encoded(script)).strip().startswith("{")
            assert lab.fabric.hosts["hv01"].refused == []
            return
        with pytest.raises(CommandError, match="exit status 1") as err:
            session.run(_encoded(script))
        assert why in str(err.value)
        assert lab.fabric.hosts["hv01"].refused == [_encoded(script)]
    finally:
        session.close()


def test_the_windows_lab_host_runs_only_encoded_powershell(lab: Lab) -> None:
    session = _session(lab, "hv01")
    try:
        with pytest.raises(CommandError, match="is not recognized"):
            session.run("Get-NetLbfoTeam | ConvertTo-Json")
    finally:
        session.close()


@pytest.mark.parametrize(("command", "status"), [
    ("esxcli network nic list; reboot", 2),
    ("esxcli network vswitch standard list -v $(reboot)", 2),
    ("esxcli system maintenanceMode set --enable true", 1),
    ("esxcli network vswitch standard list -v vSwitch9", 1),
])
def test_the_esxi_lab_host_refuses_shell_syntax_and_unknown_reads(
        lab: Lab, command: str, status: int) -> None:
    session = _session(lab, "esx01")
    try:
        with pytest.raises(CommandError, match=f"exit status {status}"):
            session.run(command)
        assert session.run("esxcli network nic list").startswith("Name")
    finally:
        session.close()


def test_a_wrong_password_is_an_auth_error(lab: Lab) -> None:
    device = lab.inv.host("esx01")
    assert device.address is not None
    with pytest.raises(AuthError):
        ExecSession("esx01", device.address, device.port, Credentials("lab", "x", "x"), 10)
