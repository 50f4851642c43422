"""Table-driven, per rule: a passing, a failing and an unverifiable case (rule run alone)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lagprov.model.intent import Access
from lagprov.model.state import LacpPort, LagProtocol, LagState, MemberStatus
from lagprov.model.types import Bundling, SwitchMode
from lagprov.verify import DEFAULT_RULES, EXPLAINS, Status, verify_trunk
from tests.verify.mlag_world import (
    FULL,
    SYS_ID,
    mlag,
    show_mlag,
    show_mlag_interfaces,
)
from tests.verify.mlag_world import TRUNK as MLAG
from tests.verify.scenarios import (
    EX,
    HV01,
    SLOW,
    ZERO,
    World,
    edit_host,
    edit_lag,
    edit_member,
    edit_nic,
)

CAT, GI1, GI2 = "cat9300-1", "GigabitEthernet1/0/1", "GigabitEthernet1/0/2"
HV, LNX, MPIO, ESX, CORE = (
    "hv01-team",
    "lnx01-bond0",
    "win-iscsi01-mpio",
    "esx02-lag1",
    ("core-cat9300-ex4300"),
)
RULES = {r.id: r for r in DEFAULT_RULES}

Edit = Callable[[World], object]


def nothing(w: World) -> None:
    return None


def drop_switch(name: str) -> Edit:
    return lambda w: w.switches.pop(name)


def drop_host(name: str) -> Edit:
    return lambda w: w.hosts.pop(name)


def lag(device: str, channel: int, **changes: object) -> Edit:
    return lambda w: edit_lag(w.switches, device, channel, **changes)


def mem(device: str, channel: int, name: str, **changes: object) -> Edit:
    return lambda w: edit_member(w.switches, device, channel, name, **changes)


def declare(trunk: str, sys_id: str) -> Edit:
    """The trunk's host end declares its LACP system id (trunks.yaml host.lacp_system_id)."""
    def edit(w: World) -> None:
        t = w.trunk(trunk)
        assert t.host is not None
        w.replace_trunk(t.model_copy(
            update={"host": t.host.model_copy(update={"lacp_system_id": sys_id})}))
    return edit


def host(device: str, **changes: object) -> Edit:
    return lambda w: edit_host(w.hosts, device, **changes)


def hnic(device: str, name: str, **changes: object) -> Edit:
    return lambda w: edit_nic(w.hosts, device, name, **changes)


def both(*edits: Edit) -> Edit:
    def run(w: World) -> None:
        for e in edits:
            e(w)

    return run


def absent(trunk: str) -> Edit:
    return lambda w: w.replace_trunk(w.trunk(trunk).model_copy(update={"state": "absent"}))


def no_actor_rate(device: str, channel: int, names: tuple[str, ...]) -> Edit:
    def run(w: World) -> None:
        for n in names:
            lg = w.switches[device].lag(channel)
            assert lg is not None
            m = lg.member(n)
            assert m is not None and m.actor is not None
            edit_member(
                w.switches, device, channel, n, actor=m.actor.model_copy(update={"rate": None})
            )

    return run


def sse_lag_on_path(w: World) -> None:
    dev = w.switches["sse-x24s-1"]
    po = LagState(
        channel=5,
        name="Po5",
        protocol=LagProtocol.LACP,
        members=(w.switches["eos7120-1"].lags[0].members[0].model_copy(update={"name": "Ex 0/5"}),),
    )
    w.switches["sse-x24s-1"] = dev.model_copy(update={"lags": (po,)})


def lnx_static_ae(w: World) -> None:
    edit_lag(w.switches, "eos7120-1", 10, mode=None, protocol=LagProtocol.LACP)


def _partner(sys_id: str, port: int) -> LacpPort:
    return LacpPort(system_id=sys_id, port=port)


def edit_lag_remove(w: World, device: str, channel: int) -> None:
    dev = w.switches[device]
    w.switches[device] = dev.model_copy(
        update={"lags": tuple(lg for lg in dev.lags if lg.channel != channel)}
    )


