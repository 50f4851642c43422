"""Orchestration: the pure stages run through Nornir.  CLI and HTTP service call these."""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from functools import partial

from lagprov.edge.nornir_glue import Credentials, TransportChoice
from lagprov.errors import ConfigError
from lagprov.model.base import Model
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import DeviceOutcome, OutcomeStatus
from lagprov.model.plan import ChangePlan
from lagprov.model.types import Platform
from lagprov.provision.device import Checker, PushHook
from lagprov.provision.planning import ends_on, owned_sections
from lagprov.runs.executor import Executor, ProvisionJob, executor_named, only_local_creds
from lagprov.runs.mlag_atomic import (
    RestoreFn,
    hold_lone_halves,
    restore_lone_halves,
    with_notes,
)
from lagprov.runs.provision_tasks import Pushed
from lagprov.runs.scope import check_filters, trunk_scope
from lagprov.runs.store import (
    DeviceConfigs,
    RunJournal,
    RunRecord,
    RunStore,
    default_store,
    pending_devices,
    pending_note,
)

DEFAULT_WORKERS = 20


class ProvisionReport(Model):
    """The result of ``plan``, ``apply`` or ``rollback``: one outcome per device."""

    command: str
    started: str
    finished: str
    commit: bool
    outcomes: tuple[DeviceOutcome, ...]
    run_id: str | None = None  # the stored run (a commit that changed a device)

    @property
    def failed(self) -> tuple[DeviceOutcome, ...]:
        """Devices that ended in failure (rolled back or unreachable)."""
        return tuple(o for o in self.outcomes if o.failed)

    @property
    def blocked(self) -> tuple[DeviceOutcome, ...]:
        """Devices where a pre-change check held back a change (the whole device or a trunk)."""
        return tuple(o for o in self.outcomes if o.status is OutcomeStatus.BLOCKED
                     or held_trunks(o))


def held_trunks(o: DeviceOutcome) -> tuple[str, ...]:
    """Trunks of a device that a pre-change check held back while the others went ahead."""
    if o.plan is None or o.status is OutcomeStatus.BLOCKED:
        return ()
    return tuple(sorted({c.trunk for c in o.plan.blocked} - set(o.plan.trunks)))


