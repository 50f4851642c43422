"""The simulated SMIS CLI, driven line by line (no sockets)."""

from __future__ import annotations

import pytest

from lagprov.lab.smis.switch import INCOMPLETE, INVALID, LA_DISABLED

try:  # tests/lab is a package once it has an __init__.py
    from tests.lab.test_smis_support import HOST_MAC, LAG_CONFIG, make_switch, run
except ImportError:
    from test_smis_support import HOST_MAC, LAG_CONFIG, make_switch, run  # type: ignore[no-redef]


def test_prompts_follow_modes() -> None:
    sw, _ = make_switch()
    cli = sw.open_cli("lab")
    assert cli.prompt() == "sse-x24s-1#"
    run(cli, "configure terminal")
    assert cli.prompt() == "sse-x24s-1(config)#"
    run(cli, "interface Ex 0/3")
    assert cli.prompt() == "sse-x24s-1(config-if)#"
    run(cli, "exit")
    assert cli.prompt() == "sse-x24s-1(config)#"
    run(cli, "vlan 100")
    assert cli.prompt() == "sse-x24s-1(config-vlan)#"
    run(cli, "end")
    assert cli.prompt() == "sse-x24s-1#"
    assert cli.handle("exit").close


def test_errors() -> None:
    sw, _ = make_switch()
    cli = sw.open_cli("lab")
    assert run(cli, "bogus") == INVALID + "\n"
    assert run(cli, "show bogus") == INVALID + "\n"
    run(cli, "configure terminal", "interface Ex 0/1")
    assert run(cli, "mtu") == INCOMPLETE + "\n"
    assert run(cli, "mtu 99999") == INVALID + "\n"
    assert run(cli, "channel-group 1") == INCOMPLETE + "\n"
    assert run(cli, "interface Ex 0/99") == INVALID + "\n"


def test_channel_group_refused_while_la_disabled() -> None:
    sw, _ = make_switch()
    cli = sw.open_cli("lab")
    run(cli, "configure terminal", "interface port-channel 1", "exit", "interface Ex 0/1")
    assert run(cli, "channel-group 1 mode active") == LA_DISABLED + "\n"
    run(cli, "end")
    summary = sw.show("show etherchannel summary")
    assert summary is not None
    assert summary.splitlines()[:2] == [
        "Port-channel Module Admin Status is disabled",
        "Port-channel Module Oper Status is disabled",
    ]
    assert "Group" not in summary


def test_channel_must_exist_first() -> None:
    sw, _ = make_switch()
    cli = sw.open_cli("lab")
    run(cli, "configure terminal", "set port-channel enable", "interface Ex 0/1")
    assert "does not exist" in run(cli, "channel-group 4 mode active")


def test_running_config_matches_documented_shape() -> None:
    sw, _ = make_switch()
    cli = sw.open_cli("lab")
    assert run(cli, *LAG_CONFIG) == ""
    text = sw.show("show running-config")
    assert text is not None
    expected_head = (
        "Building configuration...\n"
        "Switch ID       Hardware Version                Firmware Version\n"
        "0               SSE-X24S      (P1-01)           1.0.18-2\n"
        "\n"
        "set port-channel enable\n"
        "!\n"
        "interface port-channel 1\n"
        ' description "eonstor01-tg1"\n'
        " mtu 9216\n"
        " switchport mode access\n"
        " switchport access vlan 100\n"
        " no shutdown\n"
        "!\n"
        "interface Ex 0/1\n"
        ' description "eonstor01-tg1"\n'
        " mtu 9216\n"
        " switchport mode access\n"
        " switchport access vlan 100\n"
        " channel-group 1 mode active\n"
        " lacp timeout short\n"
        " no shutdown\n"
        "!\n"
        "interface Ex 0/2\n"
        " mtu 9216\n"
        " channel-group 1 mode active\n"
        " no shutdown\n"
        "!\n"
        "end\n"
    )
    assert text == expected_head


def test_command_log_has_config_lines_only() -> None:
    sw, _ = make_switch()
    cli = sw.open_cli("lab")
    run(cli, "configure terminal", "set cli pagination off", "terminal width 511", "end")
    assert sw.command_log == []
    run(cli, *LAG_CONFIG)
    assert sw.command_log[0] == "set port-channel enable"
    assert "channel-group 1 mode active" in sw.command_log
    assert "end" not in sw.command_log and "configure terminal" not in sw.command_log


def test_summary_bundled_with_lacp_host() -> None:
    sw, _ = make_switch()
    run(sw.open_cli("lab"), *LAG_CONFIG)
    text = sw.show("show etherchannel summary")
    assert text is not None
    lines = text.splitlines()
    assert lines[2] == f"Port-channel System Identifier is  {sw.system_mac}"
    assert lines[-2:] == [
        "------ ------------- --------- ----------------------------------------",
        "1      Po1(U)        LACP      Ex0/1(P), Ex0/2(P)",
    ]
    assert "Number of channel-groups in use: 1" in lines


