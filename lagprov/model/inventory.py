"""The inventory as one validated value: devices, trunks and (lab) cabling."""

from __future__ import annotations

from pydantic import Field

from lagprov.model.base import Model
from lagprov.model.intent import Name, TrunkIntent
from lagprov.model.types import HostOs, Platform


class SwitchDevice(Model):
    """A switch of the inventory."""

    name: Name
    platform: Platform
    hardware: str
    address: str
    port: int = 22
    eapi_port: int | None = None
    netconf_port: int | None = None


class HostDevice(Model):
    """A server, hypervisor or storage array of the inventory."""

    name: Name
    os: HostOs
    address: str | None = None
    port: int = 22


class Cable(Model):
    """A physical cable between two ports (``device``/``port`` pairs)."""

    a_device: str
    a_port: str
    b_device: str
    b_port: str


class Inventory(Model):
    """Everything read from an inventory folder."""

    root: str
    switches: tuple[SwitchDevice, ...]
    hosts: tuple[HostDevice, ...] = ()
    trunks: tuple[TrunkIntent, ...] = ()
    cabling: tuple[Cable, ...] = Field(default=(), description="as built; default: as intended")

    def switch(self, name: str) -> SwitchDevice:
        """The switch called ``name`` (KeyError if none)."""
        for s in self.switches:
            if s.name == name:
                return s
        raise KeyError(name)

    def host(self, name: str) -> HostDevice:
        """The host called ``name`` (KeyError if none)."""
        for h in self.hosts:
            if h.name == name:
                return h
        raise KeyError(name)
