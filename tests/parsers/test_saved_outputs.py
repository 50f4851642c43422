"""Replay of hand-saved outputs (``verify --from DIR``) accepts what people save (issue 9): an
echoed command line, a trailing prompt, ``--More--`` paging with backspaces, CRLF, tabs, any
consistent indentation of a running config, a flat running config; anything else raises a
ParseError naming the file and the line.

Real captures read in place: /work/shared/fixtures/cisco_ios (genieparser iosxe golden outputs
and the IOL 'sh run int' capture).  The pager bytes follow the IOS pager Netmiko's cisco
drivers match (" --More-- " + backspaces, spaces, backspaces; ktbyers/netmiko
netmiko/cisco/cisco_wlc_ssh.py ``more_str_re``), and public logs where the next line goes on
right after the backspaces.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lagprov.errors import ParseError
from lagprov.model.state import DeviceLagState
from lagprov.model.types import Platform
from lagprov.observe.parsers import parse_command
from lagprov.runs.verify import read_saved
from tests.parsers.fixture_table import FIXTURES

IOS = Platform.CISCO_IOS
_MORE = " --More-- " + "\b" * 9 + " " * 9 + "\b" * 9


def _fixture(rel: str) -> str:
    path = FIXTURES / rel
    if not path.is_file():
        pytest.skip(f"shared fixture {path} is absent")
    return path.read_text()


def _same(a: DeviceLagState, b: DeviceLagState) -> None:
    assert a.model_dump(mode="json") == b.model_dump(mode="json")
    assert a.lags  # a real result, not an empty one


def test_echoed_command_and_trailing_prompt_are_accepted() -> None:
    raw = _fixture("cisco_ios/show_lacp_internal/1.txt")
    saved = f"cat9300-1#sh lacp int\n{raw}\ncat9300-1#\n"
    _same(parse_command(IOS, "show lacp internal", saved),
          parse_command(IOS, "show lacp internal", raw))


def test_more_paging_with_backspaces_and_crlf_are_accepted() -> None:
    raw = _fixture("cisco_ios/show_etherchannel_summary/3_cat9k_static_suspended.txt")
    lines = raw.splitlines()
    cut = next(i for i, line in enumerate(lines) if line.startswith("4 "))
    paged = "\r\n".join([*lines[:cut], _MORE + lines[cut], *lines[cut + 1:]]) + "\r\n"
    _same(parse_command(IOS, "show etherchannel summary", paged),
          parse_command(IOS, "show etherchannel summary", raw))


def test_running_config_in_any_consistent_indentation_or_flat() -> None:
    raw = _fixture("cisco_ios/show_running-config_interface/1_po_lacp_trunk.txt")
    command = "show running-config interface Port-channel1"
    plain = parse_command(IOS, command, raw)
    assert plain.lag(1) is not None and len(plain.lag(1).members) == 2  # type: ignore[union-attr]
    for indent in ("\t", "  ", "    ", ""):
        text = "\n".join(indent + line[1:] if line.startswith(" ") else line
                         for line in raw.splitlines())
        _same(parse_command(IOS, command, text), plain)


def test_flat_whole_running_config_keeps_its_bundles() -> None:
    flat = ("hostname cat9300-1\n!\nsystem mtu 9198\n!\n"
            "interface Port-channel10\nswitchport mode trunk\n!\n"
            "interface GigabitEthernet1/0/1\nchannel-group 10 mode active\n!\n"
            "interface GigabitEthernet1/0/2\nchannel-group 10 mode active\n!\n"
            "ip ssh version 2\nend\n")
    po10 = parse_command(IOS, "show running-config", flat).lag(10)
    assert po10 is not None
    assert [m.name for m in po10.members] == ["GigabitEthernet1/0/1", "GigabitEthernet1/0/2"]


def test_junos_prompt_lines_around_the_output_are_accepted() -> None:
    raw = _fixture("juniper_junos/show_lacp_interfaces/1.txt")
    saved = (f"{{master:0}}\nadmin@ex4300-1> show lacp interfaces\n{raw}\n"
             "{master:0}\nadmin@ex4300-1> ")
    _same(parse_command(Platform.JUNIPER_JUNOS, "show lacp interfaces", saved),
          parse_command(Platform.JUNIPER_JUNOS, "show lacp interfaces", raw))


def test_saved_file_that_does_not_parse_names_file_and_line(tmp_path: Path) -> None:
    raw = _fixture("cisco_ios/show_lacp_internal/1.txt").rstrip() + "\n"
    folder = tmp_path / "cat9300-1"
    folder.mkdir()
    bad = f"cat9300-1#show lacp internal\r\n{raw}Gi7  SA  bndl\r\ncat9300-1#\r\n"
    (folder / "show_lacp_internal.txt").write_text(bad, encoding="utf-8")
    capture = read_saved(tmp_path, "cat9300-1", ["show lacp internal"], IOS)
    assert capture.error is not None
    message = capture.error.message
    assert str(folder / "show_lacp_internal.txt") in message
    assert f"line {len(raw.splitlines()) + 2}:" in message
    with pytest.raises(ParseError):
        parse_command(IOS, "show lacp internal", bad)


def test_saved_file_with_only_echo_and_prompt_is_no_data(tmp_path: Path) -> None:
    folder = tmp_path / "cat9300-1"
    folder.mkdir()
    (folder / "show_lacp_neighbor.txt").write_text("cat9300-1#show lacp neighbor\ncat9300-1#\n")
    capture = read_saved(tmp_path, "cat9300-1", ["show lacp neighbor"], IOS)
    assert capture.error is None
    assert dict(capture.outputs) == {"show lacp neighbor": ""}
