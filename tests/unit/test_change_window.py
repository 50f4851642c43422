"""Issue 8 on Catalyst (and min-links everywhere): what a plan or a render may push.

Global lines only rise; min-links follows each platform's rule; LACP resets come before
``no channel-group``; a member's own lines are carried, not silently deleted; host bundles get
the hardware's spanning-tree edge spelling.
"""

from __future__ import annotations

import pytest

from lagprov.errors import UnsupportedFeature
from lagprov.knowledge.platforms import get_spec
from lagprov.model.intent import TrunkIntent
from lagprov.model.types import LacpRate, Platform
from lagprov.provision.planning import plan_device
from lagprov.provision.precheck import run_checks
from lagprov.provision.render import RenderedConfig, render_device
from tests.render.cases import SWITCHES, inventory, trunk


def _render(variant: str, *trunks: TrunkIntent, remove: bool = False) -> RenderedConfig:
    return render_device(inventory(variant, *trunks), SWITCHES[variant][0], remove=remove)


def _plan(variant: str, running: str, *trunks: TrunkIntent) -> tuple[list[str], list[str]]:
    plan = plan_device(inventory(variant, *trunks), SWITCHES[variant][0], running)
    return list(plan.remediation), list(plan.notes)


# --- item 1: a plan never lowers system mtu ----------------------------------------------------

@pytest.mark.parametrize(("variant", "running_line", "mtu"), [
    ("cisco_ios", "system mtu 9198", 1600),
    ("cisco_2960s", "system mtu jumbo 9000", 1600),
])
def test_plan_keeps_the_larger_running_system_mtu(variant: str, running_line: str,
                                                  mtu: int) -> None:
    running = f"hostname x\n{running_line}\n"
    remediation, notes = _plan(variant, running, trunk(variant, "independent", mtu=mtu))
    assert not [line for line in remediation if line.startswith(("system mtu", "no system"))]
    assert any(f"keeps '{running_line}'" in n and "never lowers" in n for n in notes)
    # a smaller running value is still raised, without a "keeps" note
    key = running_line.rsplit(" ", 1)[0]
    remediation, notes = _plan(variant, f"hostname x\n{key} 1500\n",
                               trunk(variant, "independent", mtu=mtu))
    assert f"{key} {mtu}" in remediation
    assert not any(f"keeps '{key}" in n for n in notes)


def test_keep_raised_is_per_named_key() -> None:
    # the mechanism is shared: Junos device-count is a key like any other
    from lagprov.provision.raise_only import keep_raised

    dc = "set chassis aggregated-devices ethernet device-count"
    lines, notes = keep_raised([f"{dc} 2", "set interfaces ae1 mtu 9216"],
                               f"{dc} 8\n", (dc,), device="ex")
    assert lines == [f"{dc} 8", "set interfaces ae1 mtu 9216"]
    assert len(notes) == 1 and "ex: keeps" in notes[0]


# --- item 3: min-links, per platform rule ------------------------------------------------------

def test_cisco_min_links_1_renders_nothing_and_2_renders() -> None:
    one = _render("cisco_ios", trunk("cisco_ios", "lacp-active", min_links=1))
    assert not [line for line in one.lines if "min-links" in line]
    two = _render("cisco_ios", trunk("cisco_ios", "lacp-active", min_links=2))
    assert " port-channel min-links 2" in two.lines


def test_cisco_min_links_on_a_static_bundle_is_refused_before_rendering() -> None:
    t = trunk("cisco_ios", "static", name="esx09", min_links=2)
    with pytest.raises(UnsupportedFeature, match=r"sw-ios.*esx09.*needs LACP"):
        _render("cisco_ios", t)


def test_plan_refuses_min_links_on_a_static_catalyst_bundle() -> None:
    inv = inventory("cisco_ios", trunk("cisco_ios", "static", name="esx09", min_links=2))
    found = [(c.check, c.trunk) for c in run_checks(inv, "sw-ios", "hostname sw-ios\n")]
    assert ("feature-supported", "esx09") in found


def test_min_links_rule_is_data_per_platform() -> None:
    ios = get_spec(Platform.CISCO_IOS).min_links
    assert ios is not None and (ios.low, ios.high, ios.default, ios.lacp_only) == (2, 8, 1, True)
    assert ios.problem(9, lacp=True) is not None
    for platform in (Platform.ARISTA_EOS, Platform.JUNIPER_JUNOS):
        rule = get_spec(platform).min_links
        assert rule is not None and not rule.lacp_only
    assert get_spec(Platform.SUPERMICRO_SMIS).min_links is None
    # EOS and Junos have min-links on static bundles too
    for variant, line in (
        ("arista_eos", "   port-channel min-links 2"),
        ("juniper_junos", "set interfaces ae12 aggregated-ether-options minimum-links 2"),
    ):
        assert line in _render(variant, trunk(variant, "static", min_links=2)).lines


# --- item 6: LACP resets before no channel-group -----------------------------------------------

def test_render_remove_resets_lacp_rate_before_no_channel_group() -> None:
    lines = list(_render("cisco_ios", trunk("cisco_ios", "lacp-active"), remove=True).lines)
    first = lines[:lines.index("interface GigabitEthernet1/0/2")]
    assert first.index(" no lacp rate") < first.index(" no channel-group")


