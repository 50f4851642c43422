"""Orchestration: the pure stages run through Nornir.  CLI and HTTP service call these."""

from __future__ import annotations

import threading
from collections.abc import Collection
from datetime import UTC, datetime

from lagprov.edge.nornir_glue import Credentials, TransportChoice, close_all, init_nornir
from lagprov.model.base import Model
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import DeviceOutcome, OutcomeStatus
from lagprov.provision.device import Checker
from lagprov.provision.planning import ends_on
from lagprov.runs.provision_tasks import outcome_of, provision_task

DEFAULT_WORKERS = 20


class ProvisionReport(Model):
    """The result of ``plan`` or ``apply``: one outcome per device."""

    command: str
    started: str
    finished: str
    commit: bool
    outcomes: tuple[DeviceOutcome, ...]

    @property
    def failed(self) -> tuple[DeviceOutcome, ...]:
        """Devices that ended in failure (rolled back or unreachable)."""
        return tuple(o for o in self.outcomes if o.failed)

    @property
    def blocked(self) -> tuple[DeviceOutcome, ...]:
        """Devices whose pre-change checks blocked the change."""
        return tuple(o for o in self.outcomes if o.status is OutcomeStatus.BLOCKED)


def select_devices(inv: Inventory, names: Collection[str] | None) -> list[str]:
    """Switches carrying trunk ends, optionally limited to device or trunk names."""
    wanted = set(names or ())
    out = []
    for s in inv.switches:
        trunks = {t.name for t, _ in ends_on(inv, s.name)}
        if not trunks:
            continue
        if wanted and s.name not in wanted and not (trunks & wanted):
            continue
        out.append(s.name)
    return out


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def provision_run(inv: Inventory, *, commit: bool, devices: Collection[str] | None = None,
                  workers: int = DEFAULT_WORKERS, force: bool = False,
                  choice: TransportChoice | None = None, checker: Checker | None = None,
                  creds: Credentials | None = None,
                  stop: threading.Event | None = None,
                  device_diff: bool = False) -> ProvisionReport:
    """Plan every selected device and, with ``commit``, apply; never stops at one failure.

    A plan (no ``commit``) sends the devices nothing unless ``device_diff`` asks for each
    device's own diff (a candidate loaded, compared and discarded).
    """
    choice = choice or TransportChoice()
    creds = creds or Credentials.from_env()
    stop = stop or threading.Event()
    if checker is None:
        from lagprov.provision.precheck import run_checks

        checker = run_checks
    started = _now()
    names = select_devices(inv, devices)
    nr = init_nornir(inv, devices=names, workers=workers, creds=creds, choice=choice)
    try:
        result = nr.run(task=provision_task, inv=inv, commit=commit, force=force,
                        choice=choice, checker=checker, stop=stop, device_diff=device_diff)
    finally:
        close_all(nr)
    outcomes = tuple(outcome_of(result[name]) for name in names if name in result)
    return ProvisionReport(command="apply" if commit else "plan", started=started,
                           finished=_now(), commit=commit, outcomes=outcomes)
