"""What an ESXi host is asked, and its answers turned into a :class:`HostTeamState`.

* A vSphere Standard Switch (team ``iphash``, ``portid``, ...): the failover policy (plain
  text), the vSwitch and NIC lists (``--formatter=keyvalue``, :mod:`.parsers.esxcli_keyvalue`);
  report files hold the plain-text forms of all three (:mod:`.parsers.hosts_esxi`).
* A vSphere Distributed Switch LACP LAG (team ``lacp``): the vDS LACP views ``lacp config
  get`` / ``lacp status get`` (:mod:`.parsers.esxcli_lacp`) and the NIC list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lagprov.knowledge.compat import canonical_team
from lagprov.model.state import HostTeamState
from lagprov.model.types import Bundling, HostOs
from lagprov.observe.host_commands import (
    ESX_FAILOVER,
    ESX_LACP_CONFIG,
    ESX_LACP_STATUS,
    ESX_NICS,
    ESX_NICS_KV,
    ESX_VSWITCH,
    ESX_VSWITCH_KV,
    HOST_COMMANDS,
    VDS_LACP_COMMANDS,
)
from lagprov.observe.parsers.esxcli_keyvalue import parse_esxi_keyvalue_host, parse_nic_list_kv
from lagprov.observe.parsers.esxcli_lacp import parse_esxi_lacp_host
from lagprov.observe.parsers.hosts_esxi import parse_esxi_host


def esxi_commands(team: str | None) -> tuple[str, ...]:
    """The command templates of an ESXi host whose intended team is ``team``.

    >>> esxi_commands("vds-lag")[0]
    'esxcli network vswitch dvs vmware lacp config get'
    """
    try:
        lacp = team is not None and canonical_team(HostOs.VMWARE, team).bundling is Bundling.LACP
    except ValueError:
        lacp = False
    return VDS_LACP_COMMANDS if lacp else HOST_COMMANDS[HostOs.VMWARE]


def esxi_state(device: str, bond: str, nics: Sequence[str], commands: Sequence[str],
               raw: Callable[[str], str | None]) -> HostTeamState | None:
    """The host's team from its outputs (``raw(template)``: the output of that command, None
    when not read).

    Raises:
        ParseError: an output is unreadable.
    """
    if ESX_LACP_CONFIG in commands:  # a vDS LACP LAG
        kv = raw(ESX_NICS_KV)
        return parse_esxi_lacp_host(
            device, config=raw(ESX_LACP_CONFIG), status=raw(ESX_LACP_STATUS),
            nics=parse_nic_list_kv(kv) if kv is not None else None, bond=bond, intended=nics)
    if raw(ESX_VSWITCH_KV) is None and raw(ESX_NICS_KV) is None:  # report files
        return parse_esxi_host(device, failover=raw(ESX_FAILOVER), vswitch=raw(ESX_VSWITCH),
                               nic_list=raw(ESX_NICS), bond=bond)
    return parse_esxi_keyvalue_host(device, failover=raw(ESX_FAILOVER),
                                    vswitch=raw(ESX_VSWITCH_KV), nic_list=raw(ESX_NICS_KV),
                                    bond=bond)
