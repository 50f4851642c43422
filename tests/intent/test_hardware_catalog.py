"""Hardware as data (issue 10): every catalogued model validates, the shipped files are strict
YAML with a source for every fact, an inventory adds or overrides models in its hardware/
folder, and a malformed hardware file is exit 2 naming the file and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from lagprov.cli import main
from lagprov.errors import UnsupportedFeature
from lagprov.intent import lint_inventory, load_inventory
from lagprov.intent.load import load_yaml
from lagprov.knowledge.platforms import HARDWARE, canonical_port
from lagprov.knowledge.platforms.hardware import parse_hardware_file
from lagprov.model.hardware import HardwareModel, MtuScope
from lagprov.model.types import Platform
from lagprov.provision.render import render_device
from tests.conftest import EXAMPLE_INVENTORY

SHIPPED = Path(__file__).resolve().parents[2] / "lagprov" / "knowledge" / "hardware"


def _two_ports(model: HardwareModel) -> list[str]:
    """Two front-panel ports of one speed (the last two of the first range that has two)."""
    for r in model.ports:
        names = r.names()
        if len(names) >= 2:
            return list(names[-2:])
    raise AssertionError(f"{model.name} has no range of two ports")


def _one_switch(root: Path, model: HardwareModel) -> Path:
    """An inventory of one switch of ``model``, one Linux host and one jumbo LACP trunk."""
    root.mkdir(parents=True)
    hosts = {
        "sw1": {"hostname": "192.0.2.1", "platform": model.platform.value,
                "data": {"hardware": model.name}},
        "srv1": {"hostname": "192.0.2.2", "data": {"os": "linux"}},
    }
    trunk = {
        "name": "srv1-bond0", "jumbo": True,
        "switch": {"device": "sw1", "channel": 1, "members": _two_ports(model),
                   "mode": "lacp-active", "mtu": model.mtu_max,
                   "l2": {"mode": "access", "vlan": 10}},
        "host": {"device": "srv1", "team": "802.3ad", "name": "bond0",
                 "nics": ["eth0", "eth1"], "mtu": 9000},
    }
    (root / "hosts.yaml").write_text(yaml.safe_dump(hosts), encoding="utf-8")
    (root / "trunks.yaml").write_text(yaml.safe_dump({"trunks": [trunk]}), encoding="utf-8")
    return root


@pytest.mark.parametrize("name", sorted(HARDWARE))
def test_validate_accepts_every_catalogued_model(name: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    model = HARDWARE[name]
    root = _one_switch(tmp_path / "inv", model)
    code = main(["validate", "--inventory", str(root)])
    text = capsys.readouterr().out
    assert code == 0, text
    assert "hardware-uncatalogued" not in text
    assert load_inventory(root).hardware[name] == model


def test_the_catalog_covers_the_families_of_the_issue() -> None:
    wanted = {"WS-C2960S-48TS-L", "WS-C2960X-48TS-L", "WS-C2960XR-48TD-I", "WS-C3650-48TQ",
              "WS-C3850-48T", "C9200L-48T-4X", "C9300-48T", "C9300-48P", "C9300-48U",
              "C9300-48UXM", "C9300-24T", "C9300X-48HX", "C9500-48Y4C", "EX2300-48T",
              "EX3300-48T", "EX3400-48T", "EX4300-48T", "EX4400-48T", "EX4600-40F",
              "DCS-7050SX-64", "DCS-7050SX3-48YC8", "DCS-7280SR-48C6", "DCS-720XP-48ZC2",
              "DCS-7120T-4S", "SSE-X24S", "SSE-X3348S"}
    assert wanted <= set(HARDWARE)
    speeds = {r.speed_mbps for m in HARDWARE.values() for r in m.ports}
    assert {1000, 2500, 10000, 25000, 40000, 100000} <= speeds  # mGig, 25G, 40G, 100G


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_files_are_strict_yaml(path: Path) -> None:
    """The shipped files pass the inventory's strict loader (no key twice, no YAML 1.1
    surprise) and read the same as the plain loader the package uses."""
    assert load_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8"))


def test_every_model_says_where_its_facts_come_from() -> None:
    for m in HARDWARE.values():
        assert m.source, m.name
        assert m.lag_members_active is None or m.lag_members_source, m.name
        assert m.l2_frame_max is None or m.l2_frame_source, m.name
        assert not m.stack_technology or m.stack_source, m.name
        assert set(m.assumed) <= {"ports", "mtu", "channels", "lag_members", "lacks",
                                  "l2_frame", "stp_edge", "lacp_rate_cli", "vlan_style",
                                  "stack"}, m.name


def test_port_names_are_the_devices_own_spelling() -> None:
    """Every catalogued port is already canonical: IOS-XE's TwentyFiveGigE / HundredGigE /
    TwoGigabitEthernet (ios_names), Junos lower case, SMIS 'Ex 0/1'."""
    for m in HARDWARE.values():
        for port in m.port_names():
            assert canonical_port(m.platform, port) == port, (m.name, port)
    assert HARDWARE["C9300-48UXM"].port_speed("TwoGigabitEthernet1/0/36") == 2500
    assert HARDWARE["C9500-48Y4C"].port_speed("HundredGigE1/0/49") == 100000


def test_facts_that_moved_keep_their_values() -> None:
    """The six models of the Python table, as the data now says them."""
    s2960 = HARDWARE["WS-C2960S-48TS-L"]
    assert (s2960.mtu_scope, s2960.mtu_max, s2960.mtu_needs_reload, s2960.channel_max) == (
        MtuScope.SYSTEM_JUMBO, 9000, True, 6)
    assert s2960.stp_edge["trunk"] == "spanning-tree portfast trunk"
    assert HARDWARE["C9300-48T"].stp_edge["access"] == "spanning-tree portfast edge"
    assert HARDWARE["EX3300-48T"].vlan_style == "classic"
    assert HARDWARE["EX4300-48T"].lag_members_active == 16
    assert HARDWARE["DCS-7120T-4S"].l2_frame_max == 9236
    assert "l2_frame" in HARDWARE["DCS-7120T-4S"].assumed
    assert HARDWARE["SSE-X24S"].port_names()[0] == "Ex 0/1"


# ------------------------------------------------------------------ the inventory's own models

_OWN = """\
family: lab switches
platform: cisco_ios
models:
  LAB-SW-8:
    source: test inventory
    confirmed: true
    ports:
      ranges:
        - {prefix: GigabitEthernet1/0/, first: 1, last: 8, speed_mbps: 1000}
    mtu: {scope: system, min: 1500, max: 9198, default: 1500}
    lacks: {features: [lacp-rate-fast]}
