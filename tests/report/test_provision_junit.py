"""Issue 9: ``plan --format junit``: one testcase per device and per pre-change check;
``plan``/``validate`` refuse a format they cannot print (exit 2) instead of printing text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from lagprov.cli import main
from lagprov.model.outcome import DeviceOutcome, OutcomeStatus
from lagprov.model.plan import ChangePlan, CheckResult
from lagprov.model.types import Platform
from lagprov.report.provision_junit import provision_to_junit

CHECK = CheckResult(check="member-in-other-channel", trunk="hv01-team", device="cat9300-1",
                    passed=False, message="Gi1/0/2 is in Port-channel7")


def outcomes() -> list[DeviceOutcome]:
    def plan(device: str, platform: Platform, checks: tuple[CheckResult, ...] = ()
             ) -> ChangePlan:
        return ChangePlan(device=device, platform=platform, trunks=("t",),
                          remediation=("interface Port-channel10",), rollback=(), checks=checks)

    return [
        DeviceOutcome(device="cat9300-1", platform=Platform.CISCO_IOS,
                      status=OutcomeStatus.BLOCKED,
                      plan=plan("cat9300-1", Platform.CISCO_IOS, (CHECK,)),
                      messages=("blocked by member-in-other-channel",)),
        DeviceOutcome(device="eos7120-1", platform=Platform.ARISTA_EOS,
                      status=OutcomeStatus.PLANNED, plan=plan("eos7120-1", Platform.ARISTA_EOS)),
        DeviceOutcome(device="ex3300-1", platform=Platform.JUNIPER_JUNOS,
                      status=OutcomeStatus.FAILED, error_kind="unreachable",
                      error="connection refused"),
    ]


def test_plan_junit_has_a_case_per_device_and_per_check() -> None:
    root = ET.fromstring(provision_to_junit("plan", outcomes()))
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    devices = suites["devices"].findall("testcase")
    assert [c.get("name") for c in devices] == [
        "cat9300-1 (cisco_ios)", "eos7120-1 (arista_eos)", "ex3300-1 (juniper_junos)"]
    assert [(c.find("failure") is not None, c.find("error") is not None) for c in devices] == [
        (True, False), (False, False), (False, True)]
    checks = suites["pre-change checks"].findall("testcase")
    assert [c.get("name") for c in checks] == [
        "member-in-other-channel [hv01-team] cat9300-1"]
    assert checks[0].find("failure").get("message") == CHECK.message  # type: ignore[union-attr]
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "2", "1")


@pytest.mark.parametrize(("argv", "fmt"), [
    (["validate"], "junit"), (["validate"], "md"), (["plan"], "md"), (["apply"], "md"),
])
def test_a_format_the_command_cannot_print_is_refused(
        argv: list[str], fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main([*argv, "--format", fmt])
    err = capsys.readouterr()
    assert code == 2
    assert f"--format {fmt} is not supported" in err.err
    assert err.out == ""
