"""Unmodified Netmiko ``supermicro_smis`` (and lagprov's fast variant) against the lab SMIS."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from netmiko import ConnectHandler

from lagprov.edge.smis_driver import FastSmisConnection, register_fast_smis
from lagprov.lab.runtime import LabLoop
from lagprov.lab.smis.switch import SmisSwitch, serve

try:  # tests/lab is a package once it has an __init__.py
    from tests.lab.test_smis_support import LAG_CONFIG, make_switch
except ImportError:
    from test_smis_support import LAG_CONFIG, make_switch  # type: ignore[no-redef]

pytestmark = pytest.mark.lab

ADDRESS = "127.0.77.16"
USERS = {"lab": "lab-password"}
PUSH = [line for line in LAG_CONFIG if line not in ("configure terminal", "end")]


@dataclass
class _Ports:
    ssh: int = 0


@pytest.fixture(scope="module")
def lab_smis() -> Iterator[tuple[SmisSwitch, int]]:
    loop = LabLoop("smis-wire")
    loop.start()
    switch, _ = make_switch()
    handles = loop.run(serve(switch, ADDRESS, _Ports(), USERS))
    port = handles[0].get_port()  # type: ignore[attr-defined]
    try:
        yield switch, port
    finally:
        loop.close(handles)
        loop.stop()


def _connect(port: int, device_type: str) -> object:
    return ConnectHandler(
        device_type=device_type,
        host=ADDRESS,
        port=port,
        username="lab",
        password="lab-password",
        fast_cli=True,
    )


def _push_and_read(port: int, device_type: str) -> tuple[float, str, str, str]:
    start = time.monotonic()
    conn = _connect(port, device_type)
    out = conn.send_config_set(PUSH)  # type: ignore[attr-defined]
    elapsed = time.monotonic() - start
    saved = conn.save_config()  # type: ignore[attr-defined]
    summary = conn.send_command("show etherchannel summary")  # type: ignore[attr-defined]
    conn.disconnect()  # type: ignore[attr-defined]
    return elapsed, out, saved, summary


@pytest.mark.slow
def test_fast_and_stock_drivers_configure_the_switch(lab_smis: tuple[SmisSwitch, int]) -> None:
    switch, port = lab_smis
    fast_type = register_fast_smis()
    fast_s, out, saved, summary = _push_and_read(port, fast_type)
    assert "% Invalid" not in out and "% Incomplete" not in out
    assert "[OK]" in saved
    assert "1      Po1(U)        LACP      Ex0/1(P), Ex0/2(P)" in summary.splitlines()
    logged = [line for line in PUSH if line != "exit"]  # navigation is not logged
    assert switch.command_log[: len(logged)] == logged
    stock_s, out, saved, summary = _push_and_read(port, "supermicro_smis")
    assert "% Invalid" not in out and "[OK]" in saved
    assert "Po1(U)" in summary
    print(f"\nSMIS connect+send_config_set: stock {stock_s:.2f} s, fast {fast_s:.2f} s")
    assert fast_s < stock_s


def test_connect_and_show_running_config(lab_smis: tuple[SmisSwitch, int]) -> None:
    _, port = lab_smis
    conn = FastSmisConnection(
        host=ADDRESS, port=port, username="lab", password="lab-password", fast_cli=True
    )
    try:
        assert conn.base_prompt == "sse-x24s-1"
        text = conn.send_command("show running-config")
        assert text.startswith("Building configuration...")
        assert text.rstrip().endswith("end")
        assert conn.send_command("bogus command").strip() == "% Invalid Command"
    finally:
        conn.disconnect()
