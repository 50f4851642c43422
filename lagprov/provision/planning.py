"""Build the change plan of one device from the intent and its running configuration (pure)."""

from __future__ import annotations

from lagprov.knowledge.platforms import get_spec
from lagprov.model.intent import SwitchEnd, TrunkIntent
from lagprov.model.inventory import Inventory
from lagprov.model.plan import ChangePlan, CheckResult
from lagprov.model.types import Platform
from lagprov.provision.diff import plan_indented, plan_junos


def ends_on(inv: Inventory, device: str) -> list[tuple[TrunkIntent, SwitchEnd]]:
    """Every (trunk, end) pair placed on ``device``, in inventory order."""
    return [(t, e) for t in inv.trunks for e in t.switch_ends if e.device == device]


def owned_sections(platform: Platform, end: SwitchEnd) -> tuple[str, ...]:
    """Configuration sections a trunk end owns: its members and its bundle."""
    spec = get_spec(platform)
    if platform is Platform.JUNIPER_JUNOS:
        heads = [f"interfaces {m}" for m in end.members]
        if end.channel is not None:
            heads.append(f"interfaces {spec.lag_name(end.channel)}")
        return tuple(heads)
    heads = [f"interface {m}" for m in end.members]
    if end.channel is not None:
        heads.append(f"interface {spec.lag_name(end.channel)}")
    return tuple(heads)


def plan_device(inv: Inventory, device: str, running: str,
                checks: tuple[CheckResult, ...] = ()) -> ChangePlan:
    """The remediation that brings ``device`` to the intent, touching nothing else.

    Trunks with ``state: absent`` contribute their sections as owned-but-empty, so their
    configuration is removed; present trunks contribute their rendered configuration.
    """
    from lagprov.provision.render import render_device

    switch = inv.switch(device)
    ends = ends_on(inv, device)
    present = [t.name for t, _ in ends if t.state == "present"]
    absent = [(t, e) for t, e in ends if t.state == "absent"]
    rendered = render_device(inv, device, trunks=present) if present else None
    candidate = list(rendered.lines) if rendered else []
    owned: list[str] = []
    for _, end in ends:
        owned.extend(owned_sections(switch.platform, end))
    if switch.platform is Platform.JUNIPER_JUNOS:
        remediation, rollback = plan_junos(running, candidate, owned)
    else:
        member_heads = [h for _, e in absent for h in owned_sections(switch.platform, e)
                        if not h.lower().startswith(("interface port-channel", "interface ae"))]
        remediation, rollback = plan_indented(switch.platform, running,
                                              candidate + member_heads, owned)
    return ChangePlan(
        device=device,
        platform=switch.platform,
        trunks=tuple(t.name for t, _ in ends),
        remediation=remediation,
        rollback=rollback,
        notes=rendered.notes if rendered and remediation else (),
        checks=checks,
    )
