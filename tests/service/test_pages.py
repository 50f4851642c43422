"""The compliance pages without a browser: who may see and write, escaping, no asset from
elsewhere, secrets masked, and what the pages say about a drift (replayed saved outputs).

The history: the healthy saved outputs audited, then again with lnx01's NIC MTU dropped from
9000 to 1500 (lnx01-bond0 is a jumbo trunk in tests/workflow/saved/inventory), so
lnx01-bond0 goes from pass to fail; one committed run is stored beside it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lagprov.model.types import Platform
from lagprov.runs.audit import AuditRecord, audit_run
from lagprov.runs.history import audit_store, run_store
from lagprov.runs.store import DeviceConfigs, RunRecord
from lagprov.service import create_app
from lagprov.service.pages import views as v
from lagprov.service.pages.session import COOKIE
from tests.service.conftest import PASSWORD, READ_TOKEN, TOKENS, WRITE_TOKEN
from tests.workflow.conftest import HEALTHY, SAVED, edit

PAGES = Path(__file__).resolve().parents[2] / "lagprov" / "service" / "pages"
T1 = datetime(2024, 5, 1, 8, 0, 0, tzinfo=UTC)
T2 = datetime(2024, 5, 2, 8, 0, 0, tzinfo=UTC)
RUN = "20240501T090000.000Z-abc123"
XSS = '<script>alert("x")</script>'


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A state folder: two audits (healthy, then lnx01's MTU dropped) and one committed run."""
    from lagprov.intent.load import load_inventory

    state = tmp_path_factory.mktemp("pages") / "state"
    inv = load_inventory(SAVED / "inventory")
    audit_run(inv, state_dir=state, from_dir=HEALTHY, now=T1)
    drift = state.parent / "saved"
    shutil.copytree(HEALTHY, drift)
    edit(drift / "lnx01" / "ip_-j_-d_link.txt", '"mtu":9000', '"mtu":1500')
    audit_run(inv, state_dir=state, from_dir=drift, now=T2)
    before = "interface Port-Channel10\n   switchport trunk allowed vlan 10\n"
    after = (f"interface Port-Channel10\n   switchport trunk allowed vlan 10,20\n"
             f"username lab secret {PASSWORD}\n")
    run_store(state).save(RunRecord(
        id=RUN, time="2024-05-01T09:00:00+00:00", command="apply", devices=("eos7120-1",),
        trunks=("lnx01-bond0",), result="applied", configs={"eos7120-1": DeviceConfigs(
            platform=Platform.ARISTA_EOS, trunks=("lnx01-bond0",),
            owned={"lnx01-bond0": ("interface Port-Channel10",)}, before=before, after=after)}))
    return state


def _client(state: Path, monkeypatch: pytest.MonkeyPatch, *, tokens: bool,
            token: str | None = None) -> TestClient:
    monkeypatch.setenv("LAGPROV_STATE", str(state))
    app = create_app(SAVED / "inventory", state_dir=state / "service",
                     **({"tokens": TOKENS} if tokens else {}))
    headers = {"Authorization": f"Bearer {token}"} if token else None
    return TestClient(app, raise_server_exceptions=False, headers=headers,
                      follow_redirects=False)


