"""Every real capture is parsed and compared with an expected state written from the capture."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lagprov.model.state import DeviceLagState, HostTeamState
from lagprov.model.types import HostOs, Platform
from lagprov.observe.parsers import (
    command_key,
    parse_command,
    parse_linux_bonding,
    parse_linux_ip_link,
    parse_windows_team_text,
    supported_commands,
)
from tests.parsers.fixture_table import EXPECTED, FIXTURES, NOT_PARSED, PARSED

if not FIXTURES.is_dir():
    pytest.skip(f"shared fixtures folder {FIXTURES} is absent", allow_module_level=True)

CASES = sorted(p for p in FIXTURES.glob("*/*/*.txt"))


def _case_id(path: Path) -> str:
    return f"{path.parent.parent.name}/{path.parent.name}/{path.stem}"


def _expand_vlans(node: object) -> object:
    """Expected files may write long VLAN ranges as "a-b" strings."""
    if isinstance(node, dict):
        out = {k: _expand_vlans(v) for k, v in node.items()}
        vlans = out.get("vlans")
        if isinstance(vlans, str):
            lo, hi = vlans.split("-")
            out["vlans"] = list(range(int(lo), int(hi) + 1))
        return out
    if isinstance(node, list):
        return [_expand_vlans(v) for v in node]
    return node


def _parse(platform: str, how: str, raw: str) -> DeviceLagState | HostTeamState:
    if not how.startswith("host:"):
        return parse_command(Platform(platform), how, raw, device="dut")
    _, parser, *bond = how.split(":")
    if parser == "bonding":
        return parse_linux_bonding("dut", raw, bond=bond[0])
    if parser == "ip_link":
        return parse_linux_ip_link("dut", raw, bond=bond[0])
    return parse_windows_team_text("dut", raw)


@pytest.mark.parametrize("path", CASES, ids=_case_id)
def test_fixture_parses_to_expected_state(path: Path) -> None:
    platform, folder = path.parent.parent.name, path.parent.name
    if (platform, folder) in NOT_PARSED:
        pytest.skip(NOT_PARSED[(platform, folder)])
    how = PARSED[(platform, folder)]
    expected_file = EXPECTED / platform / folder / f"{path.stem}.yaml"
    assert expected_file.is_file(), f"write {expected_file} from the capture"
    data = _expand_vlans(yaml.safe_load(expected_file.read_text()) or {})
    assert isinstance(data, dict)
    data["device"] = "dut"
    parsed = _parse(platform, how, path.read_text())
    if isinstance(parsed, HostTeamState):
        data["os"] = HostOs(platform)
        expected: DeviceLagState | HostTeamState = HostTeamState.model_validate(data)
    else:
        data["platform"] = platform
        expected = DeviceLagState.model_validate(data)
    got = parsed.model_dump(mode="json", exclude_none=True)
    assert got == expected.model_dump(mode="json", exclude_none=True)


def test_every_fixture_folder_is_parsed_or_explained() -> None:
    folders = {(p.parent.name, p.name) for p in FIXTURES.glob("*/*") if p.is_dir()}
    unexplained = folders - set(PARSED) - set(NOT_PARSED)
    assert not unexplained, f"map these fixture folders to a parser or a reason: {unexplained}"
    assert not (set(PARSED) & set(NOT_PARSED))


def test_mapped_switch_commands_are_registered() -> None:
    for (platform, _folder), how in PARSED.items():
        if how.startswith("host:"):
            continue
        assert command_key(how) in supported_commands(Platform(platform)), how


def test_every_expected_file_has_a_capture() -> None:
    for exp in EXPECTED.glob("*/*/*.yaml"):
        capture = FIXTURES / exp.parent.parent.name / exp.parent.name / f"{exp.stem}.txt"
        assert capture.is_file(), f"{exp} has no capture {capture}"
