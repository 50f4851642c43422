"""Put a lab fabric in the intended state with the rendered configuration (no provisioning)."""

from __future__ import annotations

from collections.abc import Sequence

from lagprov.lab.fabric import LabFabric
from lagprov.model.inventory import Inventory
from lagprov.model.types import Platform
from lagprov.provision.render import render_device

LAB_ENV = {"LAGPROV_USERNAME": "lab", "LAGPROV_PASSWORD": "lab-password",
           "LAGPROV_SECRET": "lab-secret"}


def load_lines(fabric: LabFabric, device: str, platform: Platform, lines: Sequence[str]) -> None:
    """Apply configuration lines to one simulated switch (Junos: typed and committed)."""
    del platform  # every simulator has a loader now
    fabric.load_config(device, lines)


def configure_as_intended(fabric: LabFabric, inv: Inventory) -> None:
    """Every switch of ``inv`` gets the configuration lagprov renders for it."""
    for s in inv.switches:
        rendered = render_device(inv, s.name)
        load_lines(fabric, s.name, s.platform, rendered.lines)
