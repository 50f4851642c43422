"""``verify``: read every end of the selected trunks (live, or replayed from saved outputs),
parse, verify, report.  One code path parses and verifies both live and replayed outputs.

Saved-output layout (``--save DIR`` writes it, ``--from DIR`` reads it)::

    DIR/<device>/<output_filename(command)>     raw output, as received
    DIR/<device>/_commands.yaml                 {file name: command} index

Host report layout (``--reports DIR``, written on the hosts): ``DIR/<host>/<file>`` with the
file names of :data:`lagprov.observe.collect.REPORT_FILES`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import yaml

from lagprov.edge.nornir_glue import Credentials, TransportChoice
from lagprov.model.base import Model
from lagprov.model.inventory import Inventory
from lagprov.model.state import DeviceLagState, HostTeamState
from lagprov.observe.collect import (
    CollectionPlan,
    DeviceCapture,
    HostJob,
    collection_plan,
    output_filename,
    parse_host,
    parse_switch,
)
from lagprov.report import DeviceError, RunReport, build_run_report
from lagprov.verify import verify_all

DEFAULT_WORKERS = 20
INDEX_FILE = "_commands.yaml"

Progress = Callable[[str], None]
_S = TypeVar("_S")


class RunData(Model):
    """A run's report plus the normalised states it rests on (the audit keeps both)."""

    report: RunReport
    switches: Mapping[str, DeviceLagState]
    hosts: Mapping[str, HostTeamState]


# --- saved outputs -----------------------------------------------------------------------


def read_saved(folder: Path, device: str, commands: Collection[str]) -> DeviceCapture:
    """Outputs of ``device`` saved under ``folder``; a missing file is simply absent.

    The index (``_commands.yaml``) maps file names to commands; without it, a command's file
    is found by :func:`output_filename`.
    """
    base = folder / device
    by_command: dict[str, str] = {}
    index = base / INDEX_FILE
    if index.is_file():
        loaded = yaml.safe_load(index.read_text(encoding="utf-8")) or {}
        if isinstance(loaded, dict):
            by_command = {str(cmd): str(name) for name, cmd in loaded.items()}
    outputs = {}
    for command in commands:
        path = base / by_command.get(command, output_filename(command))
        if path.is_file():
            outputs[command] = path.read_text(encoding="utf-8")
    return DeviceCapture(device=device, outputs=outputs)


def write_saved(folder: Path, capture: DeviceCapture) -> None:
    """Write every raw output of ``capture`` and merge the index (earlier entries kept)."""
    if not capture.outputs:
        return
    base = folder / capture.device
    base.mkdir(parents=True, exist_ok=True)
    index_path = base / INDEX_FILE
    index: dict[str, str] = {}
    if index_path.is_file():
        loaded = yaml.safe_load(index_path.read_text(encoding="utf-8")) or {}
        index = {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}
    for command, raw in capture.outputs.items():
        name = output_filename(command)
        (base / name).write_text(raw, encoding="utf-8")
        index[name] = command
    index_path.write_text(yaml.safe_dump(index, sort_keys=True), encoding="utf-8")


def read_reports(folder: Path, job: HostJob) -> DeviceCapture:
    """A host's own report files under ``folder/<host>/`` (as ``command -> text``)."""
    outputs = {}
    for command, filename in job.reports:
        path = folder / job.device / filename
        if path.is_file():
            outputs[command] = path.read_text(encoding="utf-8")
    return DeviceCapture(device=job.device, outputs=outputs)


# --- the run -----------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _replay(plan: CollectionPlan, from_dir: Path, reports_dir: Path | None,
            progress: Progress | None) -> dict[str, DeviceCapture]:
    captures: dict[str, DeviceCapture] = {}
    for sw in plan.switches:
        captures[sw.device] = read_saved(from_dir, sw.device, sw.commands)
        if progress:
            progress(sw.device)
    for host in plan.hosts:
        cap = read_saved(from_dir, host.device, [c for c, _ in host.reports] or host.commands)
        if not cap.outputs and reports_dir is not None:
            cap = read_reports(reports_dir, host)
        captures[host.device] = cap
        if progress:
            progress(host.device)
    return captures


