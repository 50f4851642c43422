"""Where the history database is, and opening it (migrated to the newest schema on first use).

``$LAGPROV_DATABASE_URL`` names it (``postgresql+psycopg://user@host/db``, any SQLAlchemy URL);
without it the embedded default is SQLite in the state folder: ``<state>/lagprov.db``.  An
engine is opened once per URL and process; its migrations (``alembic upgrade head``) run then.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from lagprov.errors import ConfigError

ENV_DATABASE_URL = "LAGPROV_DATABASE_URL"
DB_FILE = "lagprov.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"

_ENGINES: dict[str, Engine] = {}
_LOCK = threading.Lock()
_MIGRATING = threading.Lock()
_PG_LOCK_KEY = 0x6C616770  # "lagp": the advisory lock migrations take on PostgreSQL


def database_url(state_dir: Path) -> str:
    """``$LAGPROV_DATABASE_URL``, else SQLite at ``<state_dir>/lagprov.db``."""
    return os.environ.get(ENV_DATABASE_URL) or f"sqlite:///{state_dir.resolve() / DB_FILE}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")  # ON DELETE CASCADE
    cur.execute("PRAGMA busy_timeout=30000")  # audits and applies finishing at once wait
    # Write-ahead log: a commit is one append and one fsync (synchronous stays FULL, so a
    # committed journal line survives a power cut), where the default rollback journal
    # takes three; readers (the service's pages) no longer block a run's journal.  An apply
    # saves its journal once per confirmed line: 29 -> 8.5 ms per save (issue 15).
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def alembic_config() -> Config:
    """The migrations' Alembic configuration (no alembic.ini: the scripts ship in the wheel)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@contextmanager
def _exclusive(engine: Engine) -> Iterator[None]:
    """Other processes migrating the same SQLite file wait (a lock file next to it)."""
    db = engine.url.database if engine.dialect.name == "sqlite" else None
    if not db or db == ":memory:":
        yield
        return
    with Path(f"{db}.migrate-lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def upgrade(engine: Engine) -> None:
    """``alembic upgrade head`` on ``engine``, one migration at a time: Alembic's context is
    process-global (a lock), and other processes wait on an advisory lock (PostgreSQL) or a
    lock file (SQLite), then find nothing left to do."""
    cfg = alembic_config()
    with _MIGRATING, _exclusive(engine), engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _create(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:  # its text repeats the URL, password included: not shown
        raise ConfigError(f"{ENV_DATABASE_URL}: not a database URL (expected e.g. "
                          "postgresql+psycopg://user@host/db)") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        # Running configurations may hold secrets: the folder is the user's only.
        folder = Path(parsed.database).parent
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"history database {parsed.database}: cannot create {folder} "
                              f"({exc.strerror or type(exc).__name__})") from None
    try:
        # SQLite: a connection per session (no file kept open by an idle pool)
        engine = (create_engine(parsed, poolclass=NullPool)
                  if parsed.get_backend_name() == "sqlite"
                  else create_engine(parsed, pool_pre_ping=True))
    except (ArgumentError, ImportError) as exc:
        raise ConfigError(f"{ENV_DATABASE_URL}: cannot use {parsed.drivername} "
                          f"({exc}); PostgreSQL needs the 'postgres' extra") from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        upgrade(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        where = parsed.render_as_string(hide_password=True)
        raise ConfigError(f"history database {where}: {exc.__class__.__name__}: "
                          f"{str(exc).splitlines()[0]}") from None
    return engine


@contextmanager
def session(engine: Engine, *, write: bool = False) -> Iterator[Session]:
    """A session on ``engine`` (``write``: one transaction, committed at the end); a database
    that fails (gone, locked too long, not a database) is a :class:`ConfigError` naming it.
    :class:`IntegrityError` passes through: the stores handle a name taken meanwhile."""
    try:
        with Session(engine) as s:
            if write:
                with s.begin():
                    yield s
            else:
                yield s
    except IntegrityError:
        raise
    except DBAPIError as exc:
        where = engine.url.render_as_string(hide_password=True)
        raise ConfigError(f"history database {where}: {exc.__class__.__name__}: "
                          f"{str(exc.orig).splitlines()[0] if exc.orig else exc}") from None


def engine_for(url: str) -> Engine:
    """The (migrated) engine of ``url``, opened once per process."""
    with _LOCK:
        if url not in _ENGINES:
            _ENGINES[url] = _create(url)
        return _ENGINES[url]


def forget(url: str) -> None:
    """Close the engine of ``url`` (tests that drop a database)."""
    with _LOCK:
        engine = _ENGINES.pop(url, None)
    if engine is not None:
        engine.dispose()
