"""Bearer tokens of the HTTP service: two roles, kept hashed, compared in constant time.

Tokens live outside the inventory: the file named by ``LAGPROV_TOKENS_FILE`` and/or the
``LAGPROV_TOKENS`` variable, one token a line (``;`` also separates lines in the variable)::

    # name        role   SHA-256 of the token (hex), never the token itself
    host-pipeline read   sha256:5e88489...
    netops-ci     write  sha256:9f86d08...

``lagprov token new NAME --role read|write`` prints a fresh token once and the line to add.
``read`` may call every endpoint that reads (validate, render, plan, verify, the handshake,
``GET /trunks/...``) and post host reports to the handshake; ``write`` may also apply and roll
back.  With no token configured the service is read-only and reads are open (the CLI refuses a
non-loopback address then, unless ``--allow-open``).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterator
from contextvars import ContextVar
from enum import StrEnum
from pathlib import Path

from lagprov.errors import ConfigError
from lagprov.model.base import Model

ENV_TOKENS = "LAGPROV_TOKENS"
ENV_TOKENS_FILE = "LAGPROV_TOKENS_FILE"
TOKEN_PREFIX = "lgp_"  # noqa: S105 (a marker, not a secret)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
_HASH = re.compile(r"^(?:sha256:)?([0-9a-fA-F]{64})$")

# The bearer token of the request being answered (set by the service's middleware), so that a
# response that would echo it masks it like any other secret.
PRESENTED: ContextVar[str | None] = ContextVar("lagprov_presented_token", default=None)


class Role(StrEnum):
    """What a token may do: ``write`` includes ``read``."""

    READ = "read"
    WRITE = "write"


class Token(Model):
    """One configured token: its name (recorded with every write), role and SHA-256 (hex)."""

    name: str
    role: Role
    sha256: str


def token_hash(token: str) -> str:
    """The lowercase hex SHA-256 of ``token`` (UTF-8)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(name: str, role: Role) -> tuple[str, str]:
    """A fresh random token and the configuration line that admits it (name, role, hash)."""
    if not _NAME.match(name):
        raise ConfigError(f"token name {name!r}: 1-64 letters, digits, '_', '.', '@' or '-'")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, f"{name} {role.value} sha256:{token_hash(token)}"


def _parse_line(line: str, where: str) -> Token | None:
    text = line.split("#", 1)[0].strip()
    if not text:
        return None
    fields = text.split()
    if len(fields) != 3:
        raise ConfigError(f"{where}: expected 'NAME ROLE sha256:HEX' ({len(fields)} fields)")
    name, role, digest = fields
    if not _NAME.match(name):
        raise ConfigError(f"{where}: token name: 1-64 letters, digits, '_', '.', '@' or '-'")
    if role not in {r.value for r in Role}:
        raise ConfigError(f"{where}: role must be read or write")
    found = _HASH.match(digest)
    if found is None:  # never echo the field: it may be a token pasted in clear
        raise ConfigError(f"{where} ({name}): the third field must be the token's SHA-256 "
                          "(64 hex digits, 'lagprov token new' prints it), never the token")
    return Token(name=name, role=Role(role), sha256=found.group(1).lower())


def _lines(text: str, source: str, *, semicolons: bool) -> Iterator[tuple[str, str]]:
    rows = text.replace(";", "\n").splitlines() if semicolons else text.splitlines()
    for n, line in enumerate(rows, 1):
        yield line, f"{source}: line {n}"


class TokenSet:
    """The configured tokens (possibly none)."""

    def __init__(self, tokens: tuple[Token, ...] = ()) -> None:
        names = [t.name for t in tokens]
        if dup := sorted({n for n in names if names.count(n) > 1}):
            raise ConfigError(f"token {dup[0]!r} is configured twice")
        self.tokens = tokens

    @classmethod
    def from_env(cls) -> TokenSet:
        """Tokens from ``LAGPROV_TOKENS_FILE`` (a file) and ``LAGPROV_TOKENS`` (lines)."""
        rows: list[tuple[str, str]] = []
        path = os.environ.get(ENV_TOKENS_FILE)
        if path:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{ENV_TOKENS_FILE}={path}: cannot read it "
                                  f"({type(exc).__name__})") from None
            rows += _lines(text, path, semicolons=False)
        rows += _lines(os.environ.get(ENV_TOKENS, ""), ENV_TOKENS, semicolons=True)
        parsed = (_parse_line(line, where) for line, where in rows)
        return cls(tuple(t for t in parsed if t is not None))

    def __bool__(self) -> bool:
        return bool(self.tokens)

    def find(self, presented: str) -> Token | None:
        """The token whose hash matches ``presented``; every entry is compared, in constant
        time, so the answer's timing says nothing about which prefix matched."""
        digest = token_hash(presented)
        found = None
        for t in self.tokens:
            if hmac.compare_digest(digest, t.sha256):
                found = t
        return found


def bearer(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (None when absent)."""
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
