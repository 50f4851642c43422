"""VMware ESXi (vSphere Standard Switch) read-backs -> :class:`HostTeamState` (vendor-cli.md 5.3).

vendor-cli.md 5.3 lists the commands ([K]) but quotes no output and no real capture exists:
the shapes below are modelled on the VMware esxcli documentation (``key: value`` lines under
the vSwitch name; a fixed-width table with a ``----`` rule under its header).  ESXi counts the
vSwitch / vmnic MTU as the IP MTU (lagprov.knowledge.mtu ``HOST_MTU[VMWARE]``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lagprov.errors import ParseError
from lagprov.knowledge.compat import canonical_team
from lagprov.knowledge.mtu import host_ip_mtu
from lagprov.model.base import Model
from lagprov.model.state import HostMemberState, HostTeamState
from lagprov.model.types import HostOs

_V = "vmware"
FAILOVER = "esxcli network vswitch standard policy failover get"
VSWITCH = "esxcli network vswitch standard list"
NIC_LIST = "esxcli network nic list"


class EsxVswitch(Model):
    """One vSwitch of ``esxcli network vswitch standard list``."""

    name: str
    mtu: int
    uplinks: tuple[str, ...] = ()


class EsxNic(Model):
    """One row of ``esxcli network nic list`` (``admin_up`` None: older column set)."""

    name: str
    link_up: bool | None
    admin_up: bool | None = None
    speed_mbps: int | None = None
    mtu: int | None = None
    mac: str | None = None


VswitchParser = Callable[[str, str | None], EsxVswitch]
"""Reads one vSwitch list output (raw, the vSwitch's name) into an :class:`EsxVswitch`."""
NicListParser = Callable[[str], tuple[EsxNic, ...]]
"""Reads one NIC list output into its :class:`EsxNic` rows."""


def _fields(raw: str) -> dict[str, str]:
    return {k.strip(): v.strip() for k, _, v in
            (line.partition(":") for line in raw.splitlines() if ":" in line)}


def _names(text: str) -> list[str]:
    return [n for n in re.split(r"[,\s]+", text) if n]


def parse_esxcli_failover(device: str, raw: str) -> HostTeamState:
    """``esxcli network vswitch standard policy failover get -v <vSwitch>`` ([K] shape).

    ``Load Balancing: iphash|portid|mac|explicit`` -> canonical team; members are the active
    and standby adapters.
    """
    fields = _fields(raw)
    if "Load Balancing" not in fields:
        raise ParseError(_V, FAILOVER, raw, "no 'Load Balancing:' line")
    try:
        team = canonical_team(HostOs.VMWARE, fields["Load Balancing"])
    except ValueError as exc:
        raise ParseError(_V, FAILOVER, raw, str(exc)) from exc
    nics = [n for key in ("Active Adapters", "Standby Adapters")
            for n in _names(fields.get(key, ""))]
    return HostTeamState(
        device=device, os=HostOs.VMWARE, team=team.canonical, bundling=team.bundling,
        members=tuple(HostMemberState(name=n) for n in nics),
    )


def parse_esxcli_vswitch(raw: str, vswitch: str | None = None) -> EsxVswitch:
    """``esxcli network vswitch standard list [-v <vSwitch>]`` (modelled shape, see module).

    One block per vSwitch: the name alone on a line, then indented ``Name: vSwitch0``,
    ``MTU: 1500``, ``Uplinks: vmnic1, vmnic0`` ... lines.  ``vswitch`` picks the block (the
    only one if None).

    Raises:
        ParseError: no block with a ``Name:`` and a numeric ``MTU:``, or ``vswitch`` absent.
    """
    blocks: list[dict[str, str]] = []
    for line in raw.replace("\r", "").splitlines():
        key, sep, value = line.strip().partition(":")
        if not sep:
            continue
        if key == "Name":
            blocks.append({})
        if blocks:
            blocks[-1][key.strip()] = value.strip()
    if vswitch is not None:
        blocks = [b for b in blocks if b.get("Name") == vswitch]
    if len(blocks) != 1:
        what = f"vSwitch {vswitch!r}" if vswitch else "exactly one vSwitch"
        raise ParseError(_V, VSWITCH, raw, f"expected {what}, found {len(blocks)} 'Name:' blocks")
    block = blocks[0]
    mtu = block.get("MTU", "")
    if not mtu.isdigit():
        raise ParseError(_V, VSWITCH, raw, f"no numeric 'MTU:' line for {block['Name']}")
    return EsxVswitch(name=block["Name"], mtu=int(mtu),
                      uplinks=tuple(_names(block.get("Uplinks", ""))))


def _columns(rule: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in re.finditer(r"-+", rule)]
    # a cell runs from its column's start to the next column's start (values may overhang)
    return [(s, spans[i + 1][0] if i + 1 < len(spans) else 10**6)
            for i, (s, _) in enumerate(spans)]


def _updown(value: str | None) -> bool | None:
    return {"up": True, "down": False}.get((value or "").lower())


def parse_esxcli_nic_list(raw: str) -> tuple[EsxNic, ...]:
    """``esxcli network nic list``: the fixed-width vmnic table (modelled shape, see module).

    Columns are found from the ``----`` rule under the header: Name, PCI Device, Driver,
    Admin Status, Link Status, Speed (Mb/s), Duplex, MAC Address, MTU, Description.  ESXi 5.x
    prints ``Link`` instead of ``Admin Status``/``Link Status``; both are accepted.

    Raises:
        ParseError: no header with ``Name`` and a link column, or no rule under it.
    """
    lines = raw.replace("\r", "").splitlines()
    rule_at = next((i for i, ln in enumerate(lines)
                    if ln.strip() and set(ln.strip()) <= {"-", " "}), None)
    if rule_at is None or rule_at == 0:
        raise ParseError(_V, NIC_LIST, raw, "no table header with a '----' rule under it")
    cols = _columns(lines[rule_at])
    header = [lines[rule_at - 1][a:b].strip() for a, b in cols]
    link_col = "Link Status" if "Link Status" in header else "Link"
    if "Name" not in header or link_col not in header:
        raise ParseError(_V, NIC_LIST, raw, f"header lacks Name / Link Status: {header}")
    nics = []
    for line in lines[rule_at + 1:]:
        if not line.strip():
            continue
        row = dict(zip(header, (line[a:b].strip() for a, b in cols), strict=True))
        speed, mtu = row.get("Speed", ""), row.get("MTU", "")
        if not row["Name"] or (speed and not speed.isdigit()) or (mtu and not mtu.isdigit()):
            raise ParseError(_V, NIC_LIST, raw, f"unreadable row {line.strip()!r}")
        nics.append(EsxNic(
            name=row["Name"], link_up=_updown(row.get(link_col)),
            admin_up=_updown(row.get("Admin Status")),
            speed_mbps=int(speed) if speed and int(speed) > 0 else None,
            mtu=int(mtu) if mtu else None, mac=row.get("MAC Address") or None,
        ))
    return tuple(nics)


def parse_esxi_host(device: str, *, failover: str | None, vswitch: str | None,
                    nic_list: str | None, bond: str) -> HostTeamState | None:
    """The vSwitch ``bond`` from the three esxcli read-backs in plain text (any may be None: not
    read); :func:`esxi_host` does the rest.

    Raises:
        ParseError: one of the outputs is unreadable.
    """
    return parse_esxi_reads(device, failover=failover, vswitch=vswitch, nic_list=nic_list,
                            bond=bond, parse_vswitch=parse_esxcli_vswitch,
                            parse_nics=parse_esxcli_nic_list)


def parse_esxi_reads(device: str, *, failover: str | None, vswitch: str | None,
                     nic_list: str | None, bond: str, parse_vswitch: VswitchParser,
                     parse_nics: NicListParser) -> HostTeamState | None:
    """The vSwitch ``bond`` from the three read-backs (any may be None: not read): the
    failover policy in plain text, the vSwitch list (``parse_vswitch(raw, bond)``) and the NIC
    list (``parse_nics(raw)``) in whichever format those parsers read; :func:`esxi_host` does
    the rest.

    Raises:
        ParseError: one of the outputs is unreadable.
    """
    return esxi_host(
        device, bond=bond,
        failover=parse_esxcli_failover(device, failover) if failover is not None else None,
        switch=parse_vswitch(vswitch, bond) if vswitch is not None else None,
        nics=parse_nics(nic_list) if nic_list is not None else None)


def esxi_host(device: str, *, bond: str, failover: HostTeamState | None,
              switch: EsxVswitch | None, nics: tuple[EsxNic, ...] | None) -> HostTeamState | None:
    """The vSwitch ``bond`` from its parsed read-backs (plain text or ``--formatter=keyvalue``).

    The failover policy gives the team mode and its active/standby uplinks; the vSwitch list
    its MTU (and the uplinks when the policy is not read); the NIC list each uplink's link,
    speed and MTU.  Other vmnics of the host are not members.  None: nothing to build on.
    """
    state = failover
    table = {n.name: n for n in nics or ()}
    if state is None and switch is None:
        return None
    if state is None:
        assert switch is not None
        state = HostTeamState(device=device, os=HostOs.VMWARE,
                              members=tuple(HostMemberState(name=n) for n in switch.uplinks))
    members = tuple(_nic_member(m, table.get(m.name)) for m in state.members)
    return state.model_copy(update={
        "name": bond if switch is None else switch.name,
        "mtu_ip": host_ip_mtu(HostOs.VMWARE, switch.mtu) if switch is not None else None,
        "members": members,
    })


def _nic_member(m: HostMemberState, nic: EsxNic | None) -> HostMemberState:
    if nic is None:
        return m
    link = False if nic.admin_up is False else nic.link_up
    return m.model_copy(update={
        "link_up": link, "speed_mbps": nic.speed_mbps,
        "mtu_ip": host_ip_mtu(HostOs.VMWARE, nic.mtu) if nic.mtu is not None else None,
        "failure_reason": "admin down" if nic.admin_up is False else None,
    })
