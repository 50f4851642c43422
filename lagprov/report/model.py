"""The report of one run (verify, audit): trunks side by side, findings, device errors.

Exit status (:func:`exit_status`): ``3`` if any device failed (unreachable, auth, timeout,
rejected, parse) since the verdict is then incomplete; else ``1`` if any finding *fails* with
severity error, or, with ``strict``, if any unverifiable check is neither declared nor accepted
(:mod:`lagprov.report.gate`); else ``0``.  Failing warnings alone are not a failure; everything
is counted in :attr:`RunReport.summary`.

``status`` of trunks and ends, ``summary`` and ``exit_status`` are computed from the findings:
they are in the JSON (and its schema), and a document whose values do not match its findings
is refused when read back.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import Any, Literal

from pydantic import ModelWrapValidatorHandler, computed_field, model_validator
from pydantic_core import to_jsonable_python

from lagprov.model.base import Model
from lagprov.model.findings import Finding, Status
from lagprov.model.outcome import DeviceError
from lagprov.model.types import Severity
from lagprov.report.gate import excuse, is_declared

EndStatus = Literal["pass", "fail", "unverifiable", "declared"]


def _check_computed(cls: type[Model], data: Any, handler: Callable[[Any], Model]) -> Model:
    """Build ``cls`` from ``data`` without its computed fields, then check any given ones."""
    given: dict[str, Any] = {}
    if isinstance(data, dict):
        given = {k: data[k] for k in cls.model_computed_fields if k in data}
        data = {k: v for k, v in data.items() if k not in given}
    made = handler(data)
    for key, value in given.items():
        mine = to_jsonable_python(getattr(made, key))
        if to_jsonable_python(value) != mine:
            raise ValueError(f"{key} does not match the findings (computed: {mine})")
    return made


class MemberSummary(Model):
    """One member link for display: name, status, LACP partner."""

    name: str
    status: str | None = None
    partner: str | None = None  # "aa:bb:cc:dd:ee:ff port 2"


class MtuFigures(Model):
    """An end's binding MTU as numbers: as configured, what that number means, the IP MTU."""

    configured: int
    semantics: str  # "system MTU, frame payload", "media MTU (L2 frame, no FCS)", ...
    ip_mtu: int
    where: str  # "Port-channel10 MTU", "NIC ens1f0 MTU", ...


class EndSummary(Model):
    """One end of a trunk for side-by-side display."""

    role: Literal["switch", "peer", "host"]
    device: str
    observed: bool  # False: no state (unreachable / declared only); values are the intent's
    # fail/unverifiable from its own findings; declared: not observable (the default only
    # reads reports written before the field existed)
    status: EndStatus = "unverifiable"
    source: str | None = None  # "live", "saved output", "report file <path>", "posted report"
    age_seconds: int | None = None  # age of a report file / posted report when it was read
    not_observed: str | None = None  # why no state was read (declared, no report, error)
    declared_unobservable: bool = False  # hosts.yaml data.observable: false
    declared: tuple[str, ...] = ()  # facts taken from the inventory: "lacp_system_id ..."
    channel: str | None = None
    mode: str | None = None
    members: tuple[MemberSummary, ...] = ()
    mtu: str | None = None  # "raw (semantics) = IP n"
    mtu_figures: MtuFigures | None = None
    partner_ids: tuple[str, ...] = ()


class TrunkReport(Model):
    """One trunk: its ends and its findings."""

    name: str
    purpose: str
    state: str
    ends: tuple[EndSummary, ...]
    findings: tuple[Finding, ...] = ()

    @model_validator(mode="wrap")
    @classmethod
    def _computed(cls, data: Any, handler: ModelWrapValidatorHandler[TrunkReport]) -> Any:
        return _check_computed(cls, data, handler)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status(self) -> Status:
        """fail if any finding fails; else unverifiable if a check is unverifiable for want of
        data the inventory does not declare unreadable; else pass."""
        if any(f.status is Status.FAIL for f in self.findings):
            return Status.FAIL
        if any(not is_declared(excuse(f, self.ends)) for f in self.findings
               if f.status is Status.UNVERIFIABLE):
            return Status.UNVERIFIABLE
        return Status.PASS

    def excuses(self, accept: tuple[str, ...] = ()) -> list[tuple[Finding, str | None]]:
        """Every unverifiable finding and why it does not block (None: it blocks)."""
        return [(f, excuse(f, self.ends, accept)) for f in self.findings
                if f.status is Status.UNVERIFIABLE]

    def blocking(self, accept: tuple[str, ...] = ()) -> tuple[Finding, ...]:
        """Unverifiable findings that fail a strict gate (neither declared nor accepted)."""
        return tuple(f for f, why in self.excuses(accept) if why is None)


