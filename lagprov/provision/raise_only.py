"""Global settings a change only ever raises: Catalyst ``system mtu`` / ``system mtu jumbo``,
Junos ``device-count`` (issue 8 item 1).

A global line is named by its *key*, the line without its number (``system mtu jumbo 9000`` ->
``system mtu jumbo``); which keys only rise is platform data (``PlatformSpec.raise_only``).
:func:`keep_raised` puts each such line of a candidate at the larger of the running and the
intended value, and says so; :func:`raise_only_notes` tells whoever pastes ``render`` output
by hand that a line only raises.  Works on indented configs and Junos ``set`` lines alike.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

__all__ = ["global_key", "keep_raised", "raise_only_notes", "running_value"]


def global_key(line: str) -> str:
    """``system mtu jumbo 9000`` -> ``system mtu jumbo``: a global setting without its value."""
    words = line.split()
    return " ".join(words[:-1]) if len(words) > 1 else line


def _value(line: str) -> int | None:
    last = line.split()[-1] if line.split() else ""
    return int(last) if last.isdigit() else None


def running_value(running: str, key: str) -> int | None:
    """The number a top-level ``key N`` line of ``running`` sets, or None if there is none."""
    for raw in running.replace("\r", "").splitlines():
        if raw[:1].isspace():
            continue
        line = raw.strip()
        if global_key(line) == key:
            return _value(line)
    return None


def keep_raised(candidate: Sequence[str], running: str, keys: Collection[str], *,
                device: str) -> tuple[list[str], list[str]]:
    """``candidate`` with every raise-only global at max(running, intended), and one note per
    line the running value wins (the plan then leaves that line as it is)."""
    out: list[str] = []
    notes: list[str] = []
    for line in candidate:
        key = global_key(line.strip())
        want = _value(line) if key in keys and not line[:1].isspace() else None
        have = running_value(running, key) if want is not None else None
        if want is not None and have is not None and have > want:
            kept = f"{key} {have}"
            notes.append(f"{device}: keeps '{kept}' (the intent asks '{line.strip()}'): "
                         "lagprov never lowers a global setting; the larger value stays")
            out.append(kept)
        else:
            out.append(line)
    return out, notes


def raise_only_notes(lines: Iterable[str], keys: Collection[str], *, device: str) -> list[str]:
    """For hand-pasted ``render`` output: which global lines only raise a value."""
    return [f"{device}: only raises: '{line.strip()}' - if the switch already runs a larger "
            f"'{global_key(line.strip())}', leave this line out (never lower a global setting)"
            for line in lines
            if not line[:1].isspace() and global_key(line.strip()) in keys
            and _value(line) is not None]