# rule, trunk, edit, expected status, subject that must carry it (None: any finding)
CASES: list[tuple[str, str, Edit, Status, str | None]] = [
    ("lag-present", HV, nothing, Status.PASS, "Po10"),
    ("lag-present", HV, lambda w: edit_lag_remove(w, CAT, 10), Status.FAIL, "Port-channel10"),
    ("lag-present", HV, absent(HV), Status.FAIL, "Po10"),
    ("lag-present", HV, drop_switch(CAT), Status.UNVERIFIABLE, None),
    ("lag-members", HV, nothing, Status.PASS, "Po10"),
    ("lag-members", HV, lag(CAT, 10, members=()), Status.FAIL, GI1),
    ("lag-members", HV, drop_switch(CAT), Status.UNVERIFIABLE, None),
    ("lag-mode", HV, nothing, Status.PASS, "Po10"),
    (
        "lag-mode",
        HV,
        lag(CAT, 10, mode=SwitchMode.STATIC, protocol=LagProtocol.STATIC),
        Status.FAIL,
        "Po10",
    ),
    ("lag-mode", LNX, lnx_static_ae, Status.PASS, "Port-Channel10"),  # mode from actor bits
    ("lag-mode", HV, lag(CAT, 10, mode=None, protocol=None), Status.UNVERIFIABLE, "Po10"),
    ("lag-lacp-rate", HV, nothing, Status.PASS, "Po10"),
    ("lag-lacp-rate", HV, lag(CAT, 10, lacp_rate=SLOW), Status.FAIL, "Po10"),
    (
        "lag-lacp-rate",
        HV,
        both(lag(CAT, 10, lacp_rate=None), no_actor_rate(CAT, 10, (GI1, GI2))),
        Status.UNVERIFIABLE,
        "Po10",
    ),
    ("lag-min-links", HV, nothing, Status.PASS, "Po10"),
    ("lag-min-links", HV, lag(CAT, 10, min_links=2), Status.FAIL, "Po10"),
    ("lag-min-links", HV, lag(CAT, 10, min_links=None), Status.UNVERIFIABLE, "Po10"),
    ("lag-mtu", LNX, nothing, Status.PASS, "Port-Channel10"),
    ("lag-mtu", LNX, lag("eos7120-1", 10, mtu_ip=1500), Status.FAIL, "Port-Channel10"),
    ("lag-mtu", LNX, lag("eos7120-1", 10, mtu_ip=None), Status.UNVERIFIABLE, "Port-Channel10"),
    ("lag-vlans", HV, nothing, Status.PASS, "Po10"),
    ("lag-vlans", HV, lag(CAT, 10, l2=Access(vlan=10)), Status.FAIL, "Po10"),
    ("lag-vlans", HV, lag(CAT, 10, l2=None), Status.UNVERIFIABLE, "Po10"),
    ("independent-ports", MPIO, nothing, Status.PASS, "Ex 0/5"),
    ("independent-ports", MPIO, sse_lag_on_path, Status.FAIL, "Ex 0/5"),
    (
        "independent-ports",
        MPIO,
        lambda w: w.switches.__setitem__(
            "ex3300-1",
            w.switches["ex3300-1"].model_copy(
                update={
                    "ports": (
                        w.switches["ex3300-1"].ports[0].model_copy(update={"l2": Access(vlan=100)}),
                    )
                }
            ),
        ),
        Status.FAIL,
        "ge-0/0/5",
    ),
    (
        "independent-ports",
        MPIO,
        lambda w: w.switches.__setitem__(
            "ex3300-1", w.switches["ex3300-1"].model_copy(update={"ports": ()})
        ),
        Status.UNVERIFIABLE,
        "ge-0/0/5",
    ),
    ("lacp-pairing", HV, nothing, Status.PASS, None),
    ("lacp-pairing", HV, lag(CAT, 10, mode=SwitchMode.STATIC), Status.FAIL, None),
    ("lacp-pairing", HV, both(drop_switch(CAT), drop_host("hv01")), Status.UNVERIFIABLE, None),
    ("member-count", HV, nothing, Status.PASS, None),
    (
        "member-count",
        HV,
        lambda w: edit_host(w.hosts, "hv01", members=w.hosts["hv01"].members[:1]),
        Status.FAIL,
        None,
    ),
    ("member-count", HV, drop_host("hv01"), Status.UNVERIFIABLE, None),
    ("member-bundled", HV, nothing, Status.PASS, GI2),
    ("member-bundled", HV, mem(CAT, 10, GI2, status=MemberStatus.HOT_STANDBY), Status.FAIL, GI2),
    ("member-bundled", HV, mem(CAT, 10, GI2, status=None), Status.UNVERIFIABLE, GI2),
    ("min-links-met", HV, nothing, Status.PASS, "Po10"),
    (
        "min-links-met",
        HV,
        both(lag(CAT, 10, min_links=2), mem(CAT, 10, GI1, status=MemberStatus.DOWN)),
        Status.FAIL,
        "Po10",
    ),
    (
        "min-links-met",
        HV,
        both(lag(CAT, 10, min_links=2), mem(CAT, 10, GI1, status=None)),
        Status.UNVERIFIABLE,
        "Po10",
    ),
    ("partner-identity", HV, nothing, Status.PASS, GI1),
    (
        "partner-identity",
        HV,
        mem(CAT, 10, GI1, partner=_partner(HV01, 2)),
        Status.FAIL,
        GI1,
    ),  # swapped cables: Gi1/0/1 reaches NIC2
    ("partner-identity", HV, mem(CAT, 10, GI1, partner=_partner(ZERO, 0)), Status.FAIL, GI1),
    ("partner-identity", HV, drop_host("hv01"), Status.UNVERIFIABLE, GI1),
    ("partner-identity", HV, mem(CAT, 10, GI1, partner=None), Status.UNVERIFIABLE, GI1),
    # a host that reports nothing: the declared id stands in for it
    ("partner-identity", HV, both(drop_host("hv01"), declare(HV, HV01)), Status.PASS, GI1),
    (
        "partner-identity",
        HV,
        both(drop_host("hv01"), declare(HV, "02:00:00:00:09:09")),
        Status.FAIL,
        GI1,
    ),
    # a reported id beats a declared one: the declaration is stale, the cabling is right
    ("partner-identity", HV, declare(HV, "02:00:00:00:09:09"), Status.PASS, GI1),
    ("partner-identity", CORE, nothing, Status.PASS, "xe-0/2/1"),
    (
        "partner-identity",
        CORE,
        mem("ex4300-1", 0, "xe-0/2/1", partner=_partner(EX, 25)),
        Status.FAIL,
        "xe-0/2/1",
    ),
    ("member-speed", HV, nothing, Status.PASS, None),
    ("member-speed", HV, hnic("hv01", "NIC2", speed_mbps=100), Status.FAIL, None),
    (
        "member-speed",
        HV,
        both(
            drop_host("hv01"),
            mem(CAT, 10, GI1, speed_mbps=None),
            mem(CAT, 10, GI2, speed_mbps=None),
        ),
        Status.UNVERIFIABLE,
        None,
    ),
    ("member-mtu", LNX, nothing, Status.PASS, "Port-Channel10"),
    ("member-mtu", LNX, mem("eos7120-1", 10, "Ethernet1", mtu_ip=9000), Status.FAIL, "Ethernet1"),
    (
        "member-mtu",
        HV,
        both(mem(CAT, 10, GI1, mtu_ip=None), mem(CAT, 10, GI2, mtu_ip=None)),
        Status.UNVERIFIABLE,
        "Po10",
    ),
    ("mtu-path", LNX, nothing, Status.PASS, None),
    (
        "mtu-path",
        LNX,
        both(
            host("lnx01", mtu_ip=1500),
            hnic("lnx01", "ens1f0", mtu_ip=1500),
            hnic("lnx01", "ens1f1", mtu_ip=1500),
        ),
        Status.FAIL,
        None,
    ),
    ("mtu-path", LNX, drop_host("lnx01"), Status.UNVERIFIABLE, None),
    ("mtu-path", CORE, nothing, Status.PASS, None),
    ("mtu-path", CORE, drop_switch("ex4300-1"), Status.UNVERIFIABLE, None),
    (
        "mtu-path",
        CORE,
        both(
            lambda w: w.switches.__setitem__(
                CAT, w.switches[CAT].model_copy(update={"system_mtu_ip": 9198})
            ),
            mem(CAT, 1, "TenGigabitEthernet1/1/1", mtu_ip=9198),
            mem(CAT, 1, "TenGigabitEthernet1/1/2", mtu_ip=9198),
        ),
        Status.FAIL,
        None,
    ),
    ("host-team-mode", LNX, nothing, Status.PASS, "bond0"),
    (
        "host-team-mode",
        LNX,
        host("lnx01", team="balance-rr", bundling=Bundling.STATIC),
        Status.FAIL,
        "bond0",
    ),
    ("host-team-mode", LNX, host("lnx01", team=None, bundling=None), Status.UNVERIFIABLE, "bond0"),
    ("host-team-mode", LNX, drop_host("lnx01"), Status.UNVERIFIABLE, None),
    ("host-members-up", LNX, nothing, Status.PASS, "ens1f1"),
    ("host-members-up", LNX, hnic("lnx01", "ens1f1", link_up=False), Status.FAIL, "ens1f1"),
    (
        "host-members-up",
        LNX,
        lambda w: edit_host(w.hosts, "lnx01", members=w.hosts["lnx01"].members[:1]),
        Status.FAIL,
        "ens1f1",
    ),
    ("host-members-up", LNX, hnic("lnx01", "ens1f1", link_up=None), Status.UNVERIFIABLE, "ens1f1"),
    ("host-aggregator", LNX, nothing, Status.PASS, "bond0"),
    ("host-aggregator", LNX, hnic("lnx01", "ens1f1", aggregator_id=2), Status.FAIL, "bond0"),
    (
        "host-aggregator",
        LNX,
        hnic("lnx01", "ens1f1", aggregator_id=None),
        Status.UNVERIFIABLE,
        None,
    ),
    ("lacp-rate-pair", HV, nothing, Status.PASS, None),
    ("lacp-rate-pair", HV, host("hv01", lacp_rate=SLOW), Status.FAIL, None),
    (
        "lacp-rate-pair",
        HV,
        both(
            host("hv01", lacp_rate=None),
            hnic("hv01", "NIC1", actor=None),
            hnic("hv01", "NIC2", actor=None),
        ),
        Status.UNVERIFIABLE,
        None,
    ),
    ("lacp-rate-pair", CORE, nothing, Status.PASS, None),
    ("mpio-paths", MPIO, nothing, Status.PASS, None),
    (
        "mpio-paths",
        MPIO,
        host("win-iscsi01", team="Lacp", bundling=Bundling.LACP),
        Status.FAIL,
        None,
    ),
    ("mpio-paths", MPIO, sse_lag_on_path, Status.FAIL, None),
    ("mpio-paths", MPIO, drop_host("win-iscsi01"), Status.UNVERIFIABLE, None),
    # Arista MLAG (tests/verify/mlag_world.py): both peers Active, MLAG 10 active-full
    ("mlag-peer", MLAG, mlag(), Status.PASS, None),
    ("mlag-peer", MLAG, mlag(a=(show_mlag("Inactive", "Lowerlayerdown", ZERO),
                               show_mlag_interfaces()),
                            b=(show_mlag("Inactive", "Lowerlayerdown", ZERO),
                               show_mlag_interfaces())), Status.FAIL, None),
    ("mlag-peer", MLAG, mlag(b=(show_mlag(domain="other"), show_mlag_interfaces(FULL))),
     Status.FAIL, None),
    ("mlag-peer", MLAG, both(mlag(), drop_switch("eos-a"), drop_switch("eos-b")),
     Status.UNVERIFIABLE, None),
    ("mlag-interface", MLAG, mlag(), Status.PASS, "Po10"),
    ("mlag-interface", MLAG, mlag(  # MLAG id mismatch: 10 on eos-a, 11 on eos-b
        a=(show_mlag(), show_mlag_interfaces((10, "active-partial", "Po10", "-", "up/down"))),
        b=(show_mlag(), show_mlag_interfaces((11, "active-partial", "Po10", "-", "up/down")))),
     Status.FAIL, "Po10"),
    ("mlag-interface", MLAG, mlag(  # the host cabled to eos-a only
        a=(show_mlag(), show_mlag_interfaces((10, "active-partial", "Po10", "Po10", "up/down"))),
        b=(show_mlag(), show_mlag_interfaces((10, "active-partial", "Po10", "Po10",
                                              "down/up")))), Status.FAIL, "Po10"),
    ("mlag-interface", MLAG, both(mlag(), drop_switch("eos-a"), drop_switch("eos-b")),
     Status.UNVERIFIABLE, None),
    ("mlag-partner", MLAG, mlag(), Status.PASS, "ens1f1"),
    ("mlag-partner", MLAG, mlag(partners=(SYS_ID, "00:1c:73:00:00:0b")), Status.FAIL,
     "ens1f1"),
    ("mlag-partner", MLAG, mlag(a=(show_mlag("Inactive", "Lowerlayerdown", ZERO),
                                  show_mlag_interfaces()),
                               b=(show_mlag("Inactive", "Lowerlayerdown", ZERO),
                                  show_mlag_interfaces())), Status.UNVERIFIABLE, None),
]


