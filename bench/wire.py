"""Benchmark 4c: reading the 50 lab switches side by side, with the baselines of issue 15.

The same switches, the same commands (lagprov's collection plan), at 1 and 20 workers:

* **lagprov**: its switch reads as ``verify``/``audit`` do them (Nornir, lagprov's sessions,
  the prompt-driven read classes of :mod:`lagprov.edge.netmiko_fast`);
* **plain Nornir**: a plain Nornir script, ``netmiko_send_command`` per command with stock
  Netmiko options (``enable=True`` on IOS/EOS; Supermicro through lagprov's SMIS class, as in
  issue 15, stock Netmiko waits 2 s of silence per mode check there);
* **asyncssh floor**: a bare asyncssh client doing the minimal round trips (paging off once,
  enable where the login is not privileged, then one command after the other).

Runs alternate between the three; medians of 3 with min-max.  The lab runs in a child
process (:mod:`bench.lab_child`): its whole CPU (every thread) is printed beside every figure
(issue 15: <= 8 s per audit), and the client's own CPU (this process's).  Lines received per
switch are counted at the lab (issue 15 goal: <= 1.5x the floor's).  ``python -m bench.wire``
runs this alone.
"""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import tempfile
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import asyncssh
from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.task import Task
from nornir_netmiko.tasks import netmiko_send_command

from bench.common import LAB_ENV, Results, section
from bench.fleet import generate_fleet, running_lab
from bench.lab_child import ChildLab
from lagprov.edge.nornir_glue import Credentials, TransportChoice
from lagprov.edge.smis_driver import register_fast_smis
from lagprov.intent.load import load_inventory
from lagprov.model.inventory import Inventory
from lagprov.observe.collect import SwitchJob, collection_plan
from lagprov.runs.provision import provision_run
from lagprov.runs.read_tasks import read_switches

RUNS = int(os.environ.get("BENCH_WIRE_RUNS", "3"))
WORKERS = (1, 20)
BLOCK = "127.0.209.0"
# Issue 15, before: lagprov 1.15x slower than the plain Nornir script at 20 workers; 4.1x
# (20 workers) and 15.8x (1 worker) above the floor; ~1,563 lines received where 440 suffice.
GOALS = "goals: <= plain Nornir; <= 2x floor at 20 workers, <= 3x at 1; lines <= 1.5x floor"
_SETUP = {"cisco_ios": ["terminal length 0"], "arista_eos": ["terminal length 0"],
          "juniper_junos": ["set cli screen-length 0"],
          "supermicro_smis": ["configure terminal", "set cli pagination off", "end"]}
_ENABLE = ("cisco_ios", "arista_eos")


# --- the three clients ---------------------------------------------------------------------


def lagprov_reads(live: Inventory, jobs: list[SwitchJob], workers: int) -> None:
    """lagprov's switch reads, exactly as a live verify/audit makes them."""
    choice = TransportChoice(netmiko_everywhere=True, prompt_reads=True)
    got = read_switches(live, jobs, workers=workers, creds=Credentials.from_env(),
                        choice=choice)
    _check(c.error is None for c in got.values())


def plain_nornir(live: Inventory, devices: Collection[str], workers: int) -> Nornir:
    """Plain Nornir over the lab inventory's files (SimpleInventory), filtered to ``devices``:
    what a hand-written script starts with."""
    root = Path(live.root)
    nr = InitNornir(runner={"plugin": "threaded", "options": {"num_workers": workers}},
                    inventory={"plugin": "SimpleInventory", "options": {
                        "host_file": str(root / "hosts.yaml"),
                        "group_file": str(root / "groups.yaml"),
                        "defaults_file": str(root / "defaults.yaml")}},
                    logging={"enabled": False})
    return nr.filter(filter_func=lambda h: h.name in devices)


def nornir_script(live: Inventory, jobs: list[SwitchJob], workers: int) -> None:
    """The plain Nornir + ``netmiko_send_command`` script (stock connection options)."""
    commands = {j.device: j.commands for j in jobs}
    nr = plain_nornir(live, commands, workers)
    smis = register_fast_smis()
    for host in nr.inventory.hosts.values():
        host.username, host.password = LAB_ENV["LAGPROV_USERNAME"], LAB_ENV["LAGPROV_PASSWORD"]
        host.connection_options["netmiko"] = _netmiko_options(host.platform, smis)

    def read(task: Task) -> None:
        for command in commands[task.host.name]:
            task.run(task=netmiko_send_command, command_string=command,
                     enable=task.host.platform in _ENABLE)

    try:
        result = nr.run(task=read)
    finally:
        nr.close_connections()
    _check(not r.failed for r in result.values())


def _netmiko_options(platform: str | None, smis: str) -> Any:
    from nornir.core.inventory import ConnectionOptions

    return ConnectionOptions(platform=smis if platform == "supermicro_smis" else platform,
                             extras={"secret": LAB_ENV["LAGPROV_SECRET"]})


