"""Failures an audit opens or resolves, judged against each finding's LAST KNOWN status (the
webhooks' defect: fail -> unverifiable -> fail was announced as new again, and fail ->
unverifiable -> pass never as resolved).  The pure rule first, then the history query on
SQLite and PostgreSQL over stored audits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lagprov.model.findings import Finding, Status
from lagprov.model.types import Severity
from lagprov.report import RunReport, TrunkReport
from lagprov.runs.audit import AuditRecord, UnknownAudit
from lagprov.runs.history.db import engine_for
from lagprov.runs.history.last_known import (
    FindingKey,
    Known,
    KnownFinding,
    failure_changes,
    last_known,
    wanted_keys,
)
from lagprov.runs.history.repo import DbAuditStore

TRUNK = "lnx01-bond0"
KEY: FindingKey = (TRUNK, "host-members-up", "lnx01", "ens1f1")
OTHER: FindingKey = (TRUNK, "lag-vlans", "eos7120-1", "Port-Channel10")
T1 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
STEP = timedelta(minutes=15)
# One finding's state in one audit: "pass", "fail", "warning" (fail, severity warning),
# "unverifiable", "explained", or "absent" (the unreachable host's per-member findings
# become one device-level unverifiable finding, as verify reports them).
Step = str


def _finding(key: FindingKey, step: Step) -> Finding:
    status = {"pass": Status.PASS, "fail": Status.FAIL, "warning": Status.FAIL,
              "unverifiable": Status.UNVERIFIABLE, "explained": Status.EXPLAINED}[step]
    severity = Severity.WARNING if step == "warning" else Severity.ERROR
    return Finding(trunk=key[0], rule=key[1], device=key[2], subject=key[3], status=status,
                   severity=severity, message=f"{key[3]}: {step}",
                   explained_by="lacp-pairing" if step == "explained" else None)


def _report(*steps: tuple[FindingKey, Step]) -> RunReport:
    findings = []
    for key, step in steps:
        if step == "absent":  # what verify reports for a host it could not read
            findings.append(_finding((key[0], key[1], key[2], None), "unverifiable"))
        else:
            findings.append(_finding(key, step))
    trunk = TrunkReport(name=TRUNK, purpose="storage", state="active", ends=(),
                        findings=tuple(findings))
    return RunReport(command="audit", started=T1.isoformat(), finished=T1.isoformat(),
                     trunks=(trunk,))


def _known(status: Known, message: str = "ens1f1: link down") -> dict[FindingKey, KnownFinding]:
    return {KEY: KnownFinding(status=status, message=message, audit="a")}


def _keys(changes: tuple[object, ...]) -> list[FindingKey]:
    return [(c.trunk, c.rule, c.device, c.subject) for c in changes]  # type: ignore[attr-defined]


# --- the rule (pure): the previous known statuses and the new report ---------------------------


def test_pass_to_fail_is_new() -> None:
    new, resolved = failure_changes(_known("pass"), _report((KEY, "fail")))
    assert (_keys(new), resolved) == ([KEY], ())
    assert new[0].message == "ens1f1: fail"  # the new failure's own message


def test_fail_to_unverifiable_is_nothing() -> None:
    assert failure_changes(_known("fail"), _report((KEY, "unverifiable"))) == ((), ())
    assert failure_changes(_known("fail"), _report((KEY, "absent"))) == ((), ())


def test_fail_again_after_unverifiable_is_not_new() -> None:
    # fail -> unverifiable -> fail: the unverifiable audit said nothing, the last known is fail
    assert failure_changes(_known("fail"), _report((KEY, "fail"))) == ((), ())


def test_pass_after_fail_then_unverifiable_is_resolved_with_the_failure_message() -> None:
    new, resolved = failure_changes(_known("fail", "ens1f1: link down"), _report((KEY, "pass")))
    assert (new, _keys(resolved)) == ((), [KEY])
    assert resolved[0].message == "ens1f1: link down"  # what was wrong, not "pass"


def test_unverifiable_or_explained_or_absent_is_never_resolved() -> None:
    for now in ("unverifiable", "explained", "absent"):
        assert failure_changes(_known("fail"), _report((KEY, now))) == ((), ()), now
        assert failure_changes(_known("warning"), _report((KEY, now))) == ((), ()), now


def test_the_first_audit_announces_nothing() -> None:
    # No earlier audit at all: the baseline (as before the fix: audit_delta(None, ...) is
    # empty); its failures are not announced then, nor later while they keep failing.
    assert failure_changes(None, _report((KEY, "fail"), (OTHER, "pass"))) == ((), ())


def test_a_failure_never_known_before_is_new() -> None:
    # Earlier audits exist but never knew this finding (a new trunk; a host unreachable in
    # every audit so far): its first known failure is new; its first pass is nothing.
    new, resolved = failure_changes({}, _report((KEY, "fail"), (OTHER, "pass")))
    assert (_keys(new), resolved) == ([KEY], ())


def test_warnings_count_as_failures_as_audit_delta_does() -> None:
    assert _keys(failure_changes(_known("pass"), _report((KEY, "warning")))[0]) == [KEY]
    assert _keys(failure_changes(_known("warning"), _report((KEY, "pass")))[1]) == [KEY]
    # still failing, whatever the severity: neither new nor resolved
    assert failure_changes(_known("fail"), _report((KEY, "warning"))) == ((), ())
    assert failure_changes(_known("warning"), _report((KEY, "fail"))) == ((), ())


def test_only_known_findings_are_looked_up() -> None:
    report = _report((KEY, "fail"), (OTHER, "unverifiable"))
    assert wanted_keys(report) == {KEY}


# --- through the history: sequences of stored audits --------------------------------------------


def _store(db_url: str) -> DbAuditStore:
    return DbAuditStore(engine_for(db_url))


def _replay(store: DbAuditStore, sequences: dict[FindingKey, list[Step]]
            ) -> list[tuple[list[FindingKey], list[FindingKey]]]:
    """Store one audit per step (every key's step i in audit i) and, for each, what it opened
    and resolved against the history before it, as the service computes it."""
    length = len(next(iter(sequences.values())))
    out = []
    for i in range(length):
        report = _report(*((k, steps[i]) for k, steps in sequences.items()))
        name = store.save(AuditRecord(taken=(T1 + i * STEP).isoformat(), report=report),
                          T1 + i * STEP)
        known = last_known(store, wanted_keys(report), before=name)
        new, resolved = failure_changes(known, report)
        out.append((_keys(new), _keys(resolved)))
    return out


def test_sequences_through_the_history(db_url: str) -> None:
    store = _store(db_url)
    got = _replay(store, {
        KEY: ["pass", "fail", "unverifiable", "fail", "absent", "absent", "pass", "pass"],
        OTHER: ["fail", "fail", "pass", "unverifiable", "fail", "warning", "explained", "pass"],
    })
    assert got == [
        ([], []),  # the first audit: the baseline (OTHER's failure is not announced)
        ([KEY], []),  # KEY pass -> fail: new; OTHER still failing
        ([], [OTHER]),  # KEY fail -> unverifiable: nothing; OTHER fail -> pass: resolved
        ([], []),  # KEY (fail, unverifiable) -> fail: not new again; OTHER -> unverifiable
        ([OTHER], []),  # KEY host unreachable: nothing; OTHER (pass, unverifiable) -> fail
        ([], []),  # OTHER fail -> warning: still failing
        ([], [KEY]),  # KEY (fail, absent, absent) -> pass: resolved; OTHER explained: nothing
        ([], [OTHER]),  # OTHER (warning, explained) -> pass: resolved; KEY pass -> pass
    ]


def test_the_newest_earlier_audit_is_not_the_only_one_asked(db_url: str) -> None:
    store = _store(db_url)
    names = []
    for i, step in enumerate(["fail", "absent", "absent", "unverifiable"]):
        names.append(store.save(AuditRecord(taken=(T1 + i * STEP).isoformat(),
                                            report=_report((KEY, step))), T1 + i * STEP))
    known = last_known(store, {KEY, OTHER}, before=names[-1])
    assert known is not None and set(known) == {KEY}  # OTHER: never known, left out
    assert (known[KEY].status, known[KEY].audit) == ("fail", names[0])
    assert known[KEY].message == "ens1f1: fail"
    # before the first audit there is no earlier audit: None, not an empty mapping
    assert last_known(store, {KEY}, before=names[0]) is None
    assert last_known(store, {KEY}, before=names[1]) == {
        KEY: KnownFinding(status="fail", message="ens1f1: fail", audit=names[0])}
    # without ``before`` every stored audit is earlier
    assert last_known(store, {KEY})[KEY].audit == names[0]  # type: ignore[index]
    with pytest.raises(UnknownAudit, match="nope"):
        last_known(store, {KEY}, before="nope")


def test_audits_are_ordered_by_when_they_were_taken(db_url: str) -> None:
    """An audit stored late (imported, a slow writer) is placed by its time, not its row."""
    store = _store(db_url)
    late = store.save(AuditRecord(taken=(T1 + 2 * STEP).isoformat(),
                                  report=_report((KEY, "pass"))), T1 + 2 * STEP)
    store.save(AuditRecord(taken=T1.isoformat(), report=_report((KEY, "fail"))), T1)
    store.save(AuditRecord(taken=(T1 + STEP).isoformat(), report=_report((KEY, "absent"))),
               T1 + STEP)
    now = store.save(AuditRecord(taken=(T1 + 3 * STEP).isoformat(),
                                 report=_report((KEY, "unverifiable"))), T1 + 3 * STEP)
    known = last_known(store, {KEY}, before=now)
    assert known is not None and (known[KEY].status, known[KEY].audit) == ("pass", late)
    assert last_known(store, {KEY}, before=late)[KEY].status == "fail"  # type: ignore[index]
