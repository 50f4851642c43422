"""Turn (running config, candidate config, owned sections) into remediation lines.

lagprov owns the configuration of each trunk end's ports and bundle, and nothing else: the
running configuration is cut down to those sections (plus the global lines the candidate sets)
before it is compared, so a plan never touches anything outside the trunk.  Indented platforms
go through hier_config; Junos ``set`` configurations are compared as sets of statements.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from hier_config import HConfig, WorkflowRemediation, get_hconfig
from hier_config import Platform as HPlatform

from lagprov.model.types import Platform
from lagprov.provision.raise_only import global_key as _global_key

_HIER = {
    Platform.CISCO_IOS: HPlatform.CISCO_IOS,
    Platform.ARISTA_EOS: HPlatform.ARISTA_EOS,
    Platform.SUPERMICRO_SMIS: HPlatform.GENERIC,
}


def clean_running(running: str) -> str:
    """Drop what is not configuration: ``!`` comments, ``end``, banners before the config."""
    keep = []
    for line in running.replace("\r", "").splitlines():
        bare = line.strip()
        if not bare or bare.startswith("!") or bare in {"end", "exit"}:
            continue
        if bare.startswith(("Building configuration", "Current configuration")):
            continue
        keep.append(line.rstrip())
    return "\n".join(keep)


def _scoped(platform: Platform, running: str, candidate: HConfig, owned: Iterable[str]) -> HConfig:
    owned = set(owned)
    heads = {c.text for c in candidate.children} | owned
    # Global settings the candidate sets (``system mtu 9198``); an owned section that is empty
    # in the candidate (a removal) is not one, else every bare ``interface X`` would match.
    keys = {_global_key(c.text) for c in candidate.children
            if not c.children and c.text not in owned}
    full = get_hconfig(_HIER[platform], clean_running(running))
    kept = [
        c for c in full.children
        if c.text in heads or (not c.children and _global_key(c.text) in keys)
    ]
    scoped = get_hconfig(_HIER[platform], "")
    for child in kept:
        scoped.add_deep_copy_of(child)
    return scoped


# Negations that must be given without their value ("no channel-group", not
# "no channel-group 10 mode active"): accepted by every platform in this form.
_SHORT_NEGATIONS = (
    "channel-group", "description", "lacp rate", "lacp timer", "lacp timeout",
    "port-channel min-links",
    "switchport trunk allowed vlan", "switchport trunk native vlan", "switchport access vlan",
    "switchport mode", "mtu", "system mtu jumbo", "system mtu",
)


# Negations that keep their value on Supermicro SMIS: the only public SMIS automation (OpenStack
# networking-generic-switch, networking_generic_switch/devices/netmiko_devices/smc.py) clears a
# port with "no switchport access vlan {segmentation_id}" and "no switchport mode trunk"; the
# short forms are not confirmed by any SMIS / Aricent ISS source (vendor-cli.md section 4).
_KEEP_VALUE = {Platform.SUPERMICRO_SMIS: ("switchport access vlan", "switchport mode")}


def _negation(text: str, keep: tuple[str, ...] = ()) -> str:
    body = text.removeprefix("no ")
    if any(body.startswith(prefix + " ") for prefix in keep):
        return text
    for prefix in _SHORT_NEGATIONS:
        if body == prefix or body.startswith(prefix + " "):
            return f"no {prefix}"
    return text


def _lines(config: HConfig, keep: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Flatten a remediation: globals replaced in place, member sections before deletions."""
    positive_keys = {_global_key(c.text) for c in config.children
                     if not c.children and not c.text.startswith("no ")}
    first: list[str] = []
    sections: list[str] = []
    last: list[str] = []
    for child in config.children:
        text = child.text
        if text.startswith("no ") and not child.children:
            if _global_key(text[3:]) in positive_keys:
                continue  # "system mtu 9198" replaces "system mtu 1500" by itself
            (last if text.startswith("no interface ") else first).append(_negation(text, keep))
            continue
        if not child.children:
            first.append(text)
            continue
        sections.append(text)
        subs = [sub.cisco_style_text().strip() for sub in child.all_children_sorted()]
        subs = [_negation(line, keep) if line.startswith("no ") else line for line in subs]
        sections.extend(" " + line for line in sorted(subs, key=_member_order))
    return tuple(first + sections + last)


# IOS takes per-member LACP settings only on an LACP port ("This command is supported only on
# LACP-enabled interfaces", Catalyst 3650 IOS XE 16.5.1a command reference, 'lacp rate'): they
# are reset before 'no channel-group' and set after 'channel-group' (issue 8 item 6).
_LACP_MEMBER = ("lacp rate", "lacp timer", "lacp timeout", "lacp port-priority")  # timer: EOS


def _member_order(line: str) -> int:
    """Sort key: LACP resets first, LACP settings last, everything else in place."""
    if not line.removeprefix("no ").startswith(_LACP_MEMBER):
        return 0
    return -1 if line.startswith("no ") else 1


# Defaults a platform's running config never shows (EOS hides ``switchport mode access``):
# asking for them would never read back, and leaving them out changes nothing.
_HIDDEN_DEFAULTS = {Platform.ARISTA_EOS: frozenset({"switchport mode access"})}


