"""Nornir at the edge: inventory, credentials from the environment, connections.

The only module (with ``lagprov.runs.provision_tasks``) that imports Nornir.  Credentials come from
``LAGPROV_USERNAME``, ``LAGPROV_PASSWORD`` and ``LAGPROV_SECRET``, never from files, and are
never echoed.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.configuration import Config
from nornir.core.inventory import ConnectionOptions, Host, Hosts

from lagprov.edge.bounds import (
    DEFAULT_BACKOFF_S,
    DEFAULT_DEADLINE_S,
    DEFAULT_RETRIES,
    ENV_BACKOFF,
    ENV_DEADLINE,
    ENV_RETRIES,
    connect_retrying,
    env_number,
    within,
)
from lagprov.edge.sessions import NapalmSession, NetmikoSession, wrap_errors
from lagprov.errors import ConfigError
from lagprov.knowledge.platforms import get_spec, parse_platform
from lagprov.model.inventory import Inventory
from lagprov.model.session import Session
from lagprov.model.types import Platform

ENV_USER, ENV_PASSWORD, ENV_SECRET = "LAGPROV_USERNAME", "LAGPROV_PASSWORD", "LAGPROV_SECRET"


@dataclass(frozen=True, slots=True)
class Credentials:
    """Login credentials; ``repr`` never shows the secrets."""

    username: str
    password: str
    secret: str

    def __repr__(self) -> str:
        return f"Credentials(username={self.username!r}, password=***, secret=***)"

    @classmethod
    def from_env(cls) -> Credentials:
        """Read them from the environment or raise ConfigError naming the variables."""
        user, pw = os.environ.get(ENV_USER), os.environ.get(ENV_PASSWORD)
        if not user or not pw:
            raise ConfigError(
                f"set {ENV_USER} and {ENV_PASSWORD} (and {ENV_SECRET} for enable) in the "
                "environment; lagprov never reads credentials from files "
                "(the built-in lab uses lab / lab-password / lab-secret)"
            )
        return cls(user, pw, os.environ.get(ENV_SECRET, pw))


def _deadline() -> float:
    return env_number(ENV_DEADLINE, DEFAULT_DEADLINE_S, minimum=0.1)


def _retries() -> int:
    return int(env_number(ENV_RETRIES, DEFAULT_RETRIES, minimum=0))


def _backoff() -> float:
    return env_number(ENV_BACKOFF, DEFAULT_BACKOFF_S, minimum=0)


@dataclass(frozen=True, slots=True)
class TransportChoice:
    """How to talk to devices in one run.

    ``timeout_s`` bounds each library call; ``deadline_s`` bounds one device as a whole (a
    read of it in verify/audit, opening its session in plan/apply: a push under way is never
    cut); ``connect_retries`` transient connect failures are retried, ``backoff_s`` apart
    (doubling).  Defaults: :mod:`lagprov.edge.bounds`.  ``prompt_reads`` (read-only runs:
    verify, audit) opens Netmiko sessions that wait for the prompt instead of probing it with
    blank lines (:mod:`lagprov.edge.netmiko_fast`); never set for a push.
    """

    netmiko_everywhere: bool = False
    fast_smis: bool = True
    prompt_reads: bool = False
    timeout_s: int = 30
    deadline_s: float = field(default_factory=_deadline)
    connect_retries: int = field(default_factory=_retries)
    backoff_s: float = field(default_factory=_backoff)


def init_nornir(inv: Inventory, *, devices: Collection[str], workers: int,
                creds: Credentials, choice: TransportChoice) -> Nornir:
    """A Nornir object over the inventory folder, filtered to ``devices``."""
    root = Path(inv.root)
    nr = InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": max(1, workers)}},
        # The plugin the inventory was loaded with (lagprov.yaml / --inventory-plugin),
        # else SimpleInventory over the folder's own files.
        inventory={
            "plugin": inv.inventory_plugin,
            "options": dict(inv.inventory_options) or {
                "host_file": str(root / "hosts.yaml"),
                "group_file": str(root / "groups.yaml"),
                "defaults_file": str(root / "defaults.yaml"),
            },
        },
        logging={"enabled": False},
    )
    nr = nr.filter(filter_func=lambda h: h.name in devices)
    # the threaded runner starts hosts in the inventory's order: make it ``devices``' order
    # (callers put the slowest first, so that the last wave is not the longest one)
    hosts = nr.inventory.hosts
    nr.inventory.hosts = Hosts({n: hosts[n] for n in dict.fromkeys(devices) if n in hosts})
    for host in nr.inventory.hosts.values():
        _prepare_host(host, creds, choice)
    return nr


def slowest_first(inv: Inventory, devices: Collection[str], choice: TransportChoice
                  ) -> list[str]:
    """``devices`` in the order a fan-out should start them: those driven line by line over
    Netmiko (no NAPALM driver, or ``--netmiko`` everywhere) before the others, and more trunk
    ends before fewer; otherwise as given.  Starting the longest jobs first keeps a slow
    device from starting in the last wave (issue 15: the 12 Supermicro switches of the bench
    fleet were last in the inventory and took the last 7 s of a 20-worker apply alone)."""
    ends: dict[str, int] = {}
    for trunk in inv.trunks:
        for end in trunk.switch_ends:
            ends[end.device] = ends.get(end.device, 0) + 1

    platforms = {sw.name: sw.platform for sw in inv.switches}

    def cost(name: str) -> tuple[bool, int]:
        platform = platforms.get(name)
        if platform is None:
            return (False, 0)
        by_line = choice.netmiko_everywhere or not get_spec(platform).napalm_driver
        return (by_line, ends.get(name, 0))

    return sorted(devices, key=cost, reverse=True)


def _prepare_host(host: Host, creds: Credentials, choice: TransportChoice) -> None:
    host.username, host.password = creds.username, creds.password
    spec = get_spec(get_platform(host))
    napalm_opts = host.connection_options.get("napalm") or ConnectionOptions()
    extras = dict(napalm_opts.extras or {})
    optional = dict(extras.get("optional_args") or {})
    optional.setdefault("secret", creds.secret)
    optional.setdefault("dest_file_system", "flash:")
    if spec.napalm_driver == "ios":
        optional.setdefault("port", host.port)
    extras["optional_args"] = optional
    extras.setdefault("timeout", choice.timeout_s)
    host.connection_options["napalm"] = ConnectionOptions(
        hostname=napalm_opts.hostname, port=napalm_opts.port, platform=spec.napalm_driver,
        extras=extras,
    )
    device_type = spec.netmiko_device_type
    if choice.prompt_reads:
        from lagprov.edge.netmiko_fast import read_device_type

        device_type = read_device_type(device_type)
    elif device_type == "supermicro_smis" and choice.fast_smis:
        from lagprov.edge.smis_driver import FAST_DEVICE_TYPE, register_fast_smis

        register_fast_smis()
        device_type = FAST_DEVICE_TYPE
    # ``fast_cli`` is Netmiko's own default (NAPALM ios opens its sessions so): its probes
    # sleep 0.025 s, not 0.25 s, and each output is still read up to the prompt.  Off, it
    # made half of a Supermicro push's wall time (12.5 -> 6.0 s for two switches, issue 15).
    host.connection_options["netmiko"] = ConnectionOptions(
        platform=device_type,
        extras={"secret": creds.secret, "timeout": choice.timeout_s,
                "auth_timeout": choice.timeout_s, "fast_cli": True},
    )


def get_platform(host: Host) -> Platform:
    """The lagprov platform of a Nornir host."""
    return parse_platform(str(host.platform))


def open_session(host: Host, nr_config: Config, choice: TransportChoice) -> Session:
    """A :class:`Session` for ``host`` (NAPALM where the platform has a driver), within the
    device deadline, a transient connect failure retried (:mod:`lagprov.edge.bounds`)."""
    return within(choice.deadline_s, lambda: connect_retrying(
        lambda: _open(host, nr_config, choice), retries=choice.connect_retries,
        backoff_s=choice.backoff_s), f"{host.name} connect")


def _open(host: Host, nr_config: Config, choice: TransportChoice) -> Session:
    spec = get_spec(get_platform(host))
    if spec.napalm_driver and not choice.netmiko_everywhere:
        driver = wrap_errors(lambda: host.get_connection("napalm", nr_config),
                             f"{host.name} connect (napalm {spec.napalm_driver})")
        return NapalmSession(driver, host.name, atomic_commit=spec.napalm_driver != "ios")
    conn = wrap_errors(lambda: host.get_connection("netmiko", nr_config),
                       f"{host.name} connect (netmiko)")
    if spec.netmiko_device_type in ("cisco_ios", "arista_eos"):
        wrap_errors(conn.enable, f"{host.name} enable")
    return NetmikoSession(conn, host.name, junos=spec.netmiko_device_type == "juniper_junos",
                          timeout_s=choice.timeout_s)


def close_all(nr: Nornir) -> None:
    """Close every open connection, ignoring the ones that already died.

    Hosts are closed side by side, as many at once as the run had workers: a close talks to
    the device (NAPALM ios restores ``file prompt``, Junos ends its NETCONF session), and one
    after the other they took ~3 s of a 50-switch apply at 20 workers (issue 15).  Each host's
    own connections are still closed in turn, in one thread.
    """
    hosts = [h for h in nr.inventory.hosts.values() if h.connections]
    workers = max(1, min(len(hosts), int(getattr(nr.runner, "num_workers", 1))))
    if workers == 1:
        for host in hosts:
            _close_host(host)
        return
    with ThreadPoolExecutor(workers, thread_name_prefix="lagprov-close") as pool:
        list(pool.map(_close_host, hosts))


def _close_host(host: Host) -> None:
    for name in list(host.connections):
        try:
            host.close_connection(name)
        except Exception:  # noqa: BLE001, S112 - a dead session cannot be closed twice
            continue
