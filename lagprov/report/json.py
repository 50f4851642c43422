"""JSON report (the RunReport model as is) and its JSON schema."""

from __future__ import annotations

from typing import Any

from lagprov.report.model import RunReport


def to_json(report: RunReport) -> str:
    """The report as indented JSON; :meth:`RunReport.model_validate_json` reads it back."""
    return report.model_dump_json(indent=2)


def json_schema() -> dict[str, Any]:
    """The JSON schema of :class:`RunReport` (pydantic, serialization mode)."""
    return RunReport.model_json_schema(mode="serialization")
