"""Lint engine properties and the rules the broken-inventory cases cannot reach."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lagprov.intent.lint import RULES, LintFinding, lint_inventory
from lagprov.intent.load import load_inventory
from lagprov.knowledge.limits import HOST_MTU_RANGE, bundle_limit
from lagprov.knowledge.platforms import HARDWARE
from lagprov.model.inventory import Inventory
from lagprov.model.types import HostOs, Severity
from tests.lint.mutate import EXAMPLE, apply_case


@pytest.fixture(scope="module")
def example() -> Inventory:
    return load_inventory(EXAMPLE)


def _with_trunk_change(inv: Inventory, index: int, **update: object) -> Inventory:
    """``inv`` with trunk ``index`` changed *without validation* (as a buggy caller could)."""
    trunks = list(inv.trunks)
    trunks[index] = trunks[index].model_copy(update=update)
    return inv.model_copy(update={"trunks": tuple(trunks)})


def test_rule_ids_are_unique_kebab_case() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for rule_id in ids:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule_id), rule_id


def test_unsafe_text_catches_newline_the_loader_would_refuse(example: Inventory) -> None:
    host = example.trunks[0].host
    assert host is not None
    bad_host = host.model_copy(update={"nics": ("NIC1", "NIC2\nreload")})
    inv = _with_trunk_change(example, 0, host=bad_host,
                             description="hv01 | include secret")
    hits = [f for f in lint_inventory(inv) if f.rule == "unsafe-text"]
    fields = {f.field for f in hits}
    assert fields == {"trunks[0] (hv01-team).host.nics[1]", "trunks[0] (hv01-team).description"}
    assert all(f.severity is Severity.ERROR and f.trunk == "hv01-team" for f in hits)
    assert any("'\\n'" in f.message for f in hits)


def test_unsafe_text_accepts_spaces_in_nic_names(example: Inventory) -> None:
    host = example.trunks[0].host
    assert host is not None
    inv = _with_trunk_change(example, 0,
                             host=host.model_copy(update={"nics": ("Ethernet 2", "Ethernet 3")}))
    assert [f for f in lint_inventory(inv) if f.rule == "unsafe-text"] == []


def test_absent_trunks_are_not_linted(example: Inventory) -> None:
    # hv01-team reusing the uplink's channel is an error while present, not once absent
    sw = example.trunks[0].switch[0].model_copy(update={"channel": 1})
    present = _with_trunk_change(example, 0, switch=(sw,))
    assert any(f.rule == "channel-reused" for f in lint_inventory(present))
    absent = _with_trunk_change(example, 0, switch=(sw,), state="absent")
    assert not any(f.rule == "channel-reused" for f in lint_inventory(absent))


def test_findings_sorted_naturally_and_deterministic(example: Inventory) -> None:
    # five copies of hv01-team: trunks[8..12] reuse its ports, NICs and channel
    fillers = tuple(example.trunks[0].model_copy(update={"name": f"filler{i}"})
                    for i in range(5))
    inv = example.model_copy(update={"trunks": (*example.trunks, *fillers)})
    first = lint_inventory(inv)
    assert first == lint_inventory(inv)
    indexes = [int(f.field.split("]")[0].removeprefix("trunks[")) for f in first]
    assert indexes == sorted(indexes)  # trunks[10] after trunks[9], not after trunks[1]
    assert set(indexes) == {8, 9, 10, 11, 12}
    assert {f.rule for f in first} == {"port-in-two-trunks", "channel-reused"}


def test_finding_is_frozen() -> None:
    f = LintFinding(rule="x", severity=Severity.ERROR, file="t.yaml", trunk=None, field="f",
                    message="m")
    with pytest.raises(ValueError, match="frozen"):
        f.rule = "y"  # type: ignore[misc]


def test_bundle_limits_match_documented_numbers() -> None:
    # Cisco: 8 active + 8 hot-standby for LACP; Juniper: EX3300 8 and EX4300 16 per LAG
    ios = bundle_limit(HARDWARE["C9300-48T"])
    assert (ios.active, ios.total(lacp=True), ios.total(lacp=False)) == (8, 16, 8)
    assert bundle_limit(HARDWARE["EX3300-48T"]).active == 8
    assert bundle_limit(HARDWARE["EX4300-48T"]).active == 16
    assert not bundle_limit(HARDWARE["SSE-X24S"]).verified


def test_windows_jumbo_packet_range() -> None:
    rng = HOST_MTU_RANGE[HostOs.WINDOWS]
    assert (rng.low, rng.high) == (1514, 9014)


def test_mutation_refuses_a_replace_that_matches_nothing(tmp_path: Path) -> None:
    case = {"name": "typo", "replace": [["no such text", "x"]]}
    with pytest.raises(AssertionError, match="occurs 0 times"):
        apply_case(case, tmp_path / "inv")


def test_mutation_refuses_an_unknown_trunk(tmp_path: Path) -> None:
    case = {"name": "typo", "set": {"trunks[no-such-trunk].switch.mtu": 9000}}
    with pytest.raises(KeyError):
        apply_case(case, tmp_path / "inv")


def test_eos_switchport_is_judged_by_the_hardware_l2_limit(example: Inventory) -> None:
    # issue 9: EOS 'mtu' limits routed traffic only; a switchport bridges up to the
    # DCS-7120T-4S L2 frame limit (9236 = IP 9214), so a default 'mtu' serves a jumbo host
    idx = next(i for i, t in enumerate(example.trunks) if t.name == "lnx01-bond0")
    end = example.trunks[idx].switch[0]
    inv = _with_trunk_change(example, idx, switch=(end.model_copy(update={"mtu": None}),))
    assert [f for f in lint_inventory(inv) if f.rule == "mtu-too-small"] == []
    routed = end.model_copy(update={"mtu": None, "l2": None})  # no switchport: 'mtu' applies
    inv = _with_trunk_change(example, idx, switch=(routed,))
    hits = [f for f in lint_inventory(inv) if f.rule == "mtu-too-small"]
    assert hits and all(f.severity is Severity.ERROR for f in hits), hits
