"""Run reports (a model) and their formatters (text, JSON, JUnit, Markdown): no logic in these."""

from __future__ import annotations

from lagprov.model.outcome import DeviceError, ErrorKind
from lagprov.report.model import (
    Counts,
    EndSummary,
    ExitStatus,
    MemberSummary,
    RunReport,
    TrunkReport,
    build_run_report,
    exit_status,
)

__all__ = [
    "Counts",
    "DeviceError",
    "EndSummary",
    "ErrorKind",
    "ExitStatus",
    "MemberSummary",
    "RunReport",
    "TrunkReport",
    "build_run_report",
    "exit_status",
]