"""


@pytest.fixture
def inv(tmp_path: Path) -> Path:
    root = tmp_path / "inv"
    shutil.copytree(EXAMPLE_INVENTORY, root)
    return root


def _retarget_cat9300(root: Path, model: str) -> None:
    hosts = yaml.safe_load((root / "hosts.yaml").read_text(encoding="utf-8"))
    hosts["cat9300-1"]["data"]["hardware"] = model
    (root / "hosts.yaml").write_text(yaml.safe_dump(hosts), encoding="utf-8")


def _write(root: Path, name: str, text: str) -> None:
    (root / "hardware").mkdir(exist_ok=True)
    (root / "hardware" / name).write_text(text, encoding="utf-8")


def _validate(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["validate", "--inventory", str(root)])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_an_inventory_adds_a_model(inv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(inv, "lab.yaml", _OWN)
    hosts = yaml.safe_load((inv / "hosts.yaml").read_text(encoding="utf-8"))
    hosts["lab-1"] = {"hostname": "127.0.10.99", "platform": "cisco_ios",
                      "data": {"hardware": "LAB-SW-8"}}
    (inv / "hosts.yaml").write_text(yaml.safe_dump(hosts), encoding="utf-8")
    assert _validate(inv, capsys) == (0, "OK: 8 trunks, 16 devices, 0 errors, 0 warnings\n")
    assert load_inventory(inv).hardware["LAB-SW-8"].port_names()[-1] == "GigabitEthernet1/0/8"


def test_the_inventorys_model_is_what_lint_and_render_use(inv: Path) -> None:
    """The model of hardware/ reaches lint and render: its missing feature is refused."""
    _write(inv, "lab.yaml", _OWN)
    _retarget_cat9300(inv, "LAB-SW-8")
    trunks = (inv / "trunks.yaml").read_text(encoding="utf-8")
    trunks = trunks.replace("[Te1/1/1, Te1/1/2]", "[Gi1/0/7, Gi1/0/8]")
    (inv / "trunks.yaml").write_text(trunks, encoding="utf-8")
    loaded = load_inventory(inv)
    fast = [t for t in loaded.trunks
            if any(e.device == "cat9300-1" and e.lacp_rate == "fast" for e in t.switch_ends)]
    assert fast, "the example has a fast-LACP trunk on cat9300-1"
    found = [f for f in lint_inventory(loaded) if f.rule == "unsupported-feature"]
    assert found and all("lacp-rate-fast" in f.message for f in found)
    with pytest.raises(UnsupportedFeature, match="lacp-rate-fast"):
        render_device(loaded, "cat9300-1")


def test_an_inventory_overrides_a_shipped_model(inv: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """C9300-48T redefined without uplinks: the example's Te1/1/x members no longer exist."""
    _write(inv, "c9300.yaml", _OWN.replace("LAB-SW-8", "C9300-48T").replace("last: 8", "last: 48"))
    code, text = _validate(inv, capsys)
    assert code == 2, text
    assert "trunks.yaml: trunks[6] (core-cat9300-ex4300).switch[0].members[0]" in text
    assert "cat9300-1 (C9300-48T) has no port 'TenGigabitEthernet1/1/1'" in text


