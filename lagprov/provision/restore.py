"""Rolling back a stored run on one device: put the sections the run changed back as they were.

The restore is planned from three configurations of the device: ``before`` and ``after`` the
run (both stored) and ``now``.  Only the sections the run's trunks own are compared, so a
rollback never touches anything else (global lines such as ``system mtu`` or Junos
``device-count`` are not owned: a rollback never lowers them).  If the owned sections of
``now`` differ from ``after``, someone changed them since the run: the plan lists what the
restore would overwrite and is refused unless forced.
"""

from __future__ import annotations

from collections.abc import Sequence

from hier_config import get_hconfig

from lagprov.model.outcome import DeviceOutcome, OutcomeStatus
from lagprov.model.plan import ChangePlan, CheckResult
from lagprov.model.session import Session
from lagprov.model.types import Platform
from lagprov.provision.device import Before, Reopen, push_plan, running_config
from lagprov.provision.diff import _HIER, clean_running, junos_statements, plan_junos, plan_restore


def _junos_owned(config: str, owned: Sequence[str]) -> list[str]:
    """The ``set`` statements of ``config`` under an owned path (a path may be a whole leaf,
    ``protocols rstp interface ae1 edge``)."""
    exact = {f"set {o}" for o in owned}
    prefixes = tuple(f"{e} " for e in exact)
    statements = junos_statements(c for c in config.splitlines() if c.startswith("set "))
    return [s for s in statements if s in exact or s.startswith(prefixes)]


def owned_lines(platform: Platform, config: str, owned: Sequence[str]) -> list[str]:
    """The owned sections of ``config`` as ``section: line`` (Junos: ``set`` statements)."""
    if platform is Platform.JUNIPER_JUNOS:
        return _junos_owned(config, owned)
    tree = get_hconfig(_HIER[platform], clean_running(config))
    out = []
    for head in owned:
        child = tree.get_child(equals=head)
        if child is not None:
            out.append(head)
            out.extend(f"{head}: {c.cisco_style_text().strip()}"
                       for c in child.all_children_sorted())
    return out


def changed_since(platform: Platform, owned: Sequence[str], after: str, now: str) -> list[str]:
    """Owned lines that differ between ``after`` (the run's read-back) and ``now``."""
    was, now_lines = owned_lines(platform, after, owned), owned_lines(platform, now, owned)
    gone = [f"- {line}   (set by the run, no longer on the device)"
            for line in was if line not in now_lines]
    return gone + [f"+ {line}   (on the device now, not set by the run: overwritten)"
                   for line in now_lines if line not in was]


def restore_plan(platform: Platform, device: str, trunks: Sequence[str], owned: Sequence[str],
                 before: str, now: str) -> ChangePlan:
    """The lines that put the ``owned`` sections of ``now`` back as they were in ``before``."""
    if platform is Platform.JUNIPER_JUNOS:
        remediation, rollback = plan_junos(now, _junos_owned(before, owned), owned)
    else:
        remediation, rollback = plan_restore(platform, before, now, owned, ()), ()
    return ChangePlan(device=device, platform=platform, trunks=tuple(trunks),
                      remediation=remediation, rollback=rollback)


def rollback_device(session: Session, device: str, platform: Platform, *, run_id: str,
                    trunks: Sequence[str], owned: Sequence[str], before: str,
                    after: str | None, commit: bool, force: bool,
                    reopen: Reopen | None = None) -> DeviceOutcome:
    """Plan, and with ``commit`` push, the restore of one device to ``before`` (owned sections).

    ``after`` None: the run did not finish on this device (it stopped mid-push), so what it
    left is not known and cannot be told from a later change: the restore is not held back.

    Pushed like an apply (:func:`~lagprov.provision.device.push_plan`): read back, re-planned
    (must be empty), and any failure restores what the device had before the rollback.
    """
    now = running_config(session, platform)
    plan = restore_plan(platform, device, trunks, owned, before, now)
    if plan.is_noop:
        return DeviceOutcome(device=device, platform=platform, status=OutcomeStatus.NOOP,
                             plan=plan, messages=(f"nothing to restore: the sections run "
                                                  f"{run_id} changed are as they were before it",))
    drift = changed_since(platform, owned, after, now) if after is not None else []
    if drift:
        check = CheckResult(
            check="changed-since-run", trunk=", ".join(trunks), device=device, passed=False,
            overridable=True, message=f"{device} changed since run {run_id}: the restore "
            f"would overwrite {len(drift)} line(s) (listed below); --force overwrites them")
        plan = plan.model_copy(update={"checks": (check,), "notes": tuple(drift)})
        if not force:
            return DeviceOutcome(device=device, platform=platform,
                                 status=OutcomeStatus.BLOCKED, plan=plan,
                                 messages=(check.message,))
    if not commit:
        return DeviceOutcome(device=device, platform=platform, status=OutcomeStatus.PLANNED,
                             plan=plan)

    def replan(current: str) -> ChangePlan:
        return restore_plan(platform, device, trunks, owned, before, current)

    return push_plan(session, plan, before=Before(device, platform, now, tuple(owned)),
                     commit=True, replan=replan, reopen=reopen)
