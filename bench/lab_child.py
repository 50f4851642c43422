"""The bench lab in a child process, so it does not share the interpreter lock with lagprov.

Run in the benchmark's own process, the lab's Python code competes with lagprov's worker
threads for one GIL and, on a small machine, sets the ceiling of every live figure (issue 15).
:class:`ChildLab` starts ``python -m bench.lab_child FOLDER BLOCK WORKDIR``: the child builds
``LabFabric.from_inventory(load_inventory(FOLDER), rebase=BLOCK)``, starts it, writes the
live inventory to ``WORKDIR`` and says it is ready; then it answers one JSON request per line
on its stdin with one JSON line on its stdout (its own prints go to stderr).  End of file on
its stdin (the parent closed the pipe, or died) closes the lab and ends the child.

>>> with ChildLab(Path("inventory"), "127.0.220.0", Path("/tmp/lab")) as lab:  # doctest: +SKIP
...     live = load_inventory(lab.inventory)
...     before = lab.cpu_seconds()
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

from bench.common import REPO
from lagprov.lab.fabric import LabPorts

READY_TIMEOUT_S = 180.0  # building and serving the 50-switch fleet on a loaded machine
REQUEST_TIMEOUT_S = 120.0
CLOSE_TIMEOUT_S = 30.0


class ChildLabError(RuntimeError):
    """The lab child failed, died or did not answer in time."""


class ChildLab:
    """A started lab in a child process: the parts of a fabric the benchmarks use.

    ``cpu_seconds()`` is the child's whole CPU time (every thread: the SSH/NETCONF loop and the
    eAPI threads), i.e. everything the lab costs.
    """

    def __init__(self, folder: Path, block: str, workdir: Path) -> None:
        """Start the child and wait until it serves (``ChildLabError`` if it cannot)."""
        self.inventory = workdir.resolve()
        self._lock = threading.Lock()
        self._buf = b""
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "bench.lab_child", str(folder.resolve()), block,
             str(self.inventory)], cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        try:
            ready = self._reply(READY_TIMEOUT_S)
        except BaseException:
            self.close()
            raise
        self.addresses: dict[str, str] = dict(ready["addresses"])
        self.ports: dict[str, LabPorts] = {n: LabPorts(**p) for n, p in ready["ports"].items()}

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self._proc.pid

    # ---- what the benchmarks ask of the lab ---------------------------------------------
    def cpu_seconds(self) -> float:
        """CPU seconds the whole lab process has used so far (user + system, every thread)."""
        return float(self._call("cpu_seconds"))

    def write_host_reports(self, dest: Path) -> list[Path]:
        """Every simulated host writes its own reports under ``dest/<host>/``."""
        return [Path(p) for p in self._call("write_host_reports", str(dest.resolve()))]

    def config_lines(self) -> int:
        """Lines received by every lab switch's command log so far."""
        return int(self._call("config_lines"))

    def start_counting(self) -> None:
        """Count every line the lab's CLI sessions started from now on receive."""
        self._call("start_counting")

    def stop_counting(self) -> int:
        """Stop counting; the lines received since :meth:`start_counting`."""
        return int(self._call("stop_counting"))

    # ---- the pipe -----------------------------------------------------------------------
    def _call(self, op: str, *args: Any) -> Any:
        with self._lock:
            stdin = self._proc.stdin
            if stdin is None or stdin.closed:
                raise ChildLabError("the lab child is closed")
            try:
                stdin.write(json.dumps({"op": op, "args": list(args)}).encode() + b"\n")
                stdin.flush()
            except (BrokenPipeError, OSError) as exc:
                raise ChildLabError(f"the lab child is gone ({self._proc.poll()})") from exc
            answer = self._reply(REQUEST_TIMEOUT_S)
        if "error" in answer:
            raise ChildLabError(f"lab child, {op}: {answer['error']}")
        return answer["ok"]

    def _reply(self, timeout: float) -> dict[str, Any]:
        """The child's next JSON line (``ChildLabError`` on its death or after ``timeout``)."""
        out = self._proc.stdout
        assert out is not None
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ChildLabError(f"the lab child did not answer in {timeout:.0f} s")
            if select.select([out], [], [], left)[0]:
                data = os.read(out.fileno(), 65536)
                if not data:
                    code = self._proc.wait(CLOSE_TIMEOUT_S)
                    raise ChildLabError(f"the lab child exited ({code}); see its stderr")
                self._buf += data
        line, _, self._buf = self._buf.partition(b"\n")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        """Close the child's stdin (it closes the lab and exits); terminate it if it lingers."""
        with contextlib.suppress(OSError):
            if self._proc.stdin is not None:
                self._proc.stdin.close()
        try:
            self._proc.wait(CLOSE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        if self._proc.stdout is not None:
            self._proc.stdout.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


# --- the child ---------------------------------------------------------------------------


class _LineCounter:
    """Counts the lines every lab CLI session receives, by wrapping ``lab_ssh._run_cli`` (a
    session started before :meth:`start` is not counted; the patch is in this process)."""

    def __init__(self) -> None:
        self._got: list[str] = []
        self._saved: Any = None

    def start(self) -> None:
        import lagprov.lab.ssh as lab_ssh

        if self._saved is not None:
            raise RuntimeError("already counting")
        got: list[str] = []
        run_cli = lab_ssh._run_cli

        async def counting(process: Any, cli: Any, faults: Any) -> None:
            handle = cli.handle

            def logged(line: str) -> Any:
                got.append(line)
                return handle(line)

            cli.handle = logged
            await run_cli(process, cli, faults)

        self._got, self._saved = got, run_cli
        lab_ssh._run_cli = counting

    def stop(self) -> int:
        import lagprov.lab.ssh as lab_ssh

        if self._saved is not None:
            lab_ssh._run_cli, self._saved = self._saved, None
        return len(self._got)


def _serve(fabric: Any, requests: IO[str], replies: IO[str]) -> None:
    """Answer ``requests`` until end of file or ``close``."""
    counter = _LineCounter()

    def config_lines() -> int:
        total = 0
        for sw in fabric.switches.values():
            with sw.lock:
                total += len(sw.command_log)
        return total

    ops: dict[str, Callable[..., Any]] = {
        "cpu_seconds": time.process_time,  # the whole process: every thread of the lab
        "write_host_reports": lambda dest: [str(p) for p in
                                            fabric.write_host_reports(Path(dest))],
        "config_lines": config_lines,
        "start_counting": counter.start,
        "stop_counting": counter.stop,
    }
    for line in requests:
        request = json.loads(line)
        if request["op"] == "close":
            break
        try:
            answer = {"ok": ops[request["op"]](*request["args"])}
        except Exception as exc:  # noqa: BLE001 - the parent raises it with its text
            answer = {"error": f"{type(exc).__name__}: {exc}"}
            traceback.print_exc()
        replies.write(json.dumps(answer) + "\n")
        replies.flush()


def main(argv: list[str]) -> None:
    """``python -m bench.lab_child FOLDER BLOCK WORKDIR`` (started by :class:`ChildLab`)."""
    from lagprov.intent.load import load_inventory
    from lagprov.lab.fabric import LabFabric

    folder, block, workdir = argv
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # stray prints of the lab go to stderr, never into the replies
    sys.stdout = sys.stderr
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # terminate(): close the lab first
    fabric = LabFabric.from_inventory(load_inventory(Path(folder)), rebase=block)
    try:
        fabric.start()
        fabric.write_inventory(Path(workdir))
        ports = {n: {"ssh": p.ssh, "eapi": p.eapi, "netconf": p.netconf, "winrm": p.winrm}
                 for n, p in fabric.ports.items()}
        replies.write(json.dumps({"addresses": fabric.addresses, "ports": ports}) + "\n")
        replies.flush()
        _serve(fabric, sys.stdin, replies)
    finally:
        fabric.close()


if __name__ == "__main__":
    main(sys.argv[1:])
