"""What a platform is: a small frozen spec.  Templates and parsers do the rest."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from lagprov.model.hardware import HardwareModel, MtuScope, PortRange
from lagprov.model.types import Feature, LacpRate, Platform

__all__ = ["HardwareModel", "MinLinksRule", "MtuScope", "PlatformSpec", "PortRange", "StateQuery"]


class StateQuery(StrEnum):
    """The read-backs lagprov collects from every switch."""

    RUNNING_CONFIG = "running_config"
    LAG_SUMMARY = "lag_summary"
    LACP_NEIGHBORS = "lacp_neighbors"
    INTERFACES = "interfaces"
    SYSTEM_MTU = "system_mtu"
    VLANS = "vlans"  # the VLAN table (pre-change check: every VLAN of an end exists)


@dataclass(frozen=True, slots=True)
class MinLinksRule:
    """What a platform accepts for a bundle's minimum-links setting.

    ``low``..``high``: the values the CLI takes (``high`` None: bounded only by the bundle's
    member limit, ``lagprov.knowledge.limits``); ``default``: the value with no statement,
    which lagprov renders as nothing; ``lacp_only``: refused on a static (``on``) bundle.
    """

    low: int
    high: int | None
    default: int
    lacp_only: bool
    source: str

    def problem(self, value: int, *, lacp: bool) -> str | None:
        """Why ``value`` cannot be configured on this platform, or None if it can."""
        if value == self.default:
            return None
        if self.lacp_only and not lacp:
            return (f"min-links {value} needs LACP: a static (mode on) bundle has no "
                    f"min-links ({self.source})")
        if value < self.low or (self.high is not None and value > self.high):
            top = self.high if self.high is not None else "the bundle size"
            return f"min-links {value} is outside {self.low}..{top} ({self.source})"
        return None

    def rendered(self, value: int | None) -> int | None:
        """The value to render; None for no statement: unset, or a default the CLI does not
        take (Cisco refuses ``port-channel min-links 1``: the default is having no line)."""
        if value is None or (value == self.default and value < self.low):
            return None
        return value


@dataclass(frozen=True, slots=True)
class PlatformSpec:
    """Everything lagprov needs to know about a platform, as data.

    The only place that maps names between Netmiko, NAPALM, ntc-templates and hier_config.
    """

    platform: Platform
    title: str
    netmiko_device_type: str
    napalm_driver: str | None
    hier_platform: str
    lag_name_format: str  # "Port-channel{id}"
    interface_pattern: re.Pattern[str]
    interface_example: str
    channel_min: int
    channel_max: int
    features: frozenset[Feature]
    commands: Mapping[StateQuery, str]
    save_command: str
    # A member with no ``mtu`` of its own runs at the bundle's MTU (Junos ae: "It applies to
    # the bundle and members", vendor-cli.md 3.1).  Elsewhere a member's MTU is known only
    # when reported.  A member's own, different ``mtu`` is a mismatch either way.
    members_take_lag_mtu: bool = False
    # minimum-links: range, default, LACP-only (None: the platform has no such setting).
    min_links: MinLinksRule | None = None
    # Global settings a plan only ever raises (``system mtu``): the key is the line without
    # its number, as ``lagprov.provision.raise_only`` compares them.
    raise_only: tuple[str, ...] = ()
    # Switch-wide enables a plan sends but never undoes, with the undo it never sends
    # (SMIS ``set port-channel enable`` -> ``set port-channel disable``, which drops every
    # channel of the switch): removing the last trunk leaves them on.
    switch_wide: Mapping[str, str] = field(default_factory=dict)
    # The LACP rate a bundle runs with no rate statement (Junos EX ``periodic``: fast).
    lacp_default_rate: LacpRate = LacpRate.SLOW

    def min_links_statement(self, value: int | None) -> int | None:
        """The min-links value a template renders for an intent of ``value`` (None: no line)."""
        return self.min_links.rendered(value) if self.min_links is not None else value

    def lag_name(self, channel: int) -> str:
        """Vendor spelling of bundle ``channel``."""
        return self.lag_name_format.format(id=channel)

    def supports(self, feature: Feature, model: HardwareModel | None = None) -> bool:
        """True if the platform, and the hardware model if given, has ``feature``."""
        return feature in self.features and (model is None or feature not in model.lacks)
