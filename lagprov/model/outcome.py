"""What happened on each device in a plan/apply run."""

from __future__ import annotations

from enum import StrEnum

from lagprov.model.base import Model
from lagprov.model.plan import ChangePlan
from lagprov.model.types import Platform


class OutcomeStatus(StrEnum):
    """Per-device result of a provisioning run."""

    NOOP = "no-change"  # already as intended: nothing sent
    PLANNED = "planned"  # plan only (no --commit)
    BLOCKED = "blocked"  # a pre-change check failed: nothing sent
    APPLIED = "applied"  # committed, saved and read back as intended
    ROLLED_BACK = "rolled-back"  # failed, and the previous configuration was restored
    FAILED = "failed"  # could not reach the device, or could not restore it


class DeviceOutcome(Model):
    """One device's plan and what was done with it."""

    device: str
    platform: Platform
    status: OutcomeStatus
    plan: ChangePlan | None = None
    error_kind: str | None = None  # unreachable | auth | timeout | rejected | commit | ...
    error: str | None = None
    messages: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        """True when the device did not end up as intended (or could not be planned)."""
        return self.status in (OutcomeStatus.ROLLED_BACK, OutcomeStatus.FAILED)


class ErrorKind(StrEnum):
    """Why a device gave no (usable) state."""

    UNREACHABLE = "unreachable"
    AUTH = "auth"
    TIMEOUT = "timeout"
    REJECTED = "rejected"
    PARSE = "parse"
    OTHER = "other"


class DeviceError(Model):
    """A device that failed during a stage (connect, collect, parse, push)."""

    device: str
    stage: str
    kind: ErrorKind
    message: str
