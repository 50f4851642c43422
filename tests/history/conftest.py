"""The history store's backends: SQLite in a temporary folder, and a real PostgreSQL server
(Debian's ``postgresql`` package, which ``make system-deps`` installs) started on loopback for
the session, as its own user: PostgreSQL refuses to run as root."""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from lagprov.runs.history.db import forget

PG_USER = "postgres"


def _pg_bin() -> Path | None:
    """The newest installed server's bin folder (``/usr/lib/postgresql/<n>/bin``)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """One server: ``url(db)`` names a database on it; ``create``/``drop`` manage them."""

    def __init__(self, bindir: Path, root: Path, as_user: list[str]) -> None:
        self.bindir, self.root, self.as_user = bindir, root, as_user
        self.data, self.port = root / "data", _free_port()

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.as_user, *args], capture_output=True, text=True,
                              timeout=120, check=False, cwd=self.root)

    def start(self) -> str | None:
        """Start the server; None, or why it did not start."""
        init = self.run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", PG_USER,
                        "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync")
        if init.returncode:
            return f"initdb failed: {init.stderr.strip() or init.stdout.strip()}"
        opts = (f"-k {self.root} -p {self.port} -h 127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off")
        up = self.run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l",
                      str(self.root / "server.log"), "-o", opts, "-w", "-t", "60", "start")
        if up.returncode:
            log = (self.root / "server.log")
            tail = log.read_text(errors="replace")[-800:] if log.is_file() else ""
            return f"pg_ctl start failed: {up.stderr.strip()} {tail}"
        return None

    def stop(self) -> None:
        self.run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, db: str) -> str:
        return f"postgresql+psycopg://{PG_USER}@127.0.0.1:{self.port}/{db}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=PG_USER,
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]  # fixed statements of this file

    def create(self) -> str:
        name = f"t_{secrets.token_hex(4)}"
        self._admin(f"CREATE DATABASE {name}")
        return name

    def drop(self, name: str) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _as_user(root: Path) -> list[str] | str:
    """The command prefix that runs the server as a non-root user (or why there is none)."""
    if os.geteuid() != 0:
        return []
    try:
        user = pwd.getpwnam(PG_USER)
    except KeyError:
        return f"no {PG_USER!r} user to run the server as (PostgreSQL refuses root)"
    os.chown(root, user.pw_uid, user.pw_gid)
    runuser = shutil.which("runuser")
    return [runuser, "-u", PG_USER, "--"] if runuser else ["su", PG_USER, "-s", "/bin/sh",
                                                           "-c", 'exec "$0" "$@"']


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server on loopback for the session (skips, saying why, if there is none)."""
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb absent): "
                    "'make system-deps' installs Debian's postgresql; the PostgreSQL store "
                    "tests skip")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed: pip install -e '.[dev]'")
    root = Path(tempfile.mkdtemp(prefix="lagprov-pg-"))
    as_user = _as_user(root)
    if isinstance(as_user, str):
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"PostgreSQL cannot be started: {as_user}")
    server = PgServer(bindir, root, as_user)
    why = server.start()
    if why is not None:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"PostgreSQL server could not be started: {why}")
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


BACKENDS = ["sqlite", "postgresql"]


@contextmanager
def database(request: pytest.FixtureRequest, kind: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of backend ``kind``; its engine closed (and the PostgreSQL
    database dropped) afterwards."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'lagprov.db'}"
        try:
            yield url
        finally:
            forget(url)
        return
    server: PgServer = request.getfixturevalue("pg_server")
    name = server.create()
    url = server.url(name)
    try:
        yield url
    finally:
        forget(url)
        server.drop(name)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each backend (a fresh one per test)."""
    with database(request, request.param, tmp_path) as url:
        yield url


@pytest.fixture(params=["file", *BACKENDS])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | None]:
    """None for the JSON file stores, else a fresh database of each backend."""
    if request.param == "file":
        yield None
        return
    with database(request, request.param, tmp_path) as url:
        yield url
