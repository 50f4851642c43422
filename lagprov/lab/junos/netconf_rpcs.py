"""Junos-shaped replies of the facts/operational RPCs PyEZ and NAPALM ``junos`` send."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from lagprov.lab.junos.device import JunosShowSwitch
from lagprov.lab.junos.facts import member_of
from lagprov.model.state import MemberStatus

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

_BOOT = time.time()


def _date(seconds: float) -> str:
    when = datetime.fromtimestamp(seconds, UTC)
    return f'<date-time junos:seconds="{int(seconds)}">{when:%Y-%m-%d %H:%M:%S} UTC</date-time>'


def uptime(_sw: JunosShowSwitch, _op: ET.Element) -> str:
    now = time.time()
    up = int(now - _BOOT)
    return ("<system-uptime-information>\n"
            f"<current-time>{_date(now)}</current-time>\n"
            f"<system-booted-time>{_date(_BOOT)}\n<time-length junos:seconds=\"{up}\">"
            f"{up // 3600:02d}:{up % 3600 // 60:02d}:{up % 60:02d}</time-length>\n"
            "</system-booted-time>\n</system-uptime-information>")


def serial(sw: JunosShowSwitch) -> str:
    return "PE" + hashlib.sha256(sw.name.encode()).hexdigest()[:10].upper()


def chassis_inventory(sw: JunosShowSwitch, _op: ET.Element) -> str:
    return ("<chassis-inventory>\n<chassis junos:style=\"inventory\">\n<name>Chassis</name>\n"
            f"<serial-number>{serial(sw)}</serial-number>\n"
            f"<description>{escape(sw.hardware.name)}</description>\n</chassis>\n"
            "</chassis-inventory>")


def software(sw: JunosShowSwitch, _op: ET.Element) -> str:
    version = sw.db.committed.value("version") or ""
    model = sw.hardware.name.lower()
    return ("<software-information>\n"
            f"<host-name>{escape(sw.hostname)}</host-name>\n"
            f"<product-model>{model}</product-model>\n<product-name>{model}</product-name>\n"
            f"<junos-version>{version}</junos-version>\n"
            "<package-information>\n<name>junos</name>\n"
            f"<comment>JUNOS Base OS Software Suite [{version}]</comment>\n"
            "</package-information>\n</software-information>")


def route_engine(sw: JunosShowSwitch, _op: ET.Element) -> str:
    up = int(time.time() - _BOOT)
    return ("<route-engine-information>\n<route-engine>\n<slot>0</slot>\n"
            "<mastership-state>master</mastership-state>\n<status>OK</status>\n"
            f"<model>{escape(sw.hardware.name)}</model>\n"
            f"<up-time junos:seconds=\"{up}\">{up} seconds</up-time>\n"
            "<last-reboot-reason>Router rebooted after a normal shutdown.</last-reboot-reason>\n"
            "</route-engine>\n</route-engine-information>")


def virtual_chassis(sw: JunosShowSwitch, _op: ET.Element) -> str:
    return ("<virtual-chassis-information>\n"
            "<virtual-chassis-id-information junos:style=\"normal\">\n"
            "<virtual-chassis-id>0000.0000.0000</virtual-chassis-id>\n"
            "<virtual-chassis-mode>Enabled</virtual-chassis-mode>\n"
            "</virtual-chassis-id-information>\n<member-list junos:style=\"normal\">\n"
            f"<member><member-status>Prsnt</member-status><member-id>0</member-id>"
            f"<member-serial-number>{serial(sw)}</member-serial-number>"
            f"<member-model>{sw.hardware.name.lower()}</member-model>"
            "<member-role>Master*</member-role></member>\n</member-list>\n"
            "</virtual-chassis-information>")


def _physical(sw: JunosShowSwitch, name: str, up: bool, enabled: bool, mtu: int, speed: str,
              description: str) -> str:
    desc = f"<description>{escape(description)}</description>\n" if description else ""
    return ("<physical-interface>\n"
            f"<name>{name}</name>\n<admin-status junos:format=\"{'Enabled' if enabled else 'Down'}"
            f"\">{'up' if enabled else 'down'}</admin-status>\n"
            f"<oper-status>{'up' if up else 'down'}</oper-status>\n{desc}"
            f"<mtu>{mtu}</mtu>\n<speed>{speed}</speed>\n"
            f"<current-physical-address>{sw.system_mac}</current-physical-address>\n"
            "<interface-flapped junos:seconds=\"0\">Never</interface-flapped>\n"
            "</physical-interface>")


def interfaces(sw: JunosShowSwitch, op: ET.Element) -> str:
    """get-interface-information: front-panel ports and the aes that exist."""
    wanted = (op.findtext("interface-name") or "").strip()
    config = sw.db.committed
    outcomes = sw.fabric.link_outcomes(sw.name)
    blocks = []
    for port in sw.hardware.port_names():
        status = sw.outcome(outcomes, port).status
        ae = sw.aes().get(member_of(config, port) or "")
        mtu = int(config.value("interfaces", port, "mtu") or (ae.mtu if ae else
                                                              sw.hardware.mtu_default))
        speed = sw.hardware.port_speed(port) or 1000
        blocks.append((port, _physical(
            sw, port, status is not MemberStatus.DOWN,
            config.get("interfaces", port, "disable") is None, mtu,
            f"{speed // 1000}Gbps" if speed >= 1000 else f"{speed}mbps",
            config.value("interfaces", port, "description") or "")))
    for name, ae in sw.aes().items():
        state = sw.ae_state(ae)
        blocks.append((name, _physical(sw, name, state.link_up, ae.enabled, ae.mtu,
                                       state.speed, ae.description)))
    body = "\n".join(b for n, b in blocks if not wanted or n == wanted or
                     (n.startswith(wanted.rstrip("*")) and wanted.endswith("*")))
    return f"<interface-information junos:style=\"normal\">\n{body}\n</interface-information>"


def file_show(_sw: JunosShowSwitch, op: ET.Element) -> str:
    name = escape((op.findtext("filename") or "").strip())
    return f"<file-content filename=\"{name}\">\n</file-content>"


def commit_revision(sw: JunosShowSwitch, _op: ET.Element) -> str:
    rev = sw.db.revisions[0]
    pending = sw.db.pending_minutes
    comment = (f"<comment>commit confirmed, rollback in {pending}mins</comment>\n"
               if pending is not None else "")
    return ("<commit-revision-information>\n"
            f"{_date(rev.when.timestamp())}\n"
            f"<revision>re0-{int(_BOOT)}-{len(sw.db.revisions)}</revision>\n"
            f"<user>{escape(rev.user)}</user>\n<client>{rev.client}</client>\n{comment}"
            "</commit-revision-information>")


FACT_RPCS: dict[str, Callable[[JunosShowSwitch, ET.Element], str]] = {
    "get-system-uptime-information": uptime,
    "get-chassis-inventory": chassis_inventory,
    "get-software-information": software,
    "get-route-engine-information": route_engine,
    "get-virtual-chassis-information": virtual_chassis,
    "get-interface-information": interfaces,
    "file-show": file_show,
    "get-commit-revision-information": commit_revision,
}
