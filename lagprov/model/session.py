"""The device session contract: what the provisioning algorithm needs from a device.

``lagprov.edge`` implements it over NAPALM and Netmiko; ``lagprov.provision`` depends only on
this Protocol, so the algorithm is tested without a device library.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Session(Protocol):
    """One device, one lifecycle: read, load a candidate, commit or discard, roll back.

    ``atomic_commit`` is False where a failed commit may leave part of the change applied
    (NAPALM ios copies a file into the running config line by line; Netmiko pushes lines).
    """

    atomic_commit: bool
    native_rollback: bool  # the device restores itself (NAPALM); else lagprov sends the undo

    def run(self, command: str) -> str: ...
    def load(self, lines: Sequence[str]) -> str | None: ...
    def commit(self, *, confirm_seconds: int | None = None) -> None: ...
    def confirm(self) -> None: ...
    def discard(self, *, force: bool = False) -> None: ...
    def rollback(self, reverse: Sequence[str]) -> None: ...
