"""Switch hardware models as data: the file schema, and the catalog shipped with lagprov.

The facts live in ``lagprov/knowledge/hardware/*.yaml`` (one file per platform family; the
schema is ``docs/hardware.md``).  Every fact says where it comes from (``source``) and whether
that source confirms it (``confirmed``); a fact that is not confirmed is listed in
:attr:`HardwareModel.assumed`.  Claims marked [K] in vendor-cli.md are declared conservatively:
a feature that is not confirmed for a model is listed in ``lacks``, so lagprov refuses it
before rendering instead of sending a command the switch may reject.

:func:`parse_hardware_file` turns one parsed file into models (a ``pydantic.ValidationError``
names the field); :func:`merge_catalog` lays an inventory's own files over the shipped catalog.
Nothing here is mutated: the catalog an inventory uses is carried in its ``Inventory.hardware``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, StrictBool, StrictInt, StrictStr, model_validator

from lagprov.knowledge.platforms.base import HardwareModel, MtuScope, PortRange
from lagprov.model.base import Model
from lagprov.model.types import Feature, Platform

Positive = Annotated[StrictInt, Field(ge=1)]
Text = Annotated[StrictStr, Field(min_length=1)]


class _Fact(Model):
    """What every fact block carries: where it comes from and whether that confirms it."""

    source: Text | None = None
    confirmed: StrictBool | None = None


class PortRangeFile(Model):
    """``prefix`` + ``first``..``last``, all at ``speed_mbps``."""

    prefix: Text
    first: Annotated[StrictInt, Field(ge=0)]
    last: Annotated[StrictInt, Field(ge=0)]
    speed_mbps: Positive

    @model_validator(mode="after")
    def _ordered(self) -> PortRangeFile:
        if self.last < self.first:
            raise ValueError(f"last ({self.last}) is below first ({self.first})")
        return self


class PortsFact(_Fact):
    """Front-panel ports, as ranges of names."""

    ranges: tuple[PortRangeFile, ...] = Field(min_length=1)


class MtuFact(_Fact):
    """The MTU knob: where it is set, the values it takes (bytes, in the platform's own
    semantics: knowledge/mtu.py) and whether a change needs a reload."""

    scope: MtuScope
    min: Positive
    max: Positive
    default: Positive
    needs_reload: StrictBool = False

    @model_validator(mode="after")
    def _ordered(self) -> MtuFact:
        if not self.min <= self.default <= self.max:
            raise ValueError(f"expected min <= default <= max, got {self.min}, "
                             f"{self.default}, {self.max}")
        return self


class ChannelsFact(_Fact):
    """How many bundles the model creates (fewer than the platform allows)."""

    max: Positive


class MembersFact(_Fact):
    """Members of one bundle: active at once, and in all with LACP hot-standby."""

    active: Positive
    lacp_total: Positive | None = None


class LacksFact(_Fact):
    """Features the platform has that this model does not (or that no source confirms)."""

    features: tuple[Feature, ...] = Field(min_length=1)


class L2FrameFact(_Fact):
    """Largest bridged frame (header, one 802.1Q tag and FCS counted) whatever ``mtu`` says."""

    max: Positive


class StpEdgeFact(_Fact):
    """Spanning-tree edge lines as this model's OS spells them."""

    trunk: Text
    access: Text


class LacpRateCliFact(_Fact):
    """EOS: the member-port LACP rate command its train takes, ``lacp rate`` or ``lacp timer``."""

    keyword: Literal["rate", "timer"]


class VlanStyleFact(_Fact):
    """Junos VLAN syntax: ``els`` (interface-mode) or ``classic`` (port-mode)."""

    style: Literal["els", "classic"]


class StackFact(_Fact):
    """Stacking: Catalyst StackWise/FlexStack member numbers, EX Virtual Chassis FPCs."""

    technology: Text
    member_first: Annotated[StrictInt, Field(ge=0)]
    member_max: Annotated[StrictInt, Field(ge=0)]
    cross_stack: tuple[Literal["lacp", "static", "pagp"], ...] = ()

    @model_validator(mode="after")
    def _ordered(self) -> StackFact:
        if self.member_max < self.member_first:
            raise ValueError(f"member_max ({self.member_max}) is below member_first "
                             f"({self.member_first})")
        return self


