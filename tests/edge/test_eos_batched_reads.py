"""Issue 15, "commands batched where the platform allows": an EOS read is ONE eAPI request.

NAPALM ``eos`` over eAPI sends every show command of a read in one ``runCmds``
(:meth:`NapalmSession.run_many`); its ``cli`` would send one request per command.  What the
read gives must not change: the same outputs, and for a command the switch refuses the same
capture (the outputs before it, its error at stage ``collect``, naming it) as a read one
command at a time.  The lab's eAPI logs the commands of every request it receives
(``EosSwitch.eapi_requests``), so the tests count requests where the switch sees them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

from lagprov.edge.nornir_glue import Credentials, TransportChoice
from lagprov.edge.sessions import NapalmSession
from lagprov.errors import CommandError
from lagprov.intent.load import load_inventory
from lagprov.lab.eos.switch import EosSwitch
from lagprov.lab.fabric import LabFabric
from lagprov.model.inventory import Inventory
from lagprov.model.types import Platform
from lagprov.observe.collect import DeviceCapture, SwitchJob, collection_plan
from lagprov.report import ErrorKind
from lagprov.runs.read_tasks import _read_all, read_switches
from tests.workflow.labkit import configure_as_intended

pytestmark = pytest.mark.lab

REPO = Path(__file__).resolve().parents[2]
BLOCK = "127.0.211.0"
CREDS = Credentials("lab", "lab-password", "lab-secret")
CHOICE = TransportChoice(timeout_s=10, deadline_s=60, connect_retries=0)
OPEN = ("enable", "show version")  # what NAPALM eos open() sends (one request)


@dataclass
class Lab:
    fabric: LabFabric
    inv: Inventory
    jobs: tuple[SwitchJob, ...]  # the EOS switches of the example fabric

    def switch(self, name: str) -> EosSwitch:
        sw = self.fabric.switch(name)
        assert isinstance(sw, EosSwitch)
        return sw

    def requests(self, name: str) -> list[tuple[str, ...]]:
        sw = self.switch(name)
        with sw.lock:
            return list(sw.eapi_requests)

    def read(self, jobs: Sequence[SwitchJob] | None = None) -> dict[str, DeviceCapture]:
        return read_switches(self.inv, jobs if jobs is not None else self.jobs, workers=3,
                             creds=CREDS, choice=CHOICE)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    inv = load_inventory(REPO / "inventory")
    fabric = LabFabric.from_inventory(inv, rebase=BLOCK)
    configure_as_intended(fabric, inv)
    fabric.start()
    try:
        live = load_inventory(fabric.write_inventory(tmp_path_factory.mktemp("eos") / "inv"))
        jobs = tuple(j for j in collection_plan(live).switches
                     if j.platform is Platform.ARISTA_EOS)
        assert len(jobs) == 3 and all(len(j.commands) > 1 for j in jobs)
        yield Lab(fabric, live, jobs)
    finally:
        fabric.close()


@pytest.fixture()
def one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call to read as before batching: NAPALM ``cli``, one ``runCmds`` per command."""
    return lambda: monkeypatch.setattr(NapalmSession, "batches", property(lambda _s: False))


def _read_since(lab: Lab, read: Callable[[], dict[str, DeviceCapture]]
                ) -> tuple[dict[str, DeviceCapture], dict[str, list[tuple[str, ...]]]]:
    """Captures of ``read()`` and the eAPI requests each switch received meanwhile."""
    for job in lab.jobs:
        sw = lab.switch(job.device)
        with sw.lock:
            sw.eapi_requests.clear()
    captures = read()
    return captures, {j.device: lab.requests(j.device) for j in lab.jobs}


def test_a_batched_read_is_one_request_with_the_same_outputs(
        lab: Lab, one_at_a_time: Callable[[], None]) -> None:
    batched, sent = _read_since(lab, lab.read)
    for job in lab.jobs:
        # open() asks the version, then the whole read is ONE runCmds, in the job's order
        assert sent[job.device] == [OPEN, ("enable", *job.commands)], job.device
        assert batched[job.device].error is None
        assert list(batched[job.device].outputs) == list(job.commands)
    one_at_a_time()
    single, sent = _read_since(lab, lab.read)
    for job in lab.jobs:
        assert sent[job.device] == [OPEN, *(("enable", c) for c in job.commands)]
    assert single == batched  # identical DeviceCapture, outputs byte for byte
    assert all(o.strip() for c in batched.values() for o in c.outputs.values())


def test_a_refused_command_is_reported_as_a_per_command_read_reports_it(
        lab: Lab, one_at_a_time: Callable[[], None]) -> None:
    job = next(j for j in lab.jobs if j.device == "eos7120-1")
    refused = job.commands[2]  # outputs before it, none after it
    faults = lab.fabric.faults(job.device)
    faults.reject_commands.add(refused)
    try:
        batched, sent = _read_since(lab, lambda: lab.read([job]))
        one_at_a_time()
        single, _ = _read_since(lab, lambda: lab.read([job]))
    finally:
        faults.reject_commands.discard(refused)
    # the batch stops at the refused command; run() of it alone gives NAPALM's error for it
    assert sent[job.device] == [OPEN, ("enable", *job.commands), ("enable", refused)]
    got = batched[job.device]
    assert got == single[job.device]
    assert list(got.outputs) == list(job.commands[:2])
    assert got.error is not None
    assert (got.error.stage, got.error.kind) == ("collect", ErrorKind.REJECTED)
    assert got.error.message.startswith(f"{job.device} '{refused}': ")
    assert f'Invalid command: "{refused}"' in got.error.message


def test_a_batch_that_gets_no_answer_names_every_command(lab: Lab) -> None:
    job = next(j for j in lab.jobs if j.device == "eos7120-1")
    lab.fabric.faults(job.device).cut_after = job.commands[-1]  # the reply never comes
    try:
        got = lab.read([job])[job.device]
    finally:
        lab.fabric.faults(job.device).cut_after = None
    assert got.outputs == {}  # one request: nothing of it came back
    assert got.error is not None and got.error.stage == "collect"
    assert all(f"'{c}'" in got.error.message for c in job.commands)
    assert "(one eAPI request)" in got.error.message


# ---- without the lab -----------------------------------------------------------------

def _driver(platform: str, transport: str) -> SimpleNamespace:
    node = SimpleNamespace(run_commands=lambda *_a, **_k: [])
    return SimpleNamespace(platform=platform, transport=transport, device=node)


@pytest.mark.parametrize(("platform", "transport", "batches"), [
    ("eos", "http", True), ("eos", "https", True), ("eos", "ssh", False),
    ("ios", "http", False), ("junos", "http", False)])
def test_only_napalm_eos_over_eapi_batches(platform: str, transport: str,
                                           batches: bool) -> None:
    assert NapalmSession(_driver(platform, transport), "sw1").batches is batches


def test_read_all_runs_what_the_batch_left_one_by_one() -> None:
    commands = ("show a", "show b", "show c", "show d")
    ran: list[str] = []

    def run(command: str) -> str:
        ran.append(command)
        if command == "show c":
            raise CommandError(f"sw1 '{command}': refused")
        return f"{command} output"

    def run_many(cmds: Sequence[str]) -> dict[str, str]:
        return {c: f"{c} output" for c in cmds[:2]}  # stopped short at 'show c'

    batched = _read_all("sw1", run, commands, run_many)
    assert ran == ["show c"]
    ran.clear()
    assert _read_all("sw1", run, commands) == batched
    assert ran == ["show a", "show b", "show c"]
    assert batched.error is not None and batched.error.message == "sw1 'show c': refused"
