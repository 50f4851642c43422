"""What to read from every device of a verification run, and how raw outputs become state.

Pure: no device access here.  :func:`collection_plan` decides, from the intent, which commands
each switch and host is asked (per-platform list from :mod:`lagprov.knowledge.platforms`
plus per-LAG
commands); :func:`parse_switch` / :func:`parse_host` turn the raw outputs (live or replayed)
into the normalised state, or a :class:`DeviceError`.  Both the live run and ``--from`` replay
go through exactly these functions.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Collection, Mapping, Sequence

from lagprov.errors import (
    AuthError,
    CommandError,
    ConnectError,
    InputError,
    LagprovError,
    ParseError,
    TransportTimeout,
)
from lagprov.knowledge.platforms import get_spec
from lagprov.knowledge.platforms.base import StateQuery
from lagprov.model.base import Model
from lagprov.model.intent import TrunkIntent
from lagprov.model.inventory import Inventory
from lagprov.model.outcome import DeviceError, ErrorKind
from lagprov.model.state import DeviceLagState, HostMemberState, HostTeamState
from lagprov.model.types import HostOs, Platform
from lagprov.observe.esxi_read import esxi_commands, esxi_state
from lagprov.observe.host_commands import (
    HOST_COMMANDS,
    HOST_REPORTS,
    IOS_SYS_ID,
    LINUX_IP_JSON,
    LINUX_IP_LINK,
    LIVE_OS,
    REPORT_FILES,
    WIN_ADAPTERS,
    WIN_IP,
    WIN_JUMBO,
    WIN_MEMBERS,
    WIN_SET,
    WIN_TEAM,
)
from lagprov.observe.parsers import (
    command_slug,
    merge_device_states,
    parse_command,
    parse_linux_bonding,
    parse_linux_ip_json,
    parse_linux_ip_link,
    parse_windows_host,
    settle_static_members,
)
from lagprov.observe.windows_read import ps_list

# Switch read-backs the parsers understand, in merge order (configuration first; for
# configuration-like fields the first known value wins, for live state the later one).
_QUERIES: Mapping[Platform, tuple[StateQuery, ...]] = {
    Platform.CISCO_IOS: (StateQuery.RUNNING_CONFIG, StateQuery.LAG_SUMMARY,
                         StateQuery.LACP_NEIGHBORS, StateQuery.INTERFACES,
                         StateQuery.SYSTEM_MTU),
    Platform.ARISTA_EOS: (StateQuery.RUNNING_CONFIG, StateQuery.LAG_SUMMARY,
                          StateQuery.LACP_NEIGHBORS, StateQuery.INTERFACES),
    # Junos INTERFACES in the spec is the whole-box "| display json", which no parser reads:
    # the per-ae "show interfaces aeN extensive" text is collected instead (see _per_lag).
    Platform.JUNIPER_JUNOS: (StateQuery.RUNNING_CONFIG, StateQuery.LACP_NEIGHBORS),
    Platform.SUPERMICRO_SMIS: (StateQuery.RUNNING_CONFIG, StateQuery.LAG_SUMMARY,
                               StateQuery.LACP_NEIGHBORS, StateQuery.INTERFACES),
}


_UNSAFE = re.compile(r"[^A-Za-z0-9._+=-]")


class SwitchJob(Model):
    """One switch to read: its platform and the commands, in parse order."""

    device: str
    platform: Platform
    commands: tuple[str, ...]
    hardware: str | None = None  # the inventory's model: hardware facts (EOS L2 frame limit)


class HostJob(Model):
    """One host to read: its OS, team (bond) name and commands; ``reports`` maps command ->
    report file name (used when the host is read from files).  ``nics`` and ``team`` are the
    intended NICs and team mode (which adapters a host without a team reports, and whether
    "no LBFO team" can mean a SET switch)."""

    device: str
    os: HostOs
    bond: str
    commands: tuple[str, ...]
    nics: tuple[str, ...] = ()
    team: str | None = None
    reports: tuple[tuple[str, str], ...] = ()
    live: bool = False  # read live (a Linux, Windows or ESXi host with an address, observable)
    observable: bool = True  # False: declared not observable (hosts.yaml data.observable)


class CollectionPlan(Model):
    """Everything one verification run reads, and which trunks it verifies."""

    trunks: tuple[TrunkIntent, ...]
    switches: tuple[SwitchJob, ...]
    hosts: tuple[HostJob, ...]

    @property
    def device_count(self) -> int:
        """Switches plus hosts."""
        return len(self.switches) + len(self.hosts)


def output_filename(command: str) -> str:
    """File name of a saved output: :func:`command_slug` with ``/`` made file-system safe.

    >>> output_filename("show configuration | display set")
    'show_configuration_pipe_display_set.txt'
    >>> output_filename("cat /proc/net/bonding/bond0")
    'cat__proc_net_bonding_bond0.txt'
    """
    return _UNSAFE.sub("_", command_slug(command)) + ".txt"


def select_trunks(inv: Inventory, names: Collection[str] | None) -> tuple[TrunkIntent, ...]:
    """Trunks named in ``names``, or with an end on a device named there; all if empty.

    Raises:
        InputError: a name is neither a trunk nor a device of the inventory.
    """
    wanted = set(names or ())
    known = ({t.name for t in inv.trunks} | {s.name for s in inv.switches}
             | {h.name for h in inv.hosts})
    unknown = sorted(wanted - known)
    if unknown:
        raise InputError("--filter", f"not a trunk or device of {inv.root}: {', '.join(unknown)}")
    if not wanted:
        return inv.trunks
    return tuple(t for t in inv.trunks if t.name in wanted or _devices(t) & wanted)


def _devices(trunk: TrunkIntent) -> set[str]:
    names = {e.device for e in trunk.switch_ends}
    if trunk.host is not None:
        names.add(trunk.host.device)
    return names


MLAG_COMMANDS = ("show mlag", "show mlag interfaces")  # EOS MLAG peers (rules_mlag)


def switch_commands(platform: Platform, channels: Sequence[int], *, lacp: bool = True,
                    mlag: bool = False) -> tuple[str, ...]:
    """The read-backs of one switch carrying bundles ``channels`` (``mlag``: an EOS MLAG peer
    carrying an MLAG bundle: also ``show mlag`` and ``show mlag interfaces``).

    Without an LACP bundle in the intent (``lacp`` False), IOS and EOS are not asked for
    their LACP neighbours: with no LACP channel they print only a legend, no table.
    """
    spec = get_spec(platform)
    queries = [q for q in _QUERIES[platform] if q in spec.commands]
    if not lacp and platform in (Platform.CISCO_IOS, Platform.ARISTA_EOS):
        queries.remove(StateQuery.LACP_NEIGHBORS)
    commands = [spec.commands[q] for q in queries]
    if lacp and platform is Platform.CISCO_IOS:
        # the switch's own LACP system id: what its LACP partners must report (partner-identity)
        commands.append(IOS_SYS_ID)
    if platform is Platform.JUNIPER_JUNOS:
        commands += [f"show interfaces {spec.lag_name(c)} extensive" for c in sorted(channels)]
    if mlag and platform is Platform.ARISTA_EOS:
        commands += list(MLAG_COMMANDS)
    return tuple(commands)


def host_commands(os: HostOs, bond: str, nics: Sequence[str] = (),
                  team: str | None = None) -> tuple[str, ...]:
    """The read-backs of one host whose team is called ``bond`` over ``nics``.

    >>> host_commands(HostOs.WINDOWS, "Team1", ["iSCSI-A", "iSCSI-B"])[3]
    "Get-NetAdapter -Name 'iSCSI-A','iSCSI-B'"
    """
    templates = esxi_commands(team) if os is HostOs.VMWARE else HOST_COMMANDS[os]
    return tuple(fill_command(c, bond, nics) for c in templates)


def fill_command(template: str, bond: str, nics: Sequence[str]) -> str:
    """Names are validated per OS by the intent model and quoted here all the same: POSIX shell
    quoting for Linux and esxcli, PowerShell single quotes for Windows."""
    aliases = [bond, *(n for n in nics if n != bond)]
    return template.format(bond=shlex.quote(bond), nics=ps_list(nics), aliases=ps_list(aliases))


def collection_plan(inv: Inventory, names: Collection[str] | None = None) -> CollectionPlan:
    """Switches and hosts of the selected trunks and what to ask each of them."""
    trunks = select_trunks(inv, names)
    channels: dict[str, set[int]] = {}
    lacp: set[str] = set()
    mlag = {e.device for t in trunks if t.mlag is not None and t.state == "present"
            for e in t.switch}
    for t in trunks:
        for end in t.switch_ends:
            got = channels.setdefault(end.device, set())
            if end.channel is not None and t.state == "present":
                got.add(end.channel)
            if end.mode.is_lacp and t.state == "present":
                lacp.add(end.device)
    switches = tuple(
        SwitchJob(device=s.name, platform=s.platform, hardware=s.hardware,
                  commands=switch_commands(s.platform, sorted(channels[s.name]),
                                           lacp=s.name in lacp, mlag=s.name in mlag))
        for s in inv.switches if s.name in channels
    )
    hosts = []
    by_name = {h.name: h for h in inv.hosts}  # indexed once: lookups per trunk stay O(1)
    all_nics = _host_nics(trunks)
    seen: set[str] = set()
    for t in trunks:
        if t.host is None or t.host.device in seen:
            continue
        seen.add(t.host.device)
        device = by_name[t.host.device]
        bond = t.host.name or _DEFAULT_TEAM.get(device.os, "bond0")
        nics = all_nics.get(device.name, ())
        hosts.append(HostJob(
            device=device.name, os=device.os, bond=bond, nics=nics, team=t.host.team,
            commands=host_commands(device.os, bond, nics, t.host.team),
            reports=tuple((fill_command(c, bond, nics), REPORT_FILES[c].format(bond=bond))
                          for c in HOST_REPORTS[device.os]),
            live=device.os in LIVE_OS and device.address is not None and device.observable,
            observable=device.observable,
        ))
    return CollectionPlan(trunks=trunks, switches=switches, hosts=tuple(hosts))


def _host_nics(trunks: Sequence[TrunkIntent]) -> dict[str, tuple[str, ...]]:
    """Every host's intended NICs over all its trunks, in trunk order (one pass)."""
    nics: dict[str, list[str]] = {}
    for t in trunks:
        if t.host is not None:
            got = nics.setdefault(t.host.device, [])
            got += [n for n in t.host.nics if n not in got]
    return {device: tuple(names) for device, names in nics.items()}


