"""Pre-change checks per trunk end, run on the device's running configuration before a push.

Each check is small and says why it blocks.  ``overridable`` checks may be forced
(``--force``); the others protect the network from a change that cannot work.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lagprov.errors import ParseError, UnsupportedFeature
from lagprov.knowledge.platforms import HARDWARE, MtuScope, StateQuery, get_spec
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
    if platform is Platform.JUNIPER_JUNOS:
        return "\n".join(s for s in running.splitlines() if s.startswith(f"set interfaces {port} "))
    out: list[str] = []
    inside = False
    for line in running.splitlines():
        if not line.startswith((" ", "\t")):
            inside = line.strip() == f"interface {port}"
            continue
        if inside:
            out.append(line)
    return "\n".join(out)


def _parsed(inv: Inventory, device: str, running: str) -> DeviceLagState | None:
    from lagprov.observe.parsers import parse_command

    platform = inv.switch(device).platform
    try:
        return parse_command(platform, get_spec(platform).commands[StateQuery.RUNNING_CONFIG],
                             running, device=device)
    except ParseError:
        return None


def _check(check: str, trunk: TrunkIntent, device: str, ok: bool, message: str, *,
           overridable: bool = False) -> CheckResult:
    return CheckResult(check=check, trunk=trunk.name, device=device, passed=ok,
                       message=message if not ok else "", overridable=overridable,
                       severity=Severity.ERROR)


def _end_checks(inv: Inventory, device: str, running: str, state: DeviceLagState | None,
                trunk: TrunkIntent, end: SwitchEnd) -> Iterator[CheckResult]:
    platform = end.platform
    model = HARDWARE[inv.switch(device).hardware]
    for member in end.members:
        owner = next((lag for lag in (state.lags if state else ())
                      if lag.member(member) and lag.channel != end.channel), None)
        yield _check("member-free", trunk, device, owner is None,
                     f"{member} is already a member of {owner.name or f'channel {owner.channel}'}"
                     if owner else "")
        l3 = _L3[platform].search(section(platform, running, member))
        yield _check("member-no-l3", trunk, device, l3 is None,
                     f"{member} has layer-3 configuration ({l3.group().strip()!r})" if l3 else "")
    if end.channel is not None and state is not None:
        lag = state.lag(end.channel)
        others = [m.name for m in (lag.members if lag else ()) if m.name not in end.members]
        yield _check("channel-free", trunk, device, not others,
                     f"channel {end.channel} already bundles {', '.join(others)}")
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


def _intent_checks(inv: Inventory, device: str, trunk: TrunkIntent) -> Iterator[CheckResult]:
    from lagprov.intent.lint import lint_inventory
    from lagprov.provision.render import render_device

    try:
        render_device(inv, device, trunks=[trunk.name])
    except UnsupportedFeature as exc:
        yield _check("feature-supported", trunk, device, False, str(exc))
    pairing = [f for f in lint_inventory(inv)
               if f.trunk == trunk.name and f.severity == "error"
               and f.rule in ("team-mode-incompatible", "lacp-passive-both-ends")]
    for f in pairing:
        yield _check("host-team-agrees", trunk, device, False, f.message)


def run_checks(inv: Inventory, device: str, running: str) -> tuple[CheckResult, ...]:
    """Every pre-change check of every present trunk end on ``device``."""
    state = _parsed(inv, device, running)
    out: list[CheckResult] = []
    for trunk, end in ends_on(inv, device):
        if trunk.state != "present":
            continue
        out.extend(_end_checks(inv, device, running, state, trunk, end))
        out.extend(_intent_checks(inv, device, trunk))
    return tuple(c for c in out if not c.passed)
