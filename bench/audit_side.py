"""Benchmark 4d: the whole live audit side by side with a plain Nornir script (issue 15 goal:
"Live audit: never slower than the plain Nornir script at any worker count").

The 50-switch lab fleet (its 149 hosts: Linux and Windows, every one served by the lab over
SSH), provisioned once, then at 1 and 20 workers, runs alternated:

* **lagprov**: :func:`lagprov.runs.audit.audit_run` with ``workers`` (a fresh state folder
  per run, the hosts' report files given as ``reports_dir``, as ``bench.audit_live``): every
  switch and host read live, every host's report files read beside it, parsed, verified,
  reported, stored.  Note: it reads the switches (``workers`` Nornir threads) and the hosts
  (``workers`` threads of their own) at the same time.
* **plain Nornir**: one Nornir run (threaded runner, ``num_workers=workers``) over the same
  devices with the same commands, taken from lagprov's collection plan: switches and Linux
  hosts by ``netmiko_send_command`` with stock Netmiko options (as ``bench.wire``'s script;
  Linux hosts as Netmiko ``linux``), Windows hosts by one stock paramiko exec request of the
  same PowerShell command line lagprov sends (Netmiko has no exec-request driver); then every
  host's report files read, as the audit reads them.  Nothing is parsed or verified.

Honesty check: every device of the plain script must have answered every command with
non-empty text that lagprov's own parsers turn into a state (failures are counted and
printed); lagprov's device errors are counted too.  Medians of ``BENCH_AUDIT_RUNS`` (3) with
min-max, the lab's CPU beside each figure and the client's (this process's: the lab runs in a
child process, :mod:`bench.lab_child`, whose whole CPU is the lab's).
``python -m bench.audit_side`` runs this alone;
``BENCH_AUDIT_SIDE=0`` skips it in ``make bench``.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import paramiko
from nornir.core.inventory import ConnectionOptions
from nornir.core.task import Result, Task
from nornir_netmiko.tasks import netmiko_send_command

from bench.common import LAB_ENV, Results, section
from bench.fleet import generate_fleet, running_lab
from bench.lab_child import ChildLab
from bench.wire import plain_nornir
from lagprov.edge.smis_driver import register_fast_smis
from lagprov.errors import LagprovError
from lagprov.intent.load import load_inventory
from lagprov.model.inventory import Inventory
from lagprov.model.types import HostOs
from lagprov.observe.collect import (
    CollectionPlan,
    HostJob,
    collection_plan,
    fill_command,
    parse_host,
    parse_switch,
)
from lagprov.observe.host_commands import WINDOWS_KEYS
from lagprov.observe.windows_read import encoded_command, split_windows_answer, windows_script
from lagprov.runs.audit import audit_run
from lagprov.runs.provision import provision_run

RUNS = int(os.environ.get("BENCH_AUDIT_RUNS", "3"))
WORKERS = (1, 20)
BLOCK = "127.0.210.0"
GOAL = "goal <= 1.0 (never slower than the plain Nornir script)"
_ENABLE = ("cisco_ios", "arista_eos")
_TIMEOUT_S = 30
Check = Callable[[], tuple[str, list[str]]]
"""Called once a run is timed: (what was checked, the devices not read fully; see the
module)."""


@dataclass
class Run:
    """One run of a client: wall, lab CPU and client CPU seconds, and the devices that failed
    (the lab runs in a child process: the client's CPU is this process's)."""

    wall: float
    lab_cpu: float
    client_cpu: float
    checked: str = ""
    failures: list[str] = field(default_factory=list)


# --- lagprov -------------------------------------------------------------------------------


def lagprov_audit(live: Inventory, plan: CollectionPlan, reports: Path, workers: int) -> Check:
    """lagprov's audit, as a user runs it (a fresh history each run); its device errors."""
    del plan  # audit_run makes its own collection plan
    with tempfile.TemporaryDirectory() as state:
        report, _ = audit_run(live, state_dir=Path(state), reports_dir=reports, workers=workers)
    errors = [f"{e.device}: {e.stage} {e.kind}: {e.message[:120]}" for e in report.errors]
    c = report.counts
    health = (f"{c.trunks} trunks: {c.passed} passed, {c.failed} failed, "
              f"{c.warnings} warnings")
    return lambda: (health, errors)


# --- the plain Nornir script ---------------------------------------------------------------


