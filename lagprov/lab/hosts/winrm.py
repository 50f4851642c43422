"""WinRM of a simulated Windows host: the WinRS ``cmd`` shell over WS-Management (HTTP, Basic).

What a WinRS client (pypsrp's ``WinRS`` / ``Process``, pywinrm) sends to ``POST /wsman`` and
what it expects back, as in the exchanges recorded against Windows Server in pypsrp's test
suite (``tests/responses/test_winrs_standard.yml``, ``test_winrs_unicode.yml``,
``test_winrs_bad_cmd_id.yml``; read in place): SOAP 1.2 envelopes whose ``wsa:Action`` is

* ``transfer/Create`` on ``.../windows/shell/cmd`` (options ``WINRS_CODEPAGE``,
  ``WINRS_NOPROFILE``): ``x:ResourceCreated`` with the ``ShellId`` selector and ``rsp:Shell``;
* ``shell/Command`` (``rsp:CommandLine``: ``rsp:Command`` and ``rsp:Arguments``):
  ``rsp:CommandResponse/rsp:CommandId``.  The command line is answered by the same code as an
  OpenSSH exec request (:func:`.remote.windows_exec`): the one
  ``powershell.exe -NoProfile -NonInteractive -EncodedCommand <base64 UTF-16LE>`` read, whose
  script runs in the PowerShell emulation of :mod:`.powershell`; anything else is refused there
  (exit status 1, an error on stderr, recorded on the host).  PowerShell's error text reaches
  stderr as CLIXML (``#< CLIXML`` and ``<S S="Error">`` lines), as Windows PowerShell 5.1 writes
  its error stream to a redirected stderr;
* ``shell/Receive``: ``rsp:ReceiveResponse`` with base64 ``rsp:Stream`` chunks of stdout and
  stderr (CRLF line ends, encoded in the shell's code page: 65001 UTF-8, else 437), an empty
  ``End="true"`` stream of each, and ``rsp:CommandState`` ``Done`` with the ``rsp:ExitCode``;
* ``shell/Signal`` (``ctrl_c`` / ``Terminate``): ``rsp:SignalResponse``, the command is gone;
* ``transfer/Delete``: an empty body, the shell is gone.

A shell or command id the host does not have is the recorded fault (HTTP 500,
``w:InvalidSelectors``, WSManFault code 2150858843).  Modelled, no capture: the fault texts for
a resource URI other than the cmd shell (PowerShell Remoting is not served), an unsupported
action, and the per-user shell quota (MaxShellsPerUser, 30 by default).  Authentication is HTTP
Basic only (a wrong password, or the ``auth_fail`` fault: 401); there is no message encryption,
as on a WinRM listener with ``AllowUnencrypted``.  ``down``: every connection is closed unanswered.
"""

from __future__ import annotations

import base64
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape, quoteattr

from lagprov.lab.base import Faults
from lagprov.lab.hosts.remote import windows_exec
from lagprov.lab.hosts.windows_apply import WindowsHost

NS = {
    "s": "http://www.w3.org/2003/05/soap-envelope",
    "wsa": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
    "wsman": "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd",
    "rsp": "http://schemas.microsoft.com/wbem/wsman/1/windows/shell",
}
SHELL_URI = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd"
_TRANSFER = "http://schemas.xmlsoap.org/ws/2004/09/transfer/"
_SHELL = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/"
_DONE = _SHELL + "CommandState/Done"
_ENVELOPE = ('<s:Envelope xml:lang="en-US" xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
             'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
             'xmlns:x="http://schemas.xmlsoap.org/ws/2004/09/transfer" '
             'xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" '
             'xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell" '
             'xmlns:p="http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd">')
_NOT_FOUND = 2150858843
_MAX_SHELLS = 30
_MAX_BODY = 512 * 1024  # MaxEnvelopeSizekb 500 (Server 2012+ default), with some slack
_CHUNK = 8192  # bytes of output per rsp:Stream element


class WinRMFault(Exception):
    """A WS-Management fault (HTTP 500)."""

    def __init__(self, subcode: str, code: int, message: str, sender: bool = True) -> None:
        super().__init__(message)
        self.subcode, self.code, self.message, self.sender = subcode, code, message, sender


@dataclass
class _Command:
    stdout: bytes
    stderr: bytes
    rc: int
    received: bool = False


@dataclass
class _Shell:
    owner: str
    codepage: int
    commands: dict[str, _Command] = field(default_factory=dict)


