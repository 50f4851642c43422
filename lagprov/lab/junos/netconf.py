"""NETCONF (base:1.0, ``]]>]]>`` framing) for the lab's Junos switch, as PyEZ/NAPALM ``junos``
drive it (device-protocols.md section 2).  RPC bodies are Junos-shaped XML, minimal.

Modelled: lock/unlock, load-configuration (set text; curly text and XML merge/replace/override;
rollback N), get-configuration (text, XML whole tree, compare=rollback diffs), commit (check,
confirmed, log), command (text), facts RPCs, get-commit-revision-information, close-session.
XML loads and replies use Junos' XML element names (``xml_config``).
Not modelled: get-configuration subtree filters (the whole tree is
returned), chunked framing (base:1.1 is not offered, so clients stay on EOM framing).

Crash faults (``Faults.trip``) are matched against each RPC's name (``commit-configuration``)
and each configuration line a ``load-configuration`` carries.  A switch that is ``down`` (or
dies on one: ``die_before`` / ``die_after``) cuts the session without a reply, as it does on
``cut_after`` (the switch stays up); one that is ``stopped`` (``stop_after``) answers nothing
more, its session held open until the test restarts it, and a new session never gets its
hello.  A session that ends (cut, or closed)
releases the exclusive lock and discards its uncommitted candidate: Juniper's
``<lock-configuration/>`` reference says "If the NETCONF session ends or the application
emits the <unlock-configuration/> tag before the candidate configuration is committed, all
changes made to the candidate are discarded" (../shared/reference/device-protocols.md is
silent: assumed there).  A ``commit confirmed`` made before the crash keeps its timer
(assumed); the committed configuration survives the restart.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from lagprov.lab.base import Faults
from lagprov.lab.junos.cli import JunosCli
from lagprov.lab.junos.device import JunosCliSwitch
from lagprov.lab.junos.netconf_rpcs import FACT_RPCS, software
from lagprov.lab.junos.schema import JunosSyntaxError, parse_statement, tokenize
from lagprov.lab.junos.tree import Config, diff
from lagprov.lab.junos.xml_config import tree_xml, xml_to_set

if TYPE_CHECKING:
    import asyncssh

EOM = b"]]>]]>"
BASE_NS = "urn:ietf:params:xml:ns:netconf:base:1.0"
JUNOS_NS = "http://xml.juniper.net/junos/21.4R0/junos"
_sessions = itertools.count(4242)
_BOOT = time.time()

HELLO = f"""<?xml version="1.0" encoding="UTF-8"?>
<hello xmlns="{BASE_NS}">
  <capabilities>
    <capability>urn:ietf:params:netconf:base:1.0</capability>
    <capability>urn:ietf:params:netconf:capability:candidate:1.0</capability>
    <capability>urn:ietf:params:netconf:capability:confirmed-commit:1.0</capability>
    <capability>urn:ietf:params:netconf:capability:validate:1.0</capability>
    <capability>http://xml.juniper.net/netconf/junos/1.0</capability>
    <capability>http://xml.juniper.net/dmi/system/1.0</capability>
  </capabilities>
  <session-id>{{sid}}</session-id>
