"""Junos EX plans (issue 8 items 1 and 5): device-count never lowered and said so; a
factory-default port made an ae member loses its whole ``unit 0``."""

from __future__ import annotations

from lagprov.provision.diff import plan_junos
from lagprov.provision.planning import plan_device
from tests.render.cases import inventory, trunk

V = "juniper_junos"
FACTORY = "set interfaces {} unit 0 family ethernet-switching"


def test_plan_keeps_a_larger_device_count_and_says_so() -> None:
    inv = inventory(V, trunk(V, "lacp-active"))  # needs device-count 11
    running = "set chassis aggregated-devices ethernet device-count 20\n"
    plan = plan_device(inv, "sw-junos", running)
    assert not any("device-count" in line for line in plan.remediation)
    assert any("device-count 20" in note for note in plan.notes), plan.notes


def test_a_factory_default_member_loses_its_whole_unit_0() -> None:
    running = "\n".join([
        "set chassis aggregated-devices ethernet device-count 20",
        FACTORY.format("ge-0/0/10"), FACTORY.format("ge-0/0/11"),
        "set interfaces ge-0/0/11 unit 0 family ethernet-switching vlan members 20",
    ])
    plan = plan_device(inventory(V, trunk(V, "lacp-active")), "sw-junos", running)
    for port in ("ge-0/0/10", "ge-0/0/11"):
        assert f"delete interfaces {port} unit 0" in plan.remediation
        assert not any(line.startswith(f"delete interfaces {port} unit 0 ")
                       for line in plan.remediation), plan.remediation
    assert FACTORY.format("ge-0/0/11") in plan.rollback


def test_plan_junos_deletes_a_member_unit_whole_without_a_delete_in_the_candidate() -> None:
    running = "set interfaces ge-0/0/10 unit 0 family ethernet-switching interface-mode access"
    candidate = ["set interfaces ge-0/0/10 ether-options 802.3ad ae1"]
    remediation, _ = plan_junos(running, candidate, ["interfaces ge-0/0/10"])
    assert remediation[0] == "delete interfaces ge-0/0/10 unit 0"


def test_an_independent_port_keeps_its_family_and_gains_the_vlans() -> None:
    t = trunk(V, "independent", stp_edge=False)
    running = "\n".join([FACTORY.format("ge-0/0/10"), FACTORY.format("ge-0/0/11")])
    plan = plan_device(inventory(V, t), "sw-junos", running)
    assert not any(line.startswith("delete") for line in plan.remediation), plan.remediation
    assert ("set interfaces ge-0/0/10 unit 0 family ethernet-switching vlan members 100"
            in plan.remediation)