@pytest.fixture
def open_client(history: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    with _client(history, monkeypatch, tokens=False) as c:
        yield c


def _rollback(c: TestClient, run: str = RUN, **form: str) -> int:
    return c.post(f"/ui/changes/{run}/rollback", data={"commit": "1", **form}).status_code


def test_the_views_show_the_drift(history: Path) -> None:
    store = audit_store(history)
    fleet = v.fleet_view(store)
    verdicts = {r.name: r.verdict for r in fleet.rows}
    assert verdicts["lnx01-bond0"] == "fail"
    assert fleet.counts["fail"] == 1 and fleet.total == 7 == sum(fleet.counts.values())
    narrowed = v.fleet_view(store, filters=v.Filters(device="lnx01"))
    assert [r.name for r in narrowed.rows] == ["lnx01-bond0"]
    trunk = v.trunk_view(store, "lnx01-bond0")
    assert [(i.before, i.after) for i in trunk.timeline if i.after] == [(None, "pass"),
                                                                        ("pass", "fail")]
    assert trunk.headers == ("switch eos7120-1", "host lnx01")
    mtu = [f for f in trunk.failures if "1500" in f.line]
    assert mtu and any("1500" in e for e in mtu[0].evidence)
    diff = v.diff_view(store, "latest~1", "latest")
    assert {f.trunk for f in diff.delta.new_failures} == {"lnx01-bond0"}


def test_without_tokens_pages_are_open_and_rollback_is_refused(open_client: TestClient
                                                                ) -> None:
    page = open_client.get("/ui/")
    assert page.status_code == 200 and 'data-trunk="lnx01-bond0" data-verdict="fail"' in page.text
    changes = open_client.get("/ui/changes")
    assert changes.status_code == 200 and RUN in changes.text
    assert 'class="rollback"' not in changes.text
    refused = open_client.post(f"/ui/changes/{RUN}/rollback", data={"commit": "1"})
    assert refused.status_code == 403 and "no tokens are configured" in refused.text
    assert open_client.get("/").headers["location"] == "/ui/"


def test_with_tokens_a_page_needs_one(history: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with _client(history, monkeypatch, tokens=True) as c:
        for url in ("/ui/", "/ui/trunks/lnx01-bond0", "/ui/runs", "/ui/changes"):
            r = c.get(url)
            assert r.status_code == 401 and 'action="/ui/login"' in r.text, url
        assert _rollback(c) == 401
    with _client(history, monkeypatch, tokens=True, token="lgp_not-a-token") as c:
        assert c.get("/ui/").status_code == 401


def test_read_token_sees_no_rollback_and_cannot_post_one(history: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    with _client(history, monkeypatch, tokens=True, token=READ_TOKEN) as c:
        page = c.get("/ui/changes")
        assert page.status_code == 200 and f'data-run="{RUN}"' in page.text
        assert 'class="rollback"' not in page.text and "Roll back" not in page.text
        assert _rollback(c) == 403
        assert READ_TOKEN not in page.text


def test_write_token_sees_the_button_and_passes_the_gate(history: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    with _client(history, monkeypatch, tokens=True, token=WRITE_TOKEN) as c:
        page = c.get("/ui/changes")
        assert f'action="/ui/changes/{RUN}/rollback"' in page.text
        assert WRITE_TOKEN not in page.text
        # past the access check, the service's rollback answers: an unknown run is a 404
        assert _rollback(c, "20240101T000000.000Z-ffffff") == 404


def test_sign_in_sets_a_session_cookie_and_forms_need_their_csrf(
        history: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with _client(history, monkeypatch, tokens=True) as c:
        bad = c.post("/ui/login", data={"token": "lgp_guessed-Sentinel-1"})
        assert bad.status_code == 401 and "lgp_guessed-Sentinel-1" not in bad.text
        ok = c.post("/ui/login", data={"token": WRITE_TOKEN, "back": "/ui/changes"})
        assert ok.status_code == 303 and ok.headers["location"] == "/ui/changes"
        cookie = ok.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/ui" in cookie
        assert WRITE_TOKEN not in cookie
        page = c.get("/ui/changes")
        assert page.status_code == 200 and "netops-ci (write)" in page.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf is not None
        assert _rollback(c) == 403  # the cookie alone: a cross-site form would look so
        assert _rollback(c, "20240101T000000.000Z-ffffff", csrf=csrf.group(1)) == 404
        assert c.post("/ui/logout").status_code == 303
        c.cookies.delete(COOKIE)
        assert c.get("/ui/changes").status_code == 401
        assert c.post("/ui/login", data={"token": READ_TOKEN, "back": "https://x.example/"}
                      ).headers["location"] == "/ui/"  # never sent elsewhere


def test_everything_is_escaped(history: Path, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    state = tmp_path / "state"
    shutil.copytree(history, state)
    store = audit_store(state)
    data = store.latest().model_dump(mode="json")  # type: ignore[union-attr]
    trunk = next(t for t in data["report"]["trunks"] if t["name"] == "lnx01-bond0")
    failing = next(f for f in trunk["findings"] if f["status"] == "fail")
    failing["message"] = XSS
    failing["evidence"][0]["value"] = '<img src=x onerror="alert(1)">'
    store.save(AuditRecord.model_validate(data), datetime(2024, 5, 3, tzinfo=UTC))
    with _client(state, monkeypatch, tokens=False) as c:
        for url in ("/ui/", "/ui/trunks/lnx01-bond0", "/ui/runs/latest~1/diff/latest"):
            text = c.get(url).text
            assert XSS not in text and "<img src=x" not in text, url
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in c.get(
            "/ui/trunks/lnx01-bond0").text


def test_secrets_in_a_configuration_are_masked(open_client: TestClient) -> None:
    page = open_client.get(f"/ui/changes/{RUN}")
    assert page.status_code == 200 and "+username lab secret ***" in page.text
    assert PASSWORD not in page.text
    assert "+   switchport trunk allowed vlan 10,20" in page.text


def test_no_asset_comes_from_elsewhere(open_client: TestClient) -> None:
    for path in [*PAGES.glob("templates/*.html"), *PAGES.glob("static/*")]:
        assert not re.search(r"(https?:)?//[a-z0-9]", path.read_text(encoding="utf-8"),
                             re.IGNORECASE), path
    page = open_client.get("/ui/")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert open_client.get("/ui/static/pages.css").status_code == 200
    for docs in ("/docs", "/redoc"):
        text = open_client.get(docs).text
        assert "cdn" not in text.lower() and "/ui/api-assets/" in text, docs
        for asset in re.findall(r'(?:src|href)="(/ui/api-assets/[^"]+)"', text):
            assert open_client.get(asset).status_code == 200, asset
    assert not [p for p in open_client.get("/openapi.json").json()["paths"]
                if p.startswith("/ui") or p in ("/", "/docs", "/redoc")]


def test_bad_input_is_a_page_naming_it(open_client: TestClient) -> None:
    bad = open_client.get("/ui/?status=purple")
    assert bad.status_code == 400 and "query.status" in bad.text
    assert open_client.get("/ui/trunks/no-such-trunk").status_code == 404
    assert open_client.get("/ui/runs/19990101T000000Z").status_code == 404
    assert open_client.get("/ui/changes/19990101T000000.000Z-000000").status_code == 404
    assert open_client.get("/ui/runs/latest~99").status_code == 400
