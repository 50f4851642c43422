"""member-mtu per platform: Junos members run at the ae's MTU; elsewhere they must report it."""

from __future__ import annotations

from lagprov.knowledge.platforms import PLATFORMS
from lagprov.model.types import Platform
from lagprov.verify import DEFAULT_RULES, Finding, Status, verify_trunk
from tests.verify.scenarios import World, edit_lag, edit_member

RULE = next(r for r in DEFAULT_RULES if r.id == "member-mtu")
EX4300, LNX02 = "ex4300-1", "lnx02-bond0"
EOS, LNX01 = "eos7120-1", "lnx01-bond0"


def _run(w: World, trunk: str) -> list[Finding]:
    t = w.trunk(trunk)
    host = w.hosts.get(t.host.device) if t.host else None
    return verify_trunk(t, w.switches, host, rules=(RULE,))


def _junos_ae1(mtu_ip: int | None, m10: int | None, m11: int | None) -> World:
    w = World()
    edit_lag(w.switches, EX4300, 1, mtu_ip=mtu_ip)
    edit_member(w.switches, EX4300, 1, "ge-0/0/10", mtu_ip=m10)
    edit_member(w.switches, EX4300, 1, "ge-0/0/11", mtu_ip=m11)
    return w


def test_only_junos_runs_members_at_the_bundle_mtu() -> None:
    inherit = {p for p, spec in PLATFORMS.items() if spec.members_take_lag_mtu}
    assert inherit == {Platform.JUNIPER_JUNOS}


def test_junos_members_without_own_mtu_take_the_ae_mtu() -> None:
    (f,) = _run(_junos_ae1(9202, None, None), LNX02)
    assert (f.status, f.subject, f.actual) == (Status.PASS, "ae1", "9202")
    assert "ge-0/0/10, ge-0/0/11" in f.message


def test_junos_member_with_own_different_mtu_fails() -> None:
    findings = _run(_junos_ae1(9202, 1500, None), LNX02)
    assert [(f.status, f.subject, f.expected, f.actual) for f in findings] == [
        (Status.FAIL, "ge-0/0/10", "9202", "1500")
    ]
    assert "disagrees with ae1" in findings[0].message


def test_junos_member_with_own_equal_mtu_passes() -> None:
    (f,) = _run(_junos_ae1(9202, 9202, None), LNX02)
    assert f.status is Status.PASS


def test_junos_members_unknown_without_ae_mtu() -> None:
    (f,) = _run(_junos_ae1(None, None, None), LNX02)
    assert f.status is Status.UNVERIFIABLE


def test_eos_members_without_reported_mtu_stay_unverifiable() -> None:
    w = World()
    edit_member(w.switches, EOS, 10, "Ethernet1", mtu_ip=None)
    edit_member(w.switches, EOS, 10, "Ethernet2", mtu_ip=None)
    lag = w.switches[EOS].lag(10)
    assert lag is not None and lag.mtu_ip is not None
    (f,) = _run(w, LNX01)
    assert f.status is Status.UNVERIFIABLE


def test_eos_member_mtu_mismatch_is_a_drop_fault() -> None:
    w = World()
    edit_member(w.switches, EOS, 10, "Ethernet1", mtu_ip=1500)
    (f,) = _run(w, LNX01)
    assert (f.status, f.subject) == (Status.FAIL, "Ethernet1")
    assert "dropped on this link" in f.message
