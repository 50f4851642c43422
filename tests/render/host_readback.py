"""Read a rendered host config back into the HostTeamState it describes (tests only).

Each reader parses the format itself (YAML, INI units and keyfiles, interfaces stanzas, the
nmcli / PowerShell / esxcli command lines, the storage text) with no knowledge of the
renderer's context, so the pair test checks what the text says, not what was meant.
"""

from __future__ import annotations

import configparser
import re
import shlex
from collections.abc import Callable, Iterable

import yaml

from lagprov.knowledge.compat import canonical_team
from lagprov.knowledge.mtu import DEFAULT_IP_MTU, host_ip_mtu
from lagprov.model.state import HostMemberState, HostTeamState, LacpActivity
from lagprov.model.types import HostOs, LacpRate
from lagprov.provision.host_render import RenderedHostConfig


def _state(device: str, os: HostOs, name: str | None, team: str, nics: Iterable[str],
           mtu: int | None, rate: str | None = None, active: bool = True) -> HostTeamState:
    mode = canonical_team(os, team)
    lacp = mode.bundling.value == "lacp"
    ip = mtu if mtu is not None else DEFAULT_IP_MTU  # nothing set: the OS default
    return HostTeamState(
        device=device, os=os, name=name, team=mode.canonical, bundling=mode.bundling,
        lacp_rate=LacpRate(rate.lower()) if lacp and rate else LacpRate.SLOW if lacp else None,
        lacp_activity=(LacpActivity.ACTIVE if active else LacpActivity.PASSIVE) if lacp else None,
        mtu_ip=ip, status="Up",
        members=tuple(HostMemberState(name=n, link_up=True, mtu_ip=ip) for n in nics))


def _int(v: object) -> int | None:
    return None if v is None else int(str(v))


def netplan(cfg: RenderedHostConfig) -> list[HostTeamState]:
    net = yaml.safe_load(cfg.text)["network"]
    eth = net.get("ethernets") or {}
    out = [_state(cfg.device, cfg.os, n, b["parameters"]["mode"], b["interfaces"],
                  _int(b.get("mtu")), b["parameters"].get("lacp-rate"))
           for n, b in (net.get("bonds") or {}).items()]
    bonded = {i for b in (net.get("bonds") or {}).values() for i in b["interfaces"]}
    out += [_state(cfg.device, cfg.os, None, "none", [n], _int((e or {}).get("mtu")))
            for n, e in eth.items() if n not in bonded]
    return out


def _ini(text: str) -> configparser.ConfigParser:
    p = configparser.ConfigParser(strict=False, interpolation=None)
    p.optionxform = str  # type: ignore[assignment,method-assign]
    p.read_string(text)
    return p


def _ini_teams(cfg: RenderedHostConfig, read: Callable[[configparser.ConfigParser], tuple[
        str, str, dict[str, str]]]) -> list[HostTeamState]:
    """Shared by networkd and keyfiles: read(unit) -> (kind, name, facts)."""
    bonds: dict[str, dict[str, str]] = {}
    ports: dict[str, list[str]] = {}
    alone: dict[str, dict[str, str]] = {}
    for _, text in cfg.files():
        kind, name, facts = read(_ini(text))
        if kind == "bond":
            bonds.setdefault(name, {}).update(facts)
        elif facts.get("controller"):
            ports.setdefault(facts["controller"], []).append(name)
        elif kind == "nic" and "." not in name:
            alone.setdefault(name, {}).update(facts)
    out = [_state(cfg.device, cfg.os, n, f["mode"], ports.get(n, []), _int(f.get("mtu")),
                  f.get("rate")) for n, f in bonds.items()]
    out += [_state(cfg.device, cfg.os, None, "none", [n], _int(f.get("mtu")))
            for n, f in alone.items() if n not in bonds]
    return out


