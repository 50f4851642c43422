"""The per-device provisioning algorithm over a :class:`Session` (no Nornir here).

read running -> plan (pure) -> checks -> load candidate (device diff) -> [commit] -> read back
and re-plan (must be a no-op) -> confirm.  Any failure after the first change restores the
previous configuration (NAPALM rollback, Junos rollback, or the generated reverse plan).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass

from lagprov.errors import (
    AuthError,
    CommandError,
    CommitError,
    ConnectError,
    Interrupted,
    LagprovError,
    TransportError,
    TransportTimeout,
)
from lagprov.knowledge.platforms import StateQuery, get_spec
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import DeviceOutcome, OutcomeStatus
from lagprov.model.plan import ChangePlan, CheckResult
from lagprov.model.session import Session
from lagprov.model.types import Feature, Platform, Severity
from lagprov.provision.diff import plan_restore
from lagprov.provision.planning import ends_on, owned_sections, plan_device
from lagprov.provision.precheck import REPLACEABLE, existing_vlans

Checker = Callable[[Inventory, str, str, str | None], tuple[CheckResult, ...]]
"""``(inventory, device, running config, VLAN table or None) -> failed checks``."""
VlanRead = Callable[[str], tuple[str | None, frozenset[int] | None]]
Reopen = Callable[[], Session]
# Told the plan and the running configuration before it, right before a commit run sends the
# device anything, its candidate included (the run store records the run as started on that
# device: a crash, even one while a NAPALM candidate is loaded, leaves it incomplete).
PushHook = Callable[[ChangePlan, str], None]
CONFIRM_SECONDS = 300


class PostCheckFailed(LagprovError):
    """The device does not read back as intended after the commit."""


def error_kind(exc: BaseException) -> str:
    """A short, stable name for a device fault."""
    for cls, name in ((Interrupted, "interrupted"), (AuthError, "auth"),
                      (TransportTimeout, "timeout"),
                      (ConnectError, "unreachable"), (CommandError, "rejected"),
                      (CommitError, "commit"), (PostCheckFailed, "post-check")):
        if isinstance(exc, cls):
            return name
    return "error"


def running_config(session: Session, platform: Platform) -> str:
    """The device's running configuration, as the platform shows it."""
    return session.run(get_spec(platform).commands[StateQuery.RUNNING_CONFIG])


def _running(session: Session, inv: Inventory, device: str) -> str:
    return running_config(session, inv.switch(device).platform)


def read_vlan_table(session: Session, platform: Platform, running: str) -> str | None:
    """The device's VLAN table (``StateQuery.VLANS``), read before anything is sent: the
    running configuration where the VLANs are part of it (Junos); None if it cannot be read."""
    commands = get_spec(platform).commands
    command = commands.get(StateQuery.VLANS)
    if command is None or command == commands[StateQuery.RUNNING_CONFIG]:
        return running if command is not None else None
    try:
        return session.run(command)
    except CommandError:
        return None  # the check then says the table is unknown


def _vlan_reader(session: Session, inv: Inventory, device: str, checks: bool) -> VlanRead:
    """(VLAN table, VLAN ids) for a running configuration: read for the checks and for the
    VLANs a ``create_vlans`` end makes (also after a commit, for the read-back); else none."""
    platform = inv.switch(device).platform
    reads = checks or any(e.create_vlans for _, e in ends_on(inv, device))

    def read(running: str) -> tuple[str | None, frozenset[int] | None]:
        table = read_vlan_table(session, platform, running) if reads else None
        return table, existing_vlans(platform, running, table)

    return read


