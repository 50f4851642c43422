"""Remediation plans: scoped to the trunk's own sections, idempotent, reversible."""

from __future__ import annotations

from lagprov.model.types import Platform
from lagprov.provision.diff import plan_indented, plan_junos

RUNNING = """hostname cat9300-1
ip scp server enable
system mtu 1500
interface GigabitEthernet1/0/1
 description old
 switchport mode access
 lacp rate fast
interface GigabitEthernet1/0/2
 shutdown
interface GigabitEthernet1/0/3
 description somebody-else
"""
CANDIDATE = [
    "system mtu 9198",
    "interface Port-channel10", " description hv01", " switchport mode trunk",
    "interface GigabitEthernet1/0/1", " description hv01", " switchport mode trunk",
    " channel-group 10 mode active", " no shutdown",
    "interface GigabitEthernet1/0/2", " description hv01", " switchport mode trunk",
    " channel-group 10 mode active", " no shutdown",
]
APPLIED = """hostname cat9300-1
ip scp server enable
system mtu 9198
interface Port-channel10
 description hv01
 switchport mode trunk
interface GigabitEthernet1/0/1
 description hv01
 switchport mode trunk
 channel-group 10 mode active
interface GigabitEthernet1/0/2
 description hv01
 switchport mode trunk
 channel-group 10 mode active
interface GigabitEthernet1/0/3
 description somebody-else
"""


def test_plan_touches_only_owned_sections() -> None:
    remediation, _ = plan_indented(Platform.CISCO_IOS, RUNNING, CANDIDATE)
    text = "\n".join(remediation)
    assert "GigabitEthernet1/0/3" not in text and "hostname" not in text
    assert "ip scp" not in text
    assert remediation[0] == "system mtu 9198"  # replaces the old value, no "no system mtu"
    assert " no lacp rate" in remediation  # a line on an owned port that the intent lacks
    assert " no shutdown" in remediation  # Gi1/0/2 was shut


def test_plan_is_a_noop_once_applied() -> None:
    assert plan_indented(Platform.CISCO_IOS, APPLIED, CANDIDATE) == ((), ())


def test_removal_clears_members_before_deleting_the_bundle() -> None:
    members = ["interface GigabitEthernet1/0/1", "interface GigabitEthernet1/0/2"]
    remediation, rollback = plan_indented(Platform.CISCO_IOS, APPLIED, members,
                                          owned=["interface Port-channel10"])
    assert remediation[-1] == "no interface Port-channel10"
    assert remediation.count(" no channel-group") == 2
    assert "GigabitEthernet1/0/3" not in "\n".join(remediation)
    assert "interface Port-channel10" in rollback


def test_junos_never_lowers_device_count_and_deletes_by_path() -> None:
    running = "\n".join([
        "set chassis aggregated-devices ethernet device-count 8",
        "set interfaces ge-0/0/10 unit 0 family ethernet-switching interface-mode access",
        "set interfaces ge-0/0/11 description old",
        "set interfaces ge-0/0/20 description not-ours",
    ])
    candidate = ["set chassis aggregated-devices ethernet device-count 2",
                 'set interfaces ae1 description "lnx02"',
                 "set interfaces ge-0/0/10 ether-options 802.3ad ae1",
                 "set interfaces ge-0/0/11 ether-options 802.3ad ae1"]
    owned = ["interfaces ae1", "interfaces ge-0/0/10", "interfaces ge-0/0/11"]
    remediation, rollback = plan_junos(running, candidate, owned)
    assert not any("device-count" in s for s in remediation)
    assert "delete interfaces ge-0/0/11 description" in remediation
    # an ae member's unit goes whole (issue 8 item 5), not leaf by leaf
    assert "delete interfaces ge-0/0/10 unit 0" in remediation
    assert not any("ge-0/0/20" in s for s in remediation)
    # display-set spelling: quotes only where needed
    assert remediation.index("delete interfaces ge-0/0/11 description") < remediation.index(
        "set interfaces ae1 description lnx02")
    assert "set interfaces ge-0/0/11 description old" in rollback
    applied = [s for s in running.splitlines() if not s.startswith(
        ("set interfaces ge-0/0/10", "set interfaces ge-0/0/11"))] + candidate[1:]
    assert plan_junos("\n".join(applied), candidate, owned) == ((), ())


def test_restore_after_a_partial_push_undoes_only_what_arrived() -> None:
    from lagprov.provision.diff import plan_restore

    owned = ["interface GigabitEthernet1/0/1", "interface GigabitEthernet1/0/2",
             "interface Port-channel10"]
    remediation, _ = plan_indented(Platform.CISCO_IOS, RUNNING, CANDIDATE, owned)
    # the session dropped after the global line and the first member's description
    now = RUNNING.replace("system mtu 1500", "system mtu 9198").replace(
        " description old", " description hv01")
    undo = plan_restore(Platform.CISCO_IOS, RUNNING, now, owned, remediation)
    assert "system mtu 1500" in undo
    assert " description old" in undo
    assert not any("channel-group" in line for line in undo)  # never sent, so never undone
    assert not any(line.startswith("no interface") for line in undo)
    assert plan_restore(Platform.CISCO_IOS, RUNNING, RUNNING, owned, remediation) == ()
