"""``lagprov rollback RUN_ID``: restore the sections a stored run changed, device by device.

The restore of each device is planned from the run's stored configuration before and after it
and the device's configuration now (:mod:`lagprov.provision.restore`), and pushed through the
same safe path as an apply.  A committed rollback is itself stored as a run.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping

from lagprov.edge.nornir_glue import Credentials, TransportChoice
from lagprov.errors import ConfigError
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import OutcomeStatus
from lagprov.runs.executor import Executor, RestoreJob, ThreadExecutor, only_local_creds
from lagprov.runs.provision import (
    DEFAULT_WORKERS,
    ProvisionReport,
    iso_time,
    store_run,
    utc_now,
)
from lagprov.runs.provision_tasks import Pushed
from lagprov.runs.scope import UnknownFilter
from lagprov.runs.store import DeviceConfigs, RunRecord, RunStore, default_store


def _trunks(record: RunRecord, names: Collection[str] | None) -> list[str]:
    """The run's trunks to restore: all, or those named (each must be one the run changed)."""
    if not names:
        return list(record.trunks)
    unknown = [n for n in dict.fromkeys(names) if n not in record.trunks]
    if unknown:
        hints = []
        for n in unknown:
            close = difflib.get_close_matches(n, record.trunks, n=3, cutoff=0.5)
            hints.append(f"{n!r}" + (f" (did you mean: {', '.join(close)}?)" if close else ""))
        raise UnknownFilter(f"--filter: not a trunk run {record.id} changed: {'; '.join(hints)}"
                            f"; it changed: {', '.join(record.trunks) or 'nothing'}; "
                            "nothing was sent")
    return [t for t in record.trunks if t in names]


def rollback_run(inv: Inventory, run_id: str, *, trunks: Collection[str] | None = None,
                 commit: bool = False, force: bool = False,
                 choice: TransportChoice | None = None, creds: Credentials | None = None,
                 workers: int = DEFAULT_WORKERS, store: RunStore | None = None,
                 executor: Executor | None = None) -> ProvisionReport:
    """Plan, and with ``commit`` push, the restore of run ``run_id`` (optionally some trunks).

    Raises:
        UnknownRun: no such run.  UnknownFilter: a trunk the run did not change.
        ConfigError: a device of the run is not in the inventory.
    """
    store = store or default_store()
    record = store.get(run_id)
    wanted = _trunks(record, trunks)
    devices = [d for d, c in record.configs.items() if set(c.trunks) & set(wanted)]
    missing = [d for d in devices if d not in {s.name for s in inv.switches}]
    if missing:
        raise ConfigError(f"run {run_id} changed {', '.join(missing)}, not in {inv.root}")
    choice = choice or TransportChoice()
    executor = executor or ThreadExecutor()
    only_local_creds(executor, creds)
    started = utc_now()
    job = RestoreJob(record=record, trunks=tuple(wanted), commit=commit, force=force,
                     choice=choice)
    pushed = executor.restore(inv, devices, job, workers=workers,
                              creds=(creds or Credentials.from_env()) if executor.local else None)
    report = ProvisionReport(command="rollback", started=iso_time(started),
                             finished=iso_time(utc_now()), commit=commit,
                             outcomes=tuple(p.outcome for p in pushed.values()))
    if not commit:
        return report
    configs = {}
    for d, p in pushed.items():
        if p.outcome.plan is None or p.outcome.status.value != "applied":
            continue
        stored = record.configs[d]
        picked = p.outcome.plan.trunks
        configs[d] = DeviceConfigs(platform=stored.platform, trunks=picked,
                                   owned={t: stored.owned.get(t, ()) for t in picked},
                                   before=p.before or "", after=p.after or "")
    saved = store_run(store, "rollback", started, pushed, configs, rollback_of=run_id)
    _mark_restored(store, record, pushed, saved.id if saved else None)
    return report.model_copy(update={"run_id": saved.id if saved else None})


def _mark_restored(store: RunStore, record: RunRecord, pushed: Mapping[str, Pushed],
                   by: str | None) -> None:
    """Devices an unfinished run left half done and this rollback restored (or found as they
    were): no longer pending, so ``plan`` stops pointing at the run."""
    done = {d for d, p in pushed.items()
            if p.outcome.status in (OutcomeStatus.APPLIED, OutcomeStatus.NOOP)
            and d in record.configs and record.configs[d].pending}
    if not done:
        return
    current = store.get(record.id)
    configs = {d: c.model_copy(update={"restored_by": by or "rollback (nothing to send)"})
               if d in done else c for d, c in current.configs.items()}
    store.save(current.model_copy(update={"configs": configs}))
