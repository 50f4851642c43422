"""The compliance pages in a real browser: headless Chromium (Debian's ``chromium``) driven by
Playwright, against the service running on the lab.

One story, in one test (the lab, two audits and the service are started once): three trunks
of the example fabric are provisioned on the lab and audited clean; VLAN 20 is then removed by
hand from Port-Channel10 of eos7120-1 (lnx01-bond0 intends VLANs 10 and 20, inventory/
trunks.yaml) and the fabric audited again.  The browser then checks what a user looks for: the
drifted trunk red in the fleet matrix with the counts, the filters, the failing check's
evidence and the pass -> fail timeline on the trunk page, the new failure in the run diff, and
the rollback button only for a write token.  Screenshots are kept in
``tests/artifacts/screenshots/`` (``$LAGPROV_SCREENSHOTS`` to change it).
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LabFabric
from lagprov.runs import provision_run
from lagprov.runs.audit import audit_run
from lagprov.service import create_app
from tests.conftest import EXAMPLE_INVENTORY, REPO
from tests.e2e.kit import inventory_with
from tests.service.conftest import READ_TOKEN, TOKENS, WRITE_TOKEN, free_port
from tests.workflow.labkit import LAB_ENV

pytestmark = [pytest.mark.lab, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(os.environ.get("LAGPROV_SCREENSHOTS", REPO / "tests" / "artifacts" / "screenshots"))
DRIFTED, SWITCH = "lnx01-bond0", "eos7120-1"  # inventory/trunks.yaml: VLANs 10, 20 on Po10
STORAGE, STORAGE_SWITCH = "eonstor01-tg1", "sse-x24s-1"
CORE = "core-cat9300-ex4300"  # purpose interswitch
TRUNKS = (DRIFTED, STORAGE, CORE)


@dataclass
class Story:
    base: str  # http://127.0.0.1:<port>
    apply_run: str  # the committed run that provisioned the trunks
    shots: Path


def _browser_or_skip() -> Any:
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is absent: apt-get install chromium (make system-deps)")
    try:
        from playwright.sync_api import sync_playwright
    except ModuleNotFoundError:
        pytest.skip("playwright is not installed: pip install -e '.[dev]'")
    return sync_playwright


def _serve(app: Any) -> tuple[str, Any, threading.Thread]:
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, name="pages-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server, thread


@pytest.fixture
def story(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Story]:
    """The lab provisioned and audited twice (clean, then drifted); the service on it."""
    for k, v in LAB_ENV.items():
        monkeypatch.setenv(k, v)
    state = tmp_path / "state"
    monkeypatch.setenv("LAGPROV_STATE", str(state))
    fabric = LabFabric.from_inventory(load_inventory(EXAMPLE_INVENTORY), rebase="auto")
    fabric.start()
    server = None
    try:
        live = fabric.write_inventory(tmp_path / "live")
        every = yaml.safe_load((live / "trunks.yaml").read_text(encoding="utf-8"))["trunks"]
        inv = inventory_with(live, tmp_path / "inv", [t for t in every if t["name"] in TRUNKS])
        applied = provision_run(inv, commit=True)
        assert applied.run_id is not None and not applied.failed, applied
        clean, _ = audit_run(inv, state_dir=state)
        assert clean.exit_status == 0, [f.message for f in clean.findings if f.failed]
        fabric.load_config(SWITCH, ["interface Port-Channel10",
                                    "switchport trunk allowed vlan 10"])
        drifted, delta = audit_run(inv, state_dir=state)
        assert drifted.exit_status == 1 and {f.trunk for f in delta.new_failures} == {DRIFTED}
        app = create_app(inv.root, state_dir=state / "service", tokens=TOKENS)
        base, server, thread = _serve(app)
        SHOTS.mkdir(parents=True, exist_ok=True)
        yield Story(base=base, apply_run=applied.run_id, shots=SHOTS)
    finally:
        if server is not None:
            server.should_exit = True
            thread.join(10)
        fabric.close()


def _rgb(css: str) -> tuple[int, int, int]:
    r, g, b = (int(x) for x in re.findall(r"\d+", css)[:3])
    return r, g, b


def _is_red(css: str) -> bool:
    r, g, b = _rgb(css)
    return r >= 150 and g <= 90 and b <= 90


def _is_green(css: str) -> bool:
    r, g, b = _rgb(css)
    return g >= 100 and r <= 90 and b <= 90


def _background(page: Any, selector: str) -> str:
    return str(page.locator(selector).evaluate("e => getComputedStyle(e).backgroundColor"))


def _rows(page: Any) -> list[str]:
    return [str(x) for x in page.locator("table.matrix tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.trunk)")]


def _count(page: Any, name: str) -> str:
    return str(page.locator(f'[data-count="{name}"] .n').inner_text()).strip()


def _sign_in(page: Any, base: str, token: str) -> None:
    page.goto(f"{base}/ui/login")
    page.fill("input[name=token]", token)
    with page.expect_navigation():
        page.click("form.login button[type=submit]")


def _no_secret(page: Any) -> None:
    html = page.content()
    assert READ_TOKEN not in html and WRITE_TOKEN not in html and LAB_ENV[
        "LAGPROV_PASSWORD"] not in html


def _fleet(page: Any, s: Story) -> str:
    """The drifted trunk is red, the others green, the counts add up; its failing rule."""
    page.goto(f"{s.base}/ui/")
    assert sorted(_rows(page)) == sorted(TRUNKS)
    assert (_count(page, "trunks"), _count(page, "fail"), _count(page, "pass")) == ("3", "1",
                                                                                     "2")
    row = f'tr[data-trunk="{DRIFTED}"]'
    assert page.locator(row).get_attribute("data-verdict") == "fail"
    assert _is_red(_background(page, f"{row} td.verdict"))
    link = str(page.locator(f"{row} th.trunk a").evaluate("e => getComputedStyle(e).color"))
    assert _is_red(link)
    for other in (STORAGE, CORE):
        assert _is_green(_background(page, f'tr[data-trunk="{other}"] td.verdict'))
    failing = page.locator(f'{row} td.cell[data-verdict="fail"]')
    assert failing.count() == 1  # one rule fails: the VLANs the switch end carries
    assert _is_red(str(failing.evaluate("e => getComputedStyle(e).backgroundColor")))
    rule = str(failing.get_attribute("data-rule"))
    assert "20" in str(failing.get_attribute("title"))  # the missing VLAN, on hover
    page.screenshot(path=str(s.shots / "fleet.png"), full_page=True)
    _no_secret(page)
    return rule


def _filters(page: Any, nojs: Any, s: Story) -> None:
    page.goto(f"{s.base}/ui/")
    with page.expect_navigation():  # the page's script submits on change
        page.select_option("select[name=status]", "fail")
    assert "status=fail" in page.url and _rows(page) == [DRIFTED]
    assert _count(page, "trunks") == "1"
    page.screenshot(path=str(s.shots / "fleet-filtered.png"), full_page=True)
    nojs.goto(f"{s.base}/ui/")  # without JavaScript: the Filter button
    nojs.select_option("select[name=device]", STORAGE_SWITCH)
    with nojs.expect_navigation():
        nojs.click("form.filters button[type=submit]")
    assert _rows(nojs) == [STORAGE]
    nojs.goto(f"{s.base}/ui/?purpose=interswitch")
    assert _rows(nojs) == [CORE]


def _trunk(page: Any, s: Story, rule: str) -> None:
    page.goto(f"{s.base}/ui/")
    with page.expect_navigation():
        page.click(f'tr[data-trunk="{DRIFTED}"] th.trunk a')
    assert page.url.endswith(f"/ui/trunks/{DRIFTED}")
    headers = page.locator("table.ends thead th.end").all_inner_texts()
    assert headers == [f"switch {SWITCH}", "host lnx01"]
    finding = page.locator(f'article.finding[data-rule="{rule}"]')
    assert finding.count() == 1 and finding.is_visible()
    assert _is_red(str(finding.evaluate("e => getComputedStyle(e).borderLeftColor")))
    text = finding.inner_text()
    assert SWITCH in text and "Port-Channel10" in text and "20" in text
    evidence = finding.locator("ul.evidence li").all_inner_texts()
    assert any("10,20" in e for e in evidence), evidence  # the intent
    assert any(e.startswith(f"{SWITCH}:") for e in evidence), evidence  # what the switch said
    steps = page.locator("ol.timeline > li[data-after]")
    assert [steps.nth(i).get_attribute("data-after") for i in range(steps.count())] == [
        "pass", "fail"]
    assert rule in steps.nth(1).inner_text()
    page.screenshot(path=str(s.shots / "trunk.png"), full_page=True)
    _no_secret(page)


def _diff(page: Any, s: Story, rule: str) -> None:
    page.goto(f"{s.base}/ui/runs")
    newest = page.locator("table.list tbody tr").first
    with page.expect_navigation():
        newest.locator("a", has_text="changes since").click()
    rows = page.locator("table.new-failures tbody tr")
    assert rows.count() == 1
    assert (rows.first.get_attribute("data-trunk"), rows.first.get_attribute("data-rule")) == (
        DRIFTED, rule)
    assert page.locator("table.resolved").count() == 0
    page.screenshot(path=str(s.shots / "diff.png"), full_page=True)


def _changes(browser: Any, s: Story) -> None:
    run = f'section.run[data-run="{s.apply_run}"]'
    reader = browser.new_context(extra_http_headers={"Authorization": f"Bearer {READ_TOKEN}"})
    page = reader.new_page()
    page.goto(f"{s.base}/ui/changes")
    assert page.locator(run).is_visible()
    assert page.locator("form.rollback").count() == 0 and page.locator("button",
                                                                       has_text="Roll").count() == 0
    target = f"{s.base}/ui/changes/{s.apply_run}/rollback"
    assert reader.request.post(target, form={"commit": "1"}).status == 403
    _no_secret(page)
    page.screenshot(path=str(s.shots / "changes-read.png"), full_page=True)
    anonymous = browser.new_context()
    assert anonymous.request.post(target, form={"commit": "1"}).status == 401
    anonymous.close()
    reader.close()

    writer = browser.new_context()
    page = writer.new_page()
    _sign_in(page, s.base, WRITE_TOKEN)
    assert page.locator("header .caller").inner_text().strip() == "netops-ci (write)"
    # the session cookie alone does not carry a write: a form needs its CSRF value
    assert writer.request.post(target, form={"commit": "1"}).status == 403
    page.goto(f"{s.base}/ui/changes")
    form = page.locator(f"{run} form.rollback")
    assert form.locator("button", has_text="Plan rollback").is_visible()
    assert form.locator("button.danger", has_text="Roll back").is_visible()
    page.screenshot(path=str(s.shots / "changes-write.png"), full_page=True)
    with page.expect_navigation():
        form.locator("button", has_text="Plan rollback").click()
    assert page.locator("h1").inner_text().startswith("Rollback plan for run")
    report = page.locator("pre.report").inner_text()
    assert SWITCH in report, report
    page.screenshot(path=str(s.shots / "rollback-plan.png"), full_page=True)
    _no_secret(page)

    page.goto(f"{s.base}/ui/changes")
    page.once("dialog", lambda d: d.dismiss())  # "Roll back" asks first: No sends nothing
    form.locator("button.danger").click()
    assert page.url == f"{s.base}/ui/changes" and page.locator("section.run").count() == 1
    page.once("dialog", lambda d: d.accept())
    with page.expect_navigation():
        form.locator("button.danger").click()
    assert page.locator("h1").inner_text().startswith("Rolled back run")
    new_run = page.locator("p.meta a").first.inner_text()
    page.goto(f"{s.base}/ui/changes")
    newest = page.locator("section.run").first
    assert newest.get_attribute("data-run") == new_run
    assert f"rolls back {s.apply_run}" in newest.inner_text()
    assert "by netops-ci" in newest.inner_text()  # the write is recorded with the token's name
    writer.close()


@pytest.fixture
def playwright_api() -> Any:
    """Playwright's sync API; the test skips (before the lab starts) without it or Chromium."""
    return _browser_or_skip()


def test_compliance_pages_in_chromium(playwright_api: Any, story: Story) -> None:
    with playwright_api() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            reader = browser.new_context(viewport={"width": 1400, "height": 900})
            seen: list[str] = []
            reader.on("request", lambda r: seen.append(r.url))
            page = reader.new_page()
            _sign_in(page, story.base, READ_TOKEN)
            rule = _fleet(page, story)
            nojs = browser.new_context(java_script_enabled=False, extra_http_headers={
                "Authorization": f"Bearer {READ_TOKEN}"}).new_page()
            _filters(page, nojs, story)
            _trunk(page, story, rule)
            _diff(page, story, rule)
            page.goto(f"{story.base}/docs")  # Swagger UI from packaged files
            page.wait_for_selector(".swagger-ui .info .title", timeout=20000)
            assert "lagprov" in page.locator(".swagger-ui .info .title").inner_text()
            outside = [u for u in seen if not u.startswith(story.base)]
            assert outside == [], outside  # no CDN, nothing off the service
            reader.close()
            _changes(browser, story)
        finally:
            browser.close()
    print(f"\nscreenshots: {story.shots}")