def _id() -> str:
    return str(uuid.uuid4()).upper()


def _text(root: ET.Element, path: str) -> str:
    found = root.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def _options(header: ET.Element, kind: str) -> dict[str, str]:
    return {o.get("Name", ""): (o.text or "") for o in header.findall(
        f"wsman:{kind}Set/wsman:{kind}", NS)}


def clixml(stderr: str) -> str:
    """``stderr`` of Windows PowerShell 5.1 as it writes it to a redirected stderr: ``#< CLIXML``
    and one ``<S S="Error">`` per line, CR/LF as ``_x000D__x000A_`` ('_' before 'x' as
    ``_x005F_``)."""
    if not stderr:
        return ""
    lines = [escape(line.replace("_x", "_x005F_x")) + "_x000D__x000A_"
             for line in stderr.rstrip("\n").split("\n")]
    return ('#< CLIXML\r\n<Objs Version="1.1.0.1" '
            'xmlns="http://schemas.microsoft.com/powershell/2004/04">'
            + "".join(f'<S S="Error">{line}</S>' for line in lines) + "</Objs>")


def _encode(text: str, codepage: int) -> bytes:
    crlf = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return crlf.encode("utf-8" if codepage == 65001 else "cp437", errors="replace")


class WinRS:
    """The WinRS cmd shells of one host (the SOAP logic; :func:`start_winrm_server` serves it)."""

    def __init__(self, host: WindowsHost, endpoint: str) -> None:
        self.host, self.endpoint = host, endpoint
        self._lock = threading.Lock()
        self._shells: dict[str, _Shell] = {}

    def shells(self) -> int:
        """Shells open now (a client that deleted its shell leaves none)."""
        with self._lock:
            return len(self._shells)

    def handle(self, user: str, body: bytes, client_ip: str) -> tuple[int, str]:
        """(HTTP status, response envelope) for one request envelope."""
        if b"<!DOCTYPE" in body:  # SOAP has no DTD: no entity is ever expanded
            return 400, ""
        try:
            root = ET.fromstring(body)  # noqa: S314 - loopback lab clients, no DTD (above)
        except ET.ParseError:
            return 400, ""
        header = root.find("s:Header", NS)
        envelope_body = root.find("s:Body", NS)
        if header is None or envelope_body is None:
            return 400, ""
        message_id = _text(header, "wsa:MessageID")
        action = _text(header, "wsa:Action")
        try:
            if _text(header, "wsman:ResourceURI") != SHELL_URI:
                raise WinRMFault("w:DestinationUnreachable", 2150858770,
                                 "The WS-Management service cannot process the request because "
                                 "the resource URI is not served here (the lab answers the "
                                 "WinRS cmd shell only). ")
            reply_action, reply = self._dispatch(action, header, envelope_body, user, client_ip)
        except WinRMFault as fault:
            return 500, self._envelope("http://schemas.dmtf.org/wbem/wsman/1/wsman/fault",
                                       message_id, self._fault(fault))
        return 200, self._envelope(reply_action, message_id, reply)

    def _envelope(self, action: str, relates_to: str, body: str) -> str:
        return (f"{_ENVELOPE}<s:Header><a:Action>{action}</a:Action>"
                f"<a:MessageID>uuid:{_id()}</a:MessageID>"
                "<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>"
                f"<a:RelatesTo>{escape(relates_to)}</a:RelatesTo></s:Header>"
                f"<s:Body>{body}</s:Body></s:Envelope>")

    def _fault(self, f: WinRMFault) -> str:
        return (f"<s:Fault><s:Code><s:Value>{'s:Sender' if f.sender else 's:Receiver'}"
                f"</s:Value><s:Subcode><s:Value>{f.subcode}</s:Value></s:Subcode></s:Code>"
                f'<s:Reason><s:Text xml:lang="en-US">{escape(f.message)}</s:Text></s:Reason>'
                '<s:Detail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/'
                f'wsmanfault" Code="{f.code}" Machine={quoteattr(self.host.name)}>'
                f"<f:Message>{escape(f.message)}</f:Message></f:WSManFault></s:Detail>"
                "</s:Fault>")

    def _dispatch(self, action: str, header: ET.Element, body: ET.Element, user: str,
                  client_ip: str) -> tuple[str, str]:
        if action == _TRANSFER + "Create":
            return _TRANSFER + "CreateResponse", self._create(header, user, client_ip)
        shell_id = _options(header, "Selector").get("ShellId", "")
        with self._lock:
            shell = self._shells.get(shell_id)
        if shell is None or shell.owner != user:
            raise WinRMFault("w:InvalidSelectors", _NOT_FOUND,
                             f"The request for the Windows Remote Shell with ShellId {shell_id} "
                             "failed because the shell was not found on the server. Possible "
                             "causes are: the specified ShellId is incorrect or the shell no "
                             "longer exists on the server. ")
        if action == _TRANSFER + "Delete":
            with self._lock:
                self._shells.pop(shell_id, None)
            return _TRANSFER + "DeleteResponse", ""
        if action == _SHELL + "Command":
            return _SHELL + "CommandResponse", self._command(shell, body)
        if action == _SHELL + "Receive":
            stream = body.find("rsp:Receive/rsp:DesiredStream", NS)
            command_id = stream.get("CommandId", "") if stream is not None else ""
            return _SHELL + "ReceiveResponse", self._receive(shell, command_id)
        if action == _SHELL + "Signal":
            signal = body.find("rsp:Signal", NS)
            command_id = signal.get("CommandId", "") if signal is not None else ""
            self._known(shell, command_id)
            with self._lock:
                shell.commands.pop(command_id, None)
            return _SHELL + "SignalResponse", "<rsp:SignalResponse/>"
        raise WinRMFault("a:ActionNotSupported", 2150858771,
                         f"The action {action[:120]} is not supported by the lab's WinRS. ")

    def _create(self, header: ET.Element, user: str, client_ip: str) -> str:
        options = _options(header, "Option")
        try:
            codepage = int(options.get("WINRS_CODEPAGE") or 437)
        except ValueError:
            raise WinRMFault("w:InvalidOptions", 2150858882,
                             "The WinRS client specified an invalid code page. ") from None
        shell_id = _id()
        with self._lock:
            if sum(s.owner == user for s in self._shells.values()) >= _MAX_SHELLS:
                raise WinRMFault("w:QuotaLimit", 2150859174,
                                 f"The WS-Management service cannot process the request. This "
                                 f"user is allowed a maximum number of {_MAX_SHELLS} concurrent "
                                 "shells, which has been exceeded. ", sender=False)
            self._shells[shell_id] = _Shell(owner=user, codepage=codepage)
        return (f"<x:ResourceCreated><a:Address>{escape(self.endpoint)}</a:Address>"
                f"<a:ReferenceParameters><w:ResourceURI>{SHELL_URI}</w:ResourceURI>"
                f'<w:SelectorSet><w:Selector Name="ShellId">{shell_id}</w:Selector>'
                "</w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>"
                f'<rsp:Shell xmlns:rsp="{NS["rsp"]}"><rsp:ShellId>{shell_id}</rsp:ShellId>'
                f"<rsp:ResourceUri>{SHELL_URI}</rsp:ResourceUri>"
                f"<rsp:Owner>{escape(user)}</rsp:Owner>"
                f"<rsp:ClientIP>{escape(client_ip)}</rsp:ClientIP>"
                "<rsp:IdleTimeOut>PT7200.000S</rsp:IdleTimeOut>"
                "<rsp:InputStreams>stdin</rsp:InputStreams>"
                "<rsp:OutputStreams>stdout stderr</rsp:OutputStreams>"
                "<rsp:ShellRunTime>P0DT0H0M0S</rsp:ShellRunTime>"
                "<rsp:ShellInactivity>P0DT0H0M0S</rsp:ShellInactivity></rsp:Shell>")

    def _command(self, shell: _Shell, body: ET.Element) -> str:
        line = body.find("rsp:CommandLine", NS)
        if line is None:
            raise WinRMFault("w:SchemaValidationError", 2150858817,
                             "The SOAP XML in the message does not match the corresponding XML "
                             "schema definition: no rsp:CommandLine. ")
        words = [_text(line, "rsp:Command")] + [(a.text or "") for a in
                                                 line.findall("rsp:Arguments", NS)]
        # cmd.exe /c runs the line as one string: executable and arguments joined by spaces
        command = " ".join(w for w in words if w)
        stdout, stderr, rc = windows_exec(self.host, command)
        if command.lower().startswith("powershell"):
            stderr = clixml(stderr)  # PowerShell's error records on a redirected stderr
        command_id = _id()
        with self._lock:
            shell.commands[command_id] = _Command(_encode(stdout, shell.codepage),
                                                  _encode(stderr, shell.codepage), rc)
        return f"<rsp:CommandResponse><rsp:CommandId>{command_id}</rsp:CommandId>" \
               "</rsp:CommandResponse>"

    def _known(self, shell: _Shell, command_id: str) -> _Command:
        with self._lock:
            command = shell.commands.get(command_id)
        if command is None:
            raise WinRMFault("w:InvalidSelectors", _NOT_FOUND,
                             "The Windows Remote Shell received a request to perform an "
                             "operation on a command identifier that does not exist. Either the "
                             "command has completed execution or the client specified an "
                             "invalid command identifier. ")
        return command

    def _receive(self, shell: _Shell, command_id: str) -> str:
        command = self._known(shell, command_id)
        with self._lock:
            first, command.received = not command.received, True
        cid = quoteattr(command_id)
        streams = []
        for name, data in (("stdout", command.stdout), ("stderr", command.stderr)):
            if first:
                streams += [f'<rsp:Stream Name="{name}" CommandId={cid}>'
                            f"{base64.b64encode(data[i:i + _CHUNK]).decode()}</rsp:Stream>"
                            for i in range(0, len(data), _CHUNK)]
        streams += [f'<rsp:Stream Name="{n}" CommandId={cid} End="true"></rsp:Stream>'
                    for n in ("stdout", "stderr")]
        return (f"<rsp:ReceiveResponse>{''.join(streams)}"
                f'<rsp:CommandState CommandId={cid} State="{_DONE}">'
                f"<rsp:ExitCode>{command.rc}</rsp:ExitCode></rsp:CommandState>"
                "</rsp:ReceiveResponse>")


