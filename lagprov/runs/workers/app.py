"""The Celery app of lagprov's workers: Redis as broker and result backend, named by
``$LAGPROV_BROKER_URL`` (``redis://host:6379/0``), JSON only on the wire.

Settings a fleet needs: a task is acknowledged only when it finished (``acks_late``) and put
back when its worker process dies (``reject_on_worker_lost``); a worker takes one task per
slot at a time (prefetch 1).  What the runs add on top (a lost worker noticed and its tasks
sent again, time limits, duplicate deliveries) is in :mod:`.tasks` and :mod:`.gather`.
"""

from __future__ import annotations

import os
import threading
from urllib.parse import urlsplit, urlunsplit

from celery import Celery

from lagprov.edge.bounds import env_number
from lagprov.edge.nornir_glue import Credentials
from lagprov.errors import ConfigError
from lagprov.runs.executor import BrokerUnavailable

ENV_BROKER = "LAGPROV_BROKER_URL"
ENV_TASK_LIMIT = "LAGPROV_TASK_TIME_LIMIT"  # seconds one device task may take (soft limit)
ENV_QUEUE_WAIT = "LAGPROV_QUEUE_WAIT"  # seconds a task may wait for a worker to take it
DEFAULT_QUEUE = "lagprov"
DEFAULT_TASK_LIMIT = 300.0
DEFAULT_QUEUE_WAIT = 600.0
# A message a dead worker held goes back to its queue this long after it was taken (Redis
# transport); the runs do not wait for it: they notice the loss and send the task again.
VISIBILITY_S = 3600
RESULT_TTL_S = 86400
KEY_PREFIX = "lagprov:"

TASK_READ_SWITCH = "lagprov.read_switch"
TASK_READ_HOST = "lagprov.read_host"
TASK_PLAN = "lagprov.plan_device"
TASK_APPLY = "lagprov.apply_device"
TASK_RESTORE = "lagprov.restore_device"

app = Celery("lagprov", set_as_current=False)
app.conf.update(
    task_serializer="json", result_serializer="json", accept_content=["json"],
    result_accept_content=["json"], task_acks_late=True, task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1, task_track_started=False, result_expires=RESULT_TTL_S,
    task_default_queue=DEFAULT_QUEUE, broker_connection_retry_on_startup=False,
    broker_connection_max_retries=3, broker_transport_options={
        "visibility_timeout": VISIBILITY_S, "socket_connect_timeout": 3},
    redis_socket_connect_timeout=3, redis_socket_timeout=30, redis_retry_on_timeout=True,
    worker_hijack_root_logger=False, worker_redirect_stdouts=False,
    worker_send_task_events=False, task_send_sent_event=False,
)


# The broadcast commands (ping, inspect, revoke) share one reply mailbox per process: one
# at a time (a run gathers its switches and its hosts in two threads).
CONTROL_LOCK = threading.Lock()


def redacted(url: str) -> str:
    """``url`` without its password (it may be printed)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def broker_url(url: str | None = None) -> str:
    """The broker's URL: ``url``, else ``$LAGPROV_BROKER_URL``.

    Raises:
        ConfigError: none set, or not a Redis URL.
    """
    url = url or os.environ.get(ENV_BROKER)
    if not url:
        raise ConfigError(f"set {ENV_BROKER} (e.g. redis://127.0.0.1:6379/0) to use workers "
                          "(--executor celery, lagprov worker)")
    if urlsplit(url).scheme not in ("redis", "rediss", "unix"):
        raise ConfigError(f"{ENV_BROKER} {redacted(url)}: expected a Redis URL "
                          "(redis://, rediss:// or unix://)")
    return url


def configured(url: str) -> Celery:
    """The app, with ``url`` as broker and result backend."""
    if app.conf.broker_url != url:
        app.conf.update(broker_url=url, result_backend=url)
    return app


def check_broker(url: str, timeout_s: float = 3.0) -> None:
    """Ping the broker once.

    Raises:
        BrokerUnavailable: it does not answer (one line, the URL without its password).
    """
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=timeout_s,
                                  socket_timeout=timeout_s)
    try:
        client.ping()
    except (redis.RedisError, OSError) as exc:
        raise BrokerUnavailable(f"the broker {redacted(url)} ({ENV_BROKER}) cannot be reached: "
                                f"{exc}; nothing was sent to any device") from None
    finally:
        client.close()


def preflight(url: str) -> None:
    """Before a worker starts: device credentials in its own environment (ConfigError), and
    the broker answering (BrokerUnavailable)."""
    Credentials.from_env()
    check_broker(url)


def task_limit() -> float:
    """Seconds one device task may take before it is stopped (``$LAGPROV_TASK_TIME_LIMIT``)."""
    return env_number(ENV_TASK_LIMIT, DEFAULT_TASK_LIMIT, minimum=1)


def queue_wait() -> float:
    """Seconds a task may wait for a worker (``$LAGPROV_QUEUE_WAIT``)."""
    return env_number(ENV_QUEUE_WAIT, DEFAULT_QUEUE_WAIT, minimum=1)


def queue_of(site: str | None) -> str:
    """The queue of a device's site (``data.queue``), or the default queue."""
    return site or DEFAULT_QUEUE


def attempt_key(task_id: str) -> str:
    """Where a delivery of ``task_id`` notes its worker, start and (apply) journal entry."""
    return f"{KEY_PREFIX}attempt:{task_id}"


def done_key(task_id: str) -> str:
    """Where a finished delivery of ``task_id`` keeps its result (a duplicate returns it)."""
    return f"{KEY_PREFIX}done:{task_id}"


def signal_key(run: str, what: str) -> str:
    """Set by a run on Ctrl-C: ``stop`` (no new commit) or ``abort`` (stop pushes)."""
    return f"{KEY_PREFIX}{what}:{run}"


def lock_key(task_id: str) -> str:
    """Held while a delivery of ``task_id`` runs: duplicates run one after the other."""
    return f"{KEY_PREFIX}lock:{task_id}"
