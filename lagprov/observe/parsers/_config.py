"""Fold per-interface configuration blocks (IOS, EOS, SMIS share the shape) into bundles."""

from __future__ import annotations

import re

from lagprov.errors import ParseError
from lagprov.knowledge.mtu import switch_ip_mtu
from lagprov.knowledge.platforms import canonical_port, get_spec
from lagprov.model.state import LagProtocol, LagState, MemberState, PortState
from lagprov.model.types import LacpRate, Platform, SwitchMode
from lagprov.observe.parsers._common import channel_of, config_mode, l2_of, port_name
from lagprov.observe.parsers._extract import project_template, ttp_groups

_INDENT = re.compile(r"^[ \t]+(?=\S)", re.MULTILINE)
_INTERFACE = re.compile(r"^interface\s+\S", re.IGNORECASE)
_BLOCK_END = re.compile(r"^(!.*|end|exit)\s*$")
_CHANNEL_GROUP = re.compile(r"^\s*channel-group\s+\d+\b")
_CHANNEL_GROUP_READ = re.compile(r"^channel-group\s+\d+\s+mode\s+\S+$")


def one_space_config(text: str) -> str:
    """An interface-block config with every sub-command indented by exactly one space.

    Any consistent indentation (EOS' 3 spaces, IOS' 1, tabs, editors' 2 or 4) becomes one
    space.  A flat config (no line indented: what a copy from a web page or a ticket gives)
    is re-indented: the lines after ``interface X`` up to the next ``!`` / ``end`` /
    ``interface`` line are its sub-commands, as IOS and EOS print every interface block
    closed by ``!``.
    """
    if _INDENT.search(text):
        return _INDENT.sub(" ", text)
    out: list[str] = []
    inside = False
    for line in text.split("\n"):
        if _INTERFACE.match(line):
            inside = True
            out.append(line)
        elif _BLOCK_END.match(line.strip()) or not line.strip():
            inside = False
            out.append(line)
        else:
            out.append(f" {line}" if inside else line)
    return "\n".join(out)


def config_groups(platform: Platform, command: str, raw: str) -> list[dict[str, object]]:
    """The ``interfaces`` groups of a running config through the platform's TTP template.

    Raises:
        ParseError: no interface block, or a ``channel-group`` line the template did not read
            (a member must never vanish from its bundle), naming the line.
    """
    text = one_space_config(raw)
    template = project_template(platform, "show_running-config.ttp")
    groups = ttp_groups(template, text, "interfaces")
    if not groups:
        raise ParseError(platform, command, raw, "no 'interface' block")
    lines = [(n, line.strip()) for n, line in enumerate(text.split("\n"), 1)
             if _CHANNEL_GROUP.match(line)]
    read = sum(1 for g in groups if "channel" in g)
    if read != len(lines):
        odd = [(n, line) for n, line in lines if not _CHANNEL_GROUP_READ.match(line)]
        n, line = (odd or lines or [(0, "")])[0]
        raise ParseError(platform, command, raw, f"line {n}: channel-group line not "
                         f"understood: {line!r} ({read} of {len(lines)} read)")
    return groups


def config_lags(platform: Platform, groups: list[dict[str, object]]) -> list[LagState]:
    """Fold per-interface config blocks (IOS, EOS and SMIS share the shape) into bundles."""
    lags: dict[int, dict[str, object]] = {}
    members: dict[int, list[MemberState]] = {}
    rates: dict[int, set[LacpRate]] = {}
    modes: dict[int, set[SwitchMode | None]] = {}  # every member's own mode is kept
    for g in groups:
        name = str(g["name"])
        lowered = name.lower().replace(" ", "")
        if lowered.startswith(("port-channel", "po")) and "." not in name and name[-1].isdigit():
            lags.setdefault(channel_of(name), {}).update(_po_fields(platform, name, g))
        elif "channel" in g:
            channel = int(str(g["channel"]))
            member_mode = config_mode(str(g.get("channel_mode", "")))
            modes.setdefault(channel, set()).add(member_mode)
            rate = _config_rate(g)
            if rate is not None:
                rates.setdefault(channel, set()).add(rate)
            mtu = g.get("mtu")
            members.setdefault(channel, []).append(
                MemberState(
                    name=port_name(platform, name),
                    mtu_ip=switch_ip_mtu(platform, int(str(mtu))) if mtu is not None else None,
                    mode=member_mode,
                )
            )
    result = []
    rule = get_spec(platform).min_links
    for channel in sorted(set(lags) | set(members)):
        fields = lags.get(channel, {})
        if channel in lags and "min_links" not in fields and rule is not None:
            # the whole bundle block was read: no min-links line is the platform's default
            fields = {**fields, "min_links": rule.default}
        seen = {m for m in modes.get(channel, set()) if m is not None}
        mode = seen.pop() if len(seen) == 1 else None  # members that disagree: no bundle mode
        protocol = None
        if isinstance(mode, SwitchMode):
            protocol = LagProtocol.LACP if mode.is_lacp else LagProtocol.STATIC
            fields = {**fields, "mode": mode}
        elif seen and all(m.is_lacp for m in seen):
            protocol = LagProtocol.LACP
        rate_set = rates.get(channel, set())
        if len(rate_set) == 1 and protocol is LagProtocol.LACP:
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
