"""The default verification rules, and how a root cause explains its consequences.

=====================  ========  ==============================================================
rule id                severity  checks
=====================  ========  ==============================================================
lag-present            error     the port-channel exists on each switch end (gone if absent)
lag-members            error     members present / missing / extra against the intent
lag-mode               error     bundle mode (lacp-active / lacp-passive / static) as intended,
                                 on every member (a member in another mode fails)
lag-lacp-rate          error     LACP rate (fast/slow) as intended
lag-min-links          error     min-links configured as intended
lag-mtu                error     the bundle's IP MTU equals the intended MTU as IP MTU
lag-vlans              error     switchport mode, access VLAN, allowed list, native VLAN
independent-ports      error     MPIO / switch-independent ports: exist, in no bundle, L2/MTU
lacp-pairing           error     observed modes of both ends pair (compat.pair_outcome)
member-count           error     as many switch members as far-end links
member-bundled         error     every member bundled; else its status and what it means
min-links-met          error     at least min-links members bundled (else the Po is down)
partner-identity       error     LACP partner system id = cabled far end (no LLDP); crossed
                                 ports of the right device: warning
member-speed           error     every link of both ends at the same speed
member-mtu             error     every member at the bundle's IP MTU
mtu-path               error     switch IP MTU >= host, >= 9000 on jumbo trunks (peers that
                                 differ: warning; EOS switchports: the hardware L2 limit)
host-team-mode         error     observed host team mode is the intended one
host-members-up        error     every intended NIC is in the team with its link up
host-aggregator        error     Linux 802.3ad slaves share one aggregator id
lacp-rate-pair         warning   far end's LACP rate equals the switch's
mpio-paths             error     iSCSI MPIO paths not teamed, one VLAN per path (one switch
                                 for every path: warning)
=====================  ========  ==============================================================

Root causes: when a rule fails, the failures it explains (``EXPLAINS``) on the same scope
(same cable, port or device; a finding of a ``TRUNK_WIDE`` rule, or one with no device,
overlaps everything) are turned into
*explained* (``explained_by`` names the root rule): e.g. a passive-passive pairing
leaves every member unbundled, and that is reported once, by ``lacp-pairing``.  The relation
is acyclic, so a root cause always stays a failure; a failure that is itself explained
explains nothing further, and only error-severity failures are causes (a warning such as
crossed cables of the right host never hides another failure).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from lagprov.model.findings import Finding, Status
from lagprov.model.types import Severity
from lagprov.verify.context import Rule, TrunkContext
from lagprov.verify.rules_host import (
    HostAggregator,
    HostMembersUp,
    HostTeamMode,
    LacpRatePair,
    MpioPaths,
)
from lagprov.verify.rules_intent import (
    LagLacpRate,
    LagMembers,
    LagMinLinks,
    LagMode,
    LagMtu,
    LagPresent,
    LagVlans,
)
from lagprov.verify.rules_l2 import IndependentPorts
from lagprov.verify.rules_mlag import MlagInterface, MlagPartner, MlagPeer
from lagprov.verify.rules_mtu import MemberMtu, MtuPath
from lagprov.verify.rules_pairing import (
    LacpPairing,
    MemberBundled,
    MemberCount,
    MemberSpeed,
    MinLinksMet,
)
from lagprov.verify.rules_partner import PartnerIdentity

DEFAULT_RULES: tuple[Rule, ...] = (
    LagPresent(),
    LagMembers(),
    LagMode(),
    LagLacpRate(),
    LagMinLinks(),
    LagMtu(),
    LagVlans(),
    IndependentPorts(),
    LacpPairing(),
    MemberCount(),
    MemberBundled(),
    MinLinksMet(),
    PartnerIdentity(),
    MemberSpeed(),
    MemberMtu(),
    MtuPath(),
    HostTeamMode(),
    HostMembersUp(),
    HostAggregator(),
    LacpRatePair(),
    MpioPaths(),
    MlagPeer(),
    MlagInterface(),
    MlagPartner(),
)

_LINK = frozenset(
    {"member-bundled", "min-links-met", "partner-identity", "host-aggregator", "lacp-rate-pair"}
)

EXPLAINS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "lag-present": frozenset(
            {r.id for r in DEFAULT_RULES}
            - {
                "lag-present",
                "host-team-mode",
                "host-members-up",
                "mpio-paths",
                "independent-ports",
            }
        ),
        "mpio-paths": frozenset(
            {
                "host-team-mode",
                "independent-ports",
                "lacp-pairing",
                "member-count",
                "host-aggregator",
            }
        ),
        "lag-mode": _LINK | {"lacp-pairing"},
        "host-team-mode": _LINK | {"lacp-pairing"},
        "lag-members": frozenset(
            {
                "member-count",
                "member-bundled",
                "partner-identity",
                "min-links-met",
                "member-speed",
                "member-mtu",
            }
        ),
        "lacp-pairing": _LINK,
        # ports the intent wants plain but the switch bundled: the pairing mismatch follows
        "independent-ports": frozenset({"lacp-pairing"}),
        "host-members-up": frozenset(
            {
                "member-bundled",
                "min-links-met",
                "partner-identity",
                "host-aggregator",
                "member-count",
            }
        ),
        "partner-identity": frozenset({"member-bundled", "min-links-met", "host-aggregator"}),
        "member-speed": frozenset({"member-bundled", "min-links-met"}),
        "min-links-met": frozenset({"member-bundled"}),
        "member-bundled": frozenset({"host-aggregator"}),
        "lag-mtu": frozenset({"member-mtu", "mtu-path"}),
        # a member whose MTU differs from its bundle's is suspended (SEFOS, IOS, EOS)
        "member-mtu": frozenset({"mtu-path", "member-bundled", "min-links-met"}),
        # MLAG: a pair that is not Active is two switches to the host (two partners, one
        # aggregator used); an MLAG interface that is not whole leaves one peer's half out
        "mlag-peer": _LINK | {"mlag-interface", "mlag-partner", "host-members-up"},
        "mlag-interface": _LINK | {"mlag-partner", "host-members-up", "member-count"},
        "mlag-partner": _LINK,
    }
)

# Causes whose consequences land on both ends: their findings scope the whole trunk.
TRUNK_WIDE: frozenset[str] = frozenset(
    {"lag-present", "lag-mode", "host-team-mode", "lacp-pairing", "mpio-paths", "mlag-peer",
     "mlag-interface", "mlag-partner"}
)

Scope = tuple[str, ...]


def _scopes(ctx: TrunkContext) -> tuple[dict[tuple[str, str], int], set[tuple[str, str]]]:
    cables: dict[tuple[str, str], int] = {}
    for i, (a, b, c, d) in enumerate(ctx.trunk.cables()):
        cables[(a, b)] = cables[(c, d)] = i
    ports = {(e.device, m) for e in ctx.trunk.switch_ends for m in e.members}
    if ctx.trunk.host is not None:
        ports |= {(ctx.trunk.host.device, n) for n in ctx.trunk.host.nics}
    for dev in ctx.switches.values():
        ports |= {(dev.device, m.name) for lag in dev.lags for m in lag.members}
    return cables, ports


def _scope(f: Finding, cables: dict[tuple[str, str], int], ports: set[tuple[str, str]]) -> Scope:
    if f.device is None or f.rule in TRUNK_WIDE:
        return ("trunk",)
    if f.subject is None:
        return ("device", f.device)
    key = (f.device, f.subject)
    if key in cables:
        return ("cable", str(cables[key]))
    if key in ports:
        return ("port", f.device, f.subject)
    return ("device", f.device)


def _cable_devices(ctx: TrunkContext, index: str) -> tuple[str, str]:
    a, _, c, _ = ctx.trunk.cables()[int(index)]
    return a, c


def _overlap(ctx: TrunkContext, x: Scope, y: Scope) -> bool:
    if x[0] == "trunk" or y[0] == "trunk" or x == y:
        return True
    for s, t in ((x, y), (y, x)):
        if s[0] == "device":
            if t[0] == "port":
                return s[1] == t[1]
            if t[0] == "cable":
                return s[1] in _cable_devices(ctx, t[1])
    return False


def fold_consequences(ctx: TrunkContext, findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Mark failures caused by a root-cause failure (``EXPLAINS``) as explained by it.

    Only failures that are not themselves explained count as causes, so an unrelated fault
    on another cable is never hidden behind a consequence of the first one.
    """
    out = tuple(findings)
    cables, ports = _scopes(ctx)
    fails = [(i, f, _scope(f, cables, ports)) for i, f in enumerate(out) if f.status is Status.FAIL]
    causes = [(j, e, s) for j, e, s in fails if e.severity is Severity.ERROR]
    cause: dict[int, Finding | None] = {}

    def explained_by(i: int, f: Finding, scope: Scope) -> Finding | None:
        if i not in cause:
            cause[i] = next(
                (
                    e
                    for j, e, s in causes
                    if f.rule in EXPLAINS.get(e.rule, ())
                    and _overlap(ctx, scope, s)
                    and explained_by(j, e, s) is None
                ),
                None,
            )
        return cause[i]

    folded = list(out)
    for i, f, scope in fails:
        root = explained_by(i, f, scope)
        if root is not None:
            folded[i] = f.model_copy(
                update={
                    "status": Status.EXPLAINED,
                    "explained_by": root.rule,
                }
            )
    return tuple(folded)
