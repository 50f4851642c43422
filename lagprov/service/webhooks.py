"""Webhook notifications: one message per audit in which failures appeared or were resolved
(each finding compared with its last known status in the history, so an audit in which its
device was unreachable neither opens nor resolves it: :mod:`lagprov.runs.history.last_known`),
POSTed to every configured receiver.

Configuration (environment)::

    LAGPROV_WEBHOOK_URLS      receivers, separated by commas or white space
    LAGPROV_WEBHOOK_URL       one receiver (added to the list)
    LAGPROV_WEBHOOK_KEY       sign every message with this key (HMAC-SHA256)
    LAGPROV_WEBHOOK_TIMEOUT   seconds one attempt may take (default 10)
    LAGPROV_WEBHOOK_ATTEMPTS  attempts per receiver (default 3; 5xx, 429 and no answer retried)

The body is JSON that Slack and Teams incoming webhooks both take: ``text`` (the message a
person reads) and, for a program, ``metadata.event_payload`` (Slack's message metadata):
the job, the audit, each new and resolved failure (trunk, rule, device, subject, message) and
the trunks by status.  Headers: ``X-Lagprov-Event: audit-changes``, ``X-Lagprov-Delivery``
(one id per message, the same on every retry: a receiver drops a repeat), and with a key::

    X-Lagprov-Timestamp: 1764660000          (Unix time, seconds)
    X-Lagprov-Signature: hmac-sha256=<lowercase hex HMAC-SHA256 of TIMESTAMP "\\n" BODY>

keyed with the UTF-8 bytes of the key.  A receiver that fails never fails the audit: the
outcome of every delivery is logged and kept with the job (``GET /audits/{id}``).  A webhook
URL holds its own secret (Slack, Teams), so only its scheme and host are ever logged or shown.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from lagprov.errors import ConfigError
from lagprov.report import RunReport
from lagprov.runs.audit import AuditDelta, FindingChange
from lagprov.runs.history.jobs import Delivery, trunks_by_status
from lagprov.service.limits import env_number
from lagprov.service.scrub import ENV_WEBHOOK_KEY

log = logging.getLogger("lagprov.service")

ENV_URLS = "LAGPROV_WEBHOOK_URLS"
ENV_URL = "LAGPROV_WEBHOOK_URL"
ENV_KEY = ENV_WEBHOOK_KEY  # "LAGPROV_WEBHOOK_KEY", masked in every response
ENV_TIMEOUT = "LAGPROV_WEBHOOK_TIMEOUT"
ENV_ATTEMPTS = "LAGPROV_WEBHOOK_ATTEMPTS"
EVENT = "audit-changes"
EVENT_TYPE = "lagprov_audit_changes"  # Slack metadata event_type
SIGNATURE_HEADER = "X-Lagprov-Signature"
TIMESTAMP_HEADER = "X-Lagprov-Timestamp"
DELIVERY_HEADER = "X-Lagprov-Delivery"
SCHEME = "hmac-sha256="
MAX_LISTED = 20  # failures listed in the text per kind; the payload lists every one


@dataclass(frozen=True)
class WebhookConfig:
    """Where messages go and how hard to try (``backoff``: seconds before the second
    attempt, doubled after each, at most 30)."""

    urls: tuple[str, ...] = ()
    key: str | None = None
    timeout: float = 10.0
    attempts: int = 3
    backoff: float = 1.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    @classmethod
    def from_env(cls) -> WebhookConfig:
        """The configuration from the environment.

        Raises:
            ConfigError: a URL that is not http(s), a bad number (the variable named; the
                URL itself is not repeated: it may hold a secret).
        """
        urls: list[str] = []
        for name in (ENV_URLS, ENV_URL):
            for i, url in enumerate(re.split(r"[\s,]+", os.environ.get(name, "").strip())):
                if not url:
                    continue
                parts = urlsplit(url)
                if parts.scheme not in ("http", "https") or not parts.hostname:
                    raise ConfigError(f"{name}: entry {i + 1} is not an http(s) URL")
                urls.append(url)
        key = os.environ.get(ENV_KEY) or None
        return cls(urls=tuple(dict.fromkeys(urls)), key=key,
                   timeout=env_number(ENV_TIMEOUT, 10.0, minimum=0.1),
                   attempts=int(env_number(ENV_ATTEMPTS, 3, minimum=1)))


def redact(url: str) -> str:
    """``url`` as it may be shown: scheme, host and port (its path may be a secret)."""
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    rest = "/..." if parts.path.strip("/") or parts.query else ""
    return f"{parts.scheme}://{parts.hostname}{port}{rest}"


def signature(key: str, timestamp: str, body: bytes) -> str:
    """The lowercase hex HMAC-SHA256 of ``TIMESTAMP "\\n" BODY`` (what a receiver checks)."""
    return hmac.new(key.encode("utf-8"), timestamp.encode() + b"\n" + body,
                    hashlib.sha256).hexdigest()


# --- the message (pure) ------------------------------------------------------------------


def _escape(text: str) -> str:
    """Slack's three control characters in message text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _line(kind: str, f: FindingChange) -> str:
    where = " ".join(x for x in (f.device, f.subject) if x)
    return _escape(f"{kind} {f.trunk}: {f.rule}" + (f" ({where})" if where else "")
                   + f": {f.message}")


