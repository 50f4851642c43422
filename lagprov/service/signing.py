"""Signed handshake requests: with ``LAGPROV_SERVICE_KEY`` set, the key authenticates the caller.

A caller of ``POST /trunks/{name}/ready`` or ``GET /trunks/{name}`` sends two headers::

    X-Lagprov-Timestamp: 1764660000.250913                (Unix time, seconds[.fraction])
    X-Lagprov-Signature: hmac-sha256=<lowercase hex>

The signature is the HMAC-SHA256, keyed with the UTF-8 bytes of ``LAGPROV_SERVICE_KEY``, of::

    METHOD "\\n" PATH "\\n" TIMESTAMP "\\n" BODY

(``METHOD`` upper case, ``PATH`` the URL path as sent without the query, e.g.
``/trunks/hv01-team/ready``; ``BODY`` the exact request bytes, empty for a GET).  A request
whose timestamp is more than :data:`MAX_SKEW` seconds away from the service's clock, or whose
signature was already used, is refused like an unsigned one (401): a captured request cannot
be replayed, and each request is signed afresh (the fraction keeps two requests in one second
apart).  Without a key no signature is asked for.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import threading
import time

SIGNATURE_HEADER = "x-lagprov-signature"
TIMESTAMP_HEADER = "x-lagprov-timestamp"
SCHEME = "hmac-sha256="
MAX_SKEW = 300
_STAMP = re.compile(r"^[0-9]{1,12}(\.[0-9]{1,9})?$")


class BadSignature(Exception):
    """Why a handshake request is not accepted (the message is safe to return)."""


def request_digest(key: str, method: str, path: str, timestamp: str, body: bytes) -> str:
    """The lowercase hex HMAC-SHA256 of the documented request bytes."""
    head = f"{method.upper()}\n{path}\n{timestamp}\n".encode()
    return hmac.new(key.encode("utf-8"), head + body, hashlib.sha256).hexdigest()


def sign_request(key: str, method: str, path: str, body: bytes = b"",
                 now: float | None = None) -> dict[str, str]:
    """The two headers a caller sends (what a host pipeline computes, as in README)."""
    stamp = f"{time.time() if now is None else now:.6f}"
    digest = request_digest(key, method, path, stamp, body)
    return {"X-Lagprov-Timestamp": stamp, "X-Lagprov-Signature": SCHEME + digest}


class ReplayGuard:
    """Signatures seen within the accepted clock window (each may be used once)."""

    def __init__(self) -> None:
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def first_use(self, digest: str, now: float) -> bool:
        """Record ``digest``; False when it was already used."""
        with self._lock:
            self._seen = {d: t for d, t in self._seen.items() if t > now - 2 * MAX_SKEW}
            if digest in self._seen:
                return False
            self._seen[digest] = now
            return True


def check_request(key: str, method: str, path: str, headers: dict[str, str], body: bytes,
                  guard: ReplayGuard, now: float | None = None) -> None:
    """Raise :class:`BadSignature` unless the request carries a fresh, valid signature."""
    stamp = headers.get(TIMESTAMP_HEADER, "")
    given = headers.get(SIGNATURE_HEADER, "")
    if not given or not stamp:
        raise BadSignature("unsigned request: LAGPROV_SERVICE_KEY is set, so the handshake "
                           "needs X-Lagprov-Timestamp and X-Lagprov-Signature (see README)")
    clock = time.time() if now is None else now
    if not _STAMP.match(stamp) or abs(clock - float(stamp)) > MAX_SKEW:
        raise BadSignature(f"X-Lagprov-Timestamp is not within {MAX_SKEW} s of the service's "
                           "clock")
    expected = SCHEME + request_digest(key, method, path, stamp, body)
    if not hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode()):
        raise BadSignature("wrong request signature: not made with this service's key over "
                           "this method, path, timestamp and body")
    if not guard.first_use(expected, clock):
        raise BadSignature("this signed request was already used (replay refused)")
