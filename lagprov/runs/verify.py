"""``verify``: read every end of the selected trunks (live, or replayed from saved outputs),
parse, verify, report.  One code path parses and verifies both live and replayed outputs
(the saved-output and report-file layouts are in :mod:`lagprov.runs.saved`).
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

from lagprov.edge.nornir_glue import Credentials, TransportChoice
from lagprov.model.base import Model
from lagprov.model.findings import Evidence, Finding, Status
from lagprov.model.inventory import Inventory
from lagprov.model.state import DeviceLagState, HostTeamState
from lagprov.model.types import Severity
from lagprov.observe.collect import (
    CollectionPlan,
    DeviceCapture,
    HostJob,
    collection_plan,
    host_differences,
    parse_host,
    parse_switch,
)
from lagprov.report import DeviceError, Observation, RunReport, build_run_report
from lagprov.report.gate import HOST_REPORT_RULE
from lagprov.runs.executor import Executor, executor_named, only_local_creds
from lagprov.runs.replay import replayed_switches
from lagprov.runs.saved import (  # re-exported: the saved-output API of verify
    REPORT_SOURCES,
    read_reports,
    read_saved,
    report_origin,
    write_saved,
)
from lagprov.verify import verify_all

DEFAULT_WORKERS = 20

Progress = Callable[[str], None]
_S = TypeVar("_S")
_P = ParamSpec("_P")


class RunData(Model):
    """A run's report plus the normalised states it rests on (the audit keeps both)."""

    report: RunReport
    switches: Mapping[str, DeviceLagState]
    hosts: Mapping[str, HostTeamState]


# --- the run -----------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class _Reads:
    """What a run read: the capture each verdict rests on, where it came from, and host
    reports read beside a live read (compared with it)."""

    captures: dict[str, DeviceCapture] = field(default_factory=dict)
    origins: dict[str, Observation] = field(default_factory=dict)
    beside: dict[str, tuple[DeviceCapture, Observation]] = field(default_factory=dict)
    errors: list[DeviceError] = field(default_factory=list)
    # switch -> its state (or parse error), parsed as its saved files were read and checked
    states: dict[str, tuple[DeviceLagState | None, DeviceError | None]] = field(
        default_factory=dict)
    host_states: dict[str, tuple[HostTeamState | None, DeviceError | None]] = field(
        default_factory=dict)  # replayed hosts, parsed as they were read


def _unseen(job: HostJob, reports_dir: Path | None, from_dir: Path | None) -> Observation:
    if not job.observable:
        reason = "declared not observable in the inventory (hosts.yaml data.observable: false)"
    elif from_dir is not None:
        reason = f"no saved outputs under {from_dir / job.device}" + (
            f" and no host report under {reports_dir / job.device}" if reports_dir else "")
    elif reports_dir is None:
        reason = (f"{job.os} is not read live and no host report was given (--reports DIR, "
                  "or the handshake's reports)")
    else:
        reason = f"no host report under {reports_dir / job.device}"
    return Observation(reason=reason, declared_unobservable=not job.observable)


def _host_from_reports(reads: _Reads, job: HostJob, reports_dir: Path | None,
                       from_dir: Path | None) -> None:
    cap = read_reports(reports_dir, job) if reports_dir is not None else None
    if cap is not None and cap.outputs:
        assert reports_dir is not None
        reads.captures[job.device] = cap
        reads.origins[job.device] = report_origin(reports_dir, job)
    else:
        reads.captures[job.device] = DeviceCapture(device=job.device)
        reads.origins[job.device] = _unseen(job, reports_dir, from_dir)


