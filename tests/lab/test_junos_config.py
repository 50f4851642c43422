"""Unit tests of the simulated Junos EX: configuration, commit, rollback, CLI shapes."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagprov.knowledge.platforms.hardware import HARDWARE
from lagprov.lab.base import Faults, LacpPeerInfo, LagMode, LinkOutcome
from lagprov.lab.junos.switch import JunosSwitch
from lagprov.model.state import MemberStatus
from lagprov.model.types import LacpRate

FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "juniper_junos"


class FakeFabric:
    """The two LabFabricView members a Junos switch uses."""

    def __init__(self) -> None:
        self.outcomes: dict[str, LinkOutcome] = {}
        self.fault = Faults()

    def link_outcomes(self, device: str) -> dict[str, LinkOutcome]:
        return dict(self.outcomes)

    def faults(self, device: str) -> Faults:
        return self.fault


class ManualTimer:
    """An injectable commit-confirmed timer fired by the test."""

    def __init__(self) -> None:
        self.pending: list[tuple[float, object]] = []
        self.cancelled = 0

    def __call__(self, seconds: float, callback):  # type: ignore[no-untyped-def]
        timer = self

        class Handle:
            def cancel(self) -> None:
                timer.cancelled += 1
                timer.pending.remove(entry)

        entry = (seconds, callback)
        self.pending.append(entry)
        return Handle()

    def fire(self) -> None:
        _, callback = self.pending.pop()
        callback()  # type: ignore[operator]


def make(hardware: str = "EX4300-48T") -> tuple[JunosSwitch, FakeFabric, ManualTimer]:
    fabric, timer = FakeFabric(), ManualTimer()
    return JunosSwitch("ex4300-1", HARDWARE[hardware], fabric, timer_factory=timer), fabric, timer


def run(cli, *lines: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [cli.handle(line).output for line in lines]


LAG = [
    "set chassis aggregated-devices ethernet device-count 2",
    "set interfaces ge-0/0/10 ether-options 802.3ad ae0",
    "set interfaces ge-0/0/11 ether-options 802.3ad ae0",
    'set interfaces ae0 description "srv01 bond0"',
    "set interfaces ae0 mtu 9216",
    "set interfaces ae0 aggregated-ether-options lacp active",
    "set interfaces ae0 aggregated-ether-options lacp periodic fast",
    "set interfaces ae0 aggregated-ether-options minimum-links 1",
    "set interfaces ae0 unit 0 family ethernet-switching interface-mode trunk",
    "set interfaces ae0 unit 0 family ethernet-switching vlan members [ v10 v20 ]",
    "set vlans v10 vlan-id 10",  # a commit refuses members of an undefined VLAN
    "set vlans v20 vlan-id 20",
]


def test_prompts_and_netmiko_session_preparation_answers() -> None:
    sw, _, _ = make()
    cli = sw.open_cli("lab")
    assert cli.prompt() == "lab@ex4300-1> "
    assert "%" not in cli.banner() and "$" not in cli.banner()
    assert run(cli, "set cli screen-width 511", "set cli complete-on-space off",
               "set cli screen-length 0") == [
        "Screen width set to 511\n", "Disabling complete-on-space\n", "Screen length set to 0\n"]
    assert cli.handle("configure").output == "Entering configuration mode\n"
    assert cli.prompt() == "\n[edit]\nlab@ex4300-1# "


def test_set_commit_display_set_and_facts() -> None:
    sw, _, _ = make()
    cli = sw.open_cli("lab")
    cli.handle("configure")
    assert run(cli, *LAG) == [""] * len(LAG)
    assert sw.port_facts()["ge-0/0/10"].channel is None  # not committed yet
    assert cli.handle("commit").output == "commit complete\n"
    lines = cli.handle("run show configuration | display set").output.splitlines()
    assert lines[2:] == [
        "set chassis aggregated-devices ethernet device-count 2",
        "set interfaces ge-0/0/10 ether-options 802.3ad ae0",
        "set interfaces ge-0/0/11 ether-options 802.3ad ae0",
        'set interfaces ae0 description "srv01 bond0"',
        "set interfaces ae0 mtu 9216",
        "set interfaces ae0 aggregated-ether-options minimum-links 1",
        "set interfaces ae0 aggregated-ether-options lacp active",
        "set interfaces ae0 aggregated-ether-options lacp periodic fast",
        "set interfaces ae0 unit 0 family ethernet-switching interface-mode trunk",
        "set interfaces ae0 unit 0 family ethernet-switching vlan members v10",
        "set interfaces ae0 unit 0 family ethernet-switching vlan members v20",
        "set vlans v10 vlan-id 10",
        "set vlans v20 vlan-id 20",
    ]
    facts = sw.port_facts()["ge-0/0/10"]
    assert (facts.channel, facts.mode, facts.rate, facts.min_links) == (
        0, LagMode.ACTIVE, LacpRate.FAST, 1)
    assert facts.channel_mtu_ip == 9216 - 14  # media MTU - header, tag not counted
    assert sw.port_facts()["ge-0/0/12"].channel is None
    assert all(line in sw.command_log for line in LAG)


def test_fixture_statements_round_trip_in_the_fixture_order() -> None:
    path = FIXTURES / "show_configuration_display_set" / "3_ex_passive_fast.txt"
    if not path.exists():
        pytest.skip(f"shared fixtures absent: {path}")
    sw, _, _ = make()
    cli = sw.open_cli("lab")
    cli.handle("configure")
    fixture = path.read_text().splitlines()
    scrambled = fixture[::-1]  # Junos orders by schema, not by input order
    assert run(cli, *scrambled) == [""] * len(scrambled)
    out = cli.handle("show | display set").output.splitlines()
    assert [ln for ln in out if ln.startswith("set interfaces")] == fixture


def test_syntax_error_has_caret_under_the_bad_word() -> None:
    sw, _, _ = make()
    cli = sw.open_cli("lab")
    cli.handle("configure")
    out = cli.handle("set interfaces ae0 frobnicate 1").output
    prompt = "lab@ex4300-1# "
    assert out == " " * (len(prompt) + len("set interfaces ae0 ")) + "^\nsyntax error.\n"
    out = cli.handle("set interfaces ae0 mtu 9300").output
    assert out.endswith("^\nValue 9300 is not within range (1514..9216) at '9300'\n")
    assert out.index("^") == len(prompt) + len("set interfaces ae0 mtu ")
    assert cli.handle("frobnicate").output.endswith("^\nsyntax error.\n")


def test_commit_errors_device_count_and_member_unit() -> None:
    sw, _, _ = make()
    cli = sw.open_cli("lab")
    cli.handle("configure")
    run(cli, "set chassis aggregated-devices ethernet device-count 1",
        "set interfaces ge-0/0/1 ether-options 802.3ad ae1",
        "set interfaces ge-0/0/1 unit 0 family ethernet-switching")
    out = cli.handle("commit").output
    assert "ae1: device-count exceeded" in out
    assert ("[edit interfaces ge-0/0/1]\n  'unit 0'\n"
            "    logical unit is not allowed on aggregated links") in out
    assert out.endswith("error: configuration check-out failed\n")
    assert "commit complete" not in out
    assert cli.handle("commit check").output.endswith("error: configuration check-out failed\n")
    assert sw.db.committed.value("chassis", "aggregated-devices", "ethernet",
                                 "device-count") is None


@pytest.mark.parametrize(("hardware", "bad", "good"), [
    ("EX4300-48T", "port-mode", "interface-mode"),
    ("EX3300-48T", "interface-mode", "port-mode"),
])
def test_vlan_syntax_by_model(hardware: str, bad: str, good: str) -> None:
    sw, _, _ = make(hardware)
    cli = sw.open_cli("lab")
    cli.handle("configure")
    cli.handle(f"set interfaces ae0 unit 0 family ethernet-switching {bad} trunk")
    cli.handle("set chassis aggregated-devices ethernet device-count 1")
    out = cli.handle("commit check").output
    assert f"'{bad}'" in out and "check-out failed" in out
    cli.handle(f"delete interfaces ae0 unit 0 family ethernet-switching {bad}")
    cli.handle(f"set interfaces ae0 unit 0 family ethernet-switching {good} trunk")
    assert cli.handle("commit check").output == "configuration check succeeds\n"


def test_rollback_compare_and_delete() -> None:
    sw, _, _ = make()
    cli = sw.open_cli("lab")
    cli.handle("configure")
    run(cli, "set chassis aggregated-devices ethernet device-count 1",
        "set interfaces ae0 mtu 9216")
    assert cli.handle("show | compare").output == (
        "[edit]\n+  chassis {\n+      aggregated-devices {\n+          ethernet {\n"
        "+              device-count 1;\n+          }\n+      }\n+  }\n"
        "+  interfaces {\n+      ae0 {\n+          mtu 9216;\n+      }\n+  }\n")
    cli.handle("commit")
    cli.handle("set interfaces ae0 mtu 1514")
    assert cli.handle("show | compare").output == (
        "[edit interfaces ae0]\n-   mtu 9216;\n+   mtu 1514;\n")
    assert cli.handle("rollback 0").output == "load complete\n"
    assert cli.handle("show | compare").output == ""
    assert cli.handle("delete interfaces ae0").output == ""
    assert cli.handle("delete interfaces ae0").output == "warning: statement not found\n"
    cli.handle("commit")
    assert sw.db.committed.get("interfaces", "ae0", "mtu") is None
    assert cli.handle("rollback 1").output == "load complete\n"
    cli.handle("commit")
    assert sw.db.committed.value("interfaces", "ae0", "mtu") == "9216"
    assert cli.handle("rollback 99").output.startswith("error:")


def test_commit_confirmed_rolls_back_unless_confirmed() -> None:
    sw, _, timer = make()
    cli = sw.open_cli("lab")
    cli.handle("configure")
    cli.handle("set chassis aggregated-devices ethernet device-count 1")
    cli.handle("commit")
    cli.handle("set interfaces ae0 mtu 9216")
    assert cli.handle("commit confirmed 5").output == (
        "commit confirmed will be automatically rolled back in 5 minutes unless confirmed\n"
        "commit complete\n")
    assert timer.pending[0][0] == 5 * 60
    assert "# commit confirmed will be rolled back in 5 minutes\n[edit]" in cli.prompt()
    timer.fire()
    assert sw.db.committed.get("interfaces", "ae0", "mtu") is None
    # confirmed by a second commit: the timer is cancelled and the change stays
    cli.handle("set interfaces ae0 mtu 9216")
    cli.handle("commit confirmed 1")
    assert cli.handle("commit").output == "commit complete\n"
    assert timer.cancelled == 1 and not timer.pending
    assert sw.db.committed.value("interfaces", "ae0", "mtu") == "9216"


def test_exit_with_uncommitted_changes_and_and_quit() -> None:
    sw, _, _ = make()
    cli = sw.open_cli("lab")
    cli.handle("configure")
    cli.handle("set chassis aggregated-devices ethernet device-count 1")
    assert cli.handle("exit configuration-mode").output == (
        "The configuration has been changed but not committed\n")
    assert cli.prompt() == "Exit with uncommitted changes? [yes,no] (yes) "
    assert cli.handle("yes").output == "Exiting configuration mode\n"
    assert cli.prompt() == "lab@ex4300-1> "
    cli.handle("configure")  # the shared candidate survives the exit
    assert cli.handle("commit and-quit").output == "commit complete\nExiting configuration mode\n"
    assert cli.prompt() == "lab@ex4300-1> "


def test_configure_exclusive_lock_and_fault() -> None:
    sw, fabric, _ = make()
    first, second = sw.open_cli("lab"), sw.open_cli("ops")
    assert "Entering configuration mode" in first.handle("configure exclusive").output
    out = second.handle("configure exclusive").output
    assert out.startswith("error: configuration database locked by:\n  lab terminal")
    assert second.prompt() == "ops@ex4300-1> "
    first.handle("exit")
    assert "Entering configuration mode" in second.handle("configure").output
    second.handle("exit")
    fabric.fault.config_locked_by = "admin"
    assert second.handle("configure").output.startswith(
        "error: configuration database locked by:\n  admin terminal")


def _bundle(port: int, state: int = 0x3F) -> LinkOutcome:
    return LinkOutcome(MemberStatus.BUNDLED, state, port, 1,
                       LacpPeerInfo("aa:bb:cc:80:05:00", 32768, port, 32768, 1, 0x3D))


def test_show_lacp_and_interfaces_reflect_outcomes() -> None:
    sw, fabric, _ = make()
    cli = sw.open_cli("lab")
    cli.handle("configure")
    run(cli, *LAG)
    cli.handle("commit and-quit")
    fabric.outcomes = {"ge-0/0/10": _bundle(1),
                       "ge-0/0/11": LinkOutcome(MemberStatus.WAITING, 0x47, 2, 1, None)}
    out = cli.handle("show lacp interfaces ae0").output
    assert out.splitlines()[2] == (
        "      ge-0/0/10      Actor    No    No   Yes  Yes  Yes   Yes     Fast    Active")
    assert "      ge-0/0/11" + " " * 15 + "Defaulted   Fast periodic" + " " * 11 + "Attached" in out
    ext = cli.handle("show interfaces ae0 extensive").output
    assert "  Link-level type: Ethernet, MTU: 9216, Speed: 1Gbps, BPDU Error: None" in ext
    assert "  Minimum links needed: 1, Minimum bandwidth needed: 1bps" in ext
    assert ext.startswith("Physical interface: ae0, Enabled, Physical link is Up\n")
    fabric.fault.down_ports = {"ge-0/0/10"}
    assert "Physical link is Down" in cli.handle("show interfaces ae0 extensive").output
    assert cli.handle("show interfaces ae7 extensive").output == "error: device ae7 not found\n"


def test_static_ae_means_lacp_not_running() -> None:
    sw, _, _ = make()
    cli = sw.open_cli("lab")
    cli.handle("configure")
    run(cli, "set chassis aggregated-devices ethernet device-count 1",
        "set interfaces ge-0/0/1 ether-options 802.3ad ae0")
    cli.handle("commit and-quit")
    assert sw.port_facts()["ge-0/0/1"].mode is LagMode.ON
    assert cli.handle("show lacp interfaces").output == (
        "warning: lacp subsystem not running - not needed by configuration.\n")


def test_drop_after_config_lines_closes_the_session() -> None:
    sw, fabric, _ = make()
    fabric.fault.drop_after_config_lines = 2
    cli = sw.open_cli("lab")
    cli.handle("configure")
    assert not cli.handle("set interfaces ae0 mtu 9216").close
    assert cli.handle("set interfaces ae0 description x").close


def test_interfaces_extensive_lines_match_the_real_capture() -> None:
    path = FIXTURES / "show_interfaces_ae0_extensive" / "1.txt"
    if not path.exists():
        pytest.skip(f"shared fixtures absent: {path}")
    real = path.read_text().splitlines()
    sw, fabric, _ = make()
    cli = sw.open_cli("lab")
    cli.handle("configure")
    run(cli, "set chassis aggregated-devices ethernet device-count 1",
        "set interfaces ge-0/0/0 ether-options 802.3ad ae0",
        "set interfaces ae0 aggregated-ether-options lacp active",
        "set interfaces ae0 unit 0 family ethernet-switching interface-mode access")
    cli.handle("commit and-quit")
    fabric.outcomes = {"ge-0/0/0": _bundle(1)}
    ours = cli.handle("show interfaces ae0 extensive").output.splitlines()
    for line in (real[0], real[2], real[3], real[4], real[5],  # 1 Gbps member, MTU 1514
                 "    LACP info:        Role     System             System       Port     Port"
                 "    Port ",
                 "    List-Type       Status", "    Primary         Active"):
        assert line in ours
    assert any(ln.startswith("      ge-0/0/0.0     Actor        127  2c:6b:f5:") for ln in ours)


def test_display_json_is_junos_shaped() -> None:
    import json

    sw, fabric, _ = make()
    cli = sw.open_cli("lab")
    cli.handle("configure")
    run(cli, *LAG)
    cli.handle("commit and-quit")
    fabric.outcomes = {"ge-0/0/10": _bundle(1), "ge-0/0/11": _bundle(2)}
    lacp = json.loads(cli.handle("show lacp interfaces | display json").output)
    info = lacp["lacp-interface-information-list"][0]["lacp-interface-information"][0]
    assert info["lag-lacp-header"][0]["aggregate-name"] == [{"data": "ae0"}]
    assert [s["lacp-role"][0]["data"] for s in info["lag-lacp-state"]] == [
        "Actor", "Partner", "Actor", "Partner"]
    assert info["lag-lacp-protocol"][1]["lacp-mux-state"] == [{"data": "Collecting distributing"}]
    iface = json.loads(cli.handle("show interfaces ae0 extensive | display json").output)
    phys = iface["interface-information"][0]["physical-interface"][0]
    assert phys["mtu"] == [{"data": "9216"}] and phys["speed"] == [{"data": "2Gbps"}]
    assert phys["oper-status"] == [{"data": "up"}]
