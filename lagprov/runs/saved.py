"""Saved outputs and host report files: what ``verify --save`` writes and ``--from`` /
``--reports`` read.

Saved-output layout (``--save DIR`` writes it, ``--from DIR`` reads it)::

    DIR/<device>/<output_filename(command)>     raw output, as received
    DIR/<device>/_commands.yaml                 {file name: command} index

Host report layout (``--reports DIR``, written on the hosts): ``DIR/<host>/<file>`` with the
file names of :data:`lagprov.observe.host_commands.REPORT_FILES`.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path

import yaml

from lagprov.errors import InputError, ParseError
from lagprov.model.state import DeviceLagState
from lagprov.model.types import Platform
from lagprov.observe.collect import DeviceCapture, HostJob, device_error, output_filename
from lagprov.observe.parsers import clean_output, parse_command
from lagprov.report import DeviceError, Observation

INDEX_FILE = "_commands.yaml"
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
REPORT_SOURCES = ("report file", "posted report")
"""How an observation read from report files is named (a file folder, or posted)."""


def saved_text(path: Path) -> str:
    """A saved output or report file as text; InputError naming it when it is not UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text (byte {exc.object[exc.start]:#04x} at "
                         f"offset {exc.start}): not an output lagprov saved") from None


def read_saved(folder: Path, device: str, commands: Collection[str],
               platform: Platform | None = None, *,
               parsed: dict[str, DeviceLagState] | None = None) -> DeviceCapture:
    """Outputs of ``device`` saved under ``folder``; a missing file is simply absent.

    The index (``_commands.yaml``) maps file names to commands; without it, a command's file
    is found by :func:`output_filename`.  With the switch's ``platform``, every file is
    checked as it is read (:func:`_check_saved`): a file that does not parse makes the
    capture's parse error, naming the file and the line.  What that check parsed is put in
    ``parsed`` (command -> state) when given, so that it is not parsed twice.
    """
    base = folder / device
    by_command: dict[str, str] = {}
    index = base / INDEX_FILE
    if index.is_file():
        # libyaml's safe loader where built (same YAML, ~10x faster: one index per device)
        try:
            loaded = yaml.load(saved_text(index), Loader=_SAFE_LOADER) or {}  # noqa: S506
        except yaml.YAMLError as exc:
            raise InputError(str(index), f"not a lagprov index ({type(exc).__name__})") from None
        if isinstance(loaded, dict):
            by_command = {str(cmd): str(name) for name, cmd in loaded.items()}
    outputs = {}
    for command in commands:
        path = base / by_command.get(command, output_filename(command))
        if path.is_file():
            outputs[command] = saved_text(path)
            if platform is not None:
                outputs[command], error, state = _check_saved(platform, device, command, path,
                                                              outputs[command])
                if state is not None and parsed is not None:
                    parsed[command] = state
                if error is not None:
                    return DeviceCapture(device=device, outputs=outputs, error=error)
    return DeviceCapture(device=device, outputs=outputs)


def _check_saved(platform: Platform, device: str, command: str, path: Path,
                 text: str) -> tuple[str, DeviceError | None, DeviceLagState | None]:
    """A hand-saved output as the parsers read it (echoed command, prompts, paging, CRLF
    stripped; only those: "" when nothing else is there), its parse error naming ``path``, and
    its state when it parses."""
    if not clean_output(text, command).strip():
        return "", None, None
    try:
        state = parse_command(platform, command, text, device=device)
    except ParseError as exc:
        named = ParseError(str(platform), command, text, f"{path}: {exc.reason}")
        return text, device_error(device, "parse", named), None
    return text, None, state


def write_saved(folder: Path, capture: DeviceCapture) -> None:
    """Write every raw output of ``capture`` and merge the index (earlier entries kept)."""
    if not capture.outputs:
        return
    base = folder / capture.device
    base.mkdir(parents=True, exist_ok=True)
    index_path = base / INDEX_FILE
    index: dict[str, str] = {}
    if index_path.is_file():
        loaded = yaml.safe_load(index_path.read_text(encoding="utf-8")) or {}
        index = {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}
    for command, raw in capture.outputs.items():
        name = output_filename(command)
        (base / name).write_text(raw, encoding="utf-8")
        index[name] = command
    index_path.write_text(yaml.safe_dump(index, sort_keys=True), encoding="utf-8")


POSTED_MARK = "_posted.txt"
"""Written by the HTTP handshake at the top of the folder it puts posted reports in: the ISO
8601 time they were received.  Reports under such a folder are "posted report", else "report
file <dir>"."""


def read_reports(folder: Path, job: HostJob) -> DeviceCapture:
    """A host's own report files under ``folder/<host>/`` (as ``command -> text``)."""
    outputs = {}
    for command, filename in job.reports:
        path = folder / job.device / filename
        if path.is_file():
            outputs[command] = saved_text(path)
    return DeviceCapture(device=job.device, outputs=outputs)


def report_origin(folder: Path, job: HostJob) -> Observation:
    """Where ``job``'s report files under ``folder`` came from, and their age (newest file)."""
    mark = folder / POSTED_MARK
    files = [folder / job.device / f for _, f in job.reports]
    times = [p.stat().st_mtime for p in files if p.is_file()]
    age = int(max(0.0, time.time() - max(times))) if times else None
    if mark.is_file():
        try:
            got = datetime.fromisoformat(mark.read_text(encoding="utf-8").strip())
            age = max(0, int((datetime.now(UTC) - got).total_seconds()))
        except ValueError:
            pass
        return Observation(source=REPORT_SOURCES[1], age_seconds=age,
                           declared_unobservable=not job.observable)
    return Observation(source=f"{REPORT_SOURCES[0]} {folder / job.device}", age_seconds=age,
                       declared_unobservable=not job.observable)
