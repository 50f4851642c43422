"""The Junos configuration databases: committed + rollback history, shared candidate, the
exclusive lock, commit checks and `commit confirmed` with its auto-rollback timer.

Every method expects the caller to hold the switch lock (the timer callback takes it itself).

Commit checks (:func:`check_config`) give :class:`CommitError` values; the CLI prints each as
Junos does (path, quoted element, message) followed by ``error: configuration check-out
failed``; NETCONF sends one ``<rpc-error>`` each (``error-path``, ``bad-element``,
``error-message``) and a last one for the check-out.  Modelled refusals:

* a member or ae beyond ``chassis aggregated-devices ethernet device-count`` (wording not
  confirmed by a capture)::

      [edit interfaces ge-0/0/10 ether-options 802.3ad]
        'ae5'
          ae5: device-count exceeded (aggregated-devices ethernet device-count 2)
      error: configuration check-out failed

* an ae member that keeps a logical unit (``unit 0``, or ``unit 0 family ethernet-switching``
  left behind by single-leaf deletes).  Confirmed wording: a Junos NETCONF commit reply in
  GlobalNOC/OESS (perl-lib/OESS/t, Juniper MX device test): source-daemon ``dcd``, error-path
  ``[edit interfaces ge-0/0/2]``, bad-element ``unit 2000``, message ``logical unit is not
  allowed on aggregated links``, then ``configuration check-out failed``;
* a ``vlan members`` name, or VLAN id, that no ``vlans`` entry defines.  NOT confirmed by a
  capture (none found with the search tool): the text below is modelled on Junos' commit-check
  layout and says so in its message ("referenced vlan ... is not defined");
* classic VLAN syntax on ELS (``port-mode``) or ELS syntax on classic (``interface-mode``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol
from xml.sax.saxutils import escape

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


@dataclass(frozen=True, slots=True)
class CommitError:
    """One commit-check refusal: where, the offending element, Junos' message."""

    path: str  # "edit interfaces ge-0/0/10" (without brackets)
    element: str  # "unit 0"
    message: str
    daemon: str = "dcd"

    def text(self) -> str:
        """The CLI form of the error block."""
        return f"[{self.path}]\n  '{self.element}'\n    {self.message}\n"


def _ae_number(name: str | None) -> int | None:
    m = re.fullmatch(r"ae(\d+)", name or "")
    return int(m.group(1)) if m else None


def check_config(config: Config, vlan_style: str) -> list[CommitError]:
    """Commit-check errors (empty when the configuration commits)."""
    errors: list[CommitError] = []
    count = int(config.value("chassis", "aggregated-devices", "ethernet", "device-count") or 0)
    exceeded = "{0}: device-count exceeded (aggregated-devices ethernet device-count {1})"
    for ifname in config.names("interfaces"):
        for opts in ("ether-options", "gigether-options"):
            ae = config.value("interfaces", ifname, opts, "802.3ad")
            if ae is None:
                continue
            number = _ae_number(ae)
            if number is not None and number >= count:
                errors.append(CommitError(f"edit interfaces {ifname} {opts} 802.3ad", ae,
                                          exceeded.format(ae, count)))
            units = [n for n in config.names("interfaces", ifname) if n.startswith("unit ")]
            if units:
                errors.append(CommitError(f"edit interfaces {ifname}", units[0],
                                          "logical unit is not allowed on aggregated links"))
        number = _ae_number(ifname)
        if number is not None and number >= count:
            errors.append(CommitError("edit interfaces", ifname, exceeded.format(ifname, count)))
        errors.extend(_vlan_style_errors(config, ifname, vlan_style))
        errors.extend(_vlan_reference_errors(config, ifname))
    return errors


def _vlan_style_errors(config: Config, ifname: str, vlan_style: str) -> list[CommitError]:
    wrong, right = ("port-mode", "interface-mode") if vlan_style == "els" else (
        "interface-mode", "port-mode")
    out = []
    for unit in config.names("interfaces", ifname):
        keys = ("interfaces", ifname, unit, "family", "ethernet-switching", wrong)
        if unit.startswith("unit ") and config.get(*keys) is not None:
            style = "ELS" if vlan_style == "els" else "non-ELS"
            out.append(CommitError(
                f"edit interfaces {ifname} {unit} family ethernet-switching", wrong,
                f"{wrong} is not supported on this platform ({style}); use {right}"))
    return out


def _vlan_ids(config: Config) -> dict[str, str]:
    """VLAN name -> its vlan-id ("" when it has none)."""
    return {name: config.value("vlans", name, "vlan-id") or "" for name in config.names("vlans")}


def _vlan_defined(value: str, vlans: dict[str, str]) -> bool:
    """``vlan members`` takes VLAN names, VLAN ids (of a defined VLAN), ranges, or ``all``."""
    if value == "all" or value in vlans:
        return True
    ids = {int(v) for v in vlans.values() if v.isdigit()}
    m = re.fullmatch(r"(\d+)(?:-(\d+))?", value)
    if m is None:
        return False
    low, high = int(m.group(1)), int(m.group(2) or m.group(1))
    return all(i in ids for i in range(low, high + 1))


def _vlan_reference_errors(config: Config, ifname: str) -> list[CommitError]:
    """A VLAN a port refers to must be defined under ``vlans`` (modelled wording, see above)."""
    vlans = _vlan_ids(config)
    out = []
    for unit in config.names("interfaces", ifname):
        members = config.get("interfaces", ifname, unit, "family", "ethernet-switching", "vlan",
                             "members")
        for value in members.values if members is not None else ():
            if not _vlan_defined(value, vlans):
                out.append(CommitError(
                    f"edit interfaces {ifname} {unit} family ethernet-switching vlan",
                    f"members {value}",
                    f"referenced vlan {value} is not defined under [edit vlans]", "l2ald"))
    return out


def errors_text(errors: list[CommitError]) -> str:
    """The CLI text of a refused commit."""
    return "".join(e.text() for e in errors) + CHECKOUT_FAILED


def errors_xml(errors: list[CommitError]) -> str:
    """The NETCONF ``<rpc-error>`` elements of a refused commit ("" when none): one per error,
    then ``configuration check-out failed`` (shape of the OESS capture cited above)."""
    if not errors:
        return ""
    blocks = [
        "<rpc-error>\n<error-type>protocol</error-type>\n<error-tag>operation-failed</error-tag>"
        f"\n<error-severity>error</error-severity>\n<source-daemon>{e.daemon}</source-daemon>\n"
        f"<error-path>[{escape(e.path)}]</error-path>\n<error-info>\n"
        f"<bad-element>{escape(e.element)}</bad-element>\n</error-info>\n"
        f"<error-message>{escape(e.message)}</error-message>\n</rpc-error>"
        for e in errors
    ]
    blocks.append("<rpc-error>\n<error-type>protocol</error-type>\n<error-tag>operation-failed"
                  "</error-tag>\n<error-severity>error</error-severity>\n<error-message>"
                  "configuration check-out failed</error-message>\n</rpc-error>")
    return "\n".join(blocks)


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
        self.last_errors: list[CommitError] = []  # of the last refused commit (NETCONF)

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
        self.last_errors = []
        locked = self.lock_error(owner)
        if locked is not None:
            return False, f"error: {locked}\n"
        errors = check_config(self.candidate, self.vlan_style)
        self.last_errors = errors
        if errors:
            return False, errors_text(errors)
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
