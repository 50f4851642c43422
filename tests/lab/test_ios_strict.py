"""The lab refuses what the device refuses (issue 8): real Netmiko against the lab Catalysts.

Each refusal is one the renderer could get wrong; if the lab accepted it, a renderer mistake
would pass CI and fail in the change window.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from netmiko import ConnectHandler

from lagprov.lab.fabric import LabFabric
from tests.lab.conftest import LAB_USER

pytestmark = pytest.mark.lab

INVALID = "% Invalid input detected at '^' marker."


def _session(fabric: LabFabric, device: str) -> Iterator[ConnectHandler]:
    conn = ConnectHandler(device_type="cisco_ios", host=fabric.addresses[device], port=2222,
                          **LAB_USER)
    conn.enable()
    try:
        yield conn
    finally:
        conn.disconnect()


@pytest.fixture(scope="module")
def c9300(lab_fabric: LabFabric) -> Iterator[ConnectHandler]:
    yield from _session(lab_fabric, "cat9300-1")


@pytest.fixture(scope="module")
def c2960(lab_fabric: LabFabric) -> Iterator[ConnectHandler]:
    yield from _session(lab_fabric, "cat2960s-1")


def _caret_under(out: str, prompt: str, line: str, word: str) -> bool:
    """The caret sits under ``word`` of ``line`` typed at ``prompt``, then the invalid text."""
    lines = out.splitlines()
    i = lines.index(prompt + line)
    col = len(prompt) + line.index(word)
    return lines[i + 1] == " " * col + "^" and lines[i + 2] == INVALID


def test_c9300_refuses_min_links_1(lab_fabric: LabFabric, c9300: ConnectHandler) -> None:
    c9300.send_config_set(["interface range Gi1/0/21 - 22", "channel-group 21 mode active"])
    out = c9300.send_config_set(["interface Port-channel21", "port-channel min-links 1"])
    assert _caret_under(out, "cat9300-1(config-if)#", "port-channel min-links 1", "1")
    assert "min-links" not in c9300.send_command("show running-config interface Port-channel21")
    c9300.send_config_set(["interface Port-channel21", "port-channel min-links 2"])
    run = c9300.send_command("show running-config interface Port-channel21")
    assert " port-channel min-links 2" in run


@pytest.mark.parametrize("lines", [
    ["interface Gi1/0/23", "lacp rate fast"],  # no channel-group at all
    ["interface Gi1/0/24", "channel-group 24 mode on", "lacp rate fast"],  # static
])
def test_c9300_refuses_lacp_rate_on_a_port_without_lacp(c9300: ConnectHandler,
                                                        lines: list[str]) -> None:
    out = c9300.send_config_set(lines)
    assert _caret_under(out, "cat9300-1(config-if)#", "lacp rate fast", "rate")
    port = lines[0].split()[1].replace("Gi", "GigabitEthernet")
    assert "lacp rate" not in c9300.send_command(f"show running-config interface {port}")


def test_lacp_reset_after_no_channel_group_is_refused(c9300: ConnectHandler) -> None:
    """Issue 8 item 6: the order lagprov now renders is the one the switch takes."""
    c9300.send_config_set(["interface Gi1/0/25", "channel-group 25 mode active",
                           "lacp rate fast"])
    wrong = c9300.send_config_set(["interface Gi1/0/25", "no channel-group", "no lacp rate"])
    assert INVALID in wrong
    c9300.send_config_set(["interface Gi1/0/26", "channel-group 26 mode active",
                           "lacp rate fast"])
    right = c9300.send_config_set(["interface Gi1/0/26", "no lacp rate", "no channel-group"])
    assert INVALID not in right
    run = c9300.send_command("show running-config interface GigabitEthernet1/0/26")
    assert "lacp rate" not in run and "channel-group" not in run


@pytest.mark.parametrize(("first", "second"), [("active", "on"), ("on", "passive")])
def test_mode_on_and_lacp_do_not_mix_in_one_group(c9300: ConnectHandler, first: str,
                                                  second: str) -> None:
    group = 30 if first == "active" else 31
    a, b = (27, 28) if first == "active" else (29, 30)
    c9300.send_config_set([f"interface Gi1/0/{a}", f"channel-group {group} mode {first}"])
    out = c9300.send_config_set([f"interface Gi1/0/{b}", f"channel-group {group} mode {second}"])
    assert f"Command rejected (Port-channel{group}, Gi1/0/{b}): Invalid etherchnl mode" in out
    run = c9300.send_command(f"show running-config interface GigabitEthernet1/0/{b}")
    assert "channel-group" not in run


def test_each_catalyst_takes_its_own_portfast_spelling(c9300: ConnectHandler,
                                                       c2960: ConnectHandler) -> None:
    """IOS-XE: 'spanning-tree portfast edge trunk'; IOS 15.0 (2960-S): no 'edge' keyword."""
    c9300.send_config_set(["interface range Gi1/0/31 - 32", "switchport mode trunk",
                           "channel-group 32 mode active",
                           "interface Port-channel32", "switchport mode trunk",
                           "spanning-tree portfast edge trunk"])
    run = c9300.send_command("show running-config interface Port-channel32")
    assert " spanning-tree portfast edge trunk" in run
    out = c2960.send_config_set(["interface Gi1/0/40", "spanning-tree portfast edge trunk"])
    assert _caret_under(out, "cat2960s-1(config-if)#", "spanning-tree portfast edge trunk",
                        "edge")
    c2960.send_config_set(["interface Gi1/0/40", "spanning-tree portfast trunk"])
    run = c2960.send_command("show running-config interface GigabitEthernet1/0/40")
    assert " spanning-tree portfast trunk" in run
