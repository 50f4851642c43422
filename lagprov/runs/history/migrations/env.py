"""Alembic environment: migrations run on the connection :func:`..db.upgrade` hands in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from lagprov.runs.history.models import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("lagprov migrations run through lagprov.runs.history.db.upgrade")
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
