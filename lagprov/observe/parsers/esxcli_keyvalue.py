"""``esxcli --formatter=keyvalue`` output read as records, and the vSwitch / NIC reads from it.

esxcli's ``keyvalue`` formatter prints one ``path=value`` line per field, the path naming the
structure, the field and its type: a list command prints ``structure[N].`` before each record
(``structure[0].VirtualSwitch.MTU.integer=1500``), a ``get`` command one record without it
(``VersionGet.Version.string=6.7.0``); a list field has one line per element
(``...Uplinks.string[0].string=vmnic0``) or ``...Uplinks.string[] = `` when empty.  Shapes as in
real captures of ``esxcli --formatter=keyvalue network vswitch standard list`` (ESXi 6.x) and
``... network nic list`` (ESXi 8, with ``DPUId``), read in place, not copied.  The vendor's
formatter list could not be retrieved; ``keyvalue``, ``xml`` and ``csv`` are the ones in use
across real scripts (``json`` appears in some, undocumented): lagprov asks ``keyvalue``.

A line that is not ``path=value`` of that shape is an error, never skipped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lagprov.errors import ParseError
from lagprov.model.state import HostTeamState
from lagprov.observe.parsers.hosts_esxi import EsxNic, EsxVswitch, parse_esxi_reads

_V = "vmware"
VSWITCH_KV = "esxcli --formatter=keyvalue network vswitch standard list"
NIC_LIST_KV = "esxcli --formatter=keyvalue network nic list"
_PATH = re.compile(r"(?:structure\[(?P<index>\d+)\]\.)?(?P<struct>\w+)\.(?P<field>\w+)"
                   r"\.(?P<type>\w+)(?:\[(?P<element>\d*)\](?:\.(?P<etype>\w+))?)?")

Record = dict[str, "str | list[str]"]


def parse_keyvalue(raw: str, what: str) -> list[tuple[str, Record]]:
    """``(structure name, {field: value or list of values})`` per record, in index order.

    Raises:
        ParseError: a line that is not ``path=value``, or a list element out of order.
    """
    records: dict[int, tuple[str, Record]] = {}
    for line in raw.replace("\r", "").splitlines():
        if not line.strip():
            continue
        path, sep, value = line.partition("=")
        m = _PATH.fullmatch(path.strip())
        if not sep or m is None:
            raise ParseError(_V, what, raw, f"not an esxcli keyvalue line: {line.strip()!r}")
        index = int(m.group("index") or 0)
        struct, record = records.setdefault(index, (m.group("struct"), {}))
        if m.group("struct") != struct:
            raise ParseError(_V, what, raw, f"structure[{index}] is a {struct}, then a "
                             f"{m.group('struct')}: {line.strip()!r}")
        field, element = m.group("field"), m.group("element")
        if element is None:
            record[field] = value
            continue
        got = record.setdefault(field, [])
        if not isinstance(got, list):
            raise ParseError(_V, what, raw, f"{field} is both a value and a list")
        if element == "":  # 'X.string[] = ': an empty list
            continue
        if int(element) != len(got):
            raise ParseError(_V, what, raw, f"{field} element {element} out of order")
        got.append(value)
    return [records[i] for i in sorted(records)]


def _one(record: Mapping[str, str | list[str]], field: str) -> str | None:
    value = record.get(field)
    return value if isinstance(value, str) else None


def _int(record: Mapping[str, str | list[str]], field: str, raw: str, what: str) -> int | None:
    value = _one(record, field)
    if value is None or value == "":
        return None
    if not value.lstrip("-").isdigit():
        raise ParseError(_V, what, raw, f"{field} is not an integer: {value!r}")
    return int(value)


def _updown(value: str | None) -> bool | None:
    return {"up": True, "down": False}.get((value or "").lower())


def parse_vswitch_kv(raw: str, vswitch: str | None = None) -> EsxVswitch:
    """``esxcli --formatter=keyvalue network vswitch standard list [-v <vSwitch>]``.

    Raises:
        ParseError: unreadable, not exactly one ``VirtualSwitch`` named ``vswitch``, or no MTU.
    """
    switches = [r for s, r in parse_keyvalue(raw, VSWITCH_KV) if s == "VirtualSwitch"]
    if vswitch is not None:
        switches = [r for r in switches if _one(r, "Name") == vswitch]
    if len(switches) != 1:
        what = f"vSwitch {vswitch!r}" if vswitch else "exactly one vSwitch"
        raise ParseError(_V, VSWITCH_KV, raw, f"expected {what}, found {len(switches)}")
    record = switches[0]
    name, mtu = _one(record, "Name"), _int(record, "MTU", raw, VSWITCH_KV)
    if not name or mtu is None:
        raise ParseError(_V, VSWITCH_KV, raw, "a VirtualSwitch without Name or MTU")
    uplinks = record.get("Uplinks", [])
    return EsxVswitch(name=name, mtu=mtu,
                      uplinks=tuple(uplinks) if isinstance(uplinks, list) else (uplinks,))


def parse_nic_list_kv(raw: str) -> tuple[EsxNic, ...]:
    """``esxcli --formatter=keyvalue network nic list``: one ``Nic`` record per vmnic
    (``LinkStatus``, or ``Link`` where a release prints only that; ``Speed`` in Mb/s, 0 when
    the link is down).

    Raises:
        ParseError: unreadable, or a ``Nic`` without a ``Name``.
    """
    nics = []
    for struct, record in parse_keyvalue(raw, NIC_LIST_KV):
        if struct != "Nic":
            raise ParseError(_V, NIC_LIST_KV, raw, f"expected Nic records, got {struct}")
        name = _one(record, "Name")
        if not name:
            raise ParseError(_V, NIC_LIST_KV, raw, "a Nic record without a Name")
        speed = _int(record, "Speed", raw, NIC_LIST_KV)
        link = _one(record, "LinkStatus") or _one(record, "Link")
        nics.append(EsxNic(
            name=name, link_up=_updown(link), admin_up=_updown(_one(record, "AdminStatus")),
            speed_mbps=speed if speed else None, mtu=_int(record, "MTU", raw, NIC_LIST_KV),
            mac=_one(record, "MACAddress") or None))
    return tuple(nics)


def parse_esxi_keyvalue_host(device: str, *, failover: str | None, vswitch: str | None,
                             nic_list: str | None, bond: str) -> HostTeamState | None:
    """The vSwitch ``bond`` from the live reads: the failover policy in plain text, the vSwitch
    and NIC lists in ``--formatter=keyvalue`` (any may be None: not read).

    Raises:
        ParseError: one of the outputs is unreadable.
    """
    return parse_esxi_reads(device, failover=failover, vswitch=vswitch, nic_list=nic_list,
                            bond=bond, parse_vswitch=parse_vswitch_kv,
                            parse_nics=parse_nic_list_kv)
