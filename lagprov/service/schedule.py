"""When the service audits: ``--audit-every 15m`` (an interval) or a 5-field cron expression,
each tick delayed by a random jitter; :class:`Ticker` calls a function on every tick.

An interval runs at a fixed rate from the service's start (the first tick at once, after its
jitter), so an audit that takes longer than the interval makes the next tick find it still
running (the runner records that tick as skipped) instead of sliding the schedule.  A cron
expression (``*/15 * * * *``, ``0 2 * * 1-5``) is read in the service's local time zone.  The
jitter (``--audit-jitter``, default a tenth of the period, at most 5 minutes) keeps services
started together from reading every switch in the same second.
"""

from __future__ import annotations

import logging
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from lagprov.errors import InputError

log = logging.getLogger("lagprov.service")

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_INTERVAL = re.compile(r"(?:\d+[smhd])+")
_PART = re.compile(r"(\d+)([smhd])")
MIN_INTERVAL = 1.0  # seconds
MAX_JITTER = 300.0  # seconds: the default jitter is a tenth of the period, at most this
CRON_FIELDS = 5


def parse_duration(text: str, option: str) -> float:
    """``30s``, ``15m``, ``1h30m``, ``1d`` in seconds.

    Raises:
        InputError: anything else, or zero.
    """
    value = text.strip().lower()
    if not _INTERVAL.fullmatch(value):
        raise InputError(f"{option} {text!r}", "expected a duration such as 30s, 15m, 1h30m "
                         "or 1d (s, m, h, d), or a 5-field cron expression")
    seconds = float(sum(int(n) * _UNITS[u] for n, u in _PART.findall(value)))
    if seconds <= 0:
        raise InputError(f"{option} {text!r}", "must be longer than zero")
    return seconds


def _cron(text: str, option: str) -> str:
    from croniter import croniter

    fields = text.split()
    if len(fields) != CRON_FIELDS or not croniter.is_valid(" ".join(fields)):
        raise InputError(f"{option} {text!r}", "not a duration (30s, 15m, 1h) nor a 5-field "
                         "cron expression (minute hour day-of-month month day-of-week, e.g. "
                         "'*/15 * * * *')")
    return " ".join(fields)


@dataclass(frozen=True)
class Schedule:
    """An interval (``every`` seconds) or a cron expression, and the jitter (seconds)."""

    text: str
    every: float | None = None
    cron: str | None = None
    jitter: float = 0.0

    @classmethod
    def parse(cls, text: str, jitter: str | None = None, *,
              option: str = "--audit-every") -> Schedule:
        """``text`` as an interval or a cron expression; ``jitter`` a duration, ``0``, or
        None for the default (a tenth of the period, at most :data:`MAX_JITTER`).

        Raises:
            InputError: either cannot be read (the option named).
        """
        if _INTERVAL.fullmatch(text.strip().lower()):
            every = parse_duration(text, option)
            if every < MIN_INTERVAL:
                raise InputError(f"{option} {text!r}", f"at least {MIN_INTERVAL:g}s")
            made = cls(text=text.strip(), every=every)
        else:
            made = cls(text=text.strip(), cron=_cron(text, option))
        if jitter is None:
            spread = min(made.period() / 10, MAX_JITTER)
        elif jitter.strip() == "0":
            spread = 0.0
        else:
            spread = parse_duration(jitter, "--audit-jitter")
        return cls(text=made.text, every=made.every, cron=made.cron, jitter=spread)

    def period(self) -> float:
        """Seconds between two ticks (for cron: between the next two, from now)."""
        if self.every is not None:
            return self.every
        first = self.next_after(time.time())
        return self.next_after(first) - first

    def next_after(self, when: float) -> float:
        """The first tick strictly after ``when`` (Unix time), jitter not included; for an
        interval, ``when + every``."""
        if self.every is not None:
            return when + self.every
        from croniter import croniter

        assert self.cron is not None
        start = datetime.fromtimestamp(when).astimezone()
        return float(croniter(self.cron, start).get_next(float))

    def describe(self) -> str:
        """How the schedule reads in the log."""
        what = f"every {self.text}" if self.every is not None else f"cron {self.cron!r}"
        return f"{what}, jitter up to {self.jitter:g}s"


class Ticker:
    """Calls ``on_tick`` on every tick of ``schedule`` from a thread of its own, until
    :meth:`stop`.  ``on_tick`` must not block for long (the runner only queues or records a
    skip); an exception it raises is logged and the schedule goes on.

    :meth:`fire` makes the next tick happen now (the schedule itself is not moved): the
    test hook that avoids waiting, and what a manual trigger would use.
    """

    def __init__(self, schedule: Schedule, on_tick: Callable[[], object], *,
                 clock: Callable[[], float] = time.time,
                 rng: Callable[[], float] = random.random) -> None:
        self.schedule = schedule
        self._on_tick = on_tick
        self._clock = clock
        self._rng = rng
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.ticks = 0  # ticks handed to on_tick so far

    def first_base(self, now: float) -> float:
        """The first tick before jitter: at once for an interval, the next match for cron."""
        return now if self.schedule.every is not None else self.schedule.next_after(now)

    def following(self, base: float, now: float) -> float:
        """The tick after ``base``; ticks already past ``now`` (a suspended process) are
        passed over, not fired in a burst."""
        nxt = self.schedule.next_after(base)
        while nxt <= now:
            nxt = self.schedule.next_after(nxt if self.schedule.every is not None else now)
        return nxt

    def start(self) -> None:
        """Start ticking (once)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping = False
        self._wake.clear()
        log.info("audits scheduled %s", self.schedule.describe())
        self._thread = threading.Thread(target=self._loop, name="lagprov-audit-schedule",
                                        daemon=True)
        self._thread.start()

    def fire(self) -> None:
        """Tick now."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop ticking (an ``on_tick`` in progress is waited for, up to ``timeout``)."""
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        base = self.first_base(self._clock())
        due = base + self.schedule.jitter * self._rng()
        while True:
            fired = self._wake.wait(max(0.0, due - self._clock()))
            if self._stopping:
                return
            self._wake.clear()
            if not fired and self._clock() < due:
                continue  # woke early (clock adjusted): wait for the rest
            self.ticks += 1
            try:
                self._on_tick()
            except Exception:  # the schedule outlives one bad tick
                log.exception("scheduled audit tick failed")
            if not fired:
                base = self.following(base, self._clock())
                due = base + self.schedule.jitter * self._rng()
