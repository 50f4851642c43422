"""Cisco IOS configuration state of a lab switch, its config-mode interpreter and renderer."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from lagprov.knowledge.platforms.base import HardwareModel, MtuScope
from lagprov.lab.base import LagMode
from lagprov.lab.ios.parse import (
    IosCliError,
    Words,
    interface_name,
    interface_range,
    parse_vlans,
)
from lagprov.model.types import Feature

JUMBO_RELOAD_MSG = ("Changes to the system jumbo MTU will not take effect until the next "
                    "reload is done")
MTU_RELOAD_MSG = "Changes to the system MTU will not take effect until the next reload is done"

# Global lines stored verbatim (accepted and shown in the running-config, not modelled).
_VERBATIM = ("service", "version", "boot-start-marker", "boot-end-marker", "ip", "file",
             "port-channel", "spanning-tree", "vtp", "username", "enable", "logging", "ntp",
             "errdisable", "lacp", "archive", "aaa", "clock", "banner", "cdp", "lldp")
# Interface lines stored verbatim.
_IF_VERBATIM = ("spanning-tree", "speed", "duplex", "channel-protocol", "storm-control",
                "switchport nonegotiate", "lacp port-priority", "lacp max-bundle", "cdp", "lldp")


@dataclass
class IosInterface:
    """One interface's configuration."""

    name: str
    description: str | None = None
    shutdown: bool = False
    mode: str | None = None  # "access" | "trunk"
    access_vlan: int | None = None
    allowed: tuple[int, ...] | None = None  # None: all VLANs
    native: int | None = None
    group: int | None = None
    lag_mode: LagMode | None = None
    rate_fast: bool = False
    min_links: int | None = None
    extras: list[str] = field(default_factory=list)

    def switchport_key(self) -> tuple[object, ...]:
        """What must match between a member and its Port-channel."""
        return (self.mode, self.access_vlan, self.allowed, self.native)


@dataclass
class IosConfig:
    """The running (or startup) configuration of a lab IOS switch."""

    hostname: str
    ports: tuple[str, ...]
    globals: list[str] = field(default_factory=list)
    interfaces: dict[str, IosInterface] = field(default_factory=dict)
    system_mtu: int | None = None  # configured 'system mtu N'
    jumbo_mtu: int | None = None  # configured 'system mtu jumbo N'

    def clone(self) -> IosConfig:
        """A deep copy."""
        return copy.deepcopy(self)

    def interface(self, name: str) -> IosInterface:
        """The interface ``name``, created on first use."""
        if name not in self.interfaces:
            self.interfaces[name] = IosInterface(name)
        return self.interfaces[name]

    def channels(self) -> dict[int, list[str]]:
        """Channel number -> member ports, for every configured Port-channel."""
        out: dict[int, list[str]] = {
            int(n[len("Port-channel"):]): [] for n in self.interfaces if n.startswith("Port-ch")
        }
        for p in self.ports:
            itf = self.interfaces.get(p)
            if itf is not None and itf.group is not None:
                out.setdefault(itf.group, []).append(p)
        return dict(sorted(out.items()))


def default_config(hostname: str, hardware: HardwareModel) -> IosConfig:
    """A factory-fresh switch with SSH/SCP enabled, as the lab ships it."""
    version = "15.0" if hardware.mtu_scope is MtuScope.SYSTEM_JUMBO else "17.9"
    cfg = IosConfig(hostname=hostname, ports=hardware.port_names())
    cfg.globals = [f"version {version}", "service timestamps debug datetime msec",
                   "service timestamps log datetime msec", "no service password-encryption",
                   "boot-start-marker", "boot-end-marker", "ip domain-name lab.local",
                   "ip scp server enable", "spanning-tree mode rapid-pvst"]
    for p in cfg.ports:
        cfg.interface(p)
    cfg.interface("Vlan1")
    return cfg


