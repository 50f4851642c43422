"""A whole fleet gives, trunk by trunk, exactly what each part gives alone (issues 15 and 16).

The fleet-size fixes index by device and trunk instead of scanning the fleet per trunk; these
tests pin the behaviour they must keep (identical findings, reports, checks and plans), never
a timing (the growth figures are in ``make bench``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bench.fleet import one_switch_fleet
from bench.replicate import replicate
from lagprov.errors import InputError
from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LabFabric
from lagprov.model.findings import Status
from lagprov.model.hardware import PortRange
from lagprov.model.types import Platform
from lagprov.provision.planning import plan_device
from lagprov.provision.precheck import pairing_problems, run_checks, section
from lagprov.provision.render import render_device
from lagprov.report import build_run_report
from lagprov.runs.verify import verify_run
from lagprov.verify import verify_all
from tests.lint.mutate import apply_case
from tests.unit.test_precheck import CLEAN_9300
from tests.unit.test_provision import SITE_VLANS

COPIES = 3


def _broken_fleet(tmp_path: Path) -> tuple[Path, Path]:
    """Three copies of the saved example run; the second one broken three ways."""
    inv_dir, saved, _ = replicate(tmp_path, COPIES)
    shutil.rmtree(saved / "eos7120-1-r001")  # unreachable: unverifiable
    running = saved / "cat9300-1-r001" / "show_running-config.txt"
    running.write_text(running.read_text(encoding="utf-8").replace(
        "interface Port-channel1\n", "interface Port-channel1\n mtu 1400\n", 1), encoding="utf-8")
    (saved / "lnx01-r001").rename(saved / "lnx01-gone")  # host not observed
    return inv_dir, saved


def test_each_copy_of_a_fleet_verifies_as_it_does_alone(tmp_path: Path) -> None:
    inv_dir, saved = _broken_fleet(tmp_path)
    inv = load_inventory(inv_dir)
    whole = verify_run(inv, from_dir=saved)
    by_name = {t.name: t for t in whole.trunks}
    for c in range(COPIES):
        names = [t.name for t in inv.trunks if t.name.endswith(f"-r{c:03d}")]
        alone = verify_run(inv, devices=names, from_dir=saved)
        assert [t.name for t in alone.trunks] == names
        for t in alone.trunks:
            assert by_name[t.name] == t, t.name
    statuses = {f.status for t in whole.trunks for f in t.findings
                if t.name.endswith("-r001")}
    assert {Status.FAIL, Status.UNVERIFIABLE} <= statuses  # the broken copy is judged broken
    healthy = {f.status for t in whole.trunks for f in t.findings if t.name.endswith("-r000")}
    assert Status.FAIL not in healthy


def test_run_report_keeps_each_trunks_findings_in_order(tmp_path: Path) -> None:
    inv_dir, saved = _broken_fleet(tmp_path)
    inv = load_inventory(inv_dir)
    data = verify_run(inv, from_dir=saved)
    findings = [f for t in data.trunks for f in t.findings]
    mixed = findings[1::2] + findings[::2]  # trunks interleaved
    report = build_run_report("verify", inv.trunks, mixed, {}, {})
    for t in report.trunks:
        assert t.findings == tuple(f for f in mixed if f.trunk == t.name)
    assert sum(len(t.findings) for t in report.trunks) == len(findings)


def test_a_trunk_is_verified_on_its_own_ends_whatever_else_the_fleet_holds(
        tmp_path: Path) -> None:
    """Folding consequences into root causes looks at the trunk's own ports only: adding the
    rest of the fleet's switch states to one trunk's verification changes nothing."""
    inv_dir, saved = _broken_fleet(tmp_path)
    inv = load_inventory(inv_dir)
    from lagprov.runs.verify import run_data

    data = run_data(inv, from_dir=saved)
    trunks = [t for t in inv.trunks if t.name.endswith("-r001")]
    own = {d: s for d, s in data.switches.items() if d.endswith("-r001")}
    assert verify_all(trunks, data.switches, data.hosts, hardware=inv.hardware) == \
        verify_all(trunks, own, data.hosts, hardware=inv.hardware)


@pytest.fixture(scope="module")
def big_eos(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, str, str]:
    folder, switch = one_switch_fleet(tmp_path_factory.mktemp("big") / "inv", 300, "eos")
    inv = load_inventory(folder)
    return inv, switch, LabFabric.from_inventory(inv).running_config(switch)


def test_a_300_trunk_device_plans_as_its_trunks_do_one_by_one(
        big_eos: tuple[object, str, str]) -> None:
    inv, switch, running = big_eos
    whole = plan_device(inv, switch, running)  # type: ignore[arg-type]
    parts = [plan_device(inv, switch, running, trunks=[t.name])  # type: ignore[arg-type]
             for t in inv.trunks]  # type: ignore[attr-defined]
    assert len(whole.trunks) == 300
    assert whole.remediation == tuple(line for p in parts for line in p.remediation)
    # the rollback deletes the bundles last, after every member section is restored
    assert sorted(whole.rollback) == sorted(line for p in parts for line in p.rollback)


def test_checks_of_a_300_trunk_device_use_one_lint(big_eos: tuple[object, str, str]) -> None:
    inv, switch, running = big_eos
    once = pairing_problems(inv)  # type: ignore[arg-type]
    assert run_checks(inv, switch, running, pairing=once) == \
        run_checks(inv, switch, running)  # type: ignore[arg-type]


@pytest.mark.parametrize(("prefix", "what"), [("eos", "members"), ("eos", "channel"),
                                              ("c9300", "members"), ("c9300", "channel"),
                                              ("sse", "members")])
def test_two_trunks_claiming_one_port_or_channel_are_refused_by_name(
        tmp_path: Path, prefix: str, what: str) -> None:
    """Before: hier_config's DuplicateChildError (or, IOS channel, two trunks merged into one
    port-channel); now an InputError naming the section and both trunks."""
    folder, switch = one_switch_fleet(tmp_path / "inv", 4, prefix)
    doc = yaml.safe_load((folder / "trunks.yaml").read_text(encoding="utf-8"))
    first, second = doc["trunks"][0]["switch"], doc["trunks"][1]["switch"]
    if what == "members":
        second["members"][0] = first["members"][0]
    else:
        second["channel"] = first["channel"]
    (folder / "trunks.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    inv = load_inventory(folder)
    with pytest.raises(InputError, match="configured by two trunks, h0001-team and h0002-team"):
        plan_device(inv, switch, "")


def test_a_port_freed_by_an_absent_trunk_may_be_reused(tmp_path: Path) -> None:
    folder, switch = one_switch_fleet(tmp_path / "inv", 4, "eos")
    doc = yaml.safe_load((folder / "trunks.yaml").read_text(encoding="utf-8"))
    doc["trunks"][1]["switch"]["members"] = list(doc["trunks"][0]["switch"]["members"])
    doc["trunks"][0]["state"] = "absent"
    (folder / "trunks.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    plan = plan_device(load_inventory(folder), switch, "")
    assert "interface Ethernet1" in plan.remediation


_IOS = """hostname sw
interface GigabitEthernet1/0/1
 description one
 no switchport
