"""Run reports (a model) and their formatters (text, JSON, JUnit, Markdown): no logic in these."""

from __future__ import annotations

from lagprov.model.outcome import DeviceError, ErrorKind
from lagprov.report.build import Observation, build_run_report, trunk_report
from lagprov.report.gate import excuse
from lagprov.report.model import (
    Counts,
    EndSummary,
    ExitStatus,
    MemberSummary,
    MtuFigures,
    RunReport,
    TrunkReport,
    exit_status,
)

__all__ = [
    "Counts",
    "DeviceError",
    "EndSummary",
    "ErrorKind",
    "ExitStatus",
    "MemberSummary",
    "MtuFigures",
    "Observation",
    "RunReport",
    "TrunkReport",
    "build_run_report",
    "excuse",
    "exit_status",
    "trunk_report",
]
