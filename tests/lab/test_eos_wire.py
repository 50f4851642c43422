"""Unmodified Netmiko ``arista_eos`` (SSH) and NAPALM ``eos`` (eAPI, HTTP) against the lab EOS."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from napalm import get_network_driver
from netmiko import ConnectHandler

from lagprov.lab.eos.switch import EosSwitch, serve
from lagprov.lab.runtime import LabLoop

try:  # tests/lab is a package once it has an __init__.py
    from tests.lab.test_eos_support import LAG_LINES, SECRET, make_switch
except ImportError:
    from test_eos_support import LAG_LINES, SECRET, make_switch  # type: ignore[no-redef]

pytestmark = pytest.mark.lab

ADDRESS = "127.0.42.15"
USERS = {"lab": "lab-password"}


@dataclass
class _Ports:
    ssh: int = 0
    eapi: int | None = 0


@dataclass
class Lab:
    switch: EosSwitch
    ssh_port: int
    eapi_port: int


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    loop = LabLoop("eos-wire")
    loop.start()
    switch, _ = make_switch()
    handles = loop.run(serve(switch, ADDRESS, _Ports(), USERS))
    try:
        yield Lab(switch, handles[0].get_port(), handles[1].port)  # type: ignore[attr-defined]
    finally:
        loop.close(handles)
        loop.stop()


def _netmiko(lab: Lab) -> object:
    return ConnectHandler(device_type="arista_eos", host=ADDRESS, port=lab.ssh_port,
                          username="lab", password="lab-password", secret=SECRET,
                          fast_cli=True)


def _napalm(lab: Lab) -> object:
    driver = get_network_driver("eos")
    return driver(hostname=ADDRESS, username="lab", password="lab-password", timeout=10,
                  optional_args={"transport": "http", "port": lab.eapi_port})


def test_netmiko_connect_push_save(lab: Lab) -> None:
    start = time.monotonic()
    conn = _netmiko(lab)
    try:
        assert conn.find_prompt() == "eos7120-1>"  # type: ignore[attr-defined]
        conn.enable()  # type: ignore[attr-defined]
        logged = len(lab.switch.command_log)
        out = conn.send_config_set(list(LAG_LINES))  # type: ignore[attr-defined]
        assert "% Invalid" not in out
        assert lab.switch.command_log[logged:] == list(LAG_LINES)
        assert "Copy completed successfully." in conn.save_config()  # type: ignore[attr-defined]
        summary = conn.send_command("show port-channel summary", use_textfsm=True)  # type: ignore[attr-defined]
        bad = conn.send_command("show frobnicator")  # type: ignore[attr-defined]
    finally:
        conn.disconnect()  # type: ignore[attr-defined]
    assert time.monotonic() - start < 10
    assert summary == [{"bundle_name": "Po10", "bundle_status": "U", "bundle_protocol": "LACP",
                        "bundle_protocol_state": "a", "member_interface": ["Et1", "Et2"],
                        "member_interface_status": ["PG+", "PG+"]}]
    assert bad.strip() == "% Invalid input"
    with lab.switch.lock:
        assert lab.switch.startup.interfaces["Ethernet1"].channel == 10


def test_napalm_facts_and_interfaces(lab: Lab) -> None:
    device = _napalm(lab)
    device.open()  # type: ignore[attr-defined]
    try:
        facts = device.get_facts()  # type: ignore[attr-defined]
        interfaces = device.get_interfaces()  # type: ignore[attr-defined]
    finally:
        device.close()  # type: ignore[attr-defined]
    assert facts["hostname"] == "eos7120-1"
    assert facts["vendor"] == "Arista" and facts["model"] == "DCS-7120T-4S"
    assert facts["os_version"].startswith("4.23.5M")
    assert "Ethernet24" in facts["interface_list"] and "Ethernet25" not in facts["interface_list"]
    assert interfaces["Ethernet3"]["is_up"] is False and interfaces["Ethernet3"]["is_enabled"]
    assert interfaces["Ethernet3"]["speed"] == 10000.0
    assert interfaces["Ethernet3"]["mac_address"].startswith("00:1C:73")


def test_napalm_merge_compare_commit_rollback(lab: Lab) -> None:
    device = _napalm(lab)
    device.open()  # type: ignore[attr-defined]
    try:
        device.load_merge_candidate(  # type: ignore[attr-defined]
            config="interface Ethernet12\n   description napalm-was-here\n   mtu 9000\n")
        diff = device.compare_config()  # type: ignore[attr-defined]
        assert "+   description napalm-was-here" in diff.splitlines()
        assert "napalm-was-here" not in lab.switch.running_text()
        device.commit_config()  # type: ignore[attr-defined]
        assert "   description napalm-was-here\n   mtu 9000\n" in lab.switch.running_text()
        assert "napalm-was-here" in device.get_config(retrieve="running")["running"]  # type: ignore[attr-defined]
        assert "napalm-was-here" in lab.switch.command_log[-2]
        device.rollback()  # type: ignore[attr-defined]
        assert "napalm-was-here" not in lab.switch.running_text()
    finally:
        device.close()  # type: ignore[attr-defined]


def test_napalm_discard_and_invalid_line(lab: Lab) -> None:
    from napalm.base.exceptions import MergeConfigException

    device = _napalm(lab)
    device.open()  # type: ignore[attr-defined]
    try:
        device.load_merge_candidate(config="interface Ethernet13\n shutdown\n")  # type: ignore[attr-defined]
        device.discard_config()  # type: ignore[attr-defined]
        assert device.compare_config() == ""  # type: ignore[attr-defined]
        with pytest.raises(MergeConfigException, match="Invalid input"):
            device.load_merge_candidate(config="interface Ethernet13\n frobnicate\n")  # type: ignore[attr-defined]
    finally:
        device.close()  # type: ignore[attr-defined]
    assert "interface Ethernet13\n!" in lab.switch.running_text()
    assert not [s for s in lab.switch.sessions.values() if s.state == "pending"]


def test_eapi_refuses_bad_credentials(lab: Lab) -> None:
    from napalm.base.exceptions import ConnectionException

    driver = get_network_driver("eos")
    device = driver(hostname=ADDRESS, username="lab", password="nope", timeout=5,
                    optional_args={"transport": "http", "port": lab.eapi_port})
    with pytest.raises((ConnectionException, Exception), match="Unauthorized"):
        device.open()


def test_napalm_commit_confirm_with_revert_in(lab: Lab) -> None:
    device = _napalm(lab)
    device.open()  # type: ignore[attr-defined]
    try:
        device.load_merge_candidate(config="interface Ethernet14\n description timed\n")  # type: ignore[attr-defined]
        device.commit_config(revert_in=300)  # type: ignore[attr-defined]
        assert device.has_pending_commit()  # type: ignore[attr-defined]
        assert "description timed" in lab.switch.running_text()
        device.confirm_commit()  # type: ignore[attr-defined]
        assert not device.has_pending_commit()  # type: ignore[attr-defined]
    finally:
        device.close()  # type: ignore[attr-defined]
    assert "description timed" in lab.switch.running_text()


def test_napalm_over_ssh_transport(lab: Lab) -> None:
    driver = get_network_driver("eos")
    device = driver(hostname=ADDRESS, username="lab", password="lab-password", timeout=10,
                    optional_args={"transport": "ssh", "port": lab.ssh_port, "secret": SECRET})
    device.open()
    try:
        assert device.get_facts()["hostname"] == "eos7120-1"
        device.load_merge_candidate(config="interface Ethernet15\n description over-ssh\n")
        assert "+   description over-ssh" in device.compare_config().splitlines()
        device.commit_config()
    finally:
        device.close()
    assert "   description over-ssh\n" in lab.switch.running_text()


def test_eapi_error_reply_lists_results_and_errors(lab: Lab) -> None:
    import base64
    import http.client
    import json

    body = json.dumps({"jsonrpc": "2.0", "method": "runCmds", "id": 7, "params": {
        "version": 1, "format": "json",
        "cmds": [{"cmd": "enable", "input": SECRET}, "show hostname", "show frobnicator",
                 "show version"]}})
    conn = http.client.HTTPConnection(ADDRESS, lab.eapi_port, timeout=5)
    auth = base64.b64encode(b"lab:lab-password").decode()
    conn.request("POST", "/command-api", body, {"Authorization": f"Basic {auth}"})
    reply = json.loads(conn.getresponse().read())
    conn.close()
    assert reply["id"] == 7
    assert reply["error"]["code"] == 1002
    assert reply["error"]["message"] == \
        "CLI command 3 of 4 'show frobnicator' failed: invalid command"
    assert reply["error"]["data"] == [
        {}, {"hostname": "eos7120-1", "fqdn": "eos7120-1"}, {"errors": ["Invalid input"]}]