def provision_device(session: Session, inv: Inventory, device: str, *, commit: bool,
                     force: bool = False, checker: Checker | None = None,
                     stop: threading.Event | None = None,
                     reopen: Reopen | None = None, device_diff: bool = True,
                     trunks: Collection[str] | None = None,
                     replace: Collection[str] = (),
                     on_push: PushHook | None = None) -> DeviceOutcome:
    """Plan, and with ``commit`` apply, the intent on one device.

    ``trunks`` limits the change to those trunks' sections (other trunks are not touched; their
    drift is only noted).  A pre-change check holds back its own trunk; the others go ahead.
    ``replace`` names trunks whose member/channel conflicts are resolved by taking the ports
    over (``--replace``).  Without ``commit``, the candidate is loaded (for the device's own
    diff, then discarded) only when ``device_diff`` asks for it; otherwise nothing is sent.
    """
    platform = inv.switch(device).platform
    running = _running(session, inv, device)
    scope = [t.name for t, _ in ends_on(inv, device) if trunks is None or t.name in trunks]
    vlans_of = _vlan_reader(session, inv, device, checker is not None)
    table, vlans = vlans_of(running)
    checks = tuple(c for c in (checker(inv, device, running, table) if checker else ())
                   if c.trunk in scope and not (c.trunk in replace and c.check in REPLACEABLE))
    held = {c.trunk for c in checks
            if c.severity is Severity.ERROR and not c.passed and not (force and c.overridable)}
    go = [t for t in scope if t not in held]
    detach = _detached(inv, device, running, go, replace)
    plan = plan_device(inv, device, running, checks, trunks=go if go or not held else scope,
                       detach=detach, vlans=vlans)
    if held and not go:
        blocked = [c for c in plan.blocked if not (force and c.overridable)]
        return DeviceOutcome(device=device, platform=platform, status=OutcomeStatus.BLOCKED,
                             plan=plan, messages=tuple(c.message for c in blocked))
    plan = plan.model_copy(update={"notes": plan.notes + _outside(inv, device, running, scope,
                                                                  vlans)})
    held_notes = tuple(f"{t}: held back by a pre-change check (nothing sent for it); the "
                       "other trunks go ahead" for t in sorted(held))
    if plan.is_noop:
        return DeviceOutcome(device=device, platform=platform, status=OutcomeStatus.NOOP,
                             plan=plan, messages=held_notes)
    if not commit and not device_diff:
        return DeviceOutcome(device=device, platform=platform, status=OutcomeStatus.PLANNED,
                             plan=plan, messages=held_notes)
    owned = tuple(h for t, end in ends_on(inv, device) if t.name in go
                  for h in owned_sections(platform, end)) + _detach_heads(platform, detach)
    before = Before(device, platform, running, owned)
    out = push_plan(session, plan, before=before, commit=commit, stop=stop, reopen=reopen,
                    replan=lambda now: plan_device(inv, device, now, trunks=go, detach=detach,
                                                   vlans=vlans_of(now)[1]),
                    on_push=on_push)
    return out.model_copy(update={"messages": out.messages + held_notes})


def _detached(inv: Inventory, device: str, running: str, go: Collection[str],
              replace: Collection[str]) -> tuple[str, ...]:
    """Ports in a replaced trunk's channel that its intent does not name: taken out."""
    from lagprov.provision.precheck import foreign_members

    return tuple(p for t, end in ends_on(inv, device) if t.name in go and t.name in replace
                 and t.state == "present" for p in foreign_members(inv, device, running, end))


def _detach_heads(platform: Platform, ports: Collection[str]) -> tuple[str, ...]:
    word = "interfaces" if platform is Platform.JUNIPER_JUNOS else "interface"
    return tuple(f"{word} {p}" for p in ports)


def _outside(inv: Inventory, device: str, running: str, scope: Collection[str],
             vlans: frozenset[int] | None) -> tuple[str, ...]:
    """A note per trunk on the device that is outside the change and differs from the intent."""
    notes = []
    for t, _ in ends_on(inv, device):
        if t.name in scope:
            continue
        n = len(plan_device(inv, device, running, trunks=[t.name], vlans=vlans).remediation)
        if n:
            notes.append(f"not in this change: {t.name} differs from the intent ({n} lines); "
                         f"not touched (plan --filter {t.name} shows them)")
    return tuple(notes)


