"""Pre-change checks per trunk end, run on the device's running configuration before a push.

Each check is small and says why it blocks.  ``overridable`` checks may be forced
(``--force``); the others protect the network from a change that cannot work.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache

from lagprov.errors import ParseError, UnsupportedFeature
from lagprov.knowledge.platforms import MtuScope, StateQuery, get_spec, hardware_of
from lagprov.knowledge.templates import vlan_ranges
from lagprov.model.intent import SwitchEnd, TrunkIntent
from lagprov.model.inventory import Inventory
from lagprov.model.plan import CheckResult
from lagprov.model.state import DeviceLagState
from lagprov.model.types import Platform, Severity
from lagprov.provision.planning import ends_on

_L3 = {
    Platform.CISCO_IOS: re.compile(r"^\s*(ip address \d|no switchport$)", re.M),
    Platform.ARISTA_EOS: re.compile(r"^\s*(ip address \d|no switchport$)", re.M),
    Platform.SUPERMICRO_SMIS: re.compile(r"^\s*(ip address \d|no switchport$)", re.M),
    Platform.JUNIPER_JUNOS: re.compile(r"family inet6? ", re.M),
}


def section(platform: Platform, running: str, port: str) -> str:
    """The configuration of one port, as text (Junos: its ``set interfaces <port>`` lines)."""
    return section_reader(platform, running)(port)


_JUNOS_PORT = "set interfaces "


def section_reader(platform: Platform, running: str) -> Callable[[str], str]:
    """:func:`section` of any port of ``running``, the configuration split once (a scan per
    member made the checks of a device grow as its trunks squared)."""
    found: dict[str, list[str]] = {}
    if platform is Platform.JUNIPER_JUNOS:
        for s in running.splitlines():
            if s.startswith(_JUNOS_PORT):
                port, space, _ = s[len(_JUNOS_PORT):].partition(" ")
                if space:
                    found.setdefault(port, []).append(s)
        return lambda port: "\n".join(found.get(port, ()))
    lines: list[str] = []  # lines before the first section belong to none
    for line in running.splitlines():
        if not line.startswith((" ", "\t")):
            lines = found.setdefault(line.strip(), [])
            continue
        lines.append(line)
    return lambda port: "\n".join(found.get(f"interface {port}", ()))


def _parsed(inv: Inventory, device: str, running: str) -> DeviceLagState | None:
    from lagprov.observe.parsers import parse_command

    platform = inv.switch(device).platform
    try:
        return parse_command(platform, get_spec(platform).commands[StateQuery.RUNNING_CONFIG],
                             running, device=device)
    except ParseError:
        return None


# Conflicts that ``--replace TRUNK`` resolves (Ansible ``replaced`` semantics for that trunk).
REPLACEABLE = frozenset({"member-free", "channel-free"})


def foreign_members(inv: Inventory, device: str, running: str, end: SwitchEnd) -> tuple[str, ...]:
    """Ports the device bundles in ``end``'s channel that the intent does not name."""
    state = _parsed(inv, device, running)
    lag = state.lag(end.channel) if state is not None and end.channel is not None else None
    return tuple(m.name for m in (lag.members if lag else ()) if m.name not in end.members)


def _check(check: str, trunk: TrunkIntent, device: str, ok: bool, message: str, *,
           overridable: bool = False) -> CheckResult:
    return CheckResult(check=check, trunk=trunk.name, device=device, passed=ok,
                       message=message if not ok else "", overridable=overridable,
                       severity=Severity.ERROR)


def _end_checks(inv: Inventory, device: str, running: str, state: DeviceLagState | None,
                trunk: TrunkIntent, end: SwitchEnd,
                sections: Callable[[str], str]) -> Iterator[CheckResult]:
    platform = end.platform
    switch = inv.switch(device)
    model = hardware_of(inv.hardware, switch.hardware, switch.platform)
    for member in end.members:
        owner = next((lag for lag in (state.lags if state else ())
                      if lag.member(member) and lag.channel != end.channel), None)
        yield _check("member-free", trunk, device, owner is None,
                     f"{member} is already a member of {owner.name or f'channel {owner.channel}'}"
                     f"; remove it there by hand, or move it into this trunk with --replace "
                     f"{trunk.name}" if owner else "")
        l3 = _L3[platform].search(sections(member))
        yield _check("member-no-l3", trunk, device, l3 is None,
                     f"{member} has layer-3 configuration ({l3.group().strip()!r})" if l3 else "")
    if end.channel is not None and state is not None:
        lag = state.lag(end.channel)
        others = [m.name for m in (lag.members if lag else ()) if m.name not in end.members]
        yield _check("channel-free", trunk, device, not others,
                     f"channel {end.channel} already bundles {', '.join(others)}; choose "
                     f"another channel, or take them out of the bundle with --replace "
                     f"{trunk.name}")
    speeds = {model.port_speed(m) for m in end.members}
    yield _check("member-speed", trunk, device, len(speeds) <= 1,
                 f"members have different speeds: {sorted(s or 0 for s in speeds)} Mb/s")
    if end.mtu is not None and model.mtu_needs_reload and model.mtu_scope is MtuScope.SYSTEM_JUMBO:
        have = re.search(r"^system mtu jumbo (\d+)", running, re.M)
        if not have or int(have.group(1)) < end.mtu:
            yield _check("mtu-reload", trunk, device, False,
                         f"{model.name} applies 'system mtu jumbo {end.mtu}' only after a reload; "
                         "use --force to push it now and reload in a maintenance window",
                         overridable=True)


