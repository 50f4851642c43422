"""With LAGPROV_SERVICE_KEY set the handshake authenticates the caller: an unsigned, wrongly
signed, stale or replayed request is refused (401) instead of getting a signed verdict."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest
from fastapi.testclient import TestClient

from tests.service.conftest import SERVICE_KEY

READY = "/trunks/hv01-team/ready"


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAGPROV_SERVICE_KEY", SERVICE_KEY)


def headers_for(method: str, path: str, body: bytes, *, key: str = SERVICE_KEY,
                stamp: float | None = None) -> dict[str, str]:
    """The README's scheme written out independently of lagprov.service.signing."""
    ts = f"{time.time() if stamp is None else stamp:.3f}"
    msg = f"{method}\n{path}\n{ts}\n".encode() + body
    digest = hmac.new(key.encode(), msg, hashlib.sha256).hexdigest()
    return {"X-Lagprov-Timestamp": ts, "X-Lagprov-Signature": f"hmac-sha256={digest}",
            "Content-Type": "application/json"}


def test_an_unsigned_handshake_is_refused(offline_client: TestClient) -> None:
    for r in (offline_client.post(READY, json={"nonce": "n"}),
              offline_client.get("/trunks/hv01-team")):
        assert r.status_code == 401, r.text
        assert "unsigned request" in r.json()["detail"]
        assert "digest" not in r.json()  # no verdict at all


def test_a_signed_handshake_gets_its_verdict(offline_client: TestClient) -> None:
    body = json.dumps({"nonce": "n-7"}).encode()
    r = offline_client.post(READY, content=body, headers=headers_for("POST", READY, body))
    assert r.status_code == 200, r.text
    assert (r.json()["nonce"], r.json()["signature"]) == ("n-7", "hmac-sha256")
    got = offline_client.get("/trunks/hv01-team",
                             headers=headers_for("GET", "/trunks/hv01-team", b""))
    assert got.json() == r.json()


@pytest.mark.parametrize("how", ["other key", "other body", "other path", "stale", "bad stamp"])
def test_a_wrongly_signed_handshake_is_refused(offline_client: TestClient, how: str) -> None:
    body = json.dumps({"nonce": "n-8"}).encode()
    signed_body, path, key, stamp = body, READY, SERVICE_KEY, None
    if how == "other key":
        key = SERVICE_KEY + "x"
    elif how == "other body":
        signed_body = json.dumps({"nonce": "n-9"}).encode()
    elif how == "other path":
        path = "/trunks/lnx01-bond0/ready"
    elif how == "stale":
        stamp = time.time() - 3600
    headers = headers_for("POST", path, signed_body, key=key, stamp=stamp)
    if how == "bad stamp":
        headers["X-Lagprov-Timestamp"] = "soon"
    r = offline_client.post(READY, content=body, headers=headers)
    assert r.status_code == 401, r.text


def test_a_replayed_request_is_refused(offline_client: TestClient) -> None:
    body = b"{}"
    headers = headers_for("POST", READY, body)
    assert offline_client.post(READY, content=body, headers=headers).status_code == 200
    again = offline_client.post(READY, content=body, headers=headers)
    assert again.status_code == 401
    assert "already used" in again.json()["detail"]
