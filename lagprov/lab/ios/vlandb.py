"""The VLAN database of a lab IOS switch: ``vlan N`` / ``no vlan N`` and config-vlan mode.

VTP server mode, the IOS default: the VLANs live in the VLAN database (``IosConfig.vlans``),
not in the running configuration.  From the Catalyst 2960 configuration guide, "Normal-Range
VLAN Configuration Guidelines" (manualshive.com, catalyst-2960-series, p. 2195): "VLAN IDs 1
and 1002 to 1005 are automatically created and cannot be removed", and "with VTP versions 1
and 2, the switch supports VLAN IDs 1006 through 4094 only in VTP transparent mode".  The
refusal texts below are modelled (not read from a capture): say so in a test that needs them.
"""

from __future__ import annotations

from lagprov.lab.ios.config_data import DEFAULT_VLANS, IosConfig
from lagprov.lab.ios.parse import IosCliError, Words
from lagprov.lab.vlans import parse_ids

EXTENDED_REFUSED = ("% Failed to create VLANs {ids}\n"
                    "Extended VLAN(s) not allowed in current VTP mode.\n")  # modelled wording
DEFAULT_KEPT = "%Default VLAN {id} may not be deleted.\n"  # modelled wording


def _ids(w: Words) -> list[int]:
    tok = w.peek()
    spec = w.word()
    w.done()
    ids = parse_ids(spec)
    if ids is None:
        raise IosCliError("invalid", tok.column if tok else 0, w.line)
    return ids


def vlan(cfg: IosConfig, w: Words) -> None:
    """``vlan 10`` / ``vlan 10,20-22``: create (config-vlan mode is the caller's)."""
    ids = _ids(w)
    extended = [v for v in ids if v > 1005]
    if extended:
        raise IosCliError(EXTENDED_REFUSED.format(ids=",".join(map(str, extended))), line=w.line)
    cfg.vlans.update(ids)


def no_vlan(cfg: IosConfig, w: Words) -> None:
    """``no vlan N``: delete; the default VLANs stay (refused)."""
    ids = _ids(w)
    kept = [v for v in ids if v in DEFAULT_VLANS]
    if kept:
        raise IosCliError(DEFAULT_KEPT.format(id=kept[0]), line=w.line)
    cfg.vlans.difference_update(ids)


def vlan_mode_line(w: Words) -> None:
    """A config-vlan line: ``name X`` / ``no name`` (accepted, not modelled)."""
    negate = w.keyword(("no", "name")) == "no"
    if negate:
        w.keyword(("name",))
        w.done()
        return
    w.word()
    w.rest()
