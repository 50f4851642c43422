"""Real NAPALM ios (netmiko + SCP) against the lab's Catalyst 9300."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from napalm import get_network_driver
from napalm.base.exceptions import MergeConfigException

from lagprov.lab.fabric import LabFabric

pytestmark = pytest.mark.lab


def _driver(fabric: LabFabric, **optional: Any) -> Any:
    return get_network_driver("ios")(
        fabric.addresses["cat9300-1"], "lab", "lab-password", timeout=20,
        optional_args={"port": 2222, "secret": "lab-secret", **optional})


@pytest.fixture(scope="module")
def napalm_ios(lab_fabric: LabFabric) -> Iterator[Any]:
    dev = _driver(lab_fabric, dest_file_system="flash:")
    dev.open()
    try:
        yield dev
    finally:
        dev.close()


def test_file_system_is_auto_detected(lab_fabric: LabFabric) -> None:
    dev = _driver(lab_fabric)
    dev.open()
    try:
        dev.load_merge_candidate(config="interface GigabitEthernet1/0/20\n description auto\n")
        assert dev.dest_file_system == "flash:"
        dev.discard_config()
    finally:
        dev.close()


def test_get_facts(napalm_ios: Any) -> None:
    facts = napalm_ios.get_facts()
    assert facts["hostname"] == "cat9300-1"
    assert facts["fqdn"] == "cat9300-1.lab.local"
    assert facts["model"] == "C9300-48T"
    assert facts["vendor"] == "Cisco"
    assert "Version 17.9.4a" in facts["os_version"]
    assert "GigabitEthernet1/0/48" in facts["interface_list"]
    assert "TenGigabitEthernet1/1/8" in facts["interface_list"]


def test_get_interfaces(napalm_ios: Any) -> None:
    ifs = napalm_ios.get_interfaces()
    gi = ifs["GigabitEthernet1/0/1"]
    assert gi["is_enabled"] is True and gi["speed"] == 1000.0 and gi["mtu"] == 1500
    assert ifs["TenGigabitEthernet1/1/1"]["speed"] == 10000.0
    assert ifs["GigabitEthernet1/0/30"]["is_up"] is False  # not cabled


def test_merge_compare_commit_rollback(lab_fabric: LabFabric, napalm_ios: Any) -> None:
    napalm_ios.load_merge_candidate(
        config="interface GigabitEthernet1/0/21\n description napalm-merge\n!\nend\n")
    assert napalm_ios.compare_config() == (
        "+interface GigabitEthernet1/0/21\n+ description napalm-merge")
    napalm_ios.commit_config()
    assert " description napalm-merge" in lab_fabric.running_config("cat9300-1")
    sw = lab_fabric.switch("cat9300-1")
    assert "interface GigabitEthernet1/0/21" in sw.command_log
    # the merge was saved (commit ends with write mem)
    assert "napalm-merge" in napalm_ios.get_config(retrieve="startup")["startup"]
    # same candidate again: nothing to do
    napalm_ios.load_merge_candidate(
        config="interface GigabitEthernet1/0/21\n description napalm-merge\n")
    assert napalm_ios.compare_config() == ""
    napalm_ios.discard_config()
    napalm_ios.rollback()
    assert "napalm-merge" not in lab_fabric.running_config("cat9300-1")


def test_discard_leaves_running_untouched(lab_fabric: LabFabric, napalm_ios: Any) -> None:
    sw = lab_fabric.switch("cat9300-1")
    before = len(sw.command_log)
    napalm_ios.load_merge_candidate(config="interface GigabitEthernet1/0/22\n description x\n")
    napalm_ios.discard_config()
    section = lab_fabric.running_config("cat9300-1").split("interface GigabitEthernet1/0/22\n")
    assert section[1].startswith("!\n")  # still no configuration under the port
    assert sw.command_log[before:] == []
    assert napalm_ios.compare_config() == ""


def test_invalid_merge_line_raises_and_rolls_back(lab_fabric: LabFabric,
                                                   napalm_ios: Any) -> None:
    napalm_ios.load_merge_candidate(
        config="interface GigabitEthernet1/0/23\n description half\n bogus command\n")
    with pytest.raises(MergeConfigException, match="Invalid input detected"):
        napalm_ios.commit_config()
    assert "description half" not in lab_fabric.running_config("cat9300-1")


def test_get_config(napalm_ios: Any) -> None:
    cfg = napalm_ios.get_config(retrieve="running")["running"]
    assert "hostname cat9300-1" in cfg and "ip scp server enable" in cfg
    assert cfg.rstrip().endswith("end")


def test_is_alive_sends_nul(napalm_ios: Any) -> None:
    assert napalm_ios.is_alive() == {"is_alive": True}
    assert napalm_ios.get_facts()["hostname"] == "cat9300-1"
