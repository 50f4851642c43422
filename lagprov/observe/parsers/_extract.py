"""Extract step: run TextFSM / TTP templates, each compiled once and cached.

Templates come from ntc-templates (where they are right), from ttp_templates, or from the
project's own ``templates/parsers/<platform>/<command_slug>.textfsm|.ttp``.  Compiled objects are
kept per process; a lock per template makes the stateful TextFSM/TTP objects safe to share
between Nornir worker threads.
"""

from __future__ import annotations

import io
import re
import threading
from functools import cache
from pathlib import Path

import ntc_templates
import textfsm
from ttp import ttp

from lagprov.errors import TemplateError

PROJECT_TEMPLATES = Path(__file__).resolve().parents[3] / "templates" / "parsers"
NTC_TEMPLATES = Path(ntc_templates.__file__).resolve().parent / "templates"

Row = dict[str, str | list[str]]


class _Fsm:
    """A compiled TextFSM template behind a lock, and the lines it passes over unread."""

    def __init__(self, template: str, where: object) -> None:
        try:
            self.fsm = textfsm.TextFSM(io.StringIO(template))
        except textfsm.TextFSMTemplateError as exc:
            raise TemplateError(f"cannot load parser template {where}: {exc}") from exc
        self.lock = threading.Lock()
        self.skip = passed_over(self.fsm)

    def rows(self, raw: str) -> list[Row]:
        if self.skip is not None:  # one regex call per line here, not TextFSM's rule loop
            skip = self.skip.match
            raw = "\n".join(line for line in raw.splitlines() if not skip(line))
        with self.lock:
            self.fsm.Reset()
            header = [h.lower() for h in self.fsm.header]
            result: list[Row] = [dict(zip(header, r, strict=True)) for r in self.fsm.ParseText(raw)]
            self.fsm.Reset()
        return result


def passed_over(fsm: textfsm.TextFSM) -> re.Pattern[str] | None:
    """The regex of lines ``fsm`` reads as nothing at all, or None.

    That is the first rule of a template whose only state is ``Start`` when the rule captures
    no value, records nothing and changes no state (``^\\s+[^\\sDM]`` in IOS ``show interfaces``:
    the counter lines).  Every line reaches that rule first and, matching it, has no effect, so
    dropping such lines before TextFSM gives the same rows and the same errors (an ``Error``
    rule names the input line by its text; :func:`lagprov.observe.parsers._rejected` finds its
    number in the full output).  TextFSM splits with ``str.splitlines``, as :meth:`_Fsm.rows`.
    """
    if set(fsm.states) != {"Start"} or not fsm.states["Start"]:
        return None
    rule = fsm.states["Start"][0]
    pattern: re.Pattern[str] = rule.regex_obj.regex
    if (rule.line_op not in ("", "Next") or rule.record_op not in ("", "NoRecord")
            or rule.new_state or pattern.groups):
        return None
    return pattern


class _Ttp:
    """A TTP parser object built once and re-fed per call."""

    def __init__(self, path: Path) -> None:
        try:
            self.parser = ttp(template=path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise TemplateError(f"cannot load parser template {path}: {exc}") from exc
        self.lock = threading.Lock()

    def groups(self, raw: str, group: str) -> list[dict[str, object]]:
        with self.lock:
            self.parser.clear_input()
            self.parser.add_input(raw)
            self.parser.parse(one=True)
            found = _find_groups(self.parser.result(), group)
            self.parser.clear_result()  # clears the lists result() returned, so copy first
        return found


def _find_groups(result: object, group: str) -> list[dict[str, object]]:
    found: list[object] = []
    stack: list[object] = [result]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict) and group in item:
            value = item[group]
            found.extend(value if isinstance(value, list) else [value])
    return [dict(g) for g in found if isinstance(g, dict)]


@cache
def _fsm(path: Path) -> _Fsm:
    try:
        template = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TemplateError(f"cannot load parser template {path}: {exc}") from exc
    return _Fsm(template, path)


@cache
def _ttp(path: Path) -> _Ttp:
    return _Ttp(path)


def project_template(platform: str, name: str) -> Path:
    """Path of one of the project's own templates."""
    return PROJECT_TEMPLATES / platform / name


def textfsm_rows(path: Path, raw: str) -> list[Row]:
    """Rows of ``raw`` through the TextFSM template at ``path`` (lower-case keys).

    Raises:
        textfsm.TextFSMError: when the template's own ``Error`` rule fires.
    """
    return _fsm(path).rows(raw)


def ntc_rows(template: str, raw: str) -> list[Row]:
    """Rows of ``raw`` through the ntc-templates template ``template`` (file name)."""
    return textfsm_rows(NTC_TEMPLATES / template, raw)


def ttp_groups(path: Path, raw: str, group: str) -> list[dict[str, object]]:
    """Every match of the TTP group ``group`` (a list even when TTP returns one dict)."""
    return _ttp(path).groups(raw, group)
