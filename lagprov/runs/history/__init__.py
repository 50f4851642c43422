"""The history database: audits (findings, observed states) and committed provisioning runs
(before/after configurations), through SQLAlchemy with Alembic migrations.

The database is ``$LAGPROV_DATABASE_URL`` (``postgresql+psycopg://...``), else SQLite at
``<state>/lagprov.db``; it is migrated on first use.  :func:`audit_store` and :func:`run_store`
are the stores ``audit_run`` and the provisioning runs use by default; ``queries`` answers
what users ask of the history (a trunk's timeline, any two runs' diff, failures open for long,
retention).
"""

from __future__ import annotations

from pathlib import Path

from lagprov.runs.audit import FileAuditStore
from lagprov.runs.history.db import ENV_DATABASE_URL, database_url, engine_for
from lagprov.runs.history.repo import DbAuditStore, DbRunStore
from lagprov.runs.store import FileRunStore


def audit_store(state_dir: Path) -> DbAuditStore:
    """The audit history of ``state_dir`` (JSON export in ``<state_dir>/audit``)."""
    return DbAuditStore(engine_for(database_url(state_dir)), FileAuditStore(state_dir / "audit"))


def run_store(state_dir: Path) -> DbRunStore:
    """The committed runs of ``state_dir`` (JSON export in ``<state_dir>/runs``)."""
    return DbRunStore(engine_for(database_url(state_dir)), FileRunStore(state_dir))


__all__ = ["ENV_DATABASE_URL", "DbAuditStore", "DbRunStore", "audit_store", "database_url",
           "run_store"]
