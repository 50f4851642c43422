"""Read sessions that wait for the prompt (issue 15): the stock lines minus the blank probes.

Each platform's read class (``lagprov.edge.netmiko_fast``) against the stock Netmiko class on
the same lab device: the same outputs, the same non-blank lines received by the lab in the
same order, and no blank line at all (issue 15: 22 lines per IOS device for 6 show commands,
11 of them blank prompt probes).  Also: ``TCP_NODELAY`` on the sessions, reads slowed by
latency still answered right, a whole live verify without a blank line, and pushes kept on
the stock classes.  No timing is asserted (``make bench`` has the figures).
"""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from netmiko import ConnectHandler

import lagprov.lab.ssh as lab_ssh
from lagprov.edge.netmiko_fast import read_device_type
from lagprov.edge.nornir_glue import Credentials, TransportChoice, _prepare_host
from lagprov.edge.sessions import NetmikoSession
from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LabFabric
from lagprov.observe.collect import collection_plan
from lagprov.runs.verify import verify_run
from tests.lab.conftest import EXAMPLE_INVENTORY, LAB_USER
from tests.workflow.labkit import LAB_ENV

pytestmark = pytest.mark.lab

DEVICES = [("cat9300-1", "cisco_ios"), ("eos7120-1", "arista_eos"),
           ("ex4300-1", "juniper_junos"), ("sse-x24s-1", "supermicro_smis"),
           ("lnx01", "linux")]
_COUNTERS = re.compile(r"\d+")  # counters and ages move between two reads


@pytest.fixture
def received(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(CLI class, line) for every line the lab's CLI sessions get from now on."""
    got: list[tuple[str, str]] = []
    run_cli = lab_ssh._run_cli

    async def counting(process: Any, cli: Any, faults: Any) -> None:
        handle = cli.handle

        def logged(line: str) -> Any:
            got.append((type(cli).__name__, line))
            return handle(line)

        cli.handle = logged
        await run_cli(process, cli, faults)

    monkeypatch.setattr(lab_ssh, "_run_cli", counting)
    return got


def _commands(device: str) -> tuple[str, ...]:
    plan = collection_plan(load_inventory(EXAMPLE_INVENTORY))
    jobs = {**{j.device: j.commands for j in plan.switches},
            **{j.device: j.commands for j in plan.hosts}}
    return jobs[device]


def _read(fabric: LabFabric, device: str, device_type: str, commands: tuple[str, ...],
          lines: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    start = len(lines)
    conn = ConnectHandler(device_type=device_type, host=fabric.addresses[device], port=2222,
                          **LAB_USER, fast_cli=False)
    try:
        if device_type.startswith(("cisco_ios", "arista_eos")):
            conn.enable()
        outputs = [str(conn.send_command(c, read_timeout=30)) for c in commands]
    finally:
        conn.disconnect()
    _wait_for(lines, start, "exit")
    return outputs, [line for _, line in lines[start:]]


def _wait_for(lines: list[tuple[str, str]], start: int, last: str) -> None:
    """Until the lab has handled the session's ``exit`` (it reads on its own thread)."""
    for _ in range(200):
        if any(line == last for _, line in lines[start:]):
            return
        time.sleep(0.01)


@pytest.mark.parametrize(("device", "device_type"), DEVICES)
def test_read_class_sends_the_stock_lines_without_blank_probes(
        lab_fabric: LabFabric, received: list[tuple[str, str]], device: str,
        device_type: str) -> None:
    commands = _commands(device)
    stock_out, stock_lines = _read(lab_fabric, device, device_type, commands, received)
    fast_out, fast_lines = _read(lab_fabric, device, read_device_type(device_type), commands,
                                 received)
    assert [_COUNTERS.sub("N", o) for o in fast_out] == \
        [_COUNTERS.sub("N", o) for o in stock_out]
    assert all(o.strip() for o in fast_out[:1])  # a real output, not an empty read
    assert "" in [line.strip() for line in stock_lines]  # the stock class probes ...
    assert [line for line in fast_lines if not line.strip()] == []  # ... the read class not
    assert fast_lines == [line for line in stock_lines if line.strip()]
    assert fast_lines[-1] == "exit"
    if device_type == "cisco_ios" and len(commands) == 6:
        assert len(fast_lines) == 11  # issue 15: 22 lines, 11 of them blank probes


def test_reads_slowed_by_latency_still_wait_for_the_prompt(
        lab_fabric: LabFabric, received: list[tuple[str, str]]) -> None:
    commands = _commands("cat9300-1")
    stock_out, _ = _read(lab_fabric, "cat9300-1", "cisco_ios", commands, received)
    lab_fabric.faults("cat9300-1").latency_s = 0.15  # every reply late, after its echo
    try:
        fast_out, lines = _read(lab_fabric, "cat9300-1", read_device_type("cisco_ios"),
                                commands, received)
    finally:
        lab_fabric.faults("cat9300-1").latency_s = 0.0
    assert [_COUNTERS.sub("N", o) for o in fast_out] == \
        [_COUNTERS.sub("N", o) for o in stock_out]
    assert [line for line in lines if not line.strip()] == []


def _no_delay(conn: Any) -> int:
    sock = conn.remote_conn.get_transport().sock
    assert isinstance(sock, socket.socket)
    return int(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


def test_sessions_set_tcp_nodelay(lab_fabric: LabFabric) -> None:
    address = lab_fabric.addresses["cat9300-1"]
    fast = ConnectHandler(device_type=read_device_type("cisco_ios"), host=address, port=2222,
                          **LAB_USER)
    stock = ConnectHandler(device_type="cisco_ios", host=address, port=2222, **LAB_USER)
    try:
        assert _no_delay(fast) == 1  # from before the SSH handshake
        assert _no_delay(stock) == 0  # stock Netmiko leaves Nagle on ...
        NetmikoSession(stock, "cat9300-1")
        assert _no_delay(stock) == 1  # ... a lagprov session (push or read) turns it off
    finally:
        fast.disconnect()
        stock.disconnect()


def test_a_live_verify_sends_no_blank_line(lab_fabric: LabFabric,
                                           received: list[tuple[str, str]],
                                           tmp_path: Any, lab_env: None) -> None:
    live = load_inventory(lab_fabric.write_inventory(tmp_path / "live"))
    report = verify_run(live, workers=4)
    assert report.trunks
    by_cli = {cli for cli, _ in received}
    assert {"IosCli", "EosCli", "JunosCli", "SmisCli", "LinuxShell"} <= by_cli
    assert [(cli, line) for cli, line in received if not line.strip()] == []


def test_pushes_keep_the_stock_connection_classes(lab_fabric: LabFabric) -> None:
    from nornir.core.inventory import Host

    creds = Credentials("lab", "lab-password", "lab-secret")
    for device, device_type in DEVICES[:4]:
        for choice, expected in ((TransportChoice(), device_type),
                                 (TransportChoice(netmiko_everywhere=True), device_type),
                                 (TransportChoice(prompt_reads=True),
                                  read_device_type(device_type))):
            host = Host(name=device, hostname=lab_fabric.addresses[device], port=2222,
                        platform=device_type)
            _prepare_host(host, creds, choice)
            got = host.connection_options["netmiko"].platform
            if device_type == "supermicro_smis" and not choice.prompt_reads:
                expected = "supermicro_smis_fast"  # the push class that waits for '#', as before
            assert got == expected, (device, choice)


@pytest.fixture
def lab_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for key, value in LAB_ENV.items():
        monkeypatch.setenv(key, value)
    yield