def plain_audit(live: Inventory, plan: CollectionPlan, reports: Path, workers: int) -> Check:
    """The plain Nornir script: same devices, same commands (checked after the clock)."""
    outputs = plain_reads(live, plan, reports, workers)
    return lambda: (f"{len(outputs)} devices checked", plain_failures(plan, outputs))


def plain_reads(live: Inventory, plan: CollectionPlan, reports: Path,
                workers: int) -> dict[str, dict[str, str] | str]:
    """Device -> its outputs (command -> text), or the error text of a failed device."""
    commands = _plain_commands(plan)
    nr = plain_nornir(live, commands, workers)
    smis = register_fast_smis()
    for host in nr.inventory.hosts.values():
        host.username, host.password = LAB_ENV["LAGPROV_USERNAME"], LAB_ENV["LAGPROV_PASSWORD"]
        platform = smis if host.platform == "supermicro_smis" else host.platform
        host.connection_options["netmiko"] = ConnectionOptions(
            platform=platform, extras={"secret": LAB_ENV["LAGPROV_SECRET"]})
    windows = {h.device for h in plan.hosts if h.os is HostOs.WINDOWS}

    def read(task: Task) -> Result:
        name = task.host.name
        if name in windows:
            return Result(host=task.host, result=_windows_exec(task, commands[name][0]))
        got = {}
        for command in commands[name]:
            sent = task.run(task=netmiko_send_command, command_string=command,
                            enable=task.host.platform in _ENABLE)
            got[command] = str(sent[0].result)
        return Result(host=task.host, result=got)

    try:
        result = nr.run(task=read)
    finally:
        nr.close_connections()
    out: dict[str, dict[str, str] | str] = {}
    for name in commands:
        multi = result.get(name)
        value = multi[0].result if multi is not None else None
        if multi is None or multi.failed or not isinstance(value, dict):
            error = multi[0].exception if multi is not None else "not in the Nornir inventory"
            out[name] = f"failed: {error!r}"[:160]
        else:
            out[name] = {str(k): str(v) for k, v in value.items()}
    for job in plan.hosts:  # the hosts' own report files, read as the audit reads them
        got = out.get(job.device)
        if isinstance(got, dict):
            got.update(_report_files(reports, job))
    return out


def _plain_commands(plan: CollectionPlan) -> dict[str, tuple[str, ...]]:
    """Device -> the command lines lagprov sends it (a Windows host: its one script)."""
    commands = {j.device: j.commands for j in plan.switches}
    for job in plan.hosts:
        if not job.live:
            continue
        if job.os is HostOs.WINDOWS:
            commands[job.device] = (encoded_command(windows_script(job.bond, job.nics)),)
        else:
            commands[job.device] = job.commands
    return commands


def _windows_exec(task: Task, line: str) -> dict[str, str]:
    """One stock paramiko exec request (OpenSSH on Windows takes exec requests only)."""
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    try:
        client.connect(task.host.hostname, port=task.host.port or 22,
                       username=task.host.username, password=task.host.password,
                       timeout=_TIMEOUT_S, look_for_keys=False, allow_agent=False)
        _, stdout, _ = client.exec_command(line, timeout=_TIMEOUT_S)
        return {line: stdout.read().decode("utf-8", errors="replace")}
    finally:
        client.close()


def _report_files(reports: Path, job: HostJob) -> dict[str, str]:
    """``report:<command>`` -> text of each of ``job``'s report files that exists."""
    got = {}
    for command, filename in job.reports:
        path = reports / job.device / filename
        if path.is_file():
            got[f"report:{command}"] = path.read_text(encoding="utf-8")
    return got


def plain_failures(plan: CollectionPlan,
                   outputs: Mapping[str, dict[str, str] | str]) -> list[str]:
    """Devices the plain script did not read fully: a failure, an empty answer, or an answer
    lagprov's parsers make no state of (then the figure would not be comparable)."""
    failures = []
    for sw in plan.switches:
        got = outputs.get(sw.device, "not read")
        if isinstance(got, str):
            failures.append(f"{sw.device}: {got}")
            continue
        empty = [c for c in sw.commands if not got.get(c, "").strip()]
        state, err = parse_switch(sw, got)
        if empty or state is None:
            failures.append(f"{sw.device}: empty {empty}, parse error {err}")
    for job in plan.hosts:
        if not job.live:
            continue
        got = outputs.get(job.device, "not read")
        if isinstance(got, str):
            failures.append(f"{job.device}: {got}")
            continue
        failures += _host_failures(job, got)
    return failures


