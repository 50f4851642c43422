"""A wedged switch is bounded by the device deadline; a flaky connect is retried (issue 16).

The faulty switch's inventory entry points at a small loopback TCP server of the test: one
that accepts and never says a word (a wedged device), or a proxy to the lab switch that
resets the first connections (a transient failure).  The other switch of each run is the
lab's own and must be unaffected.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
import yaml

from lagprov.edge.nornir_glue import TransportChoice
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import ErrorKind, OutcomeStatus
from lagprov.runs.audit import audit_run
from lagprov.runs.provision import provision_run
from lagprov.runs.verify import verify_run
from tests.e2e.conftest import E2eLab
from tests.e2e.kit import SWITCHES, Case, inventory_with, write_trunks

SLOT = 10
VICTIM, WITNESS = SWITCHES["cisco_ios"], SWITCHES["arista_eos"]


class Silent:
    """A loopback TCP server that accepts every connection and never sends anything."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        with suppress(OSError):
            while True:
                conn, _ = self.sock.accept()
                self.held.append(conn)

    def close(self) -> None:
        for s in [*self.held, self.sock]:
            s.close()


class ResettingProxy:
    """Resets (TCP RST) the first ``resets`` connections, forwards the others to ``target``."""

    def __init__(self, target: tuple[str, int], resets: int) -> None:
        self.target, self.resets_left, self.resets, self.forwarded = target, resets, 0, 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        with suppress(OSError):
            while True:
                conn, _ = self.sock.accept()
                if self.resets_left > 0:
                    self.resets_left, self.resets = self.resets_left - 1, self.resets + 1
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                    struct.pack("ii", 1, 0))
                    conn.close()
                    continue
                self.forwarded += 1
                upstream = socket.create_connection(self.target)
                for a, b in ((conn, upstream), (upstream, conn)):
                    threading.Thread(target=_pipe, args=(a, b), daemon=True).start()

    def close(self) -> None:
        self.sock.close()


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    with suppress(OSError):
        while data := src.recv(65536):
            dst.sendall(data)
    for s in (src, dst):
        with suppress(OSError):
            s.shutdown(socket.SHUT_RDWR)


def _trunk(platform: str) -> dict[str, Any]:
    out = Case(platform, "lacp-active", SLOT).trunk_yaml()
    out["switch"].pop("l2", None)
    return out


def _pointed(lab: E2eLab, dest: Path, port: int) -> tuple[Inventory, tuple[str, int]]:
    """The inventory with VICTIM at 127.0.0.1:``port``; returns it and VICTIM's real address."""
    inventory_with(lab.inventory, dest, [])
    hosts = yaml.safe_load((dest / "hosts.yaml").read_text(encoding="utf-8"))
    real = (hosts[VICTIM]["hostname"], int(hosts[VICTIM].get("port", 22)))
    hosts[VICTIM].update(hostname="127.0.0.1", port=port)
    (dest / "hosts.yaml").write_text(yaml.safe_dump(hosts, sort_keys=False), encoding="utf-8")
    return write_trunks(dest, [_trunk("cisco_ios"), _trunk("arista_eos")]), real


@pytest.fixture()
def silent() -> Iterator[Silent]:
    server = Silent()
    yield server
    server.close()


def test_a_wedged_switch_is_bounded_by_the_device_deadline(
        lab: E2eLab, tmp_path: Path, silent: Silent) -> None:
    inv, _ = _pointed(lab, tmp_path / "inv", silent.port)
    choice = TransportChoice(deadline_s=2, connect_retries=0)
    report = verify_run(inv, choice=choice)
    errors = {e.device: e for e in report.errors}
    assert errors[VICTIM].kind is ErrorKind.TIMEOUT, errors[VICTIM]
    assert "deadline of 2 s" in errors[VICTIM].message
    assert WITNESS not in errors

    audited, _ = audit_run(inv, state_dir=tmp_path / "state", choice=choice)
    audit_errors = {e.device: e for e in audited.errors}
    assert audit_errors[VICTIM].kind is ErrorKind.TIMEOUT and WITNESS not in audit_errors

    planned = {o.device: o for o in provision_run(inv, commit=False, choice=choice).outcomes}
    assert planned[VICTIM].status is OutcomeStatus.FAILED
    assert planned[VICTIM].error_kind == "timeout" and "deadline" in (planned[VICTIM].error or "")
    assert planned[WITNESS].status is OutcomeStatus.PLANNED


def test_a_reset_connection_is_retried_before_the_switch_fails(
        lab: E2eLab, tmp_path: Path) -> None:
    probe = Silent()
    _, real = _pointed(lab, tmp_path / "probe", probe.port)
    probe.close()
    proxy = ResettingProxy(real, resets=1)
    try:
        inv, _ = _pointed(lab, tmp_path / "inv", proxy.port)
        once = {o.device: o for o in provision_run(
            inv, commit=False, choice=TransportChoice(connect_retries=0)).outcomes}
        assert once[VICTIM].status is OutcomeStatus.FAILED, once[VICTIM]
        assert once[VICTIM].error_kind == "unreachable" and proxy.resets == 1

        proxy.resets_left = 2
        retried = {o.device: o for o in provision_run(
            inv, commit=False,
            choice=TransportChoice(connect_retries=2, backoff_s=0.1)).outcomes}
        assert retried[VICTIM].status is OutcomeStatus.PLANNED, retried[VICTIM]
        assert proxy.resets == 3 and proxy.forwarded >= 1
        assert retried[WITNESS].status is OutcomeStatus.PLANNED
    finally:
        proxy.close()
