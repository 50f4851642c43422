"""Inventory files read as they are: a regular file inside the inventory folder, parsed as
strict YAML (:mod:`lagprov.intent.yaml_strict`), with no credentials in it.

A directory, a FIFO or device (reading it could block), a symlink loop, or a symlink that leads
outside the folder is refused before the file is opened; so is every ``password`` / ``secret``
key, whatever its value: lagprov reads credentials from the environment only, and never
ignores one silently.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import yaml

from lagprov.errors import InputError
from lagprov.intent.yaml_strict import load_strict

ENV_NAMES = "LAGPROV_USERNAME, LAGPROV_PASSWORD and LAGPROV_SECRET"


def load_yaml(path: Path) -> Any:
    """Parse one YAML file strictly (:mod:`lagprov.intent.yaml_strict`): a syntax error, a key
    given twice or a YAML 1.1 surprise (``010``, ``1:20``, ``yes``) is an :class:`InputError`
    with line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(str(path), "not UTF-8 text") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from None
    try:
        return load_strict(text, str(path))
    except RecursionError:
        raise InputError(str(path), "nested too deeply to be an inventory") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(where, f"malformed YAML: {problem}") from None


def inventory_file(root: Path, name: str) -> Path | None:
    """``root/name`` if it is a regular file inside ``root``; None if it does not exist.

    A directory, a FIFO or device (reading it could block), a symlink loop, or a symlink that
    points outside the inventory folder is refused: the inventory is what the folder holds.
    """
    path = root / name
    if not path.is_symlink() and not path.exists():
        return None
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise InputError(str(path), "a broken symlink or a symlink loop") from None
    if not real.is_relative_to(root.resolve()):  # the file, or a folder on its way, links out
        raise InputError(str(path), f"a symlink to {real}, outside the inventory folder; "
                                    "copy the file into the folder instead")
    if not stat.S_ISREG(real.stat().st_mode):
        kind = "a directory" if real.is_dir() else "not a regular file (a FIFO or device?)"
        raise InputError(str(path), f"is {kind}; expected a YAML file")
    return path


_CREDENTIAL_KEYS = frozenset({"password", "secret", "enable_password", "passphrase"})


def without_credentials(doc: Any, where: str, found: list[str]) -> Any:
    """``doc`` without its credential keys (whatever their value, even empty); the field path
    of each one removed is appended to ``found`` (each is an error: nothing is ignored)."""
    if isinstance(doc, dict):
        kept: dict[Any, Any] = {}
        for key, value in doc.items():
            path = f"{where}.{key}" if where else str(key)
            if str(key).lower() in _CREDENTIAL_KEYS:
                found.append(path)
                continue
            kept[key] = without_credentials(value, path, found)
        return kept
    if isinstance(doc, list):
        return [without_credentials(v, f"{where}[{i}]", found) for i, v in enumerate(doc)]
    return doc
