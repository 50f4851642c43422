"""``make demo``: the main job, start to finish, on the built-in lab.

Starts simulated switches and hosts on loopback, then runs the real CLI against them:
validate -> plan -> apply --commit -> apply again (idempotent) -> verify -> inject drift ->
verify catches it -> stop the lab.  Every step prints what a newcomer needs to follow.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lagprov.cli import main as cli
from lagprov.intent.load import load_inventory

LAB_CREDENTIALS = {"LAGPROV_USERNAME": "lab", "LAGPROV_PASSWORD": "lab-password",
                   "LAGPROV_SECRET": "lab-secret"}


def _step(n: int, title: str, explain: str) -> None:
    print(f"\n{'=' * 78}\n[{n}] {title}\n    {explain}\n{'=' * 78}", flush=True)


def _run(*argv: str) -> int:
    print(f"$ lagprov {' '.join(argv)}", flush=True)
    started = time.monotonic()
    code = cli(list(argv))
    print(f"(exit {code}, {time.monotonic() - started:.1f} s)", flush=True)
    return code


def _expect(code: int, wanted: int, what: str) -> None:
    if code != wanted:
        raise SystemExit(f"demo: {what} exited {code}, expected {wanted}")


def main(inventory: Path = Path("inventory")) -> int:
    """Run the demo; returns the exit code for ``make``."""
    from lagprov.lab.fabric import LabFabric, fresh_block

    os.environ.update(LAB_CREDENTIALS)
    work = Path(tempfile.mkdtemp(prefix="lagprov-demo-"))
    os.environ.setdefault("LAGPROV_STATE", str(work / "state"))
    inv = load_inventory(inventory)
    fabric = LabFabric.from_inventory(inv, rebase=fresh_block())
    _step(1, "Start the built-in lab",
          "simulated Catalyst 2960-S and 9300, EX3300 and EX4300, Arista 7120T, Supermicro "
          "SSE-X24S and the hosts behind them, on 127.x loopback addresses")
    started = time.monotonic()
    fabric.start()
    lab_inv = fabric.write_inventory(work / "inventory")
    print(f"lab up in {time.monotonic() - started:.2f} s; inventory for it: {lab_inv}")
    inject: list[Callable[[], None]] = []
    try:
        steps(lab_inv, fabric, work, inject)
    finally:
        fabric.stop()
        print("\nlab stopped.")
    shutil.rmtree(work, ignore_errors=True)
    return 0


def steps(inv: Path, fabric: object, work: Path, _inject: list[Callable[[], None]]) -> None:
    """The numbered steps after the lab is up."""
    i = str(inv)
    reports = work / "reports"
    _step(2, "Validate the intent offline", "schema, naming, MTU semantics, team-mode "
          "compatibility, MPIO rules: nothing is sent to any device")
    _expect(_run("validate", "--inventory", i), 0, "validate")
    _step(3, "Plan", "read each switch's running config; show exactly what would change "
          "and the pre-change checks. Nothing is changed")
    _expect(_run("plan", "--inventory", i), 0, "plan")
    _step(4, "Apply with --commit", "NAPALM for IOS/EOS/Junos (Junos: commit confirmed, "
          "confirmed after read-back), Netmiko for Supermicro; saved; read back")
    _expect(_run("apply", "--inventory", i, "--commit"), 0, "apply")
    _step(5, "Apply again", "idempotent: every device reports no change, nothing is sent")
    _expect(_run("apply", "--inventory", i, "--commit"), 0, "second apply")
    write_reports = getattr(fabric, "write_host_reports", None)
    if callable(write_reports):
        write_reports(reports)
    _step(6, "Audit: verify both ends of every trunk", "switch LAG/LACP state and host team "
          "reports parsed, normalised and checked rule by rule; the run is kept as the baseline")
    _expect(_run("audit", "--inventory", i, "--reports", str(reports)), 0, "audit")
    _step(7, "Inject drift", "someone removes VLAN 20 from Port-Channel10 on eos7120-1 by "
          "hand, and hv01's team is switched to SwitchIndependent")
    fabric.load_config("eos7120-1", ["interface Port-Channel10",  # type: ignore[attr-defined]
                                     "switchport trunk allowed vlan 10"])
    fabric.set_host_team("hv01", "SwitchIndependent")  # type: ignore[attr-defined]
    if callable(write_reports):
        write_reports(reports)
    _step(8, "Audit again", "the drift is caught: rule, trunk, both ends, the evidence, and "
          "what changed since the baseline")
    _expect(_run("audit", "--inventory", i, "--reports", str(reports)), 1, "audit after drift")


if __name__ == "__main__":
    raise SystemExit(main())
