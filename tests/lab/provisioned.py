"""The example fabric built (not served) with every switch's trunks configured."""

from __future__ import annotations

from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LabFabric
from lagprov.provision.render import render_device
from tests.lab.conftest import EXAMPLE_INVENTORY


def provisioned_fabric() -> LabFabric:
    """Every switch of the example fabric configured as lagprov renders it (not started)."""
    inv = load_inventory(EXAMPLE_INVENTORY)
    fabric = LabFabric.from_inventory(inv, rebase="auto")
    for name in fabric.switches:
        fabric.load_config(name, render_device(inv, name).lines)
    return fabric
