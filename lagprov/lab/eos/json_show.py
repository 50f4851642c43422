"""JSON models (eAPI ``format: json`` and CLI ``| json``) of the simulated EOS.

Modelled keys, after the EOS eAPI command reference as remembered ([K]: real EOS returns many
more keys; only these are produced):

* ``show version``: modelName, internalVersion, systemMacAddress, serialNumber, memTotal,
  memFree, bootupTimestamp, uptime, version, architecture, isIntlVersion, internalBuildId,
  hardwareRevision (NAPALM get_facts reads modelName, serialNumber, internalVersion,
  bootupTimestamp; open() reads version >= 4.23).
* ``show hostname``: hostname, fqdn.
* ``show interfaces``: interfaces.<name>: name, description, lineProtocolStatus,
  interfaceStatus, hardware, mtu, bandwidth (bit/s), physicalAddress, burnedInAddress,
  lastStatusChangeTimestamp, forwardingModel, duplex, autoNegotiate, interfaceAddress,
  interfaceMembership (members: "Member of Port-ChannelN"), memberInterfaces (channels),
  interfaceCounters (zeros) -- everything NAPALM get_interfaces reads.
* ``show lacp neighbor``: portChannels.<Po>.interfaces.<Et>: partnerSystemId, partnerPortId,
  partnerPortState (activity, timeout, aggregation, synchronization, collecting, distributing,
  defaulted, expired), partnerOperKey, partnerPortPriority, actorPortStatus.
* ``show port-channel``: portChannels.<Po>: activePorts.<Et> (protocol, lacpMode, weight,
  timeBecameActive), inactivePorts.<Et> (reasonUnconfigured), inactiveLag.
* ``show configuration sessions [detail]``: sessions.<name>: state, completedTime,
  commitUser, description, instances (+ commitBy when a commit timer runs); maxSavedSessions,
  maxOpenSessions.
"""

from __future__ import annotations

from typing import Any

from lagprov.lab.base import LagMode
from lagprov.lab.eos.config import EOS_VERSION, channel_number, port_channel
from lagprov.lab.eos.show import inactive_reason
from lagprov.lab.eos.state import EosView, colon

JsonDict = dict[str, Any]


def json_version(view: EosView) -> JsonDict:
    """``show version``."""
    return {
        "modelName": view.model,
        "internalVersion": f"{EOS_VERSION}-lab",
        "systemMacAddress": view.system_mac,
        "serialNumber": view.serial,
        "memTotal": 4009932,
        "memFree": 2234568,
        "bootupTimestamp": view.boot_time,
        "uptime": view.uptime(),
        "version": EOS_VERSION,
        "architecture": "i386",
        "isIntlVersion": False,
        "internalBuildId": "00000000-0000-0000-0000-000000000000",
        "hardwareRevision": "01.00",
    }


def json_hostname(view: EosView) -> JsonDict:
    """``show hostname``."""
    return {"hostname": view.config.hostname, "fqdn": view.config.hostname}


def _mac_colon(view: EosView, name: str) -> str:
    return colon(int(view.mac(name).replace(".", ""), 16))


def _interface(view: EosView, name: str) -> JsonDict:
    cfg = view.cfg(name)
    up = view.is_up(name)
    number = channel_number(name)
    status = "disabled" if cfg.shutdown else ("connected" if up else "notconnect")
    line = "up" if up else ("lowerLayerDown" if number is not None else "down")
    out: JsonDict = {
        "name": name,
        "description": cfg.description,
        "lineProtocolStatus": line,
        "interfaceStatus": status,
        "hardware": "portChannel" if number is not None else "ethernet",
        "mtu": view.mtu(name),
        "bandwidth": view.speed(name) * 1_000_000,
        "physicalAddress": _mac_colon(view, name),
        "burnedInAddress": _mac_colon(view, name),
        "lastStatusChangeTimestamp": view.boot_time,
        "forwardingModel": "dataLink" if cfg.channel is not None else (
            "routed" if cfg.routed or name.startswith("Management") else "bridged"),
        "duplex": "duplexFull",
        "interfaceAddress": [],
        "interfaceCounters": {"inOctets": 0, "outOctets": 0, "inUcastPkts": 0,
                              "outUcastPkts": 0, "totalInErrors": 0, "totalOutErrors": 0},
    }
    if number is None:
        out["autoNegotiate"] = "success" if name.startswith("Management") else "off"
    if cfg.channel is not None:
        out["interfaceMembership"] = f"Member of {port_channel(cfg.channel)}"
    if number is not None:
        out["memberInterfaces"] = {
            m: {"duplex": "duplexFull", "bandwidth": view.speed(m) * 1_000_000}
            for m in view.bundled(number)
        }
        out["fallbackEnabled"] = False
    return out


def json_interfaces(view: EosView, names: list[str] | None = None) -> JsonDict:
    """``show interfaces [names]``."""
    return {"interfaces": {n: _interface(view, n) for n in names or view.interface_names()}}


def _port_state(state: int) -> JsonDict:
    bits = ("activity", "timeout", "aggregation", "synchronization", "collecting",
            "distributing", "defaulted", "expired")
    return {name: bool(state & (1 << i)) for i, name in enumerate(bits)}


def json_lacp_neighbor(view: EosView) -> JsonDict:
    """``show lacp neighbor``."""
    channels: JsonDict = {}
    for channel in view.channels():
        interfaces: JsonDict = {}
        for port in view.members(channel):
            outcome = view.outcome(port)
            if outcome is None or outcome.partner is None or view.cfg(port).shutdown:
                continue
            p = outcome.partner
            interfaces[port] = {
                "partnerSystemId": f"{p.system_priority:04x},{p.system_id.replace(':', '-')}",
                "partnerPortId": p.port,
                "partnerPortState": _port_state(p.state),
                "partnerOperKey": f"0x{p.key:04x}",
                "partnerPortPriority": p.port_priority,
                "actorPortStatus": "bundled" if port in view.bundled(channel) else "noAgg",
            }
        if interfaces:
            channels[port_channel(channel)] = {"interfaces": interfaces}
    return {"portChannels": channels, "orphanPorts": {}}


def json_port_channel(view: EosView, channel: int | None = None) -> JsonDict:
    """``show port-channel [N]``."""
    out: JsonDict = {}
    for c in view.channels() if channel is None else [channel]:
        mode = view.channel_mode(c)
        active = view.bundled(c)
        out[port_channel(c)] = {
            "activePorts": {
                p: {"protocol": "static" if mode is LagMode.ON else "lacp",
                    "lacpMode": (mode or LagMode.ON).value, "weight": 1,
                    "timeBecameActive": view.boot_time}
                for p in active
            },
            "inactivePorts": {
                p: {"reasonUnconfigured": inactive_reason(view, p)}
                for p in view.members(c) if p not in active
            },
            "inactiveLag": not active,
        }
    return {"portChannels": out}
