"""``esxcli --formatter=keyvalue`` read as records (issue 11).

The inputs are written in the shape real captures show (``structure[N].<Struct>.<Field>.<type>=v``;
list elements ``<type>[i].<type>=v``; an empty list ``<type>[] = ``; a ``get`` without the
``structure[N].`` prefix), with this test's own values; the captures themselves are read in
place, never copied (see lagprov.observe.parsers.esxcli_keyvalue).
"""

from __future__ import annotations

import pytest

from lagprov.errors import ParseError
from lagprov.observe.parsers.esxcli_keyvalue import (
    parse_keyvalue,
    parse_nic_list_kv,
    parse_vswitch_kv,
)

VSWITCHES = """\
structure[0].VirtualSwitch.MTU.integer=1500
structure[0].VirtualSwitch.Name.string=vSwitch0
structure[0].VirtualSwitch.Portgroups.string[0].string=Management Network
structure[0].VirtualSwitch.Uplinks.string[0].string=vmnic0
structure[1].VirtualSwitch.BeaconRequiredBy.string[] =\x20
structure[1].VirtualSwitch.MTU.integer=9000
structure[1].VirtualSwitch.Name.string=vSwitch1
structure[1].VirtualSwitch.Uplinks.string[0].string=vmnic3
structure[1].VirtualSwitch.Uplinks.string[1].string=vmnic2
"""

NICS = """\
structure[0].Nic.AdminStatus.string=Up
structure[0].Nic.LinkStatus.string=Up
structure[0].Nic.MACAddress.string=52:54:00:aa:bb:00
structure[0].Nic.MTU.integer=9000
structure[0].Nic.Name.string=vmnic2
structure[0].Nic.Speed.integer=10000
structure[1].Nic.AdminStatus.string=Up
structure[1].Nic.Link.string=Down
structure[1].Nic.MTU.integer=9000
structure[1].Nic.Name.string=vmnic3
structure[1].Nic.Speed.integer=0
structure[2].Nic.AdminStatus.string=Down
structure[2].Nic.LinkStatus.string=Up
structure[2].Nic.Name.string=vmnic4
structure[2].Nic.Speed.integer=1000
"""


def test_records_lists_and_empty_lists() -> None:
    records = parse_keyvalue(VSWITCHES, "t")
    assert [s for s, _ in records] == ["VirtualSwitch", "VirtualSwitch"]
    assert records[1][1] == {"BeaconRequiredBy": [], "MTU": "9000", "Name": "vSwitch1",
                             "Uplinks": ["vmnic3", "vmnic2"]}
    # a get prints one record without the structure[N]. prefix
    assert parse_keyvalue("VersionGet.Version.string=8.0.2\n", "t") == [
        ("VersionGet", {"Version": "8.0.2"})]


def test_vswitch_by_name() -> None:
    vs = parse_vswitch_kv(VSWITCHES, "vSwitch1")
    assert (vs.name, vs.mtu, vs.uplinks) == ("vSwitch1", 9000, ("vmnic3", "vmnic2"))
    with pytest.raises(ParseError, match="exactly one vSwitch"):
        parse_vswitch_kv(VSWITCHES)
    with pytest.raises(ParseError, match="vSwitch 'vSwitch9'"):
        parse_vswitch_kv(VSWITCHES, "vSwitch9")


def test_nics_link_speed_admin() -> None:
    nics = {n.name: n for n in parse_nic_list_kv(NICS)}
    assert (nics["vmnic2"].link_up, nics["vmnic2"].speed_mbps, nics["vmnic2"].mtu,
            nics["vmnic2"].mac) == (True, 10000, 9000, "52:54:00:aa:bb:00")
    assert (nics["vmnic3"].link_up, nics["vmnic3"].speed_mbps) == (False, None)  # 'Link' only
    assert (nics["vmnic4"].admin_up, nics["vmnic4"].mtu) == (False, None)


@pytest.mark.parametrize(("text", "why"), [
    ("   Name: vSwitch0\n", "not an esxcli keyvalue line"),  # the plain-text form
    ("structure[0].Nic.Name.string=a\nstructure[0].VirtualSwitch.MTU.integer=1\n",
     "is a Nic, then a VirtualSwitch"),
    ("structure[0].VirtualSwitch.Uplinks.string[1].string=vmnic1\n", "out of order"),
    ("structure[0].VirtualSwitch.Name.string=v\nstructure[0].VirtualSwitch.MTU.integer=x\n",
     "not an integer"),
])
def test_unreadable_is_an_error(text: str, why: str) -> None:
    with pytest.raises(ParseError, match=why):
        parse_vswitch_kv(text, "v")
