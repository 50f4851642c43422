"""Contracts inside the lab.

* A platform CLI is a :class:`CliSession`: the SSH server feeds it one line at a time and
  writes back its reply and prompt.  It knows nothing about sockets.
* A simulated switch is a :class:`LabSwitch`: its platform's configuration state behind a
  lock, a log of every configuration command received, and the LACP-relevant facts of each
  port (:class:`PortFacts`) derived from that configuration.
* A simulated host exposes :class:`HostPortFacts` per NIC.
* The LACP engine (``lagprov.lab.lacp``) turns the facts of both ends of every cable into a
  :class:`LinkOutcome` per port; the show commands of every platform print those outcomes.

Locking: the lab has one lock.  A fabric hands every switch and host it builds the same
reentrant lock (:func:`device_lock`), which also guards the fabric's cabling and caches.  Show
commands read their neighbours' state while holding their own device's lock (Junos holds it for
a whole command, and resolving LACP reads every device around the port), and the host-report
writer did the same from the host's side: with one lock per device those two took a switch's and
a host's lock in opposite orders and wedged the lab.  A single lock cannot be taken in two
orders.  Its one rule: never wait for another thread (the lab loop, a join, a socket) while
holding it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from lagprov.model.state import MemberStatus
from lagprov.model.types import LacpRate

_RLock = type(threading.RLock())


def device_lock(fabric: object) -> threading.RLock:
    """The lock a simulated device guards its state with: its fabric's one lab lock
    (``device_lock`` attribute), or a lock of its own outside a fabric (unit tests)."""
    lock = getattr(fabric, "device_lock", None)
    return lock if isinstance(lock, _RLock) else threading.RLock()


@dataclass(frozen=True, slots=True)
class CliReply:
    """What a CLI answers to one line: text to print, then the (new) prompt, or close."""

    output: str = ""
    close: bool = False


class CliSession(Protocol):
    """One interactive CLI session on a simulated device."""

    def banner(self) -> str:
        """Text printed once after login, before the first prompt."""
        ...

    def prompt(self) -> str:
        """The current prompt, exactly as the platform prints it (Junos: trailing space)."""
        ...

    def handle(self, line: str) -> CliReply:
        """Run one input line (without its line ending)."""
        ...


class LagMode(StrEnum):
    """How a port wants to bundle, as configured."""

    ACTIVE = "active"
    PASSIVE = "passive"
    ON = "on"


@dataclass(frozen=True, slots=True)
class PortFacts:
    """LACP-relevant facts of one switch port, derived from its configuration."""

    port: str
    admin_up: bool
    link_up: bool  # physical; a fault can take it down
    speed_mbps: int
    channel: int | None = None
    mode: LagMode | None = None
    rate: LacpRate = LacpRate.SLOW
    mtu_ip: int | None = None  # the port's own IP MTU, if it has one
    channel_mtu_ip: int | None = None  # its channel's IP MTU (Aricent ISS: must match)
    min_links: int | None = None
    # The LACP actor system id when it is not the switch's own: an EOS MLAG interface sends
    # the pair's shared MLAG system id (lagprov.lab.eos.mlag).
    lacp_system_id: str | None = None


@dataclass(frozen=True, slots=True)
class HostPortFacts:
    """LACP-relevant facts of one host NIC."""

    nic: str
    link_up: bool
    speed_mbps: int
    team: str  # canonical team mode (lagprov.knowledge.compat), e.g. "802.3ad", "Lacp", "none"
    lacp: bool  # the team speaks LACP
    static: bool  # the team bundles statically
    rate: LacpRate = LacpRate.SLOW
    mtu_ip: int = 1500
    active: bool = True  # LACP active (Linux lacp_active on, vDS LAG mode active)


@dataclass(frozen=True, slots=True)
class LacpPeerInfo:
    """What a port learns about its partner from LACPDUs."""

    system_id: str  # aa:bb:cc:dd:ee:ff
    system_priority: int
    port: int
    port_priority: int
    key: int
    state: int  # IEEE 802.1AX port state byte


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    """What real LACP would make of one port, seen from that port."""

    status: MemberStatus
    actor_state: int = 0
    actor_port: int = 0
    actor_key: int = 0
    partner: LacpPeerInfo | None = None
    reason: str = ""  # e.g. "Waiting for LACP response", "MTU mismatch"
    speed_mbps: int | None = None  # negotiated: the slower end of the cable (None if down)


class LabSwitch(Protocol):
    """A simulated switch as the fabric and the LACP engine see it."""

    name: str
    platform: str
    system_mac: str
    lock: threading.RLock
    command_log: list[str]

    def port_facts(self) -> dict[str, PortFacts]:
        """Facts of every front-panel port."""
        ...

    def open_cli(self, username: str) -> CliSession:
        """A new interactive session for ``username``."""
        ...


class AcceptCounter:
    """Connections one device's servers accepted, per listening TCP port (thread-safe: SSH is
    served on the lab loop, eAPI on threads of its own).  Counted at accept, before any login,
    so a refused login or a cut session is still a session the device saw."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_port: dict[int, int] = {}

    def count(self, port: int) -> None:
        """One more connection accepted on ``port``."""
        with self._lock:
            self._by_port[port] = self._by_port.get(port, 0) + 1

    def by_port(self) -> dict[int, int]:
        """Accepted connections so far, per listening port."""
        with self._lock:
            return dict(self._by_port)


