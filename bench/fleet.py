"""A generated fabric of lab switches (mixed platforms), each with 2-4 trunks to its own hosts."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.common import EXAMPLE_INVENTORY
from bench.lab_child import ChildLab
from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LabFabric
from lagprov.model.inventory import Inventory


@dataclass(frozen=True)
class Kind:
    """One switch kind of the generated fleet and how its trunk members are named."""

    prefix: str
    platform: str
    hardware: str
    member: str  # str.format pattern over the member number
    first_member: int
    first_channel: int
    napalm_extras: dict[str, object] | None = None


KINDS = (
    Kind("c9300", "cisco_ios", "C9300-48T", "Gi1/0/{}", 1, 1),
    Kind("eos", "arista_eos", "DCS-7120T-4S", "Ethernet{}", 1, 1,
         {"optional_args": {"transport": "http", "port": 8080}}),
    Kind("ex4300", "juniper_junos", "EX4300-48T", "ge-0/0/{}", 0, 0,
         {"optional_args": {"port": 8830}}),
    Kind("sse", "supermicro_smis", "SSE-X24S", "Ex 0/{}", 1, 1),
)
DEFAULT_MIX = (13, 13, 12, 12)  # cisco, arista, junos, smis: 50 switches


def _switch_entry(kind: Kind, address: str) -> dict[str, object]:
    entry: dict[str, object] = {"hostname": address, "port": 2222, "platform": kind.platform,
                                "groups": ["switches"], "data": {"hardware": kind.hardware}}
    if kind.napalm_extras is not None:
        entry["connection_options"] = {"napalm": {"extras": kind.napalm_extras}}
    return entry


def _trunk(kind: Kind, switch: str, host: str, k: int, linux: bool) -> dict[str, object]:
    """Trunk ``k`` of ``switch``: LACP (or static every third) to ``host``, two members."""
    static = k % 3 == 2
    first = kind.first_member + 2 * k
    members = [kind.member.format(first), kind.member.format(first + 1)]
    # EOS ends stay in trunk mode: lagprov's read-back wants "switchport mode access" on an EOS
    # port-channel, which EOS (and the lab) never shows (the default) -> rolled back.
    access = k % 2 == 1 and kind.platform != "arista_eos"
    l2 = {"mode": "access", "vlan": 20} if access else {"mode": "trunk", "vlans": [10, 20, 30]}
    if linux:
        host_end = {"device": host, "team": "balance-xor" if static else "802.3ad",
                    "name": "bond0", "nics": ["eth0", "eth1"]}
    else:
        host_end = {"device": host, "team": "Static" if static else "Lacp", "name": "Team1",
                    "nics": ["NIC1", "NIC2"]}
    switch_end: dict[str, object] = {
        "device": switch, "channel": kind.first_channel + k, "members": members,
        "mode": "static" if static else "lacp-active", "description": f"{host}-team", "l2": l2}
    if kind.platform == "supermicro_smis":
        switch_end["mtu"] = 9216  # SMIS default frame size 1500 is below a host's IP MTU 1500
    return {"name": f"{host}-team", "switch": switch_end, "host": host_end}


def _host_entry(linux: bool, block: str) -> dict[str, object]:
    if linux:
        return {"hostname": f"{block}.1", "port": 2222, "platform": "linux",
                "groups": ["servers"], "data": {"os": "linux"}}
    return {"hostname": f"{block}.1", "platform": "windows", "groups": ["servers"],
            "data": {"os": "windows"}}


def generate_fleet(dest: Path, mix: tuple[int, ...] = DEFAULT_MIX,
                   block: str = "127.0.200") -> tuple[Path, int, int]:
    """Write an inventory folder to ``dest``; (folder, switches, trunks).

    Addresses are placeholders in ``block``; :func:`big_lab` rebases them anyway.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("groups.yaml", "defaults.yaml"):
        shutil.copy2(EXAMPLE_INVENTORY / name, dest / name)
    switches: dict[str, object] = {}
    hosts: dict[str, object] = {}
    trunks: list[dict[str, object]] = []
    n = 0
    for kind, count in zip(KINDS, mix, strict=True):
        for i in range(count):
            name = f"{kind.prefix}-{i + 1:02d}"
            switches[name] = _switch_entry(kind, f"{block}.{10 + n}")
            for k in range(2 + n % 3):  # 2, 3 or 4 trunks
                host = f"h{len(hosts) + 1:03d}"
                linux = len(hosts) % 2 == 0
                hosts[host] = _host_entry(linux, block)
                trunks.append(_trunk(kind, name, host, k, linux))
            n += 1
    (dest / "hosts.yaml").write_text(yaml.safe_dump({**switches, **hosts}, sort_keys=False),
                                     encoding="utf-8")
    (dest / "trunks.yaml").write_text(yaml.safe_dump({"trunks": trunks}, sort_keys=False),
                                      encoding="utf-8")
    return dest, len(switches), len(trunks)


