"""The generic SSH server: real Netmiko logs in, echo/prompt handling, NUL, auth, latency."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import paramiko
import pytest
from netmiko import ConnectHandler
from netmiko.exceptions import NetmikoAuthenticationException

from lagprov.lab.base import CliReply, Faults
from lagprov.lab.runtime import LabLoop
from lagprov.lab.ssh import start_ssh_server

pytestmark = pytest.mark.lab

ADDRESS = "127.0.77.1"
USERS = {"lab": "lab-password"}


@dataclass
class MiniIos:
    """A two-mode IOS-like CLI that records what it got."""

    lines: list[str] = field(default_factory=list)
    enabled: bool = False
    asking: bool = False

    def banner(self) -> str:
        return "\n"

    def prompt(self) -> str:
        if self.asking:
            return "Password: "
        return "mini#" if self.enabled else "mini>"

    def handle(self, line: str) -> CliReply:
        self.lines.append(line)
        if self.asking:
            self.asking = False
            self.enabled = line == "lab-secret"
            return CliReply("" if self.enabled else "% Access denied\n")
        if line == "enable":
            self.asking = True
            return CliReply()
        if line.startswith("show version"):
            return CliReply("Cisco IOS Software, mini\nuptime is 1 minute\n")
        if line == "exit":
            return CliReply(close=True)
        return CliReply()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Faults, list[MiniIos],
                                                                      Path]]:
    loop = LabLoop()
    loop.start()
    faults = Faults()
    sessions: list[MiniIos] = []
    root = tmp_path_factory.mktemp("flash")

    def factory(username: str) -> MiniIos:
        s = MiniIos()
        sessions.append(s)
        return s

    acceptor = loop.run(start_ssh_server(address=ADDRESS, port=0, users=USERS,
                                         session_factory=factory, faults=faults, scp_root=root,
                                         exec_handler=lambda user, cmd: f"ran {cmd} as {user}\n"))
    try:
        yield acceptor.get_port(), faults, sessions, root
    finally:
        loop.close([acceptor])  # on the loop's own thread (Server.close is not thread-safe)
        loop.stop()


def _connect(port: int, password: str = "lab-password") -> ConnectHandler:
    return ConnectHandler(device_type="cisco_ios", host=ADDRESS, port=port, username="lab",
                          password=password, secret="lab-secret", fast_cli=True,
                          allow_auto_change=False)


def test_netmiko_logs_in_and_runs_show_version(server: tuple[int, Faults, list[MiniIos], Path],
                                               ) -> None:
    port, _, sessions, _ = server
    conn = _connect(port)
    try:
        assert conn.base_prompt == "mini"
        out = conn.send_command("show version")
        assert out.splitlines() == ["Cisco IOS Software, mini", "uptime is 1 minute"]
        conn.enable()
        assert conn.check_enable_mode()
        conn.write_channel("\x00")  # napalm is_alive: must be ignored
        assert conn.send_command("show version").startswith("Cisco IOS Software")
    finally:
        conn.disconnect()
    lines = sessions[-1].lines
    assert "terminal width 511" in lines and "terminal length 0" in lines
    assert "lab-secret" in lines and not any("\x00" in x for x in lines)


def test_auth_fault_refuses_login(server: tuple[int, Faults, list[MiniIos], Path]) -> None:
    port, faults, _, _ = server
    with pytest.raises(NetmikoAuthenticationException):
        _connect(port, password="wrong")
    faults.auth_fail = True
    try:
        with pytest.raises(NetmikoAuthenticationException):
            _connect(port)
    finally:
        faults.auth_fail = False


def test_latency_delays_every_reply(server: tuple[int, Faults, list[MiniIos], Path]) -> None:
    port, faults, _, _ = server
    conn = _connect(port)
    try:
        faults.latency_s = 0.2
        start = time.monotonic()
        conn.send_command("show version")
        assert time.monotonic() - start >= 0.2
    finally:
        faults.latency_s = 0.0
        conn.disconnect()


def _paramiko(port: int) -> paramiko.SSHClient:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(ADDRESS, port=port, username="lab", password="lab-password",
                   look_for_keys=False, allow_agent=False)
    return client


def test_scp_upload_lands_in_flash_root(server: tuple[int, Faults, list[MiniIos], Path]) -> None:
    from scp import SCPClient

    port, _, _, root = server
    client = _paramiko(port)
    try:
        import io
        with SCPClient(client.get_transport()) as scp:
            scp.putfo(io.BytesIO(b"interface Gi1/0/1\n"), "flash:/merge_config.txt")
    finally:
        client.close()
    assert (root / "merge_config.txt").read_bytes() == b"interface Gi1/0/1\n"


def test_exec_handler_answers_exec_requests(server: tuple[int, Faults, list[MiniIos], Path],
                                            ) -> None:
    port, _, _, _ = server
    client = _paramiko(port)
    try:
        _, stdout, _ = client.exec_command("show clock")
        assert stdout.read() == b"ran show clock as lab\r\n"
    finally:
        client.close()
