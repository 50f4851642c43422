"""``lagprov render --host <host device> [--host-format ...]``: the host's half, offline."""

from __future__ import annotations

import json

import pytest

from lagprov.cli import main
from tests.conftest import EXAMPLE_INVENTORY


def _render(*args: str) -> int:
    return main(["render", "--inventory", str(EXAMPLE_INVENTORY), *args])


def test_a_host_device_renders_its_half(capsys: pytest.CaptureFixture[str]) -> None:
    assert _render("--host", "lnx01") == 0
    out = capsys.readouterr().out
    assert out.startswith("# lagprov: host lnx01, netplan")  # the Linux default
    assert "mode: 802.3ad" in out and "lacp-rate: fast" in out and "mtu: 9000" in out


@pytest.mark.parametrize(("host", "fmt", "needle"), [
    ("lnx02", "networkd", "Mode=balance-xor"),
    ("lnx01", "nm-keyfile", "lacp_rate=fast"),
    ("lnx01", "nmcli", "nmcli connection add type bond"),
    ("lnx01", "ifupdown2", "bond-mode 802.3ad"),
    ("hv01", "powershell", "-TeamingMode LACP"),
    ("win-iscsi01", None, "-RegistryKeyword '*JumboPacket' -RegistryValue 9014"),
    ("esx01", None, "--load-balancing iphash"),
    ("eonstor01", None, "LACP (802.3ad)"),
])
def test_every_os_and_format(host: str, fmt: str | None, needle: str,
                             capsys: pytest.CaptureFixture[str]) -> None:
    assert _render("--host", host, *(["--host-format", fmt] if fmt else [])) == 0
    assert needle in capsys.readouterr().out


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert _render("--host", "hv01", "--format", "json") == 0
    got = json.loads(capsys.readouterr().out)
    assert got["format"] == "powershell" and got["trunks"] == ["hv01-team"]


def test_a_switch_still_renders_its_config(capsys: pytest.CaptureFixture[str]) -> None:
    assert _render("--host", "eos7120-1") == 0
    assert "channel-group 10 mode active" in capsys.readouterr().out


@pytest.mark.parametrize("args", [
    ("--host", "lnx01", "--host-format", "powershell"),  # another OS's format
    ("--host-format", "netplan"),  # no host named
    ("--host", "eos7120-1", "--host-format", "netplan"),  # a switch has no host format
    ("--host", "lnx01", "--remove"),
])
def test_bad_combinations_exit_2(args: tuple[str, ...],
                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert _render(*args) == 2
    err = capsys.readouterr().err
    assert "lagprov:" in err and "Traceback" not in err
