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

_HIER = {
    Platform.CISCO_IOS: HPlatform.CISCO_IOS,
    Platform.ARISTA_EOS: HPlatform.ARISTA_EOS,
    Platform.SUPERMICRO_SMIS: HPlatform.GENERIC,
}


def _global_key(line: str) -> str:
    """``system mtu jumbo 9000`` -> ``system mtu jumbo``: a global setting without its value."""
    words = line.split()
    return " ".join(words[:-1]) if len(words) > 1 else line


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
    "channel-group", "description", "lacp rate", "lacp timeout", "port-channel min-links",
    "switchport trunk allowed vlan", "switchport trunk native vlan", "switchport access vlan",
    "switchport mode", "mtu", "system mtu jumbo", "system mtu",
)


def _negation(text: str) -> str:
    body = text.removeprefix("no ")
    for prefix in _SHORT_NEGATIONS:
        if body == prefix or body.startswith(prefix + " "):
            return f"no {prefix}"
    return text


def _lines(config: HConfig) -> tuple[str, ...]:
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
            (last if text.startswith("no interface ") else first).append(_negation(text))
            continue
        if not child.children:
            first.append(text)
            continue
        sections.append(text)
        for sub in child.all_children_sorted():
            line = sub.cisco_style_text().strip()
            sections.append(" " + (_negation(line) if line.startswith("no ") else line))
    return tuple(first + sections + last)


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
    remediation, rollback = _lines(wf.remediation_config), _lines(wf.rollback_config)
    if platform is Platform.SUPERMICRO_SMIS:
        return _with_exits(_iss_words(remediation)), _with_exits(_iss_words(rollback))
    return remediation, rollback


def _iss_words(lines: tuple[str, ...]) -> tuple[str, ...]:
    """Aricent ISS has no ``no set ...``: ``set port-channel enable`` is undone by ``disable``."""
    return tuple("set port-channel disable" if line == "no set port-channel enable" else line
                 for line in lines)


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


def _junos_scoped(running: Sequence[str], owned: Iterable[str]) -> list[str]:
    prefixes = tuple(f"set {p} " for p in owned)
    return [s for s in running if s.startswith(prefixes)]


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
    remove = [_junos_delete(s) for s in have if s not in want]
    remove += [d for d in deletes if any(r.startswith("set " + d[7:]) for r in run)]
    add = [s for s in want if s not in have_set]
    removed = [s for s in have if s not in want]
    rollback = [_junos_delete(s) for s in add] + removed
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
    unset = [_negation(f"no {c.text}") for c in current.children
             if not c.children and _global_key(c.text) in keys - had]
    if platform is Platform.SUPERMICRO_SMIS:
        unset = list(_iss_words(tuple(unset)))
    return tuple(unset) + plan_indented(platform, now, lines, owned)[0]
