"""Observation: what to read from each switch and host (the collection plan), and the parsers
that turn raw outputs into :class:`~lagprov.model.state.DeviceLagState` / ``HostTeamState``."""

from __future__ import annotations

from lagprov.observe.collect import (
    CollectionPlan,
    DeviceCapture,
    HostJob,
    SwitchJob,
    collection_plan,
    parse_host,
    parse_switch,
)
from lagprov.observe.parsers import command_slug, parse_command, parse_device

__all__ = [
    "CollectionPlan",
    "DeviceCapture",
    "HostJob",
    "SwitchJob",
    "collection_plan",
    "command_slug",
    "parse_command",
    "parse_device",
    "parse_host",
    "parse_switch",
]
