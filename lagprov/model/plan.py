"""Plans: what lagprov would change on one device, and what it checked first."""

from __future__ import annotations

from lagprov.model.base import Model
from lagprov.model.types import Platform, Severity


class CheckResult(Model):
    """One pre-change check on one trunk end."""

    check: str
    trunk: str
    device: str
    passed: bool
    severity: Severity = Severity.ERROR
    overridable: bool = False  # --force may override it
    message: str = ""


class ChangePlan(Model):
    """The remediation for one device: lines to push, lines that undo them."""

    device: str
    platform: Platform
    trunks: tuple[str, ...]
    remediation: tuple[str, ...]
    rollback: tuple[str, ...]
    notes: tuple[str, ...] = ()
    checks: tuple[CheckResult, ...] = ()
    device_diff: str | None = None

    @property
    def is_noop(self) -> bool:
        """True when the device already matches the intent."""
        return not self.remediation

    @property
    def blocked(self) -> tuple[CheckResult, ...]:
        """Failed error-severity checks: these block the push."""
        return tuple(c for c in self.checks if not c.passed and c.severity is Severity.ERROR)