_DEFAULT_TEAM = {HostOs.LINUX: "bond0", HostOs.WINDOWS: "Team1", HostOs.VMWARE: "vSwitch0"}


def error_kind(exc: BaseException) -> ErrorKind:
    """The report's name for a device fault."""
    for cls, kind in ((AuthError, ErrorKind.AUTH), (TransportTimeout, ErrorKind.TIMEOUT),
                      (ConnectError, ErrorKind.UNREACHABLE), (CommandError, ErrorKind.REJECTED),
                      (ParseError, ErrorKind.PARSE)):
        if isinstance(exc, cls):
            return kind
    return ErrorKind.OTHER


def device_error(device: str, stage: str, exc: BaseException) -> DeviceError:
    """A :class:`DeviceError` for ``exc`` raised while ``stage`` ran on ``device``."""
    return DeviceError(device=device, stage=stage, kind=error_kind(exc), message=str(exc))


def _has_data(raw: str | None) -> bool:
    return raw is not None and bool(raw.strip())


def parse_switch(job: SwitchJob, outputs: Mapping[str, str], *,
                 parsed: Mapping[str, DeviceLagState] | None = None
                 ) -> tuple[DeviceLagState | None, DeviceError | None]:
    """Parse and merge every collected output of one switch, in the job's order.

    An output that is missing or empty is no data (IOS prints nothing for ``show lacp
    neighbor`` without LACP bundles); no output at all gives no state (unverifiable).
    A parse failure gives no state and a parse :class:`DeviceError`, never a partial state
    that could read as a mismatch.  ``parsed`` holds outputs already parsed (command ->
    ``parse_command`` of exactly ``outputs[command]``, e.g. while a saved file was checked).
    """
    states = []
    for command in job.commands:
        raw = outputs.get(command)
        if not _has_data(raw):
            continue
        assert raw is not None
        done = parsed.get(command) if parsed is not None else None
        if done is not None:
            states.append(done)
            continue
        try:
            states.append(parse_command(job.platform, command, raw, device=job.device))
        except LagprovError as exc:
            return None, device_error(job.device, "parse", exc)
    if not states:
        return None, None
    merged = settle_static_members(merge_device_states(*states))
    return merged.model_copy(update={"hardware": job.hardware}), None


