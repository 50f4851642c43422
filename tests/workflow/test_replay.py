"""``verify --from``: saved outputs of the lab's healthy fabric, and edits of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lagprov.errors import InputError
from lagprov.model.inventory import Inventory
from lagprov.observe.collect import DeviceCapture, collection_plan, output_filename, select_trunks
from lagprov.observe.parsers import command_key, supported_commands
from lagprov.report import ErrorKind, ExitStatus, RunReport, exit_status
from lagprov.runs.saved import INDEX_FILE, read_saved, write_saved
from lagprov.runs.verify import verify_run
from lagprov.verify import Status
from tests.workflow.conftest import HEALTHY, edit


def _status(report: RunReport, trunk: str, rule: str, subject: str | None = None) -> set[Status]:
    return {f.status for f in report.findings
            if f.trunk == trunk and f.rule == rule and (subject is None or f.subject == subject)}


def test_healthy_saved_fabric_has_no_failure(saved_inv: Inventory) -> None:
    report = verify_run(saved_inv, from_dir=HEALTHY)
    assert report.errors == ()
    assert [f for f in report.findings if f.failed] == []
    assert exit_status(report) is ExitStatus.OK
    # The checks that need both ends' LACP data really ran (not merely unverifiable).
    assert _status(report, "lnx01-bond0", "partner-identity") == {Status.PASS}
    assert _status(report, "lnx01-bond0", "host-team-mode") == {Status.PASS}
    assert _status(report, "hv01-team", "member-bundled") == {Status.PASS}
    assert _status(report, "eonstor01-tg1", "lag-present") == {Status.PASS}
    assert _status(report, "core-cat9300-ex4300", "lag-members") == {Status.PASS}


def test_wrong_lacp_partner_is_a_failure(saved_inv: Inventory, saved_copy: Path) -> None:
    # Et2's partner is now another system: it is not cabled to lnx01 (52:54:00:55:5c:00).
    edit(saved_copy / "eos7120-1" / "show_lacp_neighbor.txt",
         "ffff,52-54-00-55-5c-00        2", "ffff,52-54-00-99-99-00        2")
    report = verify_run(saved_inv, from_dir=saved_copy)
    assert _status(report, "lnx01-bond0", "partner-identity", "Ethernet2") == {Status.FAIL}
    assert _status(report, "lnx01-bond0", "partner-identity", "Ethernet1") == {Status.PASS}
    assert exit_status(report) is ExitStatus.FINDINGS


def test_host_bond_mode_drift_is_a_failure(saved_inv: Inventory, saved_copy: Path) -> None:
    edit(saved_copy / "lnx01" / "cat__proc_net_bonding_bond0.txt",
         "Bonding Mode: IEEE 802.3ad Dynamic link aggregation",
         "Bonding Mode: load balancing (xor)")
    report = verify_run(saved_inv, from_dir=saved_copy)
    assert _status(report, "lnx01-bond0", "host-team-mode") == {Status.FAIL}
    assert exit_status(report) is ExitStatus.FINDINGS


def test_missing_device_is_unverifiable_not_an_error(saved_inv: Inventory,
                                                     saved_copy: Path) -> None:
    shutil.rmtree(saved_copy / "eos7120-1")
    report = verify_run(saved_inv, from_dir=saved_copy)
    assert report.errors == ()
    assert _status(report, "lnx01-bond0", "lag-present") == {Status.UNVERIFIABLE}
    assert _status(report, "hv01-team", "lag-present") == {Status.PASS}
    assert exit_status(report) is ExitStatus.OK


def test_unparseable_output_is_a_device_error(saved_inv: Inventory, saved_copy: Path) -> None:
    (saved_copy / "sse-x24s-1" / "show_etherchannel_summary.txt").write_text(
        "% Invalid Command\n", encoding="utf-8")
    report = verify_run(saved_inv, from_dir=saved_copy)
    assert [(e.device, e.kind) for e in report.errors] == [("sse-x24s-1", ErrorKind.PARSE)]
    # The switch's half-parsed state is not judged: its checks are unverifiable, not failed.
    assert _status(report, "eonstor01-tg1", "lag-present") == {Status.UNVERIFIABLE}
    assert [f for f in report.findings if f.failed] == []
    assert exit_status(report) is ExitStatus.DEVICE_ERROR


def test_files_are_found_without_the_index(saved_inv: Inventory, saved_copy: Path) -> None:
    for index in saved_copy.glob(f"*/{INDEX_FILE}"):
        index.unlink()
    with_index = verify_run(saved_inv, from_dir=HEALTHY)
    without = verify_run(saved_inv, from_dir=saved_copy)
    assert without.findings == with_index.findings


def test_write_then_read_saved_round_trip(tmp_path: Path) -> None:
    outputs = {"show configuration | display set": "set system host-name x\n",
               "cat /proc/net/bonding/bond0": "Bonding Mode: x\n"}
    write_saved(tmp_path, DeviceCapture(device="d1", outputs=outputs))
    write_saved(tmp_path, DeviceCapture(device="d1", outputs={"ip -j -d link": "[]"}))
    assert (tmp_path / "d1" / "show_configuration_pipe_display_set.txt").is_file()
    got = read_saved(tmp_path, "d1", [*outputs, "ip -j -d link", "show version"])
    assert dict(got.outputs) == {**outputs, "ip -j -d link": "[]"}


def test_filter_selects_trunks_by_device_or_name(saved_inv: Inventory) -> None:
    assert [t.name for t in select_trunks(saved_inv, ["lnx01"])] == ["lnx01-bond0"]
    names = {t.name for t in select_trunks(saved_inv, ["cat9300-1"])}
    assert names == {"hv01-team", "core-cat9300-ex4300"}
    plan = collection_plan(saved_inv, ["core-cat9300-ex4300"])
    assert {j.device for j in plan.switches} == {"cat9300-1", "ex4300-1"}
    assert plan.hosts == ()
    with pytest.raises(InputError, match="no-such-box"):
        select_trunks(saved_inv, ["no-such-box"])


def test_every_collected_switch_command_has_a_parser(saved_inv: Inventory) -> None:
    plan = collection_plan(saved_inv)
    for job in plan.switches:
        known = supported_commands(job.platform)
        for command in job.commands:
            assert command_key(command) in known, (job.device, command)
    by_device = {j.device: j.commands for j in plan.switches}
    assert "show interfaces ae0 extensive" in by_device["ex4300-1"]
    assert "show interfaces ae1 extensive" in by_device["ex4300-1"]
    # cat2960s-1 carries only a static channel: no LACP neighbour table to ask for.
    assert "show lacp neighbor" not in by_device["cat2960s-1"]
    assert "show lacp neighbor" in by_device["cat9300-1"]


def test_output_filenames_are_file_system_safe() -> None:
    assert output_filename("cat /proc/net/bonding/bond0") == "cat__proc_net_bonding_bond0.txt"
    name = output_filename("Get-NetAdapterAdvancedProperty -RegistryKeyword *JumboPacket")
    assert "*" not in name and "/" not in name


def test_progress_is_called_once_per_device(saved_inv: Inventory) -> None:
    seen: list[str] = []
    verify_run(saved_inv, from_dir=HEALTHY, progress=seen.append)
    plan = collection_plan(saved_inv)
    assert sorted(seen) == sorted([j.device for j in plan.switches]
                                  + [h.device for h in plan.hosts])