class WinRMServer:
    """A running WinRM listener; ``close()`` stops it."""

    def __init__(self, httpd: ThreadingHTTPServer, thread: threading.Thread, winrs: WinRS) -> None:
        self._httpd, self._thread, self.winrs = httpd, thread, winrs
        self.port: int = httpd.server_address[1]

    def close(self) -> None:
        """Stop serving and release the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def _handler(winrs: WinRS, faults: Faults,
             users: Mapping[str, str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "Microsoft-HTTPAPI/2.0"  # what a WinRM listener's Server header says
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:  # once per accepted connection (keep-alive: many requests)
            super().setup()
            faults.accepted.count(int(self.connection.getsockname()[1]))

        def log_message(self, *_args: object) -> None:
            return

        def _user(self) -> str | None:
            header = self.headers.get("Authorization", "")
            if not header.startswith("Basic ") or faults.auth_fail:
                return None
            try:
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                return None
            return user if users.get(user) == password else None

        def _send(self, status: int, body: str, extra: Mapping[str, str] | None = None) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            if data:
                self.send_header("Content-Type", "application/soap+xml;charset=UTF-8")
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            if faults.down:  # the host is off: the connection is cut, nothing answered
                self.close_connection = True
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > _MAX_BODY:
                self.close_connection = True
                self._send(413, "")
                return
            body = self.rfile.read(length)
            if self.path.rstrip("/").lower() != "/wsman":
                self._send(404, "")
                return
            user = self._user()
            if user is None:
                self._send(401, "", {"WWW-Authenticate": 'Basic realm="WSMAN"'})
                return
            if not self.headers.get("Content-Type", "").startswith("application/soap+xml"):
                self._send(415, "")  # e.g. multipart/encrypted: no message encryption here
                return
            if faults.latency_s > 0:
                time.sleep(faults.latency_s)
            status, reply = winrs.handle(user, body, self.client_address[0])
            self._send(status, reply)

    return Handler


def start_winrm_server(host: WindowsHost, faults: Faults, address: str, port: int,
                       users: Mapping[str, str]) -> WinRMServer:
    """Serve WinRM for ``host`` on ``http://address:port/wsman`` (0 = a free port) in a daemon
    thread; ``faults`` are the host's (``down``, ``auth_fail``, ``latency_s``, accepted)."""
    winrs = WinRS(host, "")
    httpd = ThreadingHTTPServer((address, port), _handler(winrs, faults, users))
    httpd.daemon_threads = True
    winrs.endpoint = f"http://{address}:{httpd.server_address[1]}/wsman"
    thread = threading.Thread(target=httpd.serve_forever, name=f"winrm-{host.name}",
                              daemon=True)
    thread.start()
    return WinRMServer(httpd, thread, winrs)