def _replay(plan: CollectionPlan, from_dir: Path, reports_dir: Path | None,
            progress: Progress | None, *, keep_outputs: bool = True) -> _Reads:
    """Read (and parse, once) every saved output, the switches on every core of a large fleet
    (:mod:`lagprov.runs.replay`); without ``keep_outputs`` a parsed switch's text is let go at
    once (only ``--save`` needs it again): memory stays flat per device."""
    reads, hosts = _Reads(), _Reads()
    with replayed_switches(plan.switches, from_dir, keep_outputs=keep_outputs) as switches:
        # the hosts are read and parsed here, while a pool (if any) parses the switches
        for host in plan.hosts:
            # the live read-backs and the report files' commands (ESXi: keyvalue live, plain
            # in files)
            cap = read_saved(from_dir, host.device,
                             list(dict.fromkeys([*host.commands, *(c for c, _ in host.reports)])))
            if cap.outputs:
                hosts.captures[host.device] = cap
                hosts.origins[host.device] = Observation(
                    source=f"saved output {from_dir / host.device}",
                    declared_unobservable=not host.observable)
            else:
                _host_from_reports(hosts, host, reports_dir, from_dir)
            if hosts.captures[host.device].error is None:
                reads.host_states[host.device] = parse_host(
                    host, hosts.captures[host.device].outputs)
        for sw, (cap, state) in zip(plan.switches, switches, strict=True):
            if state is not None:
                reads.states[sw.device] = state
            reads.captures[sw.device] = cap
            reads.origins[sw.device] = Observation(source=f"saved output {from_dir / sw.device}")
            if progress:
                progress(sw.device)
    reads.captures.update(hosts.captures)  # switches first, as a live run orders them
    reads.origins.update(hosts.origins)
    if progress:
        for host in plan.hosts:
            progress(host.device)
    return reads


def _live(inv: Inventory, plan: CollectionPlan, *, reports_dir: Path | None, workers: int,
          creds: Credentials | None, choice: TransportChoice, progress: Progress | None,
          executor: Executor) -> _Reads:
    reads = _Reads()
    linux: dict[str, DeviceCapture] = {}
    failed: list[BaseException] = []

    def hosts() -> None:
        try:
            linux.update(executor.read_hosts(inv, plan.hosts, workers=workers, creds=creds,
                                             choice=choice, progress=progress))
        except BaseException as exc:  # noqa: BLE001 - raised again below, never dropped
            failed.append(exc)

    thread = threading.Thread(target=hosts, name="lagprov-hosts", daemon=True)
    thread.start()
    switch_reads = executor.read_switches(inv, plan.switches, workers=workers, creds=creds,
                                          choice=choice, progress=progress)
    reads.captures.update(switch_reads.captures)
    reads.states.update(switch_reads.states)  # parsed where they were read (workers)
    reads.origins.update({sw.device: Observation(source="live") for sw in plan.switches})
    thread.join()
    if failed:  # the hosts were not read (a broker gone, a bug): the run does not go on
        raise failed[0]
    for host in plan.hosts:
        _host_from_reports(reads, host, reports_dir, None)
        live = linux.get(host.device)
        if not host.live or live is None:
            if progress:
                progress(host.device)
            continue
        if host.device in reads.origins and reads.origins[host.device].source is not None:
            report = (reads.captures[host.device], reads.origins[host.device])
            if live.error is None:  # a live read and a report: the live read, compared
                reads.beside[host.device] = report
            else:  # the live read failed: the report is used, the failure still reported
                reads.errors.append(live.error)
                continue
        reads.captures[host.device] = live
        reads.origins[host.device] = Observation(source="live")
    return reads


def _heap_kept_offline(run: Callable[_P, RunData]) -> Callable[_P, RunData]:
    """An offline run (``from_dir``) replays, parses and verifies in one :func:`_frozen_heap`:
    every state it parses is kept to its end.  A live run only verifies in one (its reads may
    leave connection garbage that is best collected as it comes)."""
    @functools.wraps(run)
    def offline_frozen(*args: _P.args, **kwargs: _P.kwargs) -> RunData:
        with _frozen_heap() if kwargs.get("from_dir") is not None else nullcontext():
            return run(*args, **kwargs)
    return offline_frozen


