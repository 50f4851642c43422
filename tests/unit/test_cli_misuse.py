"""CLI misuse (issue 16): bad paths, bad saved outputs and odd options end with one line and
exit 2 (bad options or paths, nothing read or sent), never a traceback or a silent exit 0."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from lagprov.cli import main

SAVED = Path(__file__).resolve().parents[1] / "workflow" / "saved"
INV = SAVED / "inventory"
HEALTHY = SAVED / "healthy"
REPLAY = ["-i", str(INV), "--from", str(HEALTHY)]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Traceback" not in text and "internal error" not in text, text
    return code, out.err


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "plain-file"
    path.write_text("not a folder\n", encoding="utf-8")
    return path


def test_output_that_is_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["verify", *REPLAY, "--output", str(tmp_path)], capsys)
    assert code == 2
    assert one_line(err) == f"lagprov: --output {tmp_path}: is a folder; give a file name"


def test_output_in_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "nowhere" / "report.txt"
    code, err = run(["verify", *REPLAY, "--output", str(target)], capsys)
    assert code == 2
    assert f"folder {tmp_path / 'nowhere'} does not exist" in one_line(err)


@pytest.mark.skipif(not Path("/proc/version").is_file(), reason="needs Linux /proc")
def test_output_that_cannot_be_written(capsys: pytest.CaptureFixture[str]) -> None:
    # /proc/version refuses writes even for root (a chmod'ed folder would not stop root)
    code, err = run(["verify", *REPLAY, "--output", "/proc/version"], capsys)
    assert code == 2
    assert one_line(err).startswith("lagprov: --output /proc/version: ")


def test_save_that_is_a_file(a_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["verify", *REPLAY, "--save", str(a_file)], capsys)
    assert code == 2
    assert one_line(err) == f"lagprov: --save {a_file}: not a folder"


def test_save_that_cannot_be_created(a_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["verify", *REPLAY, "--save", str(a_file / "sub")], capsys)
    assert code == 2
    assert one_line(err).startswith(f"lagprov: --save {a_file / 'sub'}: cannot create it")


def test_audit_state_that_is_a_file(a_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["audit", *REPLAY, "--state", str(a_file)], capsys)
    assert code == 2
    assert one_line(err) == f"lagprov: --state {a_file}: not a folder"


def test_audit_with_lagprov_state_a_file(a_file: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LAGPROV_STATE", str(a_file))
    code, err = run(["audit", *REPLAY], capsys)
    assert code == 2
    assert one_line(err) == f"lagprov: LAGPROV_STATE {a_file}: not a folder"


def test_apply_commit_with_lagprov_state_a_file(a_file: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LAGPROV_STATE", str(a_file))
    monkeypatch.setenv("LAGPROV_USERNAME", "u")
    monkeypatch.setenv("LAGPROV_PASSWORD", "p-not-used")
    code, err = run(["apply", "-i", str(INV), "--commit"], capsys)
    assert code == 2
    assert one_line(err) == f"lagprov: LAGPROV_STATE {a_file}: not a folder"


def test_runs_state_that_is_a_file(a_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["runs", "--state", str(a_file)], capsys)
    assert code == 2
    assert one_line(err) == f"lagprov: --state {a_file}: not a folder"


def _saved_with(tmp_path: Path, content: bytes, name: str = "show_running-config.txt") -> Path:
    folder = tmp_path / "saved"
    shutil.copytree(HEALTHY, folder)
    (folder / "eos7120-1" / name).write_bytes(content)
    return folder


@pytest.mark.parametrize(("content", "byte"), [
    (bytes(range(0x80, 0x100)) * 8, "0x80"),  # random-looking bytes
    ("interface Port-Channel10\n   description café\n".encode("latin-1"), "0xe9"),  # Latin-1
])
def test_from_folder_with_non_utf8_output(tmp_path: Path, content: bytes, byte: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    folder = _saved_with(tmp_path, content)
    code, err = run(["verify", "-i", str(INV), "--from", str(folder)], capsys)
    assert code == 2
    line = one_line(err)
    assert str(folder / "eos7120-1" / "show_running-config.txt") in line
    assert f"not UTF-8 text (byte {byte}" in line


def test_from_folder_with_a_garbage_index(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    folder = _saved_with(tmp_path, b"{[: unbalanced\n  - ]", name="_commands.yaml")
    code, err = run(["verify", "-i", str(INV), "--from", str(folder)], capsys)
    assert code == 2
    assert str(folder / "eos7120-1" / "_commands.yaml") in one_line(err)


@pytest.mark.parametrize("argv", [
    ["verify", *REPLAY, "--workers", "0"],
    ["audit", *REPLAY, "--workers", "-1"],
    ["plan", "-i", str(INV), "--workers", "0"],
    ["apply", "-i", str(INV), "--workers", "-1", "--commit"],
    ["rollback", "some-run", "-i", str(INV), "--workers", "0"],
])
def test_workers_below_one(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(argv, capsys)
    assert code == 2
    assert "'--workers'" in err


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_runs_limit_below_one(limit: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["runs", "--limit", limit], capsys)
    assert code == 2
    assert "'--limit'" in err


def test_rollback_format_it_cannot_print(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["rollback", "some-run", "-i", str(INV), "--format", "junit"], capsys)
    assert code == 2
    assert one_line(err) == "lagprov: rollback --format junit: only text and json"


class _Uvicorn:
    def __init__(self) -> None:
        self.runs: list[dict[str, Any]] = []

    def run(self, app: Any, **kw: Any) -> None:
        self.runs.append(kw)


@pytest.fixture
def uvicorn(monkeypatch: pytest.MonkeyPatch) -> _Uvicorn:
    import uvicorn as real

    fake = _Uvicorn()
    monkeypatch.setattr(real, "run", fake.run)
    monkeypatch.delenv("LAGPROV_TOKENS", raising=False)
    monkeypatch.delenv("LAGPROV_TOKENS_FILE", raising=False)
    return fake


def test_serve_on_an_open_address_without_tokens(uvicorn: _Uvicorn,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["serve", "-i", str(INV), "--host", "0.0.0.0"], capsys)
    assert code == 2
    assert "not a loopback address and no token is configured" in one_line(err)
    assert uvicorn.runs == []


def test_serve_on_an_open_address_when_allowed_or_with_tokens(
        uvicorn: _Uvicorn, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["serve", "-i", str(INV), "--host", "0.0.0.0", "--allow-open"], capsys)[0] == 0
    monkeypatch.setenv("LAGPROV_TOKENS", "ci write " + "a" * 64)
    assert run(["serve", "-i", str(INV), "--host", "10.0.0.5"], capsys)[0] == 0
    assert [r["host"] for r in uvicorn.runs] == ["0.0.0.0", "10.0.0.5"]


def test_serve_with_a_missing_reports_folder(uvicorn: _Uvicorn, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["serve", "-i", str(INV), "--reports", str(tmp_path / "none")], capsys)
    assert code == 2
    assert one_line(err) == f"lagprov: --reports {tmp_path / 'none'}: no such folder"
    assert uvicorn.runs == []


def test_serve_with_a_token_in_clear(uvicorn: _Uvicorn, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LAGPROV_TOKENS", "ci write lgp_SecretInClear")
    code, err = run(["serve", "-i", str(INV)], capsys)
    assert code == 2
    assert "never the token" in one_line(err)
    assert "SecretInClear" not in err
    assert uvicorn.runs == []


def test_token_new_prints_a_token_and_its_line(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    import hashlib

    from lagprov.service.auth import TokenSet

    assert main(["token", "new", "host-pipeline", "--role", "read"]) == 0
    out = capsys.readouterr().out.splitlines()
    token = out[0].rsplit(" ", 1)[1]
    line = out[1].split(": ", 1)[1]
    assert line == f"host-pipeline read sha256:{hashlib.sha256(token.encode()).hexdigest()}"
    monkeypatch.setenv("LAGPROV_TOKENS", line)
    found = TokenSet.from_env().find(token)
    assert found is not None and found.name == "host-pipeline"


def test_token_new_with_an_unknown_role(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["token", "new", "x", "--role", "admin"], capsys)
    assert code == 2
    assert one_line(err) == "lagprov: --role 'admin': read or write"


def test_reports_folder_with_a_non_utf8_report(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "saved"
    shutil.copytree(HEALTHY, saved)
    shutil.rmtree(saved / "hv01")  # hv01 is then judged on its report files
    report = tmp_path / "reports" / "hv01" / "Get-NetLbfoTeam.json"
    report.parent.mkdir(parents=True)
    report.write_bytes('[{"Name": "Équipe"}]'.encode("cp1252"))
    code, err = run(["verify", "-i", str(INV), "--from", str(saved),
                     "--reports", str(tmp_path / "reports")], capsys)
    assert code == 2
    assert f"{report}: not UTF-8 text (byte 0xc9" in one_line(err)
