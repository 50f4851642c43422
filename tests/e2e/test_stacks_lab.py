"""Issue 10, stacks and Virtual Chassis on the lab: a Catalyst 9300 stack of two members and an
EX4300 Virtual Chassis of two FPCs (tests/inventories/stacks), each with one bundle across its
members, provision over the real NAPALM transports and verify clean.

The lab switch is built from the stacked hardware model (the model's ports once per member,
lagprov.knowledge.platforms.stacks), so Gi2/0/5 and ge-1/0/5 exist on the wire.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lagprov.lab.fabric import LabFabric
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import OutcomeStatus
from lagprov.runs.provision import provision_run
from lagprov.runs.verify import verify_run
from tests.e2e.inventory_lab import lab_of

pytestmark = pytest.mark.lab

STACKS = Path(__file__).resolve().parents[1] / "inventories" / "stacks"


@dataclass
class Lab:
    fabric: LabFabric
    inv: Inventory
    reports: Path


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    base = tmp_path_factory.mktemp("stacks")
    with lab_of(STACKS, base) as (fabric, inv):
        yield Lab(fabric, inv, base / "reports")


@pytest.mark.parametrize(("trunk", "device", "members"), [
    ("srv-stack-cross", "stack9300", ("GigabitEthernet1/0/5", "GigabitEthernet2/0/5")),
    ("srv-vc-cross", "exvc", ("ge-0/0/5", "ge-1/0/5")),
])
def test_a_bundle_across_members_provisions_and_verifies_clean(
        lab: Lab, trunk: str, device: str, members: tuple[str, ...]) -> None:
    report = provision_run(lab.inv, commit=True, devices=[trunk])
    [out] = report.outcomes
    assert out.status is OutcomeStatus.APPLIED, (out.error, out.messages)
    assert out.plan is not None
    for m in members:  # both members, the second one on the other stack member / FPC
        assert any(m in line for line in out.plan.remediation), out.plan.remediation
    again = provision_run(lab.inv, commit=False, devices=[trunk])
    assert again.outcomes[0].status is OutcomeStatus.NOOP
    lab.fabric.write_host_reports(lab.reports)
    verified = verify_run(lab.inv, devices=[trunk], reports_dir=lab.reports, workers=2)
    assert verified.errors == ()
    assert [f for f in verified.findings if f.failed] == []
    bundled = [f for f in verified.findings if f.trunk == trunk and f.rule == "member-bundled"]
    assert bundled and all(f.status.value == "pass" for f in bundled), bundled
