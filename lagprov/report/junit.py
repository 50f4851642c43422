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


def _suite(t: TrunkReport, report: RunReport) -> ET.Element:
    fs = t.findings
    why = dict(t.excuses(report.accept_unverifiable))
    # --strict: an unverifiable check without excuse (gate.excuse) is a failure
    strict = {id(f) for f, w in why.items() if w is None} if report.strict else set()
    suite = ET.Element(
        "testsuite",
        {
            "name": t.name,
            "tests": str(len(fs)),
            "failures": str(sum(f.status is Status.FAIL or id(f) in strict for f in fs)),
            "skipped": str(sum(f.status in _SKIPPED and id(f) not in strict for f in fs)),
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
        elif id(f) in strict:
            ET.SubElement(case, "failure", {"message": f"unverifiable (--strict): {f.message}",
                                            "type": f"{f.rule} (unverifiable)"})
        elif f.status is Status.UNVERIFIABLE:
            reason = f" ({why[f]})" if why.get(f) else ""
            ET.SubElement(case, "skipped", {"message": f"unverifiable: {f.message}{reason}"})
        elif f.status is Status.EXPLAINED:
            ET.SubElement(case, "skipped", {"message": f"caused by {f.explained_by}: {f.message}"})
    return suite


def to_junit(report: RunReport) -> str:
    """The report as a JUnit XML document."""
    root = ET.Element("testsuites", {"name": f"lagprov {report.command}"})
    suites = [_suite(t, report) for t in report.trunks]
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
