"""Intent: load the inventory (hosts, groups, defaults, trunks) into typed models, and lint it."""

from __future__ import annotations

from lagprov.intent.lint import LintFinding, LintReport, lint_folder, lint_inventory
from lagprov.intent.load import load_inventory

__all__ = [
    "LintFinding",
    "LintReport",
    "lint_folder",
    "lint_inventory",
    "load_inventory",
]
