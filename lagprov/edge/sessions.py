"""Device sessions: the only code that calls NAPALM and Netmiko methods.

Every library exception is wrapped here into ``lagprov.errors`` (``raise ... from exc``);
nothing above this module imports Netmiko or NAPALM exception types.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from lagprov.errors import (
    AuthError,
    CommandError,
    CommitError,
    ConnectError,
    Interrupted,
    LagprovError,
    TransportError,
    TransportTimeout,
)

T = TypeVar("T")
Sent = Callable[[Sequence[str]], None]  # told the configuration lines the device confirmed

# What Netmiko-driven platforms print when they refuse a line.  IOS refuses a channel-group
# mode that mixes protocols in one group without a '%': "Command rejected (Port-channel3,
# Gi2/0/20): Invalid etherchnl mode" (a Catalyst 3750G capture, danghai1996/Ghichep_CaNhan
# switch/etherchannel.md).
# What a CLI prints when it refuses a line.  Besides the IOS/EOS/Junos words, an Aricent ISS
# CLI (Supermicro SMIS) answers a refused line with "% <reason>" ("% Port-channel module is
# disabled"); a "% " line that is a warning or a note is not a refusal, and IOS syslog lines
# ("%LINK-3-UPDOWN") have no space after the '%'.
_REJECTED = re.compile(
    r"% ?Invalid|% ?Incomplete|% ?Ambiguous|syntax error|^error:|% ?Error|unknown command"
    r"|^Command rejected|^% (?!Warning|Note|Info)",
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


def no_delay_on(conn: Any) -> None:
    """``TCP_NODELAY`` on the TCP socket under a Netmiko connection (or the one a NAPALM
    driver holds), so that small writes never wait for the peer's delayed ACK.  Timing only:
    nothing sent changes.  Best effort: a connection without such a socket is left alone."""
    netmiko = getattr(conn, "device", conn)  # NAPALM ios keeps its Netmiko connection there
    channel = getattr(netmiko, "remote_conn", None)
    transport = getattr(channel, "get_transport", lambda: None)()
    tcp_no_delay(getattr(transport, "sock", None))


def tcp_no_delay(sock: object) -> None:
    """``TCP_NODELAY`` on ``sock`` when it is an open TCP socket (not a proxy channel)."""
    if isinstance(sock, socket.socket) and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):  # already closed: the session fails on its own
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


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
        no_delay_on(driver)
        self.native_rollback = True
        self.on_sent: Sent | None = None
        self._loaded: tuple[str, ...] = ()

    def run(self, command: str) -> str:
        out = wrap_errors(lambda: self.driver.cli([command]), f"{self.device} '{command}'")
        return str(out[command])

    @property
    def batches(self) -> bool:
        """True where one request can carry many show commands: NAPALM ``eos`` over eAPI,
        whose pyeapi ``Node.run_commands`` sends a list as ONE ``runCmds``.  NAPALM's own
        ``cli`` sends one ``runCmds`` per command (napalm 5.2 ``EOSDriver.cli`` loops over
        ``_run_commands([command])``); over ``transport: ssh`` it is Netmiko, one at a time."""
        d = self.driver
        return (getattr(d, "platform", None) == "eos" and getattr(d, "transport", "ssh") != "ssh"
                and callable(getattr(getattr(d, "device", None), "run_commands", None)))

    def run_many(self, commands: Sequence[str]) -> dict[str, str]:
        """The text outputs of ``commands`` from ONE eAPI ``runCmds`` request, in order (only
        where :attr:`batches`; sent as NAPALM's ``cli`` sends one: text, ``send_enable``).

        eAPI stops at the first command that fails and answers a JSON-RPC error whose ``data``
        holds the results before it, then ``{"errors": [...]}`` (pyeapi ``CommandError.output``,
        ``enable`` first when sent): the outputs returned then stop short of that command, and
        :meth:`run` of it gives its error exactly as a read one command at a time does.  A
        failure with no answer (the connection lost, a timeout) raises, naming every command.
        """
        from pyeapi.eapilib import CommandError as EapiCommandError

        cmds = [str(c) for c in commands]
        send_enable = bool(getattr(self.driver, "send_enable", True))
        what = f"{self.device} " + ", ".join(f"'{c}'" for c in cmds) + " (one eAPI request)"
        try:
            results = self.driver.device.run_commands(cmds, encoding="text",
                                                      send_enable=send_enable)
        except EapiCommandError as exc:  # the commands before the failing one ran
            done = [r for r in exc.output or () if isinstance(r, dict) and "errors" not in r]
            results = done[1:] if send_enable else done  # pyeapi keeps enable's result here
        except Exception as exc:
            raise classify(exc, what) from exc
        out: dict[str, str] = {}
        for command, result in zip(cmds, results, strict=False):
            if not isinstance(result, dict) or "output" not in result:
                break  # not a text answer: left to run(), which reports it as NAPALM does
            out[command] = str(result["output"])
        return out

    def load(self, lines: Sequence[str]) -> str | None:
        config = "\n".join(lines) + "\n"
        wrap_errors(lambda: self.driver.load_merge_candidate(config=config),
                    f"{self.device} load candidate")
        self._loaded = tuple(lines)
        diff = wrap_errors(self.driver.compare_config, f"{self.device} compare")
        return str(diff) if diff else None

    def commit(self, *, confirm_seconds: int | None = None) -> None:
        # The device holds the whole candidate: from the commit on, every line counts as sent
        # (NAPALM ios copies it into the running config line by line).
        sent = self.on_sent
        if sent is not None and self._loaded:
            sent(self._loaded)  # at once: the journal records them in one save
        if confirm_seconds:
            wrap_errors(lambda: self.driver.commit_config(revert_in=confirm_seconds),
                        f"{self.device} commit confirmed")
        else:
            wrap_errors(self.driver.commit_config, f"{self.device} commit")
        self._loaded = ()

    def confirm(self) -> None:
        if wrap_errors(self.driver.has_pending_commit, f"{self.device} pending commit"):
            wrap_errors(self.driver.confirm_commit, f"{self.device} confirm commit")

    def discard(self, *, force: bool = False) -> None:
        if self._loaded or force:
            wrap_errors(self.driver.discard_config, f"{self.device} discard")
            self._loaded = ()

    def rollback(self, reverse: Sequence[str]) -> None:  # noqa: ARG002 - NAPALM knows how
        wrap_errors(self.driver.rollback, f"{self.device} rollback")


class NetmikoSession:
    """Netmiko: lines pushed in config mode and saved; rollback is the generated reverse plan."""

    def __init__(self, conn: Any, device: str, *, junos: bool = False,
                 timeout_s: int = 30) -> None:
        self.conn = conn
        self.device = device
        self.junos = junos
        no_delay_on(conn)
        self.timeout_s = timeout_s
        self.atomic_commit = junos
        self.native_rollback = False
        self.on_sent: Sent | None = None
        self.abort: threading.Event | None = None  # set: a push stops before its next line
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

    def _send(self, lines: Sequence[str], *, abortable: bool = False) -> None:
        """Push ``lines`` one at a time, each confirmed (echo and prompt) before the next, so
        that what a dropped session or an abort leaves is known line by line; stop at the
        first refused line (config mode left, so the restore can read the device).  Only a
        forward push (``abortable``) reports its lines to ``on_sent``; a restore never stops."""
        for i, line in enumerate(lines):
            if abortable and self.abort is not None and self.abort.is_set():
                self._leave_config(i)
                raise Interrupted(f"{self.device}: interrupted (Ctrl-C twice): stopped after "
                                  f"{i} of {len(lines)} lines")
            last = i == len(lines) - 1
            out = str(self._call(self._pusher(line, first=i == 0, last=last),
                                 f"{self.device} config push"))
            if abortable and self.on_sent is not None:  # a forward push, not a restore
                self.on_sent((line,))
            bad = _REJECTED.search(out)
            if bad:
                self._leave_config(i + 1 if not last else 0)
                text = out[max(0, bad.start() - 120): bad.end() + 60].strip()
                raise CommandError(f"{self.device} rejected a command: {text}")

    def _pusher(self, line: str, *, first: bool, last: bool) -> Callable[[], object]:
        """Send one configuration line (config mode entered first, left last; not Junos)."""
        return lambda: self.conn.send_config_set(
            [line], enter_config_mode=first, exit_config_mode=last and not self.junos,
            read_timeout=self.timeout_s)

    def _leave_config(self, sent: int) -> None:
        """Back to exec mode after ``sent`` lines of a push that stops early (not Junos)."""
        if sent and not self.junos:
            wrap_errors(self.conn.exit_config_mode, f"{self.device} leave config mode")

    def commit(self, *, confirm_seconds: int | None = None, abortable: bool = True) -> None:
        self._send(self._pending, abortable=abortable)
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
        self.commit(abortable=False)  # a restore is never cut short
