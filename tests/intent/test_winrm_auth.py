"""hosts.yaml ``data.winrm_auth`` (issue 11): pypsrp's auth names; Basic over HTTP to loopback only.

Basic has no message encryption (pypsrp refuses Basic with encryption over HTTP), so over HTTP
the password and every answer would cross the wire in clear: the loader refuses it for any
address but 127.0.0.0/8 (the lab) unless the port is 5986 (HTTPS).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lagprov.errors import InputErrors
from lagprov.intent.load import load_inventory

WINRM = Path(__file__).resolve().parents[1] / "inventories" / "winrm"
HV01 = ("  hostname: 127.0.10.31\n  platform: windows\n  groups: [servers]\n"
        "  data: {os: windows, transport: winrm, winrm_auth: basic}")


def _inventory(tmp_path: Path, new: str) -> Path:
    dest = tmp_path / "inv"
    shutil.copytree(WINRM, dest)
    hosts = dest / "hosts.yaml"
    text = hosts.read_text()
    assert HV01 in text
    hosts.write_text(text.replace(HV01, new))
    return dest


def test_basic_to_loopback_over_http_is_the_lab() -> None:
    hv = load_inventory(WINRM).host("hv01")
    assert (hv.transport, hv.port, hv.winrm_auth) == ("winrm", 5985, "basic")


def test_default_is_negotiate(tmp_path: Path) -> None:
    inv = load_inventory(_inventory(tmp_path, HV01.replace(", winrm_auth: basic", "")))
    assert inv.host("hv01").winrm_auth == "negotiate"


def test_basic_over_https_to_any_address(tmp_path: Path) -> None:
    inv = load_inventory(_inventory(tmp_path, HV01.replace("127.0.10.31", "192.0.2.31")
                                    .replace("  platform:", "  port: 5986\n  platform:")))
    assert (inv.host("hv01").port, inv.host("hv01").winrm_auth) == (5986, "basic")


@pytest.mark.parametrize(("new", "why"), [
    (HV01.replace("127.0.10.31", "192.0.2.31"), "unencrypted"),
    (HV01.replace("winrm_auth: basic", "winrm_auth: digest"), "expected one of"),
    (HV01.replace("transport: winrm, ", ""), "only with data.transport: winrm"),
])
def test_refused_auth_names_file_and_field(tmp_path: Path, new: str, why: str) -> None:
    with pytest.raises(InputErrors) as err:
        load_inventory(_inventory(tmp_path, new))
    text = str(err.value)
    assert "hosts.yaml" in text and "hv01.data.winrm_auth" in text and why in text
