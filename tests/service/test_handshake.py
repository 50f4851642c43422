"""The "provision then prove" handshake: POST /trunks/{name}/ready and GET /trunks/{name}."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.service.conftest import PASSWORD, SECRET, SERVICE_KEY, make_client, signing


def expected_digest(verdict: dict[str, Any], key: str) -> str:
    """The documented scheme, written out independently of lagprov.service.verdict."""
    payload = {k: v for k, v in verdict.items() if k != "digest"}
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key.encode(), blob.encode(), hashlib.sha256).hexdigest()


@pytest.fixture
def signed(monkeypatch: pytest.MonkeyPatch, offline_client: TestClient) -> None:
    """The service signs with SERVICE_KEY, and offline_client signs its requests with it."""
    monkeypatch.setenv("LAGPROV_SERVICE_KEY", SERVICE_KEY)
    signing(offline_client, SERVICE_KEY)


@pytest.mark.usefixtures("signed")
def test_verdict_digest_is_hmac_over_canonical_json(offline_client: TestClient) -> None:
    r = offline_client.post("/trunks/lnx01-bond0/ready", json={"nonce": "build-4711"})
    assert r.status_code == 200
    v = r.json()
    assert v["trunk"] == "lnx01-bond0"
    assert v["nonce"] == "build-4711"
    assert v["signature"] == "hmac-sha256"
    assert v["digest"] == expected_digest(v, SERVICE_KEY)
    # the gate is tamper-evident: flipping the verdict breaks the digest
    forged = {**v, "verdict": "pass"}
    assert forged["digest"] != expected_digest(forged, SERVICE_KEY)
    assert v["digest"] != expected_digest(v, SERVICE_KEY + "x")


@pytest.mark.usefixtures("signed")
def test_unreachable_ends_are_unverifiable_never_pass(offline_client: TestClient) -> None:
    v = offline_client.post("/trunks/lnx01-bond0/ready").json()
    assert v["verdict"] == "unverifiable"
    assert {e["device"] for e in v["errors"]} == {"eos7120-1", "lnx01"}
    assert v["findings"], "the verdict carries the findings it rests on"
    assert all(f["trunk"] == "lnx01-bond0" for f in v["findings"])
    assert "pass" not in {f["status"] for f in v["findings"]}


@pytest.mark.usefixtures("signed")
def test_last_verdict_is_kept_and_survives_a_restart(unreachable: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    with signing(make_client(unreachable, state), SERVICE_KEY) as c:
        missing = c.get("/trunks/hv01-team")
        assert missing.status_code == 404
        assert "waiting for the host pipeline" in missing.json()["detail"]
        made = c.post("/trunks/hv01-team/ready", json={"nonce": "n-1"}).json()
        assert c.get("/trunks/hv01-team").json() == made
    with signing(make_client(unreachable, state), SERVICE_KEY) as again:
        assert again.get("/trunks/hv01-team").json() == made


@pytest.mark.usefixtures("signed")
def test_an_edited_stored_verdict_is_refused(unreachable: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    with signing(make_client(unreachable, state), SERVICE_KEY) as c:
        c.post("/trunks/hv01-team/ready")
        path = state / "verdicts" / "hv01-team.json"
        stored = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps({**stored, "verdict": "pass"}), encoding="utf-8")
        r = c.get("/trunks/hv01-team")
    assert r.status_code == 500
    assert "does not match its digest" in r.json()["detail"]


def test_without_a_key_the_verdict_says_unsigned(offline_client: TestClient) -> None:
    v = offline_client.post("/trunks/hv01-team/ready").json()
    assert (v["signature"], v["digest"]) == ("unsigned", None)


def test_ready_for_an_unknown_trunk_is_404(offline_client: TestClient) -> None:
    r = offline_client.post("/trunks/no-such-trunk/ready")
    assert r.status_code == 404
    assert "'no-such-trunk' is not a trunk" in r.json()["detail"]


def test_ready_refuses_report_files_the_host_does_not_write(reader: TestClient) -> None:
    reports = {"../../etc/passwd": "x", "Get-NetLbfoTeam.json": "{}"}
    r = reader.post("/trunks/hv01-team/ready", json={"reports": reports})
    assert r.status_code == 400
    (error,) = r.json()["errors"]
    assert error.startswith("body.reports.../../etc/passwd: not a report file this host writes")
    assert "Get-NetLbfoTeam.json" in error  # names what is accepted


@pytest.mark.parametrize("nonce", ["", "has space", "x" * 129])
def test_ready_rejects_a_bad_nonce(offline_client: TestClient, nonce: str) -> None:
    assert offline_client.post("/trunks/hv01-team/ready", json={"nonce": nonce}).status_code == 422


@pytest.mark.usefixtures("signed")
def test_no_response_carries_a_credential(offline_client: TestClient) -> None:
    """Credentials never leave the service, even where a request echoes them back."""
    responses = [
        offline_client.get("/health"),
        offline_client.post("/validate"),
        offline_client.post("/render"),
        offline_client.post("/plan"),
        offline_client.post("/apply", json={"commit": False}),
        offline_client.post("/verify"),
        offline_client.post("/trunks/hv01-team/ready", json={"nonce": "n"}),
        offline_client.get("/trunks/hv01-team"),
        # echoed input: the password as a device name, a trunk name, a nonce
        offline_client.post("/render", json={"device": PASSWORD}),
        offline_client.post("/plan", json={"devices": [SECRET]}),
        offline_client.get(f"/trunks/{PASSWORD}"),
        offline_client.post("/trunks/hv01-team/ready", json={"nonce": SERVICE_KEY}),
    ]
    for r in responses:
        assert r.status_code < 500, r.text
        for secret in (PASSWORD, SECRET, SERVICE_KEY):
            assert secret not in r.text, (r.request.url, r.text[:300])
    assert "***" in responses[8].json()["errors"][0]  # masked, not dropped