@pytest.mark.parametrize(
    ("rule", "trunk", "edit", "status", "subject"),
    CASES,
    ids=[f"{c[0]}-{c[3].value}-{i}" for i, c in enumerate(CASES)],
)
def test_rule(rule: str, trunk: str, edit: Edit, status: Status, subject: str | None) -> None:
    w = World()
    edit(w)
    t = w.trunk(trunk)
    host_state = w.hosts.get(t.host.device) if t.host else None
    findings = verify_trunk(t, w.switches, host_state, rules=(RULES[rule],))
    assert findings, "the rule said nothing"
    assert all(f.rule == rule and f.trunk == trunk for f in findings)
    hits = [f for f in findings if subject is None or f.subject == subject]
    assert hits, [(f.subject, f.status) for f in findings]
    assert {f.status for f in hits} == {status}, [f.message for f in hits]
    if status is Status.PASS:
        assert all(f.status is Status.PASS for f in findings)


def test_every_rule_has_pass_fail_and_unverifiable_cases() -> None:
    covered = {(r, s) for r, _, _, s, _ in CASES}
    rule_outcomes = {Status.PASS, Status.FAIL, Status.UNVERIFIABLE}  # EXPLAINED comes from folding
    for rule in RULES:
        assert {(rule, s) for s in rule_outcomes} <= covered, rule


