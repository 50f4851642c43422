"""Plain-text report: per trunk, both ends side by side (rich table), then failing findings."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from lagprov.model.findings import Status
from lagprov.report._common import (
    ROWS,
    end_cell,
    end_header,
    evidence_lines,
    explained,
    failing,
    finding_line,
    summary_lines,
)
from lagprov.report.model import RunReport, TrunkReport

WIDTH = 120
_STYLE = {Status.PASS: "green", Status.FAIL: "bold red", Status.UNVERIFIABLE: "yellow",
          Status.EXPLAINED: "red"}


def _table(t: TrunkReport) -> Table:
    title = f"{t.name} ({t.purpose}{', absent' if t.state == 'absent' else ''}): {t.status.value}"
    table = Table(title=title, title_style=_STYLE[t.status], show_lines=True, expand=False)
    table.add_column("", style="bold")
    for end in t.ends:
        table.add_column(end_header(end), overflow="fold")
    for label, field in ROWS:
        table.add_row(label, *(end_cell(e, field) for e in t.ends))
    return table


def _trunk(console: Console, t: TrunkReport, accept: tuple[str, ...], *, verbose: bool
           ) -> None:
    console.print(_table(t))
    for f in failing(t):
        console.print(Text(finding_line(f), style=_STYLE[Status.FAIL]))
        if f.expected is not None or f.actual is not None:
            console.print(f"    expected: {f.expected}  actual: {f.actual}", highlight=False)
        for line in evidence_lines(f):
            console.print(Text(f"    evidence {line}"))
        for c in explained(t):
            if c.explained_by == f.rule:
                console.print(Text(finding_line(c), style=_STYLE[Status.EXPLAINED]))
    pairs = t.excuses(accept)
    unknown = [f for f, why in pairs if why is None]
    if verbose:
        for f, why in pairs:
            console.print(Text(finding_line(f) + (f" ({why})" if why else ""),
                               style=_STYLE[Status.UNVERIFIABLE]))
    elif unknown:
        rules = ", ".join(sorted({f.rule for f in unknown}))
        console.print(Text(f"{len(unknown)} checks unverifiable (data not reported: {rules}); "
                           "--verbose lists them", style=_STYLE[Status.UNVERIFIABLE]))
    for why in sorted({w for _, w in pairs if w} if not verbose else ()):
        n = sum(w == why for _, w in pairs)
        console.print(Text(f"{n} checks not made, {why}", style=_STYLE[Status.UNVERIFIABLE]))
    console.print()


def to_text(report: RunReport, *, color: bool = False, verbose: bool = False) -> str:
    """The report as text, ``WIDTH`` columns; ANSI colours only if ``color``."""
    console = Console(
        record=True,
        width=WIDTH,
        file=io.StringIO(),
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
    )
    console.print(
        f"lagprov {report.command}  {report.started} .. {report.finished}", highlight=False
    )
    console.print()
    for t in report.trunks:
        _trunk(console, t, report.accept_unverifiable, verbose=verbose)
    for e in report.errors:
        console.print(
            Text(
                f"DEVICE ERROR {e.device} ({e.stage}, {e.kind}): {e.message}",
                style=_STYLE[Status.FAIL],
            )
        )
    for line in summary_lines(report):
        console.print(line, highlight=False)
    return console.export_text(styles=color)
