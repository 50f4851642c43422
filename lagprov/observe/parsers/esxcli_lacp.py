"""ESXi vSphere Distributed Switch LACP views -> :class:`HostTeamState` (vendor-cli.md 5.3).

``esxcli network vswitch dvs vmware lacp config get`` (the host's LAGs: DVS, LAG name and id,
uplinks, enabled, mode) and ``... lacp status get`` (per LAG its mode, per uplink the local and
partner LACP information and the uplink's state).  No real capture of either exists; the shapes
are modelled ([K]) on what VMware's own vdnet test framework reads from them: a ``LAGID``, a
``Mode``, per uplink ``Nic:`` then ``State: Bundled``, the messages ``No running LACP group on
the host`` and ``LACP is disabled on DVSwitch``.  The modelled field names:

* config: a fixed-width table ``DVS Name  LAG Name  LAG ID  NICs  Enabled  Mode`` with a
  ``----`` rule under the header (NICs comma-separated);
* status: per LAG ``DVSwitch:``, ``LAGID:``, ``Mode: Active|Passive``, ``Nic List:``, then per
  uplink ``Local Information:`` / ``Partner Information:`` blocks of ``Flags`` (``S``/``F``
  slow/fast LACPDUs, ``A``/``P`` active/passive), ``Oper Key``, ``Port Number``, ``Port
  Priority``, ``Port State`` (``ACT,TMO,AGG,SYN,COL,DIST,DEF,EXP`` = the IEEE 802.1AX state
  bits), the partner's ``Device ID`` (its system MAC), and the uplink's ``Nic:`` and ``State:``.

A host without a LAG has no LACP team (``team: none``): verification then reports the mode.
The MTU is the uplinks' (``network nic list``: a vDS sets its uplinks' MTU).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lagprov.errors import ParseError
from lagprov.knowledge.compat import canonical_team
from lagprov.knowledge.mtu import host_ip_mtu
from lagprov.model.base import Model
from lagprov.model.state import HostMemberState, HostTeamState, LacpActivity, LacpPort
from lagprov.model.types import HostOs, LacpRate
from lagprov.observe.parsers.hosts_esxi import EsxNic

_V = "vmware"
CONFIG = "esxcli network vswitch dvs vmware lacp config get"
STATUS = "esxcli network vswitch dvs vmware lacp status get"
STATE_BITS = {"ACT": 0x01, "TMO": 0x02, "AGG": 0x04, "SYN": 0x08, "COL": 0x10, "DIST": 0x20,
              "DEF": 0x40, "EXP": 0x80}
_NO_LAG = ("No running LACP group on the host", "LACP is disabled on DVSwitch")


class LagConfig(Model):
    """One row of ``lacp config get``."""

    dvs: str
    lag: str
    lag_id: str
    nics: tuple[str, ...]
    enabled: bool
    mode: str


class UplinkStatus(Model):
    """One uplink of ``lacp status get``: its state, the local and partner LACP information."""

    nic: str
    state: str
    local: LacpPort
    partner: LacpPort | None = None


class LagStatus(Model):
    """One LAG of ``lacp status get``."""

    lag_id: str
    mode: str
    uplinks: tuple[UplinkStatus, ...] = ()


def parse_lacp_config(raw: str) -> tuple[LagConfig, ...]:
    """The LAG rows of ``lacp config get`` (none when it says no LAG runs).

    Raises:
        ParseError: no table header with a ``----`` rule, or a row without its columns.
    """
    lines = [ln for ln in raw.replace("\r", "").splitlines() if ln.strip()]
    if not lines or any(m in lines[0] for m in _NO_LAG):
        return ()
    rule = next((i for i, ln in enumerate(lines) if set(ln.strip()) <= {"-", " "}), None)
    if rule is None or rule == 0:
        raise ParseError(_V, CONFIG, raw, "no table header with a '----' rule under it")
    spans = [m.span() for m in re.finditer(r"-+", lines[rule])]
    cols = [(s, spans[i + 1][0] if i + 1 < len(spans) else 10**6)
            for i, (s, _) in enumerate(spans)]
    header = [lines[rule - 1][a:b].strip() for a, b in cols]
    need = ("DVS Name", "LAG Name", "LAG ID", "NICs", "Enabled", "Mode")
    if any(h not in header for h in need):
        raise ParseError(_V, CONFIG, raw, f"header lacks {need}: {header}")
    rows = []
    for line in lines[rule + 1:]:
        row = dict(zip(header, (line[a:b].strip() for a, b in cols), strict=True))
        if not row["LAG Name"] or row["Enabled"].lower() not in ("true", "false"):
            raise ParseError(_V, CONFIG, raw, f"unreadable row {line.strip()!r}")
        rows.append(LagConfig(dvs=row["DVS Name"], lag=row["LAG Name"], lag_id=row["LAG ID"],
                              nics=tuple(n for n in row["NICs"].split(",") if n),
                              enabled=row["Enabled"].lower() == "true", mode=row["Mode"]))
    return tuple(rows)


def _port(fields: dict[str, str], raw: str) -> LacpPort:
    flags = fields.get("Flags", "")
    state = 0
    for bit in (b for b in fields.get("Port State", "").split(",") if b):
        if bit not in STATE_BITS:
            raise ParseError(_V, STATUS, raw, f"unknown port state bit {bit!r}")
        state |= STATE_BITS[bit]

    def num(key: str) -> int | None:
        value = fields.get(key, "")
        return int(value) if value.isdigit() else None

    return LacpPort(
        system_id=fields.get("Device ID") or None, key=num("Oper Key"), port=num("Port Number"),
        port_priority=num("Port Priority"), state=state if "Port State" in fields else None,
        activity=LacpActivity.ACTIVE if "A" in flags else
        LacpActivity.PASSIVE if "P" in flags else None,
        rate=LacpRate.FAST if "F" in flags else LacpRate.SLOW if "S" in flags else None)


def parse_lacp_status(raw: str) -> tuple[LagStatus, ...]:
    """The LAGs of ``lacp status get`` (none when it says no LAG runs).

    Raises:
        ParseError: an uplink block without ``Nic:`` / ``State:``, or a line outside a LAG.
    """
    text = raw.replace("\r", "")
    if any(m in text for m in _NO_LAG) and "LAGID" not in text:
        return ()
    lags: list[dict[str, object]] = []
    block: dict[str, str] = {}
    section = ""
    for line in text.splitlines():
        key, sep, value = line.strip().partition(":")
        if not sep or (key == "Flags" and " - " in value):
            continue  # blank, the DVS name heading, or the flags legend
        if key == "DVSwitch":
            lags.append({"uplinks": [], "local": {}, "partner": {}})
            continue
        if not lags:
            raise ParseError(_V, STATUS, raw, f"a line before any DVSwitch: {line.strip()!r}")
        lag = lags[-1]
        if key in ("LAGID", "Mode") and section == "":
            lag[key] = value.strip()
        elif key in ("Local Information", "Partner Information"):
            section, block = key.split()[0].lower(), {}
            lag[section] = block
        elif key == "Nic List":
            section = ""
        elif key == "State" and sep:
            local, partner = lag["local"], lag["partner"]
            assert isinstance(local, dict) and isinstance(partner, dict)
            nic = local.get("Nic") or partner.get("Nic")
            if not nic:
                raise ParseError(_V, STATUS, raw, "an uplink State without its Nic")
            uplinks = lag["uplinks"]
            assert isinstance(uplinks, list)
            uplinks.append(UplinkStatus(nic=nic, state=value.strip(), local=_port(local, raw),
                                        partner=_port(partner, raw) if partner else None))
            lag["local"], lag["partner"], section = {}, {}, ""
        elif (sep and section) or (sep and key == "Nic"):
            block[key] = value.strip()
    out = []
    for lag in lags:
        if "LAGID" not in lag:
            raise ParseError(_V, STATUS, raw, "a DVSwitch block without a LAGID")
        uplinks = lag["uplinks"]
        assert isinstance(uplinks, list)
        out.append(LagStatus(lag_id=str(lag["LAGID"]), mode=str(lag.get("Mode", "")),
                             uplinks=tuple(uplinks)))
    return tuple(out)


def parse_esxi_lacp_host(device: str, *, config: str | None, status: str | None,
                         nics: tuple[EsxNic, ...] | None, bond: str,
                         intended: Sequence[str] = ()) -> HostTeamState | None:
    """The vDS LAG ``bond`` (or the LAG over the ``intended`` uplinks) from the LACP views.

    No LAG on the host: a team ``none`` over the intended uplinks (LACP is not running there).
    None: neither view was read.

    Raises:
        ParseError: one of the outputs is unreadable.
    """
    if config is None and status is None:
        return None
    rows = parse_lacp_config(config) if config is not None else ()
    row = next((r for r in rows if r.lag == bond), None) or next(
        (r for r in rows if set(r.nics) & set(intended)), None)
    table = {n.name: n for n in nics or ()}
    if row is None or not row.enabled:
        none = canonical_team(HostOs.VMWARE, "none")
        return HostTeamState(device=device, os=HostOs.VMWARE, name=bond, team=none.canonical,
                             bundling=none.bundling, members=tuple(
                                 _member(HostMemberState(name=n), table.get(n), None)
                                 for n in intended))
    lags = parse_lacp_status(status) if status is not None else ()
    lag = next((s for s in lags if s.lag_id == row.lag_id), None)
    uplinks = {u.nic: u for u in lag.uplinks} if lag is not None else {}
    lacp = canonical_team(HostOs.VMWARE, "lacp")
    rates = {u.local.rate for u in uplinks.values() if u.local.rate}
    mtus = {m for n in row.nics if n in table and (m := table[n].mtu)}
    return HostTeamState(
        device=device, os=HostOs.VMWARE, name=row.lag, team=lacp.canonical,
        bundling=lacp.bundling, lacp_rate=rates.pop() if len(rates) == 1 else None,
        mtu_ip=host_ip_mtu(HostOs.VMWARE, mtus.pop()) if len(mtus) == 1 else None,
        lacp_activity=LacpActivity.PASSIVE if row.mode.lower() == "passive"
        else LacpActivity.ACTIVE,
        members=tuple(_member(HostMemberState(name=n), table.get(n), uplinks.get(n))
                      for n in row.nics))


def _member(m: HostMemberState, nic: EsxNic | None, uplink: UplinkStatus | None
            ) -> HostMemberState:
    update: dict[str, object] = {}
    if nic is not None:
        update.update(link_up=False if nic.admin_up is False else nic.link_up,
                      speed_mbps=nic.speed_mbps,
                      mtu_ip=host_ip_mtu(HostOs.VMWARE, nic.mtu) if nic.mtu else None)
    if uplink is not None:
        update.update(actor=uplink.local, partner=uplink.partner,
                      failure_reason=None if uplink.state == "Bundled" else uplink.state)
    return m.model_copy(update=update)
