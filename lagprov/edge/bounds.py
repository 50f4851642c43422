"""Bounds on talking to one device: a deadline for the whole of it, and connect retries.

* :func:`within` runs a device's work under a deadline.  A wedged device (it accepts TCP and
  never sends a banner or a prompt) holds a library call for as long as the library's own
  timeouts add up (banner, auth, read: 94 s for one verify); past the deadline the work is
  left to finish in the background (a daemon thread, its session closed when the run ends)
  and the device alone fails with a timeout.
* :func:`connect_retrying` retries opening a session after a transient failure (connection
  reset or refused, timeout while connecting), with exponential backoff, a small number of
  times (tenacity).  It wraps only the connect: nothing that sends configuration is retried.

The limits come from :class:`~lagprov.edge.nornir_glue.TransportChoice`, whose defaults read
``LAGPROV_DEVICE_DEADLINE`` (seconds, default 30), ``LAGPROV_CONNECT_RETRIES`` (default 2)
and ``LAGPROV_CONNECT_BACKOFF`` (first wait in seconds, default 1; doubled each time).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TypeVar

from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from lagprov.errors import AuthError, ConfigError, ConnectError, TransportTimeout

T = TypeVar("T")

ENV_DEADLINE = "LAGPROV_DEVICE_DEADLINE"
ENV_RETRIES = "LAGPROV_CONNECT_RETRIES"
ENV_BACKOFF = "LAGPROV_CONNECT_BACKOFF"
DEFAULT_DEADLINE_S = 30.0
DEFAULT_RETRIES = 2
DEFAULT_BACKOFF_S = 1.0


class DeadlineExceeded(TransportTimeout):
    """A device did not finish within its deadline."""


def env_number(name: str, default: float, *, minimum: float) -> float:
    """The number in environment variable ``name`` (``default`` if unset).

    Raises:
        ConfigError: not a number, or below ``minimum``.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: not a number") from None
    if value < minimum or value != value:  # NaN
        raise ConfigError(f"{name}={raw!r}: must be at least {minimum:g}")
    return value


def within(seconds: float, call: Callable[[], T], what: str) -> T:
    """``call()``, or :class:`DeadlineExceeded` naming ``what`` after ``seconds``."""
    box: list[tuple[bool, object]] = []
    done = threading.Event()

    def run() -> None:
        try:
            box.append((True, call()))
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller below
            box.append((False, exc))
        finally:
            done.set()

    threading.Thread(target=run, name=f"lagprov {what}", daemon=True).start()
    if not done.wait(seconds):
        raise DeadlineExceeded(
            f"{what}: no answer within the device deadline of {seconds:g} s (the device "
            f"accepts connections but does not finish; --deadline or {ENV_DEADLINE})")
    ok, value = box[0]
    if not ok:
        assert isinstance(value, BaseException)
        raise value
    return value  # type: ignore[return-value]


def _transient(exc: BaseException) -> bool:
    return isinstance(exc, ConnectError | TransportTimeout) and not isinstance(
        exc, AuthError | DeadlineExceeded)


def connect_retrying(connect: Callable[[], T], *, retries: int, backoff_s: float) -> T:
    """``connect()``, tried again up to ``retries`` times after a transient failure (waiting
    ``backoff_s``, then twice that, ...); an authentication failure is never retried."""
    retrying = Retrying(
        stop=stop_after_attempt(max(0, retries) + 1),
        wait=wait_exponential(multiplier=backoff_s, min=backoff_s, max=max(backoff_s, 30.0)),
        retry=retry_if_exception(_transient),
        reraise=True,
    )
    return retrying(connect)
