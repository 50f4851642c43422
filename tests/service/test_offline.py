"""Offline endpoints: health, validate, render; input errors as the CLI names them."""

from __future__ import annotations

import io
from contextlib import redirect_stderr
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

import lagprov.service.app as service_app
from lagprov.cli import main
from tests.service.conftest import WRITE_TOKEN, make_client


def _edit_trunks(folder: Path, edit: Any) -> None:
    path = folder / "trunks.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data["trunks"])
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _cli_stderr(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with redirect_stderr(err):
        code = main(argv)
    return code, err.getvalue()


def test_health_names_the_inventory(client: TestClient, inventory: Path) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"
    assert r.json()["inventory"] == str(inventory)


def test_validate_example_inventory_is_clean(client: TestClient, inventory: Path) -> None:
    r = client.post("/validate")
    assert r.status_code == 200
    body = r.json()
    trunks = yaml.safe_load((inventory / "trunks.yaml").read_text(encoding="utf-8"))["trunks"]
    assert body["exit_status"] == 0
    assert body["errors"] == 0
    assert body["trunks"] == len(trunks)


def test_validate_reports_lint_errors_with_exit_1(client: TestClient, inventory: Path) -> None:
    def independent_host(trunks: list[dict[str, Any]]) -> None:
        trunks[0]["host"]["team"] = "SwitchIndependent"  # hv01-team: switch end is lacp-active
        del trunks[0]["host"]["lacp_system_id"]  # an LACP-only fact of the example's team

    _edit_trunks(inventory, independent_host)
    body = client.post("/validate").json()
    assert body["exit_status"] == 1
    bad = [f for f in body["findings"] if f["severity"] == "error"]
    assert [f["rule"] for f in bad] == ["team-mode-incompatible"]
    assert bad[0]["trunk"] == "hv01-team"


def test_broken_inventory_is_400_with_the_clis_file_and_field(client: TestClient,
                                                              inventory: Path,
                                                              tmp_path: Path) -> None:
    assert client.post("/validate").status_code == 200  # reloaded per request: edit after start

    def bad_mode(trunks: list[dict[str, Any]]) -> None:
        trunks[1]["switch"]["mode"] = "lacp-sometimes"

    _edit_trunks(inventory, bad_mode)
    r = client.post("/validate")
    assert r.status_code == 400
    errors = r.json()["errors"]
    assert len(errors) == 1
    assert "trunks.yaml" in errors[0]
    assert "trunks[1] (lnx01-bond0).switch[0].mode" in errors[0]
    code, stderr = _cli_stderr(["validate", "-i", str(inventory)])
    assert code == 2
    assert f"  {errors[0]}\n" in stderr  # the very line the CLI prints
    # every endpoint that needs the inventory refuses the same way
    writer = make_client(inventory, tmp_path / "w", token=WRITE_TOKEN)  # apply needs one
    for c, path, body in ((client, "/render", {}), (client, "/plan", {}),
                          (writer, "/apply", {"commit": False})):
        again = c.post(path, json=body)
        assert again.status_code == 400, path
        assert again.json()["errors"] == errors


def test_render_one_switch(client: TestClient) -> None:
    r = client.post("/render", json={"device": "eos7120-1"})
    assert r.status_code == 200
    (config,) = r.json()["configs"]
    assert config["device"] == "eos7120-1"
    assert config["platform"] == "arista_eos"
    assert config["trunks"] == ["lnx01-bond0"]
    lines = config["lines"]
    # trunks.yaml: lnx01-bond0 is channel 10, lacp-active, fast, on Ethernet1-2 (EOS syntax)
    first = lines.index("interface Ethernet1")
    assert "   channel-group 10 mode active" in lines[first:first + 4]
    assert "   lacp rate fast" in lines[first:first + 4]
    assert config["text"] == "".join(f"{line}\n" for line in lines)


def test_render_all_and_remove(client: TestClient) -> None:
    every = client.post("/render").json()["configs"]
    assert {c["device"] for c in every} == {
        "cat2960s-1", "cat9300-1", "ex3300-1", "ex4300-1", "eos7120-1", "sse-x24s-1",
        "eos7050-2a", "eos7050-2b"}
    removal = client.post("/render", json={"device": "eos7120-1", "remove": True}).json()
    assert any(line.strip() == "no interface Port-Channel10" for line in
               removal["configs"][0]["lines"])


def test_render_unknown_switch_is_400_naming_the_field(client: TestClient) -> None:
    r = client.post("/render", json={"device": "nosuch-sw"})
    assert r.status_code == 400
    assert r.json()["errors"][0].startswith("body.device: 'nosuch-sw' is not a switch")


@pytest.mark.parametrize("body", [{"remove": "yes"}, {"devices": ["eos7120-1"]}])
def test_render_malformed_body_is_422(client: TestClient, body: dict[str, object]) -> None:
    r = client.post("/render", json=body)
    assert r.status_code == 422
    assert r.json()["detail"].startswith("malformed request")


def test_internal_error_is_a_short_500(inventory: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(_: Path) -> None:
        raise RuntimeError("boom at /very/secret/path")

    monkeypatch.setattr(service_app, "load_inventory", explode)
    with make_client(inventory, tmp_path / "state") as c:
        r = c.post("/validate")
    assert r.status_code == 500
    assert r.json() == {"detail": "internal error (RuntimeError); see the service log",
                        "errors": []}
    assert "Traceback" not in r.text


def test_serve_binds_loopback_by_default(monkeypatch: pytest.MonkeyPatch,
                                         inventory: Path) -> None:
    import uvicorn

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    assert main(["serve", "--inventory", str(inventory)]) == 0
    assert (seen["host"], seen["port"]) == ("127.0.0.1", 8750)
    assert callable(seen["app"])


def test_serve_refuses_a_missing_inventory(tmp_path: Path) -> None:
    code, stderr = _cli_stderr(["serve", "--inventory", str(tmp_path / "nope")])
    assert code == 2
    assert "not an inventory folder" in stderr
