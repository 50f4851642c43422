"""Request limits, enforced before a handler sees the request (a pure ASGI middleware).

* **Body size**: a ``Content-Length`` above the limit is refused (413) before anything is read;
  a body without one (chunked) is counted as it streams and refused the moment it passes the
  limit, so the service never holds more than ``max_body`` bytes of a request.
* **Time**: reading the body and answering are each bounded; a request that takes longer gets a
  504 (reads) and the work it started is abandoned.  A commit (``/apply``, ``/rollback``) is
  never cut short: its devices are bounded by the per-device deadline, and its result is stored
  as a run (``lagprov runs``) whatever happens to the connection.
* The request's bearer token is put in :data:`lagprov.service.auth.PRESENTED`, so that any
  response masks it (see :mod:`lagprov.service.scrub`).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from lagprov.errors import ConfigError
from lagprov.service.auth import PRESENTED, bearer

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ENV_MAX_BODY = "LAGPROV_MAX_BODY"
ENV_REQUEST_TIMEOUT = "LAGPROV_REQUEST_TIMEOUT"
DEFAULT_MAX_BODY = 1 << 20  # 1 MiB: the largest handshake (every host report file) is ~100 kB
DEFAULT_REQUEST_TIMEOUT = 300.0  # a verify of a large fleet with the default device deadline
BODY_TIMEOUT = 30.0  # a client that trickles its body (slowloris) is cut after this
UNBOUNDED_PATHS = ("/apply", "/rollback")


def is_unbounded(path: str) -> bool:
    """Commits are bounded per device, not per request: /apply, /rollback and the page's
    rollback form (``/ui/changes/{id}/rollback``)."""
    return path in UNBOUNDED_PATHS or (path.startswith("/ui/changes/")
                                       and path.endswith("/rollback"))


def env_number(name: str, default: float, *, minimum: float) -> float:
    """A positive number from the environment (ConfigError naming the variable)."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw[:40]!r}: not a number") from None
    if not value >= minimum:
        raise ConfigError(f"{name}={raw[:40]!r}: must be at least {minimum:g}")
    return value


async def _answer(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail, "errors": []}).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class RequestLimits:
    """Body size and time limits, and the presented token, around the service app."""

    def __init__(self, app: ASGIApp, *, max_body: int, timeout: float) -> None:
        self.app = app
        self.max_body = max_body
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", ())}
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or len(length) > 18):
            await _answer(send, 400, "Content-Length is not a number")
            return
        if length is not None and int(length) > self.max_body:
            await _answer(send, 413, f"request body of {length} bytes is larger than the "
                          f"limit of {self.max_body} bytes; nothing was read")
            return
        try:
            body = await asyncio.wait_for(self._read(receive), BODY_TIMEOUT)
        except TimeoutError:
            await _answer(send, 408, f"the request body did not arrive within {BODY_TIMEOUT:g} s")
            return
        if body is None:
            await _answer(send, 413, f"request body larger than the limit of {self.max_body} "
                          "bytes; reading stopped there")
            return
        token = PRESENTED.set(bearer(headers.get("authorization")))
        try:
            await self._answer_within(scope, _replay(body, receive), send)
        finally:
            PRESENTED.reset(token)

    async def _read(self, receive: Receive) -> bytes | None:
        """The whole body, or None as soon as it passes the limit."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away: the app sees an empty body and a disconnect
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _answer_within(self, scope: Scope, receive: Receive, send: Send) -> None:
        if is_unbounded(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        started = False
        timed_out = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if timed_out:
                return  # the 504 went out: the abandoned work's answer is dropped
            started = True
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, guarded_send))
        try:
            await asyncio.wait_for(asyncio.shield(task), self.timeout)
        except TimeoutError:
            if started:  # the answer is already going out: let it finish
                await task
                return
            timed_out = True
            task.add_done_callback(_swallow)
            await _answer(send, 504, f"the request took longer than {self.timeout:g} s "
                          f"(limit: {ENV_REQUEST_TIMEOUT}); its work was abandoned")


def _swallow(task: asyncio.Future[None]) -> None:
    if not task.cancelled():
        task.exception()


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app the body already read, then waits for disconnect."""
    pending = True

    async def replay() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
