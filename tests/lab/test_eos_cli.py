"""The simulated EOS CLI, driven line by line (no sockets)."""

from __future__ import annotations

import pytest

from lagprov.lab.base import LagMode
from lagprov.lab.eos import switch as eos_module
from lagprov.lab.eos.cli import EosCli
from lagprov.model.types import LacpRate

try:  # tests/lab is a package once it has an __init__.py
    from tests.lab.test_eos_support import LAG_LINES, SECRET, enabled_cli, make_switch, run
except ImportError:
    from test_eos_support import (  # type: ignore[no-redef]
        LAG_LINES,
        SECRET,
        enabled_cli,
        make_switch,
        run,
    )


def test_netmiko_session_preparation_answers() -> None:
    switch, _ = make_switch()
    cli = EosCli(switch, "lab")
    assert cli.prompt() == "eos7120-1>"
    assert run(cli, "terminal width 511") == "Width set to 511 columns.\n"
    assert run(cli, "terminal length 0") == "Pagination disabled.\n"


def test_enable_asks_for_the_secret_and_refuses_a_wrong_one() -> None:
    switch, _ = make_switch()
    cli = EosCli(switch, "lab")
    assert run(cli, "enable") == ""
    assert cli.prompt() == "Password: "
    assert run(cli, "wrong") == "% Access denied\n"
    assert cli.prompt() == "eos7120-1>"
    run(cli, "enable", SECRET)
    assert cli.prompt() == "eos7120-1#"


def test_prompts_of_every_mode() -> None:
    switch, _ = make_switch()
    cli = enabled_cli(switch)
    seen = []
    for line in ("configure terminal", "interface Ethernet1", "interface Ethernet1-2",
                 "interface Port-Channel10", "exit", "end", "configure session napalm",
                 "interface Et1", "end"):
        cli.handle(line)
        seen.append(cli.prompt())
    assert seen == [
        "eos7120-1(config)#", "eos7120-1(config-if-Et1)#", "eos7120-1(config-if-Et1-2)#",
        "eos7120-1(config-if-Po10)#", "eos7120-1(config)#", "eos7120-1#",
        "eos7120-1(config-s-napalm)#", "eos7120-1(config-s-napalm-if-Et1)#", "eos7120-1#",
    ]


def test_configuration_needs_privileged_mode() -> None:
    switch, _ = make_switch()
    cli = EosCli(switch, "lab")
    assert run(cli, "configure terminal") == "% Invalid input (privileged mode required)\n"
    assert cli.prompt() == "eos7120-1>"


@pytest.mark.parametrize("line", [
    "frobnicate", "mtu 9215", "mtu 67", "channel-group 10 mode desirable",
    "channel-group 2001 mode active", "switchport trunk allowed vlan 4095",
    "port-channel min-links 2",  # only on Port-Channel interfaces
])
def test_invalid_input_is_refused_as_eos_prints_it(line: str) -> None:
    switch, _ = make_switch()
    cli = enabled_cli(switch)
    run(cli, "configure", "interface Ethernet1")
    before = switch.running_text()
    assert run(cli, line) == "% Invalid input\n"
    assert switch.running_text() == before


def test_lag_configuration_lands_in_running_config_and_port_facts() -> None:
    switch, _ = make_switch()
    cli = enabled_cli(switch)
    assert run(cli, "configure terminal", *LAG_LINES, "mtu 68", "end") == ""
    text = switch.running_text()
    assert ("interface Port-Channel10\n   description srv1-bond0\n   mtu 9214\n"
            "   switchport trunk allowed vlan 10,20\n   switchport mode trunk\n"
            "   port-channel min-links 1\n!\n") in text
    assert ("interface Ethernet1\n   description srv1-bond0 member\n   mtu 68\n"
            "   channel-group 10 mode active\n   lacp rate fast\n!\n") in text
    assert text.index("interface Port-Channel10") < text.index("interface Ethernet1\n")
    assert text.endswith("!\nend\n")
    facts = switch.port_facts()
    assert facts["Ethernet2"].channel == 10
    assert facts["Ethernet2"].mode is LagMode.ACTIVE
    assert facts["Ethernet2"].rate is LacpRate.FAST
    assert facts["Ethernet1"].mtu_ip == 9214  # members take the channel's MTU
    assert facts["Ethernet1"].channel_mtu_ip == 9214
    assert facts["Ethernet3"].channel is None and facts["Ethernet3"].mtu_ip == 1500


def test_abbreviations_and_vlan_lists() -> None:
    switch, _ = make_switch()
    cli = enabled_cli(switch)
    run(cli, "conf t", "int po 7", "sw mo tr", "sw tr all vl 10,11,12,20",
        "sw tr all vl add 13", "sw tr all vl remove 20", "sw trunk native vlan 99", "end")
    text = switch.running_text()
    assert "interface Port-Channel7\n   switchport trunk native vlan 99\n" \
           "   switchport trunk allowed vlan 10-13\n   switchport mode trunk\n!" in text


