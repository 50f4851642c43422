"""plan / apply --commit / re-apply / remove, per platform and switch mode, over the lab.

Every case is one trunk end on its own ports and channel (tests/e2e/kit.py), pushed through
the real transports (NAPALM by default; Netmiko for IOS and EOS too) to the simulated switch.
The expected lines are the platform syntax of /work/shared/reference/vendor-cli.md (IOS/EOS/SMIS
``channel-group N mode active|passive|on``; Junos ``ether-options 802.3ad aeN`` and
``aggregated-ether-options lacp active|passive``, none for static).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lagprov.edge.nornir_glue import TransportChoice
from lagprov.model.outcome import OutcomeStatus
from lagprov.runs.provision import ProvisionReport, provision_run
from tests.e2e.conftest import E2eLab
from tests.e2e.kit import (
    Case,
    add_vlans,
    all_cases,
    comparable,
    core_link_yaml,
    inventory_with,
    junos_set,
    log_len,
    log_since,
    section,
)

_IOS_MODE = {"lacp-active": "active", "lacp-passive": "passive", "static": "on"}
_BUNDLE = {"cisco_ios": "interface Port-channel{}", "arista_eos": "interface Port-Channel{}",
           "supermicro_smis": "interface port-channel {}"}
_PORT = {"cisco_ios": "interface GigabitEthernet1/0/{}", "arista_eos": "interface Ethernet{}",
         "supermicro_smis": "interface Ex 0/{}"}


def _only(report: ProvisionReport, device: str) -> OutcomeStatus:
    assert [o.device for o in report.outcomes] == [device]
    o = report.outcomes[0]
    assert o.error is None, f"{o.error_kind}: {o.error}"
    return o.status


def _l2_lines(case: Case) -> set[str]:
    if case.vlans:
        return {"switchport mode trunk",
                "switchport trunk allowed vlan " + ",".join(map(str, case.vlans))}
    # EOS never shows its default ``switchport mode access``; IOS and SMIS do.
    mode = set() if case.platform == "arista_eos" else {"switchport mode access"}
    return mode | {f"switchport access vlan {case.access_vlan}"}


def _assert_indented(case: Case, running: str) -> None:
    numbers = [2 * case.slot + 1, 2 * case.slot + 2]
    mtu = {f"mtu {case.mtu}"} if case.mtu and case.platform != "cisco_ios" else set()
    l2 = _l2_lines(case)
    bundle = section(running, _BUNDLE[case.platform].format(case.channel))
    if case.channel is None:
        assert bundle is None
    else:
        assert bundle is not None, f"no bundle {case.channel} on {case.device}"
        assert l2 | mtu <= set(bundle), bundle
    for n in numbers:
        port = section(running, _PORT[case.platform].format(n))
        assert port is not None
        groups = [line for line in port if line.startswith("channel-group")]
        if case.channel is None:
            assert groups == [] and l2 | mtu <= set(port), port
        else:
            assert groups == [f"channel-group {case.channel} mode {_IOS_MODE[case.mode]}"]
    if case.platform == "cisco_ios" and case.mtu:
        assert f"\nsystem mtu {case.mtu}\n" in running  # Catalyst MTU is global


def _assert_junos(case: Case, running: str) -> None:
    members = case.members
    l2 = ({"unit 0 family ethernet-switching interface-mode trunk"}
          | {f"unit 0 family ethernet-switching vlan members {v}" for v in case.vlans}
          if case.vlans else
          {"unit 0 family ethernet-switching interface-mode access",
           f"unit 0 family ethernet-switching vlan members {case.access_vlan}"})
    mtu = {f"mtu {case.mtu}"} if case.mtu else set()
    if case.channel is None:
        for m in members:
            stmts = set(junos_set(running, f"interfaces {m}"))
            assert l2 | mtu <= stmts and not any("802.3ad" in s for s in stmts), stmts
        return
    ae = set(junos_set(running, f"interfaces ae{case.channel}"))
    assert l2 | mtu <= ae, ae
    lacp = {s for s in ae if s.startswith("aggregated-ether-options lacp")}
    want = {"lacp-active": {"aggregated-ether-options lacp active"},
            "lacp-passive": {"aggregated-ether-options lacp passive"}, "static": set()}
    assert lacp == want[case.mode]
    for m in members:
        assert f"ether-options 802.3ad ae{case.channel}" in junos_set(running, f"interfaces {m}")


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: c.trunk + ("-netmiko" * c.netmiko))
def test_plan_apply_reapply_remove(lab: E2eLab, tmp_path: Path, case: Case) -> None:
    fabric, dev = lab.fabric, case.device
    choice = TransportChoice(netmiko_everywhere=case.netmiko)
    before = fabric.running_config(dev)
    inv = inventory_with(lab.inventory, tmp_path / "inv", [case.trunk_yaml()])

    start = log_len(fabric, dev)
    planned = provision_run(inv, commit=False, choice=choice)
    assert _only(planned, dev) is OutcomeStatus.PLANNED
    plan = planned.outcomes[0].plan
    assert plan is not None and plan.trunks == (case.trunk,)
    heads = [line for line in plan.remediation if not line.startswith(" ")]
    assert any(case.members[0].split()[-1].split("/")[-1] in h for h in heads), heads
    assert log_since(fabric, dev, start) == [], "a plan must send no configuration line"
    assert fabric.running_config(dev) == before

    applied = provision_run(inv, commit=True, choice=choice)
    assert _only(applied, dev) is OutcomeStatus.APPLIED
    running = fabric.running_config(dev)
    if case.platform == "juniper_junos":
        _assert_junos(case, running)
    else:
        _assert_indented(case, running)

    start = log_len(fabric, dev)
    again = provision_run(inv, commit=True, choice=choice)
    assert _only(again, dev) is OutcomeStatus.NOOP
    assert log_since(fabric, dev, start) == [], "a second apply must send nothing"

    gone = inventory_with(lab.inventory, tmp_path / "inv", [case.trunk_yaml(state="absent")])
    removed = provision_run(gone, commit=True, choice=choice)
    assert _only(removed, dev) is OutcomeStatus.APPLIED
    assert comparable(fabric.running_config(dev)) == comparable(before)


def test_switch_to_switch_trunk_is_applied_on_both_ends(lab: E2eLab, tmp_path: Path) -> None:
    core = core_link_yaml()
    # the uplink's VLANs exist on both switches before it is built ('vlans-exist')
    add_vlans(lab.fabric, "cat9300-1", "cisco_ios", core["switch"]["l2"]["vlans"])
    add_vlans(lab.fabric, "ex4300-1", "juniper_junos", core["peer"]["l2"]["vlans"])
    inv = inventory_with(lab.inventory, tmp_path / "inv", [core])
    report = provision_run(inv, commit=True)
    assert {o.device: o.status for o in report.outcomes} == {
        "cat9300-1": OutcomeStatus.APPLIED, "ex4300-1": OutcomeStatus.APPLIED}
    ios = lab.fabric.running_config("cat9300-1")
    po1 = section(ios, "interface Port-channel1")
    assert po1 is not None and {"switchport mode trunk",
                                "switchport trunk allowed vlan 10,20,30,100"} <= set(po1)
    for port in ("TenGigabitEthernet1/1/1", "TenGigabitEthernet1/1/2"):
        member = section(ios, f"interface {port}")
        assert member is not None and "channel-group 1 mode active" in member
    junos = lab.fabric.running_config("ex4300-1")
    ae0 = set(junos_set(junos, "interfaces ae0"))
    assert "aggregated-ether-options lacp passive" in ae0
    assert {f"unit 0 family ethernet-switching vlan members {v}"
            for v in (10, 20, 30, 100)} <= ae0
    for port in ("xe-0/2/0", "xe-0/2/1"):
        assert "ether-options 802.3ad ae0" in junos_set(junos, f"interfaces {port}")
    again = provision_run(inv, commit=True)
    assert {o.status for o in again.outcomes} == {OutcomeStatus.NOOP}
