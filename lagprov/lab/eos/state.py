"""A read-only view of a simulated EOS switch for the show commands (text and JSON).

Built under the switch lock from the running configuration and the LACP outcomes, so printers
need no lock.  Link state: a port is up when it is not shut down and the LACP engine did not
report it ``DOWN`` (an uncabled port is down); a Port-Channel is up when enough members are
bundled (:func:`lagprov.lab.lacp.channel_up`, min-links aware).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lagprov.lab.base import LagMode, LinkOutcome
from lagprov.lab.eos.config import EosConfig, IfConfig, channel_number, port_channel, sort_key
from lagprov.lab.lacp import channel_up
from lagprov.model.state import MemberStatus


@dataclass(frozen=True, slots=True)
class EosView:
    """Everything a show command prints."""

    config: EosConfig
    outcomes: Mapping[str, LinkOutcome]
    ports: tuple[str, ...]  # front-panel ports, in order
    speeds: Mapping[str, int]  # Mb/s
    system_mac: str  # aa:bb:cc:dd:ee:ff
    model: str
    serial: str
    boot_time: float
    now: float
    mtu_default: int

    def cfg(self, name: str) -> IfConfig:
        """Configuration of interface ``name``."""
        return self.config.interfaces[name]

    def status(self, port: str) -> MemberStatus:
        """LACP-engine status of a front-panel port (DOWN when shut or unknown)."""
        if self.cfg(port).shutdown:
            return MemberStatus.DOWN
        outcome = self.outcomes.get(port)
        return MemberStatus.DOWN if outcome is None else outcome.status

    def outcome(self, port: str) -> LinkOutcome | None:
        """The LACP outcome of ``port``, if the engine gave one."""
        return self.outcomes.get(port)

    def channels(self) -> list[int]:
        """Configured Port-Channel numbers, ascending."""
        nums = (channel_number(n) for n in self.config.interfaces)
        return sorted(n for n in nums if n is not None)

    def members(self, channel: int) -> list[str]:
        """Ethernet ports configured in ``channel``, in port order."""
        return [p for p in self.ports if self.cfg(p).channel == channel]

    def channel_mode(self, channel: int) -> LagMode | None:
        """Mode of the channel's first member."""
        members = self.members(channel)
        return self.cfg(members[0]).mode if members else None

    def bundled(self, channel: int) -> list[str]:
        """Members carrying traffic."""
        return [m for m in self.members(channel) if self.status(m) is MemberStatus.BUNDLED]

    def is_up(self, name: str) -> bool:
        """Link state of any interface."""
        number = channel_number(name)
        if number is not None:
            po = self.cfg(name)
            members = self.members(number)
            outcomes = [o for m in members if (o := self.outcomes.get(m)) is not None
                        and not self.cfg(m).shutdown]
            return not po.shutdown and channel_up(outcomes, po.min_links)
        if name.startswith("Management"):
            return not self.cfg(name).shutdown
        return self.status(name) is not MemberStatus.DOWN

    def mtu(self, name: str) -> int:
        """Effective MTU: the channel's for members, else the interface's, else the default."""
        cfg = self.cfg(name)
        if cfg.channel is not None and port_channel(cfg.channel) in self.config.interfaces:
            po_mtu = self.cfg(port_channel(cfg.channel)).mtu
            if po_mtu is not None:
                return po_mtu
        return cfg.mtu if cfg.mtu is not None else self.mtu_default

    def speed(self, name: str) -> int:
        """Mb/s of a port, sum of bundled members for a channel, 1000 for Management."""
        number = channel_number(name)
        if number is not None:
            return sum(self.speeds.get(m, 0) for m in self.bundled(number))
        return self.speeds.get(name, 1000)

    def mac(self, name: str) -> str:
        """Dotted MAC of an interface (channel: its first member's)."""
        base = int(self.system_mac.replace(":", ""), 16)
        number = channel_number(name)
        if number is not None:
            members = self.members(number)
            if not members:
                return dotted(base)
            name = members[0]
        index = self.ports.index(name) + 1 if name in self.ports else 0
        return dotted(base + index)

    def interface_names(self) -> list[str]:
        """Every interface, in EOS display order (Ethernet, Management, Port-Channel)."""
        order = {"Ethernet": 0, "Management": 1, "Port-Channel": 2}
        return sorted(self.config.interfaces,
                      key=lambda n: (order.get(sort_key(n)[1], 3), sort_key(n)[2]))

    def uptime(self) -> float:
        """Seconds since boot."""
        return max(self.now - self.boot_time, 0.0)


def dotted(mac: int) -> str:
    """``0x001c73000001`` -> ``001c.7300.0001``."""
    h = f"{mac & 0xFFFFFFFFFFFF:012x}"
    return f"{h[0:4]}.{h[4:8]}.{h[8:12]}"


def colon(mac: int) -> str:
    """``0x001c73000001`` -> ``00:1c:73:00:00:01``."""
    h = f"{mac & 0xFFFFFFFFFFFF:012x}"
    return ":".join(h[i:i + 2] for i in range(0, 12, 2))


def duration(seconds: float) -> str:
    """EOS style: ``5 hours, 8 minutes, 50 seconds`` (leading zero units dropped)."""
    total = int(seconds)
    parts = [(total // 86400, "day"), (total // 3600 % 24, "hour"),
             (total // 60 % 60, "minute"), (total % 60, "second")]
    while len(parts) > 1 and parts[0][0] == 0:
        parts.pop(0)
    return ", ".join(f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts)
