"""Guards against text that could inject CLI lines or break quoting on any platform."""

from __future__ import annotations

import re

# Printable ASCII minus the characters that end a line, start CLI help (IOS '?'),
# break Junos quoting ('"', '\\') or open a Junos/EOS comment/pipe inside a value.
_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f"\\?|;{}]|[^\x20-\x7e]')
MAX_TEXT = 200


def check_cli_text(value: str) -> str:
    """Return ``value`` if it is safe to place in a CLI line on every platform.

    Raises:
        ValueError: naming the offending character, for newlines, control characters,
            quotes, ``?``, ``|``, ``;``, braces or non-ASCII text.
    """
    if len(value) > MAX_TEXT:
        raise ValueError(f"longer than {MAX_TEXT} characters")
    bad = _FORBIDDEN.search(value)
    if bad:
        raise ValueError(
            f"contains {bad.group()!r} at position {bad.start()}: newlines, control "
            "characters, quotes, backslashes, '?', '|', ';' and braces could inject or break "
            "CLI lines"
        )
    return value