@_heap_kept_offline
def run_data(inv: Inventory, *, devices: Collection[str] | None = None,
             from_dir: Path | None = None, save_dir: Path | None = None,
             reports_dir: Path | None = None, workers: int = DEFAULT_WORKERS,
             progress: Progress | None = None, creds: Credentials | None = None,
             choice: TransportChoice | None = None, command: str = "verify",
             executor: Executor | None = None) -> RunData:
    """Collect (or replay), parse and verify; the report and the states it rests on.

    A host report (``reports_dir``) is used for every host it covers; for a host also read
    live (Linux) the live read is used and the report compared with it: a disagreement is a
    ``host-report-agrees`` (:data:`HOST_REPORT_RULE`) warning.  Evidence from a report names
    the report and its age.  ``executor`` reads the devices (default ``$LAGPROV_EXECUTOR``,
    else the in-process threads: :mod:`lagprov.runs.executor`); parsing (where the executor
    did not), verification and the report happen here.

    Raises:
        InputError: a ``devices`` name is neither a trunk nor a device.
        ConfigError: a live run without credentials in the environment.
    """
    started = _now()
    plan = collection_plan(inv, devices)
    if from_dir is not None:
        reads = _replay(plan, from_dir, reports_dir, progress,
                        keep_outputs=save_dir is not None)
    else:
        # Read-only text outputs: Netmiko everywhere (the parsers are pinned on CLI text),
        # its sessions waiting for the prompt, never probing it with blank lines.
        choice = replace(choice or TransportChoice(netmiko_everywhere=True), prompt_reads=True)
        executor = executor or executor_named()
        only_local_creds(executor, creds)
        live_creds = (creds or Credentials.from_env()) if executor.local else None
        reads = _live(inv, plan, reports_dir=reports_dir, workers=workers,
                      creds=live_creds, choice=choice, progress=progress, executor=executor)
    captures = reads.captures
    if save_dir is not None:
        for capture in captures.values():
            write_saved(save_dir, capture)
    errors = [*reads.errors, *(c.error for c in captures.values() if c.error is not None)]
    switches: dict[str, DeviceLagState] = {}
    hosts: dict[str, HostTeamState] = {}
    for sw in plan.switches:
        if captures[sw.device].error is None:  # a half-read device is not judged on half data
            got = reads.states.pop(sw.device, None)  # replayed: parsed as it was read
            state, err = got if got is not None else parse_switch(sw, captures[sw.device].outputs)
            _keep(switches, sw.device, state, err, errors)
    for host in plan.hosts:
        if captures[host.device].error is None:
            got_host = reads.host_states.pop(host.device, None)
            hstate, err = (got_host if got_host is not None
                           else parse_host(host, captures[host.device].outputs))
            _keep(hosts, host.device, hstate, err, errors)
    with _frozen_heap():
        findings = [*verify_all(plan.trunks, switches, hosts, hardware=inv.hardware),
                    *_compare_reports(plan, hosts, reads.beside, reads.origins)]
        findings = _cite_origins(findings, reads.origins)
        report = build_run_report(command, plan.trunks, findings, switches, hosts, errors,
                                  started=started, finished=_now(),
                                  observations=reads.origins, hardware=inv.hardware)
    return RunData(report=report, switches=switches, hosts=hosts)


@dataclass
class _Heap:
    """The runs in :func:`_frozen_heap` now (threads of the service), and the collector's
    thresholds before the first of them."""

    depth: int = 0
    thresholds: tuple[int, int, int] = (0, 0, 0)
    lock: threading.Lock = field(default_factory=threading.Lock)


_HEAP = _Heap()
_NO_FULL_COLLECTION = 1 << 30  # young collections (gen 0/1) to wait for: never, within a run


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """What the run has read and parsed lives until its end: the cyclic garbage collector is
    told so while the run replays and verifies.  Its full collections would scan the whole
    fleet read so far, again each time the survivors grew by a quarter: a cost that grew
    faster than the fleet.  So no full collection is started meanwhile (the gen-2 threshold is
    raised; young garbage is still collected at once) and what exists is frozen
    (``gc.freeze``).  The last run to leave puts the thresholds back and unfreezes: what the
    run dropped is collected after it, as before."""
    with _HEAP.lock:
        if _HEAP.depth == 0:
            first, second, third = gc.get_threshold()
            _HEAP.thresholds = (first, second, third)
            gc.set_threshold(first, second, _NO_FULL_COLLECTION)
        _HEAP.depth += 1
        gc.freeze()
    try:
        yield
    finally:
        with _HEAP.lock:
            _HEAP.depth -= 1
            if _HEAP.depth == 0:
                gc.set_threshold(*_HEAP.thresholds)
                gc.unfreeze()


