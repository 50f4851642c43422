"""Findings: the tri-state verdicts of verification rules, with their evidence.

Missing data is never a mismatch: a rule whose inputs are unknown returns
:attr:`Status.UNVERIFIABLE` and says which input was missing.
"""

from __future__ import annotations

from enum import StrEnum

from lagprov.model.base import Model
from lagprov.model.types import Severity


class Status(StrEnum):
    """Outcome of one check."""

    PASS = "pass"  # noqa: S105 - not a password
    FAIL = "fail"
    UNVERIFIABLE = "unverifiable"
    EXPLAINED = "explained"  # a failure caused by another failing rule (see explained_by)


class Evidence(Model):
    """One fact a finding rests on, and where it came from."""

    source: str  # "cat9300-1: show lacp neighbor", "hv01: Get-NetLbfoTeam", "intent"
    value: str  # the parsed (normalised) value
    raw: str | None = None  # the raw line or vendor flags, when known


class Finding(Model):
    """The verdict of one rule on one trunk (optionally one device and one port)."""

    trunk: str
    rule: str
    status: Status
    severity: Severity
    device: str | None = None
    subject: str | None = None
    expected: str | None = None
    actual: str | None = None
    message: str
    evidence: tuple[Evidence, ...] = ()
    explained_by: str | None = None  # the root-cause rule, for status "explained"

    @property
    def failed(self) -> bool:
        """True for a failing finding (of any severity)."""
        return self.status is Status.FAIL
