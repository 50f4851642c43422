"""Parse device and host outputs into the normalised state (DeviceLagState / HostTeamState).

Two steps per output, kept apart: *extract* (TextFSM / TTP templates, compiled once, see
:mod:`lagprov.observe.parsers._extract`)
and *normalise* (small typed functions per platform module).
Dispatch is a plain dict keyed by ``(platform, command key)``; the command key replaces numbers
by ``N`` (``show etherchannel 10 summary`` -> ``show etherchannel N summary``, ``ae0`` -> ``aeN``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TypeVar

from lagprov.errors import ParseError
from lagprov.model.state import DeviceLagState
from lagprov.model.types import Platform
from lagprov.observe.parsers import (
    arista_eos,
    arista_mlag,
    cisco_ios,
    juniper_junos,
    supermicro_smis,
)
from lagprov.observe.parsers._common import clean_output, reject_cli_error
from lagprov.observe.parsers.hosts import (
    parse_linux_bonding,
    parse_linux_ip_json,
    parse_linux_ip_link,
)
from lagprov.observe.parsers.hosts_esxi import (
    parse_esxcli_failover,
    parse_esxcli_nic_list,
    parse_esxcli_vswitch,
    parse_esxi_host,
)
from lagprov.observe.parsers.hosts_windows import (
    parse_windows_adapters,
    parse_windows_host,
    parse_windows_set_team,
    parse_windows_team,
    parse_windows_team_text,
)
from lagprov.observe.parsers.merge import LATER_WINS, merge_device_states, settle_static_members
from lagprov.observe.parsers.vlans import VlanParser

__all__ = [
    "LATER_WINS",
    "PARSERS",
    "VLAN_PARSERS",
    "ParserFn",
    "clean_output",
    "command_key",
    "command_slug",
    "merge_device_states",
    "parse_command",
    "parse_device",
    "parse_esxcli_failover",
    "parse_esxcli_nic_list",
    "parse_esxcli_vswitch",
    "parse_esxi_host",
    "parse_linux_bonding",
    "parse_linux_ip_json",
    "parse_linux_ip_link",
    "parse_vlan_table",
    "parse_windows_adapters",
    "parse_windows_host",
    "parse_windows_set_team",
    "parse_windows_team",
    "parse_windows_team_text",
    "settle_static_members",
    "supported_commands",
]

ParserFn = Callable[[str, str, str], DeviceLagState]
"""``(raw, device, command) -> partial DeviceLagState``; raises ParseError."""

_IOS, _EOS, _JUNOS, _SMIS = (
    Platform.CISCO_IOS, Platform.ARISTA_EOS, Platform.JUNIPER_JUNOS, Platform.SUPERMICRO_SMIS,
)

PARSERS: Mapping[tuple[Platform, str], ParserFn] = MappingProxyType({
    (_IOS, "show etherchannel summary"): cisco_ios.parse_etherchannel_summary,
    (_IOS, "show etherchannel N summary"): cisco_ios.parse_etherchannel_summary,
    (_IOS, "show etherchannel detail"): cisco_ios.parse_etherchannel_detail,
    (_IOS, "show etherchannel N detail"): cisco_ios.parse_etherchannel_detail,
    (_IOS, "show lacp neighbor"): cisco_ios.parse_lacp_neighbor,
    (_IOS, "show lacp N neighbor"): cisco_ios.parse_lacp_neighbor,
    (_IOS, "show lacp internal"): cisco_ios.parse_lacp_internal,
    (_IOS, "show lacp N internal"): cisco_ios.parse_lacp_internal,
    (_IOS, "show lacp sys-id"): cisco_ios.parse_lacp_sys_id,
    (_IOS, "show interfaces"): cisco_ios.parse_interfaces,
    (_IOS, "show system mtu"): cisco_ios.parse_system_mtu,
    (_IOS, "show running-config"): cisco_ios.parse_running_config,
    (_IOS, "show running-config interface"): cisco_ios.parse_running_config,
    (_EOS, "show port-channel summary"): arista_eos.parse_port_channel_summary,
    (_EOS, "show lacp neighbor"): arista_eos.parse_lacp_neighbor,
    (_EOS, "show lacp peer"): arista_eos.parse_lacp_neighbor,
    (_EOS, "show port-channel"): arista_eos.parse_port_channel,
    (_EOS, "show port-channel N"): arista_eos.parse_port_channel,
    (_EOS, "show port-channel detailed"): arista_eos.parse_port_channel,
    (_EOS, "show port-channel N detailed"): arista_eos.parse_port_channel,
    (_EOS, "show interfaces"): arista_eos.parse_interfaces,
    (_EOS, "show running-config"): arista_eos.parse_running_config,
    (_EOS, "show mlag"): arista_mlag.parse_show_mlag,
    (_EOS, "show mlag detail"): arista_mlag.parse_show_mlag,
    (_EOS, "show mlag interfaces"): arista_mlag.parse_show_mlag_interfaces,
    (_JUNOS, "show lacp interfaces"): juniper_junos.parse_lacp_interfaces,
    (_JUNOS, "show lacp interfaces aeN"): juniper_junos.parse_lacp_interfaces,
    (_JUNOS, "show lacp interfaces extensive"): juniper_junos.parse_lacp_interfaces,
    (_JUNOS, "show lacp interfaces aeN extensive"): juniper_junos.parse_lacp_interfaces,
    (_JUNOS, "show interfaces aeN extensive"): juniper_junos.parse_interfaces_extensive,
    (_JUNOS, "show configuration | display set"): juniper_junos.parse_configuration_set,
    (_JUNOS, "show configuration interfaces | display set"): juniper_junos.parse_configuration_set,
    (_SMIS, "show etherchannel summary"): supermicro_smis.parse_etherchannel_summary,
    (_SMIS, "show etherchannel detail"): supermicro_smis.parse_etherchannel_detail,
    (_SMIS, "show etherchannel N detail"): supermicro_smis.parse_etherchannel_detail,
    (_SMIS, "show interface mtu"): supermicro_smis.parse_interface_mtu,
    (_SMIS, "show running-config"): supermicro_smis.parse_running_config,
})  # fmt: skip

VLAN_PARSERS: Mapping[tuple[Platform, str], VlanParser] = MappingProxyType({
    (_IOS, "show vlan brief"): cisco_ios.parse_vlan_table,
    (_IOS, "show vlan"): cisco_ios.parse_vlan_table,
    (_EOS, "show vlan"): arista_eos.parse_vlan_table,
    (_EOS, "show vlan brief"): arista_eos.parse_vlan_table,
    (_JUNOS, "show configuration | display set"): juniper_junos.parse_vlan_config,
    (_JUNOS, "show configuration vlans | display set"): juniper_junos.parse_vlan_config,
    (_SMIS, "show vlan brief"): supermicro_smis.parse_vlan_table,
})  # fmt: skip
"""``(platform, command key) -> (text, command) -> VLAN ids`` (pre-change check)."""

_ALIASES = {
    "show running-config | section interface": "show running-config",
    "show running-config section interface": "show running-config",
    "show configuration | display set | no-more": "show configuration | display set",
    "show interface port-channel N": "show interfaces",
    "show interfaces port-channel N": "show interfaces",
    "show interfaces Port-Channel N": "show interfaces",
    "show interfaces Port-channel N": "show interfaces",
}
_RUN_INTERFACE = re.compile(r"^show running-config interfaces? \S.*$")
_NUMBER = re.compile(r"(?<![\w/-])\d+(?![\w/-])")
_AE = re.compile(r"\bae\d+\b")
_TRAILING_NUMBER = re.compile(r"^(show interfaces? (?:port-channel|Port-[Cc]hannel))\s*\d+$")


def command_slug(command: str) -> str:
    """File-system name of a command.

    >>> command_slug("show port-channel summary")
    'show_port-channel_summary'
    >>> command_slug("show configuration | display set")
    'show_configuration_pipe_display_set'
    """
    words = command.strip().replace("|", " pipe ").split()
    return "_".join(words)


def command_key(command: str) -> str:
    """The registry key of ``command``: numbers -> ``N``, ``ae0`` -> ``aeN``, known aliases."""
    text = " ".join(command.split())
    if _RUN_INTERFACE.match(text):
        return "show running-config interface"
    text = _TRAILING_NUMBER.sub(r"\1 N", text)
    text = _AE.sub("aeN", _NUMBER.sub("N", text))
    return _ALIASES.get(text, text)


def supported_commands(platform: Platform) -> tuple[str, ...]:
    """The command keys :func:`parse_command` understands on ``platform``."""
    return tuple(cmd for (p, cmd) in PARSERS if p is platform)


def parse_command(
    platform: Platform, command: str, raw: str, *, device: str = ""
) -> DeviceLagState:
    """Parse one command output into a partial :class:`DeviceLagState`.

    Raises:
        ParseError: unknown command, a CLI error message, empty output, or output that cannot
            be read.  Never an empty result for non-empty unparseable text.
    """
    parser = PARSERS.get((platform, command_key(command)))
    if parser is None:
        known = ", ".join(supported_commands(platform))
        raise ParseError(platform, command, raw, f"no parser for this command; known: {known}")
    return _guarded(platform, command, raw, lambda text: parser(text, device, command))


def parse_vlan_table(platform: Platform, command: str, raw: str) -> frozenset[int]:
    """The ids of the VLANs a VLAN-table output lists (:data:`VLAN_PARSERS`).

    Raises:
        ParseError: as :func:`parse_command`; also when a row is not read or no VLAN is listed.
    """
    parser = VLAN_PARSERS.get((platform, command_key(command)))
    if parser is None:
        raise ParseError(platform, command, raw, "no VLAN-table parser for this command")
    return _guarded(platform, command, raw, lambda text: parser(text, command))


_T = TypeVar("_T")


def _guarded(platform: Platform, command: str, raw: str, call: Callable[[str], _T]) -> _T:
    """``call`` on the cleaned output; every failure to read it becomes a ParseError."""
    text = clean_output(raw, command)
    if not text.strip():
        raise ParseError(platform, command, raw, "empty output")
    reject_cli_error(platform, command, text)
    try:
        return call(text)
    except ParseError:
        raise
    except (ValueError, KeyError, IndexError) as exc:
        raise ParseError(platform, command, raw, f"{type(exc).__name__}: {exc}") from exc
    except Exception as exc:  # textfsm.TextFSMError and friends from the extract step
        if type(exc).__module__.startswith(("textfsm", "ttp")):
            raise ParseError(platform, command, raw, _rejected(text, exc)) from exc
        raise


_INPUT_LINE = re.compile(r"Input Line: (.*)$", re.DOTALL)


def _rejected(text: str, exc: Exception) -> str:
    """``line N: row not understood: '...'`` from a template's ``Error`` rule (TextFSM names
    the input line's text; its number is found in ``text``, whose lines are the file's)."""
    match = _INPUT_LINE.search(str(exc))
    if match is None:
        return f"template rejected the output: {exc}"
    row = match.group(1)
    number = next((n for n, line in enumerate(text.split("\n"), 1) if line == row), None)
    where = f"line {number}: " if number else ""
    return f"{where}row not understood: {row.strip()!r}"


def parse_device(device: str, platform: Platform, outputs: Mapping[str, str]) -> DeviceLagState:
    """Parse every ``command -> raw output`` of one device and merge them, in mapping order."""
    states = [parse_command(platform, cmd, raw, device=device) for cmd, raw in outputs.items()]
    if not states:
        return DeviceLagState(device=device, platform=platform)
    return merge_device_states(*states)
