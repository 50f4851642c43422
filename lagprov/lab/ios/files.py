"""The flash file system of a lab IOS switch: what ``dir``, ``verify /md5``, ``more`` print."""

from __future__ import annotations

import hashlib
from pathlib import Path

FLASH_TOTAL = 122185728
_FS = ("flash:", "bootflash:")


def flash_name(path: str) -> str | None:
    """``flash:/x`` or ``flash:x`` -> ``x``; None for another file system."""
    for fs in _FS:
        if path.startswith(fs):
            return path[len(fs):].lstrip("/")
    return None


def _entry(index: int, path: Path) -> str:
    size = path.stat().st_size
    return f"{index:>5}  -rw-  {size:>10}  Mar 1 1993 00:03:27 +00:00  {path.name}\n"


def _free(root: Path) -> str:
    used = sum(p.stat().st_size for p in root.iterdir() if p.is_file())
    return f"\n{FLASH_TOTAL} bytes total ({FLASH_TOTAL - used} bytes free)\n"


def error_opening(path: str) -> str:
    """IOS's answer for a missing file."""
    return f"%Error opening {path} (No such file or directory)\n"


def dir_listing(root: Path, arg: str) -> str:
    """``dir``, ``dir flash:``, ``dir flash:/name``."""
    name = flash_name(arg or "flash:")
    if name is None:
        return error_opening(arg)
    if name == "":
        files = sorted(p for p in root.iterdir() if p.is_file())
        body = "".join(_entry(i + 2, p) for i, p in enumerate(files))
        return f"Directory of flash:/\n\n{body}{_free(root)}"
    target = root / name
    if not target.is_file():
        return error_opening(arg)
    return f"Directory of flash:/{name}\n\n{_entry(2, target)}{_free(root)}"


def verify_md5(root: Path, arg: str) -> str:
    """``verify /md5 flash:/name``: ``= <md5>`` of the exact bytes."""
    name = flash_name(arg)
    if name is None or not (root / name).is_file():
        return error_opening(arg)
    digest = hashlib.md5((root / name).read_bytes()).hexdigest()  # noqa: S324 - IOS's own
    return f".....Done!\nverify /md5 ({arg}) = {digest}\n"


def read_text(root: Path, arg: str) -> str | None:
    """The text of ``flash:/name``, or None if there is no such file."""
    name = flash_name(arg)
    if name is None or not name or not (root / name).is_file():
        return None
    return (root / name).read_text(encoding="utf-8", errors="replace")


def write_text(root: Path, arg: str, text: str) -> str:
    """Write ``flash:/name``; the ``N bytes copied`` line, or the error text."""
    name = flash_name(arg)
    if name is None or not name or "/" in name:
        return f"%Error opening {arg} (Permission denied)\n"
    (root / name).write_text(text, encoding="utf-8")
    size = len(text.encode())
    return f"{size} bytes copied in 0.052 secs ({size * 19} bytes/sec)\n"
