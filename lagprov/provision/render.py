"""Render the configuration lines of every trunk end on a switch (pure; no device contact).

Each platform has three templates under ``templates/config/<platform>/``:

* ``preamble.j2``: device-level lines computed once (Catalyst ``system mtu``, Junos
  ``device-count``, SMIS ``set port-channel enable``), from facts over every present end;
* ``lag.j2``: one trunk end (a port-channel with its members, or independent ports);
* ``remove.j2``: exactly one trunk end's configuration removed, never a global line.

Templates get plain data (see :func:`end_context`), so they can be read and tested alone.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from lagprov.errors import InputError, UnsupportedFeature
from lagprov.knowledge.platforms import (
    HardwareModel,
    MtuScope,
    PlatformSpec,
    get_spec,
    hardware_of,
)
from lagprov.knowledge.templates import ENV_VAR, TemplateStore, vlan_ranges
from lagprov.model.base import Model
from lagprov.model.intent import SwitchEnd, Trunk8021q, TrunkIntent
from lagprov.model.inventory import Inventory, SwitchDevice
from lagprov.model.types import Feature, LacpRate, Platform, SwitchMode
from lagprov.provision.raise_only import raise_only_notes

__all__ = ["RenderedConfig", "end_context", "render_device", "render_inventory"]


_STORES: dict[str, TemplateStore] = {}


def default_store() -> TemplateStore:
    """The template store of the current root (``LAGPROV_TEMPLATES`` or the checkout's), made
    once: its Jinja environment keeps the compiled templates (and reloads a changed file), where
    a new store per rendering compiled every template again for every trunk."""
    key = os.environ.get(ENV_VAR, "")
    store = _STORES.get(key)
    if store is None:
        store = _STORES[key] = TemplateStore()
    return store


class RenderedConfig(Model):
    """The configuration lines for one switch, in the order they are typed."""

    device: str
    platform: Platform
    trunks: tuple[str, ...]
    lines: tuple[str, ...]
    notes: tuple[str, ...] = ()
    vlan_lines: int = 0  # the first lines create VLANs (create_vlans; never diffed)

    @property
    def text(self) -> str:
        """The lines as one text, newline-terminated (empty when there is nothing to do)."""
        return "".join(f"{line}\n" for line in self.lines)


@dataclass(frozen=True, slots=True)
class _Job:
    trunk: TrunkIntent
    end: SwitchEnd
    remove: bool


def _hw_context(model: HardwareModel) -> dict[str, object]:
    return {
        "name": model.name,
        "mtu_scope": model.mtu_scope.value,
        "mtu_needs_reload": model.mtu_needs_reload,
        "vlan_style": model.vlan_style,
        "lacp_rate_keyword": model.lacp_rate_keyword,  # EOS: rate | timer (hardware data)
    }


def end_context(
    trunk: TrunkIntent, end: SwitchEnd, spec: PlatformSpec, model: HardwareModel
) -> dict[str, object]:
    """The plain data a ``lag.j2``/``remove.j2`` template gets for one trunk end.

    ``description`` is the end's description, else the trunk name; ``mtu`` is set only where
    the hardware takes MTU per interface (Catalyst MTU is global: see ``preamble.j2``);
    ``fast`` is True when the end asks for fast LACP and the hardware has it.
    """
    per_port = model.mtu_scope is MtuScope.INTERFACE
    return {
        "trunk": {"name": trunk.name, "description": trunk.description},
        "end": end.model_dump(mode="json"),
        "description": end.description or trunk.name,
        "lag": spec.lag_name(end.channel) if end.channel is not None else None,
        "mtu": end.mtu if per_port else None,
        "fast": end.lacp_rate is LacpRate.FAST and spec.supports(Feature.LACP_RATE_FAST, model),
        "min_links": spec.min_links_statement(end.min_links),
        "stp_edge": _stp_edge_line(trunk, end, model),
        "edge": trunk.stp_edge(end),  # Junos: 'set protocols rstp interface <if> edge'
        "hw": _hw_context(model),
    }


def _stp_edge_line(trunk: TrunkIntent, end: SwitchEnd, model: HardwareModel) -> str | None:
    """The model's spanning-tree edge line for this end (``spanning-tree portfast edge
    trunk`` on IOS-XE), or None: not an edge end, or the model spells it nowhere."""
    if not trunk.stp_edge(end):
        return None
    kind = "trunk" if isinstance(end.l2, Trunk8021q) else "access"
    return model.stp_edge.get(kind)


def _needed_features(end: SwitchEnd, spec: PlatformSpec,
                     model: HardwareModel) -> list[tuple[Feature, str]]:
    needs: list[tuple[Feature, str]] = []
    if end.mode is SwitchMode.LACP_PASSIVE:
        needs.append((Feature.LACP_PASSIVE, "mode lacp-passive"))
    if end.mode is SwitchMode.STATIC:
        needs.append((Feature.STATIC_LAG, "mode static"))
    if end.lacp_rate is LacpRate.FAST:
        needs.append((Feature.LACP_RATE_FAST, "lacp_rate fast"))
    if end.min_links is not None and spec.min_links_statement(end.min_links) is not None:
        needs.append((Feature.MIN_LINKS, f"min_links {end.min_links}"))
    if isinstance(end.l2, Trunk8021q) and end.l2.native_vlan is not None:
        needs.append((Feature.NATIVE_VLAN, f"native_vlan {end.l2.native_vlan}"))
    if end.mtu is not None and model.mtu_scope is MtuScope.INTERFACE:
        needs.append((Feature.PER_PORT_MTU, f"mtu {end.mtu}"))
    return needs


def _check_end(job: _Job, switch: SwitchDevice, spec: PlatformSpec, model: HardwareModel) -> None:
    """Refuse, before anything is rendered, what the platform or hardware lacks."""
    where = f"device {switch.name} ({model.name}), trunk {job.trunk.name}"
    for feature, asked in _needed_features(job.end, spec, model):
        if not spec.supports(feature, model):
            raise UnsupportedFeature(spec.platform.value, feature.value, f"{where}: {asked}")
    rule, need = spec.min_links, job.end.min_links
    problem = rule.problem(need, lacp=job.end.mode.is_lacp) if rule and need else None
    if problem is not None:
        raise UnsupportedFeature(spec.platform.value, Feature.MIN_LINKS.value,
                                 f"{where}: {problem}")
    ch = job.end.channel
    if ch is not None and not spec.channel_min <= ch <= spec.channel_max:
        raise InputError(
            where, f"channel {ch} is outside {spec.channel_min}..{spec.channel_max}"
        )
    mtu = job.end.mtu
    if mtu is not None and not model.mtu_min <= mtu <= model.mtu_max:
        raise InputError(where, f"mtu {mtu} is outside {model.mtu_min}..{model.mtu_max}")


def _ends_on(inventory: Inventory, device: str) -> list[tuple[TrunkIntent, SwitchEnd]]:
    return [(t, e) for t in inventory.trunks for e in t.switch_ends if e.device == device]


def _jobs(
    inventory: Inventory, device: str, remove: bool, trunks: Iterable[str] | None
) -> list[_Job]:
    """Removals first (a channel number may be reused), then creations; inventory order."""
    ends = _ends_on(inventory, device)
    if trunks is not None:
        wanted = set(trunks)
        known = {t.name for t, _ in ends}
        unknown = sorted(wanted - known)
        if unknown:
            raise InputError(
                f"device {device}",
                f"no trunk {', '.join(unknown)} on this switch; known: {', '.join(sorted(known))}",
            )
        ends = [(t, e) for t, e in ends if t.name in wanted]
    jobs = [_Job(t, e, remove or t.state == "absent") for t, e in ends]
    return [j for j in jobs if j.remove] + [j for j in jobs if not j.remove]


def _preamble_context(
    inventory: Inventory, device: str, jobs: list[_Job], model: HardwareModel
) -> dict[str, object]:
    """Device-level facts over every present end on the device (not only the selected ones),
    so that rendering one trunk never lowers a global setting another trunk needs."""
    present = [e for t, e in _ends_on(inventory, device) if t.state == "present"]
    mtus = [e.mtu for e in present if e.mtu is not None]
    creating = [j for j in jobs if not j.remove]
    return {
        "hw": _hw_context(model),
        "creating": bool(creating),
        "creating_lag": any(j.end.mode.is_lag for j in creating),
        "channels": sorted({e.channel for e in present if e.channel is not None}),
        "max_mtu": max(mtus) if mtus else None,
    }


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def _notes(switch: SwitchDevice, model: HardwareModel, pre: dict[str, object]) -> list[str]:
    if not model.catalogued:
        return [f"{switch.name}: hardware {model.name} is not in the hardware catalog; rendered "
                f"with the {switch.platform.value} defaults (docs/hardware.md)"]
    global_mtu = model.mtu_scope in (MtuScope.SYSTEM, MtuScope.SYSTEM_JUMBO)
    if pre["creating"] and pre["max_mtu"] is not None and global_mtu and model.mtu_needs_reload:
        return [
            f"{switch.name}: the system MTU ({pre['max_mtu']}) takes effect only after a "
            f"reload of the {model.name}; until then the switch keeps its current MTU"
        ]
    return []


def render_device(
    inventory: Inventory,
    device: str,
    *,
    remove: bool = False,
    trunks: Iterable[str] | None = None,
    store: TemplateStore | None = None,
    vlans_present: Collection[int] | None = None,
) -> RenderedConfig:
    """Configuration lines for every trunk end on switch ``device``.

    Trunks with ``state: absent`` render their removal; ``remove=True`` renders the removal
    of every selected trunk end.  ``trunks`` limits the rendering to those trunk names.
    Ends with ``create_vlans`` first create their VLANs: those missing from ``vlans_present``
    (the device's VLAN table), or all of them when it is not known (hand-pasted ``render``).

    Raises:
        InputError: unknown device or trunk name, channel or MTU out of range.
        UnsupportedFeature: an end asks for something the platform or hardware lacks.
        TemplateError: a template is missing or uses an undefined variable.
    """
    try:
        switch = inventory.switch(device)
    except KeyError:
        known = ", ".join(s.name for s in inventory.switches)
        raise InputError(
            f"device {device}", f"not a switch of the inventory; known: {known}"
        ) from None
    spec = get_spec(switch.platform)
    model = hardware_of(inventory.hardware, switch.hardware, switch.platform)
    jobs = _jobs(inventory, device, remove, trunks)
    for job in jobs:
        if not job.remove:
            _check_end(job, switch, spec, model)
    store = store or default_store()
    folder = f"config/{switch.platform.value}"
    pre = _preamble_context(inventory, device, jobs, model)
    create = vlans_to_create(jobs_ends(jobs), vlans_present)
    lines = vlan_lines(switch.platform, create, store=store)
    vlan_count = len(lines)
    lines += _lines(store.render(f"{folder}/preamble.j2", pre))
    for job in jobs:
        name = "remove.j2" if job.remove else "lag.j2"
        ctx = end_context(job.trunk, job.end, spec, model)
        lines += _lines(store.render(f"{folder}/{name}", ctx))
    names = tuple(dict.fromkeys(j.trunk.name for j in jobs))
    raises = raise_only_notes(lines, spec.raise_only, device=device)
    return RenderedConfig(
        device=device,
        platform=switch.platform,
        trunks=names,
        lines=tuple(lines),
        notes=(*_notes(switch, model, pre), *raises,
               *_switch_wide_notes(spec, device, lines, jobs),
               *_vlan_notes(spec, device, create, jobs, known=vlans_present is not None)),
        vlan_lines=vlan_count,
    )


def jobs_ends(jobs: Iterable[_Job]) -> list[SwitchEnd]:
    """The ends a rendering creates (not removes)."""
    return [j.end for j in jobs if not j.remove]


def vlans_to_create(ends: Iterable[SwitchEnd], present: Collection[int] | None) -> list[int]:
    """The VLANs of the ``create_vlans`` ends that ``present`` lacks (all when unknown)."""
    wanted = {v for e in ends if e.create_vlans for v in e.vlan_ids()}
    return sorted(wanted - set(present or ()))


def vlan_lines(platform: Platform, ids: Collection[int], *, delete: bool = False,
               store: TemplateStore | None = None) -> list[str]:
    """``templates/config/<platform>/vlans.j2``: create ``ids`` (or, ``delete``, remove them:
    only the undo of a failed change that created them)."""
    if not ids:
        return []
    store = store or default_store()
    text = store.render(f"config/{platform.value}/vlans.j2",
                        {"ids": sorted(ids), "delete": delete})
    return _lines(text)


def _vlan_notes(spec: PlatformSpec, device: str, created: list[int], jobs: list[_Job], *,
                known: bool) -> list[str]:
    notes = []
    if created:
        which = "missing on the switch" if known else "this end carries (all: the switch's " \
            "VLAN table was not read; an existing VLAN is left as it is)"
        notes.append(f"{device}: creates VLANs {vlan_ranges(created)}, the ones {which} "
                     "(create_vlans)")
        if spec.platform is Platform.JUNIPER_JUNOS and not known:
            notes.append(f"{device}: a VLAN that exists under another name must not be "
                         "created again (two entries with one vlan-id do not commit); "
                         "'lagprov plan' reads the configuration and leaves those out")
    for j in jobs:
        if j.remove and j.end.create_vlans and j.end.vlan_ids():
            notes.append(f"{device}: removing {j.trunk.name} leaves VLANs "
                         f"{vlan_ranges(j.end.vlan_ids())} in place: other ports may use "
                         "them, so lagprov never deletes a VLAN")
    return notes


def _switch_wide_notes(spec: PlatformSpec, device: str, lines: list[str],
                       jobs: list[_Job]) -> list[str]:
    """For hand-pasted ``render`` output: a switch-wide enable only enables, and a removal
    leaves it enabled (SMIS link aggregation, ``PlatformSpec.switch_wide``)."""
    notes = [f"{device}: '{on}' turns link aggregation on switch-wide; it only enables (nothing "
             "changes if it is on already) and lagprov never turns it off"
             for on in spec.switch_wide if on in lines]
    if any(j.remove and j.end.mode.is_lag for j in jobs):
        notes += [f"{device}: link aggregation is enabled globally ('{on}') and is left enabled: "
                  f"'{off}' would drop every port-channel of the switch, not only this trunk's"
                  for on, off in spec.switch_wide.items()]
    return notes


def render_inventory(
    inventory: Inventory,
    *,
    remove: bool = False,
    device: str | None = None,
    store: TemplateStore | None = None,
) -> tuple[RenderedConfig, ...]:
    """:func:`render_device` for ``device``, or for every switch that has a trunk end.

    Switches are taken in inventory order; a named ``device`` is always rendered, even empty.
    """
    store = store or default_store()
    if device is not None:
        return (render_device(inventory, device, remove=remove, store=store),)
    busy = {e.device for t in inventory.trunks for e in t.switch_ends}
    return tuple(
        render_device(inventory, s.name, remove=remove, store=store)
        for s in inventory.switches
        if s.name in busy
    )