def _networkd_unit(u: configparser.ConfigParser) -> tuple[str, str, dict[str, str]]:
    if u.has_section("NetDev"):
        nd = u["NetDev"]
        facts = {"mtu": nd.get("MTUBytes", ""), "mode": u.get("Bond", "Mode", fallback=""),
                 "rate": u.get("Bond", "LACPTransmitRate", fallback="")}
        return ("bond" if nd["Kind"] == "bond" else nd["Kind"]), nd["Name"], {
            k: v for k, v in facts.items() if v}
    name = u["Match"]["Name"]
    facts = {"mtu": u.get("Link", "MTUBytes", fallback=""),
             "controller": u.get("Network", "Bond", fallback="")}
    return "nic", name, {k: v for k, v in facts.items() if v}


def networkd(cfg: RenderedHostConfig) -> list[HostTeamState]:
    states = _ini_teams(cfg, _networkd_unit)
    # a bond's .network file names the bond: not a team-less NIC
    return [s for s in states if s.name is not None or s.members[0].name not in
            {t.name for t in states}]


def _keyfile(u: configparser.ConfigParser) -> tuple[str, str, dict[str, str]]:
    c = u["connection"]
    facts = {"mtu": u.get("ethernet", "mtu", fallback=""), "controller": c.get("master", ""),
             "mode": u.get("bond", "mode", fallback=""),
             "rate": u.get("bond", "lacp_rate", fallback="")}
    kind = {"bond": "bond", "ethernet": "nic"}.get(c["type"], c["type"])
    return kind, c["interface-name"], {k: v for k, v in facts.items() if v}


def nm_keyfile(cfg: RenderedHostConfig) -> list[HostTeamState]:
    return _ini_teams(cfg, _keyfile)


def nmcli(cfg: RenderedHostConfig) -> list[HostTeamState]:
    bonds: dict[str, dict[str, str]] = {}
    ports: dict[str, list[str]] = {}
    alone: dict[str, str | None] = {}
    for line in cfg.text.splitlines():
        words = shlex.split(line)
        if words[:3] != ["nmcli", "connection", "add"]:
            continue
        args = dict(zip(words[3::2], words[4::2], strict=False))
        mtu = args.get("802-3-ethernet.mtu")
        if args["type"] == "bond":
            opts = dict(o.split("=", 1) for o in args["bond.options"].split(","))
            bonds[args["ifname"]] = {"mode": opts["mode"], "rate": opts.get("lacp_rate", ""),
                                     "mtu": mtu or ""}
        elif args["type"] == "ethernet" and "connection.master" in args:
            ports.setdefault(args["connection.master"], []).append(args["ifname"])
        elif args["type"] == "ethernet":
            alone[args["ifname"]] = mtu
    out = [_state(cfg.device, cfg.os, n, f["mode"], ports.get(n, []), _int(f["mtu"] or None),
                  f["rate"] or None) for n, f in bonds.items()]
    return out + [_state(cfg.device, cfg.os, None, "none", [n], _int(m)) for n, m in alone.items()]


def ifupdown2(cfg: RenderedHostConfig) -> list[HostTeamState]:
    stanzas: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in cfg.text.splitlines():
        words = line.split()
        if words[:1] == ["iface"]:
            current = stanzas.setdefault(words[1], {})
        elif words and not line.startswith(("#", "auto")) and current is not None:
            current[words[0]] = " ".join(words[1:])
    slaves = {s for f in stanzas.values() for s in f.get("bond-slaves", "").split()}
    out = [_state(cfg.device, cfg.os, n, f["bond-mode"], f["bond-slaves"].split(),
                  _int(f.get("mtu")), f.get("bond-lacp-rate"))
           for n, f in stanzas.items() if "bond-slaves" in f]
    return out + [_state(cfg.device, cfg.os, None, "none", [n], _int(f.get("mtu")))
                  for n, f in stanzas.items()
                  if "bond-slaves" not in f and n not in slaves and "." not in n]


_PS_LIST = r"((?:'[^']*',?)+)"


def _ps_names(text: str) -> list[str]:
    return [n.replace("''", "'") for n in re.findall(r"'((?:[^']|'')*)'", text)]