def test_rule_ids_are_unique_kebab_case() -> None:
    ids = [r.id for r in DEFAULT_RULES]
    assert len(ids) == len(set(ids))
    assert all(i == i.lower() and " " not in i and "_" not in i for i in ids)


def test_explains_is_acyclic_and_names_real_rules() -> None:
    assert set(EXPLAINS) | {x for v in EXPLAINS.values() for x in v} <= set(RULES)
    seen: dict[str, int] = {}

    def depth(rule: str, path: tuple[str, ...]) -> int:
        assert rule not in path, f"cycle {(*path, rule)}"
        if rule not in seen:
            seen[rule] = 1 + max(
                (depth(x, (*path, rule)) for x in EXPLAINS.get(rule, ())), default=0
            )
        return seen[rule]

    for r in RULES:
        depth(r, ())


def test_absent_trunk_only_checks_removal() -> None:
    w = World()
    absent(HV)(w)
    edit_lag_remove(w, CAT, 10)
    findings = verify_trunk(w.trunk(HV), w.switches, w.hosts["hv01"])
    assert [(f.rule, f.status) for f in findings] == [("lag-present", Status.PASS)]


def test_unreachable_switch_is_never_a_failure() -> None:
    w = World()
    w.switches.clear()
    w.hosts.clear()
    findings = [f for t in w.trunks for f in verify_trunk(t, w.switches, None)]
    assert findings
    assert {f.status for f in findings} == {Status.UNVERIFIABLE}


def test_junos_media_mtu_is_compared_as_ip_mtu() -> None:
    w = World()
    t = w.trunk("lnx02-bond0")
    end = t.switch[0].model_copy(update={"mtu": 9216})
    w.replace_trunk(t.model_copy(update={"switch": (end,)}))
    edit_lag(w.switches, "ex4300-1", 1, mtu_ip=9202)  # 9216 - 14 (untagged access port)
    (f,) = verify_trunk(
        w.trunk("lnx02-bond0"), w.switches, w.hosts["lnx02"], rules=(RULES["lag-mtu"],)
    )
    assert f.status is Status.PASS
    edit_lag(w.switches, "ex4300-1", 1, mtu_ip=9216)
    (f,) = verify_trunk(
        w.trunk("lnx02-bond0"), w.switches, w.hosts["lnx02"], rules=(RULES["lag-mtu"],)
    )
    assert f.status is Status.FAIL and (f.expected, f.actual) == ("9202", "9216")
