"""Hyper-V Switch Embedded Teaming (SET) on the lab: read from ``Get-VMSwitchTeam``.

SET is always switch independent (vendor-cli.md 5.1): the switch ports must be plain,
identical ports, no LAG.  The example's hv01-team becomes a SET trunk here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from lagprov.intent.load import load_inventory
from lagprov.verify import Status
from tests.e2e.test_verify_faults import INVENTORY, Lab, failed, start_lab, status_of

TRUNK = "hv01-team"


pytestmark = pytest.mark.usefixtures("lab_credentials")


def _set_inventory(dest: Path) -> Path:
    """The example inventory with hv01-team as a SET switch over NIC1/NIC2."""
    dest.mkdir()
    for f in Path(INVENTORY.root).iterdir():
        if f.is_file():
            (dest / f.name).write_text(f.read_text())
    doc = yaml.safe_load((dest / "trunks.yaml").read_text())
    trunk = next(t for t in doc["trunks"] if t["name"] == TRUNK)
    for key in ("channel", "lacp_rate", "min_links"):
        trunk["switch"].pop(key)
    trunk["switch"]["mode"] = "independent"
    trunk["host"] = {"device": "hv01", "team": "SET", "name": "SETswitch",
                     "nics": ["NIC1", "NIC2"]}
    (dest / "trunks.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    return dest


@pytest.fixture()
def lab(tmp_path: Path) -> Iterator[Lab]:
    yield from start_lab(tmp_path, load_inventory(_set_inventory(tmp_path / "set-inventory")))


def test_set_team_on_independent_ports_verifies_clean(lab: Lab) -> None:
    report = lab.verify([TRUNK])
    assert report.errors == ()
    assert failed(report) == set()
    team = [f for f in report.findings if (f.trunk, f.rule) == (TRUNK, "host-team-mode")]
    assert [(f.status, f.actual) for f in team] == [(Status.PASS, "SET")]
    assert "Get-VMSwitchTeam" in team[0].evidence[0].source
    assert status_of(report, TRUNK, "independent-ports") == {(Status.PASS, None)}
    assert status_of(report, TRUNK, "host-members-up") == {(Status.PASS, None)}


def test_set_switch_removed_on_the_host_is_a_team_mode_failure(lab: Lab) -> None:
    lab.fabric.set_host_team("hv01", "none")  # the SET switch was deleted: no team at all
    report = lab.verify([TRUNK])
    assert report.errors == ()
    assert failed(report) == {(TRUNK, "host-team-mode", "hv01", "SETswitch")}
    team = next(f for f in report.findings if (f.trunk, f.rule) == (TRUNK, "host-team-mode"))
    assert team.actual == "none"


def test_port_channel_against_a_set_team_is_caught(lab: Lab) -> None:
    lab.fabric.load_config("cat9300-1", ["interface range GigabitEthernet1/0/1 - 2",
                                         "channel-group 10 mode active"])
    report = lab.verify([TRUNK])
    assert report.errors == ()
    # the host is right; the switch drifted: reported once, on each bundled port
    assert failed(report) == {(TRUNK, "independent-ports", "cat9300-1", port)
                              for port in ("GigabitEthernet1/0/1", "GigabitEthernet1/0/2")}
    assert status_of(report, TRUNK, "lacp-pairing") == {(Status.EXPLAINED, "independent-ports")}