@dataclass
class Faults:
    """Faults on demand for one device (mutated by tests and the fabric, under the lock)."""

    reject_commands: set[str] = field(default_factory=set)  # substrings answered with an error
    latency_s: float = 0.0  # added before every reply
    auth_fail: bool = False
    drop_after_config_lines: int | None = None  # close the session after N config lines
    config_locked_by: str | None = None  # Junos: exclusive lock held by another user
    # The device is off (crashed, powered down): every SSH session is cut, a new one at once
    # and an open one at its next line, until a test clears it (the device restarted).
    down: bool = False
    # Go ``down`` right after handling the first CLI line containing this text (a crash
    # mid-push: a configuration line, or the NAPALM ios ``copy ... running-config``).  Also
    # matched by eAPI (each command of a request) and NETCONF (each RPC's name, and each
    # configuration line a ``load-configuration`` carries): see :meth:`trip`.
    die_after: str | None = None
    # Go ``down`` on receiving the first line / command / RPC containing this text, before
    # handling it: it never takes effect (a crash as the commit arrives).
    die_before: str | None = None
    # Stop answering (a hang) right after handling the first line / command / RPC containing
    # this text: ``stopped`` until a test clears it, which is the device restarting.  A
    # stopped device keeps its TCP connections and answers nothing: an open session gets no
    # reply, a new one is accepted (SSH still logs in) but its prompt, NETCONF hello or eAPI
    # reply never comes; the restart then cuts every session it held, unanswered.
    stop_after: str | None = None
    stopped: bool = False
    # Cut the connection right after handling the first line / command / RPC containing this
    # text, the device staying up (a session lost: that answer never comes, a new one works).
    cut_after: str | None = None
    down_ports: set[str] = field(default_factory=set)
    # EOS MLAG: the peer link of this switch is down (both peers see it: lab.eos.mlag).
    mlag_peer_link_down: bool = False
    # Not a fault: what the device's servers accepted.  It lives here because every server of
    # the device (SSH, NETCONF, eAPI) already reads this object; LabFabric.accepted reads it.
    accepted: AcceptCounter = field(default_factory=AcceptCounter, compare=False, repr=False)

    def trip(self, text: str, *, handled: bool) -> bool:
        """Apply the crash faults to one line / command / RPC ``text``: ``die_before`` as it
        arrives (``handled`` False), ``die_after``, ``stop_after`` and ``cut_after`` once it
        took effect (``handled`` True); each fires once.  True when the device is now down or
        stopped, or this session is cut: the caller sends no reply (and, if ``handled`` is
        False, does not handle ``text``)."""
        if handled and self.cut_after and self.cut_after in text:
            self.cut_after = None
            return True
        if not handled and self.die_before and self.die_before in text:
            self.die_before, self.down = None, True
        if handled and self.die_after and self.die_after in text:
            self.die_after, self.down = None, True
        if handled and self.stop_after and self.stop_after in text:
            self.stop_after, self.stopped = None, True
        return self.down or self.stopped
