"""Device sessions: the only code that calls NAPALM and Netmiko methods.

Every library exception is wrapped here into ``lagprov.errors`` (``raise ... from exc``);
nothing above this module imports Netmiko or NAPALM exception types.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from lagprov.errors import (
    AuthError,
    CommandError,
    CommitError,
    ConnectError,
    LagprovError,
    TransportError,
    TransportTimeout,
)

T = TypeVar("T")

# What Netmiko-driven platforms print when they refuse a line.
_REJECTED = re.compile(
    r"% ?Invalid|% ?Incomplete|% ?Ambiguous|syntax error|^error:|% ?Error|unknown command",
    re.IGNORECASE | re.MULTILINE,
)


def wrap_errors(call: Callable[[], T], what: str) -> T:
    """Run ``call``; turn any library exception into a lagprov error naming ``what``."""
    try:
        return call()
    except LagprovError:
        raise
    except Exception as exc:
        raise classify(exc, what) from exc


def classify(exc: BaseException, what: str) -> TransportError:
    """Map a Netmiko / NAPALM / paramiko / socket exception to a lagprov error."""
    name = type(exc).__name__
    msg = str(exc)
    text = f"{what}: {name}: {msg}".strip()
    if "Authentication" in name or ("auth" in msg.lower() and "fail" in msg.lower()):
        return AuthError(f"{what}: authentication failed")
    unreachable = ("refused", "tcp connection to device failed", "unable to connect",
                   "no route to host", "connection reset", "socket is closed")
    if isinstance(exc, ConnectionRefusedError) or "Refused" in name or any(
            u in msg.lower() for u in unreachable):
        return ConnectError(f"{what}: device unreachable ({name}: {msg.strip()[:160]})")
    if isinstance(exc, socket.timeout | TimeoutError) or "Timeout" in name:
        return TransportTimeout(text)
    if "Lock" in name or "locked" in msg.lower():
        return CommitError(text)
    if "Merge" in name or "Replace" in name or "CommandError" in name or "ConfigLoad" in name:
        return CommandError(text)
    if "Commit" in name:
        return CommitError(text)
    if isinstance(exc, OSError | EOFError) or "Connect" in name or "SSH" in name:
        return ConnectError(text)
    return TransportError(text)


class NapalmSession:
    """NAPALM ios / eos / junos: merge candidate, device diff, commit, rollback."""

    def __init__(self, driver: Any, device: str, *, atomic_commit: bool = True) -> None:
        self.driver = driver
        self.device = device
        self.atomic_commit = atomic_commit
        self.native_rollback = True
        self._loaded = False

    def run(self, command: str) -> str:
        out = wrap_errors(lambda: self.driver.cli([command]), f"{self.device} '{command}'")
        return str(out[command])

    def load(self, lines: Sequence[str]) -> str | None:
        config = "\n".join(lines) + "\n"
        wrap_errors(lambda: self.driver.load_merge_candidate(config=config),
                    f"{self.device} load candidate")
        self._loaded = True
        diff = wrap_errors(self.driver.compare_config, f"{self.device} compare")
        return str(diff) if diff else None

    def commit(self, *, confirm_seconds: int | None = None) -> None:
        if confirm_seconds:
            wrap_errors(lambda: self.driver.commit_config(revert_in=confirm_seconds),
                        f"{self.device} commit confirmed")
        else:
            wrap_errors(self.driver.commit_config, f"{self.device} commit")
        self._loaded = False

    def confirm(self) -> None:
        if wrap_errors(self.driver.has_pending_commit, f"{self.device} pending commit"):
            wrap_errors(self.driver.confirm_commit, f"{self.device} confirm commit")

    def discard(self, *, force: bool = False) -> None:
        if self._loaded or force:
            wrap_errors(self.driver.discard_config, f"{self.device} discard")
            self._loaded = False

    def rollback(self, reverse: Sequence[str]) -> None:  # noqa: ARG002 - NAPALM knows how
        wrap_errors(self.driver.rollback, f"{self.device} rollback")


class NetmikoSession:
    """Netmiko: lines pushed in config mode and saved; rollback is the generated reverse plan."""

    def __init__(self, conn: Any, device: str, *, junos: bool = False,
                 timeout_s: int = 30) -> None:
        self.conn = conn
        self.device = device
        self.junos = junos
        self.timeout_s = timeout_s
        self.atomic_commit = junos
        self.native_rollback = False
        self._pending: tuple[str, ...] = ()

    def run(self, command: str) -> str:
        return str(self._call(lambda: self.conn.send_command(command,
                                                             read_timeout=self.timeout_s),
                              f"{self.device} '{command}'"))

    def _call(self, call: Callable[[], T], what: str) -> T:
        """``wrap_errors``, naming a session the device closed (Netmiko only sees a timeout)."""
        try:
            return wrap_errors(call, what)
        except TransportTimeout as exc:
            if self._closed():
                raise ConnectError(f"{what}: the device closed the session") from exc
            raise

    def _closed(self) -> bool:
        channel = getattr(self.conn, "remote_conn", None)
        return bool(getattr(channel, "closed", False))

    def load(self, lines: Sequence[str]) -> str | None:
        self._pending = tuple(lines)
        return None

    def _send(self, lines: Sequence[str]) -> None:
        if not lines:
            return
        out = str(self._call(
            lambda: self.conn.send_config_set(list(lines), exit_config_mode=not self.junos,
                                              read_timeout=self.timeout_s),
            f"{self.device} config push"))
        bad = _REJECTED.search(out)
        if bad:
            line = out[max(0, bad.start() - 120): bad.end() + 60].strip()
            raise CommandError(f"{self.device} rejected a command: {line}")

    def commit(self, *, confirm_seconds: int | None = None) -> None:
        self._send(self._pending)
        if self.junos:
            minutes = max(1, confirm_seconds // 60) if confirm_seconds else None
            out = str(wrap_errors(
                lambda: self.conn.commit(confirm=minutes is not None, confirm_delay=minutes,
                                         and_quit=True),
                f"{self.device} commit"))
            if "error" in out.lower():
                raise CommitError(f"{self.device} commit failed: {out.strip()[:200]}")
        else:
            wrap_errors(self.conn.save_config, f"{self.device} save")
        self._pending = ()

    def confirm(self) -> None:
        if self.junos:
            wrap_errors(lambda: self.conn.commit(and_quit=True), f"{self.device} confirm")

    def discard(self, *, force: bool = False) -> None:
        self._pending = ()
        if force and self.junos:
            wrap_errors(lambda: self.conn.send_config_set(["rollback 0"], exit_config_mode=True),
                        f"{self.device} discard")

    def rollback(self, reverse: Sequence[str]) -> None:
        self._pending = tuple(reverse)
        self.commit()
