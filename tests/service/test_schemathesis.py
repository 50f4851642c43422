"""Schemathesis over the service's own OpenAPI document: no input makes a 500.

The app is built offline on a copy of the example inventory: ``provision_run`` and
``rollback_run`` are stubbed at the ``lagprov.runs`` boundary and verification replays an
empty saved-outputs folder, so no generated request reaches a device.  The client holds a
write token, so every endpoint is exercised past its access check.  25 examples per endpoint.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis (dev extra) missing")
from hypothesis import HealthCheck, settings  # noqa: E402  (hypothesis comes with it)

import lagprov.service.app as service_app  # noqa: E402
import lagprov.service.audit_runner as service_audits  # noqa: E402
import lagprov.service.writes as service_writes  # noqa: E402
from lagprov.model.inventory import Inventory  # noqa: E402
from lagprov.report import RunReport  # noqa: E402
from lagprov.runs import audit_run, verify_run  # noqa: E402
from lagprov.runs.history import database_url  # noqa: E402
from lagprov.runs.history.db import forget  # noqa: E402
from lagprov.runs.provision import ProvisionReport  # noqa: E402
from lagprov.service import create_app  # noqa: E402
from tests.conftest import EXAMPLE_INVENTORY  # noqa: E402
from tests.service.conftest import TOKENS, WRITE_TOKEN  # noqa: E402

MAX_EXAMPLES = 25
CALLS: Counter[str] = Counter()
# The app reloads its inventory on every request: the fixture below fills this folder with a
# fresh copy of the example inventory (and an empty saved-outputs folder) for each test.
WORK = Path(tempfile.gettempdir()) / f"lagprov-schemathesis-{os.getpid()}"


def _no_devices(inv: Inventory, *, commit: bool = False, **_: Any) -> ProvisionReport:
    return ProvisionReport(command="apply" if commit else "plan", started="t", finished="t",
                           commit=commit, outcomes=())


def _offline(inv: Inventory, *, devices: Collection[str] | None = None,
             reports_dir: Path | None = None, workers: int = 1) -> RunReport:
    """Verification replaying an empty saved-outputs folder: every check unverifiable."""
    return verify_run(inv, devices=devices, from_dir=WORK / "saved", reports_dir=reports_dir,
                      workers=workers)


APP = create_app(WORK / "inventory", state_dir=WORK / "state", verifier=_offline, tokens=TOKENS)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(autouse=True)
def _offline_work(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(service_app, "provision_run", _no_devices)
    monkeypatch.setattr(service_writes, "rollback_run",
                        lambda inv, run_id, **kw: _no_devices(inv, **kw))
    # POST /audits: the audit replays the empty saved-outputs folder too (no device reached)
    monkeypatch.setattr(service_audits, "audit_run",
                        lambda inv, **kw: audit_run(inv, from_dir=WORK / "saved", **kw))
    forget(database_url(WORK))  # the audit history (WORK/lagprov.db) starts afresh as well
    shutil.rmtree(WORK, ignore_errors=True)
    shutil.copytree(EXAMPLE_INVENTORY, WORK / "inventory")
    (WORK / "saved").mkdir()
    yield
    shutil.rmtree(WORK, ignore_errors=True)


@pytest.fixture(scope="module", autouse=True)
def _counts() -> Iterator[None]:
    yield
    documented = {r.ok().label for r in schema.get_all_operations()}
    mine = {k: v for k, v in CALLS.items() if k in documented}
    print(f"\nschemathesis: {len(mine)} operations, {sum(mine.values())} examples ("
          + ", ".join(f"{k} {v}" for k, v in sorted(mine.items()))
          + f"), and {sum(CALLS.values()) - sum(mine.values())} calls with undeclared methods")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_no_input_makes_a_server_error(case: Any) -> None:
    response = case.call(headers={"Authorization": f"Bearer {WRITE_TOKEN}"})
    CALLS[f"{case.method} {case.path}"] += 1
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
