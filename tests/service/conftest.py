"""Fixtures of the HTTP service tests: a client over a copy of the example inventory."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient

from lagprov.service import create_app
from lagprov.service.auth import Role, Token, TokenSet, token_hash
from lagprov.service.signing import sign_request
from tests.conftest import EXAMPLE_INVENTORY

PASSWORD = "Pw-Sentinel-7f3a9c"  # must never appear in a response
SECRET = "En-Sentinel-b21e04"
SERVICE_KEY = "Key-Sentinel-5d8c11"
READ_TOKEN = "lgp_Read-Sentinel-0c4e7a"  # tokens must never appear in a response or a log
WRITE_TOKEN = "lgp_Write-Sentinel-93b2f6"
TOKENS = TokenSet((Token(name="host-pipeline", role=Role.READ, sha256=token_hash(READ_TOKEN)),
                   Token(name="netops-ci", role=Role.WRITE, sha256=token_hash(WRITE_TOKEN))))


@pytest.fixture(autouse=True)
def _credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Distinctive credentials, so a leak is detectable; no signing key unless a test sets it."""
    monkeypatch.setenv("LAGPROV_USERNAME", "lab")
    monkeypatch.setenv("LAGPROV_PASSWORD", PASSWORD)
    monkeypatch.setenv("LAGPROV_SECRET", SECRET)
    monkeypatch.delenv("LAGPROV_SERVICE_KEY", raising=False)
    monkeypatch.delenv("LAGPROV_TOKENS", raising=False)
    monkeypatch.delenv("LAGPROV_TOKENS_FILE", raising=False)


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    """A private copy of the example inventory (tests edit it)."""
    dest = tmp_path / "inventory"
    shutil.copytree(EXAMPLE_INVENTORY, dest)
    return dest


def free_port() -> int:
    """A loopback TCP port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def point_at_nothing(folder: Path) -> int:
    """Rewrite every device of ``folder/hosts.yaml`` to 127.0.0.1:<unused port>."""
    port = free_port()
    path = folder / "hosts.yaml"
    hosts: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in hosts.values():
        entry["hostname"], entry["port"] = "127.0.0.1", port
        napalm = entry.get("connection_options", {}).get("napalm", {})
        optional = napalm.get("extras", {}).get("optional_args")
        if optional is not None:
            optional["port"] = port
    path.write_text(yaml.safe_dump(hosts, sort_keys=False), encoding="utf-8")
    return port


@pytest.fixture
def unreachable(inventory: Path) -> Path:
    """The example inventory with every device at an unused loopback port."""
    point_at_nothing(inventory)
    return inventory


def make_client(folder: Path, state: Path, *, token: str | None = None,
                **kwargs: Any) -> TestClient:
    """A TestClient that returns 500 responses instead of raising; with ``token``, the app
    has :data:`TOKENS` and the client sends ``token`` as its bearer token."""
    if token is not None:
        kwargs.setdefault("tokens", TOKENS)
    headers = {"Authorization": f"Bearer {token}"} if token is not None else None
    return TestClient(create_app(folder, state_dir=state, **kwargs),
                      raise_server_exceptions=False, headers=headers)


def signing(client: TestClient, key: str) -> TestClient:
    """``client`` signing every request with ``key`` as README documents (signing.py)."""
    def sign(request: httpx.Request) -> None:
        path = request.url.raw_path.split(b"?", 1)[0].decode("ascii")
        request.headers.update(sign_request(key, request.method, path, request.content))

    client.event_hooks = {"request": [sign], "response": []}
    return client


@pytest.fixture
def client(inventory: Path, tmp_path: Path) -> Iterator[TestClient]:
    with make_client(inventory, tmp_path / "state") as c:
        yield c


@pytest.fixture
def offline_client(unreachable: Path, tmp_path: Path) -> Iterator[TestClient]:
    with make_client(unreachable, tmp_path / "state") as c:
        yield c


@pytest.fixture
def reader(unreachable: Path, tmp_path: Path) -> Iterator[TestClient]:
    """Devices unreachable, the service with :data:`TOKENS`, the client with the read one."""
    with make_client(unreachable, tmp_path / "state", token=READ_TOKEN) as c:
        yield c


@pytest.fixture
def writer(unreachable: Path, tmp_path: Path) -> Iterator[TestClient]:
    """Devices unreachable, the service with :data:`TOKENS`, the client with the write one."""
    with make_client(unreachable, tmp_path / "state", token=WRITE_TOKEN) as c:
        yield c
