"""The simulated Junos EX on the wire: unmodified Netmiko `juniper_junos` and NAPALM `junos`."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from lagprov.knowledge.platforms.hardware import HARDWARE
from lagprov.lab.base import Faults, LacpPeerInfo, LinkOutcome
from lagprov.lab.junos.switch import JunosSwitch, serve
from lagprov.lab.runtime import LabLoop
from lagprov.model.state import MemberStatus

netmiko = pytest.importorskip("netmiko")
napalm = pytest.importorskip("napalm")

ADDRESS = "127.0.43.1"
USERS = {"lab": "lab-password"}
FIXTURES = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "juniper_junos"


class FakeFabric:
    def __init__(self) -> None:
        self.outcomes: dict[str, LinkOutcome] = {}
        self.fault = Faults()

    def link_outcomes(self, device: str) -> dict[str, LinkOutcome]:
        return dict(self.outcomes)

    def faults(self, device: str) -> Faults:
        return self.fault


@dataclass(frozen=True)
class Ports:
    ssh: int
    netconf: int | None


@dataclass
class Lab:
    switch: JunosSwitch
    fabric: FakeFabric
    ssh: int
    netconf: int


@contextmanager
def serving(switch: JunosSwitch, address: str, fabric: FakeFabric, name: str) -> Iterator[Lab]:
    """``switch`` served on ``address`` (SSH and NETCONF on free ports) by a lab loop of its
    own; skips where the address cannot be bound."""
    loop = LabLoop(name)
    loop.start()
    try:
        handles = loop.run(serve(switch, address, Ports(0, 0), USERS))
    except OSError as exc:  # pragma: no cover - environment without that 127.x address
        loop.stop()
        pytest.skip(f"cannot bind {address}: {exc}")
    ssh, netconf = (h.get_port() for h in handles)  # type: ignore[attr-defined]
    try:
        yield Lab(switch, fabric, ssh, netconf)
    finally:
        loop.close(handles)  # on the loop's own thread (Server.close is not thread-safe)
        switch.close()
        loop.stop()


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    fabric = FakeFabric()
    switch = JunosSwitch("ex4300-1", HARDWARE["EX4300-48T"], fabric)
    switch.db.minute_seconds = 0.2
    with serving(switch, ADDRESS, fabric, "junos-wire-test") as served:
        yield served


def _netmiko(lab: Lab):  # type: ignore[no-untyped-def]
    return netmiko.ConnectHandler(device_type="juniper_junos", host=ADDRESS, port=lab.ssh,
                                  username="lab", password="lab-password", fast_cli=True)


def _napalm(lab: Lab):  # type: ignore[no-untyped-def]
    driver = napalm.get_network_driver("junos")
    return driver(ADDRESS, "lab", "lab-password", timeout=20,
                  optional_args={"port": lab.netconf})


LAG = [
    "set chassis aggregated-devices ethernet device-count 2",
    "set interfaces ge-0/0/0 ether-options 802.3ad ae0",
    "set interfaces ge-0/0/1 ether-options 802.3ad ae0",
    "set interfaces ae0 aggregated-ether-options lacp active",
    "set interfaces ae0 unit 0 family ethernet-switching interface-mode trunk",
]


def test_netmiko_config_commit_show_and_rollback(lab: Lab) -> None:
    with _netmiko(lab) as conn:
        assert conn.base_prompt == "lab@ex4300-1"
        conn.send_config_set(LAG)
        assert lab.switch.db.committed.get("interfaces", "ae0") is None
        out = conn.commit(and_quit=True)
        assert "commit complete" in out
        assert lab.switch.port_facts()["ge-0/0/1"].channel == 0
        lab.fabric.outcomes = {
            p: LinkOutcome(MemberStatus.BUNDLED, 0x3D, i + 1, 1,
                           LacpPeerInfo("00:1b:21:aa:bb:cc", 65535, i + 1, 255, 15, 0x3D))
            for i, p in enumerate(("ge-0/0/0", "ge-0/0/1"))}
        parsed = conn.send_command("show lacp interfaces", use_textfsm=True)
        assert parsed == [{"bundle_name": "ae0", "member_interface": ["ge-0/0/0", "ge-0/0/1"],
                           "receive_state": ["Current", "Current"],
                           "transmit_state": ["Slow periodic", "Slow periodic"],
                           "mux_state": ["Collecting distributing"] * 2}]
        text = conn.send_command("show configuration | display set")
        assert all(line in text.splitlines() for line in LAG)
        conn.send_config_set(["set interfaces ae0 mtu 9216"])
        assert "configuration check succeeds" in conn.commit(check=True)
        out = conn.commit(confirm=True, confirm_delay=1)
        assert "commit confirmed will be automatically rolled back in 1 minutes" in out
        conn.exit_config_mode()
        assert lab.switch.db.committed.value("interfaces", "ae0", "mtu") == "9216"
        deadline = time.monotonic() + 5
        while lab.switch.db.committed.get("interfaces", "ae0", "mtu") is not None:
            assert time.monotonic() < deadline, "commit confirmed was not rolled back"
            time.sleep(0.05)
        conn.config_mode()
        conn.send_command("rollback 1", expect_string=r"#\s*$")
        conn.commit(and_quit=True)
        assert lab.switch.db.committed.value("interfaces", "ae0", "mtu") == "9216"


def test_fixture_parses_like_the_simulated_output() -> None:
    """The ntc template yields the fixture's documented structure (sanity of the parser)."""
    raw = FIXTURES / "show_lacp_interfaces" / "1.txt"
    if not raw.exists():
        pytest.skip(f"shared fixtures absent: {raw}")
    from ntc_templates.parse import parse_output

    parsed = parse_output(platform="juniper_junos", command="show lacp interfaces",
                          data=raw.read_text())
    assert parsed[0]["member_interface"] == ["xe-0/0/0:0"]
    assert set(parsed[0]) == {"bundle_name", "member_interface", "receive_state",
                              "transmit_state", "mux_state"}


