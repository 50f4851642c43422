"""Provisioning stages: render per-platform config, diff it against the running config, run the
pre-change checks, and apply or restore one device through a
:class:`~lagprov.model.session.Session`."""

from __future__ import annotations

from lagprov.provision.device import provision_device
from lagprov.provision.planning import ends_on, owned_sections, plan_device
from lagprov.provision.precheck import run_checks
from lagprov.provision.render import RenderedConfig, render_device, render_inventory

__all__ = [
    "RenderedConfig",
    "ends_on",
    "owned_sections",
    "plan_device",
    "provision_device",
    "render_device",
    "render_inventory",
    "run_checks",
]
