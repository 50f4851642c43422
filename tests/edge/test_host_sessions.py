"""Windows hosts over WinRM (pypsrp, a fake client at the boundary) and the one-script read.

No WinRM server runs in these tests: the lab serves Windows hosts over OpenSSH only.  The fake
stands in for ``pypsrp.client.Client``; it answers ``execute_ps`` with what the lab's
simulated Windows host prints for the script (``lagprov.lab.hosts.powershell``), so the
command and parse path is exercised, not the WS-Management transport.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from lagprov.edge.hosts_ssh import group_env, host_credentials
from lagprov.edge.nornir_glue import Credentials, TransportChoice
from lagprov.errors import ParseError
from lagprov.lab.hosts.powershell import Refused, run_script
from lagprov.model.inventory import HostDevice
from lagprov.model.types import Bundling, HostOs, LacpRate
from lagprov.observe.collect import HostJob, host_commands, parse_host
from lagprov.observe.host_commands import WINDOWS_KEYS
from lagprov.observe.windows_read import split_windows_answer, windows_script
from lagprov.runs import host_reads
from tests.lab.test_hosts import build

CREDS = Credentials("lab", "lab-password", "lab-secret")
NICS = ("NIC1", "NIC2")


class FakePsrp:
    """``pypsrp.client.Client`` as far as lagprov uses it: ``execute_ps``."""

    def __init__(self, answer: Any, calls: list[tuple[str, Any]]) -> None:
        self.answer, self.calls = answer, calls

    def execute_ps(self, script: str) -> tuple[str, Any, bool]:
        self.calls.append(("execute_ps", script))
        try:
            return self.answer(script), SimpleNamespace(error=[]), False
        except Refused as exc:
            return "", SimpleNamespace(error=[str(exc)]), True


@pytest.fixture()
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, Any]]]:
    calls: list[tuple[str, Any]] = []
    host, _ = build(HostOs.WINDOWS, "Lacp", Bundling.LACP, "active", NICS, name="hv01",
                    mtu=9014, rate=LacpRate.FAST)

    def factory(address: str, port: int, creds: Credentials, timeout: float) -> FakePsrp:
        calls.append(("connect", (address, port, creds.username, creds.password)))
        return FakePsrp(lambda script: run_script(script, host.state()), calls)

    monkeypatch.setitem(host_reads._session_factory, "winrm", factory)
    yield calls


def _job() -> HostJob:
    return HostJob(device="hv01", os=HostOs.WINDOWS, bond="Team1", nics=NICS, team="Lacp",
                   commands=host_commands(HostOs.WINDOWS, "Team1", NICS), live=True)


def _device(**kw: Any) -> HostDevice:
    return HostDevice(name="hv01", os=HostOs.WINDOWS, address="192.0.2.31", port=5985,
                      transport="winrm", group="servers", **kw)


def test_winrm_host_is_read_with_one_script_and_parsed(fake: list[tuple[str, Any]]) -> None:
    capture = host_reads.read_exec_host(_device(), _job(), creds=CREDS,
                                        choice=TransportChoice(timeout_s=5))
    assert capture.error is None
    assert fake[0] == ("connect", ("192.0.2.31", 5985, "lab", "lab-password"))
    scripts = [arg for what, arg in fake if what == "execute_ps"]
    # the script itself (PowerShell Remoting runs it as is): no -EncodedCommand wrapper
    assert scripts == [windows_script("Team1", NICS)]
    assert set(capture.outputs) == set(host_commands(HostOs.WINDOWS, "Team1", NICS))
    state, err = parse_host(_job(), capture.outputs)
    assert err is None and state is not None
    assert (state.team, state.lacp_rate, state.mtu_ip) == ("Lacp", LacpRate.FAST, 9000)
    assert [m.name for m in state.members] == list(NICS)


def test_winrm_group_credentials_override_the_defaults(
        fake: list[tuple[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAGPROV_SERVERS_USERNAME", "svc-lagprov")
    monkeypatch.setenv("LAGPROV_SERVERS_PASSWORD", "from-the-env")
    host_reads.read_exec_host(_device(), _job(), creds=CREDS,
                              choice=TransportChoice(timeout_s=5))
    assert fake[0] == ("connect", ("192.0.2.31", 5985, "svc-lagprov", "from-the-env"))


def test_winrm_error_stream_is_a_device_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(script: str) -> str:
        raise Refused("Get-NetLbfoTeam : Access denied")

    monkeypatch.setitem(host_reads._session_factory, "winrm",
                        lambda *a: FakePsrp(refuse, []))
    capture = host_reads.read_exec_host(_device(), _job(), creds=CREDS,
                                        choice=TransportChoice(timeout_s=5))
    assert capture.error is not None
    assert (capture.error.device, capture.error.stage, capture.error.kind.value) == (
        "hv01", "collect", "rejected")
    assert "Access denied" in capture.error.message
    assert capture.outputs == {}


def test_group_env_names_and_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    assert group_env("win-servers", "PASSWORD") == "LAGPROV_WIN_SERVERS_PASSWORD"
    monkeypatch.delenv("LAGPROV_SERVERS_USERNAME", raising=False)
    monkeypatch.setenv("LAGPROV_SERVERS_PASSWORD", "p2")
    got = host_credentials(CREDS, "servers")
    assert (got.username, got.password) == ("lab", "p2")
    assert host_credentials(CREDS, None) is CREDS


def test_names_are_single_quoted_in_the_script() -> None:
    script = windows_script("Team'1", ("NIC $(x)", "NIC`2"))
    assert "-Name 'NIC $(x)','NIC`2'" in script
    assert "-InterfaceAlias 'Team''1','NIC $(x)','NIC`2'" in script


def test_split_answer_needs_every_key() -> None:
    keys = {k: k for k in WINDOWS_KEYS}
    with pytest.raises(ParseError, match="no Get-NetIPInterface"):
        split_windows_answer('{"Get-NetLbfoTeam": [], "Get-NetLbfoTeamMember": [], '
                             '"Get-VMSwitchTeam": [], "Get-NetAdapter": [], '
                             '"Get-NetAdapterAdvancedProperty": []}', keys)
    with pytest.raises(ParseError, match="one JSON object"):
        split_windows_answer("[]", keys)
    with pytest.raises(ParseError, match="not JSON"):
        split_windows_answer("Get-NetLbfoTeam : not recognized", keys)
