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
from lagprov.knowledge.platforms.hardware import HARDWARE
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
    "HardwareModel",
    "MtuScope",
    "PlatformSpec",
    "PortRange",
    "StateQuery",
    "canonical_port",
    "get_spec",
    "parse_platform",
]

_SMIS_PREFIX = {
    "gi": "Gi", "gigabitethernet": "Gi", "ex": "Ex", "extreme-ethernet": "Ex",
    "xl": "Xl", "xl-ethernet": "Xl", "fx": "Fx", "fx-ethernet": "Fx",
}


def parse_platform(name: str) -> Platform:
    """The :class:`Platform` called ``name``.

    Raises:
        UnsupportedPlatform: listing the supported names.
    """
    try:
        return Platform(name)
    except ValueError:
        known = ", ".join(p.value for p in Platform)
        raise UnsupportedPlatform(f"unknown platform {name!r}; supported: {known}") from None


def get_spec(platform: Platform) -> PlatformSpec:
    """The spec of ``platform``."""
    return PLATFORMS[platform]


def canonical_port(platform: Platform, name: str) -> str:
    """Canonical spelling of a port name on ``platform``.

    >>> canonical_port(Platform.CISCO_IOS, "Gi1/0/7")
    'GigabitEthernet1/0/7'
    >>> canonical_port(Platform.SUPERMICRO_SMIS, "extreme-ethernet 0/3")
    'Ex 0/3'

    Raises:
        ValueError: if the result does not look like a port of the platform.
    """
    raw = name.strip()
    if platform is Platform.SUPERMICRO_SMIS:
        head = raw.rstrip("0123456789/ ").lower()
        tail = raw[len(head):].strip()
        canon = f"{_SMIS_PREFIX.get(head, head)} {tail}"
    elif platform is Platform.JUNIPER_JUNOS:
        canon = raw.lower()
    else:
        canon = canonical_interface_name(raw)
    spec = PLATFORMS[platform]
    if not spec.interface_pattern.match(canon):
        raise ValueError(
            f"{name!r} is not a {spec.title} port name (expected e.g. {spec.interface_example!r})"
        )
    return canon
