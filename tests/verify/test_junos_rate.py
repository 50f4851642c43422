"""lag-lacp-rate on Junos EX: an ae read from the configuration without ``periodic`` runs
fast (Juniper 'periodic (EX Series)': "Default: fast"; vendor-cli.md 3.1, corrected)."""

from __future__ import annotations

import pytest

from lagprov.model.types import LacpRate
from lagprov.observe.parsers.juniper_junos import parse_configuration_set
from lagprov.verify import DEFAULT_RULES, Status, verify_trunk
from tests.render.cases import trunk

RULE = next(r for r in DEFAULT_RULES if r.id == "lag-lacp-rate")
CONFIG = "\n".join([
    "set chassis aggregated-devices ethernet device-count 11",
    "set interfaces ge-0/0/10 ether-options 802.3ad ae10",
    "set interfaces ge-0/0/11 ether-options 802.3ad ae10",
    "set interfaces ae10 aggregated-ether-options lacp active",
])


@pytest.mark.parametrize(("asked", "status"), [
    (LacpRate.SLOW, Status.FAIL), (LacpRate.FAST, Status.PASS)])
def test_no_periodic_statement_is_fast(asked: LacpRate, status: Status) -> None:
    t = trunk("juniper_junos", "lacp-active", lacp_rate=asked)
    state = parse_configuration_set(CONFIG, "sw-junos", "show configuration | display set")
    (finding,) = verify_trunk(t, {"sw-junos": state}, None, rules=(RULE,))
    assert (finding.status, finding.actual) == (status, "fast")