@pytest.mark.parametrize(
    ("team", "mode", "flag", "po"),
    [
        (("balance-xor", False, True), "active", "I", "D"),
        (("802.3ad", True, False), "on", "P", "U"),
        (("active-backup", False, False), "on", "P", "U"),
        (("802.3ad", True, False), "passive", "P", "U"),
    ],
)
def test_summary_reflects_host_team(
    team: tuple[str, bool, bool], mode: str, flag: str, po: str
) -> None:
    sw, fabric = make_switch()
    fabric.host_team = team
    cfg = [line.replace("mode active", f"mode {mode}") for line in LAG_CONFIG]
    run(sw.open_cli("lab"), *cfg)
    text = sw.show("show etherchannel summary")
    assert text is not None
    proto = "Manual" if mode == "on" else "LACP"
    assert (
        text.splitlines()[-1] == f"1      Po1({po})        {proto:<10}Ex0/1({flag}), Ex0/2({flag})"
    )


def test_mtu_mismatch_member_suspended() -> None:
    sw, _ = make_switch()
    cli = sw.open_cli("lab")
    run(cli, *LAG_CONFIG)
    run(cli, "configure terminal", "interface Ex 0/2", "mtu 1500", "end")
    text = sw.show("show etherchannel summary")
    assert text is not None and text.splitlines()[-1].endswith("Ex0/1(P), Ex0/2(s)")
    detail = sw.show("show etherchannel detail")
    assert detail is not None and "Port State = Suspended" in detail
    mtu = sw.show("show interface mtu")
    assert mtu is not None
    assert "Ex0/1         9216" in mtu.splitlines() and "Ex0/2         1500" in mtu.splitlines()
    assert mtu.splitlines()[-1] == "po1           9216"


def test_po_mtu_propagates_to_members() -> None:
    sw, _ = make_switch()
    cli = sw.open_cli("lab")
    run(cli, *LAG_CONFIG)
    run(cli, "configure terminal", "interface port-channel 1", "mtu 9000", "end")
    assert sw.config.ports["Ex 0/1"].mtu == 9000 and sw.config.ports["Ex 0/2"].mtu == 9000


def test_detail_block_shape() -> None:
    sw, _ = make_switch()
    run(sw.open_cli("lab"), *LAG_CONFIG)
    text = sw.show("show etherchannel detail")
    assert text is not None
    head = text.split("\n\nPorts in the Group\n------------------\n")[0]
    assert head.splitlines() == [
        "Port-channel: 1",
        "------------",
        "Number of Ports = 2",
        "HotStandBy port = null",
        "Port state = Port-channel Ag-Inuse",
        "Protocol = LACP",
        "Default Port = None",
    ]
    first = text.split("Port : Ex0/1\n")[1].split("\n\nPort : Ex0/2")[0]
    assert first.splitlines() == [
        "------------",
        "Port State = Up in Bundle",
        "Channel Group : 1",
        "Mode : Active",
        "Pseudo port-channel = Po1",
        "LACP port-priority = 128",
        "LACP Wait-time = 2 secs",
        "LACP Timeout = Short",
        "LACP Port Identifier = 1",
        "LACP Port Admin Key = 1",
        "LACP Port Oper Key = 1",
        "Port-state = 0x3f",
        "",
        "Partner information:",
        f"LACP Partner System ID = 65535,{HOST_MAC}",
        "LACP Partner Port Identifier = 1",
        "LACP Partner Oper Key = 13",
        "LACP Partner Port Priority = 255",
        "LACP Partner Port-state = 0x3d",
    ]


def test_no_interface_port_channel_frees_members() -> None:
    sw, _ = make_switch()
    cli = sw.open_cli("lab")
    run(cli, *LAG_CONFIG)
    run(cli, "configure terminal", "no interface port-channel 1", "end")
    assert sw.config.ports["Ex 0/1"].channel is None
    text = sw.show("show running-config")
    assert text is not None and "channel-group" not in text and "port-channel 1" not in text


def test_faults_reject_and_drop() -> None:
    sw, fabric = make_switch()
    fabric.faults_.reject_commands.add("mtu")
    cli = sw.open_cli("lab")
    run(cli, "configure terminal", "interface Ex 0/1")
    assert run(cli, "mtu 9216") == INVALID + "\n"
    fabric.faults_.reject_commands.clear()
    fabric.faults_.drop_after_config_lines = 2
    cli2 = sw.open_cli("lab")
    cli2.handle("configure terminal")
    assert not cli2.handle("interface Ex 0/3").close
    assert cli2.handle("mtu 1600").close


def test_write_startup_config() -> None:
    sw, _ = make_switch()
    assert run(sw.open_cli("lab"), "write startup-config").rstrip().endswith("[OK]")
