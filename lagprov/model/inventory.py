"""The inventory as one validated value: devices, trunks and (lab) cabling."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, InstanceOf

from lagprov.model.base import Model
from lagprov.model.hardware import HardwareModel
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
    stack_members: tuple[int, ...] = Field(
        default=(), description="hosts.yaml data.stack_members: the stack's member numbers / "
        "the Virtual Chassis FPCs (empty: not stacked); ``hardware`` then names the stacked "
        "model in Inventory.hardware")
    mlag_peer: str | None = Field(
        default=None, description="hosts.yaml data.mlag_peer: the other switch of this "
        "Arista MLAG pair (each names the other)")
    mlag_domain: str | None = Field(
        default=None, description="hosts.yaml data.mlag_domain: the pair's MLAG domain-id, as "
        "'show mlag' prints it (checked by verify when given)")
    queue: str | None = Field(
        default=None, description="hosts.yaml data.queue: the site whose workers alone touch "
        "this device under --executor celery (None: the default queue)")


class HostDevice(Model):
    """A server, hypervisor or storage array of the inventory."""

    name: Name
    os: HostOs
    address: str | None = None
    port: int = 22
    observable: bool = Field(
        default=True,
        description="False: lagprov cannot read it (hosts.yaml data.observable, e.g. a storage "
        "array without management access); its checks are reported as declared",
    )
    transport: Literal["ssh", "winrm"] = Field(
        default="ssh", description="hosts.yaml data.transport: how a Windows host is read "
        "(OpenSSH with PowerShell, or WinRM / PowerShell Remoting); other hosts: ssh only")
    winrm_auth: Literal["negotiate", "ntlm", "kerberos", "basic"] = Field(
        default="negotiate", description="hosts.yaml data.winrm_auth: how a WinRM host is "
        "logged in to (pypsrp's names); basic over HTTP only to a loopback address (the lab)")
    group: str | None = Field(
        default=None, description="the host's first Nornir group: its credentials come from "
        "LAGPROV_<GROUP>_USERNAME / _PASSWORD when set")
    queue: str | None = Field(
        default=None, description="hosts.yaml data.queue: the site whose workers alone read "
        "this host under --executor celery (None: the default queue)")


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
    hardware: Mapping[str, InstanceOf[HardwareModel]] = Field(
        default_factory=dict,
        description="the hardware catalog this inventory was loaded with: the shipped models, "
        "the folder's own hardware/*.yaml over them, and a platform-defaults stand-in for each "
        "uncatalogued model a switch names (empty: the shipped catalog)",
    )
    inventory_plugin: str = Field(default="SimpleInventory",
                                  description="the Nornir inventory plugin the devices came from")
    inventory_options: Mapping[str, Any] = Field(
        default_factory=dict, description="its options, paths absolute (empty: the folder's "
        "hosts.yaml, groups.yaml and defaults.yaml)")

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
