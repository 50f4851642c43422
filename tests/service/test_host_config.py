"""GET /trunks/{name}/host-config: the host half of one trunk, for a host pipeline."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.service.conftest import READ_TOKEN, make_client


def test_default_format_is_the_hosts_own(client: TestClient) -> None:
    r = client.get("/trunks/lnx01-bond0/host-config")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    assert r.headers["x-lagprov-host-format"] == "netplan"
    assert "mode: 802.3ad" in r.text and "lacp-rate: fast" in r.text and "mtu: 9000" in r.text


def test_chosen_format(client: TestClient) -> None:
    r = client.get("/trunks/lnx02-bond0/host-config", params={"format": "networkd"})
    assert r.status_code == 200, r.text
    assert "Mode=balance-xor" in r.text
    win = client.get("/trunks/hv01-team/host-config")
    assert "-TeamingMode LACP" in win.text and win.headers["x-lagprov-host-format"] == "powershell"


def test_a_format_of_another_os_is_400(client: TestClient) -> None:
    r = client.get("/trunks/lnx01-bond0/host-config", params={"format": "powershell"})
    assert r.status_code == 400
    assert "not a format for linux hosts" in r.text


def test_unknown_trunk_is_404_and_switch_to_switch_is_409(client: TestClient) -> None:
    assert client.get("/trunks/nope/host-config").status_code == 404
    r = client.get("/trunks/core-cat9300-ex4300/host-config")
    assert r.status_code == 409 and "no host end" in r.text


def test_needs_a_read_token_when_tokens_are_set(inventory: Path, tmp_path: Path) -> None:
    from tests.service.conftest import TOKENS

    with make_client(inventory, tmp_path / "s", tokens=TOKENS) as anonymous:
        assert anonymous.get("/trunks/lnx01-bond0/host-config").status_code in (401, 403)
    with make_client(inventory, tmp_path / "s2", token=READ_TOKEN) as reader:
        assert reader.get("/trunks/lnx01-bond0/host-config").status_code == 200
