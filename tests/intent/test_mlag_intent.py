"""Arista MLAG in the intent (issue 10): a bundle spanning a declared pair is two switch ends
with one ``mlag`` id; the pair is declared in hosts.yaml (``data.mlag_peer`` on each, one
``data.mlag_domain``); ``lag-spans-two-switches`` stays for switches that are not a pair."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lagprov.cli import main
from lagprov.intent import lint_inventory, load_inventory
from lagprov.provision.render import render_device
from tests.e2e.kit import section

MLAG = Path(__file__).resolve().parents[1] / "inventories" / "mlag"


@pytest.fixture
def inv(tmp_path: Path) -> Path:
    root = tmp_path / "inv"
    shutil.copytree(MLAG, root)
    return root


def _edit(root: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _validate(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["validate", "--inventory", str(root)])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_validate_accepts_an_mlag_pair(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _validate(MLAG, capsys)
    assert code == 0, text
    loaded = load_inventory(MLAG)
    [trunk] = loaded.trunks
    assert trunk.mlag == 10
    assert [(e.device, e.members) for e in trunk.switch] == [("eos-a", ("Ethernet1",)),
                                                             ("eos-b", ("Ethernet1",))]
    # member i is cabled to NIC i, one per peer
    assert [c[:4] for c in trunk.cables()] == [("eos-a", "Ethernet1", "lnx-mlag", "ens1f0"),
                                               ("eos-b", "Ethernet1", "lnx-mlag", "ens1f1")]
    a = loaded.switch("eos-a")
    assert (a.mlag_peer, a.mlag_domain) == ("eos-b", "lab-mlag")


def test_both_peers_render_the_same_bundle_with_mlag() -> None:
    inv = load_inventory(MLAG)
    for device in ("eos-a", "eos-b"):
        po = section("\n".join(render_device(inv, device).lines), "interface Port-Channel10")
        assert po is not None and po[-1] == "mlag 10", po
        eth = section("\n".join(render_device(inv, device).lines), "interface Ethernet1")
        assert eth is not None and "channel-group 10 mode active" in eth


def test_two_switches_that_are_not_a_pair_still_span(inv: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    _edit(inv, "hosts.yaml", "    mlag_peer: eos-b\n", "")
    _edit(inv, "hosts.yaml", "    mlag_peer: eos-a\n", "")
    _edit(inv, "hosts.yaml", "    mlag_domain: lab-mlag\n", "", count=2)
    findings = lint_inventory(load_inventory(inv))
    spans = [f for f in findings if f.rule == "lag-spans-two-switches"]
    assert spans and "not a declared MLAG pair" in spans[0].message
    code, _ = _validate(inv, capsys)
    assert code == 1


@pytest.mark.parametrize(("old", "new", "field", "message"), [
    ("mlag_peer: eos-a", "mlag_peer: eos-c", "eos-b.data.mlag_peer", "not another switch"),
    ("    mlag_peer: eos-a\n", "", "eos-a.data.mlag_peer", "does not name eos-a"),
    ("    mlag_peer: eos-a\n    mlag_domain: lab-mlag",
     "    mlag_peer: eos-a\n    mlag_domain: other",
     "eos-b.data.mlag_domain", "one pair, one domain"),
])
def test_a_wrong_pair_is_exit_2_naming_file_and_field(
        inv: Path, old: str, new: str, field: str, message: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    _edit(inv, "hosts.yaml", old, new)
    code, text = _validate(inv, capsys)
    assert code == 2, text
    assert f"{inv / 'hosts.yaml'}: {field}: " in text and message in text, text


@pytest.mark.parametrize(("old", "new", "message"), [
    ("{device: eos-b, channel: 10, mlag: 10", "{device: eos-b, channel: 11, mlag: 10",
     "switch[1].channel: the MLAG peers must agree: eos-a has 10, eos-b has 11"),
    ("{device: eos-b, channel: 10, mlag: 10", "{device: eos-b, channel: 10, mlag: 12",
     "switch[1].mlag: the MLAG peers must agree"),
    ("{device: eos-b, channel: 10, mlag: 10", "{device: eos-b, channel: 10",
     "an MLAG bundle has two ends, one on each peer"),
    ("{device: eos-b,", "{device: eos-a,", "both MLAG halves are on eos-a"),
])
def test_mlag_halves_that_disagree_are_exit_2(inv: Path, old: str, new: str, message: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    _edit(inv, "trunks.yaml", old, new)
    code, text = _validate(inv, capsys)
    assert code == 2, text
    assert f"{inv / 'trunks.yaml'}: trunks[0] (lnx-mlag-bond0)" in text
    assert message in text, text
