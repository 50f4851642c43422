"""Request and response bodies of the HTTP service (frozen, unknown fields refused)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictBool

from lagprov.intent.lint import LintFinding
from lagprov.model.base import Model
from lagprov.model.types import Platform
from lagprov.report import RunReport
from lagprov.runs import ProvisionReport

MAX_NAMES = 4096  # devices or trunks in one request (the largest benched fleet: 1,000 trunks)
MAX_NAME_LEN = 128
MAX_REPORT_FILES = 32
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME_LEN)]
Names = Annotated[tuple[Name, ...], Field(max_length=MAX_NAMES)]


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

    device: Name | None = None
    remove: StrictBool = False


class RenderedOut(Model):
    """One switch's configuration lines (``text`` is the lines joined, newline-terminated)."""

    device: str
    platform: Platform
    trunks: tuple[str, ...]
    lines: tuple[str, ...]
    notes: tuple[str, ...]
    vlan_lines: int = Field(default=0, description="the first lines that create VLANs")
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


_ACCEPT = Field(
    default=(), description="rule ids accepted as unverifiable, e.g. partner-identity for "
    "Windows LBFO, which does not report its LACP system id (the CLI's --accept-unverifiable)")


class VerifyRequest(Model):
    """``POST /verify``: limit to these trunks and/or devices (default everything); judge as
    ``verify --strict`` with ``strict``."""

    trunks: Names = ()
    devices: Names = ()
    strict: StrictBool = False
    accept_unverifiable: Names = _ACCEPT


class VerifyResponse(RunReport):
    """``POST /verify``: the RunReport as ``verify --format json`` prints it, with its
    ``summary`` (totals) and ``exit_status`` (the CLI's: 3 if a device could not be read, else
    1 if an error finding fails or, strict, a check is unverifiable without excuse, else 0).
    """


class ReadyRequest(Model):
    """``POST /trunks/{name}/ready``: a nonce echoed in the signed verdict; host report files.

    ``reports`` maps a report file name (``Get-NetLbfoTeam.json``,
    ``proc_net_bonding_bond0.txt``, ...; see ``lagprov.observe.host_commands.REPORT_FILES``)
    to its text.
    """

    nonce: str | None = Field(default=None, max_length=128, pattern=r"^[\x21-\x7e]+$",
                              description="a value of the caller's choosing (replay protection)")
    reports: dict[Name, str] = Field(default_factory=dict, max_length=MAX_REPORT_FILES,
                                     description="the host's own report files, name -> text "
                                     "(needs a token: see README)")
    accept_unverifiable: Names = _ACCEPT


class RollbackRequest(Model):
    """``POST /rollback``: restore what run ``run_id`` changed (optionally some of its trunks);
    ``commit`` must be given, false only plans the restore."""

    run_id: str = Field(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z][0-9A-Za-z.:_-]*$",
                        description="a run id from 'lagprov runs'")
    trunks: Names = ()
    commit: StrictBool
    force: StrictBool = False