def _drop_default_negations(candidate: HConfig, running: HConfig,
                            hidden: frozenset[str] = frozenset()) -> None:
    """``no shutdown`` in the candidate is a default the running config never shows."""
    for section in candidate.children:
        have = running.get_child(equals=section.text)
        present = {c.text for c in have.children} if have is not None else set()
        for child in list(section.children):
            if child.text in present:
                continue
            negated_default = child.text.startswith("no ") and child.text[3:] not in present
            if negated_default or child.text in hidden:
                child.delete()


def _keep_admin_state(candidate: HConfig, running: HConfig) -> None:
    """A section whose candidate says nothing of ``shutdown`` keeps its admin state as it is.

    A removal (an owned section, empty in the candidate) must not shut the ports down.
    """
    for have in running.children:
        want = candidate.get_child(equals=have.text)
        wanted = {c.text for c in want.children} if want is not None else set()
        if wanted & _ADMIN:
            continue
        for child in list(have.children):
            if child.text in _ADMIN:
                child.delete()


_ADMIN = frozenset({"shutdown", "no shutdown"})
_BUNDLE_HEADS = ("interface port-channel", "interface ae")


def _clean(lines: Sequence[str]) -> str:
    return "\n".join(line for line in lines if line.strip() not in {"exit", "end", "!"})


