"""Thin Nornir task functions: open a session, call the pure stages, return a typed value.

With ``lagprov.edge.nornir_glue`` the only module that touches Nornir.  Each task catches the
device's own faults and returns them as data, so one device never stops the others.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

from nornir.core.task import MultiResult, Result, Task

from lagprov.edge.locks import device_lock
from lagprov.edge.nornir_glue import TransportChoice, open_session
from lagprov.errors import InternalError, LagprovError
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import DeviceOutcome, OutcomeStatus
from lagprov.model.session import Session
from lagprov.provision.device import Checker, error_kind, provision_device


def provision_task(task: Task, *, inv: Inventory, commit: bool, force: bool,
                   choice: TransportChoice, checker: Checker | None,
                   stop: threading.Event, device_diff: bool = False) -> Result:
    """Plan (and with ``commit`` apply) one device; faults become a FAILED outcome."""
    name = task.host.name
    platform = inv.switch(name).platform

    def reopen() -> Session:
        for conn in list(task.host.connections):
            try:
                task.host.close_connection(conn)
            except Exception:  # noqa: BLE001, S112 - the old session is already gone
                continue
        return open_session(task.host, task.nornir.config, choice)

    try:
        with device_lock(name, exclusive=commit):
            session = open_session(task.host, task.nornir.config, choice)
            outcome = provision_device(session, inv, name, commit=commit, force=force,
                                       checker=checker, stop=stop, reopen=reopen,
                                       device_diff=device_diff)
    except LagprovError as exc:
        outcome = DeviceOutcome(device=name, platform=platform, status=OutcomeStatus.FAILED,
                                error_kind=error_kind(exc), error=str(exc))
    except Exception as exc:  # noqa: BLE001 - a bug on one device must not stop the others
        outcome = DeviceOutcome(device=name, platform=platform, status=OutcomeStatus.FAILED,
                                error_kind="internal", error=f"{type(exc).__name__}: {exc}")
    return Result(host=task.host, result=outcome, changed=outcome.status is OutcomeStatus.APPLIED,
                  failed=outcome.failed)


def collect_task(task: Task, *, commands: Callable[[str], tuple[str, ...]],
                 choice: TransportChoice) -> Result:
    """Run the read-back commands of one device; a fault becomes the result's exception."""
    try:
        session = open_session(task.host, task.nornir.config, choice)
        outputs: Mapping[str, str] = {c: session.run(c) for c in commands(task.host.name)}
    except LagprovError as exc:
        return Result(host=task.host, result=exc, failed=True)
    return Result(host=task.host, result=dict(outputs))


def outcome_of(multi: MultiResult) -> DeviceOutcome:
    """The typed outcome of a provision task (nornir's Result.result is Any)."""
    value = multi[0].result
    if not isinstance(value, DeviceOutcome):
        raise InternalError(f"unexpected task result {type(value).__name__}: {multi[0].exception}")
    return value
