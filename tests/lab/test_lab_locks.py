"""The lab never wedges: switch show commands and the host-report writer run concurrently.

A show command resolves LACP over the device's neighbours (Junos holds its switch lock for the
whole command) while the report writer resolves it from each host's side: with one lock per
device those took a switch's and a host's lock in opposite orders.  Bounded loops, daemon
threads and joins with a deadline, so a deadlock fails the test instead of hanging it.
"""

from __future__ import annotations

import re
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from lagprov.lab.base import CliSession, LabSwitch
from tests.lab.provisioned import provisioned_fabric

ROUNDS = 30
_REFUSED = re.compile(r"invalid|unknown command|syntax error|error:", re.IGNORECASE)
DEADLINE_S = 120.0
SHOWS = {"juniper_junos": "show lacp interfaces", "supermicro_smis": "show etherchannel summary",
         "cisco_ios": "show etherchannel summary", "arista_eos": "show port-channel"}


def _privileged_cli(sw: LabSwitch) -> CliSession:
    cli = sw.open_cli("lab")
    if sw.platform in ("cisco_ios", "arista_eos"):
        cli.handle("enable")
        if cli.prompt().rstrip().endswith("assword:"):
            cli.handle("lab-secret")
        assert cli.prompt().rstrip().endswith("#"), cli.prompt()
    return cli


def _guarded(errors: list[BaseException], fn: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised by the test thread
            errors.append(exc)

    return run


def test_show_commands_while_host_reports_are_written(tmp_path: Path) -> None:
    fabric = provisioned_fabric()  # trunks configured, so every show resolves LACP
    errors: list[BaseException] = []
    shown: dict[str, int] = {}

    def shows(sw: LabSwitch) -> Callable[[], None]:
        def run() -> None:
            cli = _privileged_cli(sw)
            for _ in range(ROUNDS):
                out = cli.handle(SHOWS[sw.platform]).output
                assert out.strip() and not _REFUSED.search(out), out
            shown[sw.name] = ROUNDS

        return run

    def reports() -> None:
        for _ in range(ROUNDS):
            assert fabric.write_host_reports(tmp_path)

    threads = [threading.Thread(target=_guarded(errors, shows(sw)), name=f"show-{n}", daemon=True)
               for n, sw in fabric.switches.items()]
    threads += [threading.Thread(target=_guarded(errors, reports), name=f"reports-{i}",
                                 daemon=True) for i in range(2)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often, so lock windows overlap
    try:
        for t in threads:
            t.start()
        deadline = time.monotonic() + DEADLINE_S
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))
    finally:
        sys.setswitchinterval(interval)
    stuck = [t.name for t in threads if t.is_alive()]
    assert not stuck, f"the lab is wedged (deadlock): {stuck} never finished"
    fabric.close()
    assert not errors, errors
    assert shown == {n: ROUNDS for n in fabric.switches}
