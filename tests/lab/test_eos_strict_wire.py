"""The lab EOS is as strict as the device, over the wire (Netmiko ``arista_eos``, as
``tests/lab/test_eos_wire.py``): a shut member stays down and out of its bundle, a bundle whose
members are all shut is down, ``no shutdown`` brings it back; the spanning-tree edge line
lagprov renders ('spanning-tree portfast', as Arista AVD renders it) and its negation are taken;
what lagprov renders and removes is accepted line for line.

EOS prints a shut port as "administratively down ... (disabled)" (vendor-cli.md 2.2 lists the
member lines; the status wording is EOS's, as in the lab's ``show interfaces``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from netmiko import ConnectHandler

from lagprov.lab.eos.switch import EosSwitch, serve
from lagprov.provision.render import render_device
from tests.lab.serving import served
from tests.lab.test_eos_support import LAG_LINES, SECRET, make_switch
from tests.render.cases import inventory, trunk

pytestmark = pytest.mark.lab

ADDRESS = "127.0.42.17"
USERS = {"lab": "lab-password"}


@dataclass
class _Ports:
    ssh: int = 0
    eapi: int | None = None


@pytest.fixture
def lab() -> Iterator[tuple[EosSwitch, int]]:
    switch, _ = make_switch()
    with served("eos-strict", lambda: serve(switch, ADDRESS, _Ports(), USERS)) as handles:
        yield switch, handles[0].get_port()  # type: ignore[attr-defined]


def _conn(port: int) -> object:
    conn = ConnectHandler(device_type="arista_eos", host=ADDRESS, port=port, username="lab",
                          password="lab-password", secret=SECRET, fast_cli=True)
    conn.enable()  # type: ignore[attr-defined]
    return conn


def _summary(conn: object) -> dict[str, str]:
    """Flags of Po10 and its members, read from the text (the ntc template drops members that
    follow a down one, so it is not used here)."""
    text = conn.send_command("show port-channel summary")  # type: ignore[attr-defined]
    row = next(line for line in text.splitlines() if line.strip().startswith("Po10("))
    return dict(re.findall(r"(\w+\d+)\(([^)]*)\)", row))


def test_a_shut_member_stays_down_and_unbundled(lab: tuple[EosSwitch, int]) -> None:
    _, port = lab
    conn = _conn(port)
    try:
        conn.send_config_set([*LAG_LINES, "interface Ethernet1", "shutdown"])  # type: ignore[attr-defined]
        state = _summary(conn)
        et1 = conn.send_command("show interfaces Ethernet1")  # type: ignore[attr-defined]
        po = conn.send_command("show port-channel")  # type: ignore[attr-defined]
        lacp = conn.send_command("show lacp neighbor")  # type: ignore[attr-defined]
    finally:
        conn.disconnect()  # type: ignore[attr-defined]
    assert state == {"Po10": "U", "Et1": "D", "Et2": "PG+"}
    assert "Ethernet1 is administratively down, line protocol is down (disabled)" in et1
    assert "Active Ports: Ethernet2" in po and "Ethernet1" in po.split("inactive ports:")[1]
    assert " Et1 " not in lacp and " Et2 " in lacp


def test_a_bundle_with_every_member_shut_is_down(lab: tuple[EosSwitch, int]) -> None:
    _, port = lab
    conn = _conn(port)
    try:
        conn.send_config_set([*LAG_LINES, "interface Ethernet1-2", "shutdown"])  # type: ignore[attr-defined]
        state = _summary(conn)
        po = conn.send_command("show interfaces Port-Channel10")  # type: ignore[attr-defined]
        conn.send_config_set(["interface Ethernet1-2", "no shutdown"])  # type: ignore[attr-defined]
        back = _summary(conn)
    finally:
        conn.disconnect()  # type: ignore[attr-defined]
    assert state == {"Po10": "D", "Et1": "D", "Et2": "D"}
    assert po.startswith("Port-Channel10 is down")
    assert back == {"Po10": "U", "Et1": "PG+", "Et2": "PG+"}


def test_spanning_tree_portfast_and_its_negation(lab: tuple[EosSwitch, int]) -> None:
    switch, port = lab
    conn = _conn(port)
    try:
        out = conn.send_config_set(  # type: ignore[attr-defined]
            ["interface Port-Channel10", "spanning-tree portfast"])
        on = switch.running_text()
        out += conn.send_config_set(  # type: ignore[attr-defined]
            ["interface Port-Channel10", "no spanning-tree portfast"])
    finally:
        conn.disconnect()  # type: ignore[attr-defined]
    assert "% Invalid" not in out
    assert "interface Port-Channel10\n   spanning-tree portfast\n" in on
    assert "spanning-tree portfast" not in switch.running_text()


@pytest.mark.parametrize("mode", ["lacp-active", "static", "independent"])
def test_the_lab_accepts_what_lagprov_renders_and_removes(
        lab: tuple[EosSwitch, int], mode: str) -> None:
    switch, port = lab
    inv = inventory("arista_eos", trunk("arista_eos", mode))
    create = list(render_device(inv, "sw-eos").lines)
    remove = list(render_device(inv, "sw-eos", remove=True).lines)
    conn = _conn(port)
    try:
        out = conn.send_config_set(create)  # type: ignore[attr-defined]
        made = switch.running_text()
        out += conn.send_config_set(remove)  # type: ignore[attr-defined]
    finally:
        conn.disconnect()  # type: ignore[attr-defined]
    assert "% " not in out
    assert "spanning-tree portfast" in made
    assert "spanning-tree portfast" not in switch.running_text()
    assert "channel-group" not in switch.running_text()