def _host_failures(job: HostJob, got: Mapping[str, str]) -> list[str]:
    live = {c: t for c, t in got.items() if not c.startswith("report:")}
    if not all(t.strip() for t in live.values()) or not live:
        return [f"{job.device}: an empty answer"]
    if not any(c.startswith("report:") for c in got):
        return [f"{job.device}: no report file"]
    if job.os is HostOs.WINDOWS:
        keys = {key: fill_command(t, job.bond, job.nics) for key, t in WINDOWS_KEYS.items()}
        try:
            live = split_windows_answer(next(iter(live.values())), keys)
        except LagprovError as exc:
            return [f"{job.device}: answer not split: {exc}"]
    state, err = parse_host(job, live)
    return [] if state is not None else [f"{job.device}: no state, parse error {err}"]


# --- measuring -----------------------------------------------------------------------------

Client = Callable[[Inventory, CollectionPlan, Path, int], Check]
CLIENTS: dict[str, Client] = {"lagprov audit_run": lagprov_audit,
                              "plain Nornir script": plain_audit}


def _once(fabric: ChildLab, client: Client, live: Inventory, plan: CollectionPlan,
          reports: Path, workers: int) -> Run:
    lab, cpu, start = fabric.cpu_seconds(), time.process_time(), time.perf_counter()
    check = client(live, plan, reports, workers)
    wall = time.perf_counter() - start
    lab, cpu = fabric.cpu_seconds() - lab, time.process_time() - cpu
    checked, failures = check()  # outside the clock
    return Run(wall=wall, lab_cpu=lab, client_cpu=cpu, checked=checked,
               failures=failures)


def _figure(runs: list[Run]) -> str:
    walls = [r.wall for r in runs]
    failed = max(len(r.failures) for r in runs)
    return (f"median of {len(walls)}, min-max {min(walls):.2f}-{max(walls):.2f} s; lab CPU "
            f"{statistics.median(r.lab_cpu for r in runs):.2f} s; client CPU "
            f"{statistics.median(r.client_cpu for r in runs):.2f} s; {runs[0].checked}, "
            f"{failed} devices failed")


def measure(results: Results, fabric: ChildLab, live: Inventory, reports: Path) -> None:
    """Both clients at every worker count, alternated, ``RUNS`` times; the figures."""
    plan = collection_plan(live)
    devices = f"{len(plan.switches)} switches + {len(plan.hosts)} hosts"
    samples: dict[tuple[str, int], list[Run]] = {}
    for _ in range(RUNS):
        for workers in WORKERS:
            for name, client in CLIENTS.items():
                got = _once(fabric, client, live, plan, reports, workers)
                samples.setdefault((name, workers), []).append(got)
                for failure in got.failures[:10]:
                    print(f"   {name}, {workers} workers: FAILED {failure}", flush=True)
    for workers in WORKERS:
        medians = {}
        for name in CLIENTS:
            runs = samples[(name, workers)]
            medians[name] = statistics.median(r.wall for r in runs)
            results.add("audit-side", f"{name}, {devices}, {workers} workers", medians[name],
                        "s", _figure(runs))
        ratio = medians["lagprov audit_run"] / medians["plain Nornir script"]
        results.add("audit-side", f"lagprov/plain, {workers} workers", ratio, "x", GOAL)


def run(results: Results) -> None:
    """A fresh 50-switch lab, provisioned, its hosts' reports written, then the audits."""
    if os.environ.get("BENCH_AUDIT_SIDE", "1") == "0":
        print("\n== 4d. live audit side by side: skipped (BENCH_AUDIT_SIDE=0)")
        return
    with section("4d. live audit of 50 lab switches and their hosts: lagprov, plain Nornir"), \
            tempfile.TemporaryDirectory() as tmp:
        inv = load_inventory(generate_fleet(Path(tmp) / "fleet")[0])
        with running_lab(inv, BLOCK, Path(tmp) / "lab") as (fabric, live):
            provision_run(live, commit=True, workers=20)
            reports = Path(tmp) / "reports"
            fabric.write_host_reports(reports)  # Windows and Linux hosts' own reports
            measure(results, fabric, live, reports)


if __name__ == "__main__":
    from bench.common import run_alone

    run_alone(run)
