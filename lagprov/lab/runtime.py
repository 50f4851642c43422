"""An asyncio loop in a background thread, so synchronous code (tests, the CLI) can run the lab.

>>> loop = LabLoop()
>>> loop.start()
>>> async def two() -> int:
...     return 2
>>> loop.run(two())
2
>>> loop.stop()
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Coroutine, Iterable
from typing import Any, TypeVar

from lagprov.errors import LabError

T = TypeVar("T")


class LabLoop:
    """One asyncio event loop running forever in a daemon thread until :meth:`stop`."""

    def __init__(self, name: str = "lagprov-lab") -> None:
        self._name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """True between :meth:`start` and :meth:`stop`."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The running loop (LabError if not started)."""
        if self._loop is None or not self.running:
            raise LabError("the lab loop is not running")
        return self._loop

    def cpu_seconds(self) -> float:
        """CPU time the loop's thread has used so far (every SSH and NETCONF session of the lab
        runs on it); 0.0 when not running."""
        thread = self._thread
        if thread is None or thread.ident is None or not thread.is_alive():
            return 0.0
        return time.clock_gettime(time.pthread_getcpuclockid(thread.ident))

    def start(self) -> None:
        """Start the thread and its loop; no-op if already running."""
        if self.running:
            return
        loop = asyncio.new_event_loop()
        ready = threading.Event()

        def main() -> None:
            asyncio.set_event_loop(loop)
            loop.call_soon(ready.set)
            loop.run_forever()

        self._loop = loop
        self._thread = threading.Thread(target=main, name=self._name, daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise LabError("the lab loop did not start")

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = 30.0) -> T:
        """Run ``coro`` on the loop and wait for its result (TimeoutError after ``timeout``)."""
        try:
            loop = self.loop
        except LabError:
            coro.close()
            raise
        future = asyncio.run_coroutine_threadsafe(coro, loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise

    def close(self, handles: Iterable[object], timeout: float | None = 30.0) -> None:
        """Close servers started on this loop, on the loop's own thread (asyncio servers are
        not thread-safe: closing one from another thread races the loop's own wake-ups), and
        await ``wait_closed()`` of those that have one; no-op if the loop is not running."""
        async def close_all() -> None:
            for h in handles:
                h.close()  # type: ignore[attr-defined]
                if hasattr(h, "wait_closed"):
                    await h.wait_closed()

        if self.running:
            self.run(close_all(), timeout)

    def stop(self) -> None:
        """Cancel every task, stop the loop and join the thread; no-op if not running."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        if thread.is_alive():
            async def cancel_all() -> None:
                me = asyncio.current_task()
                tasks = [t for t in asyncio.all_tasks() if t is not me]
                for t in tasks:
                    t.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)

            with contextlib.suppress(TimeoutError, RuntimeError):
                asyncio.run_coroutine_threadsafe(cancel_all(), loop).result(10)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
        if not thread.is_alive():
            loop.close()
        self._loop = None
        self._thread = None
