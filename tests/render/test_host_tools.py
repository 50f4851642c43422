"""The rendered Linux host files, read by the real tools (see host_tools for which and how).

One host carries a bond of every Linux team mode (and a team-less pair of NICs) so each tool
runs once over all of them; the example fabric's Linux hosts are checked as well.  Each
checker is also shown to fail on a broken file, so a pass means the tool read the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lagprov.intent.load import load_inventory
from lagprov.knowledge.compat import TEAM_MODES
from lagprov.model.intent import HostEnd
from lagprov.model.inventory import HostDevice, Inventory
from lagprov.model.types import HostOs
from lagprov.provision.host_render import RenderedHostConfig, render_host
from tests.render.host_cases import SWITCH, host_trunk
from tests.render.host_tools import (
    ifupdown2_syntax,
    netplan_generate,
    networkd_parse,
    nm_keyfile_read,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "inventory"
MODES = [m.canonical for m in TEAM_MODES[HostOs.LINUX]]


def _every_mode() -> Inventory:
    """Host srv-lnx with one trunk per Linux team mode, on NICs eth<2i>/eth<2i+1>."""
    trunks = []
    for i, team in enumerate(MODES):
        t = host_trunk(HostOs.LINUX, team)
        assert t.host is not None
        host: HostEnd = t.host.model_copy(update={
            "nics": (f"eth{2 * i}", f"eth{2 * i + 1}"),
            "name": None if team == "none" else f"bond{i}"})
        trunks.append(t.model_copy(update={"host": host}))
    return Inventory(root="tests", switches=(SWITCH,),
                     hosts=(HostDevice(name="srv-lnx", os=HostOs.LINUX),), trunks=tuple(trunks))


def _configs(fmt: str) -> list[RenderedHostConfig]:
    example = load_inventory(EXAMPLE)
    linux = [h.name for h in example.hosts if h.os is HostOs.LINUX]
    return [render_host(_every_mode(), "srv-lnx", fmt=fmt),
            *(render_host(example, h, fmt=fmt) for h in linux)]


def test_netplan_generate_accepts_every_mode(tmp_path: Path) -> None:
    for i, cfg in enumerate(_configs("netplan")):
        root = tmp_path / str(i)
        assert netplan_generate(cfg.text, root) == [], cfg.device
        out = root / "run/systemd/network"
        for team in cfg.teams:
            if team.name is not None:
                netdev = (out / f"10-netplan-{team.name}.netdev").read_text()
                assert f"Mode={team.bond_mode}" in netdev


def test_netplan_generate_refuses_a_broken_file(tmp_path: Path) -> None:
    text = render_host(_every_mode(), "srv-lnx").text.replace("mode: 802.3ad", "mode: lacp4")
    assert netplan_generate(text, tmp_path) != []


def test_networkd_parses_every_unit(tmp_path: Path) -> None:
    for i, cfg in enumerate(_configs("networkd")):
        problems, log = networkd_parse(cfg.files(), tmp_path / str(i))
        assert problems == [], f"{cfg.device}:\n{log}"
        for team in cfg.teams:
            if team.name is not None:
                assert f'{team.name}: loaded "bond"' in log, log


def test_networkd_reports_a_bad_key(tmp_path: Path) -> None:
    cfg = render_host(_every_mode(), "srv-lnx", fmt="networkd")
    files = tuple((p, t.replace("LACPTransmitRate=fast", "LACPTransmitRate=quick"))
                  for p, t in cfg.files())
    problems, _ = networkd_parse(files, tmp_path)
    assert any("lacp rate" in p for p in problems), problems


def test_nm_keyfiles_read_by_libnm(tmp_path: Path) -> None:
    for i, cfg in enumerate(_configs("nm-keyfile")):
        read = nm_keyfile_read(cfg.files(), tmp_path / str(i))
        assert [r for r in read if r["problems"]] == []
        bonds = {r["ifname"]: r for r in read if r["type"] == "bond"}
        for team in cfg.teams:
            if team.name is not None:
                got = bonds[team.name]["bond"]
                assert isinstance(got, dict)
                assert got["mode"] == team.bond_mode
                assert got.get("lacp_rate") == (team.lacp_rate and str(team.lacp_rate))
        for r in read:
            mtu = next(t.mtu_ip for t in cfg.teams if r["ifname"] in (
                *t.nics, t.name, *(f"{lk}.{v}" for lk in t.links for v in t.vlans)))
            assert (r["mtu"] or 0) == (mtu or 0), r  # 0: no MTU set (the default)


def test_libnm_reports_a_bad_bond_option(tmp_path: Path) -> None:
    cfg = render_host(_every_mode(), "srv-lnx", fmt="nm-keyfile")
    files = tuple((p, t.replace("mode=802.3ad", "mode=lacp4")) for p, t in cfg.files())
    assert any(r["problems"] for r in nm_keyfile_read(files, tmp_path))


def test_ifupdown2_syntax_check(tmp_path: Path) -> None:
    for i, cfg in enumerate(_configs("ifupdown2")):
        assert ifupdown2_syntax(cfg.text, tmp_path / str(i)) == [], cfg.device


def test_ifupdown2_reports_a_bad_value(tmp_path: Path) -> None:
    text = render_host(_every_mode(), "srv-lnx", fmt="ifupdown2").text
    assert ifupdown2_syntax(text.replace("bond-mode 802.3ad", "bond-mode lacp4"), tmp_path)


@pytest.mark.parametrize("fmt", ["networkd", "nm-keyfile"])
def test_every_file_is_marked(fmt: str) -> None:
    cfg = render_host(_every_mode(), "srv-lnx", fmt=fmt)
    assert all(path.startswith("/etc/") for path, _ in cfg.files())
