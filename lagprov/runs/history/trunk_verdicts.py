"""A trunk's verdict as the compliance pages colour it, and its changes through the history.

The verdict is one of ``pass``, ``fail``, ``warning``, ``unverifiable``: ``fail`` when a check
of severity error fails, ``warning`` when only warnings fail, ``unverifiable`` when
:attr:`TrunkReport.status` says so (a check without data the inventory does not declare
unreadable), else ``pass``.  One cell of the fleet matrix (one rule on one trunk) is judged the
same way over that rule's findings, with ``explained`` for a failure another failing rule
causes.

:func:`verdict_history` reads the finding rows of one trunk, oldest first, and loads an audit's
report only where the rows alone cannot decide (an unverifiable check: declared or blocking
needs the ends); an audit without findings of the trunk (a ``--filter`` run) says nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Literal

from sqlalchemy import select

from lagprov.model.base import Model
from lagprov.model.findings import Finding, Status
from lagprov.model.types import Severity
from lagprov.report import EndSummary, TrunkReport, excuse
from lagprov.runs.history.db import session
from lagprov.runs.history.models import AuditRun, FindingRow
from lagprov.runs.history.repo import DbAuditStore

Verdict = Literal["pass", "fail", "warning", "unverifiable"]
CellVerdict = Literal["pass", "fail", "warning", "unverifiable", "explained", "none"]
VERDICTS: tuple[Verdict, ...] = ("fail", "warning", "unverifiable", "pass")


class VerdictChange(Model):
    """The audit at which the trunk's verdict became ``after`` (``before`` None: first seen)."""

    audit: str
    taken: str
    before: Verdict | None
    after: Verdict


def trunk_verdict(t: TrunkReport) -> Verdict:
    """The trunk's verdict (see the module docstring)."""
    fails = [f for f in t.findings if f.status is Status.FAIL]
    if any(f.severity is Severity.ERROR for f in fails):
        return "fail"
    if fails:
        return "warning"
    return "unverifiable" if t.status is Status.UNVERIFIABLE else "pass"


def cell_verdict(findings: Sequence[Finding], ends: Sequence[EndSummary],
                 accept: Collection[str] = ()) -> tuple[CellVerdict, str | None]:
    """One rule's findings on one trunk as a matrix cell: the verdict and, for an unverifiable
    check that does not block, why (declared not observable, or accepted)."""
    if not findings:
        return "none", None
    fails = [f for f in findings if f.status is Status.FAIL]
    if any(f.severity is Severity.ERROR for f in fails):
        return "fail", None
    if fails:
        return "warning", None
    if any(f.status is Status.EXPLAINED for f in findings):
        return "explained", None
    unknown = [f for f in findings if f.status is Status.UNVERIFIABLE]
    if unknown:
        reasons = [excuse(f, ends, accept) for f in unknown]
        return "unverifiable", (None if None in reasons else str(reasons[0]))
    return "pass", None


_Raw = tuple[Verdict | Literal["?"], frozenset[tuple[str, str | None, str | None]]]


def _raw(rows: Iterable[tuple[str, str, str, str | None, str | None]]) -> _Raw:
    """What the rows of one audit say: a verdict, or ``?`` and the unverifiable checks."""
    rows = list(rows)
    fails = [sev for status, sev, *_ in rows if status == Status.FAIL.value]
    if Severity.ERROR.value in fails:
        return "fail", frozenset()
    if fails:
        return "warning", frozenset()
    unknown = frozenset((rule, device, subject) for status, _, rule, device, subject in rows
                        if status == Status.UNVERIFIABLE.value)
    return ("?", unknown) if unknown else ("pass", frozenset())


def _verdict_in(store: DbAuditStore, audit: str, trunk: str) -> Verdict:
    report = store.get(audit).report
    found = next((t for t in report.trunks if t.name == trunk), None)
    # A row without its trunk in the report cannot happen (both come from one record);
    # unknown is never a pass.
    return "unverifiable" if found is None else trunk_verdict(found)


def verdict_history(store: DbAuditStore, trunk: str) -> tuple[VerdictChange, ...]:
    """Every audit at which ``trunk``'s verdict changed, oldest first (the first audit that
    looked at the trunk included)."""
    q = (select(AuditRun.id, AuditRun.name, AuditRun.taken_text, FindingRow.status,
                FindingRow.severity, FindingRow.rule, FindingRow.device, FindingRow.subject)
         .join(AuditRun, FindingRow.audit_id == AuditRun.id)
         .where(FindingRow.trunk == trunk)
         .order_by(AuditRun.taken, AuditRun.id, FindingRow.id))
    audits: list[tuple[str, str, list[tuple[str, str, str, str | None, str | None]]]] = []
    last_id: int | None = None
    with session(store.engine) as s:
        for audit_id, name, taken, status, severity, rule, device, subject in s.execute(q):
            if audit_id != last_id:
                audits.append((name, taken, []))
                last_id = audit_id
            audits[-1][2].append((status, severity, rule, device, subject))
    out: list[VerdictChange] = []
    raw_before: _Raw | None = None
    before: Verdict | None = None
    for name, taken, rows in audits:
        raw = _raw(rows)
        if raw == raw_before:
            continue
        raw_before = raw
        kind = raw[0]
        after = _verdict_in(store, name, trunk) if kind == "?" else kind
        if after != before:
            out.append(VerdictChange(audit=name, taken=taken, before=before, after=after))
            before = after
    return tuple(out)


def latest_audit_of(store: DbAuditStore, trunk: str) -> str | None:
    """The newest audit with findings of ``trunk`` (None: no audit looked at it)."""
    q = (select(AuditRun.name).join(FindingRow, FindingRow.audit_id == AuditRun.id)
         .where(FindingRow.trunk == trunk)
         .order_by(AuditRun.taken.desc(), AuditRun.id.desc()).limit(1))
    with session(store.engine) as s:
        return s.scalars(q).first()
