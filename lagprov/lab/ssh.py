"""The lab's generic SSH server: login, echo, line handling, prompts, SCP/SFTP, subsystems, exec.

What it does on the wire, as real switches do:

* Password authentication against ``users`` (``Faults.auth_fail`` refuses every login).
* ``line_editor=False``: the server echoes each received line itself, then ``\\r\\n``, then the
  reply of the :class:`~lagprov.lab.base.CliSession` and its prompt.  Lines end with ``\\n``,
  ``\\r`` or ``\\r\\n`` (Netmiko sends ``\\n``); every output line is written with ``\\r\\n``.
  NUL bytes (NAPALM ``is_alive``) are ignored.  A line typed while the prompt ends with
  ``assword:`` is not echoed (enable secrets).
* ``Faults.latency_s`` is slept before every reply (after the echo).
* ``Faults.down`` (the device is off) cuts every connection: a new one right after it is
  accepted, an open CLI session at its next line, without a reply (as a crashed device's
  sessions end); ``Faults.die_after`` sets ``down`` once a CLI line containing that text has
  been handled (a crash mid-push; the line took effect, its reply never came), and
  ``Faults.die_before`` as such a line arrives (it never takes effect).
* ``Faults.stopped`` (a hung device, set by ``Faults.stop_after`` once such a line took
  effect): nothing is answered, the connection stays open; a new session logs in but never
  gets its prompt.  Clearing it is the restart: every session it held is then cut.
* ``Faults.drop_after_config_lines`` is enforced by the platform CLI, which alone knows what a
  configuration line is: it counts the configuration lines of the session and returns
  ``CliReply(close=True)`` once the limit is reached; this server then closes the channel
  without printing a prompt, as a dropped connection looks to the client.  The fault then
  clears itself (one drop), so the client's next session (a restore) gets through.
* ``scp_root`` enables ``scp -t/-f`` exec requests and the ``sftp`` subsystem, rooted in that
  folder; ``flash:/x`` (also ``bootflash:``, ``disk0:``) maps to ``scp_root/x``.
* ``subsystems`` maps a subsystem name (``netconf``) to a factory called once per channel; it
  returns either an :class:`asyncssh.SSHServerSession` (bytes; fed by a bridge) or a callable
  taking the :class:`asyncssh.SSHServerProcess` (bytes streams) and returning ``None`` or an
  awaitable that runs the subsystem until it is done.
* ``exec_handler(username, command)`` answers other exec requests: the output (exit status 0)
  or ``(stdout, stderr, exit status)``.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import asyncssh

from lagprov.lab.base import CliSession, Faults

SessionFactory = Callable[[str], CliSession]
ExecHandler = Callable[[str, str], str | tuple[str, str, int]]
_FLASH_PREFIXES = (b"flash:", b"bootflash:", b"disk0:", b"nvram:")

_host_key: asyncssh.SSHKey | None = None


def host_key() -> asyncssh.SSHKey:
    """The lab's SSH host key, generated once per process."""
    global _host_key
    if _host_key is None:
        _host_key = asyncssh.generate_private_key("ssh-ed25519")
    return _host_key


