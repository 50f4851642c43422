"""A small generated fabric for provisioning tests: one trunk per (platform, mode, transport).

The inventory has the four lab platforms' switches of the example fabric and one Windows host
per trunk (the lab serves each over SSH, as it serves the example's Windows hosts).  Each
trunk uses its own ports and channel, so tests touching different trunks never see each other.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LabFabric
from lagprov.model.inventory import Inventory

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "inventory"

SWITCHES = {"cisco_ios": "cat9300-1", "arista_eos": "eos7120-1",
            "juniper_junos": "ex4300-1", "supermicro_smis": "sse-x24s-1"}
MODES = ("lacp-active", "lacp-passive", "static", "independent")
_WINDOWS_TEAM = {"lacp-active": "Lacp", "lacp-passive": "Lacp", "static": "Static",
                 "independent": "none"}
# Per-interface MTU in each platform's own semantics (Catalyst: global ``system mtu``).
_MTU = {"cisco_ios": 9198, "arista_eos": 9214, "juniper_junos": 9216, "supermicro_smis": 9216}


def _port(platform: str, n: int) -> str:
    return {"cisco_ios": f"Gi1/0/{n}", "arista_eos": f"Ethernet{n}",
            "juniper_junos": f"ge-0/0/{n}", "supermicro_smis": f"Ex 0/{n}"}[platform]


@dataclass(frozen=True)
class Case:
    """One trunk end under test."""

    platform: str
    mode: str
    slot: int  # 0..: which block of ports/channel this case uses on its switch
    netmiko: bool = False

    @property
    def device(self) -> str:
        return SWITCHES[self.platform]

    @property
    def trunk(self) -> str:
        return f"t-{self.platform.split('_')[1]}-{self.mode}-{self.slot}"

    @property
    def host(self) -> str:
        return f"h-{self.platform.split('_')[1]}-{self.slot}"

    @property
    def members(self) -> tuple[str, str]:
        first = 2 * self.slot + 1
        return _port(self.platform, first), _port(self.platform, first + 1)

    @property
    def channel(self) -> int | None:
        return None if self.mode == "independent" else 20 + self.slot

    @property
    def mtu(self) -> int | None:
        # MTU on the LACP-active and independent ends; not on the others (unset must work too).
        return _MTU[self.platform] if self.mode in ("lacp-active", "independent") else None

    @property
    def vlans(self) -> tuple[int, ...] | None:
        """Trunk VLANs (trunk mode), or None for an access port in VLAN 100 + slot."""
        return (10, 20 + self.slot) if self.mode in ("lacp-active", "static") else None

    @property
    def access_vlan(self) -> int:
        return 100 + self.slot

    def trunk_yaml(self, *, state: str = "present") -> dict[str, Any]:
        end: dict[str, Any] = {"device": self.device, "members": list(self.members),
                               "mode": self.mode, "description": self.trunk}
        if self.channel is not None:
            end["channel"] = self.channel
        if self.mtu is not None:
            end["mtu"] = self.mtu
        end["l2"] = ({"mode": "trunk", "vlans": list(self.vlans)} if self.vlans
                     else {"mode": "access", "vlan": self.access_vlan})
        host = {"device": self.host, "team": _WINDOWS_TEAM[self.mode],
                "nics": ["NIC1", "NIC2"]}
        out: dict[str, Any] = {"name": self.trunk, "switch": end, "host": host}
        if state != "present":
            out["state"] = state
        return out


def all_cases() -> list[Case]:
    """Every (platform, mode) on NAPALM, and IOS/EOS again over Netmiko (slots 4..7)."""
    cases = [Case(p, m, i) for p in SWITCHES for i, m in enumerate(MODES)]
    cases += [Case(p, m, 4 + i, netmiko=True) for p in ("cisco_ios", "arista_eos")
              for i, m in enumerate(MODES)]
    return cases


# Extra slots kept free for the fault, check and lock tests (ports 2*slot+1, 2*slot+2).
SPARE_SLOTS = range(8, 12)


def _hosts_yaml(cases: Iterable[Case]) -> dict[str, Any]:
    example = yaml.safe_load((EXAMPLE / "hosts.yaml").read_text(encoding="utf-8"))
    hosts: dict[str, Any] = {name: example[name] for name in SWITCHES.values()}
    for c in cases:
        hosts[c.host] = {"hostname": "127.0.10.250", "platform": "windows",
                         "groups": ["servers"], "data": {"os": "windows"}}
    return hosts


def spare_cases() -> list[Case]:
    """Cases on spare slots, one per platform and slot (LACP active), for the other tests."""
    return [Case(p, "lacp-active", s) for p in SWITCHES for s in SPARE_SLOTS]


def write_fabric_inventory(dest: Path) -> Path:
    """The inventory the lab is built from: every case's trunk (for its hosts and cabling)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("defaults.yaml", "groups.yaml"):
        shutil.copy2(EXAMPLE / name, dest / name)
    cases = all_cases() + spare_cases()
    (dest / "hosts.yaml").write_text(yaml.safe_dump(_hosts_yaml(cases), sort_keys=False),
                                     encoding="utf-8")
    write_trunks(dest, [c.trunk_yaml() for c in cases])
    return dest


