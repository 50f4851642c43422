"""JUnit XML of a ``plan`` / ``apply`` run: one testcase per device, one per pre-change check.

Devices: ``failed`` / ``rolled-back`` -> ``<error>``, ``blocked`` -> ``<failure>``; planned,
no-change and applied pass (the commands are the case's ``system-out``).  Checks (the plan
keeps the checks that did not pass): error severity -> ``<failure>``, a warning passes with
its message in ``system-out``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from lagprov.model.outcome import DeviceOutcome, OutcomeStatus
from lagprov.model.plan import CheckResult
from lagprov.model.types import Severity


def _device_case(o: DeviceOutcome, command: str) -> ET.Element:
    case = ET.Element("testcase", {"classname": f"lagprov.{command}.devices",
                                   "name": f"{o.device} ({o.platform})"})
    text = "\n".join([f"status: {o.status.value}", *o.messages,
                      *(o.plan.remediation if o.plan else ())])
    if o.failed:
        ET.SubElement(case, "error", {"message": o.error or o.status.value,
                                      "type": o.error_kind or o.status.value}).text = text
    elif o.status is OutcomeStatus.BLOCKED:
        ET.SubElement(case, "failure", {"message": "; ".join(o.messages) or "blocked by checks",
                                        "type": "blocked"}).text = text
    else:
        ET.SubElement(case, "system-out").text = text
    return case


def _check_case(c: CheckResult, command: str) -> ET.Element:
    case = ET.Element("testcase", {"classname": f"lagprov.{command}.checks",
                                   "name": f"{c.check} [{c.trunk}] {c.device}"})
    if c.passed:
        return case
    tag = "can be forced" if c.overridable else "blocks"
    if c.severity is Severity.ERROR:
        ET.SubElement(case, "failure", {"message": c.message, "type": f"{c.check} ({tag})"})
    else:
        ET.SubElement(case, "system-out").text = f"warning: {c.message}"
    return case


def _suite(name: str, cases: list[ET.Element]) -> ET.Element:
    suite = ET.Element("testsuite", {
        "name": name, "tests": str(len(cases)),
        "failures": str(sum(c.find("failure") is not None for c in cases)),
        "errors": str(sum(c.find("error") is not None for c in cases)), "skipped": "0"})
    suite.extend(cases)
    return suite


def provision_to_junit(command: str, outcomes: Sequence[DeviceOutcome]) -> str:
    """The outcomes of a plan/apply run as a JUnit XML document."""
    root = ET.Element("testsuites", {"name": f"lagprov {command}"})
    suites = [
        _suite("devices", [_device_case(o, command) for o in outcomes]),
        _suite("pre-change checks", [_check_case(c, command) for o in outcomes if o.plan
                                     for c in o.plan.checks]),
    ]
    for key in ("tests", "failures", "skipped", "errors"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in suites)))
    root.extend(suites)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
