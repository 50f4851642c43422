"""Access control: bearer tokens with a read and a write role (issue 12), and what a write
leaves behind (the token's name, never the token)."""

from __future__ import annotations

import json
import logging
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import lagprov.service.app as service_app
from lagprov.errors import ConfigError
from lagprov.model.inventory import Inventory
from lagprov.runs.provision import ProvisionReport
from lagprov.runs.store import RunRecord, RunStore
from lagprov.service.auth import Role, TokenSet, new_token, token_hash
from tests.service.conftest import READ_TOKEN, WRITE_TOKEN, make_client

COMMIT = {"devices": ["eos7120-1"], "commit": True}


class Spy:
    """provision_run stubbed at the lagprov.runs boundary: records calls, stores one run."""

    def __init__(self) -> None:
        self.calls: list[bool] = []

    def __call__(self, inv: Inventory, *, commit: bool, devices: Collection[str] | None,
                 store: RunStore | None = None, **_: Any) -> ProvisionReport:
        self.calls.append(commit)
        run_id = None
        if commit and store is not None:
            now = datetime.now(UTC)
            run_id = store.new_id(now)
            store.save(RunRecord(id=run_id, time=now.isoformat(), command="apply",
                                 devices=tuple(devices or ()), trunks=(), result="applied"))
        return ProvisionReport(command="apply" if commit else "plan", started="t",
                               finished="t", commit=commit, outcomes=(), run_id=run_id)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    found = Spy()
    monkeypatch.setattr(service_app, "provision_run", found)
    return found


def test_without_tokens_the_service_is_read_only(spy: Spy, client: TestClient) -> None:
    for body in (COMMIT, {"commit": False}):
        r = client.post("/apply", json=body)
        assert r.status_code == 403, r.text
        assert "read-only" in r.json()["detail"]
    r = client.post("/rollback", json={"run_id": "20261202T061500.042Z-3fa2c1", "commit": True})
    assert r.status_code == 403
    assert spy.calls == []  # nothing ran
    assert client.post("/validate").status_code == 200  # reads stay open


@pytest.mark.parametrize(("headers", "status"), [
    ({}, 401),
    ({"Authorization": "Bearer lgp_not-a-token"}, 401),
    ({"Authorization": f"Basic {WRITE_TOKEN}"}, 401),
    ({"Authorization": f"Bearer {READ_TOKEN}"}, 403),
])
def test_apply_needs_a_write_token(spy: Spy, inventory: Path, tmp_path: Path,
                                   headers: dict[str, str], status: int) -> None:
    with make_client(inventory, tmp_path / "state", tokens=_tokens()) as c:
        r = c.post("/apply", json=COMMIT, headers=headers)
        rb = c.post("/rollback", json={"run_id": "r1", "commit": True}, headers=headers)
    assert (r.status_code, rb.status_code) == (status, status), r.text
    if status == 401:
        assert r.headers["www-authenticate"] == "Bearer"
    assert spy.calls == []


def test_with_tokens_every_read_needs_one(inventory: Path, tmp_path: Path) -> None:
    with make_client(inventory, tmp_path / "state", tokens=_tokens()) as c:
        assert c.get("/health").status_code == 200  # liveness reveals no state
        for method, path in (("post", "/validate"), ("post", "/render"), ("post", "/plan"),
                             ("post", "/verify"), ("get", "/trunks/hv01-team"),
                             ("post", "/trunks/hv01-team/ready")):
            assert getattr(c, method)(path).status_code == 401, path
        ok = c.post("/validate", headers={"Authorization": f"Bearer {READ_TOKEN}"})
        missing = c.get("/trunks/hv01-team", headers={"Authorization": f"Bearer {READ_TOKEN}"})
    assert ok.status_code == 200
    assert missing.status_code == 404  # past the access check: no verdict yet


def test_posted_host_reports_need_a_token(offline_client: TestClient) -> None:
    r = offline_client.post("/trunks/hv01-team/ready",
                            json={"reports": {"Get-NetLbfoTeam.json": "{}"}})
    assert r.status_code == 403
    assert "posting host reports needs a read or write token" in r.json()["detail"]


