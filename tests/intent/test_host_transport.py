"""hosts.yaml ``data.transport`` (issue 11): ssh (default) or winrm, winrm for Windows only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lagprov.errors import InputErrors
from lagprov.intent.load import load_inventory

REPO = Path(__file__).resolve().parents[2]


def _inventory(tmp_path: Path, old: str, new: str) -> Path:
    dest = tmp_path / "inv"
    shutil.copytree(REPO / "inventory", dest)
    hosts = dest / "hosts.yaml"
    text = hosts.read_text()
    assert old in text
    hosts.write_text(text.replace(old, new))
    return dest


def test_default_is_ssh_with_the_host_group() -> None:
    inv = load_inventory(REPO / "inventory")
    hv = inv.host("hv01")
    assert (hv.transport, hv.group, hv.port) == ("ssh", "servers", 2222)


def test_winrm_windows_host(tmp_path: Path) -> None:
    inv = load_inventory(_inventory(
        tmp_path, "  hostname: 127.0.10.31\n  port: 2222\n  platform: windows\n"
                  "  groups: [servers]\n  data: {os: windows}",
        "  hostname: 127.0.10.31\n  platform: windows\n"
        "  groups: [servers]\n  data: {os: windows, transport: winrm}"))
    hv = inv.host("hv01")
    assert (hv.transport, hv.port) == ("winrm", 5985)


@pytest.mark.parametrize(("old", "new"), [
    ("data: {os: vmware}", "data: {os: vmware, transport: winrm}"),
    ("data: {os: windows}\n\nlnx01", "data: {os: windows, transport: telnet}\n\nlnx01"),
])
def test_bad_transport_names_file_and_field(tmp_path: Path, old: str, new: str) -> None:
    with pytest.raises(InputErrors) as err:
        load_inventory(_inventory(tmp_path, old, new))
    assert "hosts.yaml" in str(err.value) and "data.transport" in str(err.value)