def _listed(kind: str, items: Sequence[FindingChange]) -> list[str]:
    lines = [_line(kind, f) for f in items[:MAX_LISTED]]
    if len(items) > MAX_LISTED:
        lines.append(f"... and {len(items) - MAX_LISTED} more {kind.lower()}")
    return lines


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def build_message(*, job: str, audit: str | None, report: RunReport,
                  delta: AuditDelta) -> dict[str, Any] | None:
    """The message for one audit, or None when no failure appeared or was resolved."""
    if not delta.new_failures and not delta.resolved_failures:
        return None
    trunks = trunks_by_status(report)
    head = (f"lagprov audit {audit or delta.current}: "
            f"{_plural(len(delta.new_failures), 'new failure')}, "
            f"{len(delta.resolved_failures)} resolved")
    now = ", ".join(f"{trunks[s]} {s}" for s in ("fail", "warning", "unverifiable", "pass"))
    lines = [head, *_listed("NEW", delta.new_failures),
             *_listed("RESOLVED", delta.resolved_failures), f"Trunks now: {now}"]
    if report.errors:
        lines.append("Devices not read: " + _escape(", ".join(
            f"{e.device} ({e.kind.value})" for e in report.errors)))
    payload = {
        "event": EVENT, "job": job, "audit": audit, "taken": delta.current,
        "previous": delta.previous,
        "new_failures": [f.model_dump(mode="json") for f in delta.new_failures],
        "resolved_failures": [f.model_dump(mode="json") for f in delta.resolved_failures],
        "trunks": trunks, "device_errors": len(report.errors),
    }
    return {"text": "\n".join(lines),
            "metadata": {"event_type": EVENT_TYPE, "event_payload": payload}}


# --- sending -----------------------------------------------------------------------------


class _Retry(Exception):
    """An answer worth another attempt (5xx, 429)."""


class _Refused(Exception):
    """An answer that another attempt would not change (3xx, 4xx)."""


def _send(config: WebhookConfig, client: httpx.Client, url: str, body: bytes,
          delivery: str) -> Delivery:
    target = redact(url)
    tries = 0
    status: int | None = None

    def attempt() -> None:
        nonlocal tries, status
        tries += 1
        headers = {"Content-Type": "application/json", "User-Agent": "lagprov",
                   "X-Lagprov-Event": EVENT, DELIVERY_HEADER: delivery}
        if config.key:
            stamp = f"{time.time():.0f}"
            headers[TIMESTAMP_HEADER] = stamp
            headers[SIGNATURE_HEADER] = SCHEME + signature(config.key, stamp, body)
        status = None
        answer = client.post(url, content=body, headers=headers)
        status = answer.status_code
        if status >= 500 or status == 429:
            raise _Retry(f"HTTP {status}")
        if status >= 300:
            raise _Refused(f"HTTP {status}" + (" (redirects are not followed)"
                                               if status < 400 else ""))

    retrying = Retrying(stop=stop_after_attempt(config.attempts),
                        wait=wait_exponential(multiplier=config.backoff, max=30),
                        retry=retry_if_exception_type((_Retry, httpx.TransportError)),
                        sleep=config.sleep, reraise=True)
    error: str | None = None
    try:
        retrying(attempt)
    except (_Retry, _Refused) as exc:
        error = str(exc)
    except httpx.TimeoutException:
        error = f"no answer within {config.timeout:g}s"
    except httpx.TransportError as exc:
        error = f"{type(exc).__name__}: {str(exc).replace(url, target)[:200]}"
    if error is None:
        log.info("webhook %s: delivery %s sent (HTTP %s)", target, delivery, status)
    else:
        log.warning("webhook %s: delivery %s failed after %d attempt(s): %s", target,
                    delivery, tries, error)
    return Delivery(target=target, delivery=delivery, ok=error is None, status=status,
                    attempts=tries, error=error)


def deliver(config: WebhookConfig, message: dict[str, Any]) -> tuple[Delivery, ...]:
    """POST ``message`` to every receiver of ``config``; every outcome, never an exception
    for a receiver that fails."""
    if not config.urls:
        return ()
    body = json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    delivery = secrets.token_hex(8)
    with httpx.Client(timeout=config.timeout, follow_redirects=False, trust_env=True) as c:
        return tuple(_send(config, c, url, body, delivery) for url in config.urls)
