"""The fast paths of the read step (issue 15) give exactly what the slow ones gave.

``clean_output`` skips a substitution whose mark is absent and looks only at the two ends
of an output for prompts; the IOS/EOS ``show interfaces`` templates pass over, in their first
rule, the indented lines no later rule reads.  Each is compared here with the path it
replaced, on the real captures (read in place), the lab's saved outputs and generated
mixtures of their lines; no timing is asserted (the figures are in ``make bench``).
"""

from __future__ import annotations

import io
import random
import re

import pytest
import textfsm

from lagprov.errors import ParseError
from lagprov.observe.parsers import _common, _extract
from lagprov.observe.parsers._extract import project_template
from tests.parsers.fixture_table import FIXTURES, REPO

SAVED = REPO / "tests" / "workflow" / "saved"
_CAPTURES = sorted([*FIXTURES.glob("*/*/*.txt"), *SAVED.glob("*/*/*.txt")])


def _old_clean_output(raw: str, command: str = "") -> str:
    """``clean_output`` before the fast paths (every substitution, every line scanned)."""
    text = _common._ANSI.sub("", raw)
    text = re.sub(r"\r+\n", "\n", text)
    text = text.replace("\r", "\n") if "\n" not in text else text.replace("\r", "")
    text = _common._MORE.sub("", text)
    while "\x08" in text:
        stripped = _common._BACKSPACE.sub("", text)
        text = stripped if stripped != text else text.replace("\x08", "")
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    head = 0
    while head < len(filled) and _common._PROMPT.match(lines[filled[head]].strip()):
        lines[filled[head]] = ""
        head += 1
    if head < len(filled) and _common._is_echo(lines[filled[head]], command):
        lines[filled[head]] = ""
    for i in reversed(filled[head:]):
        if not _common._PROMPT.match(lines[i].strip()):
            break
        lines[i] = ""
    return "\n".join(lines)


# Pieces of real outputs: prompts (IOS, Junos, Junos VC), echoes, IOS/Junos pagers as the
# devices print them (vendor-cli.md; Netmiko's cisco pager pattern), SMIS's ANSI reset, CRs.
_PIECES = ("Switch#", "Switch#show interfaces", "Switch#sh etherch sum", "sh int", "", "   ",
           "user@ex> ", "{master:0}", "Port-channel1 is up, line protocol is up (connected)",
           "  MTU 9198 bytes, BW 20000000 Kbit/sec, DLY 10 usec,", "  Hardware is EtherChannel",
           " --More-- " + "\x08" * 10 + " " * 10 + "\x08" * 10 + "Gi1/0/1", "---(more 45%)---",
           "\x1b[27m", "descr -- with dashes", "\tTabbed", "% Invalid input detected")


def test_clean_output_is_unchanged_on_real_captures() -> None:
    assert _CAPTURES, f"no captures under {FIXTURES} or {SAVED}"
    for path in _CAPTURES:
        raw = path.read_text(encoding="utf-8", errors="replace")
        for command in ("", "show interfaces", "show etherchannel summary"):
            assert _common.clean_output(raw, command) == _old_clean_output(raw, command), path


def test_clean_output_is_unchanged_on_mixtures_of_prompts_pagers_and_line_ends() -> None:
    rnd = random.Random(15)
    for _ in range(5000):
        sep = rnd.choice(("\n", "\r\n", "\r", "\r\r\n"))
        raw = sep.join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, 8)))
        for command in ("", "show interfaces", "show etherchannel summary"):
            assert _common.clean_output(raw, command) == _old_clean_output(raw, command), raw


def _fsm_result(template: str, text: str) -> tuple[str, object]:
    """Rows, or the line a template's ``Error`` rule refused (its rule line number aside)."""
    fsm = textfsm.TextFSM(io.StringIO(template))
    try:
        return "rows", fsm.ParseText(text)
    except textfsm.TextFSMError as exc:
        return "error", str(exc).partition("Input Line:")[2]


def _inputs(platform: str) -> list[str]:
    """Every ``show interfaces`` capture of ``platform``; their lines with each indented one
    re-led by every letter and digit, and led by each word the rules read (the lines the skip
    rule must tell apart)."""
    found = [*FIXTURES.glob(f"{platform}/show_interfaces/*.txt"),
             *(p / "show_interfaces.txt" for p in SAVED.glob("*/*")
               if (p / "_commands.yaml").is_file() and (p / "show_interfaces.txt").is_file())]
    texts = [_common.clean_output(p.read_text(encoding="utf-8"), "show interfaces")
             for p in found]
    texts = [t for t in texts if re.search(r"^\S+ is .*line protocol", t, re.MULTILINE)]
    lines = [line for t in texts for line in t.split("\n")]
    heads = [line for line in lines if not line[:1].isspace()]
    mixed = []
    for lead in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 \t":
        body = [f"  {lead}{line.strip()[1:]}" if line[:1].isspace() and line.strip() else line
                for line in lines]
        mixed.append("\n".join(heads[:1] + body))
    for word in ("MTU ", "Member 1 : ", "Members in this channel: ", "Description: ",
                 "Hardware is ", "Ethernet MTU ", "IP MTU ", "Member of "):  # the rules' words
        body = [f"  {word}{line.strip()}" if line[:1].isspace() and line.strip() else line
                for line in lines]
        mixed.append("\n".join(heads[:1] + body))
    return texts + mixed


