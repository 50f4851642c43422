"""Dispatch of ``show`` commands (text or JSON) on the simulated EOS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lagprov.lab.eos.apply import INCOMPLETE, INVALID, kw
from lagprov.lab.eos.config import (
    EosConfig,
    parse_interface_spec,
    render_body,
    render_running_config,
    short_name,
    sort_key,
)
from lagprov.lab.eos.device import EosShowSwitch
from lagprov.lab.eos.json_show import (
    json_hostname,
    json_interfaces,
    json_lacp_neighbor,
    json_port_channel,
    json_version,
)
from lagprov.lab.eos.mlag import descriptions, show_mlag, show_mlag_interfaces
from lagprov.lab.eos.show import (
    show_interfaces,
    show_lacp_neighbor,
    show_port_channel,
    show_port_channel_detailed,
    show_port_channel_summary,
    show_version,
)
from lagprov.lab.vlans import parse_ids, vlan_name, vlan_table

UNCONVERTED = "% This is an unconverted command"
PRIVILEGED = "% Invalid input (privileged mode required)"


@dataclass(frozen=True, slots=True)
class Result:
    """Outcome of one command: text, a JSON model, or an EOS error message."""

    output: str = ""
    data: dict[str, Any] | None = None
    error: str | None = None
    close: bool = False


def _error(msg: str) -> Result:
    return Result(error=msg)


def _interfaces(switch: EosShowSwitch, args: list[str], json_mode: bool) -> Result:
    view = switch.snapshot()
    names: list[str] | None = None
    if args:
        parsed = parse_interface_spec("".join(args))
        if parsed is None:
            return _error(INVALID)
        names = [n for n in parsed[0] if n in view.config.interfaces]
        if not names:
            return _error("% Interface does not exist")
    if json_mode:
        return Result(data=json_interfaces(view, names))
    return Result(output=show_interfaces(view, names))


def _port_channel(switch: EosShowSwitch, args: list[str], json_mode: bool) -> Result:
    channel: int | None = None
    if args and args[0].isdigit():
        channel = int(args.pop(0))
    view = switch.snapshot()
    if channel is not None and channel not in view.channels():
        return _error(f"% Port-Channel{channel} does not exist")
    if not args:
        if json_mode:
            return Result(data=json_port_channel(view, channel))
        return Result(output=show_port_channel(view, channel))
    if len(args) == 1 and kw(args[0], "summary") and channel is None:
        if json_mode:
            return _error(UNCONVERTED)
        return Result(output=show_port_channel_summary(view))
    if len(args) == 1 and kw(args[0], "detailed"):
        if json_mode:
            return Result(data=json_port_channel(view, channel))
        return Result(output=show_port_channel_detailed(view, channel))
    return _error(INVALID)


def _sessions_text(data: dict[str, Any]) -> str:
    lines = [f"Maximum number of completed sessions: {data['maxSavedSessions']}",
             f"Maximum number of pending sessions: {data['maxOpenSessions']}", ""]
    if data["sessions"]:
        lines += ["  Name             State              User       Terminal",
                  "  ---------------- ------------------ ---------- --------"]
        lines += [f"  {name:<16} {s['state']:<18}" for name, s in data["sessions"].items()]
    return "".join(f"{line}\n" for line in lines)


def _session_config(switch: EosShowSwitch, args: list[str], current: str | None) -> Result:
    name = current
    if len(args) >= 2 and kw(args[0], "named"):
        name = args[1]
        args = args[2:]
    if name is None:
        return _error(INCOMPLETE)
    with switch.lock:
        if name not in switch.sessions:
            return _error(f"% Session {name} does not exist")
        if not args:
            return Result(output=render_running_config(switch.sessions[name].config,
                                                       switch.hardware.name))
        if len(args) == 1 and kw(args[0], "diffs"):
            return Result(output=switch.session_diff(name))
    return _error(INVALID)


def _running_config(switch: EosShowSwitch, args: list[str]) -> Result:
    text = switch.running_text()
    if not args:
        return Result(output=text)
    if not kw(args[0], "interfaces") or len(args) < 2:
        return _error(INVALID)
    parsed = parse_interface_spec("".join(args[1:]))
    if parsed is None:
        return _error(INVALID)
    with switch.lock:
        body = render_body(switch.running)
    wanted = {f"interface {n}" for n in parsed[0]}
    out: list[str] = []
    keep = False
    for line in body:
        if not line.startswith(" "):
            keep = line in wanted
        if keep:
            out.append(line)
    return Result(output="".join(f"{line}\n" for line in out))


def _vlan_ports(config: EosConfig) -> dict[int, list[str]]:
    """VLAN -> the switched interfaces carrying it (a channel member counts as its channel)."""
    existing = {1, *config.vlans}
    out: dict[int, list[str]] = {v: [] for v in existing}
    for name in sorted(config.interfaces, key=sort_key):
        cfg = config.interfaces[name]
        if cfg.routed or cfg.channel is not None or name.startswith("Management"):
            continue
        if cfg.l2_mode == "trunk":
            allowed = (existing if not cfg.trunk_allowed
                       else set(parse_ids(cfg.trunk_allowed) or []))  # "none": no VLAN
            carried = sorted(existing & allowed)
        else:
            carried = [cfg.access_vlan] if cfg.access_vlan in existing else []
        for v in carried:
            out[v].append(short_name(name))
    return out


def _show_vlan(switch: EosShowSwitch, rest: list[str], json_mode: bool) -> Result:
    """``show vlan [brief]``: EOS prints one table for both (ntc-templates
    tests/arista_eos/show_vlan is the shape); a VLAN created without a name is VLAN00NN."""
    if rest and not (len(rest) == 1 and kw(rest[0], "brief")):
        return _error(INVALID)
    config = switch.snapshot().config
    names = {v: next((c[5:] for c in config.vlans.get(v, []) if c.startswith("name ")),
                     "default" if v == 1 else vlan_name(v)) for v in {1, *config.vlans}}
    ports = _vlan_ports(config)
    if json_mode:
        return Result(data={"sourceDetail": "", "vlans": {
            str(v): {"name": names[v], "status": "active", "dynamic": False,
                     "interfaces": {p: {"privatePromoted": False} for p in ports[v]}}
            for v in sorted(names)}})
    rows = [(v, names[v], "active", ports[v]) for v in sorted(names)]
    return Result(output=vlan_table(rows, id_width=5))


def _show_mlag(switch: EosShowSwitch, rest: list[str], json_mode: bool) -> Result:
    """``show mlag [detail]`` and ``show mlag interfaces`` (lagprov.lab.eos.mlag); their JSON
    models are not simulated (refused rather than invented)."""
    if json_mode:
        return _error(UNCONVERTED)
    view = switch.mlag_view(ports=True)
    if not rest or (len(rest) == 1 and kw(rest[0], "detail")):
        return Result(output=show_mlag(view))
    if len(rest) == 1 and kw(rest[0], "interfaces") and len(rest[0]) >= 3:
        return Result(output=show_mlag_interfaces(view, descriptions(switch.snapshot().config)))
    return _error(INVALID)


def run_show(switch: EosShowSwitch, args: list[str], *, json_mode: bool, privileged: bool,
             session: str | None) -> Result:
    """``show <args>``; ``args`` excludes the ``show`` keyword."""
    if not args:
        return _error(INCOMPLETE)
    head, rest = args[0], args[1:]
    if kw(head, "version") and not rest:
        view = switch.snapshot()
        return Result(data=json_version(view)) if json_mode else Result(output=show_version(view))
    if kw(head, "hostname") and len(head) >= 2 and not rest:
        data = json_hostname(switch.snapshot())
        text = f"Hostname: {data['hostname']}\nFQDN:     {data['fqdn']}\n"
        return Result(data=data) if json_mode else Result(output=text)
    if kw(head, "interfaces") and len(head) >= 3:
        return _interfaces(switch, rest, json_mode)
    if kw(head, "vlan") and len(head) >= 2:
        return _show_vlan(switch, rest, json_mode)
    if kw(head, "port-channel") and len(head) >= 2:
        return _port_channel(switch, rest, json_mode)
    if kw(head, "lacp") and len(rest) == 1 and (kw(rest[0], "neighbor") or kw(rest[0], "peer")):
        view = switch.snapshot()
        if json_mode:
            return Result(data=json_lacp_neighbor(view))
        return Result(output=show_lacp_neighbor(view))
    if kw(head, "mlag") and len(head) >= 2:
        return _show_mlag(switch, rest, json_mode)
    if kw(head, "configuration") and len(head) >= 4 and rest and kw(rest[0], "sessions"):
        if len(rest) > 2 or (len(rest) == 2 and not kw(rest[1], "detail")):
            return _error(INVALID)
        data = switch.sessions_json(detail=len(rest) == 2)
        return Result(data=data) if json_mode else Result(output=_sessions_text(data))
    text_only = [w for w in ("running-config", "startup-config", "session-config")
                 if kw(head, w) and len(head) >= 3]
    if len(text_only) != 1:
        return _error(INVALID)
    if not privileged:
        return _error(PRIVILEGED)
    if json_mode:
        return _error(UNCONVERTED)
    if text_only[0] == "running-config":
        return _running_config(switch, rest)
    if text_only[0] == "session-config":
        return _session_config(switch, rest, session)
    if rest:
        return _error(INVALID)
    with switch.lock:
        return Result(output=render_running_config(switch.startup, switch.hardware.name))
