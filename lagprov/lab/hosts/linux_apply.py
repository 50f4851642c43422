"""A simulated Linux host takes its bond from configuration files, as a pipeline applies them.

A host pipeline copies the rendered file(s) onto the host (SFTP / SCP into ``/etc``; the lab
roots each Linux host's files in a folder of its own) and runs the distribution's apply command
over SSH.  The lab reads the files those commands read, for what ``lagprov render --host``
writes, and sets the host's one bond: mode, members, LACP rate, MTU; ``/proc/net/bonding`` and
``ip -d link`` then show it (and the LACP engine runs with it):

* ``netplan apply``: ``/etc/netplan/*.yaml`` (files merged in name order, as netplan does);
  ``network.bonds.<name>``: ``interfaces``, ``mtu``, ``parameters.mode`` / ``lacp-rate``;
* ``networkctl reload``: ``/etc/systemd/network/*.netdev`` (``[NetDev] Kind=bond``, ``Name``,
  ``MTUBytes``; ``[Bond] Mode``, ``LACPTransmitRate``) and ``*.network`` (``[Match] Name`` with
  ``[Network] Bond=``);
* ``ifreload -a``: ``/etc/network/interfaces`` and ``interfaces.d/*`` (``iface <bond>`` with
  ``bond-slaves``, ``bond-mode``, ``bond-lacp-rate``, ``mtu``).

Each may be prefixed with ``sudo``.  NetworkManager (keyfiles, ``nmcli``) is not applied here.
A file the lab cannot read, no bond, or more than one bond (the lab host models one) is an
error on stderr with exit status 1, and the host is left as it was.  Any other exec request is
answered by the host's shell (:class:`.shell.LinuxShell`: reads only, shell syntax refused).
"""

from __future__ import annotations

import configparser
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml

from lagprov.lab.hosts.shell import LinuxShell, ShellHost, shell_syntax

ETC_DIRS = ("etc/netplan", "etc/systemd/network", "etc/network/interfaces.d")


class ConfigError(Exception):
    """The files do not give the lab host one bond (the message is the tool's kind of error)."""


@dataclass(frozen=True)
class BondConfig:
    """One bond as the configuration files describe it (mode as written)."""

    name: str
    mode: str
    members: tuple[str, ...]
    lacp_rate: str | None = None
    mtu: int | None = None


class ConfigurableHost(ShellHost, Protocol):
    """A simulated Linux host that takes a bond (``fleet.LabHost``)."""

    def apply_bond(self, bond: BondConfig) -> None:
        """Set the host's bond (ValueError: a mode the host does not know)."""
        ...


def _mtu(value: object, where: str) -> int | None:
    if value is None:
        return None
    if not str(value).isdigit():
        raise ConfigError(f"{where}: invalid MTU {value!r}")
    return int(str(value))


def netplan_bonds(files: Mapping[str, str]) -> list[BondConfig]:
    """The bonds of ``/etc/netplan/*.yaml`` (name -> text), merged in name order."""
    bonds: dict[str, dict[str, Any]] = {}
    for name in sorted(files):
        try:
            doc = yaml.safe_load(files[name]) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{name}: invalid YAML: {exc}") from None
        network = doc.get("network") if isinstance(doc, dict) else None
        if not isinstance(network, dict):
            raise ConfigError(f"{name}: no 'network:' mapping")
        for bond, body in (network.get("bonds") or {}).items():
            if not isinstance(body, dict):
                raise ConfigError(f"{name}: bonds.{bond} is not a mapping")
            merged = bonds.setdefault(str(bond), {})
            params = {**merged.get("parameters", {}), **(body.get("parameters") or {})}
            merged.update(body)
            merged["parameters"] = params
    out = []
    for bond, body in bonds.items():
        members = body.get("interfaces") or []
        mode = body["parameters"].get("mode")
        if not isinstance(members, list) or not mode:
            raise ConfigError(f"bonds.{bond}: needs interfaces and parameters.mode")
        rate = body["parameters"].get("lacp-rate")
        out.append(BondConfig(bond, str(mode), tuple(str(m) for m in members),
                              None if rate is None else str(rate),
                              _mtu(body.get("mtu"), f"bonds.{bond}.mtu")))
    return out


