"""Junos ``display set``: independent ports and member MTUs, through to the MTU rules."""

from __future__ import annotations

from lagprov.model.intent import Access
from lagprov.model.state import DeviceLagState, PortState
from lagprov.model.types import Platform
from lagprov.observe.parsers import parse_command
from lagprov.verify import DEFAULT_RULES, Status, verify_trunk
from tests.verify.scenarios import World

CMD = "show configuration | display set"
RULES = {r.id: r for r in DEFAULT_RULES}

EX3300 = """\
set system host-name ex3300-1
set interfaces ge-0/0/5 description win-iscsi01-path-b
set interfaces ge-0/0/5 mtu 9216
set interfaces ge-0/0/5 unit 0 family ethernet-switching port-mode access
set interfaces ge-0/0/5 unit 0 family ethernet-switching vlan members 101
set interfaces ge-0/0/6 unit 0 family ethernet-switching port-mode access
set interfaces ge-0/0/10 ether-options 802.3ad ae1
set interfaces ae1 mtu 9216
set interfaces vlan unit 0 family inet address 10.0.0.1/24
set interfaces me0 unit 0 family inet address 192.0.2.1/24
"""

EX4300 = """\
set interfaces ge-0/0/10 ether-options 802.3ad ae1
set interfaces ge-0/0/11 ether-options 802.3ad ae1
{own}set interfaces ae1 mtu 9216
set interfaces ae1 unit 0 family ethernet-switching interface-mode access
set interfaces ae1 unit 0 family ethernet-switching vlan members 20
"""


def _parse(raw: str, device: str) -> DeviceLagState:
    return parse_command(Platform.JUNIPER_JUNOS, CMD, raw, device=device)


def test_independent_port_mtu_from_its_mtu_statement() -> None:
    state = _parse(EX3300, "ex3300-1")
    assert state.port("ge-0/0/5") == PortState(
        name="ge-0/0/5", mtu_ip=9202, description="win-iscsi01-path-b", l2=Access(vlan=101)
    )


def test_port_without_mtu_statement_keeps_mtu_unknown() -> None:
    port = _parse(EX3300, "ex3300-1").port("ge-0/0/6")
    assert port is not None and port.mtu_ip is None


def test_members_and_logical_interfaces_are_not_ports() -> None:
    state = _parse(EX3300, "ex3300-1")
    assert [p.name for p in state.ports] == ["ge-0/0/5", "ge-0/0/6"]


def _mpio_with(raw: str) -> Status:
    w = World()
    w.switches["ex3300-1"] = _parse(raw, "ex3300-1")
    findings = verify_trunk(
        w.trunk("win-iscsi01-mpio"), w.switches, None, rules=(RULES["independent-ports"],)
    )
    (f,) = [f for f in findings if f.device == "ex3300-1"]
    return f.status


def test_independent_ports_rule_reads_the_configured_mtu() -> None:
    assert _mpio_with(EX3300) is Status.PASS
    lowered = EX3300.replace("ge-0/0/5 mtu 9216", "ge-0/0/5 mtu 1514")
    assert _mpio_with(lowered) is Status.FAIL


def _member_mtu(own: str) -> list[tuple[Status, str | None]]:
    w = World()
    w.switches["ex4300-1"] = _parse(EX4300.format(own=own), "ex4300-1")
    t = w.trunk("lnx02-bond0")
    findings = verify_trunk(t, w.switches, w.hosts["lnx02"], rules=(RULES["member-mtu"],))
    return [(f.status, f.subject) for f in findings]


def test_junos_members_without_mtu_pass_at_the_ae_mtu() -> None:
    state = _parse(EX4300.format(own=""), "ex4300-1")
    lag = state.lag(1)
    assert lag is not None and lag.mtu_ip == 9202
    assert [m.mtu_ip for m in lag.members] == [None, None]  # no statement of their own
    assert _member_mtu("") == [(Status.PASS, "ae1")]


def test_junos_member_with_its_own_mtu_is_detected() -> None:
    own = "set interfaces ge-0/0/11 mtu 1514\n"
    assert _member_mtu(own) == [(Status.FAIL, "ge-0/0/11")]