def _linux_output(job: HostJob, command: str, raw: str) -> HostTeamState:
    if command == LINUX_IP_JSON:
        return parse_linux_ip_json(job.device, raw, bond=job.bond)
    if command == LINUX_IP_LINK:
        return parse_linux_ip_link(job.device, raw, bond=job.bond)
    return parse_linux_bonding(job.device, raw, bond=job.bond)


def _host_state(job: HostJob, outputs: Mapping[str, str]) -> HostTeamState | None:
    got = {c: raw for c, raw in outputs.items() if _has_data(raw)}

    def raw(template: str) -> str | None:
        return got.get(fill_command(template, job.bond, job.nics))

    if job.os is HostOs.WINDOWS:
        # an empty Get-NetLbfoTeam is a report too: no LBFO team on the host
        return parse_windows_host(
            job.device, team=outputs.get(WIN_TEAM), members=raw(WIN_MEMBERS),
            jumbo=raw(WIN_JUMBO), adapters=raw(WIN_ADAPTERS), nics=job.nics, bond=job.bond,
            set_switch=job.team == "SET", vmswitch=outputs.get(WIN_SET),
            ip_interfaces=raw(WIN_IP))
    if job.os is HostOs.VMWARE:
        return esxi_state(job.device, job.bond, job.nics, job.commands, raw)
    if job.os is not HostOs.LINUX:
        return None
    states = [_linux_output(job, c, got[c]) for c in (*job.commands, LINUX_IP_LINK) if c in got]
    if not states:
        return None
    merged = states[0]
    for s in states[1:]:
        merged = merge_host_states(merged, s)
    return merged