interface GigabitEthernet1/0/10
 description ten
interface GigabitEthernet1/0/1
 ip address 10.0.0.1 255.255.255.0
"""
_JUNOS = """set interfaces ge-0/0/1 description one
set interfaces ge-0/0/10 description ten
set interfaces ge-0/0/1 unit 0 family inet
set interfaces ge-0/0/1
set protocols rstp interface ge-0/0/1 edge
"""


@pytest.mark.parametrize(("platform", "running", "port", "want"), [
    (Platform.CISCO_IOS, _IOS, "GigabitEthernet1/0/1",
     " description one\n no switchport\n ip address 10.0.0.1 255.255.255.0"),
    (Platform.CISCO_IOS, _IOS, "GigabitEthernet1/0/10", " description ten"),
    (Platform.CISCO_IOS, _IOS, "GigabitEthernet1/0/2", ""),
    (Platform.JUNIPER_JUNOS, _JUNOS, "ge-0/0/1",
     "set interfaces ge-0/0/1 description one\nset interfaces ge-0/0/1 unit 0 family inet"),
    (Platform.JUNIPER_JUNOS, _JUNOS, "ge-0/0/10", "set interfaces ge-0/0/10 description ten"),
])
def test_a_ports_section_is_every_line_of_it_and_nothing_else(
        platform: Platform, running: str, port: str, want: str) -> None:
    assert section(platform, running, port) == want


@pytest.mark.parametrize("name", ["Ethernet1", "Ethernet48", "Ethernet0", "Ethernet49",
                                  "Ethernet01", "Ethernet", "Ethernet1/1", "Ethernet+1",
                                  "Ethernet\u00b2", " Ethernet1"])
def test_a_port_range_knows_its_ports_without_listing_them(name: str) -> None:
    ports = PortRange("Ethernet", 1, 48, 10000)
    assert ports.has(name) is (name in ports.names())


def test_a_template_root_set_later_is_used(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The rendering keeps one template store per root: a root chosen after a first rendering
    (``LAGPROV_TEMPLATES``) is still honoured."""
    inv = load_inventory(apply_case({"name": "templates"}, tmp_path / "inv"))
    before = render_device(inv, "cat9300-1")
    root = tmp_path / "templates"
    shutil.copytree(Path(__file__).resolve().parents[2] / "templates", root)
    lag = root / "config" / "cisco_ios" / "lag.j2"
    lag.write_text("! custom\n" + lag.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("LAGPROV_TEMPLATES", str(root))
    after = render_device(inv, "cat9300-1")
    assert "! custom" in after.lines and "! custom" not in before.lines
    assert run_checks(inv, "cat9300-1", CLEAN_9300, SITE_VLANS) == ()
