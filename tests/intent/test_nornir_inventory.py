"""Nornir's own inventory (issue 10): host attributes are what Nornir resolves (nested groups,
defaults, connection_options), NAPALM / Netmiko platform names work, and another Nornir
inventory plugin (nornir-ansible's AnsibleInventory, installed from PyPI) can supply the
switches and hosts while the trunks still come from trunks.yaml."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from lagprov.cli import main
from lagprov.errors import InputErrors
from lagprov.intent import load_inventory
from lagprov.model.types import Platform
from tests.conftest import EXAMPLE_INVENTORY


@pytest.fixture
def inv(tmp_path: Path) -> Path:
    root = tmp_path / "inv"
    shutil.copytree(EXAMPLE_INVENTORY, root)
    return root


def _read(root: Path, name: str) -> dict[str, Any]:
    return yaml.safe_load((root / name).read_text(encoding="utf-8")) or {}


def _dump(root: Path, name: str, doc: Any) -> None:
    (root / name).write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")


def _validate(root: Path, capsys: pytest.CaptureFixture[str], *pre: str) -> tuple[int, str]:
    code = main([*pre, "validate", "--inventory", str(root)])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_platform_and_options_two_groups_deep(inv: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """cat9300-1 and ex4300-1 take platform, hardware and the NETCONF port from a group of a
    group; the port comes from defaults.yaml."""
    hosts, groups = _read(inv, "hosts.yaml"), _read(inv, "groups.yaml")
    for name in ("cat9300-1", "ex4300-1"):
        for key in ("platform", "port", "connection_options"):
            hosts[name].pop(key, None)
        hosts[name]["data"].pop("hardware")
    hosts["cat9300-1"]["groups"] = ["rack-a"]
    hosts["ex4300-1"]["groups"] = ["rack-b"]
    groups["rack-a"] = {"groups": ["catalyst-9300"], "data": {"rack": "a"}}
    groups["rack-b"] = {"groups": ["ex4300"]}
    groups["catalyst-9300"] = {"groups": ["switches"], "platform": "cisco_ios",
                               "data": {"hardware": "C9300-48T"}}
    groups["ex4300"] = {"groups": ["switches"], "platform": "juniper_junos",
                        "data": {"hardware": "EX4300-48T"},
                        "connection_options": {"napalm": {"extras": {
                            "optional_args": {"port": 8830}}}}}
    _dump(inv, "hosts.yaml", hosts)
    _dump(inv, "groups.yaml", groups)
    _dump(inv, "defaults.yaml", {"port": 2222, "data": {}})
    code, text = _validate(inv, capsys)
    assert code == 0, text
    loaded = load_inventory(inv)
    cat, ex = loaded.switch("cat9300-1"), loaded.switch("ex4300-1")
    assert (cat.platform, cat.hardware, cat.port) == (Platform.CISCO_IOS, "C9300-48T", 2222)
    assert (ex.platform, ex.hardware, ex.netconf_port) == (Platform.JUNIPER_JUNOS,
                                                           "EX4300-48T", 8830)


@pytest.mark.parametrize(("switch", "name", "platform"), [
    ("cat9300-1", "ios", Platform.CISCO_IOS),
    ("cat2960s-1", "cisco_xe", Platform.CISCO_IOS),
    ("eos7120-1", "eos", Platform.ARISTA_EOS),
    ("ex4300-1", "junos", Platform.JUNIPER_JUNOS),
    ("ex3300-1", "juniper", Platform.JUNIPER_JUNOS),
])
def test_napalm_and_netmiko_platform_names(inv: Path, capsys: pytest.CaptureFixture[str],
                                           switch: str, name: str, platform: Platform) -> None:
    hosts = _read(inv, "hosts.yaml")
    hosts[switch]["platform"] = name
    _dump(inv, "hosts.yaml", hosts)
    code, text = _validate(inv, capsys)
    assert code == 0, text
    assert load_inventory(inv).switch(switch).platform is platform


def test_an_unknown_platform_lists_the_names_that_work(inv: Path) -> None:
    hosts = _read(inv, "hosts.yaml")
    hosts["cat9300-1"]["platform"] = "nxos"
    _dump(inv, "hosts.yaml", hosts)
    with pytest.raises(InputErrors) as err:
        load_inventory(inv)
    msg = str(err.value.errors[0])
    assert "hosts.yaml: cat9300-1.platform" in msg
    assert "supported: cisco_ios, juniper_junos, arista_eos, supermicro_smis" in msg
    assert "also accepted: ios (cisco_ios)" in msg and "junos (juniper_junos)" in msg


def test_a_cycle_of_groups_is_an_input_error(inv: Path) -> None:
    groups = _read(inv, "groups.yaml")
    groups["switches"]["groups"] = ["site"]
    groups["site"] = {"groups": ["switches"]}
    _dump(inv, "groups.yaml", groups)
    with pytest.raises(InputErrors) as err:
        load_inventory(inv)
    text = str(err.value)
    assert "groups.yaml: switches.groups: the group is its own ancestor" in text
    assert "hosts.yaml: cat9300-1.groups: group 'switches' has an error" in text


# ---------------------------------------------------------------- another Nornir inventory plugin

def _ansible_inventory(example: Path) -> dict[str, Any]:
    """The example's Nornir hosts as an Ansible YAML inventory (what AnsibleInventory reads):
    ansible_host / ansible_port, platform and connection_options as host vars, data flattened."""
    hosts, groups = _read(example, "hosts.yaml"), _read(example, "groups.yaml")
    children: dict[str, Any] = {g: {"vars": dict(body.get("data") or {}), "hosts": {}}
                                for g, body in groups.items()}
    for name, h in hosts.items():
        hvars: dict[str, Any] = {"ansible_host": h["hostname"], **(h.get("data") or {})}
        for key, var in (("port", "ansible_port"), ("platform", "platform"),
                         ("connection_options", "connection_options")):
            if key in h:
                hvars[var] = h[key]
        children[h["groups"][0]]["hosts"][name] = hvars
    return {"all": {"children": children}}


@pytest.fixture
def ansible_inv(tmp_path: Path) -> Path:
    pytest.importorskip("nornir_ansible", reason="nornir-ansible (a dev extra) is not installed")
    root = tmp_path / "ansible-inv"
    root.mkdir()
    _dump(root, "ansible-hosts.yaml", _ansible_inventory(EXAMPLE_INVENTORY))
    for name in ("trunks.yaml", "cabling.yaml"):
        if (EXAMPLE_INVENTORY / name).exists():
            shutil.copy(EXAMPLE_INVENTORY / name, root / name)
    return root


def test_ansible_inventory_supplies_the_devices(ansible_inv: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    _dump(ansible_inv, "lagprov.yaml", {"inventory": {
        "plugin": "AnsibleInventory", "options": {"hostsfile": "ansible-hosts.yaml"}}})
    code, text = _validate(ansible_inv, capsys)
    assert code == 0, text
    assert "OK: 8 trunks, 15 devices, 0 errors, 0 warnings" in text
    example, other = load_inventory(EXAMPLE_INVENTORY), load_inventory(ansible_inv)
    assert sorted(other.switches, key=str) == sorted(example.switches, key=str)
    assert sorted(other.hosts, key=str) == sorted(example.hosts, key=str)
    assert other.trunks == example.trunks
    assert other.inventory_plugin == "AnsibleInventory"
    assert other.inventory_options == {"hostsfile": str(ansible_inv / "ansible-hosts.yaml")}


def test_the_plugin_by_option(ansible_inv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _validate(ansible_inv, capsys, "--inventory-plugin", "AnsibleInventory",
                           "--inventory-option", "hostsfile=ansible-hosts.yaml")
    assert code == 0, text


def test_credentials_from_a_plugin_are_refused(ansible_inv: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    doc = _read(ansible_inv, "ansible-hosts.yaml")
    doc["all"]["children"]["switches"]["hosts"]["cat9300-1"]["ansible_password"] = "s3cret"
    _dump(ansible_inv, "ansible-hosts.yaml", doc)
    code, text = _validate(ansible_inv, capsys, "--inventory-plugin", "AnsibleInventory",
                           "--inventory-option", "hostsfile=ansible-hosts.yaml")
    assert code == 2, text
    assert "AnsibleInventory inventory: cat9300-1.password: credentials are never read" in text
    assert "s3cret" not in text


def test_an_unknown_plugin_names_the_installed_ones(inv: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    _dump(inv, "lagprov.yaml", {"inventory": {"plugin": "NetBoxInventory3"}})
    code, text = _validate(inv, capsys)
    assert code == 2, text
    assert "lagprov.yaml: inventory.plugin: no Nornir inventory plugin 'NetBoxInventory3'" in text
    assert "SimpleInventory" in text


@pytest.mark.parametrize(("doc", "field"), [
    ({"inventroy": {}}, "lagprov.yaml: inventroy"),
    ({"inventory": {"plugin": "SimpleInventory", "options": {"host_fil": "x.yaml"}}},
     "lagprov.yaml: inventory.options"),
])
def test_a_bad_lagprov_yaml_is_exit_2(inv: Path, capsys: pytest.CaptureFixture[str],
                                      doc: dict[str, Any], field: str) -> None:
    _dump(inv, "lagprov.yaml", doc)
    code, text = _validate(inv, capsys)
    assert code == 2, text
    assert field in text and "Traceback" not in text