</hello>
"""


class _Crashed(Exception):
    """The switch died or stopped while handling an RPC: no reply, the session is cut."""


class RpcFailure(Exception):
    """An rpc-error to send back."""

    def __init__(self, message: str, tag: str = "operation-failed", body: str = "") -> None:
        super().__init__(message)
        self.message, self.tag, self.body = message, tag, body


def rpc_error(message: str, tag: str = "operation-failed") -> str:
    return (f"<rpc-error>\n<error-type>protocol</error-type>\n<error-tag>{tag}</error-tag>\n"
            f"<error-severity>error</error-severity>\n<error-message>\n{escape(message)}\n"
            "</error-message>\n</rpc-error>")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def curly_to_set(text: str) -> list[str]:
    """Curly configuration text -> `set` lines (``replace:``/``merge:`` tags dropped)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = "\n".join(ln for ln in text.splitlines() if not ln.strip().startswith("#"))
    stack: list[list[str]] = []
    words: list[str] = []
    lines: list[str] = []
    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|[{};]|[^\s{};"]+', text):
        tok = m.group(0)
        if tok in ("replace:", "merge:", "inactive:"):
            continue
        if tok == "{":
            stack.append(words)
            words = []
        elif tok == ";":
            lines.append("set " + " ".join(w for grp in stack for w in grp) + " " +
                         " ".join(words))
            words = []
        elif tok == "}":
            if words or not stack:
                raise RpcFailure("syntax error")
            stack.pop()
        else:
            words.append(tok)
    if stack or words:
        raise RpcFailure("syntax error, expecting '}'")
    return [ln.replace("[ ", "[ ").strip() for ln in lines]


def json_to_xml(value: object) -> str:
    """Junos `| display json` structure back to its XML (`{"data": x}` lists -> elements)."""
    out: list[str] = []
    if isinstance(value, dict):
        for key, items in value.items():
            if key == "attributes":
                continue
            for item in items if isinstance(items, list) else [items]:
                if isinstance(item, dict) and "data" in item:
                    out.append(f"<{key}>{escape(str(item['data']))}</{key}>")
                else:
                    out.append(f"<{key}>\n{json_to_xml(item)}\n</{key}>")
    return "\n".join(out)


class NetconfSession:
    """One NETCONF session: parses RPCs, answers with rpc-reply text."""

    def __init__(self, switch: JunosCliSwitch, username: str) -> None:
        self.switch = switch
        self.user = username or "netconf"
        self.sid = next(_sessions)
        self.owner = f"netconf-{self.sid}"
        self.closed = False
        self.crashed = False  # the switch died or stopped on an RPC: cut, never answered

    def hello(self) -> str:
        return HELLO.replace("{sid}", str(self.sid))

    def reply(self, message: str) -> str | None:
        """The reply to one framed message (None for the client hello)."""
        try:
            root = ET.fromstring(message.strip())  # noqa: S314 - loopback lab clients only
        except ET.ParseError:
            return None
        if _local(root.tag) != "rpc":
            return None
        mid = root.get("message-id", "")
        ops = list(root)
        name = _local(ops[0].tag) if ops else ""
        faults = self.switch.faults()
        body: str
        try:
            if faults.trip(name, handled=False):
                raise _Crashed(name)
            if not ops:
                raise RpcFailure("syntax error, expecting <rpc> content")
            with self.switch.lock:
                body = self.dispatch(ops[0])
        except RpcFailure as exc:
            body = exc.body or rpc_error(exc.message, exc.tag)
        except _Crashed:
            self.crashed = True
            return None
        if faults.trip(name, handled=True):
            self.crashed = True
            return None
        return (f'<rpc-reply xmlns="{BASE_NS}" xmlns:junos="{JUNOS_NS}" '
                f'message-id="{escape(mid)}">\n{body}\n</rpc-reply>\n')

    def dispatch(self, op: ET.Element) -> str:
        name = _local(op.tag)
        handler: Callable[[ET.Element], str] | None = {
            "lock-configuration": self.lock, "lock": self.lock,
            "unlock-configuration": self.unlock, "unlock": self.unlock,
            "load-configuration": self.load, "get-configuration": self.get_configuration,
            "commit-configuration": self.commit, "command": self.command,
            "close-session": self.close,
        }.get(name)
        if handler is not None:
            return handler(op)
        fact = FACT_RPCS.get(name)
        if fact is None:
            raise RpcFailure(f"syntax error, expecting <rpc> content: {name}",
                             "operation-not-supported")
        return fact(self.switch, op)

    def lock(self, _op: ET.Element) -> str:
        error = self.switch.db.acquire(self.owner, self.user)
        if error is not None:
            raise RpcFailure(error, "lock-denied")
        return "<ok/>"

    def unlock(self, _op: ET.Element) -> str:
        self.switch.db.release(self.owner)
        return "<ok/>"

    def close(self, _op: ET.Element | None = None) -> str:
        self.closed = True
        self.switch.db.release(self.owner, discard=True)
        return "<ok/>"

    def load(self, op: ET.Element) -> str:
        db = self.switch.db
        if op.get("compare") == "rollback" or op.get("rollback") is not None:
            number = int(op.get("rollback", "0"))
            self.switch.command_log.append(f"rollback {number}")
            error = db.load_rollback(number)
            if error is not None:
                raise RpcFailure(error.removeprefix("error: "))
            return "<load-configuration-results>\n<ok/>\n</load-configuration-results>"
        action, fmt = op.get("action", "merge"), op.get("format", "xml")
        texts = {_local(c.tag): (c.text or "") for c in op}
        if action == "set" and "configuration-set" in texts:
            lines = texts["configuration-set"].splitlines()
        elif fmt == "text" and "configuration-text" in texts:
            lines = curly_to_set(texts["configuration-text"])
        elif fmt == "xml" and "configuration" in texts:
            lines = self._xml_lines(next(c for c in op if _local(c.tag) == "configuration"))
        else:
            raise RpcFailure("the lab loads only set, curly text and XML configuration",
                             "operation-not-supported")
        base = Config() if action == "override" else db.candidate.copy()
        self._apply(base, lines)
        db.candidate = base
        return "<load-configuration-results>\n<ok/>\n</load-configuration-results>"

    def _xml_lines(self, config: ET.Element) -> list[str]:
        """`set`/`delete` lines of an XML load; an element the schema lacks is refused the way
        Junos refuses it: ``syntax error`` naming the ``bad-element`` (a Junos 16.1R4 load reply
        in Juniper/py-junos-eznc tests/unit/test_decorators.py)."""
        statements = xml_to_set(config)
        for stmt in statements:
            tokens = tokenize(stmt.line.partition(" ")[2])
            try:
                parse_statement(self.switch.schema, tokens, need_value=stmt.verb == "set")
            except JunosSyntaxError as exc:
                at = next((i for i, t in enumerate(tokens) if t.column >= exc.column),
                          len(tokens) - 1)
                bad = stmt.tags[min(at, len(stmt.tags) - 1)] if stmt.tags else "configuration"
                message = exc.message.rstrip(".")
                raise RpcFailure(message, body=(
                    "<load-configuration-results>\n"
                    + rpc_error(message).replace(
                        "</rpc-error>", f"<error-info>\n<bad-element>{escape(bad)}"
                        "</bad-element>\n</error-info>\n</rpc-error>")
                    + "\n<load-error-count>1</load-error-count>\n"
                    "</load-configuration-results>")) from exc
        return [stmt.line for stmt in statements]

    def _apply(self, config: Config, lines: list[str]) -> None:
        for raw in lines:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            faults = self.switch.faults()
            if faults.trip(line, handled=False):
                raise _Crashed(line)
            self.switch.command_log.append(line)
            if faults.trip(line, handled=True):  # the rest never arrives: the session is cut
                raise _Crashed(line)
            if any(bad and bad in line for bad in faults.reject_commands):
                raise RpcFailure(f"syntax error\n{line}")
            verb, _, rest = line.partition(" ")
            if verb not in ("set", "delete"):
                raise RpcFailure(f"syntax error\n{line}")
            try:
                stmt = parse_statement(self.switch.schema, tokenize(rest),
                                       need_value=verb == "set")
            except JunosSyntaxError as exc:
                raise RpcFailure(f"{exc.message}\n{line}") from exc
            if verb == "set":
                config.set(stmt)
            else:
                config.delete(stmt)

    def get_configuration(self, op: ET.Element) -> str:
        db = self.switch.db
        if op.get("compare") == "rollback":
            number = int(op.get("rollback", "0"))
            if number >= len(db.revisions):
                raise RpcFailure(f"rollback {number}: no such rollback file")
            text = diff(db.revisions[number].config, db.candidate) or "\n"
            return ("<configuration-information>\n<configuration-output>"
                    f"{escape(text)}</configuration-output>\n</configuration-information>")
        config = db.committed if op.get("database") == "committed" else db.candidate
        if op.get("format") == "text":
            return ("<configuration-text>"
                    f"{escape(config.curly())}</configuration-text>")
        return f"<configuration>\n{tree_xml(config.tree())}\n</configuration>"

    def commit(self, op: ET.Element) -> str:
        fields = {_local(c.tag): (c.text or "").strip() for c in op}
        minutes = None
        if "confirmed" in fields:
            minutes = int(fields.get("confirm-timeout") or 10)
        check = "check" in fields
        ok, text = self.switch.db.commit(self.owner, self.user, client="netconf",
                                         check_only=check, confirmed_minutes=minutes,
                                         log=fields.get("log", ""))
        if not ok:
            from lagprov.lab.junos.db import errors_xml

            raise RpcFailure(text.strip(), body=errors_xml(self.switch.db.last_errors))
        success = "<commit-check-success/>" if check else "<commit-success/>"
        return ("<commit-results>\n<routing-engine junos:style=\"normal\">\n<name>re0</name>\n"
                f"{success}\n</routing-engine>\n</commit-results>")

    def command(self, op: ET.Element) -> str:
        """`<command>`: text in `<output>`; `format="xml"` for the commands with a JSON model."""
        cli = JunosCli(self.switch, self.user, self.owner)
        line = " ".join((op.text or "").split())
        if not line.startswith("show "):
            raise RpcFailure(f"syntax error, expecting <command>: {line}")
        if op.get("format", "xml") == "text":
            return f"<output>\n{escape(cli.show(line))}</output>"
        if line.startswith("show version"):
            return software(self.switch, op)
        if line.startswith(("show lacp interfaces", "show interfaces ae")):
            text = cli.show(line.split("|")[0] + " | display json")
            if text.startswith(("error", "warning")):
                raise RpcFailure(text.strip())
            return json_to_xml(json.loads(text))
        raise RpcFailure(f"the lab has no XML form of: {line}", "operation-not-supported")


def _silent(faults: Faults) -> bool:
    """The switch answers nothing: it is off, or hung (read afresh: tests change it)."""
    return faults.down or faults.stopped


async def _cut(process: asyncssh.SSHServerProcess[bytes], faults: Faults) -> None:
    """End the session of a switch that died (at once) or stopped (once it is restarted, or
    the client gives up); the caller's ``finally`` then ends the NETCONF session."""
    while faults.stopped and not faults.down and not process.channel.is_closing():
        await asyncio.sleep(0.05)
    process.channel.get_connection().abort()


def netconf_subsystem(switch: JunosCliSwitch) -> Callable[[], object]:
    """The ``subsystems["netconf"]`` factory for :func:`lagprov.lab.ssh.start_ssh_server`."""

    def factory() -> object:
        async def run(process: asyncssh.SSHServerProcess[bytes]) -> None:
            username = str(process.get_extra_info("username") or "")
            session = NetconfSession(switch, username)
            faults = switch.faults()
            buffer = b""
            try:
                if _silent(faults):  # a dead or hung switch never says hello
                    await _cut(process, faults)
                    return
                process.stdout.write(session.hello().encode() + EOM + b"\n")
                while not session.closed:
                    data = await process.stdin.read(65536)
                    if not data:
                        break
                    buffer += data
                    while EOM in buffer and not session.closed:
                        message, buffer = buffer.split(EOM, 1)
                        if _silent(faults):
                            await _cut(process, faults)
                            return
                        answer = session.reply(message.decode("utf-8", "replace"))
                        if session.crashed:
                            await _cut(process, faults)
                            return
                        if answer is not None:
                            process.stdout.write(answer.encode() + EOM + b"\n")
                            await asyncio.sleep(0)
            finally:
                with switch.lock:
                    if not session.closed:
                        session.close()
        return run

    return factory
