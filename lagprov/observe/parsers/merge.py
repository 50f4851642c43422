"""Field-wise merge of partial :class:`DeviceLagState` values.

Rules (in :func:`merge_device_states`):

* bundles are matched by ``channel``, members and ports by canonical ``name``;
* a known (non-None) value always beats an unknown (None) one, whatever the order;
* when two sources report *different* known values, the **later** source wins only for the
  live-state fields in :data:`LATER_WINS` (they change from second to second, and
  :func:`lagprov.observe.parsers.parse_device` parses summaries before detailed LACP outputs);
  for every other field (configuration-like: protocol, mode, rate, MTU, min-links, names...)
  the **first** reported value is kept;
* members of a bundle keep the order in which they were first seen; bundles are sorted by channel.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from lagprov.errors import InternalError
from lagprov.model.base import Model
from lagprov.model.state import (
    DeviceLagState,
    LagProtocol,
    LagState,
    MemberState,
    MemberStatus,
    PortState,
)
from lagprov.model.types import Platform, SwitchMode

LATER_WINS: frozenset[str] = frozenset(
    {"status", "link_up", "oper_up", "flags", "state", "activity", "system_id"}
)
"""Fields for which a later, different, known value replaces an earlier one."""

_M = TypeVar("_M", bound=Model)
_NESTED = ("actor", "partner", "mlag")  # mlag: show mlag + show mlag interfaces
# An empty table read is a fact (no MLAG interface), not missing data.
_EMPTY_IS_DATA = ("interfaces",)


def _merge_model(a: _M, b: _M) -> _M:
    update: dict[str, object] = {}
    for field in type(a).model_fields:
        old, new = getattr(a, field), getattr(b, field)
        if field in _NESTED and old is not None and new is not None:
            update[field] = _merge_model(old, new)
        elif new is None or (new == () and field not in _EMPTY_IS_DATA) or new == old:
            continue
        elif old is None or old == () or field in LATER_WINS:
            update[field] = new
    return a.model_copy(update=update) if update else a


def _merge_named(items: Iterable[_M], key: str) -> tuple[_M, ...]:
    merged: dict[object, _M] = {}
    for item in items:
        k = getattr(item, key)
        merged[k] = _merge_model(merged[k], item) if k in merged else item
    return tuple(merged.values())


def _merge_lags(a: LagState, b: LagState) -> LagState:
    base = _merge_model(a.model_copy(update={"members": ()}), b.model_copy(update={"members": ()}))
    members: tuple[MemberState, ...] = _merge_named((*a.members, *b.members), "name")
    return base.model_copy(update={"members": members})


def _absorb_ports(lag: LagState, ports: dict[str, PortState]) -> LagState:
    """A port reported as a plain port by one source but as a member by another is a member:
    its link, MTU and speed fill the member's unknown fields."""
    members = []
    for m in lag.members:
        p = ports.get(m.name)
        if p is not None:
            port_view = MemberState(
                name=m.name, link_up=p.link_up, mtu_ip=p.mtu_ip, speed_mbps=p.speed_mbps
            )
            m = _merge_model(m, port_view)
        members.append(m)
    return lag.model_copy(update={"members": tuple(members)})


def merge_device_states(*states: DeviceLagState) -> DeviceLagState:
    """Fold partial states of one device into one (see the module docstring for the rules).

    Raises:
        InternalError: if no state is given or they name different devices or platforms.
    """
    if not states:
        raise InternalError("merge_device_states() needs at least one state")
    first = states[0]
    for s in states[1:]:
        if (s.device, s.platform) != (first.device, first.platform):
            raise InternalError(
                f"cannot merge states of {first.device}/{first.platform}"
                f" and {s.device}/{s.platform}"
            )
    lags: dict[int, LagState] = {}
    for s in states:
        for lag in s.lags:
            lags[lag.channel] = _merge_lags(lags[lag.channel], lag) if lag.channel in lags else lag
    ports: tuple[PortState, ...] = _merge_named((p for s in states for p in s.ports), "name")
    by_name = {p.name: p for p in ports}
    lags = {c: _absorb_ports(lag, by_name) for c, lag in lags.items()}
    in_lag = {m.name for lag in lags.values() for m in lag.members}
    top = first
    for s in states[1:]:
        top = _merge_model(
            top.model_copy(update={"lags": (), "ports": ()}),
            s.model_copy(update={"lags": (), "ports": ()}),
        )
    return top.model_copy(
        update={
            "lags": tuple(lags[c] for c in sorted(lags)),
            "ports": tuple(p for p in ports if p.name not in in_lag),
        }
    )


def settle_static_members(state: DeviceLagState) -> DeviceLagState:
    """Junos static ae (no LACP): a member has no state but its link, and a static bundle
    distributes on every member whose link is up.  ``show interfaces aeN extensive`` lists the
    members with ``Up``/``Down``; turn that into bundled/down where nothing else reported it.
    Other platforms report per-member bundle flags (IOS/SMIS can suspend static members), so
    they are left untouched."""
    if state.platform is not Platform.JUNIPER_JUNOS:
        return state
    lags = []
    for lag in state.lags:
        if lag.protocol is LagProtocol.STATIC or lag.mode is SwitchMode.STATIC:
            members = tuple(
                m.model_copy(update={"status": MemberStatus.BUNDLED if m.link_up
                                     else MemberStatus.DOWN})
                if m.status is None and m.link_up is not None else m
                for m in lag.members
            )
            lag = lag.model_copy(update={"members": members})
        lags.append(lag)
    return state.model_copy(update={"lags": tuple(lags)})
