"""The worker side: one Celery task per device stage, over the runs' own per-device code.

* ``lagprov.read_switch`` / ``lagprov.read_host``: collect (and, for a switch, parse) one
  device: :func:`lagprov.runs.read_tasks.read_switches` / ``host_reads.read_hosts`` for one.
* ``lagprov.plan_device`` / ``lagprov.apply_device``: plan (apply) one device through the
  same Nornir task as the threads (:func:`lagprov.runs.provision_tasks.provision_task`),
  with the same pre-change checks; the journal of the push is relayed to the run.
* ``lagprov.restore_device``: the restore of one device of a stored run.

Every delivery notes its worker and start (and, pushing, its journal entry) under
:func:`.app.attempt_key`; the run watches those.  Deliveries of one task run one after the
other (a lock per task), so a duplicate delivery of an apply re-plans against what the first
left on the device: it plans no change, and the result says the first one's outcome.  A
delivery that follows a lost one keeps the configuration from before the run as ``before``,
so the run's record (and a rollback) rests on it.  A task that passes its time limit is
stopped (a push stops before its next line and is restored) and reported as a timeout.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from typing import Any

from nornir.core import Nornir

from lagprov.edge.nornir_glue import Credentials, TransportChoice, close_all, init_nornir
from lagprov.errors import LagprovError
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import DeviceOutcome, OutcomeStatus
from lagprov.observe.collect import DeviceCapture, HostJob, SwitchJob, device_error, parse_switch
from lagprov.provision.device import Checker, error_kind
from lagprov.runs.provision_tasks import Pushed, provision_task, pushed_of, rollback_task
from lagprov.runs.store import RunJournal, RunRecord
from lagprov.runs.workers.app import (
    TASK_APPLY,
    TASK_PLAN,
    TASK_READ_HOST,
    TASK_READ_SWITCH,
    TASK_RESTORE,
    app,
    done_key,
)
from lagprov.runs.workers.deliveries import (
    LOCK_TTL_S,
    RelayStore,
    bounded,
    delivered,
    merge_deliveries,
    read_json,
    task_lock,
    timeout_error,
    worker_name,
    write_json,
)
from lagprov.runs.workers.wire import (
    Payload,
    choice_from,
    pushed_from,
    pushed_payload,
    worker_inventory,
)

# --- reads -------------------------------------------------------------------------------


def _read(task: Any, payload: Payload, device: str,
          read: Callable[[Inventory, Credentials], DeviceCapture],
          parse: Callable[[DeviceCapture], Payload] | None) -> Payload:
    task_id = str(task.request.id)
    finished = read_json(done_key(task_id))
    if finished is not None:  # a duplicate delivery of a read that finished: its result
        return finished
    delivered(task, device)
    limit = float(payload["limit_s"])
    try:
        inv = worker_inventory(payload["inventory"])
        creds = Credentials.from_env()
        ok, got = bounded(lambda: read(inv, creds), limit, run=payload.get("run"))
        capture = got if ok and got is not None else DeviceCapture(
            device=device, error=device_error(device, "collect", timeout_error(device, limit)))
    except LagprovError as exc:
        capture = DeviceCapture(device=device, error=device_error(device, "connect", exc))
    except Exception as exc:  # noqa: BLE001 - a bug on one device must not stop the others
        capture = DeviceCapture(device=device, error=device_error(
            device, "collect", LagprovError(f"internal: {type(exc).__name__}: {exc}")))
    out: Payload = {"capture": capture.model_dump(mode="json"), "worker": worker_name(task)}
    if parse is not None and capture.error is None:
        out.update(parse(capture))
    write_json(done_key(task_id), out)
    return out


_nornirs: dict[tuple[int, Credentials, TransportChoice], tuple[Inventory, Nornir]] = {}
_nornir_lock = threading.Lock()
_device_locks: dict[str, threading.Lock] = {}


@contextmanager
def _nornir(inv: Inventory, creds: Credentials, choice: TransportChoice,
            device: str) -> Iterator[Nornir]:
    """Nornir over ``device`` alone: the inventory's Nornir is made once per inventory copy
    and transport settings (making it is most of a small task's work), then filtered; one
    task at a time per device here (its Nornir host holds the open session)."""
    key = (id(inv), creds, choice)
    with _nornir_lock:
        if key not in _nornirs or _nornirs[key][0] is not inv:  # (an id is reused)
            if len(_nornirs) > 8:
                _nornirs.clear()
            names = [s.name for s in inv.switches]
            _nornirs[key] = (inv, init_nornir(inv, devices=names, workers=1, creds=creds,
                                              choice=choice))
        base = _nornirs[key][1]
        lock = _device_locks.setdefault(device, threading.Lock())
    with lock:
        nr = base.filter(filter_func=lambda h: h.name == device)
        try:
            yield nr
        finally:
            close_all(nr)


def read_switch(task: Any, payload: Payload) -> Payload:
    """Collect and parse one switch."""
    from lagprov.runs.read_tasks import read_switch_task

    job = SwitchJob.model_validate(payload["job"])
    choice = choice_from(payload["choice"])

    def read(inv: Inventory, creds: Credentials) -> DeviceCapture:
        with _nornir(inv, creds, choice, job.device) as nr:
            result = nr.run(task=read_switch_task, commands={job.device: job.commands},
                            choice=choice)
        value = result[job.device][0].result if job.device in result else None
        if isinstance(value, DeviceCapture):
            return value
        exc = (result[job.device][0].exception if job.device in result else None) or \
            LagprovError(f"{job.device} is not in the Nornir inventory {inv.root}")
        return DeviceCapture(device=job.device, error=device_error(job.device, "collect", exc))

    def parse(capture: DeviceCapture) -> Payload:
        state, err = parse_switch(job, capture.outputs)
        return {"state": state.model_dump(mode="json") if state is not None else None,
                "parse_error": err.model_dump(mode="json") if err is not None else None}

    return _read(task, payload, job.device, read, parse)


def read_host(task: Any, payload: Payload) -> Payload:
    """Collect one live host (parsed where the run verifies, with its host reports)."""
    from lagprov.runs.host_reads import read_hosts

    job = HostJob.model_validate(payload["job"])
    choice = choice_from(payload["choice"])

    def read(inv: Inventory, creds: Credentials) -> DeviceCapture:
        got = read_hosts(inv, [job], workers=1, creds=creds, choice=choice)
        return got.get(job.device) or DeviceCapture(device=job.device, error=device_error(
            job.device, "connect", LagprovError(f"{job.device} is not read live")))

    return _read(task, payload, job.device, read, None)


# --- plan, apply, restore ----------------------------------------------------------------


_checkers: dict[int, tuple[Inventory, Checker]] = {}
_checkers_lock = threading.Lock()


def _checker(inv: Inventory) -> Checker:
    """The run's default pre-change checks (the inventory linted once per copy)."""
    from lagprov.provision.precheck import pairing_problems, run_checks

    with _checkers_lock:
        if id(inv) not in _checkers or _checkers[id(inv)][0] is not inv:
            _checkers.clear()
            _checkers[id(inv)] = (inv, partial(run_checks, pairing=pairing_problems(inv)))
        return _checkers[id(inv)][1]


def _failed(inv: Inventory | None, device: str, kind: str, message: str) -> Pushed:
    from lagprov.model.types import Platform

    platform = inv.switch(device).platform if inv is not None else Platform.CISCO_IOS
    return Pushed(DeviceOutcome(device=device, platform=platform, status=OutcomeStatus.FAILED,
                                error_kind=kind, error=message))


def _one_device(inv: Inventory, device: str, creds: Credentials, payload: Payload,
                run_task: Callable[..., Any], **kwargs: Any) -> Pushed:
    choice = choice_from(payload["choice"])
    with _nornir(inv, creds, choice, device) as nr:
        result = nr.run(task=run_task, inv=inv, choice=choice, **kwargs)
    if device not in result:
        return _failed(inv, device, "internal", f"{device} is not in the Nornir inventory")
    return pushed_of(result[device])


def _deliver(task: Any, payload: Payload, work: Callable[..., Pushed]) -> Payload:
    """One delivery of a device task: serialised with its duplicates, merged with them."""
    task_id, device = str(task.request.id), str(payload["device"])
    limit = float(payload["limit_s"])
    with task_lock(task_id, wait_s=limit + 2 * LOCK_TTL_S) as held:
        if not held:
            return pushed_payload(_failed(None, device, "timeout", f"{device}: another "
                                          "delivery of this task still holds it"))
        prior = delivered(task, device)
        done = read_json(done_key(task_id))
        earlier = pushed_from(done) if done is not None else None
        entry = prior.get("entry")
        before = str(entry["before"]) if entry and entry.get("before") is not None else None
        inv: Inventory | None = None
        try:
            inv = worker_inventory(payload["inventory"])
            pushed = work(task_id, inv, Credentials.from_env(), before)
        except LagprovError as exc:
            pushed = _failed(inv, device, error_kind(exc), str(exc))
        except Exception as exc:  # noqa: BLE001 - one device's bug stops no other device
            pushed = _failed(inv, device, "internal", f"{type(exc).__name__}: {exc}")
        merged = merge_deliveries(before, earlier, pushed)
        out = pushed_payload(merged)
        out["worker"] = worker_name(task)
        write_json(done_key(task_id), out)
        return out


def provision(task: Any, payload: Payload) -> Payload:
    """Plan, and for ``lagprov.apply_device`` apply, one device."""
    device, commit = str(payload["device"]), bool(payload["commit"])
    limit = float(payload["limit_s"])

    def work(task_id: str, inv: Inventory, creds: Credentials, before: str | None) -> Pushed:
        from lagprov.runs.provision import _push_hook

        stop, abort = threading.Event(), threading.Event()
        journal = None
        if payload.get("journal"):
            journal = RunJournal(RelayStore(task_id, device, before), RunRecord(
                id=str(payload["journal"]), time=datetime.now(UTC).isoformat(timespec="seconds"),
                command="apply", devices=(device,), trunks=(), result="incomplete"))
        replace = tuple(payload.get("replace") or ())
        scope = {device: frozenset(payload["trunks"])}
        ok, pushed = bounded(lambda: _one_device(
            inv, device, creds, payload, provision_task, commit=commit,
            force=bool(payload["force"]), checker=_checker(inv), stop=stop,
            device_diff=bool(payload.get("device_diff")), scope=scope, replace=replace,
            journal=journal, on_push=_push_hook(inv, journal, replace), abort=abort),
            limit, run=payload.get("run"), stop=stop, abort=abort,
            grace_s=max(30.0, limit / 2) if commit else 0.0)
        if pushed is None:
            return _failed(inv, device, "timeout", str(timeout_error(f"{device} apply", limit)) +
                           "; it was still pushing or restoring when the worker gave up")
        if not ok:
            o = pushed.outcome
            note = str(timeout_error(device, limit)) + ": stopped before its next line"
            pushed = Pushed(o.model_copy(update={"messages": (*o.messages, note)}),
                            pushed.before, pushed.after)
        return pushed

    return _deliver(task, payload, work)


def restore(task: Any, payload: Payload) -> Payload:
    """Plan (push) the restore of one device of a stored run."""
    device = str(payload["device"])
    limit = float(payload["limit_s"])

    def work(_task_id: str, inv: Inventory, creds: Credentials, _before: str | None) -> Pushed:
        record = RunRecord.model_validate(payload["record"])
        ok, pushed = bounded(lambda: _one_device(
            inv, device, creds, payload, rollback_task, record=record,
            trunks=tuple(payload["trunks"]), commit=bool(payload["commit"]),
            force=bool(payload["force"])), limit, run=payload.get("run"))
        if not ok or pushed is None:
            return _failed(inv, device, "timeout", str(timeout_error(f"{device} restore", limit)))
        return pushed

    return _deliver(task, payload, work)


WARM = ("paramiko", "netmiko", "napalm", "napalm.ios", "napalm.eos", "napalm.junos",
        "nornir_napalm.plugins.connections", "nornir_netmiko.connections", "pypsrp.client",
        "lagprov.runs.read_tasks", "lagprov.runs.host_reads", "lagprov.runs.provision",
        "lagprov.provision.precheck", "lagprov.edge.smis_driver", "lagprov.edge.hosts_ssh")


def warm_up() -> None:
    """Import the device libraries once, before the worker's threads do it all at once (two
    threads importing one module at the same moment can deadlock on its import lock)."""
    import importlib

    for name in WARM:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


_OPTIONS: dict[str, Any] = {"bind": True, "acks_late": True, "reject_on_worker_lost": True}
read_switch_task = app.task(name=TASK_READ_SWITCH, **_OPTIONS)(read_switch)
read_host_task = app.task(name=TASK_READ_HOST, **_OPTIONS)(read_host)
plan_task = app.task(name=TASK_PLAN, **_OPTIONS)(provision)
apply_task = app.task(name=TASK_APPLY, **_OPTIONS)(provision)
restore_task = app.task(name=TASK_RESTORE, **_OPTIONS)(restore)