def crlf(text: str) -> str:
    """``text`` with every line ending written as ``\\r\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


class LineSplitter:
    """Splits a byte stream into lines; ``\\r``, ``\\n`` and ``\\r\\n`` end a line, NUL is dropped.

    >>> s = LineSplitter()
    >>> list(s.feed(b"show ver\\r\\nterm"))
    ['show ver']
    >>> list(s.feed(b"inal length 0\\n\\x00"))
    ['terminal length 0']
    """

    def __init__(self) -> None:
        self._buf = bytearray()
        self._after_cr = False

    def feed(self, data: bytes) -> Iterator[str]:
        """Complete lines found in ``data`` (decoded as UTF-8)."""
        for byte in data:
            if byte == 0:
                continue
            if byte == 0x0A and self._after_cr:
                self._after_cr = False
                continue
            self._after_cr = byte == 0x0D
            if byte in (0x0A, 0x0D):
                line = self._buf.decode("utf-8", errors="replace")
                self._buf.clear()
                yield line
            else:
                self._buf.append(byte)


class _LabSSHServer(asyncssh.SSHServer):
    def __init__(self, users: Mapping[str, str], faults: Faults | None) -> None:
        self._users = users
        self._faults = faults

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        if self._faults is not None:
            sockname = conn.get_extra_info("sockname")
            self._faults.accepted.count(int(sockname[1]) if sockname else 0)
        if self._faults is not None and self._faults.down:
            asyncio.get_running_loop().call_soon(conn.abort)

    def begin_auth(self, _username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        if self._faults is not None and self._faults.auth_fail:
            return False
        return username in self._users and self._users[username] == password


class _FlashSFTPServer(asyncssh.SFTPServer):
    """SFTP/SCP rooted in a folder; device file-system prefixes map to its root."""

    def map_path(self, path: bytes) -> bytes:
        for prefix in _FLASH_PREFIXES:
            if path.startswith(prefix):
                path = path[len(prefix):]
                break
        return super().map_path(path)


def _write(process: asyncssh.SSHServerProcess[bytes], text: str) -> None:
    if text and not process.channel.is_closing():
        process.stdout.write(crlf(text).encode("utf-8"))


async def _cut(process: asyncssh.SSHServerProcess[bytes], faults: Faults) -> None:
    """End a session of a device that died (at once) or stopped (unanswered until it
    restarts, or the client gives up)."""
    while faults.stopped and not faults.down and not process.channel.is_closing():
        await asyncio.sleep(0.05)
    process.channel.get_connection().abort()


async def _run_cli(process: asyncssh.SSHServerProcess[bytes], cli: CliSession,
                   faults: Faults | None) -> None:
    if faults is not None and faults.stopped:  # a hung device never prompts
        await _cut(process, faults)
        return
    _write(process, cli.banner())
    _write(process, cli.prompt())
    splitter = LineSplitter()
    while not process.stdin.at_eof():
        try:
            data = await process.stdin.read(4096)
        except (asyncssh.BreakReceived, asyncssh.SignalReceived, asyncssh.TerminalSizeChanged):
            continue
        if not data:
            break
        for line in splitter.feed(data):
            if faults is not None and faults.trip(line, handled=False):
                await _cut(process, faults)
                return
            secret = cli.prompt().rstrip().endswith("assword:")
            _write(process, ("" if secret else line) + "\n")
            if faults is not None and faults.latency_s > 0:
                await asyncio.sleep(faults.latency_s)
            reply = cli.handle(line)
            if faults is not None and faults.trip(line, handled=True):
                await _cut(process, faults)
                return
            _write(process, reply.output)
            if reply.close:
                process.exit(0)
                return
            _write(process, cli.prompt())
    process.exit(0)


async def _bridge_session(process: asyncssh.SSHServerProcess[bytes],
                          session: asyncssh.SSHServerSession[bytes]) -> None:
    session.connection_made(process.channel)
    session.session_started()
    while True:
        data = await process.stdin.read(65536)
        if not data:
            break
        session.data_received(data, None)
    session.eof_received()
    session.connection_lost(None)


async def _run_subsystem(process: asyncssh.SSHServerProcess[bytes],
                         factory: Callable[[], object]) -> None:
    handler = factory()
    if isinstance(handler, asyncssh.SSHServerSession):
        await _bridge_session(process, handler)
    elif callable(handler):
        result = handler(process)
        if inspect.isawaitable(result):
            await result
    if not process.channel.is_closing():
        process.exit(0)


def _process_factory(session_factory: SessionFactory, faults: Faults | None,
                     subsystems: Mapping[str, Callable[[], object]],
                     exec_handler: ExecHandler | None,
                     ) -> Callable[[asyncssh.SSHServerProcess[bytes]], object]:
    async def handle(process: asyncssh.SSHServerProcess[bytes]) -> None:
        username = str(process.get_extra_info("username") or "")
        try:
            if process.subsystem:
                factory = subsystems.get(process.subsystem)
                if factory is None:
                    process.stderr.write(f"unknown subsystem {process.subsystem}\n".encode())
                    process.exit(1)
                    return
                await _run_subsystem(process, factory)
            elif process.command:
                if exec_handler is None:
                    process.stderr.write(b"exec requests are not supported\n")
                    process.exit(1)
                    return
                answer = exec_handler(username, process.command)
                out, err, status = (answer, "", 0) if isinstance(answer, str) else answer
                _write(process, out)
                if err and not process.channel.is_closing():
                    process.stderr.write(crlf(err).encode("utf-8"))
                process.exit(status)
            else:
                await _run_cli(process, session_factory(username), faults)
        except (asyncssh.Error, ConnectionError, BrokenPipeError):
            process.close()

    return handle


async def start_ssh_server(
    *,
    address: str,
    port: int,
    users: Mapping[str, str],
    session_factory: Callable[[str], CliSession],
    faults: Faults | None = None,
    subsystems: Mapping[str, Callable[[], object]] | None = None,
    scp_root: Path | None = None,
    exec_handler: ExecHandler | None = None,
) -> asyncssh.SSHAcceptor:
    """Serve an interactive CLI (and optional SCP/SFTP, subsystems, exec) on ``address:port``.

    ``port=0`` picks a free port: read it back with ``acceptor.get_port()``.  ``faults`` is read
    at every login/line, so tests may mutate it while the server runs.  Close with
    ``acceptor.close()`` (and ``await acceptor.wait_closed()``).
    """
    sftp_factory: Callable[[asyncssh.SSHServerChannel[bytes]], asyncssh.SFTPServer] | None = None
    if scp_root is not None:
        root = Path(scp_root)
        root.mkdir(parents=True, exist_ok=True)
        chroot = str(root.resolve()).encode()

        def sftp_factory(chan: asyncssh.SSHServerChannel[bytes]) -> asyncssh.SFTPServer:
            return _FlashSFTPServer(chan, chroot=chroot)

    return await asyncssh.create_server(
        lambda: _LabSSHServer(users, faults),
        address,
        port,
        server_host_keys=[host_key()],
        process_factory=_process_factory(session_factory, faults, subsystems or {},
                                         exec_handler),
        sftp_factory=sftp_factory,
        allow_scp=scp_root is not None,
        line_editor=False,
        encoding=None,
        keepalive_interval=0,
        reuse_address=True,
    )