class ModelFile(_Fact):
    """One model of a hardware file (every block may also come from the file's ``defaults``)."""

    ports: PortsFact | None = None
    mtu: MtuFact | None = None
    channels: ChannelsFact | None = None
    lag_members: MembersFact | None = None
    lacks: LacksFact | None = None
    l2_frame: L2FrameFact | None = None
    stp_edge: StpEdgeFact | None = None
    lacp_rate_cli: LacpRateCliFact | None = None
    vlan_style: VlanStyleFact | None = None
    stack: StackFact | None = None
    note: StrictStr = ""


_FACTS = ("ports", "mtu", "channels", "lag_members", "lacks", "l2_frame", "stp_edge",
          "lacp_rate_cli", "vlan_style", "stack")


class HardwareFile(Model):
    """A hardware file: one platform family."""

    family: Text
    platform: Platform
    defaults: ModelFile = ModelFile()
    models: dict[Text, ModelFile] = Field(min_length=1)

    def problems(self) -> list[tuple[str, str]]:
        """(field, message) for every fact without a source, every missing required block and
        every port the platform spells differently."""
        problems = []
        for name, m in self.models.items():
            for fact in _FACTS:
                block = self._block(m, fact)
                if block is not None and not (block.source or m.source or self.defaults.source):
                    problems.append((f"models.{name}.{fact}.source", "no source (give one on "
                                     "the fact, the model or the file's defaults)"))
            problems += [(f"models.{name}.{fact}", "required (on the model or in defaults)")
                         for fact in ("ports", "mtu") if self._block(m, fact) is None]
            ports = self._block(m, "ports")
            if isinstance(ports, PortsFact):
                problems += [(f"models.{name}.ports.ranges[{i}].prefix", p)
                             for i, r in enumerate(ports.ranges)
                             if (p := _port_problem(self.platform, r)) is not None]
        return problems

    def _block(self, m: ModelFile, fact: str) -> _Fact | None:
        own: _Fact | None = getattr(m, fact)
        return own if own is not None else getattr(self.defaults, fact)

    def build(self) -> Iterator[HardwareModel]:
        """The frozen models of this file."""
        for name, m in self.models.items():
            yield _build(self, name, m)


def _port_problem(platform: Platform, r: PortRangeFile) -> str | None:
    """Why the names of ``r`` are not the platform's own spelling (None: they are)."""
    from lagprov.knowledge.platforms import canonical_port  # the registry imports this module

    for n in (r.first, r.last):
        name = f"{r.prefix}{n}"
        try:
            canon = canonical_port(platform, name)
        except ValueError as exc:
            return str(exc)
        if canon != name:
            return f"{name!r} is spelt {canon!r} by the device; use that spelling"
    return None


def _build(f: HardwareFile, name: str, m: ModelFile) -> HardwareModel:
    def block(fact: str) -> Any:
        return f._block(m, fact)

    def confirmed(fact: str) -> bool:
        b = block(fact)
        for flag in (b.confirmed, m.confirmed, f.defaults.confirmed):
            if flag is not None:
                return bool(flag)
        return False

    def source(fact: str) -> str:
        return str(block(fact).source or m.source or f.defaults.source)

    present = [fact for fact in _FACTS if block(fact) is not None]
    ports: PortsFact | None = block("ports")
    mtu: MtuFact = block("mtu")
    members: MembersFact | None = block("lag_members")
    stp: StpEdgeFact | None = block("stp_edge")
    l2: L2FrameFact | None = block("l2_frame")
    stack: StackFact | None = block("stack")
    lacp_cli: LacpRateCliFact | None = block("lacp_rate_cli")
    return HardwareModel(
        name=name, platform=f.platform, family=f.family,
        ports=tuple(PortRange(r.prefix, r.first, r.last, r.speed_mbps)
                    for r in (ports.ranges if ports else ())),
        mtu_scope=mtu.scope, mtu_min=mtu.min, mtu_max=mtu.max, mtu_default=mtu.default,
        mtu_needs_reload=mtu.needs_reload,
        channel_max=block("channels").max if block("channels") else None,
        lacks=frozenset(block("lacks").features) if block("lacks") else frozenset(),
        vlan_style=block("vlan_style").style if block("vlan_style") else "",
        note=m.note or f.defaults.note,
        l2_frame_max=l2.max if l2 else None,
        l2_frame_source=source("l2_frame") if l2 else "",
        stp_edge={"trunk": stp.trunk, "access": stp.access} if stp else {},
        lacp_rate_keyword=lacp_cli.keyword if lacp_cli else "",
        lacp_rate_keyword_source=source("lacp_rate_cli") if lacp_cli else "",
        lag_members_active=members.active if members else None,
        lag_members_lacp=(members.lacp_total or members.active) if members else None,
        lag_members_source=source("lag_members") if members else "",
        lag_members_confirmed=confirmed("lag_members") if members else False,
        source=str(m.source or f.defaults.source or (ports.source if ports else "") or ""),
        assumed=tuple(fact for fact in present if not confirmed(fact)),
        stack_technology=stack.technology if stack else "",
        stack_member_first=stack.member_first if stack else 1,
        stack_member_max=stack.member_max if stack else None,
        stack_cross_protocols=stack.cross_stack if stack else (),
        stack_source=source("stack") if stack else "",
    )


