"""Sessions to Windows and ESXi hosts: SSH exec requests (paramiko), WinRM (pypsrp).

* :class:`ExecSession` runs one command per SSH exec request on one connection, as OpenSSH on
  Windows Server and the ESXi Shell take them; a non-zero exit status is a
  :class:`~lagprov.errors.CommandError` carrying the host's stderr.
* :class:`WinRMSession` runs a PowerShell script through PowerShell Remoting (pypsrp's
  ``Client.execute_ps``); a script that wrote to the error stream is a ``CommandError``.
* :func:`host_credentials`: a host group's own credentials from the environment,
  ``LAGPROV_<GROUP>_USERNAME`` / ``LAGPROV_<GROUP>_PASSWORD`` (group upper-cased, ``-`` as
  ``_``), each overriding the run's ``LAGPROV_USERNAME`` / ``LAGPROV_PASSWORD``; never files.

Library exceptions are wrapped (:func:`lagprov.edge.sessions.wrap_errors`).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from typing import Any, Protocol

from lagprov.edge.nornir_glue import Credentials
from lagprov.edge.sessions import wrap_errors
from lagprov.errors import CommandError


def group_env(group: str, what: str) -> str:
    """The environment variable of ``group``'s ``what`` (``USERNAME`` / ``PASSWORD``).

    >>> group_env("win-servers", "USERNAME")
    'LAGPROV_WIN_SERVERS_USERNAME'
    """
    return f"LAGPROV_{re.sub(r'[^A-Za-z0-9]', '_', group).upper()}_{what}"


def host_credentials(base: Credentials, group: str | None) -> Credentials:
    """``base`` with the group's own username / password where the environment sets them."""
    if not group:
        return base
    user = os.environ.get(group_env(group, "USERNAME")) or base.username
    password = os.environ.get(group_env(group, "PASSWORD")) or base.password
    return Credentials(user, password, base.secret)


class ExecSession:
    """One SSH connection; each :meth:`run` is one exec request."""

    def __init__(self, name: str, address: str, port: int, creds: Credentials,
                 timeout_s: float) -> None:
        import paramiko

        self.name, self.timeout_s = name, timeout_s
        client = paramiko.SSHClient()
        # as the Netmiko sessions of the Linux hosts and switches: host keys are not pinned
        client.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # noqa: S507
        wrap_errors(lambda: client.connect(
            address, port=port, username=creds.username, password=creds.password,
            timeout=timeout_s, auth_timeout=timeout_s, banner_timeout=timeout_s,
            look_for_keys=False, allow_agent=False), f"{name} connect (ssh)")
        self._client = client

    def run(self, command: str, what: str | None = None) -> str:
        """The command's stdout (CommandError: non-zero exit status, with its stderr)."""
        label = f"{self.name} '{what or command[:60]}'"

        def call() -> tuple[str, str, int]:
            _, stdout, stderr = self._client.exec_command(command, timeout=self.timeout_s)
            out = stdout.read().decode("utf-8", errors="replace")
            err = stderr.read().decode("utf-8", errors="replace")
            return out, err, stdout.channel.recv_exit_status()

        out, err, status = wrap_errors(call, label)
        if status != 0:
            raise CommandError(f"{label}: exit status {status}: {err.strip()[:300]}")
        return out.replace("\r\n", "\n")

    def close(self) -> None:
        with contextlib.suppress(Exception):  # a dead session cannot be closed twice
            self._client.close()


class PsrpClient(Protocol):
    """The part of ``pypsrp.client.Client`` used here."""

    def execute_ps(self, script: str) -> tuple[str, Any, bool]: ...


def _pypsrp_client(address: str, port: int, creds: Credentials, timeout_s: float) -> PsrpClient:
    from pypsrp.client import Client

    seconds = max(1, int(timeout_s))
    # HTTPS on 5986 (certificates checked); HTTP on 5985 with Negotiate, whose message
    # encryption pypsrp turns on by itself (encryption="auto")
    client: PsrpClient = Client(
        address, port=port, username=creds.username, password=creds.password,
        ssl=port == 5986, auth="negotiate", connection_timeout=seconds,
        operation_timeout=seconds, read_timeout=seconds + 10)
    return client


class WinRMSession:
    """PowerShell Remoting over WinRM (5985 http, 5986 https) with pypsrp.

    ``client_factory`` is the boundary tests replace (pypsrp's ``Client`` by default).
    """

    def __init__(self, name: str, address: str, port: int, creds: Credentials,
                 timeout_s: float,
                 client_factory: Callable[[str, int, Credentials, float], PsrpClient]
                 | None = None) -> None:
        self.name = name
        factory = client_factory or _pypsrp_client
        self._client = wrap_errors(lambda: factory(address, port, creds, timeout_s),
                                   f"{name} connect (winrm)")

    def run(self, script: str, what: str | None = None) -> str:
        """The script's output (CommandError: it wrote to the error stream)."""
        label = f"{self.name} '{what or script[:60]}'"
        output, streams, had_errors = wrap_errors(lambda: self._client.execute_ps(script),
                                                  f"{label} (winrm)")
        if had_errors:
            errors = getattr(streams, "error", None) or []
            raise CommandError(f"{label}: {'; '.join(str(e) for e in errors)[:300]}")
        return str(output)

    def close(self) -> None:
        """Nothing to close: pypsrp opens and closes a runspace per ``execute_ps``."""
