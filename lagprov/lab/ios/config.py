"""Cisco IOS configuration mode of a lab switch: global lines (interface lines: ``ifconfig``).

The configuration data lives in ``config_data`` and is re-exported here for the modules that
import it from this one."""

from __future__ import annotations

from dataclasses import dataclass, field

from lagprov.knowledge.platforms.base import HardwareModel, MtuScope
from lagprov.lab.ios import vlandb
from lagprov.lab.ios.config_data import IosConfig, IosInterface, default_config
from lagprov.lab.ios.ifconfig import InterfaceLines
from lagprov.lab.ios.parse import (
    IosCliError,
    Words,
    interface_name,
    interface_range,
)

__all__ = ["Applied", "Context", "IosConfig", "IosConfigurator", "IosInterface",
           "default_config"]

JUMBO_RELOAD_MSG = ("Changes to the system jumbo MTU will not take effect until the next "
                    "reload is done")
MTU_RELOAD_MSG = "Changes to the system MTU will not take effect until the next reload is done"

# Global lines stored verbatim (accepted and shown in the running-config, not modelled).
_VERBATIM = ("service", "version", "boot-start-marker", "boot-end-marker", "ip", "file",
             "port-channel", "spanning-tree", "vtp", "username", "enable", "logging", "ntp",
             "errdisable", "lacp", "archive", "aaa", "clock", "banner", "cdp", "lldp")


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
        elif ctx.mode == "config-vlan" and not _is_global_line(words):
            vlandb.vlan_mode_line(words)
            return Applied()
        return self._global_line(ctx, words)

    def _global_line(self, ctx: Context, w: Words) -> Applied:
        kw = w.keyword(("interface", "no", "default", "hostname", "system", "end", "exit",
                        "line", "vlan", *_VERBATIM))
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
        if kw == "vlan":
            vlandb.vlan(self.cfg, w)
            ctx.mode, ctx.targets = "config-vlan", []
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
        if tok is not None and tok.text.lower() == "vlan":
            w.keyword(("vlan",))
            vlandb.no_vlan(self.cfg, w)
            return Applied()
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

    # ---- interface (lagprov.lab.ios.ifconfig) ------------------------------------------
    def _interface_line(self, ctx: Context, w: Words) -> None:
        InterfaceLines(self.cfg, self.hw, self.channel_max).apply(ctx.targets, w)

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


def _is_global_line(words: Words) -> bool:
    texts = [t.text.lower() for t in words.tokens]
    if texts[0] == "no" and len(texts) > 1:
        texts = texts[1:]
        if not any(k.startswith(texts[0]) for k in ("interface", "system", "vlan")):
            return False
    low = texts[0]
    if low in ("end", "exit", "do", "hostname"):
        return True
    return len(low) >= 3 and any(k.startswith(low) for k in ("interface", "default", "line",
                                                             "system", "vlan"))