@contextmanager
def running_lab(inv: Inventory, block: str, workdir: Path) -> Iterator[tuple[ChildLab, Inventory]]:
    """A started lab of ``inv``'s folder rebased on ``block``, in a child process (so it does
    not share this process's interpreter lock), and the inventory pointing at it."""
    lab = ChildLab(Path(inv.root), block, workdir)
    try:
        yield lab, load_inventory(lab.inventory)
    finally:
        lab.close()


@contextmanager
def in_process_lab(inv: Inventory, block: str, workdir: Path
                   ) -> Iterator[tuple[LabFabric, Inventory]]:
    """As :func:`running_lab`, the lab in this process: for the tests that reach into it
    (inject a fault, read a switch's configuration), where timing does not matter."""
    fabric = LabFabric.from_inventory(inv, rebase=block)
    fabric.start()
    try:
        yield fabric, load_inventory(fabric.write_inventory(workdir))
    finally:
        fabric.close()


def _big_model(kind: Kind, name: str, ports: int) -> dict[str, object]:
    """A hardware file: ``kind``'s catalog model under ``name`` with ``ports`` front ports."""
    for path in sorted(HARDWARE_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if kind.hardware in (doc.get("models") or {}):
            model = dict(doc["models"][kind.hardware])
            prefix = _SPELT.get(kind.member.split("{")[0], kind.member.split("{")[0])
            model["source"] = "bench: a generated chassis (not a real model)"
            model["ports"] = {"ranges": [{"prefix": prefix, "first": kind.first_member,
                                          "last": kind.first_member + ports - 1,
                                          "speed_mbps": 10000}], "confirmed": False}
            return {**doc, "models": {name: model}}
    raise LookupError(kind.hardware)


HARDWARE_DIR = Path(__file__).resolve().parents[1] / "lagprov" / "knowledge" / "hardware"
_SPELT = {"Gi1/0/": "GigabitEthernet1/0/"}  # the catalog spells ports as the device prints them
BIG_MODEL = "BENCH-CHASSIS"


def one_switch_fleet(dest: Path, trunks: int, prefix: str = "eos") -> tuple[Path, str]:
    """An inventory with ``trunks`` host trunks on one switch of kind ``prefix`` (a generated
    chassis with enough ports); (folder, switch name).  EOS and SMIS allow 2,000+ channels."""
    kind = {k.prefix: k for k in KINDS}[prefix]
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("groups.yaml", "defaults.yaml"):
        shutil.copy2(EXAMPLE_INVENTORY / name, dest / name)
    (dest / "hardware").mkdir(exist_ok=True)
    (dest / "hardware" / "bench.yaml").write_text(
        yaml.safe_dump(_big_model(kind, BIG_MODEL, 2 * trunks)), encoding="utf-8")
    switch = f"{kind.prefix}-01"
    entry = _switch_entry(kind, "127.0.200.10")
    entry["data"] = {"hardware": BIG_MODEL}
    hosts: dict[str, object] = {switch: entry}
    out: list[dict[str, object]] = []
    for k in range(trunks):
        host = f"h{k + 1:04d}"
        linux = k % 2 == 0
        hosts[host] = _host_entry(linux, "127.0.200")
        out.append(_trunk(kind, switch, host, k, linux))
    (dest / "hosts.yaml").write_text(yaml.safe_dump(hosts, sort_keys=False), encoding="utf-8")
    (dest / "trunks.yaml").write_text(yaml.safe_dump({"trunks": out}, sort_keys=False),
                                      encoding="utf-8")
    return dest, switch
