"""The webhooks' signing key is a credential like the others: masked in every response."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from lagprov.service import webhooks
from lagprov.service.scrub import MASK, scrub, secrets_from_env

HOOK_KEY = "Hook-Key-Sentinel-3b9e"  # must never appear in a response


@pytest.fixture
def hook_key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("LAGPROV_WEBHOOK_KEY", HOOK_KEY)
    return HOOK_KEY


def test_the_webhook_key_is_a_secret_of_the_environment(hook_key: str) -> None:
    assert hook_key in secrets_from_env()
    assert webhooks.ENV_KEY == "LAGPROV_WEBHOOK_KEY"  # the variable the webhooks sign with
    echoed = {"error": f"device {hook_key!r} unknown", hook_key: [hook_key, 3]}
    assert scrub(echoed) == {"error": f"device '{MASK}' unknown", MASK: [MASK, 3]}


def test_no_webhook_key_nothing_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LAGPROV_WEBHOOK_KEY", raising=False)
    assert scrub({"a": HOOK_KEY}) == {"a": HOOK_KEY}


@pytest.mark.usefixtures("hook_key")
def test_a_response_echoing_the_webhook_key_masks_it(offline_client: TestClient) -> None:
    r = offline_client.post("/render", json={"device": HOOK_KEY})
    assert r.status_code < 500, r.text
    assert HOOK_KEY not in r.text
    assert MASK in r.json()["errors"][0]  # masked, not dropped
