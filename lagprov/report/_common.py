"""Display helpers shared by the formatters (pure string functions)."""

from __future__ import annotations

from lagprov.model.findings import Finding, Status
from lagprov.report.model import EndSummary, TrunkReport

ROWS: tuple[tuple[str, str], ...] = (
    ("bundle", "channel"),
    ("mode", "mode"),
    ("members", "members"),
    ("MTU", "mtu"),
    ("partner", "partner_ids"),
)


def end_header(end: EndSummary) -> str:
    """``"switch cat9300-1"`` / ``"host hv01 (not observed)"``."""
    return f"{end.role} {end.device}" + ("" if end.observed else " (not observed)")


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
