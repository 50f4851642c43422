"""Markdown report: per trunk a table with the ends as columns, then findings."""

from __future__ import annotations

from lagprov.report._common import (
    ROWS,
    end_cell,
    end_header,
    evidence_lines,
    failing,
    finding_line,
    summary_lines,
)
from lagprov.report.model import RunReport, TrunkReport


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _trunk(t: TrunkReport, accept: tuple[str, ...]) -> list[str]:
    out = [f"## {t.name} — {t.status.value}", "", f"Purpose: {t.purpose}, state: {t.state}", ""]
    out.append("| | " + " | ".join(_cell(end_header(e)) for e in t.ends) + " |")
    out.append("|---" * (len(t.ends) + 1) + "|")
    for label, field in ROWS:
        out.append(
            f"| **{label}** | " + " | ".join(_cell(end_cell(e, field)) for e in t.ends) + " |"
        )
    out.append("")
    for f in failing(t):
        out.append(f"- **{_cell(finding_line(f))}**")
        out.append(f"  - expected `{f.expected}`, actual `{f.actual}`")
        out += [f"  - evidence: `{line}`" for line in evidence_lines(f)]
    for f, why in t.excuses(accept):
        out.append(f"- {_cell(finding_line(f))}" + (f" ({_cell(why)})" if why else ""))
    out.append("")
    return out


def to_markdown(report: RunReport) -> str:
    """The report as GitHub-flavoured Markdown."""
    out = [f"# lagprov {report.command}", "", f"{report.started} .. {report.finished}", ""]
    out += [f"{line}  " for line in summary_lines(report)]
    out.append("")
    for t in report.trunks:
        out += _trunk(t, report.accept_unverifiable)
    if report.errors:
        out += ["## Device errors", "", "| device | stage | kind | message |", "|---|---|---|---|"]
        out += [
            f"| {e.device} | {e.stage} | {e.kind} | {_cell(e.message)} |" for e in report.errors
        ]
        out.append("")
    return "\n".join(out)