@pytest.mark.parametrize(("text", "field", "message"), [
    (_OWN.replace("max: 9198", "max: big"), "hardware/bad.yaml: models.LAB-SW-8.mtu.max",
     "valid integer"),
    (_OWN.replace("max: 9198", "max: 1400"), "hardware/bad.yaml: models.LAB-SW-8.mtu",
     "min <= default <= max"),
    (_OWN.replace("    source: test inventory\n", ""),
     "hardware/bad.yaml: models.LAB-SW-8.ports.source", "no source"),
    (_OWN.replace("GigabitEthernet1/0/", "TwentyFiveGigabitEthernet1/0/"),
     "hardware/bad.yaml: models.LAB-SW-8.ports.ranges[0].prefix", "'TwentyFiveGigE1/0/1'"),
    (_OWN.replace("    mtu: {", "    mtu_max: 9000\n    mtu: {"),
     "hardware/bad.yaml: models.LAB-SW-8.mtu_max", "Extra inputs"),
    (_OWN.replace("lacp-rate-fast", "lacp-turbo"),
     "hardware/bad.yaml: models.LAB-SW-8.lacks.features[0]", "lacp-rate-fast"),
    (_OWN.replace("platform: cisco_ios", "platform: cisco_nxos"),
     "hardware/bad.yaml: platform", "cisco_ios"),
    (_OWN.replace("    mtu: {scope: system, min: 1500, max: 9198, default: 1500}\n", ""),
     "hardware/bad.yaml: models.LAB-SW-8.mtu", "required"),
    ("models: [\n", "hardware/bad.yaml:", "malformed YAML"),
])
def test_a_malformed_hardware_file_is_exit_2_naming_file_and_field(
        inv: Path, capsys: pytest.CaptureFixture[str], text: str, field: str,
        message: str) -> None:
    _write(inv, "bad.yaml", text)
    code, out = _validate(inv, capsys)
    assert code == 2, out
    line = next((ln for ln in out.splitlines() if field in ln), None)
    assert line is not None, out
    assert message in line, line
    assert "Traceback" not in out


