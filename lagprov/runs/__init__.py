"""Runs: orchestration only.  Plan/apply, verify and audit runs; the only place that fans out
over devices (Nornir's threaded runner).  Front ends call these."""

from __future__ import annotations

from lagprov.edge.nornir_glue import ENV_PASSWORD, ENV_SECRET, TransportChoice
from lagprov.observe.collect import collection_plan
from lagprov.provision.render import render_inventory
from lagprov.runs.audit import audit_run, delta_text
from lagprov.runs.provision import DEFAULT_WORKERS, ProvisionReport, provision_run
from lagprov.runs.verify import Progress, verify_run

__all__ = [
    "DEFAULT_WORKERS",
    "ENV_PASSWORD",
    "ENV_SECRET",
    "Progress",
    "ProvisionReport",
    "TransportChoice",
    "audit_run",
    "collection_plan",
    "delta_text",
    "provision_run",
    "render_inventory",
    "verify_run",
]
