"""An Arista MLAG trunk for the rule tables: tests/inventories/mlag's trunk, the two peers'
``show mlag`` / ``show mlag interfaces`` parsed from text in the shape of the public captures
(ntc-templates tests/arista_eos/show_mlag/arista_eos_show_mlag.raw; titom73/avd-to-containerlab
containerlab/snapshots/EAPI-LEAF1B/report.md, show mlag detail), and the host's partners."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lagprov.intent.load import load_inventory
from lagprov.model.state import (
    DeviceLagState,
    HostMemberState,
    HostTeamState,
    LacpPort,
    LagProtocol,
    LagState,
    MemberState,
    MemberStatus,
)
from lagprov.model.types import HostOs, Platform, SwitchMode
from lagprov.observe.parsers import merge_device_states, parse_command
from tests.verify.scenarios import World

TRUNK = "lnx-mlag-bond0"
SYS_ID = "02:1c:73:00:00:0a"
INVENTORY = Path(__file__).resolve().parents[1] / "inventories" / "mlag"


def show_mlag(state: str = "Active", link: str = "Up", system_id: str = SYS_ID,
              domain: str = "lab-mlag") -> str:
    """``show mlag`` text (layout of the captures named above; values of this test)."""
    pairs = [("domain-id", domain), ("local-interface", "Vlan4094"),
             ("peer-address", "10.255.255.2"), ("peer-link", "Port-Channel2000"), None,
             ("state", state), ("negotiation status", "Connected"),
             ("peer-link status", link), ("local-int status", "Up"), ("system-id", system_id)]
    lines = ["MLAG Configuration:"]
    for p in pairs:
        lines += ["", "MLAG Status:"] if p is None else [f"{p[0]:<20}:{p[1]:>20}"]
    return "\n".join(lines) + "\n"


def show_mlag_interfaces(*rows: tuple[int, str, str, str, str]) -> str:
    """``show mlag interfaces`` text: (id, state, local, remote, status) rows."""
    lines = [" " * 65 + "local/remote",
             "   mlag       desc             state       local       remote          status",
             "---------- ------------ ----------------- ----------- ------------ ------------"]
    lines += [f"{i:>10} {'lnx-mlag':>12} {s:>17} {lo:>11} {re:>12} {st:>12}"
              for i, s, lo, re, st in rows]
    return "\n".join(lines) + "\n"


FULL = (10, "active-full", "Po10", "Po10", "up/up")


def peer_state(device: str, mlag: str, interfaces: str) -> DeviceLagState:
    lag = LagState(channel=10, name="Port-Channel10", protocol=LagProtocol.LACP,
                   mode=SwitchMode.LACP_ACTIVE, oper_up=True,
                   members=(MemberState(name="Ethernet1", status=MemberStatus.BUNDLED),))
    parsed = [parse_command(Platform.ARISTA_EOS, c, t, device=device)
              for c, t in (("show mlag", mlag), ("show mlag interfaces", interfaces))]
    base = DeviceLagState(device=device, platform=Platform.ARISTA_EOS, lags=(lag,))
    return merge_device_states(base, *parsed)


def add_mlag(w: World, *, a: tuple[str, str] | None = None, b: tuple[str, str] | None = None,
             partners: tuple[str, str] = (SYS_ID, SYS_ID)) -> None:
    """Add the MLAG trunk and its observed state to ``w`` (``a``/``b``: (show mlag, show mlag
    interfaces) texts of eos-a / eos-b; default: Active, active-full)."""
    trunk = next(t for t in load_inventory(INVENTORY).trunks if t.name == TRUNK)
    w.trunks.append(trunk)
    default = (show_mlag(), show_mlag_interfaces(FULL))
    for device, texts in (("eos-a", a or default), ("eos-b", b or default)):
        w.switches[device] = peer_state(device, *texts)
    w.hosts["lnx-mlag"] = HostTeamState(
        device="lnx-mlag", os=HostOs.LINUX, name="bond0", members=tuple(
            HostMemberState(name=nic, link_up=True, partner=LacpPort(system_id=p, port=1))
            for nic, p in zip(("ens1f0", "ens1f1"), partners, strict=True)))


def mlag(**kw: object) -> Callable[[World], None]:
    """An Edit adding the MLAG trunk (keyword arguments as :func:`add_mlag`)."""
    return lambda w: add_mlag(w, **kw)  # type: ignore[arg-type]