def test_napalm_merge_compare_commit_discard_rollback(lab: Lab) -> None:
    dev = _napalm(lab)
    dev.open()
    try:
        facts = dev.get_facts()
        assert facts["hostname"] == "ex4300-1"
        assert facts["model"] == "EX4300-48T"
        assert "ge-0/0/0" in facts["interface_list"]
        assert dev.get_interfaces()["ge-0/0/5"]["is_enabled"] is True
        # The test's own starting point, as the Netmiko test above leaves it: ae0 of two ae devices.
        dev.load_merge_candidate(config="\n".join(LAG) + "\n")
        if dev.compare_config():
            dev.commit_config()
        else:
            dev.discard_config()
        dev.load_merge_candidate(config="set chassis aggregated-devices ethernet device-count 3\n"
                                        "set interfaces ae1 description napalm\n")
        assert dev.compare_config() == (
            "[edit chassis aggregated-devices ethernet]\n-   device-count 2;\n"
            "+   device-count 3;\n[edit interfaces]\n+   ae1 {\n+       description napalm;\n"
            "+   }")
        dev.commit_config()
        assert lab.switch.db.committed.value("interfaces", "ae1", "description") == "napalm"
        assert dev.compare_config() == ""
        dev.load_merge_candidate(config="set interfaces ae1 mtu 9216")
        dev.discard_config()
        assert lab.switch.db.candidate.get("interfaces", "ae1", "mtu") is None
        dev.rollback()
        assert lab.switch.db.committed.get("interfaces", "ae1") is None
        running = dev.get_config(retrieve="running")["running"]
        assert "device-count 2;" in running
        assert "set interfaces ae1 description napalm" in lab.switch.command_log
    finally:
        dev.close()


def test_napalm_load_fails_while_another_user_holds_the_lock(lab: Lab) -> None:
    lab.fabric.fault.config_locked_by = "admin"
    dev = _napalm(lab)
    dev.open()
    try:
        with pytest.raises(Exception, match="locked"):
            dev.load_merge_candidate(config="set interfaces ae1 description x")
    finally:
        lab.fabric.fault.config_locked_by = None
        dev.close()
    assert lab.switch.db.candidate.get("interfaces", "ae1", "description") is None
