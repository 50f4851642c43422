"""Workers: the runs' per-device stages on Celery workers, Redis as broker and result backend.

``lagprov worker [--queue SITE]`` runs a worker (:mod:`.tasks`); ``--executor celery`` on
verify / audit / plan / apply sends a run's devices to them (:class:`CeleryExecutor`, the
run's side) and gathers the results; verification, reports and the run store stay with the
run.  A device's ``data.queue`` names its site: only that site's workers touch it.  What
travels: :mod:`.wire`.  The broker: ``$LAGPROV_BROKER_URL`` (:mod:`.app`).
"""

from __future__ import annotations

from lagprov.runs.executor import BrokerUnavailable
from lagprov.runs.workers.app import (
    DEFAULT_QUEUE,
    ENV_BROKER,
    broker_url,
    check_broker,
    configured,
    preflight,
)
from lagprov.runs.workers.gather import CeleryExecutor, WorkerLost

__all__ = [
    "DEFAULT_QUEUE",
    "ENV_BROKER",
    "BrokerUnavailable",
    "CeleryExecutor",
    "WorkerLost",
    "broker_url",
    "check_broker",
    "configured",
    "preflight",
]
