"""The twelve seeded faults of the Verification issue, as observed states.

Each must be reported by exactly one failing rule, on the right trunk, device and subject,
with nothing else failing anywhere in the fabric (consequences are folded into the root cause).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lagprov.model.state import MemberStatus
from lagprov.model.types import Bundling, Severity
from lagprov.verify import Finding, Status, verify_all
from tests.verify.scenarios import (
    HV02,
    LNX02,
    PASSIVE,
    SLOW,
    ZERO,
    World,
    edit_host,
    edit_lag,
    edit_member,
    edit_nic,
    member,
    nic,
)

CAT, PO10 = "cat9300-1", 10
GI1, GI2 = "GigabitEthernet1/0/1", "GigabitEthernet1/0/2"


def host_lacp_switch_static(w: World) -> None:
    # intent (a design error lint would also flag): switch ae1 static, host 802.3ad
    t = w.trunk("lnx02-bond0")
    assert t.host is not None
    w.replace_trunk(
        t.model_copy(
            update={
                "host": t.host.model_copy(update={"team": "802.3ad", "bundling": Bundling.LACP})
            }
        )
    )
    edit_host(
        w.hosts,
        "lnx02",
        team="802.3ad",
        bundling=Bundling.LACP,
        system_id=LNX02,
        partner_system_id=ZERO,
        members=(nic("eno1", LNX02, 1, ZERO, agg=1), nic("eno2", LNX02, 2, ZERO, agg=2)),
    )


def passive_passive(w: World) -> None:
    for n in ("vmnic2", "vmnic3"):
        nic_state = w.hosts["esx02"].member(n)
        assert nic_state is not None and nic_state.actor is not None
        edit_nic(
            w.hosts,
            "esx02",
            n,
            actor=nic_state.actor.model_copy(update={"activity": PASSIVE}),
            partner=None,
        )
    for port in ("ge-0/0/20", "ge-0/0/21"):
        lag = w.switches["ex4300-1"].lag(2)
        assert lag is not None
        m = lag.member(port)
        assert m is not None and m.partner is not None
        edit_member(
            w.switches,
            "ex4300-1",
            2,
            port,
            status=MemberStatus.WAITING,
            partner=m.partner.model_copy(update={"system_id": ZERO, "port": 0}),
        )


def switch_independent_on_po(w: World) -> None:
    t = w.trunk("hv01-team")
    assert t.host is not None
    w.replace_trunk(
        t.model_copy(
            update={
                "host": t.host.model_copy(
                    update={
                        "team": "SwitchIndependent",
                        "bundling": Bundling.INDEPENDENT,
                        "lacp_rate": None,
                    }
                )
            }
        )
    )
    edit_host(
        w.hosts,
        "hv01",
        team="SwitchIndependent",
        bundling=Bundling.INDEPENDENT,
        lacp_rate=None,
        members=(nic("NIC1", "x", None, None), nic("NIC2", "x", None, None)),
    )
    for port in (GI1, GI2):
        edit_member(
            w.switches, CAT, PO10, port, status=MemberStatus.INDIVIDUAL, flags=("I",), partner=None
        )


def wrong_host_cable(w: World) -> None:
    edit_member(
        w.switches,
        CAT,
        PO10,
        GI2,
        status=MemberStatus.SUSPENDED,
        flags=("s",),
        partner=member(GI2, "x", 1, HV02, 2).partner,
    )


def member_suspended(w: World) -> None:
    edit_member(
        w.switches, "eos7120-1", 10, "Ethernet2", status=MemberStatus.SUSPENDED, flags=("s",)
    )
    edit_nic(w.hosts, "lnx01", "ens1f1", aggregator_id=2)


def min_links_not_met(w: World) -> None:
    t = w.trunk("hv01-team")
    w.replace_trunk(
        t.model_copy(update={"switch": (t.switch[0].model_copy(update={"min_links": 2}),)})
    )
    edit_lag(w.switches, CAT, PO10, min_links=2, oper_up=False)
    edit_member(w.switches, CAT, PO10, GI2, status=MemberStatus.SUSPENDED, flags=("s",))


def member_mtu_1500(w: World) -> None:
    edit_member(w.switches, "eos7120-1", 10, "Ethernet2", mtu_ip=1500)


def host_jumbo_switch_1500(w: World) -> None:
    t = w.trunk("hv01-team")
    assert t.host is not None
    w.replace_trunk(t.model_copy(update={"host": t.host.model_copy(update={"mtu": 9014})}))
    edit_host(w.hosts, "hv01", mtu_ip=9000)
    for n in ("NIC1", "NIC2"):
        edit_nic(w.hosts, "hv01", n, mtu_ip=9000)


def mpio_teamed(w: World) -> None:
    edit_host(w.hosts, "win-iscsi01", team="SwitchIndependent", name="iSCSITeam")


def extra_member(w: World) -> None:
    lag = w.switches[CAT].lag(PO10)
    assert lag is not None
    extra = member(
        "GigabitEthernet1/0/3", "x", 3, None, None, status=MemberStatus.INDIVIDUAL, flags=("I",)
    )
    edit_lag(w.switches, CAT, PO10, members=(*lag.members, extra))


def vlan_removed(w: World) -> None:
    lag = w.switches[CAT].lag(PO10)
    assert lag is not None and lag.l2 is not None
    edit_lag(w.switches, CAT, PO10, l2=lag.l2.model_copy(update={"vlans": (10, 30)}))


def lacp_rate_mismatch(w: World) -> None:
    edit_host(w.hosts, "hv01", lacp_rate=SLOW)


FAULTS: list[tuple[Callable[[World], None], str, str, str | None, str | None]] = [
    # fault, trunk, rule, device, subject
    (host_lacp_switch_static, "lnx02-bond0", "lacp-pairing", "ex4300-1", None),
    (passive_passive, "esx02-lag1", "lacp-pairing", "ex4300-1", None),
    (switch_independent_on_po, "hv01-team", "lacp-pairing", CAT, None),
    (wrong_host_cable, "hv01-team", "partner-identity", CAT, GI2),
    (member_suspended, "lnx01-bond0", "member-bundled", "eos7120-1", "Ethernet2"),
    (min_links_not_met, "hv01-team", "min-links-met", CAT, "Po10"),
    (member_mtu_1500, "lnx01-bond0", "member-mtu", "eos7120-1", "Ethernet2"),
    (host_jumbo_switch_1500, "hv01-team", "mtu-path", None, None),
    (mpio_teamed, "win-iscsi01-mpio", "mpio-paths", None, None),
    (extra_member, "hv01-team", "lag-members", CAT, "GigabitEthernet1/0/3"),
    (vlan_removed, "hv01-team", "lag-vlans", CAT, "Po10"),
    (lacp_rate_mismatch, "hv01-team", "lacp-rate-pair", CAT, None),
]


def run(w: World) -> tuple[Finding, ...]:
    return verify_all(w.trunks, w.switches, w.hosts)


def test_healthy_fabric_has_no_failure() -> None:
    findings = run(World())
    assert [f for f in findings if f.status is Status.FAIL] == []
    assert len({f.trunk for f in findings}) == len(World().trunks)


@pytest.mark.parametrize(
    ("fault", "trunk", "rule", "device", "subject"), FAULTS, ids=[f[0].__name__ for f in FAULTS]
)
def test_seeded_fault_reported_by_exactly_one_rule(
    fault: Callable[[World], None],
    trunk: str,
    rule: str,
    device: str | None,
    subject: str | None,
) -> None:
    w = World()
    fault(w)
    failing = [f for f in run(w) if f.status is Status.FAIL]
    assert [(f.trunk, f.rule, f.device, f.subject) for f in failing] == [
        (trunk, rule, device, subject)
    ], "\n".join(f"{f.rule} {f.device} {f.subject}: {f.message}" for f in failing)


def test_folded_consequences_name_their_cause() -> None:
    w = World()
    switch_independent_on_po(w)
    findings = run(w)
    bundled = [f for f in findings if f.rule == "member-bundled" and f.trunk == "hv01-team"]
    assert len(bundled) == 2
    assert all(f.status is Status.EXPLAINED for f in bundled)
    assert all(f.explained_by == "lacp-pairing" for f in bundled)
    assert all("individual" in f.message for f in bundled)


def test_rate_mismatch_is_only_a_warning() -> None:
    w = World()
    lacp_rate_mismatch(w)
    (f,) = [f for f in run(w) if f.status is Status.FAIL]
    assert f.severity is Severity.WARNING
    assert (f.expected, f.actual) == ("fast", "slow")


def test_jumbo_message_states_binding_constraint_and_raw_numbers() -> None:
    w = World()
    host_jumbo_switch_1500(w)
    (f,) = [f for f in run(w) if f.status is Status.FAIL]
    assert "host hv01 Team1 Jumbo Packet 9014" in f.message
    assert "= IP 9000" in f.message
    assert "cat9300-1" in f.message and "= IP 1500" in f.message
    assert "frames are dropped by the switch" in f.message


def test_wrong_cable_names_the_foreign_system() -> None:
    w = World()
    wrong_host_cable(w)
    (f,) = [f for f in run(w) if f.status is Status.FAIL]
    assert HV02 in f.message and "cabled to another device" in f.message
    assert {e.source for e in f.evidence} == {
        "cat9300-1: show lacp neighbor",
        "hv01: Get-NetLbfoTeam",
    }


def test_folding_keeps_an_unrelated_fault_on_another_cable() -> None:
    w = World()
    wrong_host_cable(w)  # Gi1/0/2
    edit_member(w.switches, CAT, PO10, GI1, status=MemberStatus.HOT_STANDBY, flags=("H",))
    failing = {(f.rule, f.subject) for f in run(w) if f.status is Status.FAIL}
    assert failing == {("partner-identity", GI2), ("member-bundled", GI1)}
