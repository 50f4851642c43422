"""Request and response bodies of the HTTP service (frozen, unknown fields refused)."""

from __future__ import annotations

from pydantic import Field, StrictBool

from lagprov.intent.lint import LintFinding
from lagprov.model.base import Model
from lagprov.model.types import Platform
from lagprov.report import Counts, RunReport
from lagprov.runs import ProvisionReport

Names = tuple[str, ...]


class Health(Model):
    """``GET /health``."""

    status: str = "ok"
    inventory: str
    verify: bool = Field(description="whether POST /verify and the handshake are available")


class ErrorBody(Model):
    """Every 4xx/5xx body: one line, and the individual problems (file and field) if any."""

    detail: str
    errors: tuple[str, ...] = ()


class ValidateResponse(Model):
    """``POST /validate``: the lint findings and the CLI's exit status (0 clean, 1 errors)."""

    exit_status: int
    trunks: int
    devices: int
    errors: int
    warnings: int
    findings: tuple[LintFinding, ...]


class RenderRequest(Model):
    """``POST /render``: one switch (default all switches with trunk ends), or removal."""

    device: str | None = None
    remove: StrictBool = False


class RenderedOut(Model):
    """One switch's configuration lines (``text`` is the lines joined, newline-terminated)."""

    device: str
    platform: Platform
    trunks: tuple[str, ...]
    lines: tuple[str, ...]
    notes: tuple[str, ...]
    text: str


class RenderResponse(Model):
    """``POST /render``."""

    exit_status: int = 0
    configs: tuple[RenderedOut, ...]


class PlanRequest(Model):
    """``POST /plan``: limit to these switches and/or trunks (default everything)."""

    devices: Names = ()
    trunks: Names = ()


class ApplyRequest(PlanRequest):
    """``POST /apply``: ``commit`` must be given (a JSON boolean); false is exactly a plan."""

    commit: StrictBool
    force: StrictBool = False


class ProvisionResponse(ProvisionReport):
    """``POST /plan`` and ``/apply``: the ProvisionReport and the CLI's exit status.

    Device failures are data here (HTTP 200): ``exit_status`` 3 if any device failed,
    1 if a pre-change check blocked a change, else 0.
    """

    exit_status: int


class VerifyRequest(Model):
    """``POST /verify``: limit to these trunks and/or devices (default everything)."""

    trunks: Names = ()
    devices: Names = ()


class VerifyResponse(RunReport):
    """``POST /verify``: the RunReport, its totals and the CLI's exit status.

    ``exit_status`` 3 if a device could not be read, else 1 if an error finding fails, else 0.
    """

    summary: Counts
    exit_status: int


class ReadyRequest(Model):
    """``POST /trunks/{name}/ready``: a nonce echoed in the signed verdict; host report files.

    ``reports`` maps a report file name (``Get-NetLbfoTeam.json``,
    ``proc_net_bonding_bond0.txt``, ...; see ``lagprov.observe.collect.REPORT_FILES``) to its text.
    """

    nonce: str | None = Field(default=None, max_length=128, pattern=r"^[\x21-\x7e]+$",
                              description="a value of the caller's choosing (replay protection)")
    reports: dict[str, str] = Field(default_factory=dict,
                                    description="the host's own report files, name -> text")
    accept_unverifiable: tuple[str, ...] = Field(
        default=(), description="rule ids the pipeline accepts as unverifiable, e.g. "
        "partner-identity for Windows LBFO, which does not report its LACP system id")
