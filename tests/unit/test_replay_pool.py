"""A replay parsed on several processes gives exactly what the serial replay gives (issue 15).

``verify --from`` of a large fleet parses its switches in a process pool
(:mod:`lagprov.runs.replay`).  These tests pin what it must keep: the same states, findings,
report and device errors in the same order, an error raised in a worker raised here as the
serial path raises it, and a threaded caller's workers not forked from its threads.  They never
time anything (the figures are in ``make bench``).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

import lagprov.errors as errors_module
from bench.replicate import replicate
from lagprov.errors import ConfigError, InputError, LagprovError
from lagprov.intent.load import load_inventory
from lagprov.model.findings import Status
from lagprov.observe.collect import SwitchJob
from lagprov.runs import replay
from lagprov.runs.verify import RunData, run_data

COPIES = 8  # x 6 switches: 48, in chunks of 3 for two processes (16 tasks)


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Eight copies of the saved example run; the third broken three ways (an unparsable
    output, a missing switch, an MTU changed) so that errors and failures are compared too."""
    inv_dir, saved, _ = replicate(tmp_path_factory.mktemp("fleet"), COPIES)
    shutil.rmtree(saved / "eos7120-1-r002")
    running = saved / "cat9300-1-r002" / "show_running-config.txt"
    running.write_text(running.read_text(encoding="utf-8").replace(
        "interface Port-channel1\n", "interface Port-channel1\n mtu 1400\n", 1), encoding="utf-8")
    lacp = next((saved / "ex4300-1-r002").glob("show_lacp_interfaces*"))
    lacp.write_text(lacp.read_text(encoding="utf-8") + "\nan unknown row 1 2 3\n",
                    encoding="utf-8")
    (saved / "lnx01-r000" / "ip_-j_-d_link.txt").write_text("[{not json", encoding="utf-8")
    return inv_dir, saved


_ORIGINAL_CHUNK = replay._replay_chunk


def _pids(from_dir: Path) -> Path:
    return from_dir.parent / "pids"  # beside the saved outputs: what every worker is given


def _chunk_noting_its_process(jobs: Sequence[SwitchJob], from_dir: Path,
                              keep_outputs: bool) -> list[replay.Replayed]:
    """The pool's task as shipped, noting the process it ran in (a file per process)."""
    (_pids(from_dir) / str(os.getpid())).touch()
    return _ORIGINAL_CHUNK(jobs, from_dir, keep_outputs)


def _run(fleet: tuple[Path, Path], processes: int, monkeypatch: pytest.MonkeyPatch,
         **kwargs: object) -> RunData:
    """``run_data`` of the fleet on ``processes``; with more than one, at least two worker
    processes (not this one) parsed it."""
    monkeypatch.setenv(replay.PROCESSES_ENV, str(processes))
    monkeypatch.setattr(replay, "_replay_chunk", _chunk_noting_its_process)
    pids = _pids(fleet[1])
    shutil.rmtree(pids, ignore_errors=True)
    pids.mkdir()
    data = _run_once(fleet, **kwargs)
    ran_in = {int(p.name) for p in pids.iterdir()}
    assert len(ran_in) >= 2 if processes > 1 else not ran_in
    assert os.getpid() not in ran_in
    return data


def _run_once(fleet: tuple[Path, Path], **kwargs: object) -> RunData:
    inv_dir, saved = fleet
    data = run_data(load_inventory(inv_dir), from_dir=saved, **kwargs)  # type: ignore[arg-type]
    return data.model_copy(update={"report": data.report.model_copy(
        update={"started": "-", "finished": "-"})})


