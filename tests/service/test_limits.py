"""Request limits: body size (declared and streamed), list lengths, a time limit, and error
bodies that never echo a huge input back."""

from __future__ import annotations

import json
import threading
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lagprov.model.inventory import Inventory
from lagprov.report import RunReport
from lagprov.service.models import MAX_NAMES
from tests.service.conftest import READ_TOKEN, make_client

LIMIT = 4096


@pytest.fixture
def small(inventory: Path, tmp_path: Path) -> Iterator[TestClient]:
    with make_client(inventory, tmp_path / "state", max_body=LIMIT) as c:
        yield c


def test_a_declared_body_over_the_limit_is_413(small: TestClient) -> None:
    body = json.dumps({"devices": ["x" * 100] * 100}).encode()
    assert len(body) > LIMIT
    r = small.post("/plan", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert f"limit of {LIMIT} bytes" in r.json()["detail"]


def test_a_streamed_body_over_the_limit_is_413(small: TestClient) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer
        yield b'{"devices": ['
        for _ in range(200):
            yield b'"' + b"y" * 60 + b'",'
        yield b'"z"]}'

    r = small.post("/plan", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert "reading stopped there" in r.json()["detail"]


def test_the_default_limit_is_one_mebibyte(client: TestClient) -> None:
    body = b'{"devices": ["' + b"a" * (1 << 20) + b'"]}'
    assert client.post("/plan", content=body,
                       headers={"Content-Type": "application/json"}).status_code == 413


def test_lists_have_a_length_limit(client: TestClient) -> None:
    r = client.post("/plan", json={"devices": ["d"] * (MAX_NAMES + 1)})
    assert r.status_code == 422
    (error,) = r.json()["errors"]
    assert error.startswith("body.devices: ") and f"at most {MAX_NAMES} items" in error


def test_errors_never_echo_a_huge_input(client: TestClient) -> None:
    huge = "Q" * 50_000
    responses = [
        client.post("/trunks/hv01-team/ready", json={"reports": {huge: "x"}}),  # key in loc
        client.get(f"/trunks/{huge[:8000]}"),  # name in the 404 message
        client.post("/plan", json={"devices": [f"n{i}" for i in range(3000)]}),  # 3000 errors
    ]
    assert [r.status_code for r in responses] == [422, 404, 400]
    for r in responses:
        assert len(r.content) < 8_000, (r.status_code, len(r.content))
    assert responses[2].json()["errors"][-1] == "... and 2980 more"


def test_a_read_that_takes_too_long_is_504(inventory: Path, tmp_path: Path) -> None:
    release = threading.Event()

    def wedged(inv: Inventory, *, devices: Collection[str] | None = None, **_: Any) -> RunReport:
        release.wait(30)
        raise AssertionError("the answer of an abandoned request must not be sent")

    try:
        with make_client(inventory, tmp_path / "state", verifier=wedged, request_timeout=0.3,
                         token=READ_TOKEN) as c:
            r = c.post("/verify")
    finally:
        release.set()
    assert r.status_code == 504
    assert "its work was abandoned" in r.json()["detail"]


def test_commits_are_not_cut_by_the_request_timeout_but_reads_are() -> None:
    from lagprov.service.limits import is_unbounded

    assert is_unbounded("/apply") and is_unbounded("/rollback")
    assert is_unbounded("/ui/changes/20261202T120000-ab12/rollback")
    assert not is_unbounded("/ui/changes/20261202T120000-ab12")
    assert not is_unbounded("/verify") and not is_unbounded("/ui/rollback/x")
