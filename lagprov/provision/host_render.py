"""Render the host half of every trunk a host belongs to (pure; nothing is sent anywhere).

One template per host OS and format under ``templates/host/<os>/<format>.j2`` renders every
team of the host at once (netplan wants one document).  The values come from the tables
that drive switch rendering and verification: the team mode is canonicalised by
``knowledge.compat.canonical_team``, the MTU is the intent's host MTU read as IP MTU by
``knowledge.mtu.HOST_MTU`` (and written back in the host's own semantics: Windows Jumbo
Packet = IP MTU + 14), the LACP rate is the host's, else the switch end's (its platform
default when unset), so a rendered pair verifies as compatible.

Formats that describe several files (networkd, NetworkManager keyfiles) mark each file with
a ``# ==> <path> <==`` line; :meth:`RenderedHostConfig.files` splits them.
"""

from __future__ import annotations

import json
import re
import shlex
import uuid
from collections.abc import Callable, Collection, Mapping
from types import MappingProxyType

from lagprov.errors import InputError, UnsupportedFeature
from lagprov.knowledge.compat import canonical_team
from lagprov.knowledge.mtu import HOST_MTU, JUMBO_IP_MTU
from lagprov.knowledge.platforms import get_spec
from lagprov.knowledge.templates import TemplateStore
from lagprov.model.base import Model
from lagprov.model.intent import Access, HostEnd, SwitchEnd, Trunk8021q, TrunkIntent
from lagprov.model.inventory import Inventory
from lagprov.model.types import Bundling, HostOs, LacpRate

__all__ = ["HOST_FORMATS", "HostTeamConfig", "RenderedHostConfig", "host_team_config",
           "render_host"]

HOST_FORMATS: Mapping[HostOs, tuple[str, ...]] = MappingProxyType({
    HostOs.LINUX: ("netplan", "networkd", "nm-keyfile", "nmcli", "ifupdown2"),
    HostOs.WINDOWS: ("powershell",),
    HostOs.VMWARE: ("esxcli",),
    HostOs.STORAGE: ("text",),
})
"""Every format per OS; the first is the default."""

# Linux bonding (kernel Documentation/networking/bonding.rst): xmit_hash_policy applies to
# balance-xor, 802.3ad and balance-tlb; layer2+3 is 802.3ad-compliant (layer3+4 is not quite)
_LINUX_HASHED = frozenset({"balance-xor", "802.3ad", "balance-tlb"})
LINUX_XMIT_HASH = "layer2+3"
LINUX_MIIMON_MS = 100

# New-NetLbfoTeam -TeamingMode takes LACP|Static|SwitchIndependent (Microsoft New-NetLbfoTeam,
# vendor-cli.md 5.1; the display form of LACP is 'Lacp')
_WINDOWS_TEAMING = MappingProxyType(
    {"Lacp": "LACP", "Static": "Static", "SwitchIndependent": "SwitchIndependent"})
WINDOWS_LB = "Dynamic"  # LBFO and SET both take Dynamic (vendor-cli.md 5.1)

# esxcli ... policy failover set -l takes explicit|iphash|mac|portid; LACP needs a vDS LAG
_ESX_LOAD_BALANCING = MappingProxyType(
    {"iphash": "iphash", "portid": "portid", "mac": "mac", "explicit": "explicit"})

_DEFAULT_NAME: Mapping[HostOs, str] = MappingProxyType(
    {HostOs.LINUX: "bond{n}", HostOs.VMWARE: "vSwitch{n}", HostOs.WINDOWS: "{trunk}",
     HostOs.STORAGE: "{trunk}"})

_FILE_MARK = re.compile(r"^# ==> (?P<path>\S+) <==$", re.MULTILINE)


class HostTeamConfig(Model):
    """The values of one trunk's host end, as every host format renders them."""

    trunk: str
    description: str
    os: HostOs
    team: str = "none"
    bundling: Bundling
    name: str | None = None
    nics: tuple[str, ...]
    lacp_rate: LacpRate | None = None
    lacp_active: bool = True
    min_links: int | None = None
    mtu_ip: int | None = None
    mtu_native: int | None = None  # in the OS's own semantics (Windows Jumbo Packet)
    vlans: tuple[int, ...] = ()  # tagged VLANs (sub-interfaces, team NICs, port groups)
    untagged_vlan: int | None = None
    bond_mode: str | None = None
    xmit_hash_policy: str | None = None
    miimon: int | None = None
    teaming_mode: str | None = None
    lb_algorithm: str | None = None
    load_balancing: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def links(self) -> tuple[str, ...]:
        """The interfaces that carry the traffic: the team, or each NIC when there is none."""
        return (self.name,) if self.name is not None else self.nics


