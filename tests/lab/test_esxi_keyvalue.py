"""The lab's ESXi host answers ``esxcli --formatter=keyvalue`` shaped like real esxcli (issue 11).

Expected shapes: the real captures of ``esxcli --formatter=keyvalue network vswitch standard
list`` (ESXi 6.x) and ``... network nic list`` (ESXi 8) carry exactly these field names, in
ASCII order, and write an empty list as ``<type>[] = `` (read in place, never copied).  The
values come from the host's intent (MTU 9000, its vmnics, LACP outcome per NIC).
"""

from __future__ import annotations

import re

import pytest

from lagprov.lab.hosts.fleet import LabHost
from lagprov.lab.hosts.remote import esxi_exec
from lagprov.model.types import Bundling, HostOs
from lagprov.observe.collect import HostJob, host_commands, parse_host
from lagprov.observe.host_commands import ESX_NICS, ESX_VSWITCH
from tests.lab.test_hosts import build

VSWITCH_FIELDS = ["BeaconEnabled", "BeaconInterval", "BeaconRequiredBy", "BeaconThreshold",
                  "CDPStatus", "Class", "ConfiguredPorts", "MTU", "Name", "NumPorts",
                  "Portgroups", "Uplinks", "UsedPorts"]
NIC_FIELDS = ["AdminStatus", "DPUId", "Description", "Driver", "Duplex", "Link", "LinkStatus",
              "MACAddress", "MTU", "Name", "PCIDevice", "Speed"]
LINE = re.compile(r"structure\[(\d+)\]\.(\w+)\.(\w+)\.(\w+)(\[\d*\](\.\w+)?)?( = |=).*")
NICS = ("vmnic0", "vmnic1")


def _host() -> LabHost:
    host, _ = build(HostOs.VMWARE, "iphash", Bundling.STATIC, "on", NICS, name="esx01")
    return host


def _fields(text: str, index: int) -> list[str]:
    out = []
    for line in text.splitlines():
        m = LINE.fullmatch(line)
        assert m is not None, line
        if int(m.group(1)) == index and m.group(3) not in out:
            out.append(m.group(3))
    return out


def test_vswitch_list_keyvalue_shape() -> None:
    host = _host()
    out, err, rc = esxi_exec(host, f"esxcli --formatter=keyvalue network vswitch standard list "
                                   f"-v {host.bond}")
    assert (err, rc) == ("", 0)
    assert _fields(out, 0) == VSWITCH_FIELDS
    assert f"structure[0].VirtualSwitch.MTU.integer={host.mtu}" in out.splitlines()
    assert "structure[0].VirtualSwitch.BeaconRequiredBy.string[] = " in out.splitlines()
    assert "structure[0].VirtualSwitch.Uplinks.string[0].string=vmnic1" in out.splitlines()


def test_nic_list_keyvalue_shape() -> None:
    host = _host()
    out, _, rc = esxi_exec(host, "esxcli --formatter keyvalue network nic list")
    assert rc == 0
    assert _fields(out, 0) == _fields(out, 1) == NIC_FIELDS
    assert "structure[1].Nic.Name.string=vmnic1" in out.splitlines()


def test_live_keyvalue_and_report_plain_text_parse_alike() -> None:
    host = _host()
    job = HostJob(device="esx01", os=HostOs.VMWARE, bond=host.bond, nics=NICS, team="iphash",
                  commands=host_commands(HostOs.VMWARE, host.bond, NICS), live=True)
    assert [c for c in job.commands if "--formatter=keyvalue" in c] == [
        f"esxcli --formatter=keyvalue network vswitch standard list -v {host.bond}",
        "esxcli --formatter=keyvalue network nic list"]
    live = {c: esxi_exec(host, c)[0] for c in job.commands}
    plain = {c: esxi_exec(host, c)[0] for c in (
        job.commands[0], ESX_VSWITCH.format(bond=host.bond), ESX_NICS)}
    live_state, e1 = parse_host(job, live)
    plain_state, e2 = parse_host(job, plain)
    assert e1 is None and e2 is None and live_state is not None
    assert live_state == plain_state
    assert (live_state.team, live_state.mtu_ip) == ("iphash", host.mtu)
    assert [m.name for m in live_state.members] == list(NICS)
    assert host.refused == []


@pytest.mark.parametrize("command", [
    "esxcli --formatter=json network nic list",
    "esxcli --formatter=xml network nic list",
    "esxcli --formatter=keyvalue network vswitch standard policy failover get -v Team1",
    "esxcli --debug network nic list",
    "esxcli --formatter",
])
def test_what_the_lab_does_not_answer_is_refused(command: str) -> None:
    host = _host()
    out, err, rc = esxi_exec(host, command)
    assert (out, rc) == ("", 1) and err.startswith("Error: ")
    assert host.refused == [command]
