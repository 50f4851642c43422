"""``GET /metrics``: the Prometheus text exposition format (version 0.0.4), written here.

Every figure comes from the history database, so audits run by the CLI count as well as the
service's own: the newest audit's trunks by status, findings by status, device errors, when it
was taken and how long it took; the service's audit jobs (done, failed, skipped because the
previous one was still running) and webhook deliveries that failed.  No value is a secret:
names of trunks are not even used as labels, only devices that could not be read.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from lagprov.runs.audit import AuditRecord
from lagprov.runs.history.jobs import TRUNK_STATUSES, trunks_by_status

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
FINDING_STATUSES = ("pass", "fail", "unverifiable", "explained")

Labels = Mapping[str, str]


@dataclass
class Family:
    """One metric: its name, type (``gauge`` / ``counter``), help text and samples."""

    name: str
    kind: str
    help: str
    samples: list[tuple[Labels, float]] = field(default_factory=list)

    def add(self, value: float, **labels: str) -> Family:
        """Add one sample; the family."""
        self.samples.append((labels, value))
        return self


def _label_value(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _number(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def exposition(families: Iterable[Family]) -> str:
    """The families as Prometheus text: ``# HELP``, ``# TYPE``, then one line per sample."""
    lines: list[str] = []
    for fam in families:
        lines += [f"# HELP {fam.name} {_help(fam.help)}", f"# TYPE {fam.name} {fam.kind}"]
        for labels, value in fam.samples:
            inner = ",".join(f'{k}="{_label_value(v)}"' for k, v in sorted(labels.items()))
            lines.append(f"{fam.name}{{{inner}}} {_number(value)}" if inner
                         else f"{fam.name} {_number(value)}")
    return "\n".join(lines) + "\n"


def _seconds(iso: str) -> float | None:
    try:
        return datetime.fromisoformat(iso).timestamp()
    except ValueError:
        return None


def audit_families(latest: AuditRecord | None) -> list[Family]:
    """What the newest audit found (families without samples before the first audit)."""
    trunks = Family("lagprov_trunks", "gauge", "Trunks by status in the newest audit "
                    "(fail: an error-severity finding fails; warning: only warnings fail).")
    findings = Family("lagprov_findings", "gauge", "Findings by status in the newest audit.")
    errors = Family("lagprov_device_errors", "gauge",
                    "Devices that could not be read in the newest audit.")
    error_of = Family("lagprov_device_error", "gauge",
                      "1 for each device that could not be read in the newest audit, by kind.")
    taken = Family("lagprov_last_audit_timestamp_seconds", "gauge",
                   "When the newest audit was taken (Unix time).")
    took = Family("lagprov_last_audit_duration_seconds", "gauge",
                  "How long the newest audit took to read and verify every device.")
    out = [trunks, findings, errors, error_of, taken, took]
    if latest is None:
        return out
    report = latest.report
    for status, n in trunks_by_status(report).items():
        trunks.add(n, status=status)
    counted = Counter(f.status.value for f in report.findings)
    for status in FINDING_STATUSES:
        findings.add(counted.get(status, 0), status=status)
    errors.add(len(report.errors))
    for e in report.errors:
        error_of.add(1, device=e.device, kind=e.kind.value)
    when = _seconds(latest.taken)
    if when is not None:
        taken.add(when)
    start, end = _seconds(report.started), _seconds(report.finished)
    if start is not None and end is not None:
        took.add(max(0.0, end - start))
    return out


def job_families(counts: Mapping[str, int], failed_deliveries: int, running: bool
                 ) -> list[Family]:
    """The service's audit jobs (``counts``: state -> jobs, as ``JobStore.counts``)."""
    audits = Family("lagprov_audits_total", "counter",
                    "Audits the service ran, by result (failed: the audit could not run).")
    for result in ("done", "failed"):
        audits.add(counts.get(result, 0), result=result)
    skipped = Family("lagprov_audits_skipped_total", "counter",
                     "Scheduled audits skipped because the previous one was still running.")
    skipped.add(counts.get("skipped", 0))
    busy = Family("lagprov_audit_running", "gauge",
                  "1 while this service runs an audit.").add(1 if running else 0)
    hooks = Family("lagprov_webhook_failures_total", "counter",
                   "Webhook deliveries that failed after every attempt.").add(failed_deliveries)
    return [audits, skipped, busy, hooks]


__all__ = ["CONTENT_TYPE", "TRUNK_STATUSES", "Family", "audit_families", "exposition",
           "job_families"]
