"""The Alembic migrations and the models cannot drift: ``upgrade head`` on an empty database
gives exactly the schema ``metadata.create_all`` gives (tables, columns, types, nullability,
keys, indexes), on SQLite and on PostgreSQL."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect

from lagprov.runs.history.db import upgrade
from lagprov.runs.history.models import Base


def _schema(engine: Engine) -> dict[str, Any]:
    insp = inspect(engine)
    out: dict[str, Any] = {}
    for table in sorted(t for t in insp.get_table_names() if t != "alembic_version"):
        out[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"])
                        for c in insp.get_columns(table)],
            "pk": insp.get_pk_constraint(table)["constrained_columns"],
            "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"],
                           tuple(f["referred_columns"]), (f.get("options") or {}).get("ondelete"))
                          for f in insp.get_foreign_keys(table)),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in insp.get_indexes(table)),
            "unique": sorted(tuple(u["column_names"])
                             for u in insp.get_unique_constraints(table)),
        }
    return out


def test_upgrade_head_gives_the_models_schema(db_url: str, request: Any, tmp_path: Any) -> None:
    migrated = create_engine(db_url)
    upgrade(migrated)
    if db_url.startswith("sqlite"):
        created = create_engine(f"sqlite:///{tmp_path / 'created.db'}")
    else:
        server = request.getfixturevalue("pg_server")
        name = server.create()
        request.addfinalizer(lambda: server.drop(name))
        created = create_engine(server.url(name))
    Base.metadata.create_all(created)
    try:
        assert _schema(migrated) == _schema(created)
        assert set(_schema(migrated)) == set(Base.metadata.tables)
        with migrated.connect() as conn:  # and Alembic itself sees nothing to migrate
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    finally:
        migrated.dispose()
        created.dispose()
