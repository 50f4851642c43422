"""Windows hosts over WinRM: pypsrp's real WinRS client against the lab's WinRM endpoint.

The lab serves one simulated Windows host over HTTP (``lagprov.lab.hosts.winrm``: WS-Management
SOAP, Basic auth) on a free loopback port; lagprov's :class:`WinRMSession` (pypsrp ``WinRS`` /
``Process``) reads it with the one ``powershell.exe -EncodedCommand`` command line it also
sends over OpenSSH.  The expected values are the host's settings (LACP team, Jumbo Packet
9014 = IP MTU 9000, vendor-cli.md 5.1) and the WinRM faults recorded against Windows Server in
pypsrp's test suite (``w:InvalidSelectors``, code 2150858843).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pypsrp.exceptions import WSManFaultError
from pypsrp.wsman import WSMan

from lagprov.edge.hosts_ssh import WinRMSession, clixml_text, group_env, host_credentials
from lagprov.edge.nornir_glue import Credentials, TransportChoice
from lagprov.errors import CommandError, ParseError
from lagprov.lab.base import Faults
from lagprov.lab.hosts.fleet import LabHost
from lagprov.lab.hosts.winrm import SHELL_URI, WinRMServer, clixml, start_winrm_server
from lagprov.model.inventory import HostDevice
from lagprov.model.types import Bundling, HostOs, LacpRate
from lagprov.observe.collect import HostJob, host_commands, parse_host
from lagprov.observe.host_commands import WINDOWS_KEYS
from lagprov.observe.windows_read import split_windows_answer, windows_script
from lagprov.runs import host_reads
from tests.lab.test_hosts import build

CREDS = Credentials("lab", "lab-password", "lab-secret")
USERS = {"lab": "lab-password", "svc-lagprov": "from-the-env"}
NICS = ("NIC1", "NIC2")
ADDRESS = "127.0.0.1"


@dataclass
class Endpoint:
    host: LabHost
    faults: Faults
    server: WinRMServer


@pytest.fixture()
def endpoint() -> Iterator[Endpoint]:
    host, _ = build(HostOs.WINDOWS, "Lacp", Bundling.LACP, "active", NICS, name="hv01",
                    mtu=9014, rate=LacpRate.FAST)
    faults = Faults()
    server = start_winrm_server(host, faults, ADDRESS, 0, USERS)
    try:
        yield Endpoint(host, faults, server)
    finally:
        server.close()


def _job() -> HostJob:
    return HostJob(device="hv01", os=HostOs.WINDOWS, bond="Team1", nics=NICS, team="Lacp",
                   commands=host_commands(HostOs.WINDOWS, "Team1", NICS), live=True)


def _device(port: int, **kw: Any) -> HostDevice:
    return HostDevice(name="hv01", os=HostOs.WINDOWS, address=ADDRESS, port=port,
                      transport="winrm", winrm_auth="basic", group="servers", **kw)


def _read(endpoint: Endpoint, creds: Credentials = CREDS) -> Any:
    return host_reads.read_exec_host(_device(endpoint.server.port), _job(), creds=creds,
                                     choice=TransportChoice(timeout_s=5, connect_retries=0))


def _encoded(script: str) -> str:
    b64 = base64.b64encode(script.encode("utf-16-le")).decode()
    return f"powershell.exe -NoProfile -NonInteractive -EncodedCommand {b64}"


def test_winrm_host_is_read_with_one_process_and_parsed(endpoint: Endpoint) -> None:
    capture = _read(endpoint)
    assert capture.error is None
    # one command line reached the host: the read-back script, -EncodedCommand as over SSH
    assert endpoint.host.command_log == [_encoded(windows_script("Team1", NICS))]
    assert endpoint.host.refused == []
    assert endpoint.server.winrs.shells() == 0  # the shell was deleted at close
    assert sum(endpoint.faults.accepted.by_port().values()) == 1  # one HTTP connection
    assert set(capture.outputs) == set(host_commands(HostOs.WINDOWS, "Team1", NICS))
    state, err = parse_host(_job(), capture.outputs)
    assert err is None and state is not None
    assert (state.team, state.lacp_rate, state.mtu_ip) == ("Lacp", LacpRate.FAST, 9000)
    assert [m.name for m in state.members] == list(NICS)


def test_a_wrong_password_is_an_auth_error_at_connect(endpoint: Endpoint) -> None:
    capture = _read(endpoint, Credentials("lab", "not-the-password", ""))
    assert capture.error is not None
    assert (capture.error.device, capture.error.stage, capture.error.kind.value) == (
        "hv01", "connect", "auth")
    assert capture.outputs == {} and endpoint.host.command_log == []


def test_group_credentials_from_the_environment_log_in(
        endpoint: Endpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAGPROV_SERVERS_USERNAME", "svc-lagprov")
    monkeypatch.setenv("LAGPROV_SERVERS_PASSWORD", "from-the-env")
    wrong_base = Credentials("lab", "stale", "")  # the run's own would be refused
    assert _read(endpoint, wrong_base).error is None
    monkeypatch.setenv("LAGPROV_SERVERS_PASSWORD", "wrong")
    capture = _read(endpoint)
    assert capture.error is not None and capture.error.kind.value == "auth"


def test_a_host_that_is_down_is_unreachable(endpoint: Endpoint) -> None:
    endpoint.faults.down = True
    capture = _read(endpoint)
    assert capture.error is not None and capture.error.stage == "connect"
    assert capture.error.kind.value == "unreachable"


def test_a_refused_script_is_a_command_error_with_powershell_text(endpoint: Endpoint) -> None:
    session = WinRMSession("hv01", ADDRESS, endpoint.server.port, CREDS, 5, auth="basic")
    try:
        with pytest.raises(CommandError, match=r"exit status 1: The term 'Remove-Item x' is "
                                               r"not recognized") as err:
            session.run(_encoded("Remove-Item x"), what="mutation")
        assert "CLIXML" not in str(err.value)  # the error records were read as text
    finally:
        session.close()
    assert endpoint.host.refused == [_encoded("Remove-Item x")]


def test_unknown_shell_id_is_the_windows_fault(endpoint: Endpoint) -> None:
    from pypsrp.wsman import SelectorSet

    wsman = WSMan(ADDRESS, port=endpoint.server.port, username="lab", password="lab-password",
                  ssl=False, auth="basic", encryption="never")
    selectors = SelectorSet()
    selectors.add_option("ShellId", "00000000-0000-0000-0000-000000000000")
    with pytest.raises(WSManFaultError) as err:
        wsman.delete(SHELL_URI, selector_set=selectors)
    assert err.value.code == 2150858843
    wsman.close()


def test_powershell_remoting_is_not_served(endpoint: Endpoint) -> None:
    """The lab serves WinRS only: pypsrp's PSRP (execute_ps) gets a fault, not a fake answer."""
    from pypsrp.client import Client

    client = Client(ADDRESS, port=endpoint.server.port, username="lab",
                    password="lab-password", ssl=False, auth="basic", encryption="never")
    with pytest.raises(WSManFaultError, match="WinRS cmd shell only"):
        client.execute_ps("Get-NetLbfoTeam")
    assert endpoint.host.command_log == []


def test_clixml_error_records_read_as_text() -> None:
    # Windows PowerShell 5.1's redirected error stream: #< CLIXML, <S S="Error"> per line
    # (CR/LF as _x000D__x000A_), progress records dropped; the lab writes it the same way
    text = ("#< CLIXML\r\n<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/"
            "powershell/2004/04\"><Obj S=\"progress\" RefId=\"0\"><MS><I64 N=\"SourceId\">1"
            "</I64></MS></Obj><S S=\"Error\">Get-NetLbfoTeam : Access is denied. "
            "_x000D__x000A_</S><S S=\"Error\">    + FullyQualifiedErrorId : x_x005F_y"
            "_x000D__x000A_</S></Objs>")
    assert clixml_text(text) == ("Get-NetLbfoTeam : Access is denied. \r\n"
                                 "    + FullyQualifiedErrorId : x_y\r\n")
    assert clixml_text("plain text") == "plain text"
    assert clixml_text(clixml("a_xb & c\nd")) == "a_xb & c\r\nd\r\n"


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

