"""The VLAN database every lab switch keeps, and what it starts with.

Every lab switch starts with VLAN 1 and the VLANs its inventory's trunk ends carry (access,
allowed, native), so the example inventory plans and applies as a site whose VLANs were
created before lagprov came: the pre-change check ``vlans-exist`` passes.  A test removes a
VLAN (``no vlan N``) to see a trunk held back.  The per-platform CLI (``vlan N`` / ``no vlan
N``, Junos ``set vlans``) and ``show vlan`` text live with each platform.
"""

from __future__ import annotations

from collections.abc import Sequence

from lagprov.model.inventory import Inventory


def site_vlans(inventory: Inventory | None, device: str) -> list[int]:
    """Every VLAN other than 1 that the inventory's trunk ends carry on ``device``, sorted."""
    ids: set[int] = set()
    for trunk in inventory.trunks if inventory is not None else ():
        for end in trunk.switch_ends:
            if end.device == device:
                ids.update(end.vlan_ids())
    return sorted(ids - {1})


def parse_ids(text: str, low: int = 1, high: int = 4094) -> list[int] | None:
    """``10,20-22`` -> [10, 20, 21, 22]; None when malformed or outside ``low..high``."""
    out: list[int] = []
    for part in text.split(","):
        lo, sep, hi = part.partition("-")
        if not lo.isdigit() or (sep and not hi.isdigit()):
            return None
        first, last = int(lo), int(hi) if sep else int(lo)
        if not low <= first <= last <= high:
            return None
        out.extend(range(first, last + 1))
    return sorted(set(out))


def vlan_name(vlan: int) -> str:
    """The name IOS and EOS give a VLAN created without one (``VLAN0010``)."""
    return f"VLAN{vlan:04d}"


def vlan_table(rows: Sequence[tuple[int, str, str, Sequence[str]]], *, id_width: int) -> str:
    """The ``VLAN Name Status Ports`` table IOS ``show vlan brief`` and EOS ``show vlan``
    print: ``rows`` are (id, name, status, ports); ``id_width`` is 4 on IOS, 5 on EOS (the
    shapes of the public captures in ntc-templates tests/cisco_ios/show_vlan and
    tests/arista_eos/show_vlan).  Long port lists go on under the Ports column, four a line."""
    rule = f"{'-' * id_width} {'-' * 32} {'-' * 9} {'-' * 31}"
    out = [f"{'VLAN':<{id_width}} {'Name':<32} {'Status':<9} Ports", rule]
    indent = " " * (id_width + 1 + 32 + 1 + 9 + 1)
    for vid, name, status, ports in rows:
        chunks = [", ".join(ports[i:i + 4]) for i in range(0, len(ports), 4)] or [""]
        first = f"{vid:<{id_width}} {name:<32} {status:<9} {chunks[0]}"
        out.append(first.rstrip() if not chunks[0] else first)
        out.extend(f"{indent}{c}" for c in chunks[1:])
    return "\n".join(out) + "\n"