class RenderedHostConfig(Model):
    """One host's half of its trunks, in the host's own configuration language."""

    device: str
    os: HostOs
    format: str
    trunks: tuple[str, ...]
    teams: tuple[HostTeamConfig, ...]
    text: str
    notes: tuple[str, ...] = ()

    def files(self) -> tuple[tuple[str, str], ...]:
        """``(path, content)`` per ``# ==> path <==`` mark; ``("", text)`` when unmarked."""
        marks = list(_FILE_MARK.finditer(self.text))
        if not marks:
            return (("", self.text),)
        out = []
        for i, m in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(self.text)
            out.append((m["path"], self.text[m.end():end].strip("\n") + "\n"))
        return tuple(out)


def _rate(host: HostEnd, ends: tuple[SwitchEnd, ...]) -> LacpRate | None:
    """The host's rate, else the LACP switch end's (its platform default when unset)."""
    if host.bundling is not Bundling.LACP:
        return None
    if host.lacp_rate is not None:
        return host.lacp_rate
    for end in ends:
        if end.mode.is_lacp:
            return end.lacp_rate or get_spec(end.platform).lacp_default_rate
    return LacpRate.SLOW


def _vlans(trunk: TrunkIntent) -> tuple[tuple[int, ...], int | None, tuple[str, ...]]:
    """(tagged, untagged, notes): the switch side's L2, when every end agrees."""
    l2s = {e.l2.model_dump_json() if e.l2 else "" for e in trunk.switch}
    l2 = trunk.switch[0].l2
    if len(l2s) > 1:
        if all(isinstance(e.l2, Access) for e in trunk.switch):
            return (), None, ()  # one untagged VLAN per path: nothing to tag on the host
        return (), None, (f"{trunk.name}: the switch ends carry different VLANs; no VLAN "
                          "interface is rendered",)
    if isinstance(l2, Access):
        return (), l2.vlan, ()
    if isinstance(l2, Trunk8021q):
        tagged = tuple(v for v in l2.vlans if v != l2.native_vlan)
        return tagged, l2.native_vlan, ()
    return (), None, ()


def _mtu(trunk: TrunkIntent, host: HostEnd) -> tuple[int | None, int | None]:
    """(IP MTU, value in the host's own semantics): the intent's, else 9000 on a jumbo trunk."""
    sem = HOST_MTU[host.os]
    if host.mtu is not None:
        ip = sem.to_ip(host.mtu)
    elif trunk.jumbo:
        ip = JUMBO_IP_MTU
    else:
        return None, None
    return ip, sem.from_ip(ip)


def _os_values(os: HostOs, team: str, teamed: bool) -> dict[str, object]:
    """The OS's own spelling of the team (bond mode, TeamingMode, load balancing)."""
    if not teamed:
        return {}
    if os is HostOs.LINUX:
        return {"bond_mode": team, "miimon": LINUX_MIIMON_MS,
                "xmit_hash_policy": LINUX_XMIT_HASH if team in _LINUX_HASHED else None}
    if os is HostOs.WINDOWS:
        return {"teaming_mode": _WINDOWS_TEAMING.get(team, "SwitchIndependent"),
                "lb_algorithm": WINDOWS_LB}
    if os is HostOs.VMWARE:
        return {"load_balancing": _ESX_LOAD_BALANCING.get(team)}
    return {}


