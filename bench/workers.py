"""Benchmark 8 (issue 13): the 50-switch fleet's apply --commit and audit, in-process (the
thread pool) and through two ``lagprov worker`` processes over a real redis-server, side by
side.  Each side gets a fresh lab of its own (an apply changes it).  Skipped, saying why,
without redis-server or Celery.  ``BENCH_WORKERS=0`` skips it.

``python -m bench.workers`` runs this piece alone.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.common import LAB_ENV, Results, section, timed
from bench.fleet import generate_fleet, running_lab
from bench.lab_child import ChildLab
from lagprov.intent.load import load_inventory
from lagprov.model.inventory import Inventory
from lagprov.runs.audit import audit_run
from lagprov.runs.executor import Executor, ThreadExecutor
from lagprov.runs.provision import DEFAULT_WORKERS, provision_run
from lagprov.runs.store import FileRunStore

ENABLED = os.environ.get("BENCH_WORKERS", "1") == "1"
BLOCKS = ("127.0.211.0", "127.0.212.0")
CONCURRENCY = 10  # per worker (the worker's default)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def broker_and_workers(tmp: Path, count: int = 2) -> Iterator[str]:
    """A redis-server on a free loopback port and ``count`` workers; the broker URL."""
    from lagprov.runs.workers import configured

    port = _free_port()
    redis = subprocess.Popen([str(shutil.which("redis-server")), "--port", str(port), "--bind",
                              "127.0.0.1", "--save", "", "--appendonly", "no", "--dir",
                              str(tmp)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    env = {**os.environ, **LAB_ENV, "LAGPROV_BROKER_URL": url}
    procs: list[subprocess.Popen[bytes]] = []
    try:
        time.sleep(0.3)
        for i in range(count):
            procs.append(subprocess.Popen(
                [sys.executable, "-c", "from lagprov.cli import run; run()", "worker",
                 "--name", f"bench{i}@%h", "--concurrency", str(CONCURRENCY)], env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        app = configured(url)
        names = [f"bench{i}@{socket.gethostname()}" for i in range(count)]
        end = time.monotonic() + 60
        while time.monotonic() < end:
            if len(app.control.ping(destination=names, timeout=0.5) or []) == count:
                break
        else:
            raise RuntimeError("the bench workers did not start")
        yield url
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(20)
        redis.terminate()
        redis.wait(10)


def _side(results: Results, label: str, fabric: ChildLab, live: Inventory, tmp: Path,
          executor: Executor) -> None:
    store = FileRunStore(tmp / "runs")
    seconds, report = timed(lambda: provision_run(live, commit=True, store=store,
                                                  workers=DEFAULT_WORKERS, executor=executor))
    statuses = sorted({o.status.value for o in report.outcomes})
    results.add("workers", f"50-switch apply --commit, {label}", seconds, "s",
                f"{len(report.outcomes)} devices: {', '.join(statuses)}")
    reports = tmp / "reports"
    fabric.write_host_reports(reports)
    seconds, (audit, _) = timed(lambda: audit_run(live, state_dir=tmp / "state",
                                                  reports_dir=reports, executor=executor))
    c = audit.counts
    results.add("workers", f"50-switch audit, {label}", seconds, "s",
                f"{c.trunks} trunks, {c.passed} passed, {c.failed} failed, "
                f"{len(audit.errors)} device errors")


def run(results: Results) -> None:
    """The fleet applied and audited both ways."""
    if not ENABLED:
        print("  (8. workers skipped: BENCH_WORKERS=0)")
        return
    try:
        import celery  # noqa: F401
    except ModuleNotFoundError:
        print("  (8. workers skipped: pip install 'lagprov[workers]')")
        return
    if shutil.which("redis-server") is None:
        print("  (8. workers skipped: no redis-server; Debian package redis-server)")
        return
    with section("8. the 50-switch fleet: in-process vs two workers"), \
            tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder = generate_fleet(tmp / "fleet")[0]
        inv = load_inventory(folder)
        with running_lab(inv, BLOCKS[0], tmp / "a") as (fabric, live):
            _side(results, f"in-process ({DEFAULT_WORKERS} threads)", fabric, live, tmp / "ta",
                  ThreadExecutor())
        with broker_and_workers(tmp) as url, running_lab(inv, BLOCKS[1], tmp / "b") as (
                fabric, live):
            from lagprov.runs.workers import CeleryExecutor

            _side(results, f"2 workers x {CONCURRENCY}", fabric, live, tmp / "tb",
                  CeleryExecutor(url))


if __name__ == "__main__":
    from bench.common import use_lab_credentials

    use_lab_credentials()
    out = Results()
    run(out)
    print("\n" + out.table())
