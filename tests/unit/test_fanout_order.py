"""The fan-out starts the devices pushed line by line, and the larger ones, first."""

from __future__ import annotations

from pathlib import Path

from lagprov.edge.nornir_glue import TransportChoice, slowest_first
from lagprov.intent.load import load_inventory
from lagprov.knowledge.platforms import get_spec

INVENTORY = Path(__file__).resolve().parents[2] / "inventory"


def test_line_by_line_devices_start_first_then_by_trunk_ends() -> None:
    inv = load_inventory(INVENTORY)
    names = [sw.name for sw in inv.switches]
    order = slowest_first(inv, names, TransportChoice())
    assert sorted(order) == sorted(names)
    by_line = {sw.name for sw in inv.switches if not get_spec(sw.platform).napalm_driver}
    assert by_line and set(order[:len(by_line)]) == by_line
    ends = {n: sum(1 for t in inv.trunks for e in t.switch_ends if e.device == n) for n in names}
    rest = order[len(by_line):]
    assert [ends[n] for n in rest] == sorted((ends[n] for n in rest), reverse=True)
    # --netmiko everywhere: every device is pushed line by line, so trunk ends alone decide
    everywhere = slowest_first(inv, names, TransportChoice(netmiko_everywhere=True))
    assert [ends[n] for n in everywhere] == sorted(ends.values(), reverse=True)
