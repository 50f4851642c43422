"""What a lint rule sees and says: findings, rules, and a typed view of every trunk end.

Rules are pure functions ``(LintContext) -> Iterable[Issue]``; the engine turns each
:class:`Issue` into a :class:`LintFinding` carrying the rule id and the file.  The context
resolves, once, the device, hardware model and platform spec behind every switch end, and the
field path that names each end in the same style as :mod:`lagprov.intent.load` errors
(``trunks[2] (hv01-team).switch[0].members[1]``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lagprov.knowledge.platforms import PLATFORMS, HardwareModel, PlatformSpec, hardware_of
from lagprov.model.base import Model
from lagprov.model.intent import HostEnd, SwitchEnd, TrunkIntent
from lagprov.model.inventory import Inventory, SwitchDevice
from lagprov.model.types import Severity


class LintFinding(Model):
    """One semantic problem of the inventory, pinned to a file, a trunk and a field."""

    rule: str
    severity: Severity
    file: str
    trunk: str | None
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class SwitchRef:
    """A switch end of a trunk, with everything a rule needs to judge it."""

    trunk: TrunkRef
    end: SwitchEnd
    field: str  # "trunks[6] (core).switch[0]" or "trunks[6] (core).peer"
    device: SwitchDevice
    model: HardwareModel
    spec: PlatformSpec

    @property
    def label(self) -> str:
        """``cat9300-1 Port-channel10`` or ``ex3300-1 ge-0/0/5`` for messages."""
        if self.end.channel is not None:
            return f"{self.end.device} {self.spec.lag_name(self.end.channel)}"
        return f"{self.end.device} {', '.join(self.end.members)}"

    @property
    def is_peer(self) -> bool:
        """True for the far switch of a switch-to-switch trunk."""
        return self.field.endswith(".peer")


@dataclass(frozen=True, slots=True)
class TrunkRef:
    """A trunk and its position in ``trunks.yaml``."""

    index: int
    trunk: TrunkIntent

    @property
    def field(self) -> str:
        """``trunks[2] (hv01-team)``, as the loader names it."""
        return f"trunks[{self.index}] ({self.trunk.name})"

    @property
    def name(self) -> str:
        """The trunk's name."""
        return self.trunk.name

    @property
    def host(self) -> HostEnd | None:
        """The host end, if the far end is a host."""
        return self.trunk.host


class LintContext:
    """The inventory, resolved once for every rule."""

    def __init__(self, inv: Inventory) -> None:
        self.inventory = inv
        self.trunks_file = str(Path(inv.root) / "trunks.yaml")
        self._switches = {s.name: s for s in inv.switches}

    @cached_property
    def trunks(self) -> tuple[TrunkRef, ...]:
        """Every trunk that should exist (``state: absent`` trunks are being removed)."""
        return tuple(TrunkRef(i, t) for i, t in enumerate(self.inventory.trunks)
                     if t.state == "present")

    @cached_property
    def switch_ends(self) -> tuple[SwitchRef, ...]:
        """Every switch end of every present trunk, peers included, in file order."""
        return tuple(ref for t in self.trunks for ref in self.ends_of(t))

    def ends_of(self, t: TrunkRef) -> tuple[SwitchRef, ...]:
        """The switch ends of one trunk: ``switch[0..]`` then ``peer``."""
        named = [(f"{t.field}.switch[{j}]", e) for j, e in enumerate(t.trunk.switch)]
        if t.trunk.peer is not None:
            named.append((f"{t.field}.peer", t.trunk.peer))
        return tuple(self._ref(t, field, end) for field, end in named)

    def _ref(self, t: TrunkRef, field: str, end: SwitchEnd) -> SwitchRef:
        device = self._switches[end.device]
        return SwitchRef(trunk=t, end=end, field=field, device=device,
                         model=hardware_of(self.inventory.hardware, device.hardware,
                                           device.platform),
                         spec=PLATFORMS[device.platform])

@dataclass(frozen=True, slots=True)
class Issue:
    """What a rule reports; the engine adds the rule id and the file."""

    severity: Severity
    trunk: TrunkRef | None
    field: str
    message: str


def error(trunk: TrunkRef | None, field: str, message: str) -> Issue:
    """An error-severity issue."""
    return Issue(Severity.ERROR, trunk, field, message)


def warning(trunk: TrunkRef | None, field: str, message: str) -> Issue:
    """A warning-severity issue."""
    return Issue(Severity.WARNING, trunk, field, message)


RuleCheck = Callable[[LintContext], Iterable[Issue]]


@dataclass(frozen=True, slots=True)
class LintRule:
    """A rule: a stable kebab-case id, one line of what it catches, and its check."""

    id: str
    summary: str
    check: RuleCheck
