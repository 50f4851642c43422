"""Fold per-interface configuration blocks (IOS, EOS, SMIS share the shape) into bundles."""

from __future__ import annotations

from lagprov.knowledge.mtu import switch_ip_mtu
from lagprov.knowledge.platforms import canonical_port
from lagprov.model.state import LagProtocol, LagState, MemberState, PortState
from lagprov.model.types import LacpRate, Platform, SwitchMode
from lagprov.observe.parsers._common import channel_of, config_mode, l2_of, port_name


def config_lags(platform: Platform, groups: list[dict[str, object]]) -> list[LagState]:
    """Fold per-interface config blocks (IOS, EOS and SMIS share the shape) into bundles."""
    lags: dict[int, dict[str, object]] = {}
    members: dict[int, list[MemberState]] = {}
    rates: dict[int, set[LacpRate]] = {}
    for g in groups:
        name = str(g["name"])
        lowered = name.lower().replace(" ", "")
        if lowered.startswith(("port-channel", "po")) and "." not in name and name[-1].isdigit():
            lags.setdefault(channel_of(name), {}).update(_po_fields(platform, name, g))
        elif "channel" in g:
            channel = int(str(g["channel"]))
            member_mode = config_mode(str(g.get("channel_mode", "")))
            lags.setdefault(channel, {}).setdefault("mode", member_mode)
            rate = _config_rate(g)
            if rate is not None:
                rates.setdefault(channel, set()).add(rate)
            mtu = g.get("mtu")
            members.setdefault(channel, []).append(
                MemberState(
                    name=port_name(platform, name),
                    mtu_ip=switch_ip_mtu(platform, int(str(mtu))) if mtu is not None else None,
                )
            )
    result = []
    for channel in sorted(set(lags) | set(members)):
        fields = lags.get(channel, {})
        mode = fields.get("mode")
        protocol = None
        if isinstance(mode, SwitchMode):
            protocol = LagProtocol.LACP if mode.is_lacp else LagProtocol.STATIC
        rate_set = rates.get(channel, set())
        if len(rate_set) == 1 and isinstance(mode, SwitchMode) and mode.is_lacp:
            fields = {**fields, "lacp_rate": rate_set.pop()}
        result.append(
            LagState.model_validate(
                {"channel": channel, "protocol": protocol, **fields,
                 "members": tuple(members.get(channel, ()))}
            )
        )
    return result


def _config_rate(g: dict[str, object]) -> LacpRate | None:
    word = str(g.get("lacp_rate") or g.get("lacp_timeout") or "").lower()
    return {"fast": LacpRate.FAST, "short": LacpRate.FAST, "normal": LacpRate.SLOW,
            "slow": LacpRate.SLOW, "long": LacpRate.SLOW}.get(word)  # fmt: skip


def _po_fields(platform: Platform, name: str, g: dict[str, object]) -> dict[str, object]:
    mtu = g.get("mtu")
    allowed = [a for a in str(g.get("allowed", "")).split(",") if a]
    l2 = l2_of(
        str(g["l2_mode"]) if "l2_mode" in g else None,
        str(g["access_vlan"]) if "access_vlan" in g else None,
        allowed,
        str(g["native_vlan"]) if "native_vlan" in g else None,
    )
    fields: dict[str, object] = {
        "name": name,
        "description": str(g["description"]).strip().strip('"') if "description" in g else None,
        "mtu_ip": switch_ip_mtu(platform, int(str(mtu))) if mtu is not None else None,
        "min_links": int(str(g["min_links"])) if "min_links" in g else None,
        "l2": l2,
    }
    return {k: v for k, v in fields.items() if v is not None}


def config_ports(platform: Platform, groups: list[dict[str, object]]) -> list[PortState]:
    """Physical ports outside any bundle that carry configuration (MPIO paths, ports of
    switch-independent teams): description, MTU and switchport setting as configured.

    Bundles, members, SVIs, loopbacks and management ports are not ports here; a block that
    configures none of these fields gives nothing (its values are unknown, not defaults).
    """
    ports = []
    for g in groups:
        if "channel" in g:
            continue
        try:
            name = canonical_port(platform, str(g["name"]))
        except ValueError:
            continue  # not a front-panel port of this platform
        fields = _po_fields(platform, name, g)
        fields.pop("min_links", None)
        fields.pop("name")
        if fields:
            ports.append(PortState.model_validate({**fields, "name": name}))
    return ports