class Counts(Model):
    """Totals of a run."""

    trunks: int
    passed: int
    failed: int  # failing findings of severity error
    warnings: int  # failing findings of severity warning
    unverifiable: int  # every unverifiable finding (declared, accepted and blocking)
    explained: int = 0  # failures caused by a failing root rule (not counted in failed)
    device_errors: int
    declared: int = 0  # unverifiable for want of an end the inventory declares unreadable
    accepted: int = 0  # unverifiable, rule in accept_unverifiable
    blocking: int = 0  # unverifiable, neither: these fail --strict
    strict: bool = False
    host_ends: int = 0
    host_ends_not_observed: int = 0
    not_observed: tuple[str, ...] = ()  # "hv01: no host report given (--reports) ..."


class ExitStatus(IntEnum):
    """Process exit status of a run."""

    OK = 0
    FINDINGS = 1
    DEVICE_ERROR = 3


class RunReport(Model):
    """Everything one run found, and how strictly it is judged."""

    command: str
    started: str
    finished: str
    trunks: tuple[TrunkReport, ...] = ()
    errors: tuple[DeviceError, ...] = ()
    strict: bool = False  # unverifiable checks that are not excused fail the run
    accept_unverifiable: tuple[str, ...] = ()  # rule ids accepted as unverifiable

    @model_validator(mode="wrap")
    @classmethod
    def _computed(cls, data: Any, handler: ModelWrapValidatorHandler[RunReport]) -> Any:
        return _check_computed(cls, data, handler)

    def gated(self, *, strict: bool, accept: tuple[str, ...] = ()) -> RunReport:
        """This report judged with ``strict`` and the ``accept`` list."""
        return self.model_copy(update={"strict": strict, "accept_unverifiable": tuple(accept)})

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding of every trunk."""
        return tuple(f for t in self.trunks for f in t.findings)

    @property
    def counts(self) -> Counts:
        """Totals by outcome (the same as :attr:`summary`)."""
        fs = self.findings
        fails = [f for f in fs if f.status is Status.FAIL]
        why = [w for t in self.trunks for _, w in t.excuses(self.accept_unverifiable)]
        hosts = [e for t in self.trunks for e in t.ends if e.role == "host"]
        unseen = [e for e in hosts if not e.observed]
        return Counts(
            trunks=len(self.trunks),
            passed=sum(f.status is Status.PASS for f in fs),
            failed=sum(f.severity is Severity.ERROR for f in fails),
            warnings=sum(f.severity is Severity.WARNING for f in fails),
            unverifiable=len(why),
            explained=sum(f.status is Status.EXPLAINED for f in fs),
            device_errors=len(self.errors),
            declared=sum(is_declared(w) for w in why),
            accepted=sum(w is not None and not is_declared(w) for w in why),
            blocking=sum(w is None for w in why),
            strict=self.strict,
            host_ends=len(hosts),
            host_ends_not_observed=len(unseen),
            not_observed=tuple(dict.fromkeys(f"{e.device}: {e.not_observed or 'no state'}"
                                             for e in unseen)),
        )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def summary(self) -> Counts:
        """Totals, as ``POST /verify`` returns them."""
        return self.counts

    @computed_field  # type: ignore[prop-decorator]
    @property
    def exit_status(self) -> int:
        """The CLI's exit status for this report (see :func:`exit_status`)."""
        return int(exit_status(self))


def exit_status(report: RunReport) -> ExitStatus:
    """3 if a device failed, else 1 if an error-severity finding fails (or, strict, a check
    is unverifiable without excuse), else 0."""
    counts = report.counts
    if counts.device_errors:
        return ExitStatus.DEVICE_ERROR
    if counts.failed or (report.strict and counts.blocking):
        return ExitStatus.FINDINGS
    return ExitStatus.OK