def _ini(name: str, text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    try:
        parser.read_string(text, source=name)
    except configparser.Error as exc:
        raise ConfigError(f"{name}: {exc}") from None
    return parser


def networkd_bonds(files: Mapping[str, str]) -> list[BondConfig]:
    """The bonds of ``/etc/systemd/network`` (``.netdev`` / ``.network`` name -> text)."""
    netdevs: dict[str, configparser.ConfigParser] = {}
    members: dict[str, list[str]] = {}
    for name in sorted(files):
        ini = _ini(name, files[name])
        if name.endswith(".netdev") and ini.get("NetDev", "Kind", fallback="") == "bond":
            netdevs[ini.get("NetDev", "Name", fallback="")] = ini
        elif name.endswith(".network") and ini.has_option("Network", "Bond"):
            members.setdefault(ini.get("Network", "Bond"), []).append(
                ini.get("Match", "Name", fallback=""))
    return [BondConfig(bond, ini.get("Bond", "Mode", fallback="balance-rr"),
                       tuple(members.get(bond, ())),
                       ini.get("Bond", "LACPTransmitRate", fallback=None),
                       _mtu(ini.get("NetDev", "MTUBytes", fallback=None), f"{bond}.netdev"))
            for bond, ini in netdevs.items()]


def ifupdown_bonds(files: Mapping[str, str]) -> list[BondConfig]:
    """The bonds of ``/etc/network/interfaces`` and ``interfaces.d/*``."""
    stanzas: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for name in sorted(files):
        for line in files[name].splitlines():
            words = line.split("#", 1)[0].split(None, 1)
            if not words:
                continue
            if words[0] == "iface":
                current = stanzas.setdefault(words[1].split()[0], {}) if len(words) > 1 else None
            elif words[0] in ("auto", "allow-hotplug", "source", "source-directory"):
                current = None
            elif current is not None:
                current[words[0]] = words[1].strip() if len(words) > 1 else ""
    return [BondConfig(iface, body.get("bond-mode", "balance-rr"),
                       tuple(body.get("bond-slaves", "").split()),
                       body.get("bond-lacp-rate"), _mtu(body.get("mtu"), f"iface {iface}"))
            for iface, body in stanzas.items() if "bond-slaves" in body]


_APPLY: Mapping[tuple[str, ...], tuple[str, tuple[str, ...],
                                       Callable[[Mapping[str, str]], list[BondConfig]]]] = {
    ("netplan", "apply"): ("etc/netplan", ("*.yaml",), netplan_bonds),
    ("networkctl", "reload"): ("etc/systemd/network", ("*.netdev", "*.network"), networkd_bonds),
    ("ifreload", "-a"): ("etc/network", ("interfaces", "interfaces.d/*"), ifupdown_bonds),
}


def _files(root: Path, folder: str, patterns: tuple[str, ...]) -> dict[str, str]:
    base = root / folder
    return {str(p.relative_to(base)): p.read_text(encoding="utf-8", errors="replace")
            for pattern in patterns for p in sorted(base.glob(pattern)) if p.is_file()}


def apply_files(host: ConfigurableHost, command: tuple[str, ...], root: Path) -> BondConfig:
    """Read the files ``command`` reads under ``root`` and give ``host`` their one bond."""
    folder, patterns, read = _APPLY[command]
    bonds = read(_files(root, folder, patterns))
    if len(bonds) != 1:
        raise ConfigError(f"{' '.join(command)}: expected one bond in /{folder}, found "
                          f"{len(bonds)} (the lab host models one bond)")
    bond = bonds[0]
    if not bond.members:
        raise ConfigError(f"{bond.name}: a bond without member interfaces")
    try:
        host.apply_bond(bond)
    except ValueError as exc:
        raise ConfigError(f"{bond.name}: {exc}") from None
    return bond


def linux_exec(host: ConfigurableHost, root: Path, username: str,
               command: str) -> tuple[str, str, int]:
    """Answer one exec request on a Linux host whose ``/etc`` is ``root/etc``."""
    try:
        argv = tuple(shlex.split(command, posix=True))
    except ValueError:
        argv = ()
    words = argv[1:] if argv[:1] == ("sudo",) else argv
    if words in _APPLY and shell_syntax(command) is None:
        host.record(command)
        try:
            bond = apply_files(host, words, root)
        except ConfigError as exc:
            return "", f"{words[0]}: {exc}\n", 1
        return f"{bond.name}: {bond.mode} over {', '.join(bond.members)}\n", "", 0
    shell = LinuxShell(host, username)
    reply = shell.handle(shlex.join(words) if argv[:1] == ("sudo",) else command)
    return reply.output, "", shell.status
