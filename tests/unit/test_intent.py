"""The intent model and the inventory loader: canonical names, refusals naming file and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lagprov.errors import InputErrors
from lagprov.intent.load import load_inventory
from lagprov.model.safety import check_cli_text
from lagprov.model.types import Bundling, SwitchMode
from tests.conftest import EXAMPLE_INVENTORY


def test_example_inventory_loads_with_canonical_names() -> None:
    inv = load_inventory(EXAMPLE_INVENTORY)
    hv01 = next(t for t in inv.trunks if t.name == "hv01-team")
    assert hv01.switch[0].members == ("GigabitEthernet1/0/1", "GigabitEthernet1/0/2")
    assert hv01.host is not None and hv01.host.bundling is Bundling.LACP
    mpio = next(t for t in inv.trunks if t.name == "win-iscsi01-mpio")
    assert [e.device for e in mpio.switch] == ["sse-x24s-1", "ex3300-1"]
    assert all(e.mode is SwitchMode.INDEPENDENT for e in mpio.switch)
    assert mpio.cables() == (
        ("sse-x24s-1", "Ex 0/5", "win-iscsi01", "iSCSI-A"),
        ("ex3300-1", "ge-0/0/5", "win-iscsi01", "iSCSI-B"),
    )


def _copy(tmp_path: Path) -> Path:
    dest = tmp_path / "inv"
    shutil.copytree(EXAMPLE_INVENTORY, dest)
    return dest


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("members: [Gi1/0/1, Gi1/0/2]\n      mode: lacp-active",
         "members: [Gi1/0/1, Gi1/0/99]\n      mode: lacp-active",
         "trunks[0] (hv01-team).switch[0].members[1]", "has no port"),
        ("members: [ge-0/0/10, ge-0/0/11]", "members: [Ethernet10, ge-0/0/11]",
         "trunks[2] (lnx02-bond0).switch[0].members[0]", "not a Juniper EX"),
        ("team: Lacp", "team: Lacpp", "trunks[0] (hv01-team).host.team", "SwitchIndependent"),
        ("description: hv01-team", 'description: "hv01\\nreload"',
         "trunks[0] (hv01-team).switch[0].description", "'\\n'"),
        ("channel: 10\n      members: [Gi1/0/1", "members: [Gi1/0/1",
         "trunks[0] (hv01-team).switch[0]", "channel: required"),
        ("device: cat9300-1\n      channel: 10", "device: cat9301\n      channel: 10",
         "trunks[0] (hv01-team).switch[0].device", "unknown switch"),
    ],
)
def test_bad_trunk_input_names_file_and_field(tmp_path: Path, old: str, new: str, field: str,
                                              words: str) -> None:
    inv = _copy(tmp_path)
    _replace(inv / "trunks.yaml", old, new)
    with pytest.raises(InputErrors) as err:
        load_inventory(inv)
    text = str(err.value)
    assert "trunks.yaml" in text
    assert field in text
    assert words in text


def test_malformed_yaml_names_line(tmp_path: Path) -> None:
    inv = _copy(tmp_path)
    _replace(inv / "hosts.yaml", "  port: 2222\n  platform: cisco_ios",
             "  port: [2222\n  platform: x")
    with pytest.raises(InputErrors) as err:
        load_inventory(inv)
    assert "hosts.yaml:" in str(err.value) and "malformed YAML" in str(err.value)


def test_unknown_platform_is_refused(tmp_path: Path) -> None:
    inv = _copy(tmp_path)
    _replace(inv / "hosts.yaml", "platform: arista_eos", "platform: arista_eoss")
    with pytest.raises(InputErrors) as err:
        load_inventory(inv)
    assert "eos7120-1.platform" in str(err.value) and "supported:" in str(err.value)


@pytest.mark.parametrize("text", ["a\nb", "x\ry", "quote\"", "help?", "pipe | x", "semi;", "é"])
def test_cli_text_refuses_injection(text: str) -> None:
    with pytest.raises(ValueError):
        check_cli_text(text)


def test_cli_text_accepts_plain_descriptions() -> None:
    assert check_cli_text("srv01 bond0 member (rack 4/U12)") == "srv01 bond0 member (rack 4/U12)"
