"""The lab refuses what the device refuses (Junos EX, issue 8): a logical unit left on an ae
member, a VLAN no ``vlans`` entry defines; over the CLI (in process and unmodified Netmiko) and
NETCONF (unmodified NAPALM ``junos``).  Also: LACP runs fast with no ``periodic`` statement,
and ``protocols rstp interface aeN edge`` commits.

Unit wording from a real Junos commit reply (GlobalNOC/OESS, perl-lib/OESS/t, Juniper MX test:
error-path ``[edit interfaces ge-0/0/2]``, bad-element ``unit 2000``, ``logical unit is not
allowed on aggregated links``); the VLAN wording is modelled (no capture found).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lagprov.knowledge.platforms.hardware import HARDWARE
from lagprov.lab.junos.facts import initial_lines
from lagprov.lab.junos.switch import JunosSwitch
from lagprov.model.types import LacpRate
from tests.lab.test_junos_wire import FakeFabric, Lab, serving

MODEL = "EX4300-48T"
JOIN = ["set chassis aggregated-devices ethernet device-count 2",
        "set interfaces ge-0/0/10 ether-options 802.3ad ae0",
        "set interfaces ae0 aggregated-ether-options lacp active"]
UNIT_ERROR = ("[edit interfaces ge-0/0/10]\n  'unit 0'\n"
              "    logical unit is not allowed on aggregated links\n")
VLAN_LINE = "set interfaces ge-0/0/12 unit 0 family ethernet-switching vlan members FOO"


def factory_switch(name: str = "ex4300-9") -> JunosSwitch:
    """An EX as shipped: every port ``unit 0 family ethernet-switching``, VLAN default."""
    hw = HARDWARE[MODEL]
    return JunosSwitch(name, hw, FakeFabric(), site=initial_lines(hw, None, name))


def _commit(sw: JunosSwitch, *lines: str) -> str:
    cli = sw.open_cli("lab")
    cli.handle("configure")
    for line in lines:
        assert cli.handle(line).output == "", line
    return cli.handle("commit").output


def test_a_factory_port_joining_an_ae_with_its_unit_is_refused() -> None:
    sw = factory_switch()
    out = _commit(sw, *JOIN)
    assert out == UNIT_ERROR + "error: configuration check-out failed\n"
    assert sw.db.committed.value("interfaces", "ge-0/0/10", "ether-options", "802.3ad") is None


def test_deleting_leaves_keeps_the_family_and_is_still_refused() -> None:
    sw = factory_switch()
    out = _commit(sw, "set interfaces ge-0/0/10 unit 0 family ethernet-switching vlan members 1",
                  "delete interfaces ge-0/0/10 unit 0 family ethernet-switching vlan members",
                  *JOIN)
    assert UNIT_ERROR in out
    assert "set interfaces ge-0/0/10 unit 0 family ethernet-switching" in (
        sw.db.candidate.display_set())


def test_deleting_the_whole_unit_commits() -> None:
    sw = factory_switch()
    assert _commit(sw, "delete interfaces ge-0/0/10 unit 0", *JOIN) == "commit complete\n"


def test_an_undefined_vlan_is_refused_and_a_defined_one_commits() -> None:
    sw = factory_switch()
    out = _commit(sw, VLAN_LINE)
    assert out.startswith("[edit interfaces ge-0/0/12 unit 0 family ethernet-switching vlan]\n"
                          "  'members FOO'\n")
    assert out.endswith("error: configuration check-out failed\n")
    assert "commit complete" in _commit(sw, "set vlans FOO vlan-id 30")
    assert "commit complete" in _commit(
        sw, "set interfaces ge-0/0/13 unit 0 family ethernet-switching vlan members 30")
    assert "members 31" in _commit(
        sw, "set interfaces ge-0/0/14 unit 0 family ethernet-switching vlan members 31")


def test_lacp_runs_fast_without_a_periodic_statement() -> None:
    sw = factory_switch()
    assert _commit(sw, "delete interfaces ge-0/0/10 unit 0", *JOIN) == "commit complete\n"
    assert sw.port_facts()["ge-0/0/10"].rate is LacpRate.FAST
    cli = sw.open_cli("lab")
    row = cli.handle("show lacp interfaces ae0").output.splitlines()[2]
    assert row.split()[:2] == ["ge-0/0/10", "Actor"] and row.split()[-2] == "Fast"
    assert "commit complete" in _commit(
        sw, "set interfaces ae0 aggregated-ether-options lacp periodic slow")
    assert sw.port_facts()["ge-0/0/10"].rate is LacpRate.SLOW


def test_rstp_edge_on_an_ae_commits() -> None:
    sw = factory_switch()
    out = _commit(sw, "delete interfaces ge-0/0/10 unit 0", *JOIN,
                  "set protocols rstp interface ae0 edge")
    assert out == "commit complete\n"
    assert "set protocols rstp interface ae0 edge" in sw.running_config().splitlines()


# --- over the wire ----------------------------------------------------------------------------

netmiko = pytest.importorskip("netmiko")
napalm = pytest.importorskip("napalm")
ADDRESS = "127.0.43.9"


@pytest.fixture()
def lab() -> Iterator[Lab]:
    with serving(factory_switch("ex4300-1"), ADDRESS, FakeFabric(), "junos-refusals-test") as on:
        yield on


@pytest.mark.parametrize(("lines", "expected"), [
    (JOIN, "logical unit is not allowed on aggregated links"),
    ([VLAN_LINE], "referenced vlan FOO is not defined"),
])
def test_netmiko_commit_is_refused(lab: Lab, lines: list[str], expected: str) -> None:
    with netmiko.ConnectHandler(device_type="juniper_junos", host=ADDRESS, port=lab.ssh,
                                username="lab", password="lab-password", fast_cli=True) as conn:
        conn.send_config_set(lines)
        with pytest.raises(ValueError, match="check-out failed") as exc:
            conn.commit()
        assert expected in str(exc.value)
    assert lab.switch.db.committed.value("interfaces", "ge-0/0/10", "ether-options",
                                         "802.3ad") is None


@pytest.mark.parametrize(("lines", "expected"), [
    (JOIN, "logical unit is not allowed on aggregated links"),
    ([VLAN_LINE], "referenced vlan FOO is not defined"),
])
def test_napalm_commit_is_refused(lab: Lab, lines: list[str], expected: str) -> None:
    dev = napalm.get_network_driver("junos")(ADDRESS, "lab", "lab-password", timeout=20,
                                            optional_args={"port": lab.netconf})
    dev.open()
    try:
        dev.load_merge_candidate(config="\n".join(lines))
        with pytest.raises(Exception, match=expected):
            dev.commit_config()
        dev.discard_config()
    finally:
        dev.close()
    assert lab.switch.db.committed.get("interfaces", "ge-0/0/12", "unit 0", "family",
                                       "ethernet-switching", "vlan", "members") is None