def parse_host(job: HostJob, outputs: Mapping[str, str]
               ) -> tuple[HostTeamState | None, DeviceError | None]:
    """Parse the outputs of one host into its team state (None: nothing to read).

    A parse failure gives no state and a parse :class:`DeviceError`.
    """
    try:
        return _host_state(job, outputs), None
    except LagprovError as exc:
        return None, device_error(job.device, "parse", exc)


def merge_host_states(a: HostTeamState, b: HostTeamState) -> HostTeamState:
    """Fold two partial views of one host team: a known value beats an unknown one, the first
    known value wins; NICs are matched by name."""
    update = {f: getattr(b, f) for f in type(a).model_fields
              if f != "members" and getattr(a, f) is None and getattr(b, f) is not None}
    members: dict[str, HostMemberState] = {m.name: m for m in a.members}
    for m in b.members:
        old = members.get(m.name)
        if old is None:
            members[m.name] = m
            continue
        fill = {f: getattr(m, f) for f in type(m).model_fields
                if getattr(old, f) is None and getattr(m, f) is not None}
        members[m.name] = old.model_copy(update=fill) if fill else old
    update["members"] = tuple(members.values())
    return a.model_copy(update=update)


class DeviceCapture(Model):
    """The raw outputs read from one device (command -> text) and the fault that stopped the
    reading, if any (outputs read before the fault are kept)."""

    device: str
    outputs: Mapping[str, str] = {}
    error: DeviceError | None = None


def host_differences(a: HostTeamState, b: HostTeamState) -> list[str]:
    """What two reads of one host team disagree on (only facts both reads know):
    ``["team: 802.3ad / balance-xor", "NIC ens1f1 link: up / down"]``."""
    out = [f"{f}: {getattr(a, f)} / {getattr(b, f)}"
           for f in ("team", "bundling", "lacp_rate", "mtu_ip", "system_id")
           if None not in (getattr(a, f), getattr(b, f)) and getattr(a, f) != getattr(b, f)]
    names_a, names_b = {m.name for m in a.members}, {m.name for m in b.members}
    if names_a and names_b and names_a != names_b:
        out.append(f"NICs: {', '.join(sorted(names_a))} / {', '.join(sorted(names_b))}")
    for m in a.members:
        other = b.member(m.name)
        if other is not None and None not in (m.link_up, other.link_up) \
                and m.link_up != other.link_up:
            out.append(f"NIC {m.name} link: {_updown(m.link_up)} / {_updown(other.link_up)}")
    return out


def _updown(up: bool | None) -> str:
    return "up" if up else "down"
