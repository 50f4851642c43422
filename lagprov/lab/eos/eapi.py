"""eAPI of the simulated EOS: JSON-RPC ``runCmds`` on ``POST /command-api`` over plain HTTP.

What pyeapi / NAPALM ``eos`` (``transport: http``) rely on: HTTP Basic auth (401 otherwise),
``{"jsonrpc": "2.0", "method": "runCmds", "params": {"version": 1, "cmds": [...],
"format": "json"|"text"}, "id": ...}``; commands are strings or ``{"cmd": ..., "input": ...}``
(``enable`` with its secret).  Each request runs in a fresh CLI context (exec mode, not
privileged); results are per command: the JSON model, ``{}`` for commands without output,
``{"messages": [...]}`` for commands that print, or ``{"output": text}`` with ``format:
text``.  The first failing command stops the request with a JSON-RPC error (code 1002, 1003 for
an unconverted command) whose ``data`` holds the results so far and ``{"errors": [...]}``.

Crash faults (``Faults.trip``), matched against each command of a request: a switch that is
``down`` (or dies on a command: ``die_before`` / ``die_after``) closes the connection without
a reply, as it does on ``cut_after`` (the switch stays up); one that is ``stopped``
(``stop_after``) holds the request unanswered until the test restarts it, then closes it.
Dying or stopping discards every pending (uncommitted) configuration session, so the running
config keeps none of it: "An uncommitted configuration session will be discarded if the
switch reboots" (Arista's EOS manual, Configure Session; the shared reference,
../shared/reference/device-protocols.md, is silent: assumed there).  The running config
itself survives the restart (assumed: the lab restarts the management plane; a real reboot
loads startup-config, which NAPALM's ``write memory`` keeps equal after a commit).
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from lagprov.lab.eos.cli import EosCli
from lagprov.lab.eos.device import EosCliSwitch
from lagprov.lab.eos.showcmd import UNCONVERTED, Result


def _result_json(result: Result, text: bool) -> dict[str, Any]:
    if text:
        return {"output": result.output}
    if result.data is not None:
        return result.data
    return {"messages": [result.output]} if result.output else {}


def _command(item: object) -> tuple[str, str | None]:
    if isinstance(item, dict):
        secret = item.get("input")
        return str(item.get("cmd", "")), None if secret is None else str(secret)
    return str(item), None


def _crash(switch: EosCliSwitch) -> None:
    """No reply: if the switch died or hung (not only this connection cut), its pending
    configuration sessions are gone (module doc)."""
    if not (switch.faults().down or switch.faults().stopped):
        return
    with switch.lock:
        for name in [n for n, s in switch.sessions.items() if s.state == "pending"]:
            switch.abort_session(name)


def run_cmds(switch: EosCliSwitch, username: str,
             params: Mapping[str, Any]) -> dict[str, Any] | None:
    """Run a ``runCmds`` request; the JSON-RPC ``result`` or ``error`` member, or None when
    the switch died or stopped on one of its commands (no reply is sent)."""
    cmds = list(params.get("cmds") or [])
    text = str(params.get("format", "json")).lower() == "text"
    cli = EosCli(switch, username, interactive=False)
    faults = switch.faults()
    switch.log_request(tuple(_command(item)[0] for item in cmds))
    results: list[dict[str, Any]] = []
    # One request, many commands, as real eAPI runs them: one result per command, in order;
    # the first failing command stops the request with a JSON-RPC error "CLI command N of M
    # '<cmd>' failed: invalid command" (code 1002; N and M count pyeapi's prepended
    # ``enable``) whose ``data`` is the results so far plus ``{"errors": [...]}``.  Sources:
    # ../shared/reference/device-protocols.md (napalm eos, "Errors"; vendor-cli.md has only
    # the unconverted-command text); pyeapi 1.0.4 ``eapilib.EapiConnection.send`` (the failure
    # response shape) and ``_parse_error_message`` (``data`` -> ``CommandError.output``);
    # napalm-automation/napalm-base#254 ("Error [1002]: CLI command 31 of 59 'ip route ...'
    # failed: invalid command"); aristanetworks/anta#1276 (a real reply: "CLI command 2 of 2
    # '...' failed: could not run command", ``data`` [{}, {"errors": [""]}]).
    for i, item in enumerate(cmds):
        command, secret = _command(item)
        if faults.trip(command, handled=False):
            _crash(switch)
            return None
        if any(bad and bad in command for bad in faults.reject_commands):
            result = Result(error="% Invalid input")
        else:
            result = cli.execute(command.strip(), json_mode=not text, secret=secret)
        if faults.trip(command, handled=True):
            _crash(switch)
            return None
        if result.error is not None:
            code = 1003 if result.error == UNCONVERTED else 1002
            message = result.error.removeprefix("% ")
            return {"error": {
                "code": code,
                "message": f"CLI command {i + 1} of {len(cmds)} '{command}' failed: "
                           f"{'unconverted command' if code == 1003 else 'invalid command'}",
                "data": [*results, {"errors": [message]}],
            }}
        results.append(_result_json(result, text))
    return {"result": results}


class EapiServer:
    """A running eAPI HTTP server; ``close()`` stops it."""

    def __init__(self, httpd: ThreadingHTTPServer, thread: threading.Thread) -> None:
        self._httpd = httpd
        self._thread = thread
        self.port: int = httpd.server_address[1]

    def close(self) -> None:
        """Stop serving and release the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def _handler(switch: EosCliSwitch, users: Mapping[str, str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "lagprov-eapi/1"

        def setup(self) -> None:  # once per accepted connection (keep-alive: many requests)
            super().setup()
            switch.faults().accepted.count(int(self.connection.getsockname()[1]))

        def log_message(self, *_args: object) -> None:
            return

        def _user(self) -> str | None:
            header = self.headers.get("Authorization", "")
            if not header.startswith("Basic ") or switch.faults().auth_fail:
                return None
            try:
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                return None
            return user if users.get(user) == password else None

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _unanswered(self) -> None:
            """No reply: a dead switch closes the connection now, a stopped one once it is
            restarted."""
            faults = switch.faults()
            while faults.stopped and not faults.down:
                time.sleep(0.05)
            self.close_connection = True

        def do_POST(self) -> None:
            if switch.faults().down or switch.faults().stopped:
                self._unanswered()
                return
            if self.path.rstrip("/") != "/command-api":
                self._send(404, {"error": "not found"})
                return
            user = self._user()
            if user is None:
                self._send(401, {"error": "Unauthorized"})
                return
            try:
                length = int(self.headers.get("Content-Length", "0"))
                request = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                self._send(400, {"jsonrpc": "2.0", "id": None,
                                 "error": {"code": -32700, "message": "Parse error"}})
                return
            latency = switch.faults().latency_s
            if latency > 0:
                time.sleep(latency)
            reply: dict[str, Any] = {"jsonrpc": "2.0", "id": request.get("id")}
            if request.get("method") != "runCmds":
                reply["error"] = {"code": -32601, "message": "Method not found"}
            else:
                answer = run_cmds(switch, user, request.get("params") or {})
                if answer is None:
                    self._unanswered()
                    return
                reply.update(answer)
            self._send(200, reply)

    return Handler


def start_eapi_server(switch: EosCliSwitch, address: str, port: int,
                      users: Mapping[str, str]) -> EapiServer:
    """Serve eAPI for ``switch`` on ``address:port`` (0 = a free port) in a daemon thread."""
    httpd = ThreadingHTTPServer((address, port), _handler(switch, users))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name=f"eapi-{switch.name}",
                              daemon=True)
    thread.start()
    return EapiServer(httpd, thread)
