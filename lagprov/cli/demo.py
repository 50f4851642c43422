"""``make demo``: the main job, start to finish, on the built-in lab.

Starts simulated switches and hosts on loopback, then runs the real CLI against them:
validate -> plan -> apply --commit -> apply again (idempotent) -> verify -> inject drift ->
verify catches it -> change one trunk -> runs -> rollback (plan, then --commit) -> verify shows
the previous state -> stop the lab.  Every step prints what a newcomer needs to follow.
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
          "simulated Catalyst 2960-S and 9300, EX3300 and EX4300, Arista 7120T and an Arista "
          "7050X MLAG pair, Supermicro SSE-X24S and the hosts behind them, on 127.x loopback "
          "addresses")
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
    _step(2, "Validate the intent offline", "schema, naming, MTU semantics, team-mode "
          "compatibility, MPIO rules: nothing is sent to any device")
    _expect(_run("validate", "--inventory", i), 0, "validate")
    _step(3, "Plan", "read each switch's running config; show exactly what would change "
          "and the pre-change checks. Nothing is changed")
    _expect(_run("plan", "--inventory", i), 0, "plan")
    _step(4, "Apply with --commit", "NAPALM for IOS/EOS/Junos (Junos: commit confirmed, "
          "confirmed after read-back), Netmiko for Supermicro; saved; read back")
    _expect(_run("apply", "--inventory", i, "--commit"), 0, "apply")
    print("MLAG: lnx03-bond0 spans the pair eos7050-2a/2b, so this one run configured both "
          "peers (both, or neither)")
    _step(5, "Apply again", "idempotent: every device reports no change, nothing is sent")
    _expect(_run("apply", "--inventory", i, "--commit"), 0, "second apply")
    _step(6, "Audit: verify both ends of every trunk", "switch LAG/LACP state and every host "
          "read live (Linux shell, Windows PowerShell over OpenSSH, ESXi esxcli), parsed, "
          "normalised and checked rule by rule; the run is kept as the baseline")
    _expect(_run("audit", "--inventory", i), 0, "audit")
    _step(7, "Inject drift", "someone removes VLAN 20 from Port-Channel10 on eos7120-1 by "
          "hand, and hv01's team is switched to SwitchIndependent")
    fabric.load_config("eos7120-1", ["interface Port-Channel10",  # type: ignore[attr-defined]
                                     "switchport trunk allowed vlan 10"])
    fabric.set_host_team("hv01", "SwitchIndependent")  # type: ignore[attr-defined]
    _step(8, "Audit again", "the drift is caught: rule, trunk, both ends, the evidence, and "
          "what changed since the baseline")
    _expect(_run("audit", "--inventory", i), 1, "audit after drift")
    way_back(inv, work)


def way_back(inv: Path, work: Path) -> None:
    """A one-trunk change, then ``lagprov runs`` and ``lagprov rollback`` take it back."""
    from lagprov.runs import default_store

    i = str(inv)
    changed = _changed_inventory(inv, work / "inventory-change", "esx01-vswitch0", [10, 20])
    _step(9, "A change to one trunk", "a copy of the intent where esx01-vswitch0 no longer "
          "carries VLAN 30; --filter limits the change to that trunk's ports and bundle, "
          "nothing else on cat2960s-1 is touched")
    _expect(_run("apply", "--inventory", str(changed), "--filter", "esx01-vswitch0",
                 "--commit"), 0, "apply of the change")
    _step(10, "The way back: runs, then rollback", "every 'apply --commit' is stored with each "
          "device's configuration before and after; 'rollback RUN_ID' shows the restore of "
          "exactly the sections that run changed, and --commit pushes it the same safe way")
    _expect(_run("runs"), 0, "runs")
    run_id = default_store().recent(1)[0].id
    _expect(_run("rollback", run_id, "--inventory", i), 0, "rollback plan")
    _expect(_run("rollback", run_id, "--inventory", i, "--commit"), 0, "rollback")
    _step(11, "Verify the trunk again", "the original intent (VLANs 10, 20, 30) verifies "
          "clean: the switch is back to what it was before the change")
    _expect(_run("verify", "--inventory", i, "--filter", "esx01-vswitch0"), 0,
            "verify after rollback")


def _changed_inventory(inv: Path, dest: Path, trunk: str, vlans: list[int]) -> Path:
    """A copy of ``inv`` whose ``trunk`` carries ``vlans`` on its switch end."""
    import yaml

    shutil.copytree(inv, dest)
    doc = yaml.safe_load((dest / "trunks.yaml").read_text(encoding="utf-8"))
    for t in doc["trunks"]:
        if t["name"] == trunk:
            t["switch"]["l2"]["vlans"] = vlans
    (dest / "trunks.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return dest


if __name__ == "__main__":
    raise SystemExit(main())
