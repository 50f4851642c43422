"""Issue 11: an ESXi host with a vDS LACP LAG, read live through the vDS LACP views.

tests/inventories/vds: esx02's LAG lag1 (vmnic2, vmnic3; active, fast LACPDUs) on a Catalyst
LACP-active port-channel.  lagprov asks the host ``esxcli network vswitch dvs vmware lacp config
get`` / ``status get`` and the NIC list (keyvalue), and verification gets the host's LACP mode,
rate and each uplink's partner from them.  A seeded fault (the LAG gone: the uplinks back on a
port-ID policy) is caught by the rule naming it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lagprov.intent.load import load_inventory
from lagprov.model.types import LacpRate
from lagprov.observe.collect import collection_plan, parse_host
from lagprov.verify import Status
from tests.e2e.test_verify_faults import Lab, failed, start_lab, status_of

INVENTORY = load_inventory(Path(__file__).resolve().parents[1] / "inventories" / "vds")
TRUNK, HOST = "esx02-lag1", "esx02"

pytestmark = [pytest.mark.lab, pytest.mark.usefixtures("lab_credentials")]


@pytest.fixture()
def lab(tmp_path: Path) -> Iterator[Lab]:
    yield from start_lab(tmp_path, INVENTORY)


def test_vds_lag_verifies_clean_from_the_lacp_views(lab: Lab) -> None:
    report = lab.verify(None)
    assert report.errors == ()
    assert failed(report) == set()
    host = lab.fabric.hosts[HOST]
    assert host.refused == []
    assert host.command_log == ["esxcli network vswitch dvs vmware lacp config get",
                                "esxcli network vswitch dvs vmware lacp status get",
                                "esxcli --formatter=keyvalue network nic list"]
    # the partner each uplink reports proves the cabling; the mode and rate come from the host
    assert {s for s, _ in status_of(report, TRUNK, "partner-identity")} == {Status.PASS}
    assert {s for s, _ in status_of(report, TRUNK, "host-team-mode")} == {Status.PASS}


def test_the_parsed_lag_has_mode_rate_and_partners(lab: Lab) -> None:
    job = next(j for j in collection_plan(lab.inv, [TRUNK]).hosts if j.device == HOST)
    from lagprov.lab.hosts.remote import esxi_exec

    outputs = {c: esxi_exec(lab.fabric.hosts[HOST], c)[0] for c in job.commands}
    state, err = parse_host(job, outputs)
    assert err is None and state is not None
    assert (state.team, state.name, state.lacp_rate) == ("lacp", "lag1", LacpRate.FAST)
    assert state.lacp_activity is not None and state.lacp_activity.value == "active"
    switch_mac = lab.fabric.switch("cat9300-1").system_mac
    assert [(m.name, m.partner.system_id if m.partner else None) for m in state.members] == [
        ("vmnic2", switch_mac), ("vmnic3", switch_mac)]


def test_the_lag_removed_is_a_team_mode_failure(lab: Lab) -> None:
    lab.fabric.set_host_team(HOST, "portid")  # the uplinks back on a port-ID teaming policy
    report = lab.verify([TRUNK])
    assert report.errors == ()
    assert ("host-team-mode", HOST) in {(r, d) for _, r, d, _ in failed(report)}
