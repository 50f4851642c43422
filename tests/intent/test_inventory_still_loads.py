"""What the refusals of issue 16 must not refuse: the near misses of the broken-inventory corpus
(tests/inventories/cases.yaml) still load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from lagprov.intent import load_inventory
from lagprov.intent.yaml_strict import MAX_DEPTH, load_strict
from tests.lint.mutate import EXAMPLE, apply_case


@pytest.mark.parametrize("hostname", ["::1", "127.0.10.12", "cat9300-1.lab.example.net",
                                      "fe80::1%lo", "sw_01"])
def test_addresses_and_dns_names_are_hostnames(hostname: str, tmp_path: Path) -> None:
    root = apply_case({"name": "host", "file": "hosts.yaml",
                       "set": {"cat9300-1.hostname": hostname}}, tmp_path / "inv")
    inv = load_inventory(root)
    assert {s.name: s.address for s in inv.switches}["cat9300-1"] == hostname


def test_symlinks_inside_the_folder_are_followed(tmp_path: Path) -> None:
    root = tmp_path / "inv"
    shutil.copytree(EXAMPLE, root)
    (root / "real").mkdir()
    shutil.move(root / "trunks.yaml", root / "real" / "trunks.yaml")
    (root / "trunks.yaml").symlink_to("real/trunks.yaml")
    (root / "models").mkdir()
    (root / "models" / "lab.yaml").write_text(_OWN_MODEL, encoding="utf-8")
    (root / "hardware").symlink_to("models", target_is_directory=True)
    inv = load_inventory(root)
    assert len(inv.trunks) == len(load_inventory(EXAMPLE).trunks)
    assert "LAB-SW-8" in inv.hardware  # read through the symlinked folder


_OWN_MODEL = """\
family: lab switches
platform: cisco_ios
models:
  LAB-SW-8:
    source: test inventory
    confirmed: true
    ports:
      ranges:
        - {prefix: GigabitEthernet1/0/, first: 1, last: 8, speed_mbps: 1000}
    mtu: {scope: system, min: 1500, max: 9198, default: 1500}
"""


def test_nesting_up_to_the_limit_is_read() -> None:
    depth = MAX_DEPTH - 2  # the document's mapping and its key's value take two levels
    doc = load_strict("a: " + "[" * depth + "]" * depth + "\n", "x.yaml")
    node = doc["a"]
    for _ in range(depth - 1):
        node = node[0]
    assert node == []


def test_one_host_may_have_two_named_teams_and_two_hosts_one_name(tmp_path: Path) -> None:
    second = {"name": "lnx01-bond1",
              "switch": {"device": "cat9300-1", "channel": 11, "members": ["Gi1/0/3", "Gi1/0/4"],
                         "mode": "lacp-active"},
              "host": {"device": "lnx01", "team": "802.3ad", "name": "bond1",
                       "nics": ["ens2f0", "ens2f1"]}}
    root = apply_case({"name": "two", "append": {"trunks": second}}, tmp_path / "inv")
    inv = load_inventory(root)
    teams = [(t.host.device, t.host.name) for t in inv.trunks if t.host is not None]
    assert ("lnx01", "bond0") in teams and ("lnx01", "bond1") in teams
    assert ("lnx02", "bond0") in teams  # the example's other Linux host: bond0 too


def test_the_corpus_example_files_are_plain_yaml() -> None:
    # the mutations parse the example with PyYAML; the loader reads it strictly: both agree
    for name in ("hosts.yaml", "groups.yaml", "defaults.yaml", "trunks.yaml"):
        text = (EXAMPLE / name).read_text(encoding="utf-8")
        assert load_strict(text, name) == yaml.safe_load(text), name
