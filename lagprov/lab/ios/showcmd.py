"""``show`` commands of the lab IOS CLI (dispatch, version, hosts, archive diffs)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from lagprov.lab.ios import files as ios_files
from lagprov.lab.ios import show as ios_show
from lagprov.lab.ios.device import IosShowSwitch
from lagprov.lab.ios.parse import IosCliError, Words, interface_name

_HOSTS = """Default domain is {domain}
Name/address lookup uses static mappings

Codes: UN - unknown, EX - expired, OK - OK, ?? - revalidate
       temp - temporary, perm - permanent
       NA - Not Applicable None - Not defined

Host                      Port  Flags      Age Type   Address(es)
"""

_VERSION_2960 = """Cisco IOS Software, C2960S Software (C2960S-UNIVERSALK9-M), Version 15.0(2)SE, \
RELEASE SOFTWARE (fc1)
Technical Support: http://www.cisco.com/techsupport
Copyright (c) 1986-2012 by Cisco Systems, Inc.
Compiled Sat 28-Jul-12 00:29 by prod_rel_team

ROM: Bootstrap program is C2960S boot loader
BOOTLDR: C2960S Boot Loader (C2960S-HBOOT-M) Version 12.2(53r)SE, RELEASE SOFTWARE (fc3)

{host} uptime is {uptime}
System returned to ROM by power-on
System image file is "flash:/c2960s-universalk9-mz.150-2.SE/c2960s-universalk9-mz.150-2.SE.bin"

cisco {model} (PowerPC) processor (revision A0) with 131072K bytes of memory.
Processor board ID {serial}
Last reset from power-on
1 Virtual Ethernet interface
{ports} Gigabit Ethernet interfaces
The password-recovery mechanism is enabled.

512K bytes of flash-simulated non-volatile configuration memory.
Base ethernet MAC Address       : {mac}
Motherboard assembly number     : 73-11473-09
Model number                    : {model}
System serial number            : {serial}

Switch Ports Model              SW Version            SW Image
------ ----- -----              ----------            ----------
*    1 {ports:<5} {model:<18} 15.0(2)SE             C2960S-UNIVERSALK9-M

Configuration register is 0xF
"""

_VERSION_9300 = """Cisco IOS XE Software, Version 17.09.04a
Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.4a, \
RELEASE SOFTWARE (fc3)
Technical Support: http://www.cisco.com/techsupport
Copyright (c) 1986-2023 by Cisco Systems, Inc.
Compiled Fri 20-Oct-23 10:44 by mcpre

{host} uptime is {uptime}
Uptime for this control processor is {uptime}
System returned to ROM by Reload Command
System image file is "flash:packages.conf"
Last reload reason: Reload Command

cisco {model} (X86) processor with 1338934K/6147K bytes of memory.
Processor board ID {serial}
1 Virtual Ethernet interface
{ports} Gigabit Ethernet interfaces
8 Ten Gigabit Ethernet interfaces
2048K bytes of non-volatile configuration memory.
8388608K bytes of physical memory.
1638400K bytes of Crash Files at crashinfo:.
11264000K bytes of Flash at flash:.

Base Ethernet MAC Address          : {mac}
Model Number                       : {model}
System Serial Number               : {serial}

Switch Ports Model              SW Version        SW Image              Mode
------ ----- -----              ----------        ----------            ----
*    1 {allports:<5} {model:<18} 17.09.04a         CAT9K_IOSXE           INSTALL

Configuration register is 0x102
"""


def uptime_text(seconds: float) -> str:
    """IOS uptime wording, e.g. ``1 hour, 5 minutes``."""
    minutes = int(seconds // 60)
    days, rem = divmod(minutes, 1440)
    hours, mins = divmod(rem, 60)
    parts = [f"{days} day{'s' * (days != 1)}"] if days else []
    parts += [f"{hours} hour{'s' * (hours != 1)}"] if hours else []
    parts.append(f"{mins} minute{'s' * (mins != 1)}")
    return ", ".join(parts)


def now_uptime(switch: IosShowSwitch) -> str:
    """Uptime since the switch (re)booted."""
    return uptime_text(time.monotonic() - switch.boot_time)


def version(sw: IosShowSwitch) -> str:
    """``show version`` in the 2960-S or 9300 flavour."""
    serial = ("FOC" if sw.jumbo_scope else "FCW") + sw.system_mac.replace(":", "")[-8:].upper()
    gig = sum(1 for p in sw.running.ports if p.startswith("Gigabit"))
    template = _VERSION_2960 if sw.jumbo_scope else _VERSION_9300
    return template.format(host=sw.running.hostname, uptime=now_uptime(sw),
                           model=sw.hardware.name, serial=serial, ports=gig,
                           allports=len(sw.running.ports), mac=sw.system_mac.upper())


def hosts(sw: IosShowSwitch) -> str:
    """``show hosts``."""
    domain = next((g.split()[-1] for g in sw.running.globals
                   if g.startswith("ip domain-name ")), "not set")
    return _HOSTS.format(domain=domain)


def incremental_diffs(sw: IosShowSwitch, text: str) -> str:
    """``show archive config incremental-diffs``: the file's lines missing from running."""
    running = sw.config_text().splitlines()
    blocks: dict[str, list[str]] = {}
    parent = ""
    for line in running:
        if line.startswith(" "):
            blocks.setdefault(parent, []).append(" ".join(line.split()))
        else:
            parent = " ".join(line.split())
            blocks.setdefault(parent, [])
    out: list[str] = []
    parent, parent_shown = "", True
    for raw in text.splitlines():
        if not raw.strip() or raw.strip().startswith("!") or raw.strip() == "end":
            continue
        norm = " ".join(raw.split())
        if not raw.startswith(" "):
            parent = _canonical_parent(sw, norm)
            parent_shown = parent in blocks
            if not parent_shown:
                out.append(parent)
                parent_shown = True
            continue
        if norm not in blocks.get(parent, []):
            if parent not in out and parent:
                out.append(parent)
            out.append(" " + norm)
    if not out:
        return "!List of Commands:\nend\n!No changes were found\n"
    return "!List of Commands:\n" + "\n".join(out) + "\nend\n"


