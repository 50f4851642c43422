"""Small typed helpers shared by the normalise step of every platform."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TypeVar

from lagprov.errors import ParseError
from lagprov.knowledge.platforms import canonical_port, spell_port
from lagprov.model.intent import Access, Trunk8021q
from lagprov.model.state import DeviceLagState, LacpActivity, LacpPort, LagState, MemberState
from lagprov.model.types import LacpRate, Platform, SwitchMode

_T = TypeVar("_T")

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CLI_ERRORS = re.compile(
    r"^\s*(% ?Invalid (input|command)|% ?Incomplete command|% ?Ambiguous command"
    r"|syntax error|unknown command|% This is an unconverted command)",
    re.IGNORECASE | re.MULTILINE,
)
_MAC_DIGITS = re.compile(r"[^0-9a-fA-F]")
_TRAILING_INT = re.compile(r"(\d+)\s*\*?$")

# IEEE 802.1AX port state bits
ACTIVITY, TIMEOUT, AGGREGATION, SYNC, COLLECTING, DISTRIBUTING, DEFAULTED, EXPIRED = (
    0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80,
)


# IOS/EOS pager: " --More-- " then backspaces, spaces, backspaces that erase it, and the next
# line goes on right there (Netmiko's cisco drivers match " --More-- \b{10} {10}\b{10}"; public
# captures show 9 or 10 of each).  Junos: "---(more)---" / "---(more 45%)---".
_MORE = re.compile(r"[ \t]*(?:-- ?More ?--|---\(more(?: \d+%)?\)---) ?(?:\x08+[ \t]*\x08*)?")
_BACKSPACE = re.compile(r"[^\x08\n]\x08")
_PROMPT = re.compile(r"^(?:\{[\w:.-]+\}|[\w.@()/:~-]+[#>])\s*$")  # Switch#, user@ex>, {master:0}
_PROMPT_PREFIX = re.compile(r"^[\w.@()/:~-]*[#>]\s*")


def clean_output(raw: str, command: str = "") -> str:
    """What a hand-saved output holds, as the device printed it.

    Strips ANSI escapes (SMIS ``ESC[27m``), CRLF / lone-CR line ends, ``--More--`` paging and
    its backspaces; blanks an echoed command line (``Switch#sh etherchannel sum``, abbreviated
    or not) and prompt lines at the top, and a trailing prompt (``Switch#``, ``user@ex>``,
    ``{master:0}``).  Lines are blanked, not removed, so a line number in a ParseError is the
    line number in the saved file.  Tabs are kept (the templates read them as blanks).
    """
    # Each substitution only where its mark is there (the scans cost more than the parse).
    text = _ANSI.sub("", raw) if "\x1b" in raw else raw
    if "\r" in text:
        text = re.sub(r"\r+\n", "\n", text)
        text = text.replace("\r", "\n") if "\n" not in text else text.replace("\r", "")
    if "--" in text:  # both pager marks hold "--"
        text = _MORE.sub("", text)
    while "\x08" in text:
        stripped = _BACKSPACE.sub("", text)
        text = stripped if stripped != text else text.replace("\x08", "")
    lines = text.split("\n")
    _blank_prompts(lines, command)
    return "\n".join(lines)


def _blank_prompts(lines: list[str], command: str) -> None:
    """Blank the prompt lines at the top, then an echoed command, then the prompt lines at the
    bottom (blank lines between them passed over); only the two ends are looked at."""
    head = 0
    while head < len(lines):
        line = lines[head].strip()
        if line:
            if not _PROMPT.match(line):
                break
            lines[head] = ""
        head += 1
    if head < len(lines) and _is_echo(lines[head], command):
        lines[head] = ""
    tail = len(lines) - 1
    while tail > head:  # the line at ``head`` is blanked or not a prompt: it ends the walk
        line = lines[tail].strip()
        if line:
            if not _PROMPT.match(line):
                break
            lines[tail] = ""
        tail -= 1


def _is_echo(line: str, command: str) -> bool:
    """``Switch#sh etherch sum`` echoes ``show etherchannel summary``: each of the first two
    typed words is an abbreviation of the command's word (or the other way round)."""
    typed = _PROMPT_PREFIX.sub("", line.strip(), count=1).lower().split()
    words = command.lower().split()
    if not typed or not words or len(typed[0]) < 2 or not words[0].startswith(typed[0]):
        return False
    return all(w.startswith(t) or t.startswith(w) for t, w in zip(typed[1:2], words[1:2],
                                                                  strict=False))


def reject_cli_error(platform: Platform | str, command: str, raw: str) -> None:
    """Raise :class:`ParseError` if the device answered with a CLI error instead of output."""
    if "%" not in raw:  # every form holds '%', 'syntax error' or 'unknown command', in any case
        folded = raw.casefold()  # casefold: all re.IGNORECASE matches (long s, Kelvin sign)
        if "syntax error" not in folded and "unknown command" not in folded:
            return  # the case-blind scan costs ~1 ms on an 80 KB output: run only on a hint
    match = _CLI_ERRORS.search(raw)
    if match:
        reason = f"device answered with an error: {match.group(0).strip()!r}"
        raise ParseError(str(platform), command, raw, reason)


def reject_unread_lines(platform: Platform | str, command: str, raw: str,
                        known: re.Pattern[str]) -> None:
    """Raise :class:`ParseError` naming the first non-blank line ``known`` does not match
    (outputs read by line patterns rather than a template: never a silent skip)."""
    for number, line in enumerate(raw.split("\n"), 1):
        if line.strip() and not known.match(line.strip()):
            raise ParseError(str(platform), command, raw,
                             f"line {number}: row not understood: {line.strip()!r}")


def norm_mac(text: str) -> str:
    """``001e.49ff.a3e6`` / ``0c-1d-c0-f4-7b-39`` / ``AA:BB:..`` -> ``aa:bb:cc:dd:ee:ff``.

    Raises:
        ValueError: if ``text`` does not hold exactly 12 hex digits.
    """
    digits = _MAC_DIGITS.sub("", text).lower()
    if len(digits) != 12:
        raise ValueError(f"not a MAC address: {text!r}")
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def split_system_id(text: str, *, hex_priority: bool) -> tuple[int | None, str]:
    """``8000,0c-1d-c0-f4-7b-39`` -> ``(32768, '0c:1d:c0:f4:7b:39')``; a bare MAC -> (None, mac)."""
    if "," in text:
        prio, mac = text.split(",", 1)
        return int(prio.strip(), 16 if hex_priority else 10), norm_mac(mac)
    return None, norm_mac(text)


def to_int(text: str | None) -> int | None:
    """``"0x3D"`` -> 61, ``"42"`` -> 42, ``""``/None -> None."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    return int(value, 16) if value.lower().startswith("0x") else int(value)


def channel_of(name: str) -> int:
    """``Po10`` / ``Port-Channel10`` / ``ae0`` / ``port-channel 1`` -> the bundle number."""
    match = _TRAILING_INT.search(name.strip())
    if not match:
        raise ValueError(f"no channel number in {name!r}")
    return int(match.group(1))


def port_name(platform: Platform, name: str) -> str:
    """Canonical member/port name.

    Uses :func:`lagprov.knowledge.platforms.canonical_port`;
    names the platform pattern rejects (routers'
    ``Te0/0/2``, IOL ``Et0/0``, Junos channelised ``xe-0/0/0:0``) are kept, in the platform's
    spelling (:func:`lagprov.knowledge.platforms.spell_port`), because real captures contain
    them.  Junos logical units (``ge-0/0/0.0``) are cut back to the physical port.
    """
    raw = name.strip()
    if platform is Platform.JUNIPER_JUNOS:
        return raw.lower().split(".", 1)[0]
    try:
        return canonical_port(platform, raw)
    except ValueError:
        if platform is Platform.SUPERMICRO_SMIS:
            return raw
        return spell_port(platform, raw)


def decode_state(state: int | None) -> tuple[LacpActivity | None, LacpRate | None]:
    """Activity and rate from an LACP port-state byte."""
    if state is None:
        return None, None
    activity = LacpActivity.ACTIVE if state & ACTIVITY else LacpActivity.PASSIVE
    rate = LacpRate.FAST if state & TIMEOUT else LacpRate.SLOW
    return activity, rate


def decode_cisco_flags(flags: str) -> tuple[LacpActivity | None, LacpRate | None]:
    """IOS ``SA``/``FA``/``SP``/``FP`` -> activity, rate; older IOS (Catalyst 4500/6500) prints
    them in lower case with more letters (``saC``), read the same way."""
    f = flags.strip().upper()
    rate = {"S": LacpRate.SLOW, "F": LacpRate.FAST}.get(f[:1])
    activity = {"A": LacpActivity.ACTIVE, "P": LacpActivity.PASSIVE}.get(f[1:2])
    return activity, rate


def lacp_port(
    *,
    system_id: str | None = None,
    system_priority: int | None = None,
    port: int | None = None,
    port_priority: int | None = None,
    key: int | None = None,
    state: int | None = None,
    activity: LacpActivity | None = None,
    rate: LacpRate | None = None,
) -> LacpPort:
    """An :class:`LacpPort`; activity and rate come from ``state`` when it is known."""
    s_activity, s_rate = decode_state(state)
    return LacpPort(
        system_id=system_id,
        system_priority=system_priority,
        port=port,
        port_priority=port_priority,
        key=key,
        state=state,
        activity=s_activity or activity,
        rate=s_rate or rate,
    )


def agreed(values: Iterable[_T | None]) -> _T | None:
    """The one value every known item agrees on, else None."""
    known = {v for v in values if v is not None}
    return known.pop() if len(known) == 1 else None


def lacp_mode_of(members: Sequence[MemberState]) -> SwitchMode | None:
    """LACP active/passive of a bundle, when every member's actor agrees."""
    activity = agreed(m.actor.activity if m.actor else None for m in members)
    if activity is None:
        return None
    return SwitchMode.LACP_ACTIVE if activity is LacpActivity.ACTIVE else SwitchMode.LACP_PASSIVE


def lacp_rate_of(members: Sequence[MemberState]) -> LacpRate | None:
    """Configured LACP rate of a bundle: the actors' timeout bit, when they agree."""
    return agreed(m.actor.rate if m.actor else None for m in members)


def config_mode(word: str | None) -> SwitchMode | None:
    """``channel-group N mode <word>`` -> SwitchMode (``on``/``manual`` = static)."""
    table = {
        "active": SwitchMode.LACP_ACTIVE,
        "passive": SwitchMode.LACP_PASSIVE,
        "on": SwitchMode.STATIC,
        "manual": SwitchMode.STATIC,
    }
    return table.get((word or "").strip().lower())


def parse_vlan_list(text: str) -> tuple[int, ...] | None:
    """``10,20-22`` -> (10, 20, 21, 22); None when not a plain numeric list (``all``, names)."""
    vlans: list[int] = []
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        lo, sep, hi = part.partition("-")
        if not lo.isdigit() or (sep and not hi.isdigit()):
            return None
        vlans.extend(range(int(lo), int(hi) + 1) if sep else [int(lo)])
    return tuple(sorted(set(vlans))) or None


def l2_of(
    mode: str | None, access_vlan: str | None, allowed: Sequence[str], native: str | None
) -> Access | Trunk8021q | None:
    """The switchport setting, when it is fully numeric; else None (unknown)."""
    if mode == "access" or (mode is None and access_vlan):
        return Access(vlan=int(access_vlan)) if access_vlan and access_vlan.isdigit() else None
    if mode == "trunk" and allowed:
        vlans = parse_vlan_list(",".join(allowed))
        if vlans is None or any(v > 4094 for v in vlans):
            return None
        nat = int(native) if native and native.isdigit() else None
        return Trunk8021q(vlans=vlans, native_vlan=nat)
    return None


def as_list(value: str | list[str]) -> list[str]:
    """A TextFSM value as a list."""
    return value if isinstance(value, list) else [value]


def as_str(value: str | list[str]) -> str:
    """A TextFSM value as a string."""
    return " ".join(value) if isinstance(value, list) else value


def sort_lags(lags: Iterable[LagState]) -> tuple[LagState, ...]:
    """Bundles ordered by channel number."""
    return tuple(sorted(lags, key=lambda lag: lag.channel))


def device_state(platform: Platform, device: str, lags: list[LagState],
                 **extra: object) -> DeviceLagState:
    """A partial :class:`DeviceLagState` of ``platform`` with its lags sorted by channel."""
    return DeviceLagState.model_validate(
        {"device": device, "platform": platform, "lags": sort_lags(lags), **extra}
    )
