"""A rendered host end and the switch end of the same intent verify as compatible.

For every host of the example fabric (and every team mode of the compat table), the host
config is rendered in each of its formats, read back into the HostTeamState it describes
(host_readback: the text's own values), and verified, against the switch end as the intent
builds it, by the rules verify uses: lacp-pairing (compat.pair_outcome), host-team-mode,
mtu-path (mtu.HOST_MTU / SWITCH_MTU) and lacp-rate-pair.  A config rendered for the wrong
mode (a Static team against an LACP port-channel) fails them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lagprov.intent.load import load_inventory
from lagprov.knowledge.compat import canonical_team
from lagprov.knowledge.mtu import DEFAULT_IP_MTU, switch_ip_mtu
from lagprov.knowledge.platforms import get_spec
from lagprov.model.findings import Status
from lagprov.model.intent import SwitchEnd, TrunkIntent
from lagprov.model.inventory import Inventory
from lagprov.model.state import (
    DeviceLagState,
    HostTeamState,
    LagProtocol,
    LagState,
    MemberState,
    MemberStatus,
    PortState,
)
from lagprov.model.types import HostOs
from lagprov.provision.host_render import HOST_FORMATS, render_host
from lagprov.verify import verify_trunk
from lagprov.verify.rules_host import HostTeamMode, LacpRatePair
from lagprov.verify.rules_mtu import MtuPath
from lagprov.verify.rules_pairing import LacpPairing
from tests.render.host_cases import CASES, HOSTS, host_inventory
from tests.render.host_readback import read_back

EXAMPLE = Path(__file__).resolve().parents[2] / "inventory"
RULES = (LacpPairing(), HostTeamMode(), MtuPath(), LacpRatePair())


def _switch_state(inv: Inventory, end: SwitchEnd) -> DeviceLagState:
    """The switch end as its rendered config makes it: mode, rate, MTU, members bundled."""
    ip = switch_ip_mtu(end.platform, end.mtu) if end.mtu is not None else DEFAULT_IP_MTU
    hw = inv.switch(end.device).hardware
    if not end.mode.is_lag:
        ports = tuple(PortState(name=m, link_up=True, mtu_ip=ip, l2=end.l2) for m in end.members)
        return DeviceLagState(device=end.device, platform=end.platform, ports=ports, hardware=hw)
    rate = (end.lacp_rate or get_spec(end.platform).lacp_default_rate) if end.mode.is_lacp \
        else None
    assert end.channel is not None
    lag = LagState(
        channel=end.channel, protocol=LagProtocol.LACP if end.mode.is_lacp else
        LagProtocol.STATIC, mode=end.mode, oper_up=True, lacp_rate=rate,
        min_links=end.min_links, mtu_ip=ip, l2=end.l2,
        members=tuple(MemberState(name=m, status=MemberStatus.BUNDLED, link_up=True, mtu_ip=ip)
                      for m in end.members))
    return DeviceLagState(device=end.device, platform=end.platform, lags=(lag,), hardware=hw)


def _host_state(states: list[HostTeamState], trunk: TrunkIntent) -> HostTeamState:
    """The team the text configures over the trunk's NICs (team-less NICs taken together)."""
    assert trunk.host is not None
    nics = set(trunk.host.nics)
    mine = [s for s in states if {m.name for m in s.members} & nics]
    assert mine, f"no team over {sorted(nics)} in the rendered text"
    if len(mine) == 1:
        return mine[0]
    assert all(s.team == "none" for s in mine), mine
    members = tuple(m for s in mine for m in s.members)
    return mine[0].model_copy(update={"members": members,
                                      "mtu_ip": min(m.mtu_ip or 0 for m in members)})


def _findings(inv: Inventory, trunk: TrunkIntent, host: HostTeamState) -> dict[str, set[Status]]:
    switches = {e.device: _switch_state(inv, e) for e in trunk.switch}
    got: dict[str, set[Status]] = {}
    for f in verify_trunk(trunk, switches, host, rules=RULES, hardware=inv.hardware):
        got.setdefault(f.rule, set()).add(f.status)
    return got


def _example_cases() -> list[tuple[str, str]]:
    inv = load_inventory(EXAMPLE)
    return [(h.name, fmt) for h in inv.hosts for fmt in HOST_FORMATS[h.os]]


def _assert_pair_clean(inv: Inventory, device: str, fmt: str) -> None:
    cfg = render_host(inv, device, fmt=fmt)
    states = read_back(cfg)
    assert cfg.trunks, f"{device} belongs to no trunk"
    for name in cfg.trunks:
        trunk = next(t for t in inv.trunks if t.name == name)
        host = _host_state(states, trunk)
        found = _findings(inv, trunk, host)
        expected_rules = {"lacp-pairing", "host-team-mode", "mtu-path"}
        assert expected_rules <= set(found), found
        assert all(v == {Status.PASS} for v in found.values()), (name, found)


@pytest.mark.parametrize(("device", "fmt"), _example_cases())
def test_example_fabric_host_configs_verify_against_the_switch_end(device: str, fmt: str
                                                                    ) -> None:
    _assert_pair_clean(load_inventory(EXAMPLE), device, fmt)


ALL = [(os, fmt, team) for os, team in CASES for fmt in HOST_FORMATS[os]]


@pytest.mark.parametrize(("os", "fmt", "team"), ALL, ids=[f"{o}/{f}/{t}" for o, f, t in ALL])
def test_every_team_mode_verifies_against_its_switch_end(os: HostOs, fmt: str, team: str
                                                         ) -> None:
    _assert_pair_clean(host_inventory(os, team), HOSTS[os][0], fmt)


def test_example_fabric_covers_every_host_os() -> None:
    inv = load_inventory(EXAMPLE)
    assert {h.os for h in inv.hosts} == set(HostOs)


@pytest.mark.parametrize("fmt", HOST_FORMATS[HostOs.WINDOWS])
def test_static_team_against_an_lacp_port_channel_fails(fmt: str) -> None:
    inv = load_inventory(EXAMPLE)
    trunk = next(t for t in inv.trunks if t.name == "hv01-team")
    assert trunk.host is not None and trunk.switch[0].mode.is_lacp
    wrong_host = trunk.host.model_copy(update={"team": "Static", "bundling": canonical_team(
        HostOs.WINDOWS, "Static").bundling})
    wrong = inv.model_copy(update={"trunks": (trunk.model_copy(update={"host": wrong_host}),)})
    cfg = render_host(wrong, "hv01", fmt=fmt)
    assert "-TeamingMode Static" in cfg.text
    found = _findings(inv, trunk, _host_state(read_back(cfg), trunk))
    # host-team-mode is the root cause; the LACP-vs-static pairing it explains is folded
    assert found["lacp-pairing"] <= {Status.FAIL, Status.EXPLAINED}, found
    assert Status.FAIL in found["host-team-mode"], found


@pytest.mark.parametrize("fmt", HOST_FORMATS[HostOs.LINUX])
def test_linux_mtu_below_the_jumbo_intent_fails(fmt: str) -> None:
    inv = load_inventory(EXAMPLE)
    trunk = next(t for t in inv.trunks if t.name == "lnx01-bond0")
    assert trunk.host is not None and trunk.jumbo
    small = trunk.host.model_copy(update={"mtu": 1500})
    wrong = inv.model_copy(update={"trunks": (trunk.model_copy(update={"host": small}),)})
    found = _findings(inv, trunk, _host_state(read_back(render_host(wrong, "lnx01", fmt=fmt)),
                                              trunk))
    assert Status.FAIL in found["mtu-path"], found
