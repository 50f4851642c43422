"""The real Linux tools that read each rendered host format, run on temporary files.

Each checker returns the problems the tool reports (empty: accepted) or calls pytest.skip
with the reason when the tool is missing (``make system-deps`` installs them where apt-get
and root are available).  Nothing touches the machine's own configuration: netplan writes
under --root-dir; systemd-networkd and ifup run in a private mount and network namespace
(``unshare -m -n``) with tmpfs over their configuration and state folders.

Not checked by a real tool: ``nmcli`` commands (NetworkManager 1.42 in Debian 12 has no
``--offline`` mode and no daemon runs here), Windows PowerShell, esxcli, storage text.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

NETWORKD = next((p for p in ("/lib/systemd/systemd-networkd", "/usr/lib/systemd/systemd-networkd")
                 if Path(p).exists()), None)
SYSTEM_PYTHON = "/usr/bin/python3"
_HINT = "(make system-deps installs it as root where apt-get exists)"


def write_files(files: tuple[tuple[str, str], ...], root: Path, default: str) -> list[Path]:
    out = []
    for path, text in files:
        p = root / (path.lstrip("/") or default)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        p.chmod(0o600)
        out.append(p)
    return out


def _need(tool: str | None, package: str) -> str:
    if tool is None or (not Path(tool).exists() and shutil.which(tool) is None):
        pytest.skip(f"{tool or package} not installed (Debian package {package}) {_HINT}")
    return tool


def _unshare(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    _need("unshare", "util-linux")
    probe = subprocess.run(["unshare", "-m", "-n", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot create a private mount/network namespace: {probe.stderr.strip()}")
    return subprocess.run(["unshare", "-m", "-n", "sh", "-c", script, "sh", *args],
                          capture_output=True, text=True, timeout=60)


def netplan_generate(text: str, root: Path) -> list[str]:
    """``netplan generate --root-dir``: problems, else [] (and the networkd files exist)."""
    tool = _need(shutil.which("netplan"), "netplan.io")
    write_files((("/etc/netplan/60-lagprov.yaml", text),), root, "")
    done = subprocess.run([tool, "generate", "--root-dir", str(root)], capture_output=True,
                          text=True, timeout=60)
    problems = [ln for ln in done.stderr.splitlines() if ln.strip()]
    if done.returncode != 0:
        problems.append(f"netplan generate exited {done.returncode}")
    return problems


_NETWORKD_SCRIPT = r"""
set -e
mkdir -p /etc/systemd/network /run/systemd
mount -t tmpfs tmpfs /etc/systemd/network
mount -t tmpfs tmpfs /run/systemd
mkdir -p /run/systemd/network
cp "$1"/* /etc/systemd/network/
SYSTEMD_LOG_TARGET=console SYSTEMD_LOG_LEVEL=debug timeout 3 "$2" 2>&1 || true
"""


def networkd_parse(files: tuple[tuple[str, str], ...], folder: Path) -> tuple[list[str], str]:
    """systemd-networkd's own parser over the units: (problems, its log).

    networkd reads every .netdev/.network at start and logs each key it cannot use as
    ``<file>:<line>: ...``; in the private namespace it then stops (``timeout``) without
    having touched a real interface.
    """
    tool = _need(NETWORKD, "systemd")
    folder.mkdir(parents=True, exist_ok=True)
    for path, text in files:
        (folder / Path(path).name).write_text(text, encoding="utf-8")
    log = _unshare(_NETWORKD_SCRIPT, str(folder), tool).stdout
    problems = [ln for ln in log.splitlines()
                if re.match(r"^/etc/systemd/network/[^:]+:\d+: ", ln)
                or "Failed to load" in ln or ("ignoring" in ln and ".net" in ln)]
    return problems, log


def nm_keyfile_read(files: tuple[tuple[str, str], ...], root: Path) -> list[dict[str, object]]:
    """libnm's keyfile parser (nm_keyfile_read + nm_connection_verify) over each file."""
    _need(SYSTEM_PYTHON, "python3")
    paths = write_files(files, root, "x.nmconnection")
    checker = Path(__file__).with_name("nm_keyfile_check.py")
    done = subprocess.run([SYSTEM_PYTHON, str(checker), *map(str, paths)], capture_output=True,
                          text=True, timeout=60)
    if done.returncode == 3:
        pytest.skip(f"{done.stdout.strip()} (Debian packages python3-gi gir1.2-nm-1.0) {_HINT}")
    if done.returncode != 0:
        pytest.fail(f"nm_keyfile_check failed: {done.stderr}")
    result: list[dict[str, object]] = json.loads(done.stdout)
    return result


_IFUP_SCRIPT = r"""
mkdir -p /run/network
mount -t tmpfs tmpfs /run/network
ifup -a -i "$1" --syntax-check
"""


def ifupdown2_syntax(text: str, folder: Path) -> list[str]:
    """``ifup -a -i FILE --syntax-check`` (ifupdown2's interfaces parser and addon
    validation): its warnings and errors."""
    tool = _need(shutil.which("ifup"), "ifupdown2")
    usage = subprocess.run([tool, "--help"], capture_output=True, text=True, timeout=60)
    if "--syntax-check" not in usage.stdout:
        pytest.skip(f"{tool} is not ifupdown2's (no --syntax-check) {_HINT}")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "interfaces"
    path.write_text(text, encoding="utf-8")
    done = _unshare(_IFUP_SCRIPT, str(path))
    problems = [ln for ln in (done.stdout + done.stderr).splitlines() if ln.strip()]
    if done.returncode != 0:
        problems.append(f"ifup --syntax-check exited {done.returncode}")
    return problems


__all__ = ["ifupdown2_syntax", "netplan_generate", "networkd_parse", "nm_keyfile_read",
           "write_files"]
