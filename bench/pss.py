"""The memory of a process and its children together: the peak of their summed PSS.

An offline run parses on a pool of forked processes (:mod:`lagprov.runs.replay`), so the
parent's ``ru_maxrss`` no longer holds the run's memory, and adding each worker's RSS would
count the pages they share with the parent once per process.  PSS (proportional set size,
``/proc/<pid>/smaps_rollup``) splits every shared page between the processes that map it, so
the sum over the tree is the memory the tree holds.

The sampler is a separate process (``python -m bench.pss PID``), started before the run, so
that the measured process keeps one thread (the replay forks its workers only then).  It reads
the tree every 20 ms until its standard input closes, then prints the peak in KiB.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

PERIOD_S = 0.02


def _pss_kib(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="ascii")
    except (OSError, ValueError):  # the process ended between the listing and the read
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def _tree(pid: int, skip: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        at = stack.pop()
        if at == skip:
            continue
        found.append(at)
        for task in Path(f"/proc/{at}/task").glob("*/children"):
            try:
                stack += [int(p) for p in task.read_text(encoding="ascii").split()]
            except OSError:
                continue
    return found


class PeakPss:
    """``with PeakPss() as peak: ...`` then ``peak.mib``: the tree's summed-PSS peak."""

    def __init__(self) -> None:
        self.mib = 0.0
        self._proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> PeakPss:
        import os

        self._proc = subprocess.Popen([sys.executable, "-m", "bench.pss", str(os.getpid())],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        time.sleep(3 * PERIOD_S)  # a first sample before the run
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._proc is not None
        out, _ = self._proc.communicate("", timeout=60)
        self.mib = int(out.strip() or 0) / 1024


def main() -> None:
    import os
    import select

    pid, me, peak = int(sys.argv[1]), os.getpid(), 0
    while not select.select([sys.stdin], [], [], PERIOD_S)[0]:
        peak = max(peak, sum(_pss_kib(p) for p in _tree(pid, me)))
    print(peak, flush=True)


if __name__ == "__main__":
    main()
