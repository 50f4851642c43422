"""Interface configuration mode of a lab IOS switch: the lines typed under ``interface X``.

Split from :mod:`lagprov.lab.ios.config` (which keeps the configuration data and the global
mode).  Refusals follow the device: min-links outside 2..8, ``lacp rate`` on a port without
LACP, a channel-group mode whose protocol differs from the group's members (issue 8/9).
"""

from __future__ import annotations

from lagprov.knowledge.platforms.base import HardwareModel, MinLinksRule
from lagprov.knowledge.platforms.specs import CISCO_IOS
from lagprov.lab.base import LagMode
from lagprov.lab.ios.config_data import IosConfig, IosInterface
from lagprov.lab.ios.parse import IosCliError, Words, parse_vlans, short_name
from lagprov.model.types import Feature

_LACP_MODES = frozenset({LagMode.ACTIVE, LagMode.PASSIVE})
assert CISCO_IOS.min_links is not None
_MIN_LINKS: MinLinksRule = CISCO_IOS.min_links


class InterfaceLines:
    """Applies one interface-mode line to the interfaces it targets."""

    def __init__(self, cfg: IosConfig, hardware: HardwareModel, channel_max: int) -> None:
        self.cfg = cfg
        self.hw = hardware
        self.channel_max = channel_max
        self.targets: list[str] = []

    def apply(self, targets: list[str], w: Words) -> None:
        """Apply interface-mode line ``w`` to every interface of ``targets``."""
        negate = w.peek() is not None and w.tokens[0].text.lower() == "no"
        if negate:
            w.pos += 1
        kw = w.keyword(("description", "switchport", "shutdown", "channel-group", "lacp",
                        "port-channel", "spanning-tree", "speed", "duplex", "channel-protocol",
                        "storm-control", "cdp", "lldp", "mtu", "ip"))
        if kw == "ip" and negate:  # 'no ip address' (SVIs): accepted, nothing to model
            w.rest()
            return
        self.targets = targets
        for name in targets:
            self._interface_keyword(self.cfg.interface(name), kw or "", negate, Words(w.line),
                                    w.pos)
        if kw == "channel-group" and not negate:
            self._sync_new_channels(targets)

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
            if sub == "rate" and itf.lag_mode not in _LACP_MODES:
                # "This command is supported only on LACP-enabled interfaces" (Catalyst 3650
                # IOS XE 16.5.1a command reference, 'lacp rate'); no public capture of the
                # refusal was found, so the generic invalid-input form is printed, caret
                # under 'rate' (an assumption).
                raise IosCliError("invalid", w.tokens[w.pos - 1].column, w.line)
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
            # 'port-channel min-links <2-8>' (PlatformSpec.min_links, vendor-cli.md 1.1): a 1
            # is invalid input at the number, like any value out of the CLI's range
            itf.min_links = None if negate else w.number(_MIN_LINKS.low, _MIN_LINKS.high or 8)
            w.done()
        elif kw == "spanning-tree" and not negate:
            self._portfast_spelling(w)
            self._verbatim(itf, negate, w, pos - 1)
        elif kw in ("spanning-tree", "speed", "duplex", "channel-protocol", "storm-control",
                    "cdp", "lldp"):
            self._verbatim(itf, negate, w, pos - 1)
        else:
            raise IosCliError("invalid", w.tokens[pos - 1].column, w.line)

    def _portfast_spelling(self, w: Words) -> None:
        """IOS 15.0 (2960-S) has no 'spanning-tree portfast edge': the keyword came with
        15.2(2)E / IOS-XE.  The model's own spelling (HardwareModel.stp_edge) says which."""
        words = [t.text.lower() for t in w.tokens[w.pos:]]
        spelled = " ".join(self.hw.stp_edge.values())
        if words[:1] == ["portfast"] and "edge" in words and "edge" not in spelled.split():
            raise IosCliError("invalid", w.tokens[w.pos + words.index("edge")].column, w.line)

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
        mode = LagMode(str(w.keyword(("active", "passive", "on"))))
        w.done()
        self._check_protocol(itf, num, mode)
        itf.group, itf.lag_mode = num, mode

    def _check_protocol(self, itf: IosInterface, num: int, mode: LagMode) -> None:
        """IOS refuses a port whose protocol (LACP or 'on') differs from the group's members:
        "Command rejected (Port-channel3, Gi2/0/20): Invalid etherchnl mode" (a Catalyst 3750G
        capture, danghai1996/Ghichep_CaNhan switch/etherchannel.md).  Ports of the same
        'interface range' change together and are not held against each other (assumed)."""
        lacp = mode in _LACP_MODES
        for name, other in self.cfg.interfaces.items():
            if (name == itf.name or name in self.targets or other.group != num
                    or other.lag_mode is None):
                continue
            if (other.lag_mode in _LACP_MODES) != lacp:
                raise IosCliError(f"Command rejected (Port-channel{num}, "
                                  f"{short_name(itf.name)}): Invalid etherchnl mode")

    def _sync_new_channels(self, targets: list[str]) -> None:
        """channel-group creates interface Port-channelN, copying the first member's L2 setup."""
        for name in targets:
            itf = self.cfg.interfaces[name]
            po = f"Port-channel{itf.group}"
            if itf.group is not None and po not in self.cfg.interfaces:
                self.cfg.interfaces[po] = IosInterface(
                    po, mode=itf.mode, access_vlan=itf.access_vlan, allowed=itf.allowed,
                    native=itf.native)


def _incomplete(w: Words) -> str:
    raise IosCliError("incomplete", line=w.line)
