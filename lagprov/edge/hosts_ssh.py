"""Sessions to Windows and ESXi hosts: SSH exec requests (paramiko), WinRM / WinRS (pypsrp).

* :class:`ExecSession` runs one command per SSH exec request on one connection, as OpenSSH on
  Windows Server and the ESXi Shell take them; a non-zero exit status is a
  :class:`~lagprov.errors.CommandError` carrying the host's stderr.
* :class:`WinRMSession` runs command lines in a WinRS ``cmd`` shell over WinRM (pypsrp's
  ``WinRS`` / ``Process``, the layer under ``Client.execute_cmd``), as OpenSSH runs exec
  requests: a non-zero exit status is a ``CommandError`` with the stderr (PowerShell's CLIXML
  error records read as text, :func:`clixml_text`).
* :func:`host_credentials`: a host group's own credentials from the environment,
  ``LAGPROV_<GROUP>_USERNAME`` / ``LAGPROV_<GROUP>_PASSWORD`` (group upper-cased, ``-`` as
  ``_``), each overriding the run's ``LAGPROV_USERNAME`` / ``LAGPROV_PASSWORD``; never files.

Library exceptions are wrapped (:func:`lagprov.edge.sessions.wrap_errors`).
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import xml.etree.ElementTree as ET

from lagprov.edge.nornir_glue import Credentials
from lagprov.edge.sessions import tcp_no_delay, wrap_errors
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

        def connect() -> None:
            # TCP_NODELAY before the key exchange: paramiko's small writes otherwise wait
            # for the peer's delayed ACK (~90 ms per host, issue 15)
            sock = socket.create_connection((address, port), timeout=timeout_s)
            tcp_no_delay(sock)
            try:
                client.connect(address, port=port, username=creds.username,
                               password=creds.password, timeout=timeout_s,
                               auth_timeout=timeout_s, banner_timeout=timeout_s,
                               look_for_keys=False, allow_agent=False, sock=sock)
            except BaseException:
                sock.close()
                raise

        wrap_errors(connect, f"{name} connect (ssh)")
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
            raise CommandError(f"{label}: exit status {status}: "
                               f"{clixml_text(err).strip()[:300]}")
        return out.replace("\r\n", "\n")

    def close(self) -> None:
        with contextlib.suppress(Exception):  # a dead session cannot be closed twice
            self._client.close()


_CLIXML = "#< CLIXML"
_PS_NS = "{http://schemas.microsoft.com/powershell/2004/04}"
_XESC = re.compile(r"_x([0-9A-Fa-f]{4})_")


def clixml_text(stderr: str) -> str:
    """``stderr`` with PowerShell's CLIXML error records read as text.

    Windows PowerShell 5.1 writes its error stream to a redirected stderr (an OpenSSH exec
    request, a WinRS process) as ``#< CLIXML`` and an ``<Objs>`` document: each error line an
    ``<S S="Error">`` string with CR/LF escaped as ``_x000D__x000A_``; progress records
    (``<Obj S="progress">``) are no error and are dropped.  Text that is not CLIXML is kept.

    >>> clixml_text('#< CLIXML\\r\\n<Objs Version="1.1.0.1" '
    ...             'xmlns="http://schemas.microsoft.com/powershell/2004/04">'
    ...             '<S S="Error">Get-NetLbfoTeam : Access denied_x000D__x000A_</S></Objs>')
    'Get-NetLbfoTeam : Access denied\\r\\n'
    """
    head, marker, rest = stderr.partition(_CLIXML)
    if not marker or "<!DOCTYPE" in rest:  # CLIXML has no DTD: none is ever parsed
        return stderr
    try:
        root = ET.fromstring(rest.strip())  # noqa: S314 - no DTD (above), no entity expanded
    except ET.ParseError:
        return stderr
    lines = [_XESC.sub(lambda m: chr(int(m.group(1), 16)), s.text or "")
             for s in root.iter(f"{_PS_NS}S") if s.get("S") == "Error"]
    return head + "".join(lines)


WINRM_CODEPAGE = 65001
"""The WinRS shell's code page (``WINRS_CODEPAGE``): UTF-8, so no name is lost to the OEM
code page (437 on en-US) a shell gets by default."""


class WinRMSession:
    """A WinRS ``cmd`` shell over WinRM (HTTP 5985, HTTPS 5986 with certificates checked), with
    pypsrp's ``WinRS`` / ``Process``; each :meth:`run` is one process in that shell.

    The shell is opened at connect (so a refused login is a ``connect`` failure) and deleted at
    :meth:`close`.  ``auth``: pypsrp's ``negotiate`` (NTLM/Kerberos, with message encryption
    over HTTP), ``ntlm``, ``kerberos`` or ``basic`` (hosts.yaml ``data.winrm_auth``).  Basic has
    no message encryption: over HTTP the password and the answers cross the wire in clear, which
    the inventory allows only to a loopback address (the lab); use HTTPS elsewhere.
    """

    def __init__(self, name: str, address: str, port: int, creds: Credentials,
                 timeout_s: float, auth: str = "negotiate") -> None:
        from pypsrp.shell import WinRS
        from pypsrp.wsman import WSMan

        self.name = name
        seconds = max(1, int(timeout_s))
        self._wsman = WSMan(
            address, port=port, username=creds.username, password=creds.password,
            ssl=port == 5986, auth=auth, encryption="never" if auth == "basic" else "auto",
            connection_timeout=seconds, operation_timeout=seconds, read_timeout=seconds + 10)
        self._shell = WinRS(self._wsman, codepage=WINRM_CODEPAGE)
        try:
            wrap_errors(self._shell.open, f"{name} connect (winrm)")
        except Exception:
            self._wsman.close()
            raise

    def run(self, command: str, what: str | None = None) -> str:
        """The command's stdout (CommandError: non-zero exit status, with its stderr)."""
        from pypsrp.shell import Process, SignalCode

        label = f"{self.name} '{what or command[:60]}'"

        def call() -> tuple[bytes, bytes, int | None]:
            process = Process(self._shell, command)
            process.invoke()
            process.signal(SignalCode.CTRL_C)  # as pypsrp's execute_cmd: the command is done
            return process.stdout, process.stderr, process.rc

        out, err, rc = wrap_errors(call, f"{label} (winrm)")
        if rc != 0:
            text = err.decode("utf-8", errors="replace")
            raise CommandError(f"{label}: exit status {rc}: {clixml_text(text).strip()[:300]}")
        return out.decode("utf-8", errors="replace").replace("\r\n", "\n")

    def close(self) -> None:
        with contextlib.suppress(Exception):  # a dead shell cannot be deleted
            self._shell.close()
        with contextlib.suppress(Exception):
            self._wsman.close()