def test_a_pooled_replay_gives_the_serial_states_findings_and_report(
        fleet: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    serial = _run(fleet, 1, monkeypatch)
    pooled = _run(fleet, 2, monkeypatch)
    assert pooled == serial
    assert list(pooled.switches) == list(serial.switches)  # plan order, not arrival order
    assert pooled.report.model_dump_json() == serial.report.model_dump_json()
    # the comparison covers every kind of outcome: passes, failures, unverifiable, errors
    statuses = {f.status for t in pooled.report.trunks for f in t.findings}
    assert {Status.PASS, Status.FAIL, Status.UNVERIFIABLE} <= statuses
    # switches first, then hosts (as a live run orders them), each in plan order
    assert [(e.device, e.kind) for e in pooled.report.errors] == [
        ("ex4300-1-r002", "parse"), ("lnx01-r000", "parse")]
    assert len(pooled.switches) == 6 * COPIES - 2  # the missing and the unparsable one


def test_progress_names_every_switch_in_plan_order(fleet: tuple[Path, Path],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[int, list[str]] = {1: [], 3: []}
    for processes, names in seen.items():
        _run(fleet, processes, monkeypatch, progress=names.append)
    assert seen[3] == seen[1]
    assert len(seen[1]) == len(set(seen[1])) > 6 * COPIES  # switches, then hosts


def test_saved_outputs_kept_for_save_come_back_from_the_workers(
        fleet: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for processes in (1, 2):
        _run(fleet, processes, monkeypatch, save_dir=tmp_path / str(processes))
    one, two = (sorted(p.relative_to(tmp_path / n).as_posix()
                       for p in (tmp_path / n).rglob("*") if p.is_file()) for n in "12")
    assert one == two and len(one) > 6 * COPIES
    for name in one:
        assert (tmp_path / "2" / name).read_bytes() == (tmp_path / "1" / name).read_bytes()


def test_an_error_in_a_worker_is_raised_as_the_serial_replay_raises_it(
        fleet: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    inv_dir, saved = fleet
    broken = tmp_path / "saved"
    shutil.copytree(saved, broken)
    target = broken / "cat2960s-1-r005" / "show_etherchannel_summary.txt"
    target.write_bytes(b"Group  Port-channel\n\xff\xfe\n")
    raised = []
    for processes in (1, 2):
        monkeypatch.setenv(replay.PROCESSES_ENV, str(processes))
        with pytest.raises(InputError) as got:
            run_data(load_inventory(inv_dir), from_dir=broken)
        raised.append((type(got.value), str(got.value), got.value.location))
    assert raised[0] == raised[1]
    assert raised[0][2] == str(target) and "not UTF-8" in raised[0][1]


def test_a_threaded_caller_gets_workers_from_a_fork_server(
        fleet: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The service calls verify from threads: forking one of them would copy locks other
    threads hold (a template's lock mid-parse), so its workers come from a fork server."""
    assert threading.active_count() == 1 or replay._context().get_start_method() != "fork"
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert replay._context().get_start_method() == "forkserver"
        pooled = _run(fleet, 2, monkeypatch)
    finally:
        stop.set()
        other.join()
    assert pooled == _run(fleet, 1, monkeypatch)


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(replay.PROCESSES_ENV, raising=False)
    yield


@pytest.mark.usefixtures("no_env")
def test_a_small_fleet_stays_in_this_process_and_a_large_one_uses_every_core() -> None:
    assert replay.parse_processes(replay.MIN_PARALLEL - 1) == 1
    assert replay.parse_processes(replay.MIN_PARALLEL) == len(os.sched_getaffinity(0))


@pytest.mark.parametrize("raw", ["0", "-2", "two", "1.5"])
def test_a_bad_process_count_is_refused_naming_the_variable(
        raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(replay.PROCESSES_ENV, raw)
    with pytest.raises(ConfigError, match=f"^{replay.PROCESSES_ENV}="):
        replay.parse_processes(1000)


def _every_error_class() -> list[type[LagprovError]]:
    found, stack = [], [LagprovError]
    while stack:
        cls = stack.pop()
        found.append(cls)
        stack.extend(cls.__subclasses__())
    return [c for c in found if c.__module__ == errors_module.__name__]


_SAMPLE_ARGS: dict[str, tuple[object, ...]] = {
    "InputError": ("inventory/trunks.yaml: trunks[0].mtu", "not a number"),
    "InputErrors": ([InputError("a.yaml: x", "bad"), InputError("b.yaml: y", "worse")],),
    "UnsupportedFeature": ("supermicro_smis", "min-links", "no such command"),
    "ParseError": ("cisco_ios", "show lacp neighbor", "Flags: S\nrow ?\n", "unknown row 2"),
}


@pytest.mark.parametrize("cls", _every_error_class(), ids=lambda c: c.__name__)
def test_every_lagprov_error_comes_back_from_a_worker_as_it_was_raised(
        cls: type[LagprovError]) -> None:
    error = cls(*_SAMPLE_ARGS.get(cls.__name__, ("the device went away",)))
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is cls
    assert (str(back), back.args) == (str(error), error.args)
    assert {k: v for k, v in vars(back).items() if k != "errors"} == {
        k: v for k, v in vars(error).items() if k != "errors"}
    if isinstance(error, errors_module.InputErrors):
        assert isinstance(back, errors_module.InputErrors)
        assert [str(e) for e in back.errors] == [str(e) for e in error.errors]


def _processes_here(answer: Any) -> None:
    answer.put(replay.parse_processes(1000))


def test_a_daemonic_process_parses_in_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """multiprocessing lets a daemonic process (a pool's worker) start no children: a replay
    there stays in the process, even when the variable asks for more."""
    monkeypatch.setenv(replay.PROCESSES_ENV, "2")
    context = multiprocessing.get_context("fork")
    answer = context.Queue()
    child = context.Process(target=_processes_here, args=(answer,), daemon=True)
    child.start()
    got = answer.get(timeout=30)
    child.join(timeout=30)
    assert got == 1
    assert replay.parse_processes(1000) == 2  # here, not daemonic: as asked