def powershell(cfg: RenderedHostConfig) -> list[HostTeamState]:
    out = []
    for block in cfg.text.split("\n# trunk ")[1:]:
        jumbo = re.search(r"Set-NetAdapterAdvancedProperty -Name " + _PS_LIST +
                          r" -RegistryKeyword '\*JumboPacket' -RegistryValue (\d+)", block)
        mtu = host_ip_mtu(HostOs.WINDOWS, int(jumbo[2])) if jumbo else None
        lbfo = re.search(r"New-NetLbfoTeam -Name '([^']+)' -TeamMembers " + _PS_LIST +
                         r" -TeamingMode (\w+).*?(?:-LacpTimer (\w+))?", block)
        vmswitch = re.search(r"New-VMSwitch -Name '([^']+)' -NetAdapterName " + _PS_LIST +
                             r" -EnableEmbeddedTeaming \$true", block)
        if lbfo:
            timer = re.search(r"New-NetLbfoTeam .* -LacpTimer (\w+)", block)
            out.append(_state(cfg.device, cfg.os, lbfo[1], lbfo[3], _ps_names(lbfo[2]), mtu,
                              timer[1] if timer else None))
        elif vmswitch:
            out.append(_state(cfg.device, cfg.os, vmswitch[1], "SET",
                              _ps_names(vmswitch[2]), mtu))
        elif jumbo:
            out += [_state(cfg.device, cfg.os, None, "none", [n], mtu)
                    for n in _ps_names(jumbo[1])]
    return out


def esxcli(cfg: RenderedHostConfig) -> list[HostTeamState]:
    out = []
    for block in cfg.text.split("\n# trunk ")[1:]:
        lag = re.search(r"#   LAG (\S+): \d+ uplinks \(([^)]*)\), mode (\w+), timeout (\w+)",
                        block)
        vds_mtu = re.search(r"#   vDS MTU (\d+)", block)
        failover = re.search(r"policy failover set -v (\S+) --load-balancing (\w+) "
                             r"--active-uplinks (\S+) --failure-detection link", block)
        mtu = re.search(r"vswitch standard set -v \S+ --mtu (\d+)", block)
        if lag:
            out.append(_state(cfg.device, cfg.os, lag[1], "lacp", lag[2].split(", "),
                              _int(vds_mtu[1]) if vds_mtu else None, lag[4], lag[3] == "active"))
        elif failover:
            out.append(_state(cfg.device, cfg.os, failover[1], failover[2],
                              failover[3].split(","), _int(mtu[1]) if mtu else None))
        elif alone := re.search(r"# no team: (.*) stay separate uplinks", block):
            each = re.search(r"#   MTU (\d+) on each vSwitch", block)
            out += [_state(cfg.device, cfg.os, None, "none", [n], _int(each[1]) if each else None)
                    for n in alone[1].split(", ")]
    return out


def storage_text(cfg: RenderedHostConfig) -> list[HostTeamState]:
    out = []
    for block in cfg.text.split("\ntrunk ")[1:]:
        facts = dict(re.findall(r"^  ([a-zA-Z ]+):\s+(.*)$", block, re.MULTILINE))
        agg = facts.get("aggregation", "")
        team = "lacp" if agg.startswith("LACP") else "static" if agg.startswith("static") \
            else "failover" if agg else "none"
        rate = re.search(r"rate (\w+)", agg)
        mtu = re.match(r"(\d+)", facts["MTU"])
        nics = (facts.get("member ports") or facts["ports"].split(", each")[0]).split(", ")
        out.append(_state(cfg.device, cfg.os, facts.get("trunk group"), team, nics,
                          _int(mtu[1]) if mtu else None, rate[1] if rate else None,
                          ", passive" not in agg))
    return out


READERS: dict[str, Callable[[RenderedHostConfig], list[HostTeamState]]] = {
    "netplan": netplan, "networkd": networkd, "nm-keyfile": nm_keyfile, "nmcli": nmcli,
    "ifupdown2": ifupdown2, "powershell": powershell, "esxcli": esxcli, "text": storage_text,
}


def read_back(cfg: RenderedHostConfig) -> list[HostTeamState]:
    """Every team (or team-less NIC) the rendered text configures."""
    return READERS[cfg.format](cfg)