Pairing = Mapping[str, tuple[str, ...]]
"""Trunk name -> the messages of its host/switch pairing errors (:func:`pairing_problems`)."""


def pairing_problems(inv: Inventory) -> Pairing:
    """The lint's pairing errors per trunk: the inventory is linted once (per run, or per
    device), not once per trunk end (which grew as the trunks squared)."""
    from lagprov.intent.lint import lint_inventory

    out: dict[str, tuple[str, ...]] = {}
    for f in lint_inventory(inv):
        if f.trunk is not None and f.severity == "error" \
                and f.rule in ("team-mode-incompatible", "lacp-passive-both-ends"):
            out[f.trunk] = (*out.get(f.trunk, ()), f.message)
    return out


def _lacks_feature(inv: Inventory, device: str, trunks: list[str]) -> bool:
    """Whether rendering ``trunks`` together meets a feature the device lacks: only then is
    each trunk rendered alone, to say which (a rendering per trunk grew as trunks squared)."""
    from lagprov.provision.render import render_device

    try:
        render_device(inv, device, trunks=trunks)
    except UnsupportedFeature:
        return True
    return False


def _intent_checks(inv: Inventory, device: str, trunk: TrunkIntent,
                   pairing: Pairing, *, render: bool = True) -> Iterator[CheckResult]:
    from lagprov.provision.render import render_device

    try:
        if render:
            render_device(inv, device, trunks=[trunk.name])
    except UnsupportedFeature as exc:
        yield _check("feature-supported", trunk, device, False, str(exc))
    for message in pairing.get(trunk.name, ()):
        yield _check("host-team-agrees", trunk, device, False, message)


@lru_cache(maxsize=64)
def _vlan_ids(platform: Platform, command: str, table: str) -> frozenset[int]:
    """The parsed VLAN table, once per text: a device's table is read by the plan, the checks
    and the read-back after a commit."""
    from lagprov.observe.parsers import parse_vlan_table

    return parse_vlan_table(platform, command, table)


def vlan_table(platform: Platform, running: str,
               table: str | None) -> tuple[frozenset[int] | None, str]:
    """(the VLAN ids the device has, or None with the reason they are unknown).  ``table`` is
    the output of the spec's ``StateQuery.VLANS`` command; where that command is the running
    configuration (Junos: the ``vlans`` stanza), ``running`` is read instead."""
    commands = get_spec(platform).commands
    command = commands.get(StateQuery.VLANS)
    if command is None:
        return None, f"lagprov reads no VLAN table on {platform.value}"
    if command == commands[StateQuery.RUNNING_CONFIG]:
        table = running
    if table is None:
        return None, f"'{command}' was not read"
    try:
        return _vlan_ids(platform, command, table), ""
    except ParseError as exc:
        return None, f"'{command}' could not be read: {exc.reason}"


def existing_vlans(platform: Platform, running: str, table: str | None) -> frozenset[int] | None:
    """The VLAN ids the device has (:func:`vlan_table`), None when unknown."""
    return vlan_table(platform, running, table)[0]


def _vlan_check(trunk: TrunkIntent, device: str, end: SwitchEnd,
                have: tuple[frozenset[int] | None, str]) -> CheckResult | None:
    """``vlans-exist``: every VLAN of the end is on the switch, unless lagprov creates it."""
    wanted = end.vlan_ids()
    if not wanted or end.create_vlans:
        return None
    ids, why = have
    if ids is None:
        return _check("vlans-exist", trunk, device, False,
                      f"cannot check that VLANs {vlan_ranges(wanted)} exist: {why}; --force "
                      "pushes without this check, create_vlans: true creates them",
                      overridable=True)
    missing = [v for v in wanted if v not in ids]
    return _check("vlans-exist", trunk, device, not missing,
                  f"VLANs {vlan_ranges(missing)} do not exist on {device}; create them "
                  "first, or set create_vlans: true on this end to let lagprov create them")


def run_checks(inv: Inventory, device: str, running: str,
               vlans: str | None = None, *,
               pairing: Pairing | None = None) -> tuple[CheckResult, ...]:
    """Every pre-change check of every present trunk end on ``device``.  ``vlans`` is the
    device's VLAN table (:func:`vlan_table`); without it a trunk carrying VLANs is held back
    (overridable): an unchecked VLAN is never a pass.  ``pairing``: the run's
    :func:`pairing_problems` (computed here when not given)."""
    state = _parsed(inv, device, running)
    platform = inv.switch(device).platform
    have = vlan_table(platform, running, vlans)
    sections = section_reader(platform, running)
    ends = [(t, e) for t, e in ends_on(inv, device) if t.state == "present"]
    if pairing is None:
        pairing = pairing_problems(inv) if ends else {}
    lacks = bool(ends) and _lacks_feature(inv, device, [t.name for t, _ in ends])
    out: list[CheckResult] = []
    for trunk, end in ends:
        out.extend(_end_checks(inv, device, running, state, trunk, end, sections))
        out.extend(c for c in [_vlan_check(trunk, device, end, have)] if c is not None)
        out.extend(_intent_checks(inv, device, trunk, pairing, render=lacks))
    return tuple(c for c in out if not c.passed)
