"""Who is looking at a page: the read rules of :mod:`lagprov.service.guard`, for a browser.

A browser cannot send ``Authorization: Bearer`` by itself, so with tokens configured the pages
also accept a sign-in: ``POST /ui/login`` with a token (typed once, compared as the API
compares it) opens a session and sets a cookie holding only a random session id (HttpOnly,
SameSite=Strict, path ``/ui``; ``Secure`` over HTTPS).  The token itself is never stored in
the browser, never written into a page and never logged.  Sessions live in the service's
memory: they end after :data:`SESSION_SECONDS`, on sign-out, or when the service restarts (so
a token removed from the configuration stops working then, as it does for the API).

A form that writes (the rollback button) carries the session's CSRF value; a request with a
bearer header needs none (a browser never adds that header to a cross-site form).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Literal

from fastapi import Request

from lagprov.service.auth import Role, TokenSet, bearer
from lagprov.service.guard import NOT_CONFIGURED, Caller

COOKIE = "lagprov_ui"
SESSION_SECONDS = 8 * 3600
MAX_SESSIONS = 1000  # the oldest are dropped beyond this


@dataclass(frozen=True)
class PageCaller:
    """The caller of a page: who (token name and role, or anonymous) and how they came."""

    caller: Caller
    via: Literal["open", "header", "session"]
    csrf: str | None = None  # the session's form value (via == "session")

    @property
    def may_write(self) -> bool:
        """A write token (rollback allowed)."""
        return self.caller.role is Role.WRITE


@dataclass(frozen=True)
class _Session:
    caller: Caller
    csrf: str
    expires: float


def _key(session_id: str) -> str:
    """Sessions are kept under a hash of their id (no timing leak from the lookup)."""
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


class Sessions:
    """The signed-in browsers of one service process."""

    def __init__(self) -> None:
        self._items: dict[str, _Session] = {}
        self._lock = threading.Lock()

    def open(self, caller: Caller) -> str:
        """A new session for ``caller``; its id (the cookie's value)."""
        session_id = secrets.token_urlsafe(32)
        now = time.monotonic()
        with self._lock:
            self._items = {k: s for k, s in self._items.items() if s.expires > now}
            while len(self._items) >= MAX_SESSIONS:
                self._items.pop(next(iter(self._items)))
            self._items[_key(session_id)] = _Session(caller, secrets.token_urlsafe(24),
                                                     now + SESSION_SECONDS)
        return session_id

    def get(self, session_id: str | None) -> _Session | None:
        """The live session of ``session_id`` (None: none, or expired)."""
        if not session_id:
            return None
        with self._lock:
            found = self._items.get(_key(session_id))
            if found is not None and found.expires <= time.monotonic():
                del self._items[_key(session_id)]
                return None
            return found

    def close(self, session_id: str | None) -> None:
        """End the session (sign-out)."""
        if session_id:
            with self._lock:
                self._items.pop(_key(session_id), None)


def sessions(request: Request) -> Sessions:
    """The app's sessions (made on first use)."""
    state = request.app.state
    if not hasattr(state, "ui_sessions"):
        state.ui_sessions = Sessions()
    found: Sessions = state.ui_sessions
    return found


def page_caller(request: Request) -> PageCaller | None:
    """The caller by the read rules; None when a token is needed and none valid was given."""
    tokens: TokenSet = request.app.state.tokens
    if not tokens:
        return PageCaller(Caller(), "open")
    presented = bearer(request.headers.get("authorization"))
    if presented is not None:
        found = tokens.find(presented)
        if found is None:
            return None
        return PageCaller(Caller(name=found.name, role=found.role), "header")
    live = sessions(request).get(request.cookies.get(COOKIE))
    if live is None:
        return None
    return PageCaller(live.caller, "session", live.csrf)


def sign_in(request: Request, token: str) -> str | None:
    """A session id for a valid ``token`` (None: not a configured token)."""
    tokens: TokenSet = request.app.state.tokens
    found = tokens.find(token) if tokens and token else None
    if found is None:
        return None
    return sessions(request).open(Caller(name=found.name, role=found.role))


def write_refusal(request: Request, who: PageCaller | None, form_csrf: str | None
                  ) -> tuple[int, str] | None:
    """Why a write from a page is refused (status, message), or None when it may go ahead:
    401 without a valid token, 403 for a read token, with no tokens configured, or a form
    without its session's CSRF value."""
    if who is None:
        return 401, "a write token is needed: sign in with one"
    if who.via == "open":
        return 403, f"{NOT_CONFIGURED}: {request.url.path} needs a write token"
    if not who.may_write:
        return 403, (f"token {who.caller.name!r} has role {who.caller.role}: rolling back "
                     "needs a write token")
    if who.via == "session" and not (
            form_csrf and who.csrf and hmac.compare_digest(form_csrf, who.csrf)):
        return 403, "the form is out of date (sign in again and resubmit)"
    return None
