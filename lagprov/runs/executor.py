"""Where a run's per-device stages run: the seam between a run and its fan-out.

A run (verify, audit, plan, apply, rollback) hands its per-device work to an
:class:`Executor`: read these switches, read these hosts, plan/apply these devices, restore
these devices.  :class:`ThreadExecutor` (the default, ``--executor threads``) is the
in-process Nornir thread pool exactly as before; ``lagprov.runs.workers.CeleryExecutor``
(``--executor celery``) sends the same stages to ``lagprov worker`` processes over a broker.
Verification, reports and the run store stay in the calling process either way.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from lagprov.edge.nornir_glue import (
    Credentials,
    TransportChoice,
    close_all,
    init_nornir,
    slowest_first,
)
from lagprov.errors import ConfigError, LagprovError
from lagprov.model.inventory import Inventory
from lagprov.model.state import DeviceLagState
from lagprov.observe.collect import DeviceCapture, HostJob, SwitchJob
from lagprov.provision.device import Checker, PushHook
from lagprov.report import DeviceError
from lagprov.runs.provision_tasks import Pushed, provision_task, pushed_of, rollback_task
from lagprov.runs.read_tasks import Progress
from lagprov.runs.store import RunJournal, RunRecord

ENV_EXECUTOR = "LAGPROV_EXECUTOR"
EXECUTORS = ("threads", "celery")



class BrokerUnavailable(LagprovError):
    """The broker of ``--executor celery`` cannot be reached: nothing was sent to a device."""


Parsed = tuple[DeviceLagState | None, DeviceError | None]
# Called once the executor is ready to send (after its own setup): the run's journal (None
# for a plan) and the hook that tells it what a device is about to be sent.
JournalStart = Callable[[], tuple[RunJournal | None, PushHook | None]]


@dataclass(frozen=True)
class SwitchReads:
    """What reading switches gave: a capture per switch, and the states of the switches
    already parsed where they were read (the others are parsed by the run)."""

    captures: Mapping[str, DeviceCapture]
    states: Mapping[str, Parsed] = field(default_factory=dict)


@dataclass(frozen=True)
class ProvisionJob:
    """One plan/apply run's per-device settings (``scope``: device -> its trunks)."""

    commit: bool
    force: bool
    choice: TransportChoice
    scope: Mapping[str, frozenset[str]]
    checker: Checker | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    device_diff: bool = False
    replace: tuple[str, ...] = ()
    abort: threading.Event | None = None


@dataclass(frozen=True)
class RestoreJob:
    """One rollback run's per-device settings."""

    record: RunRecord
    trunks: tuple[str, ...]
    commit: bool
    force: bool
    choice: TransportChoice


class Executor(Protocol):
    """Runs the per-device stages of a run; every device fault comes back as data."""

    name: str
    local: bool  # True: devices are contacted from this process, with its credentials

    def read_switches(self, inv: Inventory, jobs: Sequence[SwitchJob], *, workers: int,
                      creds: Credentials | None, choice: TransportChoice,
                      progress: Progress | None = None) -> SwitchReads: ...

    def read_hosts(self, inv: Inventory, jobs: Sequence[HostJob], *, workers: int,
                   creds: Credentials | None, choice: TransportChoice,
                   progress: Progress | None = None) -> dict[str, DeviceCapture]: ...

    def provision(self, inv: Inventory, names: Sequence[str], job: ProvisionJob, *,
                  workers: int, creds: Credentials | None, start: JournalStart
                  ) -> tuple[dict[str, Pushed], RunJournal | None]: ...

    def restore(self, inv: Inventory, names: Sequence[str], job: RestoreJob, *,
                workers: int, creds: Credentials | None) -> dict[str, Pushed]: ...


def _creds(creds: Credentials | None) -> Credentials:
    return creds or Credentials.from_env()


class ThreadExecutor:
    """The in-process Nornir thread pool (the default): exactly the runs' own path."""

    name = "threads"
    local = True

    def read_switches(self, inv: Inventory, jobs: Sequence[SwitchJob], *, workers: int,
                      creds: Credentials | None, choice: TransportChoice,
                      progress: Progress | None = None) -> SwitchReads:
        """Read every switch of ``jobs`` in parallel through Nornir."""
        from lagprov.runs.read_tasks import read_switches

        return SwitchReads(read_switches(inv, jobs, workers=workers, creds=_creds(creds),
                                         choice=choice, progress=progress))

    def read_hosts(self, inv: Inventory, jobs: Sequence[HostJob], *, workers: int,
                   creds: Credentials | None, choice: TransportChoice,
                   progress: Progress | None = None) -> dict[str, DeviceCapture]:
        """Read every live host of ``jobs`` in parallel."""
        from lagprov.runs.host_reads import read_hosts

        return read_hosts(inv, jobs, workers=workers, creds=_creds(creds), choice=choice,
                          progress=progress)

    def provision(self, inv: Inventory, names: Sequence[str], job: ProvisionJob, *,
                  workers: int, creds: Credentials | None, start: JournalStart
                  ) -> tuple[dict[str, Pushed], RunJournal | None]:
        """Plan (apply) every device of ``names`` through Nornir's threaded runner."""
        nr = init_nornir(inv, devices=slowest_first(inv, names, job.choice), workers=workers,
                         creds=_creds(creds), choice=job.choice)
        journal, on_push = start()
        try:
            result = nr.run(task=provision_task, inv=inv, commit=job.commit, force=job.force,
                            choice=job.choice, checker=job.checker, stop=job.stop,
                            device_diff=job.device_diff, scope=job.scope,
                            replace=job.replace, journal=journal, on_push=on_push,
                            abort=job.abort)
        finally:
            close_all(nr)
        return {name: pushed_of(result[name]) for name in names if name in result}, journal

    def restore(self, inv: Inventory, names: Sequence[str], job: RestoreJob, *,
                workers: int, creds: Credentials | None) -> dict[str, Pushed]:
        """Plan (push) the restore of every device of ``names`` through Nornir."""
        nr = init_nornir(inv, devices=names, workers=workers, creds=_creds(creds),
                         choice=job.choice)
        try:
            result = nr.run(task=rollback_task, inv=inv, record=job.record,
                            trunks=job.trunks, commit=job.commit, force=job.force,
                            choice=job.choice)
        finally:
            close_all(nr)
        return {d: pushed_of(result[d]) for d in names if d in result}


def executor_named(name: str | None = None) -> Executor:
    """The executor called ``name`` (default ``$LAGPROV_EXECUTOR``, else ``threads``).

    Raises:
        ConfigError: an unknown name, or ``celery`` without its broker or packages.
    """
    name = name or os.environ.get(ENV_EXECUTOR) or "threads"
    if name == "threads":
        return ThreadExecutor()
    if name == "celery":
        try:
            from lagprov.runs.workers import CeleryExecutor
        except ModuleNotFoundError as exc:
            raise ConfigError(f"--executor celery needs the optional dependencies: pip install "
                              f"'lagprov[workers]' ({exc.name} is missing)") from None
        return CeleryExecutor.from_env()
    raise ConfigError(f"executor {name!r}: expected one of {', '.join(EXECUTORS)} "
                      f"(--executor or ${ENV_EXECUTOR})")


def only_local_creds(executor: Executor, creds: Credentials | None) -> None:
    """Credentials are never sent to workers: refuse a run that hands some to a remote
    executor (the workers read their own environment)."""
    if creds is not None and not executor.local:
        raise ConfigError(f"--executor {executor.name}: credentials never travel to workers; "
                          "each worker reads LAGPROV_USERNAME / LAGPROV_PASSWORD from its own "
                          "environment")

