"""One simulated switch served over SSH (and eAPI) for a test: a context manager."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

from lagprov.lab.runtime import LabLoop


@contextmanager
def served(name: str, start: Callable[[], Awaitable[list[object]]]) -> Iterator[list[object]]:
    """Run ``start()`` (a switch's ``serve(...)``) on a fresh lab loop; close all on exit."""
    loop = LabLoop(name)
    loop.start()
    handles = loop.run(start())
    try:
        yield handles
    finally:
        loop.close(handles)
        loop.stop()