def _age(obs: Observation) -> str:
    return "" if obs.age_seconds is None else f", {obs.age_seconds} s old"


def _compare_reports(plan: CollectionPlan, hosts: Mapping[str, HostTeamState],
                     beside: Mapping[str, tuple[DeviceCapture, Observation]],
                     origins: Mapping[str, Observation]) -> list[Finding]:
    """A ``host-report-agrees`` finding for each trunk of a host whose report and live read
    disagree (or whose report cannot be parsed)."""
    out: list[Finding] = []
    for job in plan.hosts:
        if job.device not in beside or job.device not in hosts:
            continue
        cap, obs = beside[job.device]
        state, err = parse_host(job, cap.outputs)
        where = f"{obs.source}{_age(obs)}"
        if err is not None:
            diffs = [f"the report cannot be read: {err.message}"]
        else:
            diffs = host_differences(hosts[job.device], state) if state is not None else []
        if not diffs:
            continue
        evidence = tuple(Evidence(source=f"{job.device}: {src}", value="; ".join(diffs))
                         for src in (origins[job.device].source or "live", where))
        out += [Finding(trunk=t.name, rule=HOST_REPORT_RULE, status=Status.FAIL,
                        severity=Severity.WARNING, device=job.device,
                        expected="the host report agrees with the live read",
                        actual="; ".join(diffs),
                        message=f"live read and host report ({where}) of {job.device} disagree "
                                f"(live / report): {'; '.join(diffs)}; the live read is used",
                        evidence=evidence)
                for t in plan.trunks if t.host is not None and t.host.device == job.device]
    return out


def _cite_origins(findings: list[Finding], origins: Mapping[str, Observation]
                  ) -> list[Finding]:
    """Evidence from a host report (file or posted) names that report and its age."""
    notes = {d: f" [{o.source}{_age(o)}]" for d, o in origins.items()
             if o.source is not None and o.source.startswith(REPORT_SOURCES)}
    if not notes:
        return findings

    def cite(e: Evidence) -> Evidence:
        device = e.source.partition(":")[0]
        note = notes.get(device)
        if note is None or e.source.endswith(note):
            return e
        return e.model_copy(update={"source": e.source + note})

    return [f.model_copy(update={"evidence": tuple(cite(e) for e in f.evidence)})
            if any(e.source.partition(":")[0] in notes for e in f.evidence) else f
            for f in findings]


def _keep(into: dict[str, _S], device: str, state: _S | None, err: DeviceError | None,
          errors: list[DeviceError]) -> None:
    if err is not None:
        errors.append(err)
    elif state is not None:
        into[device] = state


def verify_run(inv: Inventory, *, devices: Collection[str] | None = None,
               from_dir: Path | None = None, save_dir: Path | None = None,
               reports_dir: Path | None = None, workers: int = DEFAULT_WORKERS,
               progress: Progress | None = None, creds: Credentials | None = None,
               choice: TransportChoice | None = None,
               executor: Executor | None = None) -> RunReport:
    """Verify the selected trunks (all by default) live, or offline ``from_dir``.

    Device faults (unreachable, auth, timeout, parse) are :class:`DeviceError` entries of the
    report; their trunks' checks are unverifiable.  Missing saved outputs are unverifiable, not
    errors.
    """
    return run_data(inv, devices=devices, from_dir=from_dir, save_dir=save_dir,
                    reports_dir=reports_dir, workers=workers, progress=progress, creds=creds,
                    choice=choice, executor=executor).report
