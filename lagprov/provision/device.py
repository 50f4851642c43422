"""The per-device provisioning algorithm over a :class:`Session` (no Nornir here).

read running -> plan (pure) -> checks -> load candidate (device diff) -> [commit] -> read back
and re-plan (must be a no-op) -> confirm.  Any failure after the first change restores the
previous configuration (NAPALM rollback, Junos rollback, or the generated reverse plan).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from lagprov.errors import (
    AuthError,
    CommandError,
    CommitError,
    ConnectError,
    LagprovError,
    TransportError,
    TransportTimeout,
)
from lagprov.knowledge.platforms import StateQuery, get_spec
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import DeviceOutcome, OutcomeStatus
from lagprov.model.plan import ChangePlan, CheckResult
from lagprov.model.session import Session
from lagprov.model.types import Feature, Platform
from lagprov.provision.diff import plan_restore
from lagprov.provision.planning import ends_on, owned_sections, plan_device

Checker = Callable[[Inventory, str, str], tuple[CheckResult, ...]]
Reopen = Callable[[], Session]
CONFIRM_SECONDS = 300


class PostCheckFailed(LagprovError):
    """The device does not read back as intended after the commit."""


def error_kind(exc: BaseException) -> str:
    """A short, stable name for a device fault."""
    for cls, name in ((AuthError, "auth"), (TransportTimeout, "timeout"),
                      (ConnectError, "unreachable"), (CommandError, "rejected"),
                      (CommitError, "commit"), (PostCheckFailed, "post-check")):
        if isinstance(exc, cls):
            return name
    return "error"


def _running(session: Session, inv: Inventory, device: str) -> str:
    spec = get_spec(inv.switch(device).platform)
    return session.run(spec.commands[StateQuery.RUNNING_CONFIG])


def provision_device(session: Session, inv: Inventory, device: str, *, commit: bool,
                     force: bool = False, checker: Checker | None = None,
                     stop: threading.Event | None = None,
                     reopen: Reopen | None = None, device_diff: bool = True) -> DeviceOutcome:
    """Plan, and with ``commit`` apply, the intent on one device.

    Without ``commit``, the candidate is loaded (for the device's own diff, then discarded)
    only when ``device_diff`` asks for it; otherwise a plan sends the device nothing.
    """
    platform = inv.switch(device).platform
    running = _running(session, inv, device)
    checks = checker(inv, device, running) if checker else ()
    plan = plan_device(inv, device, running, checks)
    blocked = [c for c in plan.blocked if not (force and c.overridable)]
    if blocked:
        return DeviceOutcome(device=device, platform=platform, status=OutcomeStatus.BLOCKED,
                             plan=plan, messages=tuple(c.message for c in blocked))
    if plan.is_noop:
        return DeviceOutcome(device=device, platform=platform, status=OutcomeStatus.NOOP,
                             plan=plan)
    if not commit and not device_diff:
        return DeviceOutcome(device=device, platform=platform, status=OutcomeStatus.PLANNED,
                             plan=plan)
    try:
        diff = session.load(plan.remediation)
    except TransportError as exc:  # the candidate may hold part of the change: drop it
        return _restore(session, plan, exc, False, reopen, Before(inv, device, running))
    plan = plan.model_copy(update={"device_diff": diff})
    if not commit or (stop is not None and stop.is_set()):
        session.discard()
        return DeviceOutcome(device=device, platform=platform, status=OutcomeStatus.PLANNED,
                             plan=plan)
    return _commit(session, inv, device, plan, reopen, Before(inv, device, running))


@dataclass(frozen=True, slots=True)
class Before:
    """The device as it was before the run: what a restore goes back to."""

    inv: Inventory
    device: str
    running: str

    def restore_lines(self, session: Session, plan: ChangePlan) -> tuple[str, ...]:
        """The undo of a partial push, planned from what the device shows now."""
        if session.native_rollback or plan.platform is Platform.JUNIPER_JUNOS:
            return plan.rollback
        owned = [h for _, end in ends_on(self.inv, self.device)
                 for h in owned_sections(plan.platform, end)]
        now = _running(session, self.inv, self.device)
        return plan_restore(plan.platform, self.running, now, owned, plan.remediation)


def _commit(session: Session, inv: Inventory, device: str, plan: ChangePlan,
            reopen: Reopen | None, before: Before) -> DeviceOutcome:
    spec = get_spec(plan.platform)
    confirmed = Feature.COMMIT_CONFIRMED in spec.features and spec.napalm_driver == "junos"
    started = committed = False
    try:
        started = True
        session.commit(confirm_seconds=CONFIRM_SECONDS if confirmed else None)
        committed = True
        after = plan_device(inv, device, _running(session, inv, device))
        if not after.is_noop:
            raise PostCheckFailed(
                f"{device} does not read back as intended; still missing: "
                + "; ".join(after.remediation[:6])
            )
        session.confirm()
    except (TransportError, PostCheckFailed) as exc:
        partial = committed or (started and not session.atomic_commit)
        return _restore(session, plan, exc, partial, reopen, before)
    return DeviceOutcome(device=device, platform=plan.platform, status=OutcomeStatus.APPLIED,
                         plan=plan, messages=(f"{len(plan.remediation)} lines committed",))


def _restore(session: Session, plan: ChangePlan, exc: LagprovError, partial: bool,
             reopen: Reopen | None, before: Before) -> DeviceOutcome:
    """Undo: roll back what may have been applied, else discard the candidate."""
    note = "previous configuration restored" if partial else "candidate discarded, nothing applied"
    try:
        if isinstance(exc, ConnectError | TransportTimeout) and reopen is not None:
            session = reopen()
        if partial:
            session.rollback(before.restore_lines(session, plan))
        else:
            session.discard(force=True)
    except LagprovError as again:
        return DeviceOutcome(
            device=plan.device, platform=plan.platform, status=OutcomeStatus.FAILED, plan=plan,
            error_kind=error_kind(exc), error=str(exc),
            messages=(f"ROLLBACK FAILED ({again}); check {plan.device} by hand",),
        )
    return DeviceOutcome(device=plan.device, platform=plan.platform,
                         status=OutcomeStatus.ROLLED_BACK, plan=plan,
                         error_kind=error_kind(exc), error=str(exc), messages=(note,))
