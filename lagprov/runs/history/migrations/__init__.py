"""Alembic migrations of the history database (run by :func:`lagprov.runs.history.db.upgrade`)."""
