"""What the IOS show commands and CLI use of a lab switch (:class:`~.switch.IosSwitch` has it).

The switch module sits on top (it wires the CLI to the SSH server); the modules beneath it type
the switch with these protocols instead of importing it, so imports run one way:
config/show data -> ``showcmd`` -> ``cli`` -> ``switch``.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Protocol

from lagprov.knowledge.platforms.base import HardwareModel
from lagprov.lab.fabric import LabFabricView
from lagprov.lab.ios.config import IosConfig, IosConfigurator
from lagprov.lab.ios.show import ShowData


class IosShowSwitch(Protocol):
    """What the ``show`` commands read of the switch."""

    @property
    def hardware(self) -> HardwareModel: ...

    @property
    def flash(self) -> Path: ...

    @property
    def system_mac(self) -> str: ...

    @property
    def boot_time(self) -> float: ...

    @property
    def jumbo_scope(self) -> bool: ...

    @property
    def running(self) -> IosConfig: ...

    @property
    def startup(self) -> IosConfig: ...

    def system_mtus(self) -> tuple[int, int]: ...

    def show_data(self) -> ShowData: ...

    def running_config(self) -> str: ...

    def config_text(self, cfg: IosConfig | None = None) -> str: ...


class IosCliSwitch(IosShowSwitch, Protocol):
    """What a CLI session also uses: the configuration, files, saving and reloading."""

    @property
    def name(self) -> str: ...

    @property
    def fabric(self) -> LabFabricView: ...

    @property
    def lock(self) -> threading.RLock: ...

    startup: IosConfig  # ``copy <file> startup-config`` replaces it

    def configurator(self, cfg: IosConfig | None = None) -> IosConfigurator: ...

    def log(self, line: str) -> None: ...

    def apply_lines(self, lines: Iterable[str], cfg: IosConfig | None = None, *,
                    reject: Collection[str] = ()) -> tuple[str, str]: ...

    def replace_config(self, text: str) -> str: ...

    def save(self) -> None: ...

    def reload(self) -> None: ...
