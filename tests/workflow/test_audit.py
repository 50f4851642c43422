"""``audit``: history files and the delta between two runs (replayed saved outputs)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from lagprov.errors import ConfigError
from lagprov.model.inventory import Inventory
from lagprov.runs.audit import AuditRecord, ValueChange, audit_run, delta_text, load_record
from tests.workflow.conftest import HEALTHY, edit

T1 = datetime(2024, 5, 1, 8, 0, 0, tzinfo=UTC)
T2 = datetime(2024, 5, 2, 8, 0, 0, tzinfo=UTC)
T3 = datetime(2024, 5, 3, 8, 0, 0, tzinfo=UTC)


def _drift(saved: Path) -> None:
    """Partner of Et2 changes, ens1f1 goes down, ens1f0's MTU drops to 1500."""
    edit(saved / "eos7120-1" / "show_lacp_neighbor.txt",
         "ffff,52-54-00-55-5c-00        2", "ffff,52-54-00-99-99-00        2")
    edit(saved / "lnx01" / "cat__proc_net_bonding_bond0.txt",
         "Slave Interface: ens1f1\nMII Status: up", "Slave Interface: ens1f1\nMII Status: down")
    edit(saved / "lnx01" / "ip_-j_-d_link.txt", '"mtu":9000', '"mtu":1500')


def test_first_audit_writes_history_and_has_nothing_to_compare(
        saved_inv: Inventory, tmp_path: Path) -> None:
    report, delta = audit_run(saved_inv, state_dir=tmp_path, from_dir=HEALTHY, now=T1)
    assert delta.previous is None and not delta.changed
    files = sorted(p.name for p in (tmp_path / "audit").iterdir())
    assert files == ["20240501T080000Z.json", "latest.json"]
    record = load_record(tmp_path / "audit" / "latest.json")
    assert isinstance(record, AuditRecord)
    assert record.report.findings == report.findings
    assert record.switches["eos7120-1"].lag(10) is not None
    assert record.hosts["lnx01"].name == "bond0"
    assert "first audit" in delta_text(delta)


def test_audit_reports_drift_then_its_resolution(saved_inv: Inventory, tmp_path: Path,
                                                 saved_copy: Path) -> None:
    state = tmp_path / "state"
    audit_run(saved_inv, state_dir=state, from_dir=HEALTHY, now=T1)
    _drift(saved_copy)
    _, delta = audit_run(saved_inv, state_dir=state, from_dir=saved_copy, now=T2)
    assert delta.previous == T1.isoformat()
    assert delta.partner_changes == (ValueChange(
        device="eos7120-1", subject="Port-Channel10 Ethernet2",
        before="52:54:00:55:5c:00", after="52:54:00:99:99:00"),)
    assert ValueChange(device="lnx01", subject="bond0 ens1f1", before="up",
                       after="down") in delta.status_changes
    assert ValueChange(device="lnx01", subject="bond0 ens1f0", before="9000",
                       after="1500") in delta.mtu_changes
    # The NIC that went down is the root cause; the partner mismatch it explains is folded
    # into it (unverifiable), so it is not a separate new failure.
    new = {(f.rule, f.subject) for f in delta.new_failures}
    assert new == {("host-members-up", "ens1f1"), ("mtu-path", None)}
    assert delta.resolved_failures == ()
    text = delta_text(delta)
    assert "LACP partner: eos7120-1 Port-Channel10 Ethernet2: 52:54:00:55:5c:00 -> " in text

    _, back = audit_run(saved_inv, state_dir=state, from_dir=HEALTHY, now=T3)
    resolved = {(f.rule, f.subject) for f in back.resolved_failures}
    assert resolved == {("host-members-up", "ens1f1"), ("mtu-path", None)}
    assert back.new_failures == ()
    assert len(list((state / "audit").glob("2024*.json"))) == 3


def test_unchanged_fabric_gives_an_empty_delta(saved_inv: Inventory, tmp_path: Path) -> None:
    audit_run(saved_inv, state_dir=tmp_path, from_dir=HEALTHY, now=T1)
    _, delta = audit_run(saved_inv, state_dir=tmp_path, from_dir=HEALTHY, now=T1)
    assert delta.previous is not None and not delta.changed
    # Same second twice: the first file is kept, the second gets a suffix.
    assert (tmp_path / "audit" / "20240501T080000Z-1.json").is_file()


def test_unreachable_device_is_not_drift(saved_inv: Inventory, tmp_path: Path,
                                         saved_copy: Path) -> None:
    audit_run(saved_inv, state_dir=tmp_path, from_dir=HEALTHY, now=T1)
    for f in (saved_copy / "eos7120-1").iterdir():
        f.unlink()
    _, delta = audit_run(saved_inv, state_dir=tmp_path, from_dir=saved_copy, now=T2)
    assert [c for c in delta.partner_changes if c.device == "eos7120-1"] == []
    assert delta.resolved_failures == () and delta.new_failures == ()


def test_state_dir_from_environment(saved_inv: Inventory, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAGPROV_STATE", str(tmp_path / "env-state"))
    audit_run(saved_inv, from_dir=HEALTHY, now=T1)
    assert (tmp_path / "env-state" / "audit" / "latest.json").is_file()


def test_corrupt_history_is_refused(saved_inv: Inventory, tmp_path: Path) -> None:
    (tmp_path / "audit").mkdir()
    (tmp_path / "audit" / "latest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"latest\.json"):
        audit_run(saved_inv, state_dir=tmp_path, from_dir=HEALTHY, now=T1)