def plan_indented(platform: Platform, running: str, candidate: Sequence[str],
                  owned: Iterable[str] = ()) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Remediation and rollback lines for IOS, EOS and SMIS.

    ``owned`` lists section headers lagprov owns even when the candidate does not mention them
    (a removal: ``interface Port-channel10`` must go).
    """
    owned = tuple(owned)
    if platform is Platform.SUPERMICRO_SMIS:
        running, candidate = _iss_unquote(running), _iss_unquote("\n".join(candidate)).split("\n")
    cand = get_hconfig(_HIER[platform], _clean(candidate))
    run = _scoped(platform, running, cand, owned)
    for head in owned:  # a port the device shows no section for: undo its lines, never the port
        if (cand.get_child(equals=head) is not None and run.get_child(equals=head) is None
                and not head.lower().startswith(_BUNDLE_HEADS)):
            run.add_child(head)
    _drop_default_negations(cand, run, _HIDDEN_DEFAULTS.get(platform, frozenset()))
    _keep_admin_state(cand, run)
    for child in list(cand.children):  # an emptied section the device no longer shows
        if not child.children and child.text in owned and run.get_child(equals=child.text) is None:
            child.delete()
    wf = WorkflowRemediation(run, cand)
    keep = _KEEP_VALUE.get(platform, ())
    remediation = _lines(wf.remediation_config, keep)
    rollback = _lines(wf.rollback_config, keep)
    if platform is Platform.SUPERMICRO_SMIS:
        return _with_exits(_iss_words(remediation)), _with_exits(_iss_words(rollback))
    return remediation, rollback


def _iss_words(lines: tuple[str, ...]) -> tuple[str, ...]:
    """Never undo ``set port-channel enable``: link aggregation is switch-wide on Aricent ISS
    (``set port-channel disable`` would drop every channel of the switch, not only the
    trunk's), so a plan, its rollback and a restore leave it enabled (issue 8, item 1)."""
    return tuple(line for line in lines if line != "no set port-channel enable")


_ISS_QUOTED = re.compile(r'^(\s*description )"(.*)"\s*$', re.MULTILINE)


def _iss_unquote(text: str) -> str:
    """``description "x"`` and ``description x`` are one setting: compare them unquoted.

    The running-config shape is modelled (docs/smis-outputs.md quotes it); the form typed is
    the unquoted one of the only public SMIS automation (see templates/config/supermicro_smis).
    """
    return _ISS_QUOTED.sub(r"\1\2", text)


def _with_exits(lines: tuple[str, ...]) -> tuple[str, ...]:
    """Aricent ISS does not leave interface mode by itself: close every section with exit."""
    out: list[str] = []
    for i, line in enumerate(lines):
        out.append(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.startswith(" ") and not nxt.startswith(" "):
            out.append(" exit")
    return tuple(out)


_JUNOS_LIST = re.compile(r"^(.*?)\[ (.+) \]$")
_JUNOS_QUOTED = re.compile(r'"([^"\s]*)"')


def junos_statements(lines: Iterable[str]) -> list[str]:
    """Statements as ``display set`` prints them: lists expanded, needless quotes dropped.

    >>> junos_statements(['set a vlan members [ 10 20 ]', 'set a description "x"'])
    ['set a vlan members 10', 'set a vlan members 20', 'set a description x']
    """
    out: list[str] = []
    for raw in lines:
        line = _JUNOS_QUOTED.sub(r"\1", " ".join(raw.split()))
        m = _JUNOS_LIST.match(line)
        if m:
            out.extend(f"{m.group(1)}{item}" for item in m.group(2).split())
        else:
            out.append(line)
    return out


def _under(statement: str, path: str) -> bool:
    """``set <path>`` itself or a statement below it (``ae1`` does not cover ``ae10``)."""
    head = f"set {path}"
    return statement == head or statement.startswith(head + " ")


def _junos_scoped(running: Sequence[str], owned: Iterable[str]) -> list[str]:
    owned = tuple(owned)
    return [s for s in running if any(_under(s, p) for p in owned)]


_JUNOS_UNIT = re.compile(r"^set (interfaces \S+ unit \d+)(?: |$)")


def _whole_units(removed: Sequence[str], want: Sequence[str]) -> dict[str, str]:
    """Statement -> ``delete interfaces X unit N`` for every unit the candidate sets nothing
    under (an ae member's factory ``unit 0``): the unit goes whole, since deleting its leaves
    one by one leaves ``family ethernet-switching`` behind (issue 8 item 5)."""
    out: dict[str, str] = {}
    for statement in removed:
        m = _JUNOS_UNIT.match(statement)
        if m and not any(_under(w, m.group(1)) for w in want):
            out[statement] = f"delete {m.group(1)}"
    return out


# Junos leaves that take one value: deleted by path, without the value.
_JUNOS_LEAVES = {"description", "mtu", "native-vlan-id", "minimum-links", "interface-mode",
                 "port-mode", "802.3ad", "periodic", "device-count", "link-speed"}


def _junos_delete(statement: str) -> str:
    """``set interfaces ge-0/0/1 description "x"`` -> ``delete interfaces ge-0/0/1 description``."""
    words = statement.split()[1:]
    for i, word in enumerate(words):
        if word in _JUNOS_LEAVES and i + 1 < len(words):
            return "delete " + " ".join(words[: i + 1])
    return "delete " + " ".join(words)


def _device_count(lines: Iterable[str]) -> int | None:
    for s in lines:
        if s.startswith("set chassis aggregated-devices ethernet device-count "):
            return int(s.rsplit(" ", 1)[1])
    return None


def plan_junos(running: str, candidate: Sequence[str],
               owned: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Remediation and rollback for Junos ``set`` configurations.

    ``owned`` are statement paths (``interfaces ae1``, ``interfaces ge-0/0/10``) whose every
    statement lagprov manages.  The device-count is only ever raised, never lowered.
    """
    run = junos_statements(s for s in running.splitlines() if s.startswith("set "))
    cand = junos_statements(s for s in candidate if s.strip().startswith(("set ", "delete ")))
    want = [s for s in cand if s.startswith("set ")]
    have = _junos_scoped(run, owned)
    have_set = set(run)
    deletes = [s for s in cand if s.startswith("delete ")]
    dc_have, dc_want = _device_count(run), _device_count(want)
    if dc_want is not None and dc_have is not None and dc_have >= dc_want:
        want = [s for s in want if not s.startswith("set chassis aggregated-devices")]
    # a statement a wanted one extends (an empty ``family ethernet-switching``) stays
    removed = [s for s in have if s not in want and not any(_under(w, s[4:]) for w in want)]
    units = _whole_units(removed, want)
    remove = [d for d in deletes if any(_under(r, d[7:]) for r in run)]
    remove += [units.get(s) or _junos_delete(s) for s in removed]
    add = [s for s in want if s not in have_set]
    new_units = _whole_units(add, have)  # a unit the device did not have goes whole
    rollback = [new_units.get(s) or _junos_delete(s) for s in add] + removed
    return tuple(dict.fromkeys(remove + add)), tuple(dict.fromkeys(rollback))


def plan_restore(platform: Platform, before: str, now: str, owned: Iterable[str],
                 remediation: Sequence[str]) -> tuple[str, ...]:
    """Lines that put the owned sections of ``now`` back as they were in ``before``.

    Used after a partial, non-atomic push (a Netmiko session dropped half-way): undoing the
    whole plan would also "undo" lines that never reached the device, which IOS refuses, so
    the restore is planned from what the device shows now.  Global lines the remediation set
    are restored when ``before`` had them.
    """
    owned = tuple(owned)
    keys = {_global_key(line) for line in remediation
            if not line.startswith((" ", "interface ", "no interface "))}
    if platform is Platform.SUPERMICRO_SMIS:
        before, now = _iss_unquote(before), _iss_unquote(now)
    old = get_hconfig(_HIER[platform], clean_running(before))
    lines: list[str] = []
    for child in old.children:
        if child.text in owned or (not child.children and _global_key(child.text) in keys):
            lines.append(child.text)
            lines.extend(" " + c.cisco_style_text().strip() for c in child.all_children_sorted())
    for head in owned:  # a port with no section before: empty it, never delete the port
        if old.get_child(equals=head) is None and not head.lower().startswith(_BUNDLE_HEADS):
            lines.append(head)
    had = {_global_key(c.text) for c in old.children if not c.children}
    current = get_hconfig(_HIER[platform], clean_running(now))
    keep = _KEEP_VALUE.get(platform, ())
    unset = [_negation(f"no {c.text}", keep) for c in current.children
             if not c.children and _global_key(c.text) in keys - had]
    if platform is Platform.SUPERMICRO_SMIS:
        unset = list(_iss_words(tuple(unset)))
    return tuple(unset) + plan_indented(platform, now, lines, owned)[0]
