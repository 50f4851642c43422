"""Who may call what: FastAPI dependencies over the tokens (:mod:`.auth`) and, for the
handshake, the request signature (:mod:`.signing`).

=================================  =====================================================
no token configured                reads open (loopback unless ``serve --allow-open``);
                                   apply, rollback and posted host reports refused (403)
tokens configured                  every endpoint but ``/health`` needs a valid token
                                   (401 without one); ``read`` reads and posts host
                                   reports; ``write`` also applies and rolls back (403)
``LAGPROV_SERVICE_KEY`` set        the handshake also needs a signed request (401)
=================================  =====================================================
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import HTTPException, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from lagprov.model.base import Model
from lagprov.service.auth import ENV_TOKENS, ENV_TOKENS_FILE, Role, TokenSet
from lagprov.service.signing import BadSignature, ReplayGuard, check_request
from lagprov.service.verdict import service_key

_BEARER = HTTPBearer(auto_error=False, description="a lagprov token ('lagprov token new')")
_CREDS = Security(_BEARER)
_CHALLENGE = {"WWW-Authenticate": "Bearer"}
NOT_CONFIGURED = (f"no tokens are configured ({ENV_TOKENS_FILE} / {ENV_TOKENS}), so the "
                  "service is read-only")


class Caller(Model):
    """The caller of a request: its token's name and role, or anonymous (both None)."""

    name: str | None = None
    role: Role | None = None


def _tokens(request: Request) -> TokenSet:
    tokens: TokenSet = request.app.state.tokens
    return tokens


def require(role: Role) -> Callable[..., Caller]:
    """A dependency: the caller, refused unless it may act as ``role``."""

    def caller(request: Request, creds: HTTPAuthorizationCredentials | None = _CREDS
               ) -> Caller:
        tokens = _tokens(request)
        if not tokens:
            if role is Role.WRITE:
                raise HTTPException(403, f"{NOT_CONFIGURED}: {request.url.path} needs a "
                                    "write token")
            return Caller()
        if creds is None:
            raise HTTPException(401, "a bearer token is needed (Authorization: Bearer ...)",
                                headers=_CHALLENGE)
        found = tokens.find(creds.credentials)
        if found is None:
            raise HTTPException(401, "the bearer token is not valid", headers=_CHALLENGE)
        if role is Role.WRITE and found.role is not Role.WRITE:
            raise HTTPException(403, f"token {found.name!r} has role {found.role.value}: "
                                f"{request.url.path} needs a write token")
        return Caller(name=found.name, role=found.role)

    return caller


def may_post_reports(request: Request, caller: Caller) -> None:
    """Host reports handed to the handshake come only from a caller with a token."""
    if caller.name is None:
        why = NOT_CONFIGURED if not _tokens(request) else "anonymous caller"
        raise HTTPException(403, f"{why}: posting host reports needs a read or write token")


async def signed(request: Request) -> None:
    """With ``LAGPROV_SERVICE_KEY`` set, refuse a handshake request that is not signed with it."""
    key = service_key()
    if key is None:
        return
    raw = request.scope.get("raw_path")
    path = raw.decode("latin-1").split("?", 1)[0] if raw else request.url.path
    headers = {k.lower(): v for k, v in request.headers.items()}
    guard: ReplayGuard = request.app.state.replays
    try:
        check_request(key, request.method, path, headers, await request.body(), guard)
    except BadSignature as exc:
        raise HTTPException(401, str(exc)) from None
