"""Host team modes and switch modes: one table drives rendering, lint and verification.

Source: vendor-cli.md section 0.1 (Red Hat bonding-mode table, VMware KB 1001938, Microsoft
New-NetLbfoTeam).  Each host vocabulary maps to the :class:`Bundling` its team needs from the
switch; :func:`pair_outcome` says what happens when two ends meet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from lagprov.model.types import Bundling, HostOs, Platform, SwitchMode


@dataclass(frozen=True, slots=True)
class TeamMode:
    """A host team mode, its spellings and what it needs from the switch."""

    canonical: str
    bundling: Bundling
    aliases: tuple[str, ...] = ()


_NONE = TeamMode("none", Bundling.INDEPENDENT, ("mpio", "single", "no-team"))

TEAM_MODES: Mapping[HostOs, tuple[TeamMode, ...]] = MappingProxyType(
    {
        HostOs.LINUX: (
            TeamMode("balance-rr", Bundling.STATIC, ("0", "roundrobin")),
            TeamMode("active-backup", Bundling.INDEPENDENT, ("1", "activebackup")),
            TeamMode("balance-xor", Bundling.STATIC, ("2", "loadbalance")),
            TeamMode("broadcast", Bundling.STATIC, ("3",)),
            TeamMode("802.3ad", Bundling.LACP, ("4", "lacp")),
            TeamMode("balance-tlb", Bundling.INDEPENDENT, ("5",)),
            TeamMode("balance-alb", Bundling.INDEPENDENT, ("6",)),
            _NONE,
        ),
        HostOs.WINDOWS: (
            TeamMode("SwitchIndependent", Bundling.INDEPENDENT),
            TeamMode("Static", Bundling.STATIC),
            TeamMode("Lacp", Bundling.LACP),
            TeamMode("SET", Bundling.INDEPENDENT, ("switch-embedded-teaming",)),
            _NONE,
        ),
        HostOs.VMWARE: (
            TeamMode("iphash", Bundling.STATIC, ("ip-hash", "route-based-on-ip-hash")),
            TeamMode("lacp", Bundling.LACP, ("vds-lag", "lag")),
            TeamMode("portid", Bundling.INDEPENDENT, ("port-id", "route-based-on-port-id")),
            TeamMode("mac", Bundling.INDEPENDENT, ("mac-hash", "srcmac")),
            TeamMode("explicit", Bundling.INDEPENDENT, ("failover", "explicit-failover")),
            _NONE,
        ),
        HostOs.STORAGE: (
            TeamMode("lacp", Bundling.LACP, ("trunk-group-lacp", "multimode_lacp")),
            TeamMode("static", Bundling.STATIC, ("multimode", "trunk-group")),
            TeamMode("failover", Bundling.INDEPENDENT, ("singlemode",)),
            _NONE,
        ),
    }
)


def canonical_team(os: HostOs, team: str) -> TeamMode:
    """The :class:`TeamMode` that ``team`` names on ``os`` (case-insensitive).

    >>> canonical_team(HostOs.LINUX, "4").canonical
    '802.3ad'

    Raises:
        ValueError: listing the accepted names.
    """
    key = str(team).strip().lower()
    for mode in TEAM_MODES[os]:
        if key == mode.canonical.lower() or key in (a.lower() for a in mode.aliases):
            return mode
    names = ", ".join(m.canonical for m in TEAM_MODES[os])
    raise ValueError(f"unknown {os} team mode {team!r}; use one of: {names}")


def switch_bundling(mode: SwitchMode) -> Bundling:
    """What a switch mode offers its peer."""
    if mode.is_lacp:
        return Bundling.LACP
    return Bundling.STATIC if mode is SwitchMode.STATIC else Bundling.INDEPENDENT


class Pairing(StrEnum):
    """The outcome of two ends meeting (verdict of the compatibility engine)."""

    OK = "ok"
    PASSIVE_PASSIVE = "passive-passive"  # LACP never starts: no bundle
    LACP_VS_STATIC = "lacp-vs-static"  # LACP side suspends/individual, static side blackholes
    LACP_VS_INDEPENDENT = "lacp-vs-independent"  # host LACP, switch plain ports
    STATIC_VS_INDEPENDENT = "static-vs-independent"  # switch Po against a switch-independent
    # team: MAC flapping / traffic hashed to the wrong NIC


def pair_outcome(
    a: Bundling, b: Bundling, *, a_active: bool = True, b_active: bool = True
) -> Pairing:
    """Classify two ends.  ``*_active`` matter only for two LACP ends.

    >>> pair_outcome(Bundling.LACP, Bundling.LACP, a_active=False, b_active=False)
    <Pairing.PASSIVE_PASSIVE: 'passive-passive'>
    """
    if a == b:
        if a is Bundling.LACP and not (a_active or b_active):
            return Pairing.PASSIVE_PASSIVE
        return Pairing.OK
    pair = {a, b}
    if pair == {Bundling.LACP, Bundling.STATIC}:
        return Pairing.LACP_VS_STATIC
    if pair == {Bundling.LACP, Bundling.INDEPENDENT}:
        return Pairing.LACP_VS_INDEPENDENT
    return Pairing.STATIC_VS_INDEPENDENT


PAIRING_EXPLAINED: Mapping[Pairing, str] = MappingProxyType(
    {
        Pairing.OK: "both ends agree",
        Pairing.PASSIVE_PASSIVE: "both ends are LACP passive: no LACPDU is ever sent, the "
        "bundle never forms",
        Pairing.LACP_VS_STATIC: "one end runs LACP, the other a static bundle ('mode on'): "
        "the static side sends on every link while the LACP side finds no partner",
        Pairing.LACP_VS_INDEPENDENT: "one end runs LACP, the other has plain independent "
        "ports: the LACP side finds no partner",
        Pairing.STATIC_VS_INDEPENDENT: "a static bundle faces a switch-independent team (or "
        "plain ports): MAC addresses flap between links and return traffic black-holes",
    }
)
"""The outcome in general; :func:`pairing_explained` adds what the LACP side does."""

# What LACP members do when the far end sends no LACPDUs: platform behaviour, not a constant
# (vendor-cli.md 0.1 failure signatures; 2.2 EOS flags "F - Fallback enabled").
LACP_WITHOUT_PARTNER: Mapping[Platform | HostOs, str] = MappingProxyType(
    {
        Platform.CISCO_IOS: "IOS puts the members in (I) stand-alone state and each forwards "
        "as an individual port (suspended (s) instead where standalone is disabled): loops "
        "and MAC flapping against a static bundle, one NIC's worth of traffic per port",
        Platform.ARISTA_EOS: "EOS keeps the members out of the bundle ('Waiting for LACP "
        "response'): the port-channel stays down unless 'port-channel lacp fallback' is set",
        Platform.JUNIPER_JUNOS: "Junos keeps the ae down (members without a partner do not "
        "forward) unless 'lacp force-up' is set on a member",
        Platform.SUPERMICRO_SMIS: "SMIS behaviour is not published (Aricent ISS): expect the "
        "members to stay out of the bundle and the port-channel down",
        HostOs.LINUX: "the Linux bond puts each link in its own aggregator and uses one link "
        "only",
        HostOs.WINDOWS: "the LBFO team reports LacpNegotiationIssue on its NICs",
        HostOs.VMWARE: "the vDS LAG uplinks without a partner carry no traffic",
        HostOs.STORAGE: "the array's LACP trunk group finds no partner",
    }
)


def pairing_explained(outcome: Pairing, lacp_side: Platform | HostOs | None = None) -> str:
    """What ``outcome`` means, with the behaviour of the end that runs LACP when known.

    >>> pairing_explained(Pairing.LACP_VS_INDEPENDENT, Platform.CISCO_IOS)[:60]
    'one end runs LACP, the other has plain independent ports: IO'
    """
    lead = _LACP_LEAD.get(outcome)
    if lacp_side is None or lead is None:
        return PAIRING_EXPLAINED[outcome]
    return f"{lead}{LACP_WITHOUT_PARTNER[lacp_side]}"


_LACP_LEAD: Mapping[Pairing, str] = MappingProxyType(
    {
        Pairing.LACP_VS_STATIC: "one end runs LACP, the other a static bundle ('mode on'): "
        "the static side sends on every link while ",
        Pairing.LACP_VS_INDEPENDENT: "one end runs LACP, the other has plain independent "
        "ports: ",
    }
)