def _canonical_parent(sw: IosShowSwitch, line: str) -> str:
    words = Words(line)
    first = words.peek()
    if first is not None and len(words.tokens) >= 2 and "interface".startswith(
            first.text.lower()) and len(first.text) >= 3:
        words.pos = 1
        try:
            return "interface " + interface_name(words, sw.running.ports)
        except IosCliError:
            return line
    return line


def differences(sw: IosShowSwitch, text: str) -> str:
    """``show archive config differences system:running-config flash:x`` (line sets)."""
    running = [x for x in sw.config_text().splitlines() if x.strip() and x != "!"]
    other = [x for x in text.splitlines() if x.strip() and x != "!"]
    minus = [f"-{x}" for x in running if x not in other]
    plus = [f"+{x}" for x in other if x not in running]
    if not minus and not plus:
        return "!Contextual Config Diffs:\n!No changes were found\n"
    return "!Contextual Config Diffs:\n" + "\n".join(plus + minus) + "\n"


def _archive(sw: IosShowSwitch, w: Words) -> str:
    if not w.more():
        return "Archive feature not enabled\n"
    w.keyword(("config",))
    kind = w.keyword(("incremental-diffs", "differences", "rollback"))
    if kind == "rollback":
        w.rest()
        return "No Rollback Confirmed Change pending\n"
    if kind == "differences":
        w.word()
        path = w.word()
    else:
        path = w.word()
    w.keyword(("ignorecase",), required=False)
    w.done()
    text = ios_files.read_text(sw.flash, path)
    if text is None:
        return ios_files.error_opening(path)
    if kind == "differences":
        return differences(sw, text)
    return incremental_diffs(sw, text)


def _etherchannel(sw: IosShowSwitch, w: Words) -> str:
    only = int(w.word()) if (tok := w.peek()) is not None and tok.text.isdigit() else None
    w.keyword(("summary",))
    w.done()
    return ios_show.etherchannel_summary(sw.show_data(), only)


def _lacp(sw: IosShowSwitch, w: Words) -> str:
    if (tok := w.peek()) is not None and tok.text.isdigit():
        w.pos += 1
    kind = w.keyword(("neighbor", "sys-id"))
    w.done()
    if kind == "sys-id":
        return f"32768, {ios_show.dotted_mac(sw.system_mac)}\n"
    return ios_show.lacp_neighbor(sw.show_data())


def _interfaces(sw: IosShowSwitch, w: Words) -> str:
    only = interface_name(w, sw.running.ports) if w.more() else None
    w.done()
    if only is not None and only not in sw.running.interfaces:
        raise IosCliError("invalid", w.tokens[-1].column, w.line)
    return ios_show.interfaces(sw.show_data(), only)


def _running(sw: IosShowSwitch, w: Words) -> str:
    if not w.more():
        return sw.running_config()
    w.keyword(("interface",))
    name = interface_name(w, sw.running.ports)
    w.done()
    text = sw.config_text()
    lines, inside = [], False
    for line in text.splitlines():
        if not line.startswith(" "):
            inside = line == f"interface {name}"
        if inside:
            lines.append(line)
    body = "\n".join(lines) + "\nend\n"
    return f"Building configuration...\n\nCurrent configuration : {len(body)} bytes\n!\n{body}"


def show(sw: IosShowSwitch, w: Words, allowed: Sequence[str]) -> str:
    """Dispatch ``show ...`` (``allowed``: the keywords of the session's mode)."""
    kw = w.keyword(tuple(allowed))
    if kw == "version":
        return version(sw)
    if kw == "clock":
        return "*10:00:00.000 UTC Mon Mar 1 1993\n"
    if kw == "hosts":
        return hosts(sw)
    if kw == "archive":
        return _archive(sw, w)
    if kw == "etherchannel":
        return _etherchannel(sw, w)
    if kw == "lacp":
        return _lacp(sw, w)
    if kw == "interfaces":
        return _interfaces(sw, w)
    if kw == "ip":
        w.keyword(("interface",))
        w.keyword(("brief",))
        w.done()
        return ios_show.ip_interface_brief(sw.show_data())
    if kw == "running-config":
        return _running(sw, w)
    if kw == "vlan":
        w.keyword(("brief",), required=False)
        w.done()
        return ios_show.vlan_brief(sw.show_data())
    if kw == "startup-config":
        body = sw.config_text(sw.startup)
        return f"Using {len(body)} out of 524288 bytes\n{body}"
    if kw == "flash:":
        return ios_files.dir_listing(sw.flash, "flash:")
    w.keyword(("mtu",))
    system, jumbo = sw.system_mtus()
    return ios_show.system_mtu(sw.jumbo_scope, system, jumbo)
