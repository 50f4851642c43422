"""Real Netmiko (cisco_ios) against the lab's Catalyst switches: CLI behaviour and faults."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from netmiko import ConnectHandler
from netmiko.exceptions import NetmikoAuthenticationException
from ntc_templates.parse import parse_output

from lagprov.lab.fabric import LabFabric
from tests.lab.conftest import LAB_USER

pytestmark = pytest.mark.lab


def _connect(fabric: LabFabric, device: str, **extra: object) -> ConnectHandler:
    args = {"device_type": "cisco_ios", "host": fabric.addresses[device], "port": 2222,
            **LAB_USER, **extra}
    return ConnectHandler(**args)


@pytest.fixture(scope="module")
def c9300(lab_fabric: LabFabric) -> Iterator[ConnectHandler]:
    conn = _connect(lab_fabric, "cat9300-1")
    conn.enable()
    try:
        yield conn
    finally:
        conn.disconnect()


def _summary(conn: ConnectHandler) -> dict[str, dict[str, object]]:
    rows = parse_output(platform="cisco_ios", command="show etherchannel summary",
                        data=conn.send_command("show etherchannel summary"))
    return {r["bundle_name"]: r for r in rows}


def test_lacp_port_channel_bundles_with_the_lacp_host(lab_fabric: LabFabric,
                                                      c9300: ConnectHandler) -> None:
    sw = lab_fabric.switch("cat9300-1")
    before = len(sw.command_log)
    c9300.send_config_set([
        "interface range GigabitEthernet1/0/1 - 2", "switchport mode trunk",
        "switchport trunk allowed vlan 10,20,30", "switchport trunk native vlan 10",
        "channel-group 10 mode active", "lacp rate fast",
        "interface Port-channel10", "port-channel min-links 2", "description hv01-team"])
    assert sw.command_log[before:] == [
        "interface range GigabitEthernet1/0/1 - 2", "switchport mode trunk",
        "switchport trunk allowed vlan 10,20,30", "switchport trunk native vlan 10",
        "channel-group 10 mode active", "lacp rate fast",
        "interface Port-channel10", "port-channel min-links 2", "description hv01-team"]
    po = _summary(c9300)["Po10"]
    assert po["bundle_status"] == "SU" and po["bundle_protocol"] == "LACP"
    assert po["member_interface"] == ["Gi1/0/1", "Gi1/0/2"]
    assert po["member_interface_status"] == ["P", "P"]
    neighbors = c9300.send_command("show lacp neighbor")
    assert "Channel group 10 neighbors" in neighbors
    # hv01 runs an LACP team with fast rate: partner flags FA on both members
    rows = [x.split() for x in neighbors.splitlines() if x.startswith("Gi1/0/")]
    assert [r[1] for r in rows] == ["FA", "FA"]
    run = c9300.send_command("show running-config interface Port-channel10")
    assert " port-channel min-links 2" in run and " switchport trunk native vlan 10" in run


def _po10(conn: ConnectHandler) -> None:
    conn.send_config_set(["interface range Gi1/0/1 - 2", "switchport mode trunk",
                          "switchport trunk native vlan 10", "channel-group 10 mode active",
                          "interface Po10", "switchport mode trunk",
                          "switchport trunk native vlan 10"])


def test_member_with_different_switchport_is_suspended(c9300: ConnectHandler) -> None:
    _po10(c9300)
    assert _summary(c9300)["Po10"]["member_interface_status"] == ["P", "P"]
    c9300.send_config_set(["interface GigabitEthernet1/0/2", "switchport trunk native vlan 99"])
    po = _summary(c9300)["Po10"]
    assert po["member_interface_status"] == ["P", "s"]
    c9300.send_config_set(["interface GigabitEthernet1/0/2", "switchport trunk native vlan 10"])
    assert _summary(c9300)["Po10"]["member_interface_status"] == ["P", "P"]


def test_save_config_writes_startup(lab_fabric: LabFabric, c9300: ConnectHandler) -> None:
    _po10(c9300)
    assert "interface Port-channel10" not in c9300.send_command("show startup-config")
    out = c9300.save_config()
    assert "[OK]" in out
    assert "interface Port-channel10" in c9300.send_command("show startup-config")


def test_invalid_input_has_the_caret_under_the_bad_word(c9300: ConnectHandler) -> None:
    out = c9300.send_config_set(["interface GigabitEthernet1/0/99"])
    prompt = "cat9300-1(config)#"
    lines = out.splitlines()
    i = lines.index(prompt + "interface GigabitEthernet1/0/99")
    assert lines[i + 1] == " " * (len(prompt) + len("interface ")) + "^"
    assert lines[i + 2] == "% Invalid input detected at '^' marker."
    assert c9300.send_command("show").strip() == "% Incomplete command."
    assert c9300.send_command("s").startswith('% Ambiguous command:  "s"')


def test_abbreviations(c9300: ConnectHandler) -> None:
    assert c9300.send_command("sh ver").startswith("Cisco IOS XE Software, Version 17.09.04a")
    assert "hostname cat9300-1" in c9300.send_command("sh run")
    assert c9300.send_command("sh sys mtu") == "Global Ethernet MTU is 1500 bytes."


def test_9300_system_mtu_applies_at_once(lab_fabric: LabFabric, c9300: ConnectHandler) -> None:
    c9300.send_config_set(["system mtu 9198"])
    assert c9300.send_command("show system mtu") == "Global Ethernet MTU is 9198 bytes."
    assert lab_fabric.switch("cat9300-1").port_facts()["GigabitEthernet1/0/1"].mtu_ip == 9198
    c9300.send_config_set(["no system mtu"])


def test_2960s_jumbo_mtu_needs_a_reload(lab_fabric: LabFabric) -> None:
    conn = _connect(lab_fabric, "cat2960s-1")
    conn.enable()
    try:
        out = conn.send_config_set(["system mtu jumbo 9000"])
        assert ("Changes to the system jumbo MTU will not take effect until the next reload "
                "is done") in out
        assert conn.send_command("show system mtu").splitlines() == [
            "System MTU size is 1500 bytes", "System Jumbo MTU size is 1500 bytes"]
        rejected = conn.send_config_set(["interface GigabitEthernet1/0/5", "lacp rate fast"])
        assert "% Invalid input detected at '^' marker." in rejected
        conn.save_config()
    finally:
        conn.disconnect()
    lab_fabric.switch("cat2960s-1").reload()
    conn = _connect(lab_fabric, "cat2960s-1")
    conn.enable()
    try:
        assert conn.send_command("show system mtu").splitlines() == [
            "System MTU size is 1500 bytes", "System Jumbo MTU size is 9000 bytes"]
    finally:
        conn.disconnect()


def test_static_channel_shows_dash_protocol(lab_fabric: LabFabric) -> None:
    lab_fabric.load_config("cat2960s-1", ["interface range Gi1/0/1 - 2",
                                          "channel-group 1 mode on"])
    conn = _connect(lab_fabric, "cat2960s-1")
    conn.enable()
    try:
        po = _summary(conn)["Po1"]
    finally:
        conn.disconnect()
    assert po["bundle_protocol"] == "-" and po["member_interface_status"] == ["P", "P"]


def test_fault_rejected_command(lab_fabric: LabFabric, c9300: ConnectHandler) -> None:
    faults = lab_fabric.faults("cat9300-1")
    faults.reject_commands.add("description")
    try:
        out = c9300.send_config_set(["interface Gi1/0/5", "description nope"])
    finally:
        faults.reject_commands.clear()
    assert "% Invalid input detected at '^' marker." in out
    assert "nope" not in lab_fabric.running_config("cat9300-1")


def test_fault_auth_failure(lab_fabric: LabFabric) -> None:
    lab_fabric.faults("cat9300-1").auth_fail = True
    try:
        with pytest.raises(NetmikoAuthenticationException):
            _connect(lab_fabric, "cat9300-1")
    finally:
        lab_fabric.faults("cat9300-1").auth_fail = False


def test_fault_drop_mid_push(lab_fabric: LabFabric) -> None:
    sw = lab_fabric.switch("cat9300-1")
    lab_fabric.faults("cat9300-1").drop_after_config_lines = 2
    conn = _connect(lab_fabric, "cat9300-1", read_timeout_override=3)
    conn.enable()
    before = len(sw.command_log)
    try:
        with pytest.raises(Exception):  # noqa: B017 - netmiko raises OSError/timeout/EOF
            conn.send_config_set(["interface Gi1/0/7", "description a", "description b",
                                  "description c"])
    finally:
        lab_fabric.faults("cat9300-1").drop_after_config_lines = None
        conn.disconnect()
    assert sw.command_log[before:] == ["interface Gi1/0/7", "description a"]


def test_fault_latency(lab_fabric: LabFabric, c9300: ConnectHandler) -> None:
    lab_fabric.faults("cat9300-1").latency_s = 0.3
    try:
        began = time.monotonic()
        c9300.send_command("show clock")
        assert time.monotonic() - began >= 0.3
    finally:
        lab_fabric.faults("cat9300-1").latency_s = 0.0
