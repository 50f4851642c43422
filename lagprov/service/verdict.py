"""The handshake verdict of one trunk: tri-state, signed with HMAC-SHA256, kept per trunk.

Signature scheme (``signature: "hmac-sha256"``): ``digest`` is the lowercase hex
HMAC-SHA256, keyed with the UTF-8 bytes of ``LAGPROV_SERVICE_KEY``, of the canonical JSON of
the verdict *without* its ``digest`` field: ``json.dumps(obj, sort_keys=True,
separators=(",", ":"), ensure_ascii=False)`` encoded as UTF-8.  Without a key the verdict says
``signature: "unsigned"`` and ``digest`` is null.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from lagprov.model.base import Model
from lagprov.model.findings import Finding, Status
from lagprov.model.types import Severity
from lagprov.report import DeviceError, RunReport, TrunkReport
from lagprov.service.scrub import ENV_SERVICE_KEY, scrub

SIGNATURE = "hmac-sha256"


class TrunkVerdict(Model):
    """The machine-readable answer a host pipeline gates on."""

    trunk: str
    verdict: Status
    findings: tuple[Finding, ...] = ()
    errors: tuple[DeviceError, ...] = ()
    checked_at: str
    nonce: str | None = None
    signature: Literal["hmac-sha256", "unsigned"] = "unsigned"
    digest: str | None = None


def canonical_json(payload: object) -> bytes:
    """The exact bytes the digest is computed over."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def compute_digest(verdict: TrunkVerdict, key: str) -> str:
    """HMAC-SHA256 (hex) of the canonical JSON of ``verdict`` without ``digest``."""
    payload = verdict.model_dump(mode="json", exclude={"digest"})
    return hmac.new(key.encode("utf-8"), canonical_json(payload), hashlib.sha256).hexdigest()


def service_key() -> str | None:
    """The signing key from ``LAGPROV_SERVICE_KEY`` (None when unset or empty)."""
    return os.environ.get(ENV_SERVICE_KEY) or None


def sign(verdict: TrunkVerdict, key: str | None) -> TrunkVerdict:
    """``verdict`` with secrets masked, then signed with ``key`` (or marked unsigned)."""
    clean = TrunkVerdict.model_validate(scrub(verdict.model_dump(mode="json")))
    if key is None:
        return clean.model_copy(update={"signature": "unsigned", "digest": None})
    marked = clean.model_copy(update={"signature": SIGNATURE, "digest": None})
    return marked.model_copy(update={"digest": compute_digest(marked, key)})


def digest_ok(verdict: TrunkVerdict, key: str) -> bool:
    """True when ``verdict`` carries a digest made with ``key`` over its current content."""
    return verdict.digest is not None and hmac.compare_digest(
        verdict.digest, compute_digest(verdict, key))


def judge(trunk: TrunkReport | None, errors: tuple[DeviceError, ...],
          accept: tuple[str, ...] = ()) -> Status:
    """fail if an error-severity finding fails; unverifiable if a device could not be read, if
    there are no findings, or if a check is unverifiable without excuse; else pass.

    The excuse is :func:`lagprov.report.excuse`, the rule ``verify --strict`` applies: a rule
    in ``accept``, or an end the inventory declares not observable.  A failing warning alone
    does not fail the gate (it is in ``findings``), as for the CLI's exit status.
    """
    findings = trunk.findings if trunk is not None else ()
    if any(f.status is Status.FAIL and f.severity is Severity.ERROR for f in findings):
        return Status.FAIL
    if errors or not findings or (trunk is not None and trunk.blocking(accept)):
        return Status.UNVERIFIABLE
    return Status.PASS


def verdict_from_report(trunk: str, devices: set[str], report: RunReport,
                        nonce: str | None = None,
                        accept: tuple[str, ...] = ()) -> TrunkVerdict:
    """The unsigned verdict of ``trunk`` from a verify run over it (``devices``: its ends)."""
    mine = next((t for t in report.trunks if t.name == trunk), None)
    findings = mine.findings if mine is not None else ()
    errors = tuple(e for e in report.errors if e.device in devices)
    return TrunkVerdict(trunk=trunk, verdict=judge(mine, errors, accept), findings=findings,
                        errors=errors, checked_at=datetime.now(UTC).isoformat(timespec="seconds"),
                        nonce=nonce)


class VerdictStore:
    """The last verdict per trunk, kept as JSON files under ``root`` (survives restarts)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()

    def _path(self, trunk: str) -> Path:
        return self.root / f"{trunk}.json"  # trunk names are [A-Za-z0-9_.-], checked upstream

    def put(self, verdict: TrunkVerdict) -> None:
        """Replace the verdict of ``verdict.trunk`` atomically."""
        with self._lock:
            self.root.mkdir(parents=True, exist_ok=True)
            tmp = self._path(verdict.trunk).with_suffix(".tmp")
            tmp.write_text(verdict.model_dump_json(indent=2), encoding="utf-8")
            tmp.replace(self._path(verdict.trunk))

    def get(self, trunk: str) -> TrunkVerdict | None:
        """The last verdict of ``trunk``, or None."""
        path = self._path(trunk)
        with self._lock:
            if not path.is_file():
                return None
            return TrunkVerdict.model_validate_json(path.read_text(encoding="utf-8"))
