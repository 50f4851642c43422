"""Provision then prove, end to end against the built-in lab (hv01-team: Catalyst + Windows).

The Windows host cannot be logged in to, so its pipeline hands its own report files to
``POST /trunks/hv01-team/ready``; the service reads the switch end itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LabFabric
from tests.conftest import EXAMPLE_INVENTORY
from tests.service.conftest import SERVICE_KEY, WRITE_TOKEN, make_client, signing
from tests.service.test_handshake import expected_digest

pytestmark = pytest.mark.lab

TRUNK, SWITCH, HOST = "hv01-team", "cat9300-1", "hv01"


@pytest.fixture
def lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[LabFabric, TestClient]]:
    monkeypatch.setenv("LAGPROV_USERNAME", "lab")
    monkeypatch.setenv("LAGPROV_PASSWORD", "lab-password")
    monkeypatch.setenv("LAGPROV_SECRET", "lab-secret")
    monkeypatch.setenv("LAGPROV_SERVICE_KEY", SERVICE_KEY)
    fabric = LabFabric.from_inventory(load_inventory(EXAMPLE_INVENTORY), rebase="auto")
    fabric.start()
    try:
        folder = fabric.write_inventory(tmp_path / "inventory")
        with signing(make_client(folder, tmp_path / "state", token=WRITE_TOKEN),
                     SERVICE_KEY) as client:
            yield fabric, client
    finally:
        fabric.close()


def host_reports(fabric: LabFabric, tmp: Path) -> dict[str, str]:
    """What the host pipeline uploads: the files the (simulated) host writes about itself."""
    return {p.name: p.read_text(encoding="utf-8") for p in fabric.hosts[HOST].write_reports(tmp)}


def statuses(body: dict[str, Any]) -> list[str]:
    return [o["status"] for o in body["outcomes"]]


def ready(client: TestClient, reports: dict[str, str], nonce: str) -> dict[str, Any]:
    r = client.post(f"/trunks/{TRUNK}/ready", json={"nonce": nonce, "reports": reports})
    assert r.status_code == 200, r.text
    v: dict[str, Any] = r.json()
    assert v["digest"] == expected_digest(v, SERVICE_KEY)
    assert v["nonce"] == nonce
    return v


def failing(v: dict[str, Any]) -> set[str]:
    return {f["rule"] for f in v["findings"] if f["status"] == "fail"}


def test_provision_then_prove(lab: tuple[LabFabric, TestClient], tmp_path: Path) -> None:
    fabric, client = lab
    before = ready(client, host_reports(fabric, tmp_path / "r0"), "before")
    # nothing provisioned yet: the gate must not open.  (Today the lab's empty IOS
    # "show lacp neighbor" fails to parse, so this is unverifiable rather than fail.)
    assert before["verdict"] in ("fail", "unverifiable")
    assert "lag-present" not in {f["rule"] for f in before["findings"] if f["status"] == "pass"}

    body = {"trunks": [TRUNK]}
    assert statuses(client.post("/plan", json=body).json()) == ["planned"]
    dry = client.post("/apply", json={**body, "commit": False}).json()
    assert (dry["command"], statuses(dry)) == ("plan", ["planned"])
    assert statuses(client.post("/plan", json=body).json()) == ["planned"]  # nothing was pushed

    applied = client.post("/apply", json={**body, "commit": True}).json()
    assert (applied["exit_status"], statuses(applied)) == (0, ["applied"])
    from lagprov.runs import default_store

    assert default_store().get(applied["run_id"]).by == "netops-ci"  # the write token's name
    assert statuses(client.post("/plan", json=body).json()) == ["no-change"]

    after = ready(client, host_reports(fabric, tmp_path / "r1"), "after")
    assert after["verdict"] != "fail", failing(after)
    passed = {f["rule"] for f in after["findings"] if f["status"] == "pass"}
    assert {"lag-present", "member-bundled"} <= passed
    assert client.get(f"/trunks/{TRUNK}").json() == after
    # Windows LBFO does not report its LACP system id: a pipeline may accept exactly that
    unknown = sorted({f["rule"] for f in after["findings"] if f["status"] == "unverifiable"})
    accepted = client.post(f"/trunks/{TRUNK}/ready", json={
        "reports": host_reports(fabric, tmp_path / "r1b"), "accept_unverifiable": unknown}).json()
    assert accepted["verdict"] == "pass", accepted

    fabric.set_host_team(HOST, "SwitchIndependent")  # the host pipeline got its team wrong
    broken = ready(client, host_reports(fabric, tmp_path / "r2"), "broken")
    assert broken["verdict"] == "fail"