class HardwareFileError(ValueError):
    """A hardware file that has the right shape but misses a source, a required fact, or
    spells a port unlike the device: ``problems`` is (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))
        self.problems = problems


def parse_hardware_file(doc: Any) -> tuple[HardwareModel, ...]:
    """The models of one parsed hardware file.

    Raises:
        pydantic.ValidationError: the file's shape is wrong (naming the field).
        HardwareFileError: a fact without a source, a missing fact, a misspelt port.
    """
    hw = HardwareFile.model_validate(doc)
    if problems := hw.problems():
        raise HardwareFileError(problems)
    return tuple(hw.build())


class PlatformDefaults(Model):
    """``platform-defaults.yaml``: what stands in for a model that is not in the catalog."""

    platforms: dict[Platform, ModelFile]


def _shipped() -> Iterator[tuple[str, Any]]:
    folder = files("lagprov.knowledge").joinpath("hardware")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            yield entry.name, yaml.safe_load(entry.read_text(encoding="utf-8"))


@cache
def builtin_catalog() -> Mapping[str, HardwareModel]:
    """Every model shipped with lagprov, by name (read once)."""
    models: dict[str, HardwareModel] = {}
    for name, doc in _shipped():
        if name == "platform-defaults.yaml":
            continue
        for m in parse_hardware_file(doc):
            if m.name in models:
                raise ValueError(f"hardware model {m.name} is defined twice ({name})")
            models[m.name] = m
    return MappingProxyType(models)


@cache
def _defaults() -> Mapping[Platform, ModelFile]:
    doc = dict(_shipped()).get("platform-defaults.yaml")
    return PlatformDefaults.model_validate(doc).platforms


def uncatalogued(name: str, platform: Platform) -> HardwareModel:
    """A model not in the catalog: the platform's defaults, no known ports, every fact assumed."""
    f = HardwareFile.model_construct(family=f"not catalogued ({platform.value} defaults)",
                                     platform=platform, defaults=_defaults()[platform], models={})
    model = _build(f, name, ModelFile())
    return replace(model, catalogued=False, assumed=("ports", *model.assumed))


def merge_catalog(own: Mapping[str, HardwareModel]) -> Mapping[str, HardwareModel]:
    """The shipped catalog with an inventory's own models added or replacing shipped ones."""
    return MappingProxyType({**builtin_catalog(), **own})


class _Builtin(Mapping[str, HardwareModel]):
    """The shipped catalog, read on first use (the registry is still importing before)."""

    def __getitem__(self, name: str) -> HardwareModel:
        return builtin_catalog()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(builtin_catalog())

    def __len__(self) -> int:
        return len(builtin_catalog())


HARDWARE: Mapping[str, HardwareModel] = _Builtin()
"""The shipped catalog (an inventory's own ``hardware/*.yaml`` are in ``Inventory.hardware``)."""


def catalogued_model(catalog: Mapping[str, HardwareModel], name: str) -> HardwareModel | None:
    """Model ``name`` if ``catalog`` (empty: the shipped one) describes it; None when not
    catalogued (no fact about it is known, so nothing is assumed)."""
    found = catalog.get(name) or builtin_catalog().get(name)
    return found if found is not None and found.catalogued else None


def hardware_of(catalog: Mapping[str, HardwareModel], name: str,
                platform: Platform) -> HardwareModel:
    """Model ``name`` from ``catalog`` (an ``Inventory.hardware``; empty: the shipped one), or
    the platform's defaults when it is not catalogued."""
    found = catalog.get(name) or builtin_catalog().get(name)
    if found is not None and found.platform is platform:
        return found
    return uncatalogued(name, platform)