def test_a_model_defined_in_two_files(inv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(inv, "a.yaml", _OWN)
    _write(inv, "b.yaml", _OWN)
    code, out = _validate(inv, capsys)
    assert code == 2
    assert "hardware/b.yaml: models.LAB-SW-8: also defined in hardware/a.yaml" in out


def test_an_uncatalogued_model_is_allowed_on_platform_defaults(inv: Path) -> None:
    """No refusal: the platform's defaults stand in, ports are not checked, and lint warns
    naming what it could not check (the broken-inventory case unknown-hardware too)."""
    _retarget_cat9300(inv, "C9300-24UX")
    trunks = (inv / "trunks.yaml").read_text(encoding="utf-8")
    (inv / "trunks.yaml").write_text(trunks.replace("[Te1/1/1, Te1/1/2]", "[Te1/1/7, Te1/1/9]"),
                                     encoding="utf-8")
    loaded = load_inventory(inv)
    model = loaded.hardware["C9300-24UX"]
    assert not model.catalogued and model.ports == ()
    assert (model.platform, model.mtu_scope, model.mtu_max) == (Platform.CISCO_IOS,
                                                                MtuScope.SYSTEM, 9198)
    warnings = [f for f in lint_inventory(loaded) if f.rule == "hardware-uncatalogued"]
    assert warnings and {f.severity for f in warnings} == {"warning"}
    assert all("members are not checked" in f.message and "MTU range is not checked"
               in f.message for f in warnings)
    rendered = render_device(loaded, "cat9300-1")
    assert rendered.lines
    assert any("C9300-24UX is not in the hardware catalog" in n for n in rendered.notes)


def test_parse_hardware_file_builds_frozen_models() -> None:
    (m,) = parse_hardware_file(yaml.safe_load(_OWN))
    assert m.assumed == ()
    with pytest.raises(AttributeError):
        m.mtu_max = 1  # type: ignore[misc]


def test_verify_judges_a_switchport_by_the_inventorys_model() -> None:
    """The catalog the inventory was loaded with reaches verify: an EOS model of the inventory's
    own hardware/ gives the L2 frame limit; not described anywhere, the check is unverifiable
    (nothing is assumed for an uncatalogued model)."""
    from dataclasses import replace

    from lagprov.verify import DEFAULT_RULES, Status, verify_trunk
    from tests.verify.scenarios import LNX01_TRUNK, World, edit_lag, edit_member

    rule = next(r for r in DEFAULT_RULES if r.id == "mtu-path")
    w = World()
    edit_lag(w.switches, "eos7120-1", 10, mtu_ip=1500)  # 'mtu' limits routed traffic only
    for m in ("Ethernet1", "Ethernet2"):
        edit_member(w.switches, "eos7120-1", 10, m, mtu_ip=1500)
    w.switches["eos7120-1"] = w.switches["eos7120-1"].model_copy(update={"hardware": "LAB-EOS"})
    own = replace(HARDWARE["DCS-7120T-4S"], name="LAB-EOS", l2_frame_max=9100,
                  l2_frame_source="test inventory")
    host = w.hosts[LNX01_TRUNK.host.device] if LNX01_TRUNK.host else None
    (f,) = verify_trunk(LNX01_TRUNK, w.switches, host, rules=(rule,), hardware={"LAB-EOS": own})
    assert f.status is Status.PASS, f.message
    assert "LAB-EOS L2 frame limit 9100" in f.message
    (f,) = verify_trunk(LNX01_TRUNK, w.switches, host, rules=(rule,))
    assert f.status is Status.UNVERIFIABLE, f.message
