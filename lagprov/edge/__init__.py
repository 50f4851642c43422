"""The edge: the only code that talks to devices (NAPALM / Netmiko sessions, Nornir glue,
credentials from the environment, per-device locks)."""

from __future__ import annotations

from lagprov.edge.locks import device_lock
from lagprov.edge.nornir_glue import (
    ENV_PASSWORD,
    ENV_SECRET,
    ENV_USER,
    Credentials,
    TransportChoice,
    init_nornir,
    open_session,
)
from lagprov.edge.sessions import NapalmSession, NetmikoSession, wrap_errors

__all__ = [
    "ENV_PASSWORD",
    "ENV_SECRET",
    "ENV_USER",
    "Credentials",
    "NapalmSession",
    "NetmikoSession",
    "TransportChoice",
    "device_lock",
    "init_nornir",
    "open_session",
    "wrap_errors",
]
