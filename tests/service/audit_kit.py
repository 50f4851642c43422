"""What the audit, webhook and metrics tests share: a webhook receiver on loopback, a poll,
and the runner over replayed saved outputs (tests/workflow/saved) instead of the lab."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

from lagprov.model.inventory import Inventory
from lagprov.report import RunReport
from lagprov.runs import Progress
from lagprov.runs.audit import AuditDelta, AuditStore, audit_run

T = TypeVar("T")


def wait_for(what: str, probe: Callable[[], T | None], timeout: float = 120.0,
             every: float = 0.05) -> T:
    """Poll ``probe`` until it returns something truthy; fail naming ``what`` after
    ``timeout`` seconds (a bound against hanging, not a speed figure)."""
    deadline = time.monotonic() + timeout
    while True:
        got = probe()
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(every)


@dataclass
class Received:
    """One request a receiver got."""

    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1: records every POST and answers with the next status
    of ``statuses`` (then 200); ``hold`` seconds before answering the first ``slow`` ones."""

    statuses: list[int] = field(default_factory=list)
    hold: float = 0.0
    slow: int = 0
    got: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/T000/B000/Secret-Path-4e1f"

    def messages(self) -> list[Received]:
        with self.lock:
            return list(self.got)


@contextmanager
def receiving(receiver: Receiver | None = None) -> Iterator[Receiver]:
    """Serve ``receiver`` (a fresh one by default) on a free loopback port."""
    rec = receiver or Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with rec.lock:
                rec.got.append(Received(self.path, {k.lower(): v for k, v in
                                                    self.headers.items()}, body))
                n = len(rec.got)
                status = rec.statuses.pop(0) if rec.statuses else 200
            if n <= rec.slow:
                time.sleep(rec.hold)
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *_: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    rec.port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield rec
    finally:
        server.shutdown()
        server.server_close()


class Replay:
    """An ``AuditFn`` replaying the saved outputs in ``folder`` (changeable between audits);
    ``gate``, when set, holds every audit until it is set."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.gate: threading.Event | None = None
        self.entered = threading.Event()

    def __call__(self, inv: Inventory, progress: Progress, store: AuditStore
                 ) -> tuple[RunReport, AuditDelta]:
        self.entered.set()
        if self.gate is not None:
            assert self.gate.wait(120), "the test never opened the gate"
        return audit_run(inv, from_dir=self.folder, progress=progress, store=store)



@dataclass
class ServiceLab:
    """The example fabric on the lab: the fabric, its live inventory folder, host reports."""

    fabric: Any  # LabFabric
    inventory: Path
    reports: Path


@contextmanager
def example_lab(base: Path) -> Iterator[ServiceLab]:
    """The example inventory's fabric on a fresh loopback block, configured as intended
    (as tests/workflow/test_live.py starts it); the lab's credentials are the caller's to set."""
    from lagprov.intent.load import load_inventory
    from lagprov.lab.fabric import LabFabric
    from tests.conftest import EXAMPLE_INVENTORY
    from tests.workflow.labkit import configure_as_intended

    inv = load_inventory(EXAMPLE_INVENTORY)
    fabric = LabFabric.from_inventory(inv, rebase="auto")
    configure_as_intended(fabric, inv)
    fabric.start()
    try:
        live = fabric.write_inventory(base / "inventory")
        for host in fabric.hosts.values():
            host.write_reports(base / "reports")
        yield ServiceLab(fabric, live, base / "reports")
    finally:
        fabric.close()


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn in this process on a free loopback port (its lifespan, and
    so its schedule, running); yields the base URL."""
    import uvicorn

    from tests.service.conftest import free_port

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    try:
        wait_for("uvicorn to start", lambda: server.started or not thread.is_alive(), 30)
        assert server.started, "uvicorn did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(60)
