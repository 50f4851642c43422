"""lacp-rate-mismatch reads a Junos end without ``lacp_rate`` as FAST, the EX default
(Juniper 'periodic (EX Series)': "Default: fast"; vendor-cli.md 3.1, corrected)."""

from __future__ import annotations

from lagprov.intent.lint import lint_inventory
from lagprov.model.types import LacpRate
from tests.render.cases import inventory, trunk

V = "juniper_junos"


def _rate_findings(host_rate: LacpRate) -> list[str]:
    t = trunk(V, "lacp-active", lacp_rate=None)
    assert t.host is not None
    t = t.model_copy(update={"host": t.host.model_copy(update={"lacp_rate": host_rate})})
    return [f.message for f in lint_inventory(inventory(V, t)) if f.rule == "lacp-rate-mismatch"]


def test_a_fast_host_matches_a_junos_end_without_a_rate() -> None:
    assert _rate_findings(LacpRate.FAST) == []


def test_a_slow_host_against_a_junos_end_without_a_rate_is_named_fast() -> None:
    messages = _rate_findings(LacpRate.SLOW)
    assert len(messages) == 1 and "uses fast" in messages[0], messages
