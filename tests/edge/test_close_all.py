"""``close_all`` closes every host's connections side by side (a close talks to the device),
each host's own in turn, and a close that fails stops no other (issue 15)."""

from __future__ import annotations

import threading
import time
from typing import Any

from nornir.core import Nornir
from nornir.core.inventory import Defaults, Groups, Host, Hosts, Inventory
from nornir.plugins.runners import ThreadedRunner

from lagprov.edge.nornir_glue import close_all


class _Slow:
    """A connection whose close takes a while, noting how many closes run at once."""

    def __init__(self, host: str, log: list[tuple[str, str]], state: dict[str, Any],
                 fails: bool = False) -> None:
        self.host, self.log, self.state, self.fails = host, log, state, fails

    def close(self) -> None:
        with self.state["lock"]:
            self.state["now"] += 1
            self.state["most"] = max(self.state["most"], self.state["now"])
        time.sleep(0.05)
        with self.state["lock"]:
            self.state["now"] -= 1
            self.log.append((self.host, threading.current_thread().name))
        if self.fails:
            raise OSError("the session died first")


def _nornir(workers: int, count: int) -> tuple[Nornir, list[tuple[str, str]], dict[str, Any]]:
    log: list[tuple[str, str]] = []
    state: dict[str, Any] = {"lock": threading.Lock(), "now": 0, "most": 0}
    hosts = Hosts()
    for k in range(count):
        host = Host(name=f"sw{k}")
        host.connections["napalm"] = _Slow(host.name, log, state, fails=k == 1)  # type: ignore[assignment]
        host.connections["netmiko"] = _Slow(host.name, log, state)  # type: ignore[assignment]
        hosts[host.name] = host
    nr = Nornir(inventory=Inventory(hosts=hosts, groups=Groups(), defaults=Defaults()),
                runner=ThreadedRunner(num_workers=workers))
    return nr, log, state


def test_hosts_close_side_by_side_and_a_failed_close_stops_none() -> None:
    nr, log, state = _nornir(workers=4, count=8)
    close_all(nr)
    assert all(not h.connections for h in nr.inventory.hosts.values())
    assert sorted(h for h, _ in log) == sorted(f"sw{k}" for k in range(8) for _ in range(2))
    assert 1 < state["most"] <= 4  # in parallel, never more than the run's workers
    threads: dict[str, set[str]] = {}
    for host, thread in log:
        threads.setdefault(host, set()).add(thread)
    assert all(len(t) == 1 for t in threads.values())  # a host's own closes in one thread


def test_one_worker_closes_one_host_after_the_other() -> None:
    nr, log, state = _nornir(workers=1, count=3)
    close_all(nr)
    assert state["most"] == 1
    assert [h for h, _ in log] == ["sw0", "sw0", "sw1", "sw1", "sw2", "sw2"]
