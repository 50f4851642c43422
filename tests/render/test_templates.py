"""TemplateStore: where templates come from and how template mistakes surface."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagprov.errors import TemplateError
from lagprov.knowledge.templates import DEFAULT_ROOT, ENV_VAR, TemplateStore, vlan_ranges
from lagprov.provision.render import render_device
from tests.render.cases import inventory, trunk

REPO = Path(__file__).resolve().parents[2]


def test_default_root_is_the_checkouts_templates_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert TemplateStore().root == (REPO / "templates").resolve()
    assert DEFAULT_ROOT.resolve() == (REPO / "templates").resolve()


def test_env_var_overrides_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "hello.j2").write_text("hi {{ name }}\n")
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    store = TemplateStore()
    assert store.root == tmp_path.resolve()
    assert store.render("hello.j2", {"name": "x"}) == "hi x\n"


def test_explicit_root_beats_the_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "elsewhere"))
    assert TemplateStore(tmp_path).root == tmp_path.resolve()


def test_missing_root_is_a_template_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="does not exist"):
        TemplateStore(tmp_path / "absent")


def test_missing_template_is_a_template_error(tmp_path: Path) -> None:
    store = TemplateStore(tmp_path)
    with pytest.raises(TemplateError, match=r"nothere\.j2"):
        store.render("nothere.j2", {})
    with pytest.raises(TemplateError, match=r"nothere\.j2"):
        store.path("nothere.j2")
    assert not store.exists("nothere.j2")


def test_undefined_variable_is_a_template_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "t.j2").write_text("{{ end.chanel }}\n")
    with pytest.raises(TemplateError, match="chanel"):
        TemplateStore(tmp_path).render("t.j2", {"end": {"channel": 1}})


def test_syntax_error_is_a_template_error(tmp_path: Path) -> None:
    (tmp_path / "t.j2").write_text("{% if %}\n")
    with pytest.raises(TemplateError, match=r"t\.j2"):
        TemplateStore(tmp_path).render("t.j2", {})


def test_trim_and_lstrip_blocks(tmp_path: Path) -> None:
    (tmp_path / "t.j2").write_text("a\n  {% if x %}\nb\n  {% endif %}\nc\n")
    assert TemplateStore(tmp_path).render("t.j2", {"x": True}) == "a\nb\nc\n"


def test_render_uses_the_given_store(tmp_path: Path) -> None:
    """A user template folder replaces the built-in one completely."""
    folder = tmp_path / "config" / "arista_eos"
    folder.mkdir(parents=True)
    (folder / "preamble.j2").write_text("! preamble\n")
    (folder / "lag.j2").write_text("! {{ lag }} {{ description }}\n")
    cfg = render_device(inventory("arista_eos", trunk("arista_eos", "static")), "sw-eos",
                        store=TemplateStore(tmp_path))
    assert cfg.lines == ("! preamble", "! Port-Channel12 esx01-vswitch0")


@pytest.mark.parametrize(("vlans", "text"), [
    ([10], "10"), ([10, 20], "10,20"), ([12, 10, 11, 20], "10-12,20"), ([1, 2, 4, 5, 6], "1-2,4-6"),
])
def test_vlan_ranges(vlans: list[int], text: str) -> None:
    assert vlan_ranges(vlans) == text


def test_workers_rendering_a_template_at_once_compile_it_once(tmp_path: Path) -> None:
    import threading
    import time

    (tmp_path / "t.j2").write_text("interface {{ name }}\n", encoding="utf-8")
    store = TemplateStore(tmp_path)
    env = store._env
    compiled: list[str] = []
    real = env.compile

    def counting(source: object, name: str | None = None, *a: object, **k: object) -> object:
        compiled.append(str(name))
        time.sleep(0.05)  # a slow compile: the others arrive meanwhile
        return real(source, name, *a, **k)  # type: ignore[arg-type]

    env.compile = counting  # type: ignore[method-assign]
    start = threading.Barrier(8)
    out: list[str] = []

    def render(i: int) -> None:
        start.wait()
        out.append(store.render("t.j2", {"name": f"Po{i}"}))

    threads = [threading.Thread(target=render, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sorted(out) == sorted(f"interface Po{i}\n" for i in range(8))
    assert compiled == ["t.j2"]
