"""A real ``redis-server`` (Debian's) on a free loopback port, and ``lagprov worker``
processes talking to it; skipped, saying why, where redis-server or Celery is missing."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.workflow.labkit import LAB_ENV

WORKER_CODE = "from lagprov.cli import run; run()"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Broker:
    """The running redis-server."""

    url: str
    process: subprocess.Popen[bytes]

    def client(self):  # type: ignore[no-untyped-def]
        import redis

        return redis.Redis.from_url(self.url)


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    pytest.importorskip("celery", reason="the workers need Celery: pip install 'lagprov[workers]'")
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server not found (Debian package redis-server; make system-deps "
                    "installs it): the worker tests need a real broker")
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    b = Broker(f"redis://127.0.0.1:{port}/0", proc)
    import redis

    end = time.monotonic() + 20
    while True:
        try:
            b.client().ping()
            break
        except (redis.RedisError, OSError):
            if proc.poll() is not None or time.monotonic() > end:
                proc.kill()
                pytest.fail(f"redis-server on port {port} did not start")
            time.sleep(0.1)
    try:
        yield b
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@dataclass
class Workers:
    """``lagprov worker`` processes of the session, by name."""

    broker: Broker
    logs: Path
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def node(self, name: str) -> str:
        return f"{name}@{socket.gethostname()}"

    def env(self) -> dict[str, str]:
        return {**os.environ, **LAB_ENV, "LAGPROV_BROKER_URL": self.broker.url}

    def start(self, name: str, *, queues: tuple[str, ...] = (), concurrency: int = 4) -> str:
        """Start a worker; its node name once it answers a ping."""
        args = [sys.executable, "-c", WORKER_CODE, "worker", "--name", f"{name}@%h",
                "--concurrency", str(concurrency), "--loglevel", "info"]
        for q in queues:
            args += ["--queue", q]
        log = (self.logs / f"{name}.log").open("ab")
        self.running[name] = subprocess.Popen(args, env=self.env(), stdout=log,
                                              stderr=subprocess.STDOUT)
        self._wait(name)
        return self.node(name)

    def _wait(self, name: str) -> None:
        from lagprov.runs.workers import configured

        app = configured(self.broker.url)
        end = time.monotonic() + 60
        while time.monotonic() < end:
            if self.running[name].poll() is not None:
                pytest.fail(f"worker {name} exited: {(self.logs / f'{name}.log').read_text()}")
            if app.control.ping(destination=[self.node(name)], timeout=0.5):
                return
        pytest.fail(f"worker {name} did not answer within 60 s")

    def kill(self, name: str) -> None:
        """SIGKILL: the worker dies at once, its tasks in flight with it."""
        proc = self.running.pop(name)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)

    def stop(self, name: str) -> None:
        """SIGTERM (a warm shutdown), and wait for it."""
        proc = self.running.pop(name)
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()

    def stop_all(self) -> None:
        for proc in self.running.values():
            proc.terminate()
        for proc in self.running.values():
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.running.clear()


@pytest.fixture(scope="session")
def workers(broker: Broker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workers]:
    """Two workers on the default queue."""
    pool = Workers(broker, tmp_path_factory.mktemp("worker-logs"))
    try:
        pool.start("a")
        pool.start("b")
        yield pool
    finally:
        pool.stop_all()


@pytest.fixture
def celery_env(broker: Broker, monkeypatch: pytest.MonkeyPatch) -> Broker:
    """This process points at the broker (the run's side) with the lab's credentials."""
    monkeypatch.setenv("LAGPROV_BROKER_URL", broker.url)
    for k, v in LAB_ENV.items():
        monkeypatch.setenv(k, v)
    return broker
