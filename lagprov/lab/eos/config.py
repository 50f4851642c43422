"""Arista EOS configuration state of a simulated switch, and its ``show running-config`` text.

The state is a small mutable tree (:class:`EosConfig`) copied whole for configuration sessions,
``startup-config`` and ``flash:`` files.  Only what lagprov provisions is modelled structurally
(interfaces, port-channels, L2 mode/VLANs, MTU, LACP); a short list of other global and
interface lines is kept verbatim so a ``show running-config`` can be loaded back (NAPALM
replace/rollback).  Rendering follows EOS: 3-space indentation, ``!`` between blocks,
Port-Channel interfaces before Ethernet, then Management.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from lagprov.lab.base import LagMode

EOS_VERSION = "4.23.5M"
MTU_MIN, MTU_MAX = 68, 9214
CHANNEL_MIN, CHANNEL_MAX = 1, 2000

# Global commands kept verbatim ([K]: a representative subset of what real configs carry).
GLOBAL_PREFIXES = (
    "spanning-tree ", "no aaa root", "aaa ", "username ", "transceiver ", "ip routing",
    "no ip routing", "ntp ", "logging ", "clock ", "ip name-server", "dns ", "ip domain",
    "service ", "boot ", "ip route ", "snmp-server ", "lldp ", "no lldp ",
)
# Global commands that open a block whose lines are kept verbatim, with their prompt suffix.
# (VLANs are modelled: EosConfig.vlans, lagprov.lab.eos.apply.)
BLOCK_PREFIXES = {"management api": "mgmt-api", "router ": "router",
                  "mlag configuration": "config-mlag"}  # MLAG: lagprov.lab.eos.mlag
# Interface lines kept verbatim.
INTERFACE_VERBATIM = (
    "ip address ", "speed ", "lacp port-priority ", "spanning-tree ", "load-interval ",
    "storm-control ", "vrf ", "logging event ", "no lldp ", "lldp ",
)


@dataclass
class IfConfig:
    """One interface (Ethernet, Port-Channel or Management)."""

    description: str = ""
    shutdown: bool = False
    mtu: int | None = None
    routed: bool = False  # "no switchport"
    l2_mode: str = "access"  # access | trunk
    access_vlan: int = 1
    trunk_allowed: str = ""  # "" = all VLANs (default)
    native_vlan: int = 1
    channel: int | None = None
    mode: LagMode | None = None
    lacp_fast: bool = False
    min_links: int | None = None
    mlag: int | None = None  # Port-Channel: 'mlag N' (lagprov.lab.eos.mlag)
    # Port-Channel: 'lacp system-id HHHH.HHHH.HHHH', the actor system id its members send
    # instead of the switch's (or the MLAG pair's) own (lagprov.lab.eos.mlag)
    lacp_system_id: str | None = None
    verbatim: list[str] = field(default_factory=list)


@dataclass
class EosConfig:
    """The whole configuration of a switch."""

    hostname: str
    interfaces: dict[str, IfConfig]
    globals: dict[str, list[str]] = field(default_factory=dict)  # line -> block lines
    # configured VLANs -> their sub-mode lines ('name X'); VLAN 1 always exists and is not
    # listed ("VLAN 1 exists by default; all other VLANs only exist after they are
    # configured", Arista EOS manual, "Virtual LANs (VLANs)")
    vlans: dict[int, list[str]] = field(default_factory=dict)
    # The member-port LACP rate command of the switch's EOS train, the only one it takes and
    # prints: "rate" (old train, DCS-7120T-4S) or "timer" (newer EOS) (:func:`lacp_keyword`)
    lacp_rate_keyword: str = "timer"

    def clone(self) -> EosConfig:
        """A deep copy (sessions, startup-config, flash files)."""
        return copy.deepcopy(self)


def default_config(hostname: str, ports: tuple[str, ...], vlans: tuple[int, ...] = (),
                   lacp_rate_keyword: str = "timer") -> EosConfig:
    """Factory-default configuration: every port present, nothing configured but ``vlans``
    (the site's VLANs the lab starts with, :func:`lagprov.lab.vlans.site_vlans`), on an EOS
    train whose LACP rate command is ``lacp <lacp_rate_keyword>``."""
    interfaces = {p: IfConfig() for p in ports}
    interfaces["Management1"] = IfConfig()
    return EosConfig(hostname=hostname, interfaces=interfaces,
                     vlans={v: [] for v in vlans if v != 1},
                     lacp_rate_keyword=lacp_rate_keyword)


def lacp_keyword(declared: str) -> str:
    """The LACP rate command of a model whose hardware data declares ``declared``
    (``HardwareModel.lacp_rate_keyword``: "rate" | "timer" | "" not said): newer EOS's
    ``timer`` unless it says ``rate``, as the renderer (templates/config/arista_eos)."""
    return declared or "timer"


# ---------------------------------------------------------------- interface names

_TYPES = (("ethernet", "Ethernet"), ("port-channel", "Port-Channel"), ("management", "Management"))
_SHORT = {"Ethernet": "Et", "Port-Channel": "Po", "Management": "Ma"}


def port_channel(channel: int) -> str:
    """``Port-Channel<n>``."""
    return f"Port-Channel{channel}"


_DOTTED_MAC = re.compile(r"[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}")


def dotted_mac(text: str) -> str | None:
    """``0000.0000.1201`` (EOS ``lacp system-id``, any case) in lower case; None if malformed."""
    low = text.lower()
    return low if _DOTTED_MAC.fullmatch(low) else None


def colon_mac(dotted: str) -> str:
    """``0000.0000.1201`` -> ``00:00:00:00:12:01``."""
    digits = dotted.replace(".", "")
    return ":".join(digits[i:i + 2] for i in range(0, 12, 2))


def short_name(name: str) -> str:
    """``Ethernet1`` -> ``Et1`` (EOS abbreviations in tables and prompts)."""
    for long, short in _SHORT.items():
        if name.startswith(long):
            return short + name[len(long):]
    return name


def channel_number(name: str) -> int | None:
    """10 for ``Port-Channel10``, else None."""
    m = re.fullmatch(r"Port-Channel(\d+)", name)
    return int(m.group(1)) if m else None


def _expand_numbers(spec: str) -> list[str] | None:
    out: list[str] = []
    for part in spec.split(","):
        m = re.fullmatch(r"(\d+(?:/\d+)?)(?:-(\d+))?", part)
        if m is None:
            return None
        if m.group(2) is None:
            out.append(m.group(1))
            continue
        if "/" in m.group(1):
            return None
        first, last = int(m.group(1)), int(m.group(2))
        if last < first:
            return None
        out.extend(str(i) for i in range(first, last + 1))
    return out


def parse_interface_spec(text: str) -> tuple[list[str], str] | None:
    """Interface names of ``Ethernet1-2``/``Et1,3``/``Port-Channel 10``, and the prompt tag.

    Returns None if the text is not an interface specification.
    """
    compact = text.replace(" ", "")
    m = re.fullmatch(r"([A-Za-z-]+)([\d,/-]+)", compact)
    if m is None:
        return None
    word = m.group(1).lower()
    kinds = [long for key, long in _TYPES if key.startswith(word)]
    if len(word) < 2 or len(kinds) != 1:
        return None
    numbers = _expand_numbers(m.group(2))
    if not numbers:
        return None
    kind = kinds[0]
    return [f"{kind}{n}" for n in numbers], f"{_SHORT[kind]}{m.group(2)}"


def sort_key(name: str) -> tuple[int, str, tuple[int, ...]]:
    """Order of interfaces in ``show running-config`` (Port-Channel, Ethernet, Management)."""
    order = {"Port-Channel": 0, "Ethernet": 1, "Management": 2}
    kind = re.sub(r"[\d/.]+$", "", name)
    nums = tuple(int(n) for n in re.findall(r"\d+", name))
    return order.get(kind, 3), kind, nums


# ---------------------------------------------------------------- rendering


def _interface_lines(cfg: IfConfig, lacp_rate_keyword: str) -> list[str]:
    lines: list[str] = []
    if cfg.description:
        lines.append(f"description {cfg.description}")
    if cfg.shutdown:
        lines.append("shutdown")
    if cfg.mtu is not None:
        lines.append(f"mtu {cfg.mtu}")
    if cfg.routed:
        lines.append("no switchport")
    else:
        if cfg.access_vlan != 1:
            lines.append(f"switchport access vlan {cfg.access_vlan}")
        if cfg.native_vlan != 1:
            lines.append(f"switchport trunk native vlan {cfg.native_vlan}")
        if cfg.trunk_allowed:
            lines.append(f"switchport trunk allowed vlan {cfg.trunk_allowed}")
        if cfg.l2_mode != "access":
            lines.append(f"switchport mode {cfg.l2_mode}")
    if cfg.channel is not None and cfg.mode is not None:
        lines.append(f"channel-group {cfg.channel} mode {cfg.mode.value}")
    if cfg.lacp_fast:
        lines.append(f"lacp {lacp_rate_keyword} fast")  # 'normal' is the default, not shown
    if cfg.min_links is not None:
        lines.append(f"port-channel min-links {cfg.min_links}")
    if cfg.mlag is not None:
        lines.append(f"mlag {cfg.mlag}")
    if cfg.lacp_system_id is not None:
        lines.append(f"lacp system-id {cfg.lacp_system_id}")
    lines.extend(cfg.verbatim)
    return lines


def render_body(config: EosConfig) -> list[str]:
    """The configuration lines, without the header comments (used for diffs too)."""
    out = ["transceiver qsfp default-mode 4x10G", "!", f"hostname {config.hostname}", "!"]
    blocks = {k: v for k, v in config.globals.items() if not k.startswith("transceiver ")}
    for line in blocks:
        if any(line.startswith(p) for p in BLOCK_PREFIXES):
            continue
        out.append(line)
    if any(not any(k.startswith(p) for p in BLOCK_PREFIXES) for k in blocks):
        out.append("!")
    for vlan, children in sorted(config.vlans.items()):
        out.append(f"vlan {vlan}")
        out.extend(f"   {c}" for c in children)
        out.append("!")
    for name in sorted(config.interfaces, key=sort_key):
        out.append(f"interface {name}")
        out.extend(f"   {line}" for line in _interface_lines(config.interfaces[name],
                                                               config.lacp_rate_keyword))
        out.append("!")
    for line, children in blocks.items():
        if any(line.startswith(p) for p in BLOCK_PREFIXES):
            out.append(line)
            out.extend(f"   {c}" for c in children)
            out.append("!")
    out.append("end")
    return out


def render_running_config(config: EosConfig, model: str) -> str:
    """``show running-config`` as EOS prints it."""
    header = [
        "! Command: show running-config",
        f"! device: {config.hostname} ({model}, EOS-{EOS_VERSION})",
        "!",
        f"! boot system flash:/EOS-{EOS_VERSION}.swi",
        "!",
    ]
    return "\n".join(header + render_body(config)) + "\n"
