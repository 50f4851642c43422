"""Which failures an audit opened or resolved, judged against each finding's last KNOWN status
in the history, not only the audit just before it (what the service's webhooks announce).

A finding is identified across audits by (trunk, rule, device, subject), as in
:func:`lagprov.runs.audit.audit_delta`.  Its *known* status in one audit is ``pass``, ``fail``
(a failing check of severity error) or ``warning`` (a failing check of severity warning).  An
audit in which it was ``unverifiable`` (its device unreachable, an output missing), ``explained``
(its failure put down to another failing rule, which is announced itself), or absent (an
unreadable device's per-port findings become one device-level finding; a ``--filter`` run)
says nothing about it, as in :mod:`lagprov.runs.history.queries`.

:func:`failure_changes` (pure) compares the new report with those statuses:

* **new**: failing now (fail or warning) and last known passing, or never known before (a new
  trunk, or one whose device was unreachable in every earlier audit);
* **resolved**: passing now and last known failing (fail or warning); a finding unverifiable,
  explained or absent now is never resolved: unknown is not a pass;
* fail <-> warning: still failing, neither (``audit_delta`` counts both as failures too);
* **the first audit** (no earlier audit in the history at all): nothing; it is the baseline,
  as ``audit_delta(None, ...)``, and a failure it finds is never announced as new later.

:func:`last_known` reads those statuses from the history database.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Literal

from sqlalchemy import and_, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from lagprov.model.base import Model
from lagprov.model.findings import Finding, Status
from lagprov.model.types import Severity
from lagprov.report import RunReport
from lagprov.runs.audit import FindingChange, UnknownAudit
from lagprov.runs.history.db import session
from lagprov.runs.history.models import AuditRun, FindingRow
from lagprov.runs.history.repo import DbAuditStore

Known = Literal["pass", "fail", "warning"]
FindingKey = tuple[str, str, str | None, str | None]  # trunk, rule, device, subject
FAILING: frozenset[Known] = frozenset({"fail", "warning"})
_KNOWN_ROWS = (Status.PASS.value, Status.FAIL.value)


class KnownFinding(Model):
    """A finding as the newest audit that knew its status saw it."""

    status: Known
    message: str
    audit: str  # the name of that audit


def finding_key(f: Finding) -> FindingKey:
    """How a finding is identified across audits."""
    return (f.trunk, f.rule, f.device, f.subject)


def known_status(status: str, severity: str) -> Known | None:
    """``pass``, ``fail`` or ``warning`` for a finding's status and severity; None when the
    finding says nothing (unverifiable, explained)."""
    if status == Status.PASS.value:
        return "pass"
    if status == Status.FAIL.value:
        return "fail" if severity == Severity.ERROR.value else "warning"
    return None


def _change(f: Finding, message: str | None = None) -> FindingChange:
    return FindingChange(trunk=f.trunk, rule=f.rule, device=f.device, subject=f.subject,
                         message=f.message if message is None else message)


def failure_changes(known: Mapping[FindingKey, KnownFinding] | None, report: RunReport
                    ) -> tuple[tuple[FindingChange, ...], tuple[FindingChange, ...]]:
    """The failures ``report`` opened and those it resolved (see the module docstring), in the
    report's order; ``known`` is the last known status of each finding before it (None: no
    earlier audit at all, the baseline).  A resolved failure carries the message it failed
    with."""
    if known is None:
        return (), ()
    current = {finding_key(f): f for f in report.findings}  # a key twice: the last one
    new: list[FindingChange] = []
    resolved: list[FindingChange] = []
    for key, f in current.items():
        now = known_status(f.status.value, f.severity.value)
        before = known.get(key)
        was_failing = before is not None and before.status in FAILING
        if now in FAILING and not was_failing:
            new.append(_change(f))
        elif now == "pass" and before is not None and was_failing:
            resolved.append(_change(f, before.message))
    return tuple(new), tuple(resolved)


def wanted_keys(report: RunReport) -> set[FindingKey]:
    """The findings of ``report`` whose earlier status matters (those known now)."""
    return {finding_key(f) for f in report.findings
            if known_status(f.status.value, f.severity.value) is not None}


# --- the history query -------------------------------------------------------------------


def _earlier(taken: object, audit_id: int) -> ColumnElement[bool]:
    """Audits before the one taken at ``taken`` with id ``audit_id`` (the stores' order)."""
    return or_(AuditRun.taken < taken, and_(AuditRun.taken == taken, AuditRun.id < audit_id))


def _known(status: str, severity: str, message: str, audit: str) -> KnownFinding | None:
    value = known_status(status, severity)
    return None if value is None else KnownFinding(status=value, message=message, audit=audit)


def last_known(store: DbAuditStore, keys: Collection[FindingKey], *, before: str | None = None
               ) -> dict[FindingKey, KnownFinding] | None:
    """The last known status of each of ``keys`` in the audits before audit ``before`` (None:
    every stored audit counts as before); a key no such audit knew is left out.  None when no
    audit precedes ``before`` (it is the first).

    The newest earlier audit answers for most keys; only the rest (their device unreachable
    then, or new) are looked up further back, in their trunks' history.

    Raises:
        UnknownAudit: ``before`` is not in the history.
        ConfigError: the database fails.
    """
    wanted = set(keys)
    with session(store.engine) as s:
        where: list[ColumnElement[bool]] = []
        if before is not None:
            ref = s.execute(select(AuditRun.taken, AuditRun.id)
                            .where(AuditRun.name == before)).first()
            if ref is None:
                raise UnknownAudit(f"audit {before!r}: not in the history")
            where.append(_earlier(ref[0], ref[1]))
        prev = s.scalars(select(AuditRun.id).where(*where)
                         .order_by(AuditRun.taken.desc(), AuditRun.id.desc()).limit(1)).first()
        if prev is None:
            return None
        out: dict[FindingKey, KnownFinding] = {}
        q = (select(FindingRow.trunk, FindingRow.rule, FindingRow.device, FindingRow.subject,
                    FindingRow.status, FindingRow.severity, FindingRow.message, AuditRun.name)
             .join(AuditRun, FindingRow.audit_id == AuditRun.id)
             .where(FindingRow.audit_id == prev, FindingRow.status.in_(_KNOWN_ROWS))
             .order_by(FindingRow.id))
        for trunk, rule, device, subject, status, severity, message, name in s.execute(q):
            key = (trunk, rule, device, subject)
            known = _known(status, severity, message, name)
            if key in wanted and known is not None:
                out[key] = known  # a key twice in one audit: its last row
        missing = wanted - set(out)
        if not missing:
            return out
        rank = func.row_number().over(
            partition_by=(FindingRow.trunk, FindingRow.rule, FindingRow.device,
                          FindingRow.subject),
            order_by=(AuditRun.taken.desc(), AuditRun.id.desc(), FindingRow.id.desc()))
        inner = (select(FindingRow.trunk, FindingRow.rule, FindingRow.device,
                        FindingRow.subject, FindingRow.status, FindingRow.severity,
                        FindingRow.message, AuditRun.name.label("audit"), rank.label("rank"))
                 .join(AuditRun, FindingRow.audit_id == AuditRun.id)
                 .where(*where, FindingRow.audit_id != prev,
                        FindingRow.status.in_(_KNOWN_ROWS),
                        FindingRow.trunk.in_(sorted({k[0] for k in missing})))
                 .subquery())
        deeper = select(inner.c.trunk, inner.c.rule, inner.c.device, inner.c.subject,
                        inner.c.status, inner.c.severity, inner.c.message,
                        inner.c.audit).where(inner.c.rank == 1)
        for trunk, rule, device, subject, status, severity, message, name in s.execute(deeper):
            key = (trunk, rule, device, subject)
            known = _known(status, severity, message, name)
            if key in missing and known is not None:
                out[key] = known
    return out
