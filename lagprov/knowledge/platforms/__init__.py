"""Platforms as data: a registry of specs, hardware models and interface naming."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from netutils.interface import canonical_interface_name

from lagprov.errors import UnsupportedPlatform
from lagprov.knowledge.platforms.base import (
    HardwareModel,
    MtuScope,
    PlatformSpec,
    PortRange,
    StateQuery,
)
from lagprov.knowledge.platforms.hardware import HARDWARE, catalogued_model, hardware_of
from lagprov.knowledge.platforms.ios_names import ios_spelling
from lagprov.knowledge.platforms.specs import ARISTA_EOS, CISCO_IOS, JUNIPER_JUNOS, SUPERMICRO_SMIS
from lagprov.model.types import Platform

PLATFORMS: Mapping[Platform, PlatformSpec] = MappingProxyType(
    {
        Platform.CISCO_IOS: CISCO_IOS,
        Platform.ARISTA_EOS: ARISTA_EOS,
        Platform.JUNIPER_JUNOS: JUNIPER_JUNOS,
        Platform.SUPERMICRO_SMIS: SUPERMICRO_SMIS,
    }
)

__all__ = [
    "HARDWARE",
    "PLATFORMS",
    "PLATFORM_ALIASES",
    "HardwareModel",
    "MtuScope",
    "PlatformSpec",
    "PortRange",
    "StateQuery",
    "canonical_port",
    "catalogued_model",
    "get_spec",
    "hardware_of",
    "parse_platform",
    "spell_port",
]

_SMIS_PREFIX = {
    "gi": "Gi", "gigabitethernet": "Gi", "ex": "Ex", "extreme-ethernet": "Ex",
    "xl": "Xl", "xl-ethernet": "Xl", "fx": "Fx", "fx-ethernet": "Fx",
}


# Other tools' names for the same platforms, as a Nornir inventory may hold them: NAPALM's
# driver names (napalm/ios, napalm/eos, napalm/junos) and Netmiko device types that select the
# same driver (netmiko ssh_dispatcher: "cisco_xe" -> CiscoIosSSH, "juniper" -> JuniperSSH).
PLATFORM_ALIASES: Mapping[str, Platform] = MappingProxyType({
    "ios": Platform.CISCO_IOS, "cisco_xe": Platform.CISCO_IOS,
    "eos": Platform.ARISTA_EOS,
    "junos": Platform.JUNIPER_JUNOS, "juniper": Platform.JUNIPER_JUNOS,
})


def parse_platform(name: str) -> Platform:
    """The :class:`Platform` called ``name``, or by one of :data:`PLATFORM_ALIASES`.

    >>> parse_platform("eos")
    <Platform.ARISTA_EOS: 'arista_eos'>

    Raises:
        UnsupportedPlatform: listing the names that work.
    """
    key = name.strip().lower()
    if key in PLATFORM_ALIASES:
        return PLATFORM_ALIASES[key]
    try:
        return Platform(key)
    except ValueError:
        known = ", ".join(p.value for p in Platform)
        aliases = ", ".join(f"{a} ({p.value})" for a, p in PLATFORM_ALIASES.items())
        raise UnsupportedPlatform(f"unknown platform {name!r}; supported: {known}; "
                                  f"also accepted: {aliases}") from None


def get_spec(platform: Platform) -> PlatformSpec:
    """The spec of ``platform``."""
    return PLATFORMS[platform]


def spell_port(platform: Platform, name: str) -> str:
    """The platform's own spelling of ``name``, without checking it is a front-panel port.

    IOS: the spelling IOS-XE prints (:mod:`lagprov.knowledge.platforms.ios_names`, which wins
    over netutils' ``HundredGigabitEthernet``-style expansions), then netutils for the rest.

    >>> spell_port(Platform.CISCO_IOS, "Hu0/0/1")
    'HundredGigE0/0/1'
    """
    raw = name.strip()
    if platform is Platform.SUPERMICRO_SMIS:
        head = raw.rstrip("0123456789/ ").lower()
        tail = raw[len(head):].strip()
        return f"{_SMIS_PREFIX.get(head, head)} {tail}"
    if platform is Platform.JUNIPER_JUNOS:
        return raw.lower()
    if platform is Platform.CISCO_IOS:
        spelt = ios_spelling(raw)
        if spelt is not None:
            return spelt
    return str(canonical_interface_name(raw))


def canonical_port(platform: Platform, name: str) -> str:
    """Canonical spelling of a port name on ``platform``: the one validate, render, parsers and
    reports share.

    >>> canonical_port(Platform.CISCO_IOS, "Gi1/0/7")
    'GigabitEthernet1/0/7'
    >>> canonical_port(Platform.CISCO_IOS, "Fi1/0/5")
    'FiveGigabitEthernet1/0/5'
    >>> canonical_port(Platform.SUPERMICRO_SMIS, "extreme-ethernet 0/3")
    'Ex 0/3'

    Raises:
        ValueError: if the result does not look like a port of the platform.
    """
    canon = spell_port(platform, name)
    spec = PLATFORMS[platform]
    if not spec.interface_pattern.match(canon):
        raise ValueError(
            f"{name!r} is not a {spec.title} port name (expected e.g. {spec.interface_example!r})"
        )
    return canon
