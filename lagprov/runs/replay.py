"""Replaying saved switch outputs (``verify --from``): each switch's files read, checked and
parsed once, on every core when the fleet is large.

Parsing is CPU work in pure Python (TextFSM, TTP), so threads would not help; a fleet of
:data:`MIN_PARALLEL` switches or more is parsed by a pool of processes, one per usable core
(``$LAGPROV_PARSE_PROCESSES`` sets the count; ``1`` keeps the run in this process).  Each worker
runs :func:`replay_switch`, the very function of the serial path, on a slice of the plan, and
the results come back in plan order: the run's findings and report do not depend on the
process count.  An error in a worker (a saved file that is not UTF-8) is raised here, as the
serial path raises it, and the rest of the pool's work is cancelled.

A worker is forked when this process has one thread (the command line); a threaded process
(the HTTP service) forks none of its threads' locks: its workers come from a fork server.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from itertools import repeat
from multiprocessing.context import BaseContext
from pathlib import Path

from lagprov.errors import ConfigError
from lagprov.model.state import DeviceLagState
from lagprov.observe.collect import DeviceCapture, SwitchJob, parse_switch
from lagprov.report import DeviceError
from lagprov.runs.saved import read_saved

PROCESSES_ENV = "LAGPROV_PARSE_PROCESSES"
MIN_PARALLEL = 64
"""Switches below which a replay stays in this process (a pool's start costs ~0.1-0.6 s)."""
_CHUNK = 16  # switches per task: few enough round trips, small enough to spread the work

Parsed = tuple[DeviceLagState | None, DeviceError | None]
Replayed = tuple[DeviceCapture, Parsed | None]
"""A switch's capture, and its parse (state or error) unless the capture itself failed."""


def replay_switch(job: SwitchJob, from_dir: Path, keep_outputs: bool) -> Replayed:
    """Read, check and parse one switch's saved outputs (each file parsed once).  Without
    ``keep_outputs`` the capture's text is let go once parsed (only ``--save`` needs it)."""
    parsed: dict[str, DeviceLagState] = {}
    cap = read_saved(from_dir, job.device, job.commands, job.platform, parsed=parsed)
    if cap.error is not None:
        return cap, None
    state = parse_switch(job, cap.outputs, parsed=parsed)
    return (cap if keep_outputs else cap.model_copy(update={"outputs": {}})), state


def _replay_chunk(jobs: Sequence[SwitchJob], from_dir: Path,
                  keep_outputs: bool) -> list[Replayed]:
    return [replay_switch(job, from_dir, keep_outputs) for job in jobs]


def parse_processes(switches: int) -> int:
    """How many processes replay ``switches`` switches: ``$LAGPROV_PARSE_PROCESSES`` when
    set, else one per usable core from :data:`MIN_PARALLEL` switches on (else 1, and 1 in a
    daemonic process: multiprocessing lets it start no children).

    Raises:
        ConfigError: ``$LAGPROV_PARSE_PROCESSES`` is not a whole number of at least 1.
    """
    raw = os.environ.get(PROCESSES_ENV, "").strip()
    wanted = None
    if raw:
        try:
            wanted = int(raw)
        except ValueError:
            raise ConfigError(f"{PROCESSES_ENV}={raw!r}: not a whole number") from None
        if wanted < 1:
            raise ConfigError(f"{PROCESSES_ENV}={raw!r}: must be at least 1 (1: no pool)")
    if multiprocessing.current_process().daemon:
        return 1  # a daemonic process (a pool's worker) may start no process of its own
    if wanted is not None:
        return wanted
    if switches < MIN_PARALLEL:
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


def _context() -> BaseContext:
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")  # one thread: nothing half-held is copied
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])  # the server imports the parsers once
    return context


@contextmanager
def replayed_switches(jobs: Sequence[SwitchJob], from_dir: Path, *,
                      keep_outputs: bool) -> Iterator[Iterator[Replayed]]:
    """:func:`replay_switch` of every job, in the order of ``jobs``.  With a pool, every job is
    handed to it on entry, so the caller's own work in the block (reading the hosts) runs while
    the workers parse; on exit nothing is left running, whatever happened."""
    processes = min(parse_processes(len(jobs)), len(jobs))
    if processes <= 1:
        yield (replay_switch(job, from_dir, keep_outputs) for job in jobs)
        return
    size = max(1, min(_CHUNK, len(jobs) // (4 * processes)))
    chunks = [jobs[at:at + size] for at in range(0, len(jobs), size)]
    pool = ProcessPoolExecutor(processes, mp_context=_context())
    try:
        done = pool.map(_replay_chunk, chunks, repeat(from_dir), repeat(keep_outputs))
        yield (replayed for chunk in done for replayed in chunk)
    finally:  # an error, or a caller that stopped reading: the rest is cancelled
        pool.shutdown(wait=True, cancel_futures=True)
