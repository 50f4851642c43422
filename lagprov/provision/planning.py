"""Build the change plan of one device from the intent and its running configuration (pure)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from lagprov.errors import InputError
from lagprov.knowledge.platforms import get_spec
from lagprov.model.intent import SwitchEnd, TrunkIntent
from lagprov.model.inventory import Inventory
from lagprov.model.plan import ChangePlan, CheckResult
from lagprov.model.types import Platform
from lagprov.provision.diff import plan_indented, plan_junos
from lagprov.provision.member_carry import MemberGroup, carry_member_lines
from lagprov.provision.raise_only import keep_raised

# The EX factory default of a front-panel port (templates/config/juniper_junos/remove.j2).
JUNOS_RELEASED = "set interfaces {} unit 0 family ethernet-switching"


Ends = list[tuple[TrunkIntent, SwitchEnd]]
# The last inventory's ends by device: a run asks for one device's ends many times over, and a
# scan of every trunk each time made a run grow as devices x trunks.  An Inventory is frozen,
# so its identity names its contents.
_ENDS: tuple[Inventory, dict[str, Ends]] | None = None


def ends_on(inv: Inventory, device: str) -> Ends:
    """Every (trunk, end) pair placed on ``device``, in inventory order."""
    global _ENDS
    known = _ENDS
    if known is None or known[0] is not inv:
        index: dict[str, Ends] = {}
        for t in inv.trunks:
            for e in t.switch_ends:
                index.setdefault(e.device, []).append((t, e))
        known = _ENDS = (inv, index)
    return list(known[1].get(device, ()))


def claimed_once(platform: Platform, device: str, ends: Ends) -> None:
    """Refuse two present trunk ends that configure one section (a port in two trunks, a
    channel used twice): their lines would be merged into one section, which hier_config
    refuses (``DuplicateChildError``) and no device could carry.

    Raises:
        InputError: naming the section and both trunks.
    """
    owner: dict[str, str] = {}
    for trunk, end in ends:
        if trunk.state != "present":
            continue
        for head in owned_sections(platform, end):
            first = owner.setdefault(head, trunk.name)
            if first != trunk.name:
                raise InputError(f"device {device}",
                                 f"'{head}' is configured by two trunks, {first} and "
                                 f"{trunk.name}: a port or channel belongs to one trunk "
                                 "(lagprov validate: port-in-two-trunks, channel-reused)")


def owned_sections(platform: Platform, end: SwitchEnd) -> tuple[str, ...]:
    """Configuration sections a trunk end owns: its members and its bundle."""
    spec = get_spec(platform)
    if platform is Platform.JUNIPER_JUNOS:
        heads = [f"interfaces {m}" for m in end.members]
        if end.channel is not None:
            heads.append(f"interfaces {spec.lag_name(end.channel)}")
        # the STP edge statement of the bundle (or of each independent port), only that leaf
        edges = [spec.lag_name(end.channel)] if end.channel is not None else list(end.members)
        heads += [f"protocols rstp interface {name} edge" for name in edges]
        return tuple(heads)
    heads = [f"interface {m}" for m in end.members]
    if end.channel is not None:
        heads.append(f"interface {spec.lag_name(end.channel)}")
    return tuple(heads)


def detach_sections(platform: Platform, running: str,
                    ports: Sequence[str]) -> tuple[list[str], list[str]]:
    """(candidate lines, owned sections) that take ``ports`` out of their bundle, keeping every
    other line of theirs (``--replace``: a port in the trunk's channel the intent does not name).
    """
    from lagprov.provision.precheck import section

    if platform is Platform.JUNIPER_JUNOS:
        return [], [f"interfaces {p} ether-options 802.3ad" for p in ports]
    candidate: list[str] = []
    for port in ports:
        candidate.append(f"interface {port}")
        candidate.extend(line for line in section(platform, running, port).splitlines()
                         if not line.strip().startswith("channel-group"))
    return candidate, [f"interface {p}" for p in ports]


def member_groups(platform: Platform,
                  ends: Sequence[tuple[TrunkIntent, SwitchEnd]]) -> list[MemberGroup]:
    """Each end's member sections and bundle section, for carrying member lines."""
    out = []
    for trunk, end in ends:
        heads = owned_sections(platform, end)
        out.append(MemberGroup(members=heads[:len(end.members)],
                               bundle=heads[-1] if end.channel is not None else None,
                               removal=trunk.state == "absent"))
    return out


def plan_device(inv: Inventory, device: str, running: str,
                checks: tuple[CheckResult, ...] = (), *,
                trunks: Collection[str] | None = None,
                detach: Sequence[str] = (), vlans: Collection[int] | None = None) -> ChangePlan:
    """The remediation that brings ``device`` to the intent, touching nothing else.

    Trunks with ``state: absent`` contribute their sections as owned-but-empty, so their
    configuration is removed; present trunks contribute their rendered configuration.
    ``trunks`` limits the plan to those trunks' sections (a ``--filter``); ``detach`` names
    ports to take out of their bundle (see :func:`detach_sections`).  ``vlans``: the VLAN ids
    the device has (its VLAN table; Junos: read from ``running`` when not given); a
    ``create_vlans`` end's missing VLANs are created first, outside the section diff.
    """
    from lagprov.provision.precheck import existing_vlans
    from lagprov.provision.render import render_device, vlan_lines, vlans_to_create

    switch = inv.switch(device)
    ends = [(t, e) for t, e in ends_on(inv, device) if trunks is None or t.name in trunks]
    claimed_once(switch.platform, device, ends)
    present = [t.name for t, _ in ends if t.state == "present"]
    absent = [(t, e) for t, e in ends if t.state == "absent"]
    have = vlans if vlans is not None else existing_vlans(switch.platform, running, None)
    rendered = render_device(inv, device, trunks=present, vlans_present=have) if present else None
    creates = list(rendered.lines[:rendered.vlan_lines]) if rendered else []
    candidate = list(rendered.lines[rendered.vlan_lines:]) if rendered else []
    candidate, kept = keep_raised(candidate, running, get_spec(switch.platform).raise_only,
                                  device=device)
    owned: list[str] = []
    for _, end in ends:
        owned.extend(owned_sections(switch.platform, end))
    if detach:
        extra, extra_owned = detach_sections(switch.platform, running, detach)
        candidate += extra
        owned += extra_owned
    groups = member_groups(switch.platform, ends)
    if switch.platform is Platform.JUNIPER_JUNOS:
        # a removed end's ports go back to what an EX ships with: a layer-2 port
        candidate += [JUNOS_RELEASED.format(m) for _, e in absent for m in e.members]
        candidate, carried = carry_member_lines(switch.platform, running, candidate, groups,
                                                device=device)
        remediation, rollback = plan_junos(running, candidate, owned)
    else:
        member_heads = [h for _, e in absent for h in owned_sections(switch.platform, e)
                        if not h.lower().startswith(("interface port-channel", "interface ae"))]
        full, carried = carry_member_lines(switch.platform, running, candidate + member_heads,
                                           groups, device=device)
        remediation, rollback = plan_indented(switch.platform, running, full, owned)
    if creates:  # the undo of a failed change removes only the VLANs it created
        made = vlans_to_create([e for t, e in ends if t.state == "present"], have)
        remediation = (*creates, *remediation)
        rollback = (*rollback, *vlan_lines(switch.platform, made, delete=True))
    return ChangePlan(
        device=device,
        platform=switch.platform,
        trunks=tuple(t.name for t, _ in ends),
        remediation=remediation,
        rollback=rollback,
        notes=(*(rendered.notes if rendered and remediation else ()), *kept,
               *(carried if remediation else ())),
        checks=checks,
    )