def asyncssh_floor(live: Inventory, jobs: list[SwitchJob], workers: int) -> None:
    """A bare asyncssh client: the minimal lines, one round trip each."""
    by_name = {s.name: s for s in live.switches}

    async def all_devices() -> list[bool]:
        gate = asyncio.Semaphore(workers)

        async def one(job: SwitchJob) -> bool:
            async with gate:
                sw = by_name[job.device]
                return await _floor_device(sw.address or "", sw.port or 22,
                                           job.platform.value, job.commands)

        return await asyncio.gather(*(one(j) for j in jobs))

    _check(asyncio.run(all_devices()))


async def _floor_device(address: str, port: int, platform: str,
                        commands: tuple[str, ...]) -> bool:
    async with asyncssh.connect(address, port=port, username=LAB_ENV["LAGPROV_USERNAME"],
                                password=LAB_ENV["LAGPROV_PASSWORD"], known_hosts=None) as conn:
        proc = await conn.create_process(term_type="vt100", term_size=(511, 1000))
        login = await _until(proc, "", re.compile(r"[>#$%]\s*$"))
        last = login.strip().rpartition("\n")[2]
        base = re.escape(re.sub(r"[^\w.@:~-].*$", "", last))  # the prompt's host part
        prompt = re.compile(rf"\n{base}[^\n]*[>#$%]\s*$")
        lines = [*_SETUP.get(platform, [])]
        if platform in _ENABLE and login.rstrip().endswith(">"):
            proc.stdin.write("enable\n")
            await _until(proc, "", re.compile(r"assword:\s*$"))
            lines = [LAB_ENV["LAGPROV_SECRET"], *lines]
        for line in [*lines, *commands]:
            proc.stdin.write(line + "\n")
            await _until(proc, "", prompt)
        proc.close()
    return True


async def _until(proc: Any, buf: str, pattern: re.Pattern[str]) -> str:
    while not pattern.search(buf[-512:]):
        data = await asyncio.wait_for(proc.stdout.read(65536), timeout=30)
        if not data:
            raise ConnectionError("the session closed before the prompt")
        buf += data.replace("\r\n", "\n")
    return buf


def _check(oks: Any) -> None:
    if not all(oks):
        raise RuntimeError("a switch read failed: the figure would not be comparable")


# --- measuring -----------------------------------------------------------------------------

Client = Callable[[Inventory, list[SwitchJob], int], None]
CLIENTS: dict[str, Client] = {"lagprov": lagprov_reads, "plain Nornir": nornir_script,
                              "asyncssh floor": asyncssh_floor}


def _once(fabric: ChildLab, client: Client, live: Inventory, jobs: list[SwitchJob],
          workers: int) -> tuple[float, float, float, int]:
    """(wall s, lab CPU s, client CPU s, lines received) of one run."""
    fabric.start_counting()  # every line the lab's CLI sessions receive (counted at the lab)
    try:
        lab, cpu, start = fabric.cpu_seconds(), time.process_time(), time.perf_counter()
        client(live, jobs, workers)
        wall = time.perf_counter() - start
        lab, cpu = fabric.cpu_seconds() - lab, time.process_time() - cpu
        time.sleep(0.3)  # the sessions' last lines (exit) reach the lab
    finally:
        lines = fabric.stop_counting()
    return wall, lab, cpu, lines


def measure(results: Results, fabric: ChildLab, live: Inventory) -> None:
    """Every client at every worker count, alternated, ``RUNS`` times; the summary lines."""
    jobs = list(collection_plan(live).switches)
    samples: dict[tuple[str, int], list[tuple[float, float, float, int]]] = {}
    for _ in range(RUNS):
        for workers in WORKERS:
            for name, client in CLIENTS.items():
                got = _once(fabric, client, live, jobs, workers)
                samples.setdefault((name, workers), []).append(got)
    for workers in WORKERS:
        floor = statistics.median(s[0] for s in samples[("asyncssh floor", workers)])
        floor_lines = samples[("asyncssh floor", workers)][0][3]
        nornir = statistics.median(s[0] for s in samples[("plain Nornir", workers)])
        for name in CLIENTS:
            runs = samples[(name, workers)]
            walls = [s[0] for s in runs]
            wall = statistics.median(walls)
            lines = runs[0][3]
            results.add("wire", f"{name}, {len(jobs)} switches, {workers} workers", wall, "s",
                        f"median of {len(walls)}, min-max {min(walls):.2f}-{max(walls):.2f} s; "
                        f"lab CPU {statistics.median(s[1] for s in runs):.2f} s; client CPU "
                        f"{statistics.median(s[2] for s in runs):.2f} s; "
                        f"{lines / len(jobs):.1f} lines/switch "
                        f"(x{lines / floor_lines:.2f} the floor's); x{wall / floor:.2f} the "
                        f"floor, x{wall / nornir:.2f} plain Nornir")
    results.add("wire", "goals", 0, "count", GOALS)


def run(results: Results) -> None:
    """A fresh 50-switch lab, provisioned, then the side-by-side reads."""
    with section("4c. reading 50 lab switches: lagprov, plain Nornir, asyncssh floor"), \
            tempfile.TemporaryDirectory() as tmp:
        inv = load_inventory(generate_fleet(Path(tmp) / "fleet")[0])
        with running_lab(inv, BLOCK, Path(tmp) / "lab") as (fabric, live):
            provision_run(live, commit=True, workers=20)
            measure(results, fabric, live)


if __name__ == "__main__":
    from bench.common import run_alone

    run_alone(run)
