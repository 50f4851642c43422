"""Issue 8, Arista EOS and Supermicro SMIS: plans an engineer can push in a change window.

* SMIS link aggregation is switch-wide: no plan, rollback or restore ever sends
  ``set port-channel disable`` (removing the last trunk leaves LA enabled).
* EOS members are brought up: a member shut on the device gets ``no shutdown``.
* SMIS negations take the forms of the only public SMIS automation (OpenStack
  networking-generic-switch ``networking_generic_switch/devices/netmiko_devices/smc.py``:
  ``no switchport access vlan N``, ``no switchport mode trunk``).
"""

from __future__ import annotations

from lagprov.model.types import Platform
from lagprov.provision.diff import plan_indented, plan_restore
from lagprov.provision.planning import owned_sections, plan_device
from lagprov.provision.render import render_device
from tests.render.cases import SWITCHES, inventory, trunk

SMIS_BARE = """Building configuration...
!
interface Ex 0/1
 no shutdown
!
interface Ex 0/2
 no shutdown
!
end
"""


def _smis_applied(mode: str) -> str:
    """The running config of an SMIS switch once ``mode``'s case is applied (as typed)."""
    inv = inventory("supermicro_smis", trunk("supermicro_smis", mode))
    lines = render_device(inv, "sw-smis").lines
    return "\n".join(line for line in lines if line.strip() != "exit") + "\n"


def test_smis_rollback_of_the_first_trunk_never_disables_link_aggregation() -> None:
    inv = inventory("supermicro_smis", trunk("supermicro_smis", "static"))
    plan = plan_device(inv, "sw-smis", SMIS_BARE)
    assert "set port-channel enable" in plan.remediation
    assert not any("port-channel disable" in line for line in plan.rollback)
    assert not any("port-channel disable" in line for line in plan.remediation)


def test_smis_restore_after_a_failed_push_leaves_link_aggregation_enabled() -> None:
    t = trunk("supermicro_smis", "static")
    inv = inventory("supermicro_smis", t)
    owned = owned_sections(Platform.SUPERMICRO_SMIS, t.switch[0])
    plan = plan_device(inv, "sw-smis", SMIS_BARE)
    now = "set port-channel enable\n" + SMIS_BARE
    undo = plan_restore(Platform.SUPERMICRO_SMIS, SMIS_BARE, now, owned, plan.remediation)
    assert not any("port-channel disable" in line for line in undo)


def test_smis_removing_the_last_trunk_leaves_link_aggregation_enabled() -> None:
    running = _smis_applied("static")
    assert running.startswith("set port-channel enable")
    inv = inventory("supermicro_smis", trunk("supermicro_smis", "static", state="absent"))
    plan = plan_device(inv, "sw-smis", running)
    assert "no interface port-channel 12" in plan.remediation
    assert not any("port-channel disable" in line for line in plan.remediation)
    assert not any("port-channel" in line and line.startswith("set ") for line in plan.rollback
                   if "enable" not in line)


def test_smis_render_of_a_removal_says_link_aggregation_is_left_enabled() -> None:
    inv = inventory("supermicro_smis", trunk("supermicro_smis", "static", state="absent"))
    cfg = render_device(inv, "sw-smis")
    assert not any("port-channel disable" in line for line in cfg.lines)
    assert any("link aggregation" in n and "enabled" in n and "left" in n for n in cfg.notes)


def test_smis_render_of_a_creation_says_the_global_line_only_enables() -> None:
    inv = inventory("supermicro_smis", trunk("supermicro_smis", "static"))
    cfg = render_device(inv, "sw-smis")
    assert cfg.lines[0] == "set port-channel enable"
    assert any("set port-channel enable" in n and "switch-wide" in n for n in cfg.notes)


EOS_SHUT = """interface Port-Channel12
   description esx01-vswitch0
   switchport access vlan 20
   spanning-tree portfast
!
interface Ethernet1
   description esx01-vswitch0
   shutdown
   channel-group 12 mode on
!
interface Ethernet2
   description esx01-vswitch0
   channel-group 12 mode on
!
"""


def test_eos_plan_brings_a_shut_member_up() -> None:
    inv = inventory("arista_eos", trunk("arista_eos", "static"))
    plan = plan_device(inv, "sw-eos", EOS_SHUT)
    assert plan.remediation == ("interface Ethernet1", "   no shutdown") or \
        plan.remediation == ("interface Ethernet1", " no shutdown")


def test_eos_plan_of_an_up_member_sends_no_admin_line() -> None:
    inv = inventory("arista_eos", trunk("arista_eos", "static"))
    running = EOS_SHUT.replace("   shutdown\n", "")
    assert plan_device(inv, "sw-eos", running).remediation == ()


def test_smis_plan_removal_negations_keep_their_values() -> None:
    running = _smis_applied("static")
    inv = inventory("supermicro_smis", trunk("supermicro_smis", "static", state="absent"))
    plan = plan_device(inv, "sw-smis", running)
    assert " no switchport access vlan 20" in plan.remediation
    assert " no switchport mode access" in plan.remediation
    assert " no switchport access vlan" not in plan.remediation


def test_smis_plan_is_a_noop_whatever_the_description_quoting() -> None:
    """The device may print ``description "x"`` for ``description x`` (docs/smis-outputs.md)."""
    applied = _smis_applied("lacp-passive")
    bare = applied.replace('description "srv02-bond0"', "description srv02-bond0")
    quoted = bare.replace("description srv02-bond0", 'description "srv02-bond0"')
    inv = inventory("supermicro_smis", trunk("supermicro_smis", "lacp-passive"))
    assert plan_device(inv, "sw-smis", bare).remediation == ()
    assert plan_device(inv, "sw-smis", quoted).remediation == ()


def test_indented_plan_is_still_a_noop_for_smis_once_applied() -> None:
    inv = inventory("supermicro_smis", trunk("supermicro_smis", "lacp-active"))
    lines = render_device(inv, "sw-smis").lines
    running = _smis_applied("lacp-active")
    owned = owned_sections(Platform.SUPERMICRO_SMIS, inv.trunks[0].switch[0])
    assert plan_indented(Platform.SUPERMICRO_SMIS, running, list(lines), owned) == ((), ())
    assert SWITCHES["supermicro_smis"][0] == "sw-smis"
