"""The Junos configuration databases: committed + rollback history, shared candidate, the
exclusive lock, commit checks and `commit confirmed` with its auto-rollback timer.

Every method expects the caller to hold the switch lock (the timer callback takes it itself).

Commit-check messages (modelled; EX wording as far as known, the exact text of the first is
not confirmed by a capture):

* a member or ae beyond ``chassis aggregated-devices ethernet device-count``::

      [edit interfaces ge-0/0/10 ether-options 802.3ad]
        'ae5'
          ae5: device-count exceeded (aggregated-devices ethernet device-count 2)
      error: configuration check-out failed

* a member with its own ``unit`` (real Junos: "Logical unit is not allowed on aggregated
  links");
* classic VLAN syntax on ELS (``port-mode``) or ELS syntax on classic (``interface-mode``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from lagprov.lab.base import Faults
from lagprov.lab.junos.tree import Config

CHECKOUT_FAILED = "error: configuration check-out failed\n"
MAX_ROLLBACK = 49


class Cancellable(Protocol):
    def cancel(self) -> None: ...


TimerFactory = Callable[[float, Callable[[], None]], Cancellable]


def thread_timer(seconds: float, callback: Callable[[], None]) -> Cancellable:
    timer = threading.Timer(seconds, callback)
    timer.daemon = True
    timer.start()
    return timer


@dataclass(frozen=True, slots=True)
class Revision:
    """One commit of the history (rollback N = revisions[N])."""

    config: Config
    user: str
    client: str  # "cli", "netconf", "confirmed-rollback"
    when: datetime
    log: str = ""


def _ae_number(name: str | None) -> int | None:
    m = re.fullmatch(r"ae(\d+)", name or "")
    return int(m.group(1)) if m else None


def check_config(config: Config, vlan_style: str) -> list[str]:
    """Commit-check error blocks (empty when the configuration commits)."""
    errors: list[str] = []
    count = int(config.value("chassis", "aggregated-devices", "ethernet", "device-count") or 0)
    for ifname in config.names("interfaces"):
        for opts in ("ether-options", "gigether-options"):
            ae = config.value("interfaces", ifname, opts, "802.3ad")
            if ae is None:
                continue
            number = _ae_number(ae)
            if number is not None and number >= count:
                errors.append(f"[edit interfaces {ifname} {opts} 802.3ad]\n  '{ae}'\n"
                              f"    {ae}: device-count exceeded (aggregated-devices ethernet "
                              f"device-count {count})\n")
            units = [n for n in config.names("interfaces", ifname) if n.startswith("unit ")]
            if units:
                errors.append(f"[edit interfaces {ifname}]\n  '{units[0]}'\n"
                              "    Logical unit is not allowed on aggregated links\n")
        number = _ae_number(ifname)
        if number is not None and number >= count:
            errors.append(f"[edit interfaces]\n  '{ifname}'\n    {ifname}: device-count exceeded "
                          f"(aggregated-devices ethernet device-count {count})\n")
        errors.extend(_vlan_style_errors(config, ifname, vlan_style))
    return errors


def _vlan_style_errors(config: Config, ifname: str, vlan_style: str) -> list[str]:
    wrong, right = ("port-mode", "interface-mode") if vlan_style == "els" else (
        "interface-mode", "port-mode")
    out = []
    for unit in config.names("interfaces", ifname):
        keys = ("interfaces", ifname, unit, "family", "ethernet-switching", wrong)
        if unit.startswith("unit ") and config.get(*keys) is not None:
            out.append(f"[edit interfaces {ifname} {unit} family ethernet-switching]\n"
                       f"  '{wrong}'\n    {wrong} is not supported on this platform "
                       f"({'ELS' if vlan_style == 'els' else 'non-ELS'}); use {right}\n")
    return out


class ConfigDB:
    """Committed history, shared candidate, exclusive lock, commit confirmed."""

    def __init__(self, initial: Config, *, vlan_style: str, lock: threading.RLock,
                 faults: Callable[[], Faults], timer_factory: TimerFactory = thread_timer,
                 minute_seconds: float = 60.0) -> None:
        self.vlan_style = vlan_style
        self.revisions: list[Revision] = [Revision(initial.copy(), "root", "cli",
                                                   datetime.now(UTC))]
        self.candidate = initial.copy()
        self.lock_owner: str | None = None
        self.lock_user = ""
        self.lock_since = datetime.now(UTC)
        self.minute_seconds = minute_seconds
        self.timer_factory = timer_factory
        self._mutex = lock
        self._faults = faults
        self._pending: Cancellable | None = None
        self.pending_minutes: int | None = None

    @property
    def committed(self) -> Config:
        return self.revisions[0].config

    def changed(self) -> bool:
        return self.candidate != self.committed

    # -- exclusive lock ------------------------------------------------------------------
    def lock_error(self, owner: str) -> str | None:
        """The "locked by" message when someone other than ``owner`` holds the lock."""
        other = self._faults().config_locked_by
        since = self.lock_since
        if other is None and self.lock_owner not in (None, owner):
            other = self.lock_user
        if other is None:
            return None
        return (f"configuration database locked by:\n  {other} terminal p0 (pid 4242) on since "
                f"{since:%Y-%m-%d %H:%M:%S} UTC\n      exclusive [edit]")

    def acquire(self, owner: str, user: str) -> str | None:
        error = self.lock_error(owner)
        if error is None and self.lock_owner is None:
            self.lock_owner, self.lock_user = owner, user
            self.lock_since = datetime.now(UTC)
        return error

    def release(self, owner: str, *, discard: bool = False) -> bool:
        if self.lock_owner != owner:
            return False
        self.lock_owner = None
        if discard:
            self.candidate = self.committed.copy()
        return True

    # -- commit ----------------------------------------------------------------------------
    def commit(self, owner: str, user: str, *, client: str = "cli", check_only: bool = False,
               confirmed_minutes: int | None = None, log: str = "") -> tuple[bool, str]:
        """Commit (or check) the candidate: ``(ok, text)`` with Junos' CLI wording."""
        locked = self.lock_error(owner)
        if locked is not None:
            return False, f"error: {locked}\n"
        errors = check_config(self.candidate, self.vlan_style)
        if errors:
            return False, "".join(errors) + CHECKOUT_FAILED
        if check_only:
            return True, "configuration check succeeds\n"
        self._cancel_pending()
        self._push(Revision(self.candidate.copy(), user, client, datetime.now(UTC), log))
        if confirmed_minutes is None:
            return True, "commit complete\n"
        self._arm(confirmed_minutes)
        return True, (f"commit confirmed will be automatically rolled back in {confirmed_minutes}"
                      " minutes unless confirmed\ncommit complete\n")

    def _push(self, revision: Revision) -> None:
        self.revisions.insert(0, revision)
        del self.revisions[MAX_ROLLBACK + 1:]

    def _arm(self, minutes: int) -> None:
        target = self.revisions[1].config.copy() if len(self.revisions) > 1 else None
        self.pending_minutes = minutes
        if target is None:
            return

        def expire() -> None:
            with self._mutex:
                if self._pending is None:
                    return
                self._pending, self.pending_minutes = None, None
                self._push(Revision(target.copy(), "root", "confirmed-rollback",
                                    datetime.now(UTC), "commit confirmed rollback"))
                self.candidate = target.copy()

        self._pending = self.timer_factory(minutes * self.minute_seconds, expire)

    def _cancel_pending(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
        self._pending, self.pending_minutes = None, None

    def close(self) -> None:
        """Stop the confirm timer (switch shutdown)."""
        self._cancel_pending()

    # -- rollback ----------------------------------------------------------------------------
    def load_rollback(self, number: int) -> str | None:
        """Replace the candidate with rollback ``number``; an error message when it is absent."""
        if not 0 <= number < len(self.revisions):
            return f"error: rollback {number}: no such rollback file"
        self.candidate = self.revisions[number].config.copy()
        return None