def host_team_config(trunk: TrunkIntent, *, index: int = 0) -> HostTeamConfig:
    """The host-end values of ``trunk`` (``index``: its place among the host's teams, for a
    default team name).

    Raises:
        UnsupportedFeature: LACP passive on a Linux bond or a Windows team (both always send
            LACPDUs in these formats).
    """
    host = trunk.host
    if host is None:
        raise InputError(f"trunk {trunk.name}", "a switch-to-switch trunk has no host end")
    mode = canonical_team(host.os, host.team)
    teamed = mode.canonical != "none"
    if host.lacp_mode == "passive" and host.os in (HostOs.LINUX, HostOs.WINDOWS):
        raise UnsupportedFeature(host.os.value, "lacp-passive",
                                 f"trunk {trunk.name}: host {host.device}")
    name = host.name or _DEFAULT_NAME[host.os].format(n=index, trunk=trunk.name)
    tagged, untagged, notes = _vlans(trunk)
    if host.os is HostOs.LINUX:
        links = (name,) if teamed else host.nics
        too_long = [f"{lk}.{v}" for lk in links for v in tagged if len(f"{lk}.{v}") > 15]
        if too_long:
            raise InputError(f"trunk {trunk.name}: host {host.device}",
                             f"VLAN interface {too_long[0]} is longer than the 15 characters "
                             "a Linux interface name may have; give the team a shorter name")
    ip, native = _mtu(trunk, host)
    lacp = host.bundling is Bundling.LACP
    min_links = next((e.min_links for e in trunk.switch if e.min_links), None)
    return HostTeamConfig(
        trunk=trunk.name, description=trunk.description or "", os=host.os,
        team=mode.canonical, bundling=mode.bundling, name=name if teamed else None,
        nics=host.nics, lacp_rate=_rate(host, trunk.switch), lacp_active=host.lacp_mode ==
        "active", min_links=min_links if lacp else None, mtu_ip=ip, mtu_native=native,
        vlans=tagged, untagged_vlan=untagged, notes=notes,
        **_os_values(host.os, mode.canonical, teamed),
    )


def _quoters(os: HostOs, fmt: str) -> Callable[[str], str]:
    """How a name is quoted in this format (names are validated per OS all the same)."""
    if os is HostOs.WINDOWS:
        return lambda s: "'" + s.replace("'", "''") + "'"
    if fmt == "netplan":
        return json.dumps  # a JSON string is a YAML flow scalar
    return shlex.quote


def render_host(
    inventory: Inventory,
    device: str,
    *,
    fmt: str | None = None,
    trunks: Collection[str] | None = None,
    store: TemplateStore | None = None,
) -> RenderedHostConfig:
    """The configuration of host ``device`` for every present trunk it belongs to (only
    ``trunks``, when given; a default team name still counts every team of the host).

    Raises:
        InputError: ``device`` is not a host of the inventory, or ``fmt`` is not a format of
            its OS.
        UnsupportedFeature: the intent asks for what the format cannot express.
        TemplateError: a template is missing or uses an undefined variable.
    """
    try:
        host = inventory.host(device)
    except KeyError:
        known = ", ".join(h.name for h in inventory.hosts)
        raise InputError(f"device {device}", f"not a host of the inventory; known: {known}"
                         ) from None
    formats = HOST_FORMATS[host.os]
    chosen = fmt or formats[0]
    if chosen not in formats:
        raise InputError(f"--host-format {chosen}",
                         f"not a format for {host.os.value} hosts; use one of: "
                         f"{', '.join(formats)}")
    mine = [t for t in inventory.trunks
            if t.host is not None and t.host.device == device and t.state == "present"]
    teams: list[HostTeamConfig] = []
    for t in mine:
        n = sum(1 for c in teams if c.name is not None)
        teams.append(host_team_config(t, index=n))
    if trunks is not None:
        unknown = sorted(set(trunks) - {t.name for t in mine})
        if unknown:
            raise InputError(f"device {device}", f"no present trunk {', '.join(unknown)} on "
                             f"this host; known: {', '.join(t.name for t in mine)}")
        teams = [c for c in teams if c.trunk in trunks]
    store = store or TemplateStore()
    quote = _quoters(host.os, chosen)
    text = store.render(f"host/{host.os.value}/{chosen}.j2", {
        "device": device,
        "teams": [{**c.model_dump(mode="json"), "links": c.links} for c in teams],
        "q": quote,
        "qs": lambda names: ",".join(quote(n) for n in names),
        # NetworkManager profiles need a uuid: derived from host and profile, so a render is
        # repeatable and a re-applied profile replaces itself
        "uuid": lambda name: str(uuid.uuid5(uuid.NAMESPACE_URL, f"lagprov:{device}:{name}")),
    })
    return RenderedHostConfig(
        device=device, os=host.os, format=chosen, trunks=tuple(c.trunk for c in teams),
        teams=tuple(teams), text=text.rstrip("\n") + "\n",
        notes=tuple(n for c in teams for n in c.notes))
