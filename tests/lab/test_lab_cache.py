"""The lab computes an answer once per state change, not once per received line.

Counted, not timed: how often the LACP resolution (``lab.lacp.resolve_links``, as the fabric
calls it) and a host renderer run.  And after every kind of state change (fault, team, cabling,
switch configuration) the cached answer equals one computed from scratch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from lagprov.lab.fabric import LabFabric
from lagprov.lab.hosts import linux as hosts_linux
from lagprov.lab.hosts.fleet import LabHost
from lagprov.lab.hosts.shell import LinuxShell
from lagprov.lab.lacp import resolve_links
from tests.lab.provisioned import provisioned_fabric

HOST = "lnx01"  # 802.3ad bond ens1f0-1 to eos7120-1 Ethernet1-2
BONDING = "cat /proc/net/bonding/bond0"


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return fn(*args, **kwargs)

        return counted


@pytest.fixture(scope="module")
def fabric() -> Iterator[LabFabric]:
    fab = provisioned_fabric()
    try:
        yield fab
    finally:
        fab.close()


@pytest.fixture
def resolutions(monkeypatch: pytest.MonkeyPatch) -> Counter:
    counter = Counter()
    monkeypatch.setattr("lagprov.lab.fabric.resolve_links", counter.wrap(resolve_links))
    return counter


def _fresh(fabric: LabFabric, host: LabHost) -> str:
    """The answer computed from scratch: no resolution, no answer kept from before."""
    fabric._resolved.clear()  # the cache under test
    host._answers.clear()
    host._answered = None
    return LinuxShell(host, "lab").handle(BONDING).output


def test_blank_lines_compute_nothing(fabric: LabFabric, resolutions: Counter) -> None:
    shell = LinuxShell(fabric.hosts[HOST], "lab")
    for line in ("", " ", "\t"):
        assert shell.handle(line).output == ""
    assert resolutions.calls == 0


def test_a_repeated_command_is_resolved_and_rendered_once(
        fabric: LabFabric, resolutions: Counter, monkeypatch: pytest.MonkeyPatch) -> None:
    renders = Counter()
    monkeypatch.setattr(hosts_linux, "proc_net_bonding",
                        renders.wrap(hosts_linux.proc_net_bonding))
    fabric._resolved.clear()  # start from a cold cache
    shell = LinuxShell(fabric.hosts[HOST], "lab")
    first = shell.handle(BONDING).output
    assert "Bonding Mode: IEEE 802.3ad" in first
    assert all(shell.handle(BONDING).output == first for _ in range(5))
    assert (resolutions.calls, renders.calls) == (1, 1)


def test_a_repeated_show_command_is_resolved_once(fabric: LabFabric,
                                                  resolutions: Counter) -> None:
    fabric._resolved.clear()
    cli = fabric.switch("ex4300-1").open_cli("lab")
    first = cli.handle("show lacp interfaces").output
    assert all(cli.handle("show lacp interfaces").output == first for _ in range(3))
    assert resolutions.calls == 1


def _fault(fabric: LabFabric) -> None:
    fabric.faults("eos7120-1").down_ports.add("Ethernet2")


def _heal(fabric: LabFabric) -> None:
    fabric.faults("eos7120-1").down_ports.discard("Ethernet2")


def _team(fabric: LabFabric) -> None:
    fabric.set_host_team(HOST, "balance-xor")


def _team_back(fabric: LabFabric) -> None:
    fabric.set_host_team(HOST, "802.3ad")


def _uncable(fabric: LabFabric) -> None:
    fabric.uncable(("eos7120-1", "Ethernet1"))


def _recable(fabric: LabFabric) -> None:
    fabric.cable(("eos7120-1", "Ethernet1"), (HOST, "ens1f0"))


def _shut(fabric: LabFabric) -> None:
    fabric.load_config("eos7120-1", ["interface Ethernet1", "shutdown"])


def _no_shut(fabric: LabFabric) -> None:
    fabric.load_config("eos7120-1", ["interface Ethernet1", "no shutdown"])


CHANGES = [_fault, _heal, _team, _team_back, _uncable, _recable, _shut, _no_shut]


def test_every_state_change_is_seen(fabric: LabFabric) -> None:
    host = fabric.hosts[HOST]
    cable = next(c for c in fabric.cables if (c.a_device, c.a_port) == ("eos7120-1", "Ethernet1")
                 or (c.b_device, c.b_port) == ("eos7120-1", "Ethernet1"))
    assert HOST in (cable.a_device, cable.b_device) and "ens1f0" in (cable.a_port, cable.b_port)
    shell = LinuxShell(host, "lab")
    before = shell.handle(BONDING).output
    seen = [before]
    for change in CHANGES:
        change(fabric)
        cached = shell.handle(BONDING).output
        assert cached == _fresh(fabric, host), change.__name__
        seen.append(cached)
    assert seen[-1] == before  # every change undone: the healthy answer again
    assert len(set(seen)) > 2  # and the changes did change the answer
