"""Interface sub-commands of the simulated SMIS switch that need no switch-wide state.

Each handler takes the interface and the words of one line; it returns None when the line is
not its own, else the text to print ('' for nothing, an error such as ``% Invalid Command``,
or the SEFOS portfast warning).  Wording modelled on Aricent ISS (docs/smis-outputs.md).
"""

from __future__ import annotations

from collections.abc import Callable

from lagprov.lab.smis.state import SmisIface

INVALID = "% Invalid Command"
INCOMPLETE = "% Incomplete command."
PORTFAST_WARNING = (  # SEFOS PVRST+ guide E24664 (Aricent ISS); modelled for SMIS, unverified
    "Warning: portfast should only be enabled on ports connected to a single host. "
    "Connecting hubs, concentrators, switches, bridges, etc... to this interface when "
    "portfast is enabled, can cause temporary bridging loops.\nUse with CAUTION"
)


def vlan_ok(text: str) -> bool:
    """A VLAN id 1..4094."""
    return text.isdigit() and 1 <= int(text) <= 4094


def _description(iface: SmisIface, words: list[str]) -> str | None:
    if words == ["no", "description"]:
        iface.description = None
        return ""
    if words[0] != "description":
        return None
    if len(words) < 2:
        return INCOMPLETE
    iface.description = " ".join(words[1:]).strip('"')
    return ""


def _l2(iface: SmisIface, words: list[str]) -> str | None:
    match words:
        case ["switchport", "mode", "access" | "trunk" as mode]:
            iface.l2_mode = mode
        case ["no", "switchport", "mode", *_]:
            iface.l2_mode = None
        case ["switchport", "access", "vlan", n] if vlan_ok(n):
            iface.access_vlan = int(n)
        case ["no", "switchport", "access", "vlan", *_]:
            iface.access_vlan = None
        case ["switchport", "trunk", "allowed", "vlan", vlans]:
            iface.trunk_allowed = vlans
        case ["no", "switchport", "trunk", "allowed", "vlan", *_]:
            iface.trunk_allowed = None
        case ["switchport", "trunk", "native", "vlan", n] if vlan_ok(n):
            iface.native_vlan = int(n)
        case ["no", "switchport", "trunk", "native", "vlan", *_]:
            iface.native_vlan = None
        case ["switchport", *_]:
            return INCOMPLETE if len(words) < 4 else INVALID
        case _:
            return None
    return ""


def _stp(iface: SmisIface, words: list[str]) -> str | None:
    """``[no] spanning-tree portfast``; returns the text to print (the SEFOS warning)."""
    if words == ["spanning-tree", "portfast"]:
        iface.stp_portfast = True
        return PORTFAST_WARNING
    if words == ["no", "spanning-tree", "portfast"]:
        iface.stp_portfast = False
        return ""
    if words[0] == "spanning-tree" or words[:2] == ["no", "spanning-tree"]:
        return INCOMPLETE if len(words) < 2 + (words[0] == "no") else INVALID
    return None


def _admin(iface: SmisIface, words: list[str]) -> str | None:
    if words in (["shutdown"], ["no", "shutdown"]):
        iface.shutdown = words == ["shutdown"]
        return ""
    return None


HANDLERS: tuple[Callable[[SmisIface, list[str]], str | None], ...] = (
    _description,
    _l2,
    _admin,
    _stp,
)
