"""The lab SMIS refuses what an Aricent ISS switch refuses, and does what it does, over the wire.

Driven by lagprov's SMIS Netmiko driver, as ``tests/lab/test_smis_wire.py``.  Sources (no public
SMIS capture exists, docs/smis-outputs.md): link aggregation is one switch-wide module
(``set port-channel enable``, SEFOS LA guide, vendor-cli.md section 4); ``lacp timeout`` needs
it enabled and is accepted without effect on a port without LACP, ``no lacp timeout`` resets it
(iS5Comm iMR320 CLI, an ISS derivative); ``spanning-tree portfast`` on ports and port-channels
prints a warning (SEFOS PVRST+ guide E24664).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from lagprov.edge.smis_driver import FastSmisConnection
from lagprov.lab.smis.switch import SmisSwitch, serve
from lagprov.provision.render import render_device
from tests.lab.serving import served
from tests.render.cases import inventory, trunk

pytestmark = pytest.mark.lab

ADDRESS = "127.0.77.18"
USERS = {"lab": "lab-password"}


@dataclass
class _Ports:
    ssh: int = 0


@pytest.fixture
def lab_smis() -> Iterator[tuple[SmisSwitch, int]]:
    from tests.lab.test_smis_support import make_switch

    switch, _ = make_switch()
    with served("smis-strict", lambda: serve(switch, ADDRESS, _Ports(), USERS)) as handles:
        yield switch, handles[0].get_port()  # type: ignore[attr-defined]


def _conn(port: int) -> FastSmisConnection:
    return FastSmisConnection(host=ADDRESS, port=port, username="lab", password="lab-password",
                              fast_cli=True)


def _rendered(mode: str, *, remove: bool = False) -> list[str]:
    inv = inventory("supermicro_smis", trunk("supermicro_smis", mode))
    return list(render_device(inv, "sw-smis", remove=remove).lines)


CHANNELS = [
    "set port-channel enable",
    "interface port-channel 1", "no shutdown", "exit",
    "interface port-channel 2", "no shutdown", "exit",
    "interface Ex 0/1", "channel-group 1 mode active", "exit",
    "interface Ex 0/2", "channel-group 1 mode active", "exit",
    "interface Ex 0/3", "channel-group 2 mode on", "exit",
]


def test_set_port_channel_disable_drops_every_channel(lab_smis: tuple[SmisSwitch, int]) -> None:
    _, port = lab_smis
    conn = _conn(port)
    try:
        conn.send_config_set(CHANNELS)
        before = conn.send_command("show etherchannel summary")
        conn.send_config_set(["set port-channel disable"])
        after = conn.send_command("show etherchannel summary")
        facts = conn.send_command("show etherchannel detail")
    finally:
        conn.disconnect()
    assert "Po1(U)" in before and "Ex0/1(P)" in before and "Po2(" in before
    assert "Port-channel Module Admin Status is disabled" in after
    assert "Po1" not in after and "Po2" not in after and "(P)" not in after
    assert "Up in Bundle" not in facts


def test_lacp_timeout_is_refused_while_link_aggregation_is_disabled(
        lab_smis: tuple[SmisSwitch, int]) -> None:
    switch, port = lab_smis
    conn = _conn(port)
    try:
        out = conn.send_config_set(["interface Ex 0/5", "lacp timeout short"])
    finally:
        conn.disconnect()
    assert "% Port-channel module is disabled" in out
    assert not switch.config.ports["Ex 0/5"].lacp_fast


def test_lacp_timeout_on_a_port_without_lacp_is_accepted_and_reset_by_no(
        lab_smis: tuple[SmisSwitch, int]) -> None:
    switch, port = lab_smis
    conn = _conn(port)
    try:
        out = conn.send_config_set(["set port-channel enable", "interface Ex 0/5",
                                    "lacp timeout short"])
        set_fast = switch.config.ports["Ex 0/5"].lacp_fast
        out += conn.send_config_set(["interface Ex 0/5", "no lacp timeout"])
    finally:
        conn.disconnect()
    assert "%" not in out
    assert set_fast and not switch.config.ports["Ex 0/5"].lacp_fast


def test_spanning_tree_portfast_on_a_port_channel(lab_smis: tuple[SmisSwitch, int]) -> None:
    _, port = lab_smis
    conn = _conn(port)
    try:
        out = conn.send_config_set(["interface port-channel 4", "spanning-tree portfast"])
        on = conn.send_command("show running-config")
        out += conn.send_config_set(["interface port-channel 4", "no spanning-tree portfast"])
        off = conn.send_command("show running-config")
    finally:
        conn.disconnect()
    assert "Warning: portfast should only be enabled on ports connected to a single host" in out
    assert "%" not in out
    assert "interface port-channel 4\n spanning-tree portfast\n" in on.replace("\r", "")
    assert "spanning-tree portfast" not in off


@pytest.mark.parametrize("mode", ["lacp-active", "static", "independent"])
def test_the_lab_accepts_what_lagprov_renders_and_removes(
        lab_smis: tuple[SmisSwitch, int], mode: str) -> None:
    switch, port = lab_smis
    conn = _conn(port)
    try:
        out = conn.send_config_set(_rendered(mode))
        out += conn.send_config_set(_rendered(mode, remove=True))
        running = conn.send_command("show running-config")
    finally:
        conn.disconnect()
    assert "% " not in out
    assert switch.config.channels == {}
    assert "channel-group" not in running and "spanning-tree" not in running
    assert ("set port-channel enable" in running) is (mode != "independent")
    assert "set port-channel disable" not in switch.command_log
