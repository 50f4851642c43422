"""Per-device advisory locks: two lagprov runs on this machine never push to one device at once.

The locks live where every run of the user sees them, whatever its state folder
(``$LAGPROV_STATE``) or inventory: ``$XDG_RUNTIME_DIR/lagprov-locks`` when that is set, else
``/tmp/lagprov-locks-<uid>`` (mode 0700, refused if it is not the user's own folder).  A lock
is keyed by the device's management address (``host:port``) where it is known, so one device
named differently in two inventories is still one lock.  ``fcntl.flock`` locks are released by
the kernel when a run dies, so a crash never leaves a device locked.

On top of this, a device's own lock is used where it has one: NAPALM junos locks the candidate
(``<lock-configuration/>``) for the load and commit, Netmiko on Junos enters ``configure
exclusive``, and NAPALM eos pushes in a configuration session.
"""

from __future__ import annotations

import fcntl
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lagprov.errors import CommitError, ConfigError

ENV_RUNTIME = "XDG_RUNTIME_DIR"


def lock_dir() -> Path:
    """The user's lock folder (see the module doc)."""
    runtime = os.environ.get(ENV_RUNTIME)
    if runtime and Path(runtime).is_dir():
        return Path(runtime) / "lagprov-locks"
    return Path(tempfile.gettempdir()) / f"lagprov-locks-{os.getuid()}"


def _ready(folder: Path) -> Path:
    """Create ``folder`` (0700) and check it is a real folder owned by this user."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise ConfigError(f"{folder}: the lagprov lock folder must be a folder owned by uid "
                          f"{os.getuid()}; move it away")
    return folder


def lock_path(key: str) -> Path:
    """The lock file of ``key`` (a device name or ``address:port``)."""
    safe = re.sub(r"[^A-Za-z0-9_.:@-]", "_", key).lstrip(".") or "_"
    return _ready(lock_dir()) / f"{safe}.lock"


@contextmanager
def device_lock(device: str, *, exclusive: bool, address: str | None = None) -> Iterator[None]:
    """Hold the lock of ``device`` (shared for reads, exclusive for pushes), never waiting.

    ``address`` (``host:port``) is the lock's key where known; else the device name.

    Raises:
        CommitError: when another run holds the device.
    """
    path = lock_path(address or device)
    with path.open("a+") as fh:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(fh.fileno(), mode | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CommitError(f"{device} is locked by another lagprov run ({path}); nothing "
                              "was sent to it") from None
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
