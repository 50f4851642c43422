"""Benchmark: the pure stages of ``apply`` and ``plan`` per device, without the wire.

Each device is provisioned through the real per-device algorithm
(:func:`lagprov.provision.device.provision_device`: read, checks, plan, push, read back, re-plan)
over a session that talks to the lab's simulated switch in-process (no SSH, no Nornir).  The
time spent inside that session is the lab's and is taken out: what remains is lagprov's own
pure work (parsing the running configuration, lint, checks, rendering, diff).

``python -m bench.pure OUT.json`` runs it alone (figures to ``OUT.json`` and stdout).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import NamedTuple

from bench.common import Figure, Results, section
from bench.fleet import generate_fleet, one_switch_fleet
from lagprov.intent.load import load_inventory
from lagprov.knowledge.platforms import StateQuery, get_spec
from lagprov.lab.fabric import LabFabric
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import OutcomeStatus
from lagprov.model.types import Platform
from lagprov.provision.device import provision_device
from lagprov.provision.precheck import pairing_problems, run_checks

RUNS = 3
PLAN_SIZES = (250, 500, 1000)
# Figures measured before the fleet-size fixes (issues 15 and 16), beside each new one.
BASELINE_APPLY_MS = 63.0  # issue 15: pure stages of a 50-switch apply, per device
BASELINE_PLAN_S = {250: 10.0, 500: 33.0, 1000: 128.0}  # issue 16: planning time by trunks
_SECRET = "lab-secret"


class LabSession:
    """A :class:`~lagprov.model.session.Session` over a lab switch, in-process; ``spent`` is
    the time the lab took to answer (not lagprov's)."""

    atomic_commit = True
    native_rollback = False

    def __init__(self, fabric: LabFabric, inv: Inventory, device: str) -> None:
        self.fabric, self.device = fabric, device
        self.platform = inv.switch(device).platform
        self.spent = self.spent_cpu = 0.0
        self._candidate: list[str] = []
        self._cli = fabric.switch(device).open_cli("lab")
        if self.platform in (Platform.CISCO_IOS, Platform.ARISTA_EOS):
            self._lab(lambda: [self._cli.handle(line) for line in ("enable", _SECRET)])

    def _lab(self, fn: Callable[[], object]) -> object:
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return fn()
        finally:
            self.spent += time.perf_counter() - start
            self.spent_cpu += time.process_time() - cpu

    def run(self, command: str) -> str:
        if command == get_spec(self.platform).commands[StateQuery.RUNNING_CONFIG]:
            return str(self._lab(lambda: self.fabric.running_config(self.device)))
        return str(self._lab(lambda: self._cli.handle(command).output))

    def load(self, lines: Sequence[str]) -> str | None:
        self._candidate = list(lines)
        return None

    def commit(self, *, confirm_seconds: int | None = None) -> None:  # noqa: ARG002
        lines = self._candidate
        self._lab(lambda: self.fabric.load_config(self.device, lines))

    def confirm(self) -> None:
        return None

    def discard(self, *, force: bool = False) -> None:  # noqa: ARG002
        self._candidate = []

    def rollback(self, reverse: Sequence[str]) -> None:
        self._lab(lambda: self.fabric.load_config(self.device, list(reverse)))


class Pure(NamedTuple):
    """One run: lagprov's own wall and CPU seconds (the lab's taken out), the lab's wall."""

    wall: float
    cpu: float
    lab: float
    devices: int
    bad: list[str]


def provision_pure(inv: Inventory, *, commit: bool) -> Pure:
    """One run over a fresh lab: the lint once per run (as ``provision_run``), then every
    switch through ``provision_device``; unexpected outcomes in ``bad``."""
    fabric = LabFabric.from_inventory(inv)
    start, cpu = time.perf_counter(), time.process_time()
    checker = partial(run_checks, pairing=pairing_problems(inv))  # as provision_run does
    lab = lab_cpu = 0.0
    bad: list[str] = []
    want = {OutcomeStatus.APPLIED, OutcomeStatus.NOOP} if commit else {OutcomeStatus.PLANNED}
    for sw in inv.switches:
        session = LabSession(fabric, inv, sw.name)
        out = provision_device(session, inv, sw.name, commit=commit, checker=checker,
                               device_diff=False)
        lab, lab_cpu = lab + session.spent, lab_cpu + session.spent_cpu
        if out.status not in want:
            bad.append(f"{sw.name}={out.status.value}")
    return Pure(time.perf_counter() - start - lab, time.process_time() - cpu - lab_cpu, lab,
                len(inv.switches), bad)


def _spread(samples: list[float], scale: float = 1.0, digits: int = 1) -> str:
    lo, hi = min(samples) * scale, max(samples) * scale
    return f"min-max {lo:.{digits}f}-{hi:.{digits}f}"


def measure(add: Callable[..., None]) -> None:
    """Apply per device on the 50-switch fleet, then planning time by trunks on one switch."""
    with tempfile.TemporaryDirectory() as tmp:
        folder, switches, trunks = generate_fleet(Path(tmp) / "fleet")
        inv = load_inventory(folder)
        runs = [provision_pure(inv, commit=True) for _ in range(RUNS)]
        per = [r.cpu / r.devices * 1000 for r in runs]
        wall = [r.wall / r.devices * 1000 for r in runs]
        bad = sorted({b for r in runs for b in r.bad})
        add("apply: pure stages per device (CPU)", statistics.median(per), "ms",
            f"median of {RUNS}, {_spread(per)} ms; wall {statistics.median(wall):.1f} ms "
            f"({_spread(wall)}); {switches} switches, {trunks} trunks, commit; baseline "
            f"{BASELINE_APPLY_MS:.0f} ms, goal <= 20 ms; the lab's "
            f"{statistics.median(r.lab for r in runs):.2f} s taken out"
            + (f"; UNEXPECTED {', '.join(bad[:4])}" if bad else ""))
        last: float | None = None
        for size in PLAN_SIZES:
            big, _ = one_switch_fleet(Path(tmp) / f"plan{size}", size, "eos")
            binv = load_inventory(big)
            samples = [provision_pure(binv, commit=False) for _ in range(RUNS)]
            secs = [r.cpu for r in samples]
            med = statistics.median(secs)
            growth = f"; x{med / last:.2f} for x2 trunks" if last else ""
            bad = sorted({b for r in samples for b in r.bad})
            add(f"plan (CPU): one switch, {size} trunks", med, "s",
                f"median of {RUNS}, {_spread(secs, digits=2)} s, wall "
                f"{statistics.median(r.wall for r in samples):.2f} s{growth}; baseline "
                f"{BASELINE_PLAN_S[size]:.0f} s and DuplicateChildError"
                + (f"; UNEXPECTED {', '.join(bad)}" if bad else ""))
            last = med


def run(results: Results) -> None:
    """Record the figures of :func:`measure` (in this process: no memory figure here)."""
    with section("pure stages of apply and plan (no wire)"):
        measure(lambda *a, **k: results.add("pure", *a, **k))


def main(out: Path | None) -> None:
    figs: list[Figure] = []

    def add(name: str, value: float, unit: str, note: str = "") -> None:
        figs.append(Figure("pure", name, value, unit, note))
        print(f"  [pure] {name}: {value:.3g} {unit}  ({note})", flush=True)

    measure(add)
    if out is not None:
        out.write_text(json.dumps([f.__dict__ for f in figs]), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
