"""Runs: orchestration only.  Plan/apply, verify and audit runs; the only place that fans out
over devices (Nornir's threaded runner).  Front ends call these."""

from __future__ import annotations

from lagprov.edge.nornir_glue import ENV_PASSWORD, ENV_SECRET, TransportChoice
from lagprov.observe.collect import collection_plan
from lagprov.provision.host_render import HOST_FORMATS, render_host
from lagprov.provision.render import render_inventory
from lagprov.runs.audit import audit_run, default_audit_store, delta_text
from lagprov.runs.provision import DEFAULT_WORKERS, ProvisionReport, held_trunks, provision_run
from lagprov.runs.rollback import rollback_run
from lagprov.runs.saved import POSTED_MARK
from lagprov.runs.scope import UnknownFilter, check_filters
from lagprov.runs.store import RunSummary, UnknownRun, default_store
from lagprov.runs.verify import Progress, verify_run

__all__ = [
    "DEFAULT_WORKERS",
    "ENV_PASSWORD",
    "ENV_SECRET",
    "HOST_FORMATS",
    "POSTED_MARK",
    "Progress",
    "ProvisionReport",
    "RunSummary",
    "TransportChoice",
    "UnknownFilter",
    "UnknownRun",
    "audit_run",
    "check_filters",
    "collection_plan",
    "default_audit_store",
    "default_store",
    "delta_text",
    "held_trunks",
    "provision_run",
    "render_host",
    "render_inventory",
    "rollback_run",
    "verify_run",
]