def test_a_write_is_recorded_with_the_tokens_name(spy: Spy, writer: TestClient,
                                                  caplog: pytest.LogCaptureFixture,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    with caplog.at_level(logging.INFO, logger="lagprov.service"):
        r = writer.post("/apply", json=COMMIT)
    assert r.status_code == 200, r.text
    run_id = r.json()["run_id"]
    from lagprov.runs import default_store

    assert default_store().get(run_id).by == "netops-ci"
    assert any("by token 'netops-ci'" in m and run_id in m for m in caplog.messages)
    assert WRITE_TOKEN not in caplog.text
    from lagprov.cli import main

    assert main(["runs"]) == 0
    listed = [line for line in capsys.readouterr().out.splitlines() if run_id in line]
    assert listed and listed[0].endswith("by: netops-ci")


def test_a_token_never_appears_in_a_response_or_the_log(
        spy: Spy, writer: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    """Even where a request echoes its input (a token pasted as a device name or a nonce)."""
    with caplog.at_level(logging.DEBUG):
        responses = [
            writer.post("/plan", json={"devices": [WRITE_TOKEN]}),
            writer.post("/render", json={"device": WRITE_TOKEN}),
            writer.get(f"/trunks/{WRITE_TOKEN}"),
            writer.post("/trunks/hv01-team/ready", json={"nonce": WRITE_TOKEN}),
            writer.post("/apply", json=COMMIT),
            writer.post("/apply", json={"commit": WRITE_TOKEN}),
        ]
    assert [r.status_code for r in responses] == [400, 400, 404, 200, 200, 422]
    for r in responses:
        assert WRITE_TOKEN not in r.text, r.text
    assert "***" in responses[0].json()["errors"][0]  # masked, not dropped
    service_side = [r.getMessage() for r in caplog.records if not r.name.startswith("httpx")]
    assert service_side  # (httpx is the test client logging its own request line)
    assert not [m for m in service_side if WRITE_TOKEN in m]


def _tokens() -> TokenSet:
    from tests.service.conftest import TOKENS

    return TOKENS


def test_tokens_from_a_file_and_the_environment(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    reader, reader_line = new_token("pipeline", Role.READ)
    writer, writer_line = new_token("ci", Role.WRITE)
    assert reader_line == f"pipeline read sha256:{token_hash(reader)}"
    path = tmp_path / "tokens"
    path.write_text(f"# lagprov tokens\n{reader_line}\n\n", encoding="utf-8")
    monkeypatch.setenv("LAGPROV_TOKENS_FILE", str(path))
    monkeypatch.setenv("LAGPROV_TOKENS", f"{writer_line}; ")
    tokens = TokenSet.from_env()
    found = [tokens.find(reader), tokens.find(writer), tokens.find(reader + "x")]
    assert [(t.name, t.role) if t else None for t in found] == [
        ("pipeline", Role.READ), ("ci", Role.WRITE), None]
    assert reader not in path.read_text(encoding="utf-8")  # stored hashed


@pytest.mark.parametrize(("line", "message"), [
    ("ci write lgp_TokenInClear-123", "the third field must be the token's SHA-256"),
    ("ci admin " + "a" * 64, "role must be read or write"),
    ("ci write", "expected 'NAME ROLE sha256:HEX'"),
    (f"ci read {'a' * 64}; ci write {'b' * 64}", "token 'ci' is configured twice"),
])
def test_a_bad_token_line_is_refused_without_echoing_it(
        monkeypatch: pytest.MonkeyPatch, line: str, message: str) -> None:
    monkeypatch.setenv("LAGPROV_TOKENS", line)
    with pytest.raises(ConfigError, match=message) as err:
        TokenSet.from_env()
    assert "TokenInClear" not in str(err.value)


def test_the_run_record_keeps_by(tmp_path: Path) -> None:
    record = RunRecord(id="r", time="t", command="apply", devices=(), trunks=(),
                       result="applied", by="ci")
    assert json.loads(record.model_dump_json())["by"] == "ci"


def test_rollback_over_http_names_an_unknown_run(writer: TestClient) -> None:
    r = writer.post("/rollback", json={"run_id": "20261202T061500.042Z-3fa2c1", "commit": True})
    assert r.status_code == 404
    assert "run '20261202T061500.042Z-3fa2c1'" in r.json()["detail"]
