"""EOS show outputs against the real captures and the parsers used on them (ntc-templates)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from ntc_templates.parse import parse_output

from tests.conftest import shared_fixtures

try:  # tests/lab is a package once it has an __init__.py
    from tests.lab.test_eos_support import LAG_LINES, enabled_cli, make_switch, run
except ImportError:
    from test_eos_support import LAG_LINES, enabled_cli, make_switch, run  # type: ignore[no-redef]


def _fixture(command: str, case: str) -> str:
    return (shared_fixtures() / "arista_eos" / command / case).read_text()


def _columns(line: str) -> list[int]:
    return [m.start() for m in re.finditer(r"\S+", line)]


def _lab(team: tuple[str, bool, bool] = ("802.3ad", True, False), mode: str = "active",
         ) -> object:
    switch, fabric = make_switch()
    fabric.host_team = team
    cli = enabled_cli(switch)
    lines = [line.replace("mode active", f"mode {mode}") for line in LAG_LINES]
    run(cli, "configure", *lines, "end")
    return cli


def _parse(command: str, text: str) -> list[dict[str, object]]:
    return parse_output(platform="arista_eos", command=command, data=text)  # type: ignore[no-any-return]


def test_summary_legend_and_columns_match_the_capture() -> None:
    real = _fixture("show_port-channel_summary", "1.txt").splitlines()
    ours = run(_lab(), "show port-channel summary").splitlines()  # type: ignore[arg-type]
    assert ours[:8] == real[:8]  # legend, byte for byte (trailing spaces included)
    assert ours[12:14] == real[12:14]  # table header
    row = next(line for line in ours if line.startswith("   Po10"))
    real_row = next(line for line in real if line.startswith("   Po2000"))
    assert _columns(row)[:3] == _columns(real_row)[:3] == [3, 22, 35]
    assert len(row) == len(real[14])


def test_summary_parses_like_the_capture_healthy_lacp() -> None:
    real = _fixture("show_port-channel_summary", "1.txt")
    expected = yaml.safe_load(_fixture("show_port-channel_summary", "1.expected.yml"))
    assert _parse("show port-channel summary", real) == expected["parsed_sample"]
    ours = _parse("show port-channel summary", run(_lab(), "show port-channel summary"))  # type: ignore[arg-type]
    assert ours == [{"bundle_name": "Po10", "bundle_status": "U", "bundle_protocol": "LACP",
                     "bundle_protocol_state": "a", "member_interface": ["Et1", "Et2"],
                     "member_interface_status": ["PG+", "PG+"]}]
    assert set(ours[0]) == set(expected["parsed_sample"][0])


def test_summary_host_without_lacp_waits_as_in_the_capture() -> None:
    cli = _lab(team=("active-backup", False, False))
    ours = _parse("show port-channel summary", run(cli, "show port-channel summary"))  # type: ignore[arg-type]
    assert ours[0]["bundle_status"] == "D"
    assert ours[0]["member_interface_status"] == ["G-", "G-"]  # as Po4 in 3_static.txt
    real = _fixture("show_port-channel", "1_waiting_for_lacp.txt").splitlines()
    ours_pc = run(cli, "show port-channel").splitlines()  # type: ignore[arg-type]
    assert ours_pc == [
        "Port Channel Port-Channel10:", real[3], real[4], real[5], real[6],
        real[7].replace("Ethernet13", "Ethernet1 "), real[7].replace("Ethernet13", "Ethernet2 "),
    ]


def test_summary_static_channel() -> None:
    cli = _lab(team=("balance-xor", False, True), mode="on")
    text = run(cli, "show port-channel summary")  # type: ignore[arg-type]
    assert "   Po10(U)            Static       Et1(P)  Et2(P)  " in text


def test_lacp_neighbor_legend_and_columns_match_the_capture() -> None:
    real = _fixture("show_lacp_neighbor", "1_veos.txt").splitlines()
    ours = run(_lab(), "show lacp neighbor").splitlines()  # type: ignore[arg-type]
    assert ours[:7] == real[:7]
    assert ours[7] == "Port Channel Port-Channel10:"
    assert _columns(ours[8])[:7] == _columns(real[8])[:7]
    assert len(ours[8]) == len(real[8])  # PortPri is right-aligned
    assert ours[8].split() == ["Et1", "Bundled", "|", "ffff,0c-1d-c0-f4-7b-39", "1", "ALGs+CD",
                               "0x000d", "255"]  # Linux bond: priority 65535, key 13 (10G)


def test_lacp_neighbor_json() -> None:
    data = json.loads(run(_lab(), "show lacp neighbor | json"))  # type: ignore[arg-type]
    et1 = data["portChannels"]["Port-Channel10"]["interfaces"]["Ethernet1"]
    assert et1["partnerSystemId"] == "ffff,0c-1d-c0-f4-7b-39"
    assert et1["partnerPortState"]["synchronization"] is True


def test_port_channel_detailed_shape() -> None:
    real = _fixture("show_port-channel_N_detailed", "1.txt").splitlines()
    ours = run(_lab(), "show port-channel 10 detailed").splitlines()  # type: ignore[arg-type]
    assert ours[0] == real[0].replace("Port-Channel5", "Port-Channel10")
    assert ours[2:7] == [real[2], "Current weight/Max weight: 2/16", *real[4:7]]
    assert ours[1] == "Minimum links: 1"
    assert _columns(ours[7]) == _columns(real[7])
    assert ours[7].split()[2:] == ["LACP", "Active", "1"]


def test_show_interfaces_parses_like_the_capture() -> None:
    real = _fixture("show_interfaces", "portchannel_1.txt")
    expected = yaml.safe_load(_fixture("show_interfaces", "portchannel_1.expected.yml"))
    assert _parse("show interfaces", real) == expected["parsed_sample"]
    text = run(_lab(), "show interfaces")  # type: ignore[arg-type]
    rows = {r["interface"]: r for r in _parse("show interfaces", text)}
    assert set(rows["Ethernet1"]) == set(expected["parsed_sample"][0])
    assert rows["Ethernet1"]["mtu"] == "9214"
    assert rows["Ethernet1"]["protocol_status"] == "up (connected)"
    assert rows["Ethernet1"]["bandwidth"] == "10000000 kbit"
    assert rows["Ethernet3"]["link_status"] == "down"  # not cabled
    assert rows["Ethernet3"]["mtu"] == "1500"
    assert rows["Port-Channel10"]["hardware_type"] == "Port-Channel"
    assert rows["Port-Channel10"]["bandwidth"] == "20000000 kbit"
    assert "  Member of Port-Channel10\n  Ethernet MTU 9214 bytes, BW 10000000 kbit\n" in text


def test_show_interfaces_json_has_what_napalm_reads() -> None:
    cli = _lab()
    run(cli, "configure", "interface Ethernet4", "shutdown", "end")  # type: ignore[arg-type]
    data = json.loads(run(cli, "show interfaces | json"))  # type: ignore[arg-type]
    et1 = data["interfaces"]["Ethernet1"]
    assert (et1["lineProtocolStatus"], et1["interfaceStatus"]) == ("up", "connected")
    assert et1["mtu"] == 9214 and et1["bandwidth"] == 10_000_000_000
    assert et1["interfaceMembership"] == "Member of Port-Channel10"
    assert data["interfaces"]["Ethernet4"]["interfaceStatus"] == "disabled"
    assert data["interfaces"]["Port-Channel10"]["memberInterfaces"].keys() == {
        "Ethernet1", "Ethernet2"}


def test_running_config_style_matches_the_avd_capture() -> None:
    real = _fixture("show_running-config", "1_avd_port-channels.txt")
    ours = run(_lab(), "show running-config")  # type: ignore[arg-type]
    for text in (real, ours):
        body = [line for line in text.splitlines() if line.startswith(" ")]
        assert body and all(re.match(r"^(   )+\S", line) for line in body)
        assert text.rstrip().endswith("!\nend")


@pytest.fixture(autouse=True)
def _fixtures_present() -> Path:
    return shared_fixtures()