def push_plan(session: Session, plan: ChangePlan, *, before: Before, commit: bool,
              replan: Callable[[str], ChangePlan], stop: threading.Event | None = None,
              reopen: Reopen | None = None, on_push: PushHook | None = None) -> DeviceOutcome:
    """Load ``plan`` (the device's own diff), and with ``commit`` commit it, read back and
    re-plan with ``replan`` (must be a no-op), confirm; any failure restores ``before``."""
    if commit and on_push is not None:  # before the candidate: a device may die loading it
        on_push(plan, before.running)
    try:
        diff = session.load(plan.remediation)
    except TransportError as exc:  # the candidate may hold part of the change: drop it
        return _restore(session, plan, exc, False, reopen, before)
    plan = plan.model_copy(update={"device_diff": diff})
    if not commit or (stop is not None and stop.is_set()):
        session.discard()
        return DeviceOutcome(device=plan.device, platform=plan.platform,
                             status=OutcomeStatus.PLANNED, plan=plan)
    return _commit(session, plan, reopen, before, replan)


@dataclass(frozen=True, slots=True)
class Before:
    """The device as it was before the run: what a restore goes back to (``owned`` sections)."""

    device: str
    platform: Platform
    running: str
    owned: tuple[str, ...]

    def restore_lines(self, session: Session, plan: ChangePlan) -> tuple[str, ...]:
        """The undo of a partial push, planned from what the device shows now."""
        if session.native_rollback or plan.platform is Platform.JUNIPER_JUNOS:
            return plan.rollback
        now = running_config(session, self.platform)
        return plan_restore(plan.platform, self.running, now, self.owned, plan.remediation)


def _commit(session: Session, plan: ChangePlan, reopen: Reopen | None, before: Before,
            replan: Callable[[str], ChangePlan]) -> DeviceOutcome:
    spec = get_spec(plan.platform)
    confirmed = Feature.COMMIT_CONFIRMED in spec.features and spec.napalm_driver == "junos"
    started = committed = False
    try:
        started = True
        session.commit(confirm_seconds=CONFIRM_SECONDS if confirmed else None)
        committed = True
        after = replan(running_config(session, plan.platform))
        if not after.is_noop:
            raise PostCheckFailed(
                f"{plan.device} does not read back as intended; still missing: "
                + "; ".join(after.remediation[:6])
            )
        session.confirm()
    except (TransportError, PostCheckFailed) as exc:
        partial = committed or (started and not session.atomic_commit)
        if started and not partial and _unanswered(exc):
            return _after_unanswered_commit(session, plan, exc, reopen, before, replan)
        return _restore(session, plan, exc, partial, reopen, before)
    return DeviceOutcome(device=plan.device, platform=plan.platform, status=OutcomeStatus.APPLIED,
                         plan=plan, messages=(f"{len(plan.remediation)} lines committed",))


def _unanswered(exc: LagprovError) -> bool:
    """A fault that leaves a commit's outcome unknown: the session dropped or timed out
    (the device did not refuse the commit, it never answered)."""
    return isinstance(exc, TransportError) and not isinstance(
        exc, CommandError | CommitError | Interrupted)


def _after_unanswered_commit(session: Session, plan: ChangePlan, exc: LagprovError,
                             reopen: Reopen | None, before: Before,
                             replan: Callable[[str], ChangePlan]) -> DeviceOutcome:
    """An atomic commit was sent and never answered: it took effect or not.  Read the device
    again (a fresh session) before undoing anything: the change is there -> restore it, else
    discard the candidate.  A device that cannot be read is left as it is (the run stays
    incomplete: ``lagprov rollback`` restores it once it answers)."""
    try:
        if reopen is not None:
            session = reopen()
        took_effect = replan(running_config(session, plan.platform)).is_noop
    except LagprovError as again:
        return DeviceOutcome(
            device=plan.device, platform=plan.platform, status=OutcomeStatus.FAILED, plan=plan,
            error_kind=error_kind(exc), error=str(exc),
            messages=(f"the commit was sent and never answered, so it may have taken effect; "
                      f"{plan.device} could not be read since ({again}): nothing restored, "
                      "check it by hand or roll the run back once it answers",))
    return _restore(session, plan, exc, took_effect, None, before)


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