@pytest.mark.parametrize("platform", ["cisco_ios", "arista_eos"])
def test_show_interfaces_skip_rule_changes_no_row_and_no_refusal(platform: str) -> None:
    shipped = project_template(platform, "show_interfaces.textfsm").read_text(encoding="utf-8")
    skip = re.compile(r"^  \^\\s\+\[\^\\s[A-Z]+\]\n", re.MULTILINE)
    assert len(skip.findall(shipped)) == 1, "the skip rule is the first rule of Start"
    without = skip.sub("", shipped)
    texts = _inputs(platform)
    assert len(texts) > 60
    outcomes = set()
    for text in texts:
        got = _fsm_result(shipped, text)
        assert got == _fsm_result(without, text)
        outcomes.add(got[0])
    assert outcomes == {"rows", "error"}  # both paths of the templates were compared


def _filtered_result(path_text: str, text: str) -> tuple[str, object]:
    """:func:`_fsm_result` through lagprov's extract step (the passed-over lines dropped)."""
    fsm = _extract._Fsm(path_text, "the shipped template")  # the shipped class, as built
    assert fsm.skip is not None
    try:
        return "rows", [list(r.values()) for r in fsm.rows(text)]
    except textfsm.TextFSMError as exc:
        return "error", str(exc).partition("Input Line:")[2]


@pytest.mark.parametrize("platform", ["cisco_ios", "arista_eos"])
def test_lines_dropped_before_textfsm_change_no_row_and_no_refusal(platform: str) -> None:
    """The extract step drops the lines a template's first rule passes over before TextFSM
    sees them: the same rows and the same refused line as TextFSM given every line."""
    shipped = project_template(platform, "show_interfaces.textfsm").read_text(encoding="utf-8")
    outcomes = set()
    for text in _inputs(platform):
        full = _fsm_result(shipped, text)
        assert _filtered_result(shipped, text) == full
        outcomes.add(full[0])
    assert outcomes == {"rows", "error"}


_HEAD = "Value A (\\S+)\n\nStart\n"


@pytest.mark.parametrize(("first", "reads"), [
    ("  ^\\s+\\d", True),                      # no value, no action: passed over
    ("  ^\\s+\\d -> Next", True),
    ("  ^\\s+${A}", False),                    # captures a value
    ("  ^\\s+\\d -> Record", False),           # records
    ("  ^\\s+\\d -> Continue", False),         # later rules still see the line
    ("  ^\\s+(\\d)", False),                   # a group: not known to be inert
    ("  ^\\s+\\d -> End", False),              # changes state (to End)
    ("  ^\\s+\\d\n  ^go -> Other\n\nOther\n  ^x -> Start", False),  # Other never reads it
])
def test_only_an_inert_first_rule_of_a_one_state_template_drops_lines(first: str,
                                                                     reads: bool) -> None:
    fsm = textfsm.TextFSM(io.StringIO(f"{_HEAD}{first}\n  ^${{A}} -> Record\n"))
    assert (_extract.passed_over(fsm) is not None) is reads


_CLI_ERROR_FORMS = ("% Invalid input detected at '^' marker.", "%Invalid command at '^'",
                    "% Incomplete command.", '% Ambiguous command:  "sh e"',
                    "syntax error, expecting <command>.", "unknown command.",
                    "% This is an unconverted command")


def _spellings(form: str) -> list[str]:
    """``form`` as typed, in other cases, and with the letters re.IGNORECASE also matches
    outside ASCII (long s for s, the Kelvin sign for k)."""
    return [form, form.upper(), form.swapcase(), form.replace("s", "\u017f"),
            form.upper().replace("K", "\u212a"), form.replace("%", "").strip()]


def test_the_cli_error_hint_passes_over_no_output_the_full_scan_refuses() -> None:
    """``reject_cli_error`` runs its case-blind scan only on an output holding a hint ('%',
    or the words of a '%'-less form); it refuses exactly what the scan alone refuses."""
    outcomes = set()
    for form in _CLI_ERROR_FORMS:
        for spelled in _spellings(form):
            for text in (f"Switch#show x\n   {spelled}\n\nSwitch#", f"{spelled}", f"a {spelled}",
                         f"Port  Name\nGi1/0/1  {spelled}\n"):
                scan = _common._CLI_ERRORS.search(text) is not None
                try:
                    _common.reject_cli_error("cisco_ios", "show x", text)
                    refused = False
                except ParseError:
                    refused = True
                assert refused is scan, text
                outcomes.add(refused)
    assert outcomes == {True, False}
