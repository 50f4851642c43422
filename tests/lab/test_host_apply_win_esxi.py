"""The lab's Windows and ESXi hosts take the team lagprov renders for them (issue 11: "For every
host OS and team mode in the example fabric, the rendered host config, once applied to the lab
host of that OS, verifies clean against the switch end; a rendered config for the wrong mode ...
is caught by ``ready``").

For every Windows and ESXi trunk of the example fabric (hv01-team: LBFO Lacp; win-iscsi01-mpio:
no team, Jumbo Packet 9014; esx01-vswitch0: vSS iphash), the host is first put in an
unconfigured or wrong state (verify then fails: the test can fail), its rendered config is sent
over SSH as a pipeline sends it (PowerShell: one ``powershell.exe -EncodedCommand`` script, as
lagprov's own reads; esxcli: one exec request per line) and ``verify`` of that trunk is then
clean.  Expected values are the intent's (inventory/trunks.yaml), not the renderer's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paramiko
import pytest
from fastapi.testclient import TestClient

from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LAB_ENV, LabFabric
from lagprov.lab.hosts.fleet import LabHost
from lagprov.lab.hosts.remote import esxi_exec, windows_exec
from lagprov.model.inventory import Inventory
from lagprov.model.types import Bundling, HostOs, LacpRate
from lagprov.observe.windows_read import encoded_command
from lagprov.runs import render_host
from lagprov.runs.verify import verify_run
from tests.conftest import EXAMPLE_INVENTORY
from tests.service.conftest import SERVICE_KEY, make_client, signing
from tests.service.test_handshake import expected_digest
from tests.workflow.labkit import configure_as_intended

pytestmark = [pytest.mark.lab, pytest.mark.slow]

INV = load_inventory(EXAMPLE_INVENTORY)
TRUNKS = [t for t in INV.trunks if t.host is not None and t.state == "present"
          and t.host.os in (HostOs.WINDOWS, HostOs.VMWARE)]


@dataclass
class Lab:
    fabric: LabFabric
    inv: Inventory
    client: TestClient


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    base = tmp_path_factory.mktemp("apply")
    with pytest.MonkeyPatch.context() as mp:
        for k, v in {**LAB_ENV, "LAGPROV_SERVICE_KEY": SERVICE_KEY}.items():
            mp.setenv(k, v)
        fabric = LabFabric.from_inventory(INV, rebase="auto")
        configure_as_intended(fabric, INV)
        fabric.start()
        try:
            folder = fabric.write_inventory(base / "inventory")
            with signing(make_client(folder, base / "state"), SERVICE_KEY) as client:
                yield Lab(fabric, load_inventory(folder), client)
        finally:
            fabric.close()


def _exec(inv: Inventory, device: str, commands: list[str]) -> list[tuple[int, str, str]]:
    host = inv.host(device)
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # the lab's key is new each run
    client.connect(host.address or "", port=host.port, username=LAB_ENV["LAGPROV_USERNAME"],
                   password=LAB_ENV["LAGPROV_PASSWORD"], look_for_keys=False,
                   allow_agent=False, timeout=10)
    try:
        out = []
        for command in commands:
            _, stdout, stderr = client.exec_command(command, timeout=10)
            status = stdout.channel.recv_exit_status()
            out.append((status, stdout.read().decode(), stderr.read().decode()))
        return out
    finally:
        client.close()


def apply(inv: Inventory, device: str, text: str) -> list[tuple[int, str, str]]:
    """What a pipeline does: PowerShell as one encoded script; esxcli one line at a time."""
    if inv.host(device).os is HostOs.WINDOWS:
        return _exec(inv, device, [encoded_command(text)])
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return _exec(inv, device, lines)


def unconfigure(host: LabHost, state: str) -> None:
    """The host before its pipeline ran: no team, a wrong team, small MTU, one uplink."""
    with host.lock:
        host.adapters = host.adapters or host.nics
        host.mtu = 1514 if host.os is HostOs.WINDOWS else 1500
        host.lacp_rate = LacpRate.SLOW
        host.team_vlans = ()
        if host.os is HostOs.VMWARE:
            host.team, host.nics = "portid", host.adapters[:1]
            host.portgroups = (("VM Network", 0), ("Management Network", 0))
        else:
            host.team = state


def trunk_failures(inv: Inventory, trunk: str) -> list[tuple[str, str | None, str]]:
    t = next(x for x in inv.trunks if x.name == trunk)
    devices = [e.device for e in t.switch] + ([t.host.device] if t.host else [])
    report = verify_run(inv, devices=devices, workers=4)
    assert report.errors == ()
    mine = [f for f in report.findings if f.trunk == trunk]
    assert mine
    return [(f.rule, f.device, str(f.status)) for f in mine
            if f.failed or str(f.status) == "unverifiable"]


CASES = [(t.name, t.host.device, s) for t in TRUNKS if t.host is not None
         for s in (("none", "Static") if t.host.bundling is Bundling.LACP else ("none",))]


@pytest.mark.parametrize(("trunk", "device", "before"), CASES,
                         ids=[f"{c[0]}-from-{c[2]}" for c in CASES])
def test_rendered_config_applied_verifies_clean(lab: Lab, trunk: str, device: str,
                                                before: str) -> None:
    end = next(t.host for t in INV.trunks if t.name == trunk)
    assert end is not None
    host = lab.fabric.hosts[device]
    unconfigure(host, before)
    assert trunk_failures(lab.inv, trunk) != []  # the wrong state is seen

    text = render_host(lab.inv, device, trunks=[trunk]).text
    results = apply(lab.inv, device, text)
    assert [r for r in results if r[0] != 0] == []
    assert host.refused == []
    assert host.nics == end.nics  # the intent's members / uplinks
    if end.mtu is not None:
        assert host.mtu == end.mtu
    assert trunk_failures(lab.inv, trunk) == []

    again = apply(lab.inv, device, text)  # idempotent: a second run changes nothing
    assert [r for r in again if r[0] != 0] == []
    assert trunk_failures(lab.inv, trunk) == []


def _ready(client: TestClient, trunk: str, nonce: str) -> dict[str, Any]:
    r = client.post(f"/trunks/{trunk}/ready", json={"nonce": nonce})
    assert r.status_code == 200, r.text
    v: dict[str, Any] = r.json()
    assert v["digest"] == expected_digest(v, SERVICE_KEY) and v["nonce"] == nonce
    return v


def _with_host_team(inv: Inventory, trunk: str, team: str, bundling: Bundling) -> Inventory:
    """The inventory with the host end of ``trunk`` as ``team`` (the switch end unchanged)."""
    t = next(x for x in inv.trunks if x.name == trunk)
    assert t.host is not None
    host = t.host.model_copy(update={"team": team, "bundling": bundling, "lacp_rate": None})
    wrong = t.model_copy(update={"host": host})
    return inv.model_copy(update={"trunks": tuple(wrong if x.name == trunk else x
                                                  for x in inv.trunks)})


@pytest.mark.parametrize("team", ["Static", "SwitchIndependent"])
def test_a_config_for_the_wrong_mode_is_caught_by_ready(lab: Lab, team: str) -> None:
    trunk, device = "hv01-team", "hv01"  # LBFO Lacp against cat9300-1's LACP port-channel
    host = lab.fabric.hosts[device]
    unconfigure(host, "none")
    assert apply(lab.inv, device, render_host(lab.inv, device).text)[0][0] == 0
    assert _ready(lab.client, trunk, f"as-intended-{team}")["verdict"] == "pass"
    bundling = Bundling.STATIC if team == "Static" else Bundling.INDEPENDENT
    wrong = render_host(_with_host_team(lab.inv, trunk, team, bundling), device).text
    assert f"-TeamingMode {team} " in wrong
    status, _, err = apply(lab.inv, device, wrong)[0]
    assert (status, err) == (0, "")
    assert host.team == team
    verdict = _ready(lab.client, trunk, f"wrong-{team}")
    assert verdict["verdict"] == "fail"
    assert ("host-team-mode", device) in {(f["rule"], f["device"]) for f in verdict["findings"]
                                          if f["status"] == "fail"}


_STOP = "$ErrorActionPreference = 'Stop'\n"


def test_windows_refusals_are_powershell_errors_and_change_nothing(lab: Lab) -> None:
    host = lab.fabric.hosts["hv01"]
    unconfigure(host, "none")
    assert apply(lab.inv, "hv01", render_host(lab.inv, "hv01").text)[0][0] == 0
    before, refused = host.team_settings(), len(host.refused)
    cases = {
        # a member already in a team (New-NetLbfoTeam, Microsoft docs: one team per adapter)
        "New-NetLbfoTeam -Name 'Team2' -TeamMembers 'NIC1' -TeamingMode Static -Confirm:$false":
            "already a member of team 'Team1'",
        "New-NetLbfoTeam -Name 'Team1' -TeamMembers 'NIC1','NIC2' -TeamingMode Static":
            "already exists",
        "Remove-NetLbfoTeam -Name 'Team1'": "CommandNotFoundException",
        "Set-NetLbfoTeam -Name 'Team1' -TeamingMode Lacpx": "ParameterBindingException",
        "Set-NetLbfoTeam -Name 'Team1' -Mode Static": "NamedParameterNotFound",
        "Set-NetAdapterAdvancedProperty -Name 'NIC1','NIC2' -RegistryKeyword '*JumboPacket' "
        "-RegistryValue 9000": "No matching keyword value",
        "Add-NetLbfoTeamMember -Team 'Team1' -Name 'NIC9' -Confirm:$false":
            "No MSFT_NetAdapter objects found",
    }
    for line, expected in cases.items():
        status, out, err = apply(lab.inv, "hv01", _STOP + line + "\n")[0]
        assert status == 1 and out == "", line
        assert expected in err and err.startswith(line.split()[0] + " : "), err
    assert host.team_settings() == before
    assert len(host.refused) == refused + 3  # the three PowerShell would not bind
    status, _, err = apply(lab.inv, "hv01", _STOP + 'Set-NetLbfoTeam -Name "Team1"\n')[0]
    assert status == 1 and "refused" in err and len(host.refused) == refused + 4


def test_esxcli_refusals_are_esxcli_errors_and_change_nothing(lab: Lab) -> None:
    host = lab.fabric.hosts["esx01"]
    unconfigure(host, "none")
    assert all(r[0] == 0 for r in apply(lab.inv, "esx01", render_host(lab.inv, "esx01").text))
    before = host.team_settings()
    cases = {
        "esxcli network vswitch standard set -v vSwitch0 --mtux 9000":
            "Error: Invalid option --mtux",
        "esxcli network vswitch standard policy failover set -v vSwitch0 --load-balancing lacp":
            "Invalid load balancing policy lacp",
        "esxcli network vswitch standard set -v vSwitch0 --mtu 9216": "Invalid MTU 9216",
        "esxcli network vswitch standard uplink add -u vmnic0 -v vSwitch0": "already",
        "esxcli network vswitch standard uplink add -u vmnic7 -v vSwitch0": "no such physical",
        "esxcli network vswitch standard set -v vSwitch9 --mtu 9000":
            "Unable to find vswitch vSwitch9",
    }
    for line, expected in cases.items():
        status, _, err = apply(lab.inv, "esx01", line)[0]
        assert status == 1 and expected in err, (line, err)
    status, _, err = apply(lab.inv, "esx01", "esxcli network vswitch standard set -v vSwitch0 "
                           "--mtu 9000; reboot")[0]
    assert status == 2 and "refused" in err
    assert host.team_settings() == before


GOLDEN = Path(__file__).resolve().parents[1] / "render" / "golden" / "hosts"


@pytest.mark.parametrize("mode", ["Lacp", "Static", "SwitchIndependent", "SET", "none"])
def test_every_windows_golden_applies_to_the_host_it_names(mode: str) -> None:
    fabric = LabFabric.from_inventory(INV)  # not started: the host objects only
    host = fabric.hosts["hv01"]  # NIC1, NIC2 as the goldens' srv-win
    unconfigure(host, "none")
    text = (GOLDEN / "windows" / "powershell" / f"{mode}.txt").read_text(encoding="utf-8")
    assert windows_exec(host, encoded_command(text)) == ("", "", 0)
    assert (host.team, host.nics, host.mtu) == (mode, ("NIC1", "NIC2"), 9014)
    assert host.team_vlans == ((20,) if mode in ("Lacp", "Static", "SwitchIndependent") else ())


@pytest.mark.parametrize("mode", ["iphash", "portid", "mac", "explicit"])
def test_every_esxcli_golden_applies_to_the_host_it_names(mode: str) -> None:
    fabric = LabFabric.from_inventory(INV)
    host = fabric.hosts["esx01"]  # vmnic0, vmnic1 as the goldens' srv-esx
    unconfigure(host, "none")
    host.bond = "vSwitch1"
    text = (GOLDEN / "vmware" / "esxcli" / f"{mode}.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            assert esxi_exec(host, line) == ("", "", 0), line
    assert (host.team, host.nics, host.mtu) == (mode, ("vmnic0", "vmnic1"), 9000)
    assert ("VLAN20", 20) in host.portgroups and host.refused == []