def _live(inv: Inventory, plan: CollectionPlan, *, reports_dir: Path | None, workers: int,
          creds: Credentials, choice: TransportChoice,
          progress: Progress | None) -> dict[str, DeviceCapture]:
    from lagprov.runs.read_tasks import read_linux_hosts, read_switches

    captures: dict[str, DeviceCapture] = {}
    linux: dict[str, DeviceCapture] = {}

    def hosts() -> None:
        linux.update(read_linux_hosts(inv, plan.hosts, workers=workers, creds=creds,
                                      choice=choice, progress=progress))

    thread = threading.Thread(target=hosts, name="lagprov-hosts", daemon=True)
    thread.start()
    captures.update(read_switches(inv, plan.switches, workers=workers, creds=creds,
                                  choice=choice, progress=progress))
    thread.join()
    captures.update(linux)
    for host in plan.hosts:
        if host.live:
            continue
        cap = (read_reports(reports_dir, host) if reports_dir is not None
               else DeviceCapture(device=host.device))
        captures[host.device] = cap
        if progress:
            progress(host.device)
    return captures


def run_data(inv: Inventory, *, devices: Collection[str] | None = None,
             from_dir: Path | None = None, save_dir: Path | None = None,
             reports_dir: Path | None = None, workers: int = DEFAULT_WORKERS,
             progress: Progress | None = None, creds: Credentials | None = None,
             choice: TransportChoice | None = None, command: str = "verify") -> RunData:
    """Collect (or replay), parse and verify; the report and the states it rests on.

    Raises:
        InputError: a ``devices`` name is neither a trunk nor a device.
        ConfigError: a live run without credentials in the environment.
    """
    started = _now()
    plan = collection_plan(inv, devices)
    if from_dir is not None:
        captures = _replay(plan, from_dir, reports_dir, progress)
    else:
        # Read-only text outputs: Netmiko everywhere (the parsers are pinned on CLI text).
        choice = choice or TransportChoice(netmiko_everywhere=True)
        live_creds = creds or Credentials.from_env()
        captures = _live(inv, plan, reports_dir=reports_dir, workers=workers,
                         creds=live_creds, choice=choice, progress=progress)
    if save_dir is not None:
        for capture in captures.values():
            write_saved(save_dir, capture)
    errors: list[DeviceError] = [c.error for c in captures.values() if c.error is not None]
    switches: dict[str, DeviceLagState] = {}
    hosts: dict[str, HostTeamState] = {}
    for sw in plan.switches:
        if captures[sw.device].error is None:  # a half-read device is not judged on half data
            state, err = parse_switch(sw, captures[sw.device].outputs)
            _keep(switches, sw.device, state, err, errors)
    for host in plan.hosts:
        if captures[host.device].error is None:
            hstate, err = parse_host(host, captures[host.device].outputs)
            _keep(hosts, host.device, hstate, err, errors)
    findings = verify_all(plan.trunks, switches, hosts)
    report = build_run_report(command, plan.trunks, findings, switches, hosts, errors,
                              started=started, finished=_now())
    return RunData(report=report, switches=switches, hosts=hosts)


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
               choice: TransportChoice | None = None) -> RunReport:
    """Verify the selected trunks (all by default) live, or offline ``from_dir``.

    Device faults (unreachable, auth, timeout, parse) are :class:`DeviceError` entries of the
    report; their trunks' checks are unverifiable.  Missing saved outputs are unverifiable, not
    errors.
    """
    return run_data(inv, devices=devices, from_dir=from_dir, save_dir=save_dir,
                    reports_dir=reports_dir, workers=workers, progress=progress, creds=creds,
                    choice=choice).report
