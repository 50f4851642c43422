"""Every broken inventory of the corpus (tests/inventories/cases.yaml) is refused before any
device is contacted, counted where it matters: in the lab.

The example fabric is served on a fresh loopback block and every case's copy is readdressed to
it (each ``127.0.10.x`` of its files, whatever the mutation did to them), so every switch and
host a broken inventory names answers on SSH, eAPI and NETCONF.  ``plan`` runs on every case
that must be refused, ``verify`` on every input error, ``apply --commit`` on a share of them;
each asserts the exit code, the file and field in the message, no traceback, and that the
lab's servers accepted not one connection (:meth:`LabFabric.accepted`).  The same harness on
the unbroken inventory does count sessions on every switch (and ``verify`` on the hosts), so a
counter that never counts fails here.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from lagprov.cli import main
from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LabFabric
from tests.lint.mutate import EXAMPLE, apply_case, load_cases
from tests.workflow.labkit import LAB_ENV

pytestmark = [pytest.mark.lab, pytest.mark.slow]

EXIT = {"input-error": 2, "lint-error": 1}
REFUSED = [c for c in load_cases() if c["expect"] in EXIT]
# apply --commit on every third case (all the lint errors' kinds and most input kinds are hit)
COMMIT = [c for i, c in enumerate(REFUSED) if i % 3 == 0]
_EXAMPLE_ADDRESS = re.compile(r"\b127\.0\.10\.\d{1,3}\b")


@dataclass
class Lab:
    fabric: LabFabric
    readdress: Mapping[str, str]  # example address -> the lab's address of that device


@pytest.fixture(scope="module")
def corpus_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    inv = load_inventory(EXAMPLE)
    fabric = LabFabric.from_inventory(inv, rebase="auto")
    fabric.start()
    readdress = {s.address: fabric.addresses[s.name] for s in inv.switches}
    readdress.update({h.address: fabric.addresses[h.name] for h in inv.hosts
                      if h.address and h.name in fabric.addresses})
    with pytest.MonkeyPatch.context() as mp:
        for k, v in LAB_ENV.items():
            mp.setenv(k, v)
        mp.setenv("LAGPROV_STATE", str(tmp_path_factory.mktemp("state")))
        try:
            yield Lab(fabric, readdress)
        finally:
            fabric.close()


def _readdress(folder: Path, table: Mapping[str, str]) -> None:
    """Point every regular file under ``folder`` at the lab (symlinks, FIFOs left alone)."""
    if not folder.is_dir():
        return
    for dirpath, _dirs, files in os.walk(folder):  # does not follow symlinked folders
        for name in files:
            path = Path(dirpath) / name
            if not stat.S_ISREG(path.lstat().st_mode):
                continue
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
            new = _EXAMPLE_ADDRESS.sub(lambda m: table.get(m.group(0), m.group(0)), text)
            if new != text:
                path.write_text(new, encoding="utf-8", errors="surrogateescape")


def _broken_copy(case: dict[str, Any], tmp_path: Path, lab: Lab) -> Path:
    inv = apply_case(case, tmp_path / "inv")
    _readdress(inv, lab.readdress)
    _readdress(tmp_path / "outside", lab.readdress)  # where symlink-outside put the content
    return inv


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out + out.err


def _sessions(fabric: LabFabric) -> dict[str, dict[str, int]]:
    every = {**fabric.switches, **fabric.hosts}
    return {d: n for d in every if (n := fabric.accepted(d))}


def _refused(case: dict[str, Any], command: list[str], inv: Path, lab: Lab,
             capsys: pytest.CaptureFixture[str], want: int) -> None:
    before = _sessions(lab.fabric)
    code, text = _run([*command, "--inventory", str(inv)], capsys)
    assert _sessions(lab.fabric) == before, f"{command[0]} opened device sessions:\n{text}"
    assert code == want, text
    assert "Traceback" not in text
    assert case["field"] in text
    assert case.get("file", "trunks.yaml") in text


@pytest.mark.parametrize("case", REFUSED, ids=[c["name"] for c in REFUSED])
def test_plan_opens_no_session(case: dict[str, Any], corpus_lab: Lab, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    inv = _broken_copy(case, tmp_path, corpus_lab)
    _refused(case, ["plan"], inv, corpus_lab, capsys, EXIT[case["expect"]])
    if case["expect"] == "input-error":  # verify has no lint gate: a lint error is read
        _refused(case, ["verify"], inv, corpus_lab, capsys, 2)


@pytest.mark.parametrize("case", COMMIT, ids=[c["name"] for c in COMMIT])
def test_apply_commit_opens_no_session(case: dict[str, Any], corpus_lab: Lab, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    inv = _broken_copy(case, tmp_path, corpus_lab)
    _refused(case, ["apply", "--commit"], inv, corpus_lab, capsys, EXIT[case["expect"]])


# ---- positive controls: the same harness counts the sessions of an unbroken inventory -------
_SWITCH_PROTOCOL = {"cisco_ios": "ssh", "supermicro_smis": "ssh", "arista_eos": "eapi",
                    "juniper_junos": "netconf"}


def test_plan_on_the_unbroken_inventory_opens_sessions(
        corpus_lab: Lab, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inv = _broken_copy({"name": "unbroken"}, tmp_path, corpus_lab)
    before = _sessions(corpus_lab.fabric)
    code, text = _run(["plan", "--inventory", str(inv)], capsys)
    assert code != 2 and "Traceback" not in text, text
    after = _sessions(corpus_lab.fabric)
    for sw in corpus_lab.fabric.inventory.switches:  # IOS, SMIS: SSH; EOS: eAPI; Junos: NETCONF
        proto = _SWITCH_PROTOCOL[sw.platform.value]
        grew = after.get(sw.name, {}).get(proto, 0) - before.get(sw.name, {}).get(proto, 0)
        assert grew > 0, f"{sw.name}: no {proto} session counted: {after}\n{text}"


def test_verify_on_the_unbroken_inventory_opens_sessions(
        corpus_lab: Lab, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inv = _broken_copy({"name": "unbroken"}, tmp_path, corpus_lab)
    before = _sessions(corpus_lab.fabric)
    code, text = _run(["verify", "--inventory", str(inv)], capsys)
    assert code != 2 and "Traceback" not in text, text
    after = _sessions(corpus_lab.fabric)
    fabric = corpus_lab.fabric
    served = [h.name for h in fabric.inventory.hosts if h.name in fabric.ports]
    assert served, "the example has hosts the lab serves"
    for name in served + [s.name for s in fabric.inventory.switches]:
        grew = sum(after.get(name, {}).values()) - sum(before.get(name, {}).values())
        assert grew > 0, f"{name}: no session counted: {after}\n{text}"