def test_plan_removal_resets_lacp_rate_before_no_channel_group() -> None:
    running = ("interface GigabitEthernet1/0/1\n channel-group 10 mode active\n"
               " lacp rate fast\n!\ninterface Port-channel10\n description x\n")
    remediation, _ = _plan("cisco_ios", running,
                           trunk("cisco_ios", "lacp-active", state="absent"))
    assert remediation.index(" no lacp rate") < remediation.index(" no channel-group")


# --- item 7: a member's own lines --------------------------------------------------------------

MEMBER_RUNNING = """interface GigabitEthernet1/0/1
 spanning-tree portfast edge
 spanning-tree bpduguard enable
 storm-control broadcast level 10.00
 speed 1000
 duplex full
interface GigabitEthernet1/0/2
 speed 1000
"""


def test_plan_carries_member_lines_and_says_so() -> None:
    t = trunk("cisco_ios", "lacp-passive", lacp_rate=LacpRate.FAST)
    remediation, notes = _plan("cisco_ios", MEMBER_RUNNING, t)
    assert " no speed" not in " ".join(remediation) and " no duplex" not in " ".join(remediation)
    po = remediation[remediation.index("interface Port-channel11"):]
    assert " storm-control broadcast level 10.00" in po
    assert " spanning-tree bpduguard enable" in po  # an edge bundle: BPDU guard goes along
    assert " spanning-tree portfast edge trunk" in po
    joined = "\n".join(notes)
    for text in ("keeps 'speed 1000'", "keeps 'duplex full'",
                 "'storm-control broadcast level 10.00' moves to Port-channel11",
                 "'spanning-tree bpduguard enable' moves to Port-channel11",
                 "'spanning-tree portfast edge' is removed; Port-channel11 gets "
                 "'spanning-tree portfast edge trunk'"):
        assert text in joined


def test_bpdu_guard_never_goes_to_a_bundle_that_is_not_an_edge() -> None:
    t = trunk("cisco_ios", "lacp-passive", stp_edge=False)
    remediation, notes = _plan("cisco_ios", MEMBER_RUNNING, t)
    assert " spanning-tree bpduguard enable" not in remediation
    assert any("'spanning-tree bpduguard enable' is removed" in n for n in notes)


def test_carried_lines_make_a_second_plan_a_noop() -> None:
    t = trunk("cisco_ios", "lacp-passive")
    first = plan_device(inventory("cisco_ios", t), "sw-ios", MEMBER_RUNNING)
    applied = _apply(MEMBER_RUNNING, first.remediation)
    assert plan_device(inventory("cisco_ios", t), "sw-ios", applied).remediation == ()


def _apply(running: str, remediation: tuple[str, ...]) -> str:
    """A tiny IOS model: sections of lines, 'no X' removes X (its short form) from a section."""
    from lagprov.provision.member_carry import _sections

    order, body = _sections(running.splitlines())
    head = ""
    for line in remediation:
        if not line.startswith(" "):
            if line.startswith("no interface "):
                body.pop(line[3:], None)
                continue
            head = line
            if head not in body:
                order.append(head)
                body[head] = []
            continue
        text = line.strip()
        if text.startswith("no "):
            body[head] = [x for x in body[head] if not x.startswith(text[3:])]
        elif text not in body[head]:
            body[head].append(text)
    return "".join(f"{h}\n" + "".join(f" {x}\n" for x in body[h]) for h in order if h in body)


# --- STP edge: the hardware's own spelling -----------------------------------------------------

@pytest.mark.parametrize(("variant", "mode", "line"), [
    ("cisco_2960s", "lacp-passive", " spanning-tree portfast trunk"),
    ("cisco_ios", "lacp-passive", " spanning-tree portfast edge trunk"),
    ("cisco_2960s", "static", " spanning-tree portfast"),
    ("cisco_ios", "static", " spanning-tree portfast edge"),
])
def test_host_bundle_gets_the_models_edge_line(variant: str, mode: str, line: str) -> None:
    lines = list(_render(variant, trunk(variant, mode)).lines)
    po = lines[lines.index(next(x for x in lines if x.startswith("interface Port-channel"))):]
    assert line in po
    assert [x for x in lines if "spanning-tree" in x] == [line]  # on the bundle only


def test_no_edge_on_a_switch_to_switch_bundle_of_the_example() -> None:
    from lagprov.intent.load import load_inventory
    from tests.conftest import EXAMPLE_INVENTORY

    inv = load_inventory(EXAMPLE_INVENTORY)
    lines = list(render_device(inv, "cat9300-1", trunks=["core-cat9300-ex4300"]).lines)
    assert not [x for x in lines if "spanning-tree" in x]
    host = list(render_device(inv, "cat9300-1", trunks=["hv01-team"]).lines)
    assert " spanning-tree portfast edge trunk" in host
    # and the intent field turns it off on a host bundle
    off = _render("cisco_ios", trunk("cisco_ios", "lacp-passive", stp_edge=False)).lines
    assert not [x for x in off if "spanning-tree" in x]
