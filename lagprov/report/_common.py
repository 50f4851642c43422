"""Display helpers shared by the formatters (pure string functions)."""

from __future__ import annotations

from lagprov.model.findings import Finding, Status
from lagprov.report.model import Counts, EndSummary, RunReport, TrunkReport

ROWS: tuple[tuple[str, str], ...] = (
    ("bundle", "channel"),
    ("mode", "mode"),
    ("members", "members"),
    ("MTU", "mtu"),
    ("partner", "partner_ids"),
    ("read from", "source"),
)


def end_header(end: EndSummary) -> str:
    """``"switch cat9300-1"`` / ``"host hv01 (not observed)"`` / ``"... (declared)"``."""
    if end.observed:
        return f"{end.role} {end.device}"
    return f"{end.role} {end.device}" + (
        " (declared not observable)" if end.declared_unobservable else " (not observed)")


def source_text(end: EndSummary) -> str:
    """``"report file r/hv01, 12 s old"`` / ``"not observed: no host report under r/hv01"``."""
    if not end.observed:
        return f"not observed: {end.not_observed}"
    age = "" if end.age_seconds is None else f", {end.age_seconds} s old"
    return f"{end.source or 'unknown'}{age}" + "".join(f"; declared {d}" for d in end.declared
                                                       if d.startswith("lacp_system_id"))


def end_cell(end: EndSummary, field: str, sep: str = "\n") -> str:
    """One row's value for one end."""
    if field == "members":
        return (
            sep.join(
                m.name
                + (f" {m.status}" if m.status else "")
                + (f" -> {m.partner}" if m.partner else "")
                for m in end.members
            )
            or "-"
        )
    if field == "source":
        return source_text(end)
    if field == "partner_ids":
        return ", ".join(end.partner_ids) or "-"
    value = getattr(end, field)
    return "-" if value is None else str(value)


def finding_line(f: Finding) -> str:
    """``"FAIL error partner-identity cat9300-1 Gi1/0/2: message"``."""
    where = "".join(f" {x}" for x in (f.device, f.subject) if x)
    if f.status is Status.EXPLAINED:
        return f"  CAUSED BY {f.explained_by}: {f.rule}{where}: {f.message}"
    return f"{f.status.value.upper()} {f.severity.value} {f.rule}{where}: {f.message}"


def evidence_lines(f: Finding) -> list[str]:
    """One line per evidence item, raw line kept."""
    return [f"{e.source}: {e.value}" + (f"  [raw: {e.raw}]" if e.raw else "") for e in f.evidence]


def failing(t: TrunkReport) -> list[Finding]:
    """The trunk's failing findings."""
    return [f for f in t.findings if f.status is Status.FAIL]


def explained(t: TrunkReport) -> list[Finding]:
    """The trunk's failures that another failing rule explains."""
    return [f for f in t.findings if f.status is Status.EXPLAINED]


def unverifiable(t: TrunkReport) -> list[Finding]:
    """The trunk's unverifiable findings."""
    return [f for f in t.findings if f.status is Status.UNVERIFIABLE]


def summary_lines(report: RunReport) -> list[str]:
    """The closing lines: totals and exit status, then what was not observed and why, what
    was declared or accepted, and what ``--strict`` turned into failures."""
    c: Counts = report.summary
    out = [f"{c.trunks} trunks: {c.passed} pass, {c.failed} fail, {c.warnings} warning, "
           f"{c.explained} caused by those, {c.unverifiable} unverifiable, "
           f"{c.device_errors} device errors; exit status {report.exit_status}"]
    if c.host_ends_not_observed:
        out.append(f"{c.host_ends_not_observed} of {c.host_ends} host ends not observed: "
                   + "; ".join(c.not_observed))
    if c.declared or c.accepted:
        accepted = ", ".join(report.accept_unverifiable) or "none"
        out.append(f"{c.declared} unverifiable on ends declared not observable, {c.accepted} "
                   f"accepted (--accept-unverifiable: {accepted}): these do not fail --strict")
    if c.blocking:
        verb = "fail the run (--strict)" if c.strict else "would fail --strict"
        out.append(f"{c.blocking} unverifiable checks {verb}")
    return out
