"""Exit codes of every lagprov command (documented in README.md)."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """0 clean, 1 findings, 2 bad input or usage (nothing sent), 3 some devices failed."""

    OK = 0
    FINDINGS = 1
    BAD_INPUT = 2
    PARTIAL = 3
    INTERRUPTED = 130
