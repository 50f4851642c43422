"""Arista MLAG on the simulated EOS: the pair's state, its shared LACP system id, and the
``show mlag`` / ``show mlag interfaces`` texts.

A pair is two lab switches whose inventory entries name each other (``data.mlag_peer``).  Each
starts with an ``mlag configuration`` block (``domain-id`` from ``data.mlag_domain``,
``local-interface Vlan4094``, ``peer-address``, ``peer-link Port-Channel2000``; the peer link
itself is not simulated port by port).  The pair is **Active** when both blocks name the same
domain and neither switch has the ``mlag_peer_link_down`` fault; otherwise each peer is
Inactive (``negotiation status : Connecting``, ``peer-link status : Lowerlayerdown``,
``system-id : 00:00:00:00:00:00``, as the ntc-templates capture
tests/arista_eos/show_mlag/arista_eos_show_mlag.raw shows an unconnected pair).

LACP: while Active, every member of a Port-Channel with ``mlag N`` sends the pair's MLAG system
id, the primary's MAC with the locally-administered bit set (the vEOS capture in
titom73/avd-to-containerlab containerlab/snapshots/EAPI-LEAF1B/report.md: peer MAC
0c:1d:c0:f0:bd:d1, system-id 0e:1d:c0:f0:bd:d1); the primary is the peer with the lower MAC
([K]: EOS elects it, the rule is assumed).  Inactive, each switch sends its own MAC, so a host
dual-homed to the pair sees two partners.  A Port-Channel with ``lacp system-id X``
(lagprov.lab.eos.apply) sends X instead, Active or not: the host's partner on that peer's links
is then not the system-id ``show mlag`` reports.

``show mlag interfaces``: one row per MLAG id of this peer, ``active-full`` when both peers'
Port-Channels with that id have a member up, ``active-partial`` when only one has, else
``inactive``; the layout ([K], no public capture found) is what lagprov's parser reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from lagprov.lab.eos.config import EosConfig, channel_number
from lagprov.model.state import MemberStatus

BLOCK = "mlag configuration"
PEER_LINK = "Port-Channel2000"
NO_SYSTEM_ID = "00:00:00:00:00:00"


def startup_block(domain: str, peer_address: str) -> list[str]:
    """The ``mlag configuration`` lines a pair's switch starts with."""
    return [f"domain-id {domain}", "local-interface Vlan4094", f"peer-address {peer_address}",
            f"peer-link {PEER_LINK}"]


@dataclass(frozen=True, slots=True)
class MlagSide:
    """What one peer contributes: its MAC, its MLAG block, its MLAG Port-Channels and which of
    them have a member up."""

    name: str
    system_mac: str
    block: tuple[str, ...]
    peer_link_down: bool
    mlag_ids: Mapping[int, int] = field(default_factory=dict)  # mlag id -> channel
    up: frozenset[int] = frozenset()  # channels with a member up

    def setting(self, key: str) -> str | None:
        """The value of ``key`` in the MLAG block (``domain-id`` -> ``lab-mlag``)."""
        for line in self.block:
            head, _, value = line.partition(" ")
            if head == key:
                return value
        return None


def side(name: str, system_mac: str, config: EosConfig, peer_link_down: bool,
         outcomes: Mapping[str, object] | None = None) -> MlagSide:
    """``name``'s side of the pair from its configuration (and, for the port states, its LACP
    outcomes: port -> LinkOutcome)."""
    ids = {m: n for n, m in _channels(config).items() if m is not None}
    up: set[int] = set()
    for port, cfg in config.interfaces.items():
        outcome = (outcomes or {}).get(port)
        status = getattr(outcome, "status", MemberStatus.DOWN)
        if cfg.channel is not None and not cfg.shutdown and status is not MemberStatus.DOWN:
            up.add(cfg.channel)
    return MlagSide(name=name, system_mac=system_mac, block=tuple(config.globals.get(BLOCK, [])),
                    peer_link_down=peer_link_down, mlag_ids=ids, up=frozenset(up))


def _channels(config: EosConfig) -> dict[int, int | None]:
    """channel -> its MLAG id (None: not an MLAG interface)."""
    return {n: cfg.mlag for name, cfg in config.interfaces.items()
            if (n := channel_number(name)) is not None}


