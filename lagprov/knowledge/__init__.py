"""What is true of vendors and hosts, as data: team-mode compatibility, MTU semantics,
platform specs and hardware models, bundle limits, the template store."""

from __future__ import annotations

from lagprov.knowledge.compat import (
    TEAM_MODES,
    Pairing,
    TeamMode,
    canonical_team,
    pair_outcome,
    switch_bundling,
)
from lagprov.knowledge.mtu import HOST_MTU, SWITCH_MTU, host_ip_mtu, switch_ip_mtu
from lagprov.knowledge.platforms import (
    HARDWARE,
    PLATFORMS,
    HardwareModel,
    PlatformSpec,
    StateQuery,
    canonical_port,
    get_spec,
    parse_platform,
)
from lagprov.knowledge.templates import TemplateStore

__all__ = [
    "HARDWARE",
    "HOST_MTU",
    "PLATFORMS",
    "SWITCH_MTU",
    "TEAM_MODES",
    "HardwareModel",
    "Pairing",
    "PlatformSpec",
    "StateQuery",
    "TeamMode",
    "TemplateStore",
    "canonical_port",
    "canonical_team",
    "get_spec",
    "host_ip_mtu",
    "pair_outcome",
    "parse_platform",
    "switch_bundling",
    "switch_ip_mtu",
]
