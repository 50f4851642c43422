"""Arista EOS MLAG: ``show mlag`` (also ``show mlag detail``) and ``show mlag interfaces``.

``show mlag`` is ``key : value`` lines under section titles (``MLAG Configuration:``,
``MLAG Status:``, ``MLAG Ports:``, ``MLAG Detailed Status:``), as in the ntc-templates capture
``tests/arista_eos/show_mlag/arista_eos_show_mlag.raw`` (an inactive pair: ``peer-link status :
Lowerlayerdown``, ``system-id : 00:00:00:00:00:00``) and the vEOS 4.24 ``show mlag detail`` of
titom73/avd-to-containerlab ``containerlab/snapshots/EAPI-LEAF1B/report.md`` (an active pair).
ntc's ``arista_eos_show_mlag.textfsm`` captures neither the peer-link status nor the system id,
so this parser is lagprov's own.  Keys it does not use are skipped (EOS versions add some);
a line that is neither a title nor ``key : value`` is a ParseError.

``show mlag interfaces``: a two-line header (``local/remote`` over ``mlag desc state local
remote status``), a dashed rule, one row per MLAG id.  No public capture of it was found; the
layout is the one EOS documents ([K], vendor-cli.md has none), so anything else is refused.
"""

from __future__ import annotations

import re

from lagprov.errors import ParseError
from lagprov.model.state import DeviceLagState, MlagInterfaceState, MlagState
from lagprov.model.types import Platform

P = Platform.ARISTA_EOS
_TITLE = re.compile(r"^MLAG [A-Za-z ]+:\s*$")
_PAIR = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9 ()/_-]*?)\s+:\s*(?P<value>.*?)\s*$")
_KEYS = {"domain-id": "domain_id", "peer-link": "peer_link", "state": "state",
         "negotiation status": "negotiation", "peer-link status": "peer_link_status",
         "system-id": "system_id"}
_STATES = ("active-full", "active-partial", "inactive", "configured", "disabled")
_ROW = re.compile(r"^\s*(?P<id>\d+)\s+(?P<desc>.*?)\s*(?P<state>" + "|".join(_STATES)
                  + r")\s+(?P<local>\S+)\s+(?P<remote>\S+)\s+(?P<status>\S+)\s*$")


def parse_show_mlag(raw: str, device: str, command: str) -> DeviceLagState:
    """``show mlag`` -> DeviceLagState.mlag (no interfaces)."""
    values: dict[str, str] = {}
    for line in raw.splitlines():
        text = line.strip()
        if not text or _TITLE.match(text):
            continue
        m = _PAIR.match(text)
        if m is None:
            raise ParseError(P, command, raw, f"not a 'key : value' line: {text!r}")
        field = _KEYS.get(m["key"].strip())
        if field is not None and field not in values:  # the first section names it
            values[field] = m["value"]
    if "state" not in values:
        raise ParseError(P, command, raw, "no 'state :' line (MLAG Status)")
    if "system_id" in values and values["system_id"] == "00:00:00:00:00:00":
        values["system_id"] = ""
    return DeviceLagState(device=device, platform=P, mlag=MlagState(
        **{k: (v or None) for k, v in values.items()}))


def parse_show_mlag_interfaces(raw: str, device: str, command: str) -> DeviceLagState:
    """``show mlag interfaces`` -> DeviceLagState.mlag.interfaces."""
    rows: list[MlagInterfaceState] = []
    header = False
    for line in raw.splitlines():
        text = line.strip()
        if not text or text == "local/remote" or set(text) <= {"-", " "}:
            continue
        if text.split() == ["mlag", "desc", "state", "local", "remote", "status"]:
            header = True
            continue
        m = _ROW.match(line)
        if m is None or not header:
            raise ParseError(P, command, raw, f"not an MLAG interface row: {text!r}")
        rows.append(MlagInterfaceState(
            mlag_id=int(m["id"]), state=m["state"],
            local=None if m["local"] == "-" else m["local"],
            remote=None if m["remote"] == "-" else m["remote"], status=m["status"]))
    if not header:
        raise ParseError(P, command, raw, "no 'mlag desc state local remote status' header")
    return DeviceLagState(device=device, platform=P, mlag=MlagState(interfaces=tuple(rows)))
