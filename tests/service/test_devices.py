"""plan / apply / verify against devices nobody answers for: failures are data, HTTP 200."""

from __future__ import annotations

import threading
from collections.abc import Collection
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import lagprov.service.app as service_app
from lagprov.model.inventory import Inventory
from lagprov.runs.provision import ProvisionReport
from tests.service.conftest import PASSWORD, SECRET, WRITE_TOKEN, make_client


def _assert_all_unreachable(body: dict[str, Any], devices: set[str]) -> None:
    """Every device failed at connect.  (error_kind is not asserted: connection refused is
    classified unreachable/timeout/error depending on the driver, see the report.)"""
    assert {o["device"] for o in body["outcomes"]} == devices
    for o in body["outcomes"]:
        assert o["status"] == "failed", o
        assert o["error_kind"], o
        assert f"{o['device']} connect (" in o["error"], o
        assert o["plan"] is None


def test_plan_against_unreachable_devices_is_200_with_exit_3(offline_client: TestClient) -> None:
    r = offline_client.post("/plan", json={"trunks": ["lnx01-bond0", "hv01-team"]})
    assert r.status_code == 200
    body = r.json()
    assert (body["command"], body["commit"], body["exit_status"]) == ("plan", False, 3)
    _assert_all_unreachable(body, {"eos7120-1", "cat9300-1"})


def test_apply_without_commit_is_a_plan(writer: TestClient) -> None:
    r = writer.post("/apply", json={"devices": ["ex4300-1"], "commit": False})
    assert r.status_code == 200
    body = r.json()
    assert (body["command"], body["commit"], body["exit_status"]) == ("plan", False, 3)
    _assert_all_unreachable(body, {"ex4300-1"})


def test_apply_commit_to_unreachable_devices_reports_them(writer: TestClient) -> None:
    r = writer.post("/apply", json={"devices": ["sse-x24s-1"], "commit": True})
    assert r.status_code == 200
    body = r.json()
    assert (body["command"], body["commit"], body["exit_status"]) == ("apply", True, 3)
    _assert_all_unreachable(body, {"sse-x24s-1"})
    assert PASSWORD not in r.text and SECRET not in r.text


@pytest.mark.parametrize(("body", "field"), [
    ({}, "body.commit: Field required"),
    ({"commit": "true"}, "body.commit: Input should be a valid boolean"),
    ({"commit": 1}, "body.commit: Input should be a valid boolean"),
    ({"commit": True, "force": "yes"}, "body.force: Input should be a valid boolean"),
    ({"commit": False, "comit": True}, "body.comit: Extra inputs are not permitted"),
])
def test_apply_needs_an_explicit_json_boolean_commit(writer: TestClient,
                                                     body: dict[str, object], field: str) -> None:
    r = writer.post("/apply", json=body)
    assert r.status_code == 422
    assert field in r.json()["errors"]


def test_unknown_names_are_400_and_nothing_runs(offline_client: TestClient) -> None:
    r = offline_client.post("/plan", json={"devices": ["eos7120-1", "ghost"],
                                           "trunks": ["nope-trunk"]})
    assert r.status_code == 400
    errors = r.json()["errors"]
    assert len(errors) == 2
    assert errors[0].startswith("body.devices[1]: 'ghost' is not a switch")
    assert errors[1].startswith("body.trunks[0]: 'nope-trunk' is not a trunk")


def test_missing_credentials_is_503_naming_the_variables(offline_client: TestClient,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LAGPROV_PASSWORD")
    r = offline_client.post("/plan")
    assert r.status_code == 503
    assert "LAGPROV_PASSWORD" in r.json()["detail"]


def test_two_commits_never_push_concurrently(unreachable: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The first commit holds the service's apply lock: a second one is refused (409) at once,
    a plan still runs, and once the first finished the next commit goes ahead."""
    entered, release = threading.Event(), threading.Event()
    real = service_app.provision_run

    def slow_commit(inv: Inventory, *, commit: bool, devices: Collection[str] | None,
                    **kw: Any) -> ProvisionReport:
        if commit and not entered.is_set():
            entered.set()
            assert release.wait(10)
        return real(inv, commit=commit, devices=devices, **kw)

    monkeypatch.setattr(service_app, "provision_run", slow_commit)
    with make_client(unreachable, tmp_path / "state", token=WRITE_TOKEN) as c:
        first: dict[str, int] = {}
        body = {"devices": ["eos7120-1"], "commit": True}
        t = threading.Thread(target=lambda: first.update(
            code=c.post("/apply", json=body).status_code))
        t.start()
        assert entered.wait(10)
        second = c.post("/apply", json=body)
        planned = c.post("/apply", json={"devices": ["eos7120-1"], "commit": False})
        release.set()
        t.join(10)
        third = c.post("/apply", json=body)
    assert second.status_code == 409
    assert "another apply is running" in second.json()["detail"]
    assert planned.status_code == 200
    assert first["code"] == 200
    assert third.status_code == 200


def test_verify_against_unreachable_devices_is_unverifiable_data(
        offline_client: TestClient) -> None:
    r = offline_client.post("/verify", json={"trunks": ["lnx01-bond0"]})
    assert r.status_code == 200
    body = r.json()
    assert body["exit_status"] == 3
    assert [t["name"] for t in body["trunks"]] == ["lnx01-bond0"]
    assert {e["device"] for e in body["errors"]} == {"eos7120-1", "lnx01"}
    assert {e["stage"] for e in body["errors"]} == {"connect"}
    statuses = {f["status"] for f in body["trunks"][0]["findings"]}
    assert "pass" not in statuses  # nothing is proven about an unreachable switch
    assert body["summary"]["device_errors"] == len(body["errors"])


def test_verify_unknown_trunk_is_400(offline_client: TestClient) -> None:
    r = offline_client.post("/verify", json={"trunks": ["nope"]})
    assert r.status_code == 400
    assert r.json()["errors"][0].startswith("body.trunks[0]: 'nope' is not a trunk")
