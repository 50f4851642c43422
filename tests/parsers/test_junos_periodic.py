"""Junos EX ``lacp periodic``: no statement is FAST (Juniper 'periodic (EX Series)': "Default:
fast"; vendor-cli.md 3.1, corrected).  Minimal cases in the shape of the EX fixture
``show_configuration_display_set/3_ex_passive_fast.txt``."""

from __future__ import annotations

import pytest

from lagprov.model.types import LacpRate
from lagprov.observe.parsers.juniper_junos import parse_configuration_set

BASE = [
    "set chassis aggregated-devices ethernet device-count 2",
    "set interfaces ge-0/0/10 ether-options 802.3ad ae0",
    "set interfaces ae0 aggregated-ether-options lacp active",
]


@pytest.mark.parametrize(("extra", "rate"), [
    ([], LacpRate.FAST),
    (["set interfaces ae0 aggregated-ether-options lacp periodic slow"], LacpRate.SLOW),
    (["set interfaces ae0 aggregated-ether-options lacp periodic fast"], LacpRate.FAST),
])
def test_lacp_rate_from_the_configuration(extra: list[str], rate: LacpRate) -> None:
    state = parse_configuration_set("\n".join(BASE + extra), "ex", "show configuration")
    lag = state.lag(0)
    assert lag is not None and lag.lacp_rate is rate


def test_a_static_ae_has_no_lacp_rate() -> None:
    state = parse_configuration_set("\n".join(BASE[:2]), "ex", "show configuration")
    lag = state.lag(0)
    assert lag is not None and lag.lacp_rate is None
