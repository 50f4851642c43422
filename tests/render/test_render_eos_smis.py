"""Issue 8 on Arista EOS and Supermicro SMIS, as rendered (beyond the golden files)."""

from __future__ import annotations

import pytest

from lagprov.model.intent import SwitchEnd, Trunk8021q, TrunkIntent
from lagprov.model.inventory import Inventory, SwitchDevice
from lagprov.model.types import SwitchMode
from lagprov.provision.render import render_device
from tests.render.cases import SWITCHES, inventory, trunk

EDGE = "spanning-tree portfast"


def _uplink(variant: str) -> Inventory:
    """A switch-to-switch trunk between two switches of ``variant``."""
    name, platform, hardware, members, _ = SWITCHES[variant]
    near = SwitchEnd(device=name, platform=platform, members=members, channel=11,
                     mode=SwitchMode.LACP_ACTIVE, l2=Trunk8021q(vlans=(10, 20)))
    far = near.model_copy(update={"device": "peer"})
    t = TrunkIntent(name="uplink", purpose="data", switch=(near,), peer=far)  # peer wins
    switches = tuple(SwitchDevice(name=n, platform=platform, hardware=hardware,
                                  address="127.0.0.1") for n in (name, "peer"))
    return Inventory(root="tests/render", switches=switches, hosts=(), trunks=(t,))


@pytest.mark.parametrize("variant", ["arista_eos", "supermicro_smis"])
def test_stp_edge_is_on_the_bundle_only(variant: str) -> None:
    name, *_ = SWITCHES[variant]
    lines = render_device(inventory(variant, trunk(variant, "static")), name).lines
    edge = [i for i, line in enumerate(lines) if line.strip() == EDGE]
    assert len(edge) == 1
    head = next(lines[i] for i in range(edge[0], -1, -1) if lines[i].startswith("interface"))
    assert head.lower().startswith("interface port-channel")


@pytest.mark.parametrize("variant", ["arista_eos", "supermicro_smis"])
def test_stp_edge_never_on_a_switch_to_switch_trunk(variant: str) -> None:
    name, *_ = SWITCHES[variant]
    for device in (name, "peer"):
        cfg = render_device(_uplink(variant), device)
        assert cfg.lines
        assert not any("spanning-tree" in line for line in cfg.lines)


@pytest.mark.parametrize("variant", ["arista_eos", "supermicro_smis"])
def test_stp_edge_can_be_turned_off(variant: str) -> None:
    name, *_ = SWITCHES[variant]
    t = trunk(variant, "independent", stp_edge=False)
    assert not any("spanning-tree" in line for line in render_device(inventory(variant, t),
                                                                      name).lines)


@pytest.mark.parametrize("variant", ["arista_eos", "supermicro_smis"])
def test_independent_host_ports_get_stp_edge_each(variant: str) -> None:
    name, *_ = SWITCHES[variant]
    lines = render_device(inventory(variant, trunk(variant, "independent")), name).lines
    assert [line.strip() for line in lines].count(EDGE) == 2


def test_eos_members_are_brought_up() -> None:
    lines = render_device(inventory("arista_eos", trunk("arista_eos", "lacp-active")),
                          "sw-eos").lines
    text = "\n".join(lines)
    assert text.count("   no shutdown") == 2
    assert "interface Ethernet1\n   description srv01-bond0\n   channel-group 10 mode active\n" \
           "   lacp rate fast\n   no shutdown\n" in text


def test_smis_descriptions_are_typed_unquoted() -> None:
    """As the only public SMIS automation types them (ntavares/ansible-role-supermicro-sse-x24s-
    switch, tasks/main.yml: ``'description ' ~ item.value.description``)."""
    lines = render_device(inventory("supermicro_smis", trunk("supermicro_smis", "static")),
                          "sw-smis").lines
    assert " description esx01-vswitch0" in lines
    assert not any('"' in line for line in lines)
