"""The host read-backs: the commands lagprov asks each host OS, and the report files that
stand in for them (names as the lab's hosts write them).  Data only; :mod:`collect` uses it."""

from __future__ import annotations

from collections.abc import Mapping

from lagprov.model.types import HostOs

IOS_SYS_ID = "show lacp sys-id"

# Host read-backs, live (Linux: these commands over SSH; Windows: one PowerShell script made of
# them, observe.windows_read; ESXi: these esxcli commands over SSH) or from report files
# written on the host (names as the lab's hosts write them).
LINUX_BONDING = "cat /proc/net/bonding/{bond}"
LINUX_IP_JSON = "ip -j -d link"
LINUX_IP_LINK = "ip link"
WIN_TEAM = "Get-NetLbfoTeam"
WIN_MEMBERS = "Get-NetLbfoTeamMember"
WIN_JUMBO = "Get-NetAdapterAdvancedProperty -RegistryKeyword *JumboPacket"
# ... | Select-Object Name,Status,LinkSpeed,MacAddress | ConvertTo-Json (parse_windows_adapters)
WIN_ADAPTERS = "Get-NetAdapter -Name {nics}"
# ... | Select-Object Name,TeamingMode,LoadBalancingAlgorithm,Members (parse_windows_set_team)
WIN_SET = "Get-VMSwitchTeam"
# ... -AddressFamily IPv4 | Select-Object InterfaceAlias,NlMtu (the IP MTU, parse_windows_host)
WIN_IP = "Get-NetIPInterface -InterfaceAlias {aliases}"
ESX_FAILOVER = "esxcli network vswitch standard policy failover get -v {bond}"
ESX_VSWITCH = "esxcli network vswitch standard list -v {bond}"
ESX_NICS = "esxcli network nic list"
# Live, the vSwitch and NIC lists are read machine-readable (parsers.esxcli_keyvalue: shapes from
# real captures); the failover policy stays plain text (no capture of its keyvalue form).  The
# report files keep the plain-text commands.
ESX_VSWITCH_KV = "esxcli --formatter=keyvalue network vswitch standard list -v {bond}"
ESX_NICS_KV = "esxcli --formatter=keyvalue network nic list"
# A host whose intended team is a vDS LACP LAG is read through the vDS LACP views instead of the
# standard vSwitch (parsers.esxcli_lacp; modelled shapes, no capture).
ESX_LACP_CONFIG = "esxcli network vswitch dvs vmware lacp config get"
ESX_LACP_STATUS = "esxcli network vswitch dvs vmware lacp status get"
VDS_LACP_COMMANDS = (ESX_LACP_CONFIG, ESX_LACP_STATUS, ESX_NICS_KV)

REPORT_FILES: Mapping[str, str] = {
    LINUX_BONDING: "proc_net_bonding_{bond}.txt",
    LINUX_IP_JSON: "ip_-j_-d_link.json",
    LINUX_IP_LINK: "ip_link.txt",
    WIN_TEAM: "Get-NetLbfoTeam.json",
    WIN_MEMBERS: "Get-NetLbfoTeamMember.json",
    WIN_JUMBO: "Get-NetAdapterAdvancedProperty-JumboPacket.json",
    WIN_ADAPTERS: "Get-NetAdapter.json",
    WIN_SET: "Get-VMSwitchTeam.json",
    WIN_IP: "Get-NetIPInterface.json",
    ESX_FAILOVER: "esxcli-failover.txt",
    ESX_VSWITCH: "esxcli-vswitch-list.txt",
    ESX_NICS: "esxcli-nic-list.txt",
}
"""Command template -> file name under ``<reports>/<host>/`` (same ``{bond}`` placeholder;
``{nics}`` is the intended NICs as a PowerShell list, ``'iSCSI-A','iSCSI-B'``; ``{aliases}``
the team and the NICs)."""

WINDOWS_KEYS: Mapping[str, str] = {
    "Get-NetLbfoTeam": WIN_TEAM, "Get-NetLbfoTeamMember": WIN_MEMBERS,
    "Get-VMSwitchTeam": WIN_SET, "Get-NetAdapter": WIN_ADAPTERS,
    "Get-NetAdapterAdvancedProperty": WIN_JUMBO, "Get-NetIPInterface": WIN_IP,
}
"""JSON key of the one Windows read-back script (observe.windows_read) -> command template
its answer is kept under (so live, saved and report-file outputs parse alike)."""
LIVE_OS = frozenset({HostOs.LINUX, HostOs.WINDOWS, HostOs.VMWARE})
"""Host OSes read live (over SSH; Windows also over WinRM) when they have an address."""

HOST_COMMANDS: Mapping[HostOs, tuple[str, ...]] = {
    HostOs.LINUX: (LINUX_BONDING, LINUX_IP_JSON),
    HostOs.WINDOWS: (WIN_TEAM, WIN_MEMBERS, WIN_JUMBO, WIN_ADAPTERS, WIN_SET, WIN_IP),
    HostOs.VMWARE: (ESX_FAILOVER, ESX_VSWITCH_KV, ESX_NICS_KV),
    HostOs.STORAGE: (),
}
HOST_REPORTS: Mapping[HostOs, tuple[str, ...]] = {
    **HOST_COMMANDS, HostOs.LINUX: (LINUX_BONDING, LINUX_IP_JSON, LINUX_IP_LINK),
    HostOs.VMWARE: (ESX_FAILOVER, ESX_VSWITCH, ESX_NICS),
}
