"""What the Junos CLI, NETCONF server and RPC replies use of a lab switch (``JunosSwitch``).

The switch module sits on top (it wires the CLI and NETCONF to the SSH server); the modules
beneath it type the switch with these protocols instead of importing it, so imports run one way:
config databases/show data -> ``netconf_rpcs`` -> ``cli`` -> ``netconf`` -> ``switch``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Protocol

from lagprov.knowledge.platforms.base import HardwareModel
from lagprov.lab.base import Faults, LinkOutcome
from lagprov.lab.fabric import LabFabricView
from lagprov.lab.junos.db import ConfigDB
from lagprov.lab.junos.facts import AeView
from lagprov.lab.junos.schema import Node
from lagprov.lab.junos.show_if import AeState


class JunosShowSwitch(Protocol):
    """What the operational replies (show commands, facts RPCs) read of the switch."""

    @property
    def name(self) -> str: ...

    @property
    def hardware(self) -> HardwareModel: ...

    @property
    def fabric(self) -> LabFabricView: ...

    @property
    def system_mac(self) -> str: ...

    @property
    def db(self) -> ConfigDB: ...

    @property
    def hostname(self) -> str: ...

    def aes(self) -> dict[str, AeView]: ...

    def ae_state(self, ae: AeView) -> AeState: ...

    def outcome(self, outcomes: Mapping[str, LinkOutcome], port: str) -> LinkOutcome: ...


class JunosCliSwitch(JunosShowSwitch, Protocol):
    """What a CLI or NETCONF session also uses: the schema, the lock, the log, the faults."""

    @property
    def schema(self) -> Node: ...

    @property
    def lock(self) -> threading.RLock: ...

    @property
    def command_log(self) -> list[str]: ...

    def faults(self) -> Faults: ...