@dataclass(frozen=True, slots=True)
class MlagView:
    """One peer's view of the pair (``peer`` None: the peer is not in the lab)."""

    me: MlagSide
    peer: MlagSide | None

    @property
    def configured(self) -> bool:
        """This switch has an MLAG domain."""
        return self.me.setting("domain-id") is not None

    @property
    def active(self) -> bool:
        """Both peers configured for one domain, the peer link up."""
        p = self.peer
        return (p is not None and self.configured and not self.me.peer_link_down
                and not p.peer_link_down and p.setting("domain-id") == self.me.setting("domain-id"))

    @property
    def system_id(self) -> str:
        """The pair's LACP system id (all zeros while not Active)."""
        if not self.active or self.peer is None:
            return NO_SYSTEM_ID
        primary = min(self.me.system_mac, self.peer.system_mac)
        first = int(primary[:2], 16) | 0x02  # locally administered
        return f"{first:02x}{primary[2:]}"

    def lacp_system_id(self, channel: int | None, mlag_of: Mapping[int, int | None]) -> str | None:
        """The system id a member of ``channel`` sends (None: the switch's own)."""
        if channel is None or mlag_of.get(channel) is None or not self.active:
            return None
        return self.system_id

    def rows(self) -> list[tuple[int, str, str, str, str]]:
        """(mlag id, state, local, remote, status) per MLAG id of this peer."""
        out = []
        for mlag_id, channel in sorted(self.me.mlag_ids.items()):
            local_up = channel in self.me.up
            far = self.peer.mlag_ids.get(mlag_id) if self.peer and self.active else None
            remote_up = far is not None and self.peer is not None and far in self.peer.up
            state = ("active-full" if local_up and remote_up else
                     "active-partial" if local_up or remote_up else "inactive")
            out.append((mlag_id, state, f"Po{channel}", f"Po{far}" if far is not None else "-",
                        f"{'up' if local_up else 'down'}/{'up' if remote_up else 'down'}"))
        return out


def _pair(key: str, value: str) -> str:
    return f"{key:<20}:{value:>20}"


def show_mlag(view: MlagView) -> str:
    """``show mlag`` in the shape of the real captures (module docstring)."""
    me = view.me
    active = view.active
    rows = view.rows()
    counts = {s: sum(1 for r in rows if r[1] == s) for s in ("active-partial", "active-full",
                                                              "inactive")}
    lines = ["MLAG Configuration:"]
    lines += [_pair(k, me.setting(k) or "") for k in ("domain-id", "local-interface",
                                                      "peer-address", "peer-link")]
    lines += ["", "MLAG Status:",
              _pair("state", "Active" if active else ("Inactive" if view.configured
                                                      else "Disabled")),
              _pair("negotiation status", "Connected" if active else "Connecting"),
              _pair("peer-link status", "Up" if active else "Lowerlayerdown"),
              _pair("local-int status", "Up"),
              _pair("system-id", view.system_id),
              "", "MLAG Ports:",
              _pair("Disabled", "0"), _pair("Configured", "0"),
              _pair("Inactive", str(counts["inactive"])),
              _pair("Active-partial", str(counts["active-partial"])),
              _pair("Active-full", str(counts["active-full"])), ""]
    return "\n".join(lines) + "\n"


def show_mlag_interfaces(view: MlagView, descriptions: Mapping[int, str]) -> str:
    """``show mlag interfaces`` ([K] layout, module docstring); ``descriptions``: channel ->
    the Port-Channel's description."""
    lines = [" " * 65 + "local/remote",
             "   mlag       desc             state       local       remote          status",
             "---------- ------------ ----------------- ----------- ------------ ------------"]
    for mlag_id, state, local, remote, status in view.rows():
        desc = descriptions.get(int(local[2:]), "")[:12]
        lines.append(f"{mlag_id:>10} {desc:>12} {state:>17} {local:>11} {remote:>12} "
                     f"{status:>12}")
    return "\n".join(lines) + "\n"


def descriptions(config: EosConfig) -> dict[int, str]:
    """channel -> description of its Port-Channel."""
    return {n: c.description for name, c in config.interfaces.items()
            if (n := channel_number(name)) is not None}


def mlag_of(config: EosConfig) -> dict[int, int | None]:
    """channel -> its MLAG id (None: not an MLAG interface)."""
    return _channels(config)
