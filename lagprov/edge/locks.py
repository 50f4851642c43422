"""Per-device advisory locks: two lagprov runs never push to one device at once."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lagprov.errors import CommitError


def lock_dir() -> Path:
    """Where the locks live: ``$LAGPROV_STATE/locks`` (default ``.lagprov/locks``)."""
    return Path(os.environ.get("LAGPROV_STATE", ".lagprov")) / "locks"


@contextmanager
def device_lock(device: str, *, exclusive: bool) -> Iterator[None]:
    """Hold the lock of ``device`` (shared for reads, exclusive for pushes), never waiting.

    Raises:
        CommitError: when another run holds the device.
    """
    folder = lock_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{device}.lock"
    with path.open("a+") as fh:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(fh.fileno(), mode | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CommitError(f"{device} is locked by another lagprov run ({path})") from None
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