def select_devices(inv: Inventory, names: Collection[str] | None) -> list[str]:
    """Switches carrying trunk ends, optionally limited to device or trunk names."""
    return list(trunk_scope(inv, names))


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso_time(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def provision_run(inv: Inventory, *, commit: bool, devices: Collection[str] | None = None,
                  workers: int = DEFAULT_WORKERS, force: bool = False,
                  choice: TransportChoice | None = None, checker: Checker | None = None,
                  creds: Credentials | None = None,
                  stop: threading.Event | None = None,
                  device_diff: bool = False, replace: Collection[str] = (),
                  store: RunStore | None = None,
                  abort: threading.Event | None = None,
                  executor: Executor | None = None) -> ProvisionReport:
    """Plan every selected device and, with ``commit``, apply; never stops at one failure.

    ``devices`` (a ``--filter``) names devices or trunks: a trunk name changes only that
    trunk's sections on its devices.  ``replace`` names trunks whose member/channel conflicts
    are resolved by taking the ports over.  A commit that changed a device is stored as a run
    (configuration before and after per device) in ``store`` (default: the state folder).
    A plan (no ``commit``) sends the devices nothing unless ``device_diff`` asks for each
    device's own diff (a candidate loaded, compared and discarded).

    A commit is recorded before anything is sent (``incomplete``), then per device as lines
    are confirmed, so a run that dies leaves exactly what it sent; ``abort`` (Ctrl-C twice)
    stops Netmiko pushes before their next line, restored like any failed push.  A device
    that an earlier run left half done gets a note saying so, with the rollback to run.
    ``executor`` plans/applies the devices (default ``$LAGPROV_EXECUTOR``, else the
    in-process threads); the journal, the run store and the MLAG atomicity stay here.
    """
    check_filters(inv, replace, "--replace", trunks_only=True)
    choice = choice or TransportChoice()
    executor = executor or executor_named()
    only_local_creds(executor, creds)
    if executor.local:
        creds = creds or Credentials.from_env()
    elif checker is not None:
        raise ConfigError(f"--executor {executor.name}: a custom pre-change checker cannot "
                          "travel to workers (they run the default checks)")
    stop = stop or threading.Event()
    if checker is None and executor.local:
        from lagprov.provision.precheck import pairing_problems, run_checks

        # the inventory is linted once per run (not per device, nor per trunk end)
        checker = partial(run_checks, pairing=pairing_problems(inv))
    started = utc_now()
    scope = trunk_scope(inv, devices)
    store = store or default_store()
    notes: dict[str, list[str]] = {}
    dropped: dict[str, DeviceOutcome] = {}
    if commit:  # both MLAG peers, or neither (lagprov.runs.mlag_atomic)
        scope, notes, dropped = hold_lone_halves(inv, scope, lambda trunks: provision_run(
            inv, commit=False, devices=trunks, workers=workers, force=force, choice=choice,
            checker=checker, creds=creds, replace=replace, store=store,
            executor=executor).outcomes)
    names = list(scope)

    def start() -> tuple[RunJournal | None, PushHook | None]:
        journal = RunJournal.start(store, "apply", started, names) if commit else None
        return journal, _push_hook(inv, journal, replace)

    job = ProvisionJob(commit=commit, force=force, choice=choice, scope=scope, checker=checker,
                       stop=stop, device_diff=device_diff, replace=tuple(replace), abort=abort)
    pushed, journal = executor.provision(inv, names, job, workers=workers, creds=creds,
                                         start=start)
    report = ProvisionReport(command="apply" if commit else "plan", started=iso_time(started),
                             finished=iso_time(utc_now()), commit=commit,
                             outcomes=_noted(store, pushed, journal))
    if commit:
        configs = {name: _configs(inv, name, p.outcome.platform,
                                  p.outcome.plan.trunks if p.outcome.plan else (),
                                  p.before or "", p.after or "", replace)
                   for name, p in pushed.items() if _changed(p)}
        record = store_run(store, "apply", started, pushed, configs, journal=journal)
        if record is not None:
            report = report.model_copy(update={"run_id": record.id})
        report = _mlag_outcomes(inv, scope, report, notes, dropped, partial(
            _restore, inv, choice=choice, creds=creds, workers=workers, store=store,
            executor=executor))
    return report


def _mlag_outcomes(inv: Inventory, scope: Mapping[str, frozenset[str]], report: ProvisionReport,
                   notes: Mapping[str, list[str]], dropped: Mapping[str, DeviceOutcome],
                   restore: RestoreFn) -> ProvisionReport:
    """The MLAG notes on the outcomes, and the restore of a half one peer applied alone."""
    outcomes = restore_lone_halves(inv, scope, report.outcomes, report.run_id, restore)
    return report.model_copy(update={"outcomes": with_notes(outcomes, notes, dropped)})


def _restore(inv: Inventory, run_id: str, trunk: str, *, choice: TransportChoice,
             creds: Credentials | None, workers: int, store: RunStore,
             executor: Executor) -> tuple[DeviceOutcome, ...]:
    from lagprov.runs.rollback import rollback_run  # rollback builds on this module

    return rollback_run(inv, run_id, trunks=[trunk], commit=True, choice=choice, creds=creds,
                        workers=workers, store=store, executor=executor).outcomes


def _noted(store: RunStore, pushed: Mapping[str, Pushed],
           journal: RunJournal | None) -> tuple[DeviceOutcome, ...]:
    """The outcomes, each device that an earlier run left half done saying so."""
    pending = pending_devices(store, pushed, skip=journal.record.id if journal else None)
    out = []
    for name, p in pushed.items():
        o = p.outcome
        if name in pending:
            o = o.model_copy(update={"messages": (pending_note(name, *pending[name]),
                                                  *o.messages)})
        out.append(o)
    return tuple(out)


def _push_hook(inv: Inventory, journal: RunJournal | None,
               replace: Collection[str]) -> PushHook | None:
    """Tell the journal what a device is about to be sent, before its commit starts."""
    if journal is None:
        return None

    def on_push(plan: ChangePlan, running: str) -> None:
        entry = _configs(inv, plan.device, plan.platform, plan.trunks, running, "", replace)
        journal.pushing(plan.device, entry.model_copy(
            update={"finished": False, "planned": plan.remediation}))

    return on_push


def _changed(p: Pushed) -> bool:
    return p.outcome.status is OutcomeStatus.APPLIED and p.outcome.plan is not None


def store_run(store: RunStore, command: str, started: datetime, pushed: Mapping[str, Pushed],
              configs: Mapping[str, DeviceConfigs],
              rollback_of: str | None = None,
              journal: RunJournal | None = None) -> RunRecord | None:
    """Store the run if it sent a device anything; None if nothing was sent.  With the
    ``journal`` of the run, close it (``incomplete`` while a device it started pushing to
    failed: its restore did not get through)."""
    statuses = {p.outcome.status for p in pushed.values()}
    if not statuses & {OutcomeStatus.APPLIED, OutcomeStatus.ROLLED_BACK, OutcomeStatus.FAILED}:
        if journal is not None:
            store.delete(journal.record.id)
        return None
    failed = bool(statuses & {OutcomeStatus.ROLLED_BACK, OutcomeStatus.FAILED})
    result = ("failed" if not configs else "partial") if failed else "applied"
    if journal is not None:
        return journal.finish(result, {d: configs.get(d) for d, p in pushed.items()
                                       if p.outcome.status is not OutcomeStatus.FAILED})
    record = RunRecord(
        id=store.new_id(started), time=iso_time(started), command=command,
        devices=tuple(pushed), result=result, rollback_of=rollback_of, configs=configs,
        trunks=tuple(dict.fromkeys(t for c in configs.values() for t in c.trunks)))
    store.save(record)
    return record


def _configs(inv: Inventory, device: str, platform: Platform, trunks: tuple[str, ...],
             before: str, after: str, replace: Collection[str]) -> DeviceConfigs:
    """What an apply changed on a device: the sections of each trunk it planned (with the
    ports ``--replace`` took out of a bundle), and the configuration before and after."""
    from lagprov.provision.precheck import foreign_members

    owned: dict[str, tuple[str, ...]] = {}
    for t, end in ends_on(inv, device):
        if t.name not in trunks:
            continue
        taken = (foreign_members(inv, device, before, end)
                 if t.name in replace and t.state == "present" else ())
        word = "interfaces" if platform is Platform.JUNIPER_JUNOS else "interface"
        owned[t.name] = owned_sections(platform, end) + tuple(f"{word} {x}" for x in taken)
    return DeviceConfigs(platform=platform, trunks=trunks, owned=owned, before=before,
                         after=after)
