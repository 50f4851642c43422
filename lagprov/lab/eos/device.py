"""What the EOS show commands, CLI and eAPI use of a lab switch (:class:`~.switch.EosSwitch`).

The switch module sits on top (it wires the CLI and eAPI to their servers); the modules beneath
it type the switch with these protocols instead of importing it, so imports run one way:
config/state -> ``showcmd`` -> ``cli`` -> ``eapi`` -> ``switch``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from lagprov.knowledge.platforms.base import HardwareModel
from lagprov.lab.base import Faults
from lagprov.lab.eos.config import EosConfig
from lagprov.lab.eos.mlag import MlagView
from lagprov.lab.eos.state import EosView


@dataclass
class ConfigSession:
    """A named configuration session."""

    config: EosConfig
    state: str = "pending"  # pending | completed | pendingCommitTimer
    completed: float = 0.0
    commit_by: float | None = None  # monotonic deadline of a commit timer
    revert_to: EosConfig | None = None


class EosShowSwitch(Protocol):
    """What the ``show`` commands read of the switch."""

    @property
    def hardware(self) -> HardwareModel: ...

    @property
    def lock(self) -> threading.RLock: ...

    @property
    def running(self) -> EosConfig: ...

    @property
    def startup(self) -> EosConfig: ...

    @property
    def sessions(self) -> Mapping[str, ConfigSession]: ...

    def snapshot(self) -> EosView: ...

    def running_text(self) -> str: ...

    def session_diff(self, name: str) -> str: ...

    def sessions_json(self, detail: bool) -> dict[str, object]: ...

    def mlag_view(self, *, ports: bool = False) -> MlagView: ...


class EosCliSwitch(EosShowSwitch, Protocol):
    """What a CLI context (SSH session or eAPI request) also uses: modes, sessions, files."""

    @property
    def name(self) -> str: ...

    @property
    def enable_secret(self) -> str: ...

    @property
    def ports(self) -> tuple[str, ...]: ...

    def faults(self) -> Faults: ...

    def log(self, line: str) -> None: ...

    def log_request(self, commands: tuple[str, ...]) -> None: ...

    def expire_timers(self) -> None: ...

    def open_session(self, name: str) -> ConfigSession: ...

    def commit_session(self, name: str, timer_s: float | None = None) -> None: ...

    def abort_session(self, name: str) -> None: ...

    def write_memory(self) -> str: ...

    def copy(self, source: str, dest: str) -> str: ...

    def configure_replace(self, source: str) -> None: ...