def write_trunks(inv_dir: Path, trunks: Sequence[dict[str, Any]]) -> Inventory:
    """Replace ``trunks.yaml`` of ``inv_dir`` and load the inventory."""
    (inv_dir / "trunks.yaml").write_text(yaml.safe_dump({"trunks": list(trunks)},
                                                        sort_keys=False), encoding="utf-8")
    return load_inventory(inv_dir)


def copy_inventory(src: Path, dest: Path) -> Path:
    """A private copy of a live inventory folder (the test then rewrites its trunks)."""
    shutil.copytree(src, dest)
    return dest


def core_link_yaml() -> dict[str, Any]:
    """The example's switch-to-switch trunk, as written in inventory/trunks.yaml."""
    trunks = yaml.safe_load((EXAMPLE / "trunks.yaml").read_text(encoding="utf-8"))["trunks"]
    found: dict[str, Any] = next(t for t in trunks if t["name"] == "core-cat9300-ex4300")
    return found


def add_vlans(fabric: LabFabric, device: str, platform: str, vlans: Iterable[int]) -> None:
    """Create ``vlans`` on a lab switch by hand, as a site does before a trunk carries them
    (the pre-change check 'vlans-exist'; Junos also refuses a reference to an undefined VLAN).
    The generated fabric starts with the VLANs of every case's own trunk only."""
    line = {"juniper_junos": ["set vlans v{n} vlan-id {n}"],
            "supermicro_smis": ["vlan {n}", "exit"]}.get(platform, ["vlan {n}"])
    fabric.load_config(device, [x.format(n=n) for n in vlans for x in line])


def log_len(fabric: LabFabric, device: str) -> int:
    """How many configuration lines ``device`` has received so far."""
    sw = fabric.switch(device)
    with sw.lock:
        return len(sw.command_log)


def log_since(fabric: LabFabric, device: str, start: int) -> list[str]:
    sw = fabric.switch(device)
    with sw.lock:
        return list(sw.command_log[start:])


def start_lab(base: Path) -> Iterator[tuple[LabFabric, Path]]:
    """Start the generated fabric on a fresh loopback block; yields (fabric, live inventory)."""
    inv = load_inventory(write_fabric_inventory(base / "fabric-inv"))
    fabric = LabFabric.from_inventory(inv, rebase="auto")
    fabric.start()
    try:
        yield fabric, fabric.write_inventory(base / "live-inv")
    finally:
        fabric.close()


# ---- reading a running configuration -------------------------------------------------------
def section(running: str, head: str) -> list[str] | None:
    """The stripped sub-lines of ``head`` in an indented running config (None: no section)."""
    out: list[str] | None = None
    for line in running.replace("\r", "").splitlines():
        if not line.startswith((" ", "\t")):
            if out is not None:
                return out
            if line.strip() == head:
                out = []
            continue
        if out is not None:
            out.append(line.strip())
    return out


def junos_set(running: str, path: str) -> list[str]:
    """The rest of every ``set <path> ...`` statement of a Junos ``display set`` config."""
    prefix = f"set {path} "
    return [s[len(prefix):] for s in running.splitlines() if s.startswith(prefix)]


# Global lines a trunk may add that a removal (rightly) never takes away: Catalyst
# ``system mtu`` (device-wide, other ports may rely on it), Junos ``device-count`` (only
# ever raised), SMIS ``set port-channel enable``; and the IOS byte count, which moves.
_GLOBAL_LEFT = ("system mtu ", "set chassis aggregated-devices ", "set port-channel enable",
                "Current configuration :")


def comparable(running: str, *, keep_globals: bool = False) -> list[str]:
    """A running config without the lines a removal leaves behind by design.

    ``!`` separators and blank lines go too: they move around the global lines.
    """
    return [line for line in running.replace("\r", "").splitlines()
            if not line.startswith(_GLOBAL_LEFT[-1 if keep_globals else 0:])
            and line.strip() not in {"", "!"}]


def inventory_with(live: Path, dest: Path, trunks: Sequence[dict[str, Any]]) -> Inventory:
    """A private copy of the live inventory whose trunks.yaml holds exactly ``trunks``."""
    if not dest.exists():
        copy_inventory(live, dest)
    return write_trunks(dest, trunks)
