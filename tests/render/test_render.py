"""Rendering rules beyond the golden files: refusals, global lines, order, the example fabric."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lagprov.errors import InputError, UnsupportedFeature
from lagprov.intent.load import load_inventory
from lagprov.model.intent import TrunkIntent
from lagprov.model.inventory import Inventory
from lagprov.model.safety import check_cli_text
from lagprov.model.types import LacpRate
from lagprov.provision.render import RenderedConfig, render_device, render_inventory
from tests.render.cases import MODES, SWITCHES, inventory, trunk

REPO = Path(__file__).resolve().parents[2]
PLATFORMS = ("cisco_ios", "arista_eos", "juniper_junos", "supermicro_smis")
GLOBAL_LINE = re.compile(r"^(system mtu|set chassis aggregated-devices|set port-channel enable)")


def render(variant: str, *trunks: TrunkIntent, remove: bool = False) -> RenderedConfig:
    return render_device(inventory(variant, *trunks), SWITCHES[variant][0], remove=remove)


# --- refusals -------------------------------------------------------------------------------

def test_2960s_refuses_fast_lacp_naming_device_and_trunk() -> None:
    t = trunk("cisco_2960s", "lacp-active", name="hv09-team", min_links=None, mtu=None)
    assert t.switch[0].lacp_rate is LacpRate.FAST
    with pytest.raises(UnsupportedFeature) as exc:
        render("cisco_2960s", t)
    assert exc.value.feature == "lacp-rate-fast"
    assert "sw-2960s" in str(exc.value)
    assert "hv09-team" in str(exc.value)


def test_2960s_refuses_min_links_naming_device_and_trunk() -> None:
    # min_links 2: an intent of 1 is the default and renders nothing (issue 8 item 3)
    t = trunk("cisco_2960s", "lacp-active", name="hv09-team", lacp_rate=None, mtu=None,
              min_links=2)
    with pytest.raises(UnsupportedFeature) as exc:
        render("cisco_2960s", t)
    assert exc.value.feature == "min-links"
    assert "sw-2960s" in str(exc.value)
    assert "hv09-team" in str(exc.value)


def test_2960s_accepts_the_same_trunk_without_fast_rate_and_min_links() -> None:
    t = trunk("cisco_2960s", "lacp-active", lacp_rate=None, min_links=None, mtu=None)
    assert " channel-group 10 mode active" in render("cisco_2960s", t).lines


def test_smis_refuses_min_links() -> None:
    t = trunk("supermicro_smis", "lacp-active", name="stor-tg", min_links=1)
    with pytest.raises(UnsupportedFeature, match=r"min-links.*sw-smis.*stor-tg"):
        render("supermicro_smis", t)


def test_removal_is_not_refused_for_a_feature_the_switch_lacks() -> None:
    """Removing a trunk never sends the refused command (no 'lacp rate normal' on 2960-S)."""
    t = trunk("cisco_2960s", "lacp-active", state="absent", mtu=None)
    cfg = render("cisco_2960s", t)
    assert "no interface Port-channel10" in cfg.lines
    assert not any("lacp rate" in line for line in cfg.lines)


def test_mtu_outside_the_hardware_range_is_an_input_error() -> None:
    t = trunk("cisco_2960s", "static", mtu=9198)  # 2960-S jumbo maximum is 9000
    with pytest.raises(InputError, match="9198"):
        render("cisco_2960s", t)


def test_unknown_device_and_trunk_are_input_errors() -> None:
    inv = inventory("arista_eos", trunk("arista_eos", "static"))
    with pytest.raises(InputError, match="nope"):
        render_device(inv, "nope")
    with pytest.raises(InputError, match="ghost"):
        render_device(inv, "sw-eos", trunks=["ghost"])


# --- global (device-level) lines ------------------------------------------------------------

def test_2960s_jumbo_renders_system_mtu_jumbo_with_a_reload_note() -> None:
    cfg = render("cisco_2960s", trunk("cisco_2960s", "independent", mtu=9000))
    assert cfg.lines[0] == "system mtu jumbo 9000"
    assert sum(line.startswith("system mtu") for line in cfg.lines) == 1
    assert len(cfg.notes) == 2
    assert "reload" in cfg.notes[0]
    assert cfg.notes[1].startswith("sw-2960s: only raises: 'system mtu jumbo 9000'")


def test_9300_renders_system_mtu_with_only_the_raises_note() -> None:
    # issue 8 item 1: render output is pasted by hand, so it says that the global line only
    # raises a value (no reload note: the 9300 applies 'system mtu' at once)
    cfg = render("cisco_ios", trunk("cisco_ios", "static", mtu=9198))
    assert cfg.lines[0] == "system mtu 9198"
    assert len(cfg.notes) == 1
    assert cfg.notes[0].startswith("sw-ios: only raises: 'system mtu 9198'")
    assert "larger 'system mtu'" in cfg.notes[0]


def test_catalyst_system_mtu_is_the_largest_of_the_device_even_when_rendering_one_trunk() -> None:
    small = trunk("cisco_ios", "static", mtu=1600)
    big = trunk("cisco_ios", "independent", mtu=9198, members=("GigabitEthernet1/0/9",))
    inv = inventory("cisco_ios", small, big)
    cfg = render_device(inv, "sw-ios", trunks=[small.name])
    assert cfg.lines[0] == "system mtu 9198"
    assert cfg.trunks == (small.name,)
    assert not any("GigabitEthernet1/0/9" in line for line in cfg.lines)


def test_catalyst_without_mtu_renders_no_system_mtu() -> None:
    cfg = render("cisco_ios", trunk("cisco_ios", "static"))
    assert not any(line.startswith("system mtu") for line in cfg.lines)


def test_junos_device_count_covers_the_highest_ae_of_the_device() -> None:
    ae0 = trunk("juniper_junos", "static", name="a", channel=0)
    ae7 = trunk("juniper_junos", "lacp-passive", name="b", channel=7,
                members=("ge-0/0/20", "ge-0/0/21"))
    inv = inventory("juniper_junos", ae0, ae7)
    full = render_device(inv, "sw-junos")
    only_ae0 = render_device(inv, "sw-junos", trunks=["a"])
    expected = "set chassis aggregated-devices ethernet device-count 8"
    assert full.lines[0] == expected
    assert only_ae0.lines[0] == expected  # never lower than another trunk needs
    assert sum("device-count" in line for line in full.lines) == 1


def test_junos_absent_trunk_does_not_count_and_is_removed_first() -> None:
    gone = trunk("juniper_junos", "static", name="gone", channel=5, state="absent")
    new = trunk("juniper_junos", "lacp-passive", name="new", channel=2,
                members=("ge-0/0/20", "ge-0/0/21"))
    cfg = render_device(inventory("juniper_junos", new, gone), "sw-junos")
    assert cfg.lines[0] == "set chassis aggregated-devices ethernet device-count 3"
    assert cfg.lines.index("delete interfaces ae5") < cfg.lines.index(
        'set interfaces ae2 description "new"')
    assert cfg.trunks == ("gone", "new")


def test_smis_enables_port_channels_once_per_device() -> None:
    a = trunk("supermicro_smis", "static", name="a", channel=1)
    b = trunk("supermicro_smis", "lacp-passive", name="b", channel=2,
              members=("Ex 0/7", "Ex 0/8"))
    cfg = render_device(inventory("supermicro_smis", a, b), "sw-smis")
    assert cfg.lines[0] == "set port-channel enable"
    assert cfg.lines.count("set port-channel enable") == 1


@pytest.mark.parametrize("variant", PLATFORMS)
@pytest.mark.parametrize("mode", MODES)
def test_removal_never_touches_global_lines(variant: str, mode: str) -> None:
    cfg = render(variant, trunk(variant, mode), remove=True)
    assert cfg.lines
    assert not [line for line in cfg.lines if GLOBAL_LINE.match(line)]
    # Issue 8 item 1: an SMIS bundle removal says link aggregation stays enabled; nothing else.
    left_on = variant == "supermicro_smis" and mode != "independent"
    assert [n for n in cfg.notes if "is left enabled" not in n] == []
    assert len(cfg.notes) == (1 if left_on else 0)


# --- platform rules that the golden files also show, stated on their own --------------------

def test_catalyst_never_emits_trunk_encapsulation() -> None:
    cfg = render("cisco_ios", trunk("cisco_ios", "lacp-active"))
    assert not any("encapsulation" in line for line in cfg.lines)


def test_junos_members_carry_no_unit_and_use_ether_options() -> None:
    cfg = render("juniper_junos", trunk("juniper_junos", "lacp-active"))
    members = [line for line in cfg.lines if line.startswith("set interfaces ge-")]
    assert members
    assert not any(" unit " in line for line in members)
    assert not any("gigether-options" in line for line in cfg.lines)
    assert "set interfaces ge-0/0/10 ether-options 802.3ad ae10" in members


def test_junos_static_has_no_lacp_statement() -> None:
    cfg = render("juniper_junos", trunk("juniper_junos", "static"))
    assert not any("lacp" in line for line in cfg.lines)


def test_smis_channel_before_members_and_member_mtu_before_channel_group() -> None:
    cfg = render("supermicro_smis", trunk("supermicro_smis", "lacp-active"))
    lines = list(cfg.lines)
    assert lines.index("interface port-channel 10") < lines.index("interface Ex 0/1")
    start = lines.index("interface Ex 0/1")
    block = lines[start:lines.index(" exit", start)]
    assert block.index(" mtu 9216") < block.index(" channel-group 10 mode active")


def test_rendering_is_deterministic() -> None:
    inv = inventory("arista_eos", trunk("arista_eos", "static"),
                    trunk("arista_eos", "independent", members=("Ethernet9",)))
    assert render_device(inv, "sw-eos") == render_device(inv, "sw-eos")


def test_text_is_the_lines_newline_terminated() -> None:
    cfg = render("arista_eos", trunk("arista_eos", "static"))
    assert cfg.text.splitlines() == list(cfg.lines)
    assert cfg.text.endswith("\n")


# --- the example fabric ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def example() -> Inventory:
    return load_inventory(REPO / "inventory")


@pytest.mark.parametrize("remove", [False, True])
def test_example_inventory_renders_every_switch(example: Inventory, remove: bool) -> None:
    configs = render_inventory(example, remove=remove)
    by_device = {c.device: c for c in configs}
    switches = {s.name for s in example.switches}
    assert set(by_device) == switches  # every example switch has a trunk end
    for cfg in configs:
        assert cfg.lines, cfg.device
        assert cfg.trunks, cfg.device


def test_example_inventory_known_lines(example: Inventory) -> None:
    configs = {c.device: c for c in render_inventory(example)}
    assert configs["eos7120-1"].lines.count("   lacp rate fast") == 2
    assert "   mtu 9214" in configs["eos7120-1"].lines
    ex4300 = configs["ex4300-1"].lines
    assert ex4300[0] == "set chassis aggregated-devices ethernet device-count 2"
    assert "set interfaces ae0 aggregated-ether-options lacp passive" in ex4300
    assert "set interfaces ge-0/0/5 unit 0 family ethernet-switching port-mode access" in (
        configs["ex3300-1"].lines)
    assert configs["sse-x24s-1"].lines[0] == "set port-channel enable"
    assert " lacp rate fast" in configs["cat9300-1"].lines


def test_example_inventory_device_filter(example: Inventory) -> None:
    (cfg,) = render_inventory(example, device="cat2960s-1")
    assert cfg.device == "cat2960s-1"
    assert " channel-group 1 mode on" in cfg.lines


_DESCRIPTION = re.compile(r'(?:^|\s)description "?(?P<text>[^"]*)"?$')


@pytest.mark.parametrize("remove", [False, True])
def test_every_rendered_line_is_one_safe_line(example: Inventory, remove: bool) -> None:
    seen = 0
    for cfg in render_inventory(example, remove=remove):
        for line in cfg.lines:
            assert "\n" not in line
            assert "\r" not in line
            assert line == line.rstrip()
            assert line.strip()
            m = _DESCRIPTION.search(line)
            if m and not line.lstrip().startswith(("no ", "delete ")):
                check_cli_text(m.group("text"))
                seen += 1
    assert seen > 0 or remove
