"""Both MLAG peers, or neither: the two halves of an MLAG bundle go out in one run, together.

Before a commit that touches an MLAG trunk, both peers are planned for it (a plan sends
nothing).  If either peer's plan is blocked for the trunk, held back, or the peer cannot be
planned, the trunk is taken out of the commit on **both** peers, and each says why.  After the
commit, a trunk that one peer applied while the other's push failed (that peer restored itself)
is restored on the applied peer too, through the stored run (``lagprov rollback``'s path), so
the pair is never left with one half.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from lagprov.model.inventory import Inventory
from lagprov.model.outcome import DeviceOutcome, OutcomeStatus

Scope = Mapping[str, frozenset[str]]
PlanFn = Callable[[list[str]], tuple[DeviceOutcome, ...]]  # trunk names -> plan outcomes
RestoreFn = Callable[[str, str], tuple[DeviceOutcome, ...]]  # (run id, trunk) -> outcomes

_NOT_READY = (OutcomeStatus.BLOCKED, OutcomeStatus.FAILED, OutcomeStatus.ROLLED_BACK)


def mlag_trunks(inv: Inventory, scope: Scope) -> dict[str, tuple[str, str]]:
    """The MLAG trunks a run touches, with their two peers."""
    out: dict[str, tuple[str, str]] = {}
    for t in inv.trunks:
        if t.mlag is None:
            continue
        a, b = t.switch[0].device, t.switch[1].device
        if t.name in scope.get(a, ()) or t.name in scope.get(b, ()):
            out[t.name] = (a, b)
    return out


def _why_not(o: DeviceOutcome | None, trunk: str) -> str | None:
    """Why ``o`` cannot apply its half of ``trunk`` (None: it can)."""
    if o is None:
        return "it was not planned"
    if o.error is not None or o.status in _NOT_READY:
        return f"its plan is {o.status.value}" + (f": {o.error}" if o.error else "")
    held = [c for c in (o.plan.blocked if o.plan else ()) if c.trunk == trunk]
    if held and (o.plan is None or trunk not in o.plan.trunks):
        return f"a pre-change check holds it: {held[0].message}"
    return None


def hold_lone_halves(inv: Inventory, scope: Scope, plan: PlanFn
                     ) -> tuple[dict[str, frozenset[str]], dict[str, list[str]],
                                dict[str, DeviceOutcome]]:
    """The commit's scope without the MLAG trunks one peer cannot apply; per device the notes
    saying so; and the plan outcome of each device the scope lost entirely."""
    pairs = mlag_trunks(inv, scope)
    out = {d: frozenset(ts) for d, ts in scope.items()}
    notes: dict[str, list[str]] = {}
    if not pairs:
        return out, notes, {}
    planned = {o.device: o for o in plan(sorted(pairs))}
    for trunk, (a, b) in pairs.items():
        why = {d: r for d in (a, b) if (r := _why_not(planned.get(d), trunk)) is not None}
        if not why:
            for device, other in ((a, b), (b, a)):  # a filter naming one peer takes both
                if trunk not in out.get(device, frozenset()):
                    out[device] = out.get(device, frozenset()) | {trunk}
                    notes.setdefault(device, []).append(
                        f"MLAG trunk {trunk} is applied on {device} too: the filter named "
                        f"its peer {other} (both MLAG peers, or neither)")
            continue
        reasons = "; ".join(f"{d}: {r}" for d, r in sorted(why.items()))
        for device in (a, b):
            out[device] = out.get(device, frozenset()) - {trunk}
            notes.setdefault(device, []).append(
                f"MLAG trunk {trunk} held on both peers ({reasons}): nothing of it is sent "
                "to either peer (both MLAG peers, or neither)")
    dropped = {d: planned[d] for d, ts in out.items() if not ts and d in planned}
    return {d: ts for d, ts in out.items() if ts}, notes, dropped


def with_notes(outcomes: tuple[DeviceOutcome, ...], notes: Mapping[str, list[str]],
               dropped: Mapping[str, DeviceOutcome]) -> tuple[DeviceOutcome, ...]:
    """The run's outcomes with the MLAG notes, and a blocked outcome for each device whose
    every trunk was held."""
    out = [o.model_copy(update={"messages": (*notes.get(o.device, ()), *o.messages)})
           for o in outcomes]
    for device, o in dropped.items():
        out.append(o.model_copy(update={"status": OutcomeStatus.BLOCKED,
                                        "messages": (*notes.get(device, ()), *o.messages)}))
    return tuple(out)


def restore_lone_halves(inv: Inventory, scope: Scope, outcomes: tuple[DeviceOutcome, ...],
                        run_id: str | None, restore: RestoreFn) -> tuple[DeviceOutcome, ...]:
    """Restore every MLAG trunk that one peer applied while the other failed; the applied
    peer's outcome says so (rolled-back, or failed if the restore did not get through)."""
    by = {o.device: o for o in outcomes}
    changed = dict(by)
    for trunk, (a, b) in mlag_trunks(inv, scope).items():
        for done, lost in ((a, b), (b, a)):
            o, other = by.get(done), by.get(lost)
            if (o is None or o.status is not OutcomeStatus.APPLIED or o.plan is None
                    or trunk not in o.plan.trunks or other is None or not other.failed
                    or run_id is None):
                continue
            back = {r.device: r for r in restore(run_id, trunk)}.get(done)
            ok = back is not None and back.status in (OutcomeStatus.APPLIED, OutcomeStatus.NOOP)
            note = (f"MLAG trunk {trunk} restored on {done}: its peer {lost} failed "
                    f"({other.error or other.status.value}); both MLAG peers, or neither"
                    if ok else f"MLAG trunk {trunk}: its peer {lost} failed and the restore "
                    f"of {done} did not get through: run 'lagprov rollback {run_id}'")
            changed[done] = o.model_copy(update={
                "status": OutcomeStatus.ROLLED_BACK if ok else OutcomeStatus.FAILED,
                "messages": (note, *o.messages)})
    return tuple(changed[o.device] for o in outcomes)
