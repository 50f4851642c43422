"""Text and JSON views of a plan/apply run (formatting only)."""

from __future__ import annotations

from lagprov.cli.exit import ExitStatus
from lagprov.model.outcome import DeviceOutcome, OutcomeStatus
from lagprov.runs import ProvisionReport

_MARK = {
    OutcomeStatus.NOOP: "=", OutcomeStatus.PLANNED: "~", OutcomeStatus.APPLIED: "+",
    OutcomeStatus.BLOCKED: "!", OutcomeStatus.ROLLED_BACK: "x", OutcomeStatus.FAILED: "x",
}


def _device_text(o: DeviceOutcome, *, verbose: bool, diff: bool) -> list[str]:
    trunks = ", ".join(o.plan.trunks) if o.plan else ""
    out = [f"[{_MARK[o.status]}] {o.device} ({o.platform}): {o.status.value}"
           + (f"  trunks: {trunks}" if trunks else "")]
    if o.error:
        out.append(f"    error ({o.error_kind}): {o.error}")
    out.extend(f"    {m}" for m in o.messages if o.status is not OutcomeStatus.BLOCKED)
    if o.plan is None:
        return out
    for c in o.plan.checks:
        tag = "can be forced" if c.overridable else "blocks"
        out.append(f"    check {c.check} [{c.trunk}] {tag}: {c.message}")
    out.extend(f"    note: {n}" for n in o.plan.notes)
    if o.plan.remediation and (verbose or o.status is not OutcomeStatus.APPLIED):
        out.append("    commands:")
        out.extend(f"      {line}" for line in o.plan.remediation)
    if o.plan.device_diff and diff:
        out.append("    the device's own diff (NAPALM compare_config):")
        out.extend(f"      {line}" for line in o.plan.device_diff.splitlines())
    return out


def provision_text(report: ProvisionReport, *, verbose: bool = False,
                   diff: bool = False) -> str:
    """Human-readable report, one block per device, a summary line last."""
    lines: list[str] = []
    for o in report.outcomes:
        lines.extend(_device_text(o, verbose=verbose, diff=diff))
    counts: dict[str, int] = {}
    for o in report.outcomes:
        counts[o.status.value] = counts.get(o.status.value, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no devices"
    lines.append(f"{report.command}: {summary}")
    if report.run_id:
        lines.append(f"run {report.run_id} stored (configuration before and after); "
                     f"'lagprov rollback {report.run_id}' plans its undo")
    return "\n".join(lines)


def provision_exit(report: ProvisionReport) -> ExitStatus:
    """3 if any device failed, 1 if a check blocked a change, else 0."""
    if report.failed:
        return ExitStatus.PARTIAL
    if report.blocked:
        return ExitStatus.FINDINGS
    return ExitStatus.OK