def test_removal_commands() -> None:
    switch, _ = make_switch()
    cli = enabled_cli(switch)
    run(cli, "configure", *LAG_LINES, "exit")
    run(cli, "interface Ethernet2", "no channel-group", "no lacp rate", "exit")
    assert switch.port_facts()["Ethernet2"].channel is None
    assert switch.port_facts()["Ethernet1"].channel == 10
    run(cli, "no interface Port-Channel10", "end")
    text = switch.running_text()
    assert "Port-Channel10" not in text
    assert "channel-group" not in text


def test_command_log_records_configuration_lines_only() -> None:
    switch, _ = make_switch()
    cli = enabled_cli(switch)
    run(cli, "show running-config", "configure terminal", "interface Ethernet3",
        "description x", "exit", "end", "write memory")
    assert switch.command_log == ["interface Ethernet3", "description x"]
    run(cli, "configure session s1", "interface Ethernet3", "shutdown", "abort")
    assert switch.command_log[-2:] == ["interface Ethernet3", "shutdown"]


def test_config_session_diff_commit_and_abort() -> None:
    switch, _ = make_switch()
    cli = enabled_cli(switch)
    run(cli, "configure session s1", "interface Ethernet5", "description via-session", "end")
    assert "via-session" not in switch.running_text()
    diff = run(cli, "show session-config named s1 diffs")
    lines = diff.splitlines()
    assert lines[0] == "--- system:/running-config"
    assert lines[1] == "+++ session:/s1-session-config"
    assert "+   description via-session" in lines
    assert run(cli, "configure session s1", "commit") == ""
    assert cli.prompt() == "eos7120-1#"
    assert "   description via-session" in switch.running_text()
    assert switch.sessions_json(detail=False)["sessions"] == {
        "s1": {"state": "completed", "completedTime": switch.sessions["s1"].completed,
               "commitUser": "", "description": "", "instances": {}}}
    run(cli, "configure session s2", "interface Ethernet6", "shutdown", "end",
        "configure session s2 abort")
    assert "s2" not in switch.sessions
    assert "interface Ethernet6\n!" in switch.running_text()


def test_commit_timer_reverts_unless_confirmed(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(eos_module.time, "monotonic", lambda: clock[0])
    switch, _ = make_switch()
    cli = enabled_cli(switch)
    run(cli, "configure session t1", "interface Ethernet7", "description timed",
        "commit timer 00:05:00")
    assert "description timed" in switch.running_text()
    assert switch.sessions_json(detail=True)["sessions"]["t1"]["state"] == "pendingCommitTimer"
    clock[0] += 301
    assert "description timed" not in switch.running_text()
    run(cli, "configure session t2", "interface Ethernet7", "description kept", "end",
        "configure session t2 commit timer 00:01:00")
    run(cli, "configure session t2 commit")  # confirm in time
    clock[0] += 3600
    assert "description kept" in switch.running_text()


def test_write_memory_copy_and_configure_replace() -> None:
    switch, _ = make_switch()
    cli = enabled_cli(switch)
    assert run(cli, "write memory") == "Copy completed successfully.\n"
    run(cli, "copy startup-config flash:rollback-0")
    run(cli, "configure", "interface Ethernet9", "description later", "end")
    assert run(cli, "copy running-config startup-config") == "Copy completed successfully.\n"
    assert "description later" in run(cli, "show startup-config")
    run(cli, "configure replace flash:rollback-0")
    assert "description later" not in switch.running_text()
    assert "description later" in run(cli, "show startup-config")


def test_faults_reject_and_drop() -> None:
    switch, fabric = make_switch()
    cli = enabled_cli(switch)
    fabric.faults_.reject_commands.add("mtu")
    assert run(cli, "configure", "interface Ethernet1", "mtu 9000") == "% Invalid input\n"
    fabric.faults_.drop_after_config_lines = 3  # 1 line so far ("interface Ethernet1")
    assert not cli.handle("description a").close
    assert cli.handle("description b").close


def test_show_commands_in_config_mode_and_pipes() -> None:
    switch, _ = make_switch()
    cli = enabled_cli(switch)
    run(cli, "configure", *LAG_LINES)
    out = run(cli, "show running-config | include channel-group")
    assert out == "   channel-group 10 mode active\n" * 2
    assert run(cli, "show port-channel summary | json") == \
        "% This is an unconverted command\n"
    assert run(cli, "do show hostname") == "Hostname: eos7120-1\nFQDN:     eos7120-1\n"


def test_load_config_helper_applies_eos_text() -> None:
    switch, _ = make_switch()
    switch.load_config("hostname lab-eos\n!\ninterface Ethernet4\n   description x\n!\nend\n")
    assert "hostname lab-eos" in switch.running_text()
    assert switch.command_log == ["hostname lab-eos", "interface Ethernet4", "description x"]


def test_load_config_accepts_lines_as_the_fabric_passes_them() -> None:
    switch, _ = make_switch()
    switch.load_config(["interface Ethernet8", "channel-group 8 mode passive"])
    assert "interface Port-Channel8\n!" in switch.running_config()
    assert switch.port_facts()["Ethernet8"].mode is LagMode.PASSIVE