@dataclass
class Context:
    """Where a config-mode line lands: global, some interfaces, or an opaque sub-mode."""

    mode: str = "config"  # "config" | "config-if" | "config-if-range" | "config-line"
    targets: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Applied:
    """Result of one accepted config line."""

    output: str = ""
    leave: bool = False  # 'end': back to exec mode


class IosConfigurator:
    """Applies config-mode lines to an :class:`IosConfig` of a given hardware model."""

    def __init__(self, cfg: IosConfig, hardware: HardwareModel, channel_max: int) -> None:
        self.cfg = cfg
        self.hw = hardware
        self.channel_max = hardware.channel_max or channel_max

    # ---- global ------------------------------------------------------------------------
    def apply(self, ctx: Context, line: str) -> Applied:
        """Apply ``line`` in ``ctx`` (mutated for mode changes); IosCliError if rejected."""
        words = Words(line)
        if not words.more() or line.lstrip().startswith("!"):
            return Applied()
        if ctx.mode in ("config-if", "config-if-range"):
            if not _is_global_line(words):
                self._interface_line(ctx, Words(line))
                return Applied()
        elif ctx.mode == "config-line" and not _is_global_line(words):
            return Applied()  # line con/vty settings are accepted and not modelled
        return self._global_line(ctx, words)

    def _global_line(self, ctx: Context, w: Words) -> Applied:
        kw = w.keyword(("interface", "no", "default", "hostname", "system", "end", "exit",
                        "line", *_VERBATIM))
        if kw == "end":
            w.done()
            ctx.mode, ctx.targets = "config", []
            return Applied(leave=True)
        if kw == "exit":
            w.done()
            if ctx.mode == "config":
                return Applied(leave=True)
            ctx.mode, ctx.targets = "config", []
            return Applied()
        if kw == "interface":
            self._enter_interface(ctx, w)
            return Applied()
        if kw == "hostname":
            self.cfg.hostname = w.word()
            w.done()
            return Applied()
        if kw == "system":
            return self._system_mtu(w)
        if kw == "line":
            w.rest()
            ctx.mode, ctx.targets = "config-line", []
            return Applied()
        if kw == "default":
            w.keyword(("interface",))
            for name in self._names(w):
                self._default_interface(name)
            return Applied()
        if kw == "no":
            return self._global_no(w)
        assert kw is not None
        text = " ".join(w.line.split())
        if text.startswith("service "):
            self.cfg.globals = [g for g in self.cfg.globals if g != f"no {text}"]
        if text not in self.cfg.globals:
            self.cfg.globals.append(text)
        return Applied()

    def _global_no(self, w: Words) -> Applied:
        tok = w.peek()
        if tok is not None and tok.text.lower().startswith("int"):
            w.keyword(("interface",))
            name = interface_name(w, self.cfg.ports)
            w.done()
            if not name.startswith("Port-channel") or name not in self.cfg.interfaces:
                raise IosCliError("invalid", tok.column, w.line)
            self._delete_channel(int(name[len("Port-channel"):]))
            return Applied()
        if tok is not None and tok.text.lower().startswith("sys"):
            w.keyword(("system",))
            w.keyword(("mtu",))
            if w.keyword(("jumbo",), required=False):
                self.cfg.jumbo_mtu = None
            else:
                self.cfg.system_mtu = None
            return Applied()
        text = " ".join(w.rest().split())
        if not text:
            raise IosCliError("incomplete", line=w.line)
        self.cfg.globals = [g for g in self.cfg.globals if g not in (text, f"no {text}")]
        if text.startswith("service "):  # IOS shows disabled services: "no service ..."
            self.cfg.globals.append(f"no {text}")
        return Applied()

    def _system_mtu(self, w: Words) -> Applied:
        w.keyword(("mtu",))
        jumbo_scope = self.hw.mtu_scope is MtuScope.SYSTEM_JUMBO
        if jumbo_scope and w.keyword(("jumbo", "routing"), required=False) is not None:
            self.cfg.jumbo_mtu = w.number(self.hw.mtu_min, self.hw.mtu_max)
            w.done()
            return Applied(JUMBO_RELOAD_MSG + "\n")
        if jumbo_scope:
            self.cfg.system_mtu = w.number(1500, 1998)
            w.done()
            return Applied(MTU_RELOAD_MSG + "\n")
        self.cfg.system_mtu = w.number(self.hw.mtu_min, self.hw.mtu_max)
        w.done()
        return Applied()

    def _names(self, w: Words) -> list[str]:
        tok = w.peek()
        if tok is not None and tok.text.lower() in ("range", "ra", "ran", "rang"):
            w.keyword(("range",))
            return interface_range(w, self.cfg.ports)
        name = interface_name(w, self.cfg.ports)
        w.done()
        return [name]

    def _enter_interface(self, ctx: Context, w: Words) -> None:
        tok = w.peek()
        is_range = tok is not None and tok.text.lower() in ("range", "ra", "ran", "rang")
        if is_range:
            w.keyword(("range",))
            names = interface_range(w, self.cfg.ports)
        else:
            names = [interface_name(w, self.cfg.ports)]
            w.done()
        for n in names:
            self._check_channel_name(n, w)
            self.cfg.interface(n)
        ctx.mode = "config-if-range" if is_range else "config-if"
        ctx.targets = names

    def _check_channel_name(self, name: str, w: Words) -> None:
        if name.startswith("Port-channel"):
            num = int(name[len("Port-channel"):])
            if not 1 <= num <= self.channel_max:
                raise IosCliError("invalid", w.tokens[-1].column, w.line)

    # ---- interface ---------------------------------------------------------------------
    def _interface_line(self, ctx: Context, w: Words) -> None:
        negate = w.peek() is not None and w.tokens[0].text.lower() == "no"
        if negate:
            w.pos += 1
        kw = w.keyword(("description", "switchport", "shutdown", "channel-group", "lacp",
                        "port-channel", "spanning-tree", "speed", "duplex", "channel-protocol",
                        "storm-control", "cdp", "lldp", "mtu", "ip"))
        if kw == "ip" and negate:  # 'no ip address' (SVIs): accepted, nothing to model
            w.rest()
            return
        for name in ctx.targets:
            self._interface_keyword(self.cfg.interface(name), kw or "", negate, Words(w.line),
                                    w.pos)
        if kw == "channel-group" and not negate:
            self._sync_new_channels(ctx)

    def _interface_keyword(self, itf: IosInterface, kw: str, negate: bool, w: Words,
                           pos: int) -> None:
        w.pos = pos
        physical = not itf.name.startswith(("Port-channel", "Vlan"))
        if kw == "description":
            itf.description = None if negate else w.rest() or _incomplete(w)
        elif kw == "shutdown":
            w.done()
            itf.shutdown = not negate
        elif kw == "switchport":
            self._switchport(itf, negate, w)
        elif kw == "channel-group" and physical:
            self._channel_group(itf, negate, w)
        elif kw == "lacp" and physical and not self._lacks(Feature.LACP_RATE_FAST, w, "rate"):
            sub = w.keyword(("rate", "port-priority"))
            if sub == "rate":
                speed = "normal" if negate else w.keyword(("fast", "normal"))
                w.done()
                itf.rate_fast = speed == "fast"
            else:
                self._verbatim(itf, negate, w, pos)
        elif kw == "port-channel" and not physical:
            if Feature.MIN_LINKS in self.hw.lacks:
                raise w.invalid_here()
            w.keyword(("min-links",))
            itf.min_links = None if negate else w.number(1, 8)
            w.done()
        elif kw in ("spanning-tree", "speed", "duplex", "channel-protocol", "storm-control",
                    "cdp", "lldp"):
            self._verbatim(itf, negate, w, pos - 1)
        else:
            raise IosCliError("invalid", w.tokens[pos - 1].column, w.line)

    def _lacks(self, feature: Feature, w: Words, sub: str) -> bool:
        nxt = w.peek()
        if feature in self.hw.lacks and (not sub or (nxt and sub.startswith(nxt.text.lower()))):
            raise w.invalid_here()
        return False

    def _verbatim(self, itf: IosInterface, negate: bool, w: Words, pos: int) -> None:
        w.pos = pos
        text = " ".join(w.rest().split())
        key = " ".join(text.split()[:2])
        itf.extras = [e for e in itf.extras if " ".join(e.split()[:2]) != key]
        if not negate:
            itf.extras.append(text)

    def _switchport(self, itf: IosInterface, negate: bool, w: Words) -> None:
        kw = w.keyword(("mode", "access", "trunk", "nonegotiate"), required=False)
        if kw is None:
            return
        if kw == "mode":
            itf.mode = None if negate else w.keyword(("access", "trunk"))
        elif kw == "access":
            w.keyword(("vlan",))
            itf.access_vlan = None if negate else w.number(1, 4094)
        elif kw == "nonegotiate":
            self._verbatim(itf, negate, w, w.pos - 2)
            return
        else:
            sub = w.keyword(("allowed", "native"))
            w.keyword(("vlan",))
            if sub == "native":
                itf.native = None if negate else w.number(1, 4094)
            elif negate:
                itf.allowed = None
            else:
                itf.allowed = self._allowed(itf.allowed, w)
        w.done()

    def _allowed(self, current: tuple[int, ...] | None, w: Words) -> tuple[int, ...] | None:
        op = w.peek()
        low = op.text.lower() if op else ""
        if low in ("add", "remove", "except", "all", "none"):
            w.pos += 1
            if low == "all":
                return None
            if low == "none":
                return ()
        tok = w.peek()
        try:
            vlans = parse_vlans(w.word())
        except ValueError:
            raise IosCliError("invalid", tok.column if tok else 0, w.line) from None
        base = set(current if current is not None else range(1, 4095))
        if low == "add":
            return tuple(sorted(base | set(vlans)))
        if low == "remove":
            return tuple(sorted(base - set(vlans)))
        if low == "except":
            return tuple(v for v in range(1, 4095) if v not in vlans)
        return vlans

    def _channel_group(self, itf: IosInterface, negate: bool, w: Words) -> None:
        if negate:
            itf.group, itf.lag_mode = None, None
            return
        num = w.number(1, self.channel_max)
        w.keyword(("mode",))
        mode = w.keyword(("active", "passive", "on"))
        w.done()
        itf.group, itf.lag_mode = num, LagMode(str(mode))

    def _sync_new_channels(self, ctx: Context) -> None:
        """channel-group creates interface Port-channelN, copying the first member's L2 setup."""
        for name in ctx.targets:
            itf = self.cfg.interfaces[name]
            po = f"Port-channel{itf.group}"
            if itf.group is not None and po not in self.cfg.interfaces:
                self.cfg.interfaces[po] = IosInterface(
                    po, mode=itf.mode, access_vlan=itf.access_vlan, allowed=itf.allowed,
                    native=itf.native)

    def _default_interface(self, name: str) -> None:
        if name.startswith("Port-channel"):
            old = self.cfg.interfaces.get(name)
            self.cfg.interfaces[name] = IosInterface(name)
            if old is None:
                del self.cfg.interfaces[name]
            return
        self.cfg.interfaces[name] = IosInterface(name)

    def _delete_channel(self, num: int) -> None:
        del self.cfg.interfaces[f"Port-channel{num}"]
        for p in self.cfg.ports:
            itf = self.cfg.interfaces.get(p)
            if itf is not None and itf.group == num:
                itf.group, itf.lag_mode = None, None


def _incomplete(w: Words) -> str:
    raise IosCliError("incomplete", line=w.line)


def _is_global_line(words: Words) -> bool:
    texts = [t.text.lower() for t in words.tokens]
    if texts[0] == "no" and len(texts) > 1:
        texts = texts[1:]
        if not ("interface".startswith(texts[0]) or "system".startswith(texts[0])):
            return False
    low = texts[0]
    if low in ("end", "exit", "do", "hostname"):
        return True
    return len(low) >= 3 and any(k.startswith(low) for k in ("interface", "default", "line",
                                                             "system"))
