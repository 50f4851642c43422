"""JUnit XML: one testsuite per trunk, one testcase per (trunk, rule, device, subject).

``fail`` -> ``<failure>``, ``unverifiable`` -> ``<skipped>``; device errors go to a
``device-errors`` testsuite as ``<error>``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from lagprov.model.findings import Finding, Status
from lagprov.report._common import evidence_lines
from lagprov.report.model import RunReport, TrunkReport


def _case_name(f: Finding) -> str:
    where = " ".join(x for x in (f.device, f.subject) if x)
    return f"{f.rule} [{where}]" if where else f.rule


_SKIPPED = (Status.UNVERIFIABLE, Status.EXPLAINED)


def _suite(t: TrunkReport) -> ET.Element:
    fs = t.findings
    suite = ET.Element(
        "testsuite",
        {
            "name": t.name,
            "tests": str(len(fs)),
            "failures": str(sum(f.status is Status.FAIL for f in fs)),
            "skipped": str(sum(f.status in _SKIPPED for f in fs)),
            "errors": "0",
        },
    )
    for f in fs:
        case = ET.SubElement(
            suite, "testcase", {"classname": f"lagprov.{t.name}", "name": _case_name(f)}
        )
        if f.status is Status.FAIL:
            fail = ET.SubElement(
                case, "failure", {"message": f.message, "type": f"{f.rule} ({f.severity})"}
            )
            lines = [f"expected: {f.expected}", f"actual: {f.actual}", *evidence_lines(f)]
            fail.text = "\n".join(lines)
        elif f.status is Status.UNVERIFIABLE:
            ET.SubElement(case, "skipped", {"message": f"unverifiable: {f.message}"})
        elif f.status is Status.EXPLAINED:
            ET.SubElement(case, "skipped", {"message": f"caused by {f.explained_by}: {f.message}"})
    return suite


def to_junit(report: RunReport) -> str:
    """The report as a JUnit XML document."""
    root = ET.Element("testsuites", {"name": f"lagprov {report.command}"})
    suites = [_suite(t) for t in report.trunks]
    if report.errors:
        dev = ET.Element(
            "testsuite",
            {
                "name": "device-errors",
                "tests": str(len(report.errors)),
                "failures": "0",
                "skipped": "0",
                "errors": str(len(report.errors)),
            },
        )
        for e in report.errors:
            case = ET.SubElement(
                dev, "testcase", {"classname": "lagprov.devices", "name": f"{e.device} {e.stage}"}
            )
            ET.SubElement(case, "error", {"message": e.message, "type": e.kind.value})
        suites.append(dev)
    for key in ("tests", "failures", "skipped", "errors"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in suites)))
    root.extend(suites)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
