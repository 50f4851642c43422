"""The VLAN table of each platform -> the VLAN ids that exist (pre-change check 'vlans-exist').

Each parser is pinned three ways: a minimal case in the shape of a public capture (cited), a
real capture from ../shared/fixtures where one exists, and the lab's own output (the lab
switch's VLAN database must read back as it is).  A row a parser cannot read is an error,
never a VLAN dropped.
"""

from __future__ import annotations

import pytest

from lagprov.errors import ParseError
from lagprov.intent.load import load_inventory
from lagprov.lab.fabric import LabFabric
from lagprov.model.types import Platform
from lagprov.observe.parsers import parse_vlan_table
from tests.conftest import EXAMPLE_INVENTORY, shared_fixtures
from tests.lab.test_vlan_database import lab_vlan_table

IOS, EOS, JUNOS, SMIS = (Platform.CISCO_IOS, Platform.ARISTA_EOS, Platform.JUNIPER_JUNOS,
                         Platform.SUPERMICRO_SMIS)

# Shape of ntc-templates tests/cisco_ios/show_vlan/cisco_ios_show_vlan.raw (the long form, with
# its per-VLAN media table after the ids table; a wrapped port list on a second line).
IOS_SHOW_VLAN = """\
VLAN Name                             Status    Ports
---- -------------------------------- --------- -------------------------------
1    default                          active    Gi0/1
10   Management                       active
50   VLan50                           active    Fa0/1, Fa0/2, Fa0/3, Fa0/4
                                                Fa0/10, Fa0/11
1002 fddi-default                     act/unsup

VLAN Type  SAID       MTU   Parent RingNo BridgeNo Stp  BrdgMode Trans1 Trans2
---- ----- ---------- ----- ------ ------ -------- ---- -------- ------ ------
1    enet  100001     1500  -      -      -        -    -        0      0
10   enet  100010     1500  -      -      -        -    -        0      0
"""

# Shape of ntc-templates tests/arista_eos/show_vlan/arista_eos_show_vlan.raw.
EOS_SHOW_VLAN = """\
VLAN  Name                             Status    Ports
----- -------------------------------- --------- -------------------------------
1     default                          active    Et1
10    Test1                            active    Et1, Et2
20    Test2                            suspended
"""

# The modelled Aricent ISS block (docs/smis-outputs.md, 'show vlan brief').
SMIS_SHOW_VLAN = """\
Vlan database
-------------
Vlan ID             : 1
Member Ports        : Ex0/3, Ex0/4
Untagged Ports      : Ex0/3, Ex0/4
Forbidden Ports     : None
Name                : default
Status              : Permanent
----------------------------------------------------
Vlan ID             : 100
Member Ports        : po1
Untagged Ports      : po1
Forbidden Ports     : None
Name                :
Status              : Permanent
----------------------------------------------------
"""


@pytest.mark.parametrize(("platform", "command", "raw", "ids"), [
    (IOS, "show vlan", IOS_SHOW_VLAN, {1, 10, 50, 1002}),
    (IOS, "show vlan brief", IOS_SHOW_VLAN.split("\n\n")[0] + "\n", {1, 10, 50, 1002}),
    (EOS, "show vlan", EOS_SHOW_VLAN, {1, 10, 20}),
    (SMIS, "show vlan brief", SMIS_SHOW_VLAN, {1, 100}),
    (JUNOS, "show configuration | display set",
     "set system host-name ex\nset vlans default vlan-id 1\nset vlans servers vlan-id 10\n"
     "set vlans range vlan-id-list 20-22\nset vlans old vlan-id 30\ndeactivate vlans old\n",
     {1, 10, 20, 21, 22}),
])
def test_vlan_ids_of_each_platform(platform: Platform, command: str, raw: str,
                                   ids: set[int]) -> None:
    assert parse_vlan_table(platform, command, raw) == frozenset(ids)


@pytest.mark.parametrize(("platform", "command", "raw", "why"), [
    # a status ntc's arista template does not know: the row would be dropped, so it is refused
    (EOS, "show vlan", EOS_SHOW_VLAN + "30    VLAN0030                         inactive\n",
     "VLAN rows not understood: 30"),
    (IOS, "show vlan brief", "hostname cat9300-1\ninterface Gi1/0/1\n", "no VLAN found"),
    (IOS, "show vlan brief", "% Invalid input detected at '^' marker.\n", "error"),
    (SMIS, "show vlan brief", SMIS_SHOW_VLAN + "Egress Ports : Ex0/1\n", "not understood"),
    (JUNOS, "show configuration | display set", "set vlans x vlan-id-list ten\n", "vlan-id-list"),
])
def test_an_unreadable_table_is_an_error(platform: Platform, command: str, raw: str,
                                         why: str) -> None:
    with pytest.raises(ParseError, match=why):
        parse_vlan_table(platform, command, raw)


def test_real_junos_captures_read_their_vlans_stanza() -> None:
    """The real EX/vMX captures have no 'vlans' stanza (their ports use 'vlan members all' or
    vlan-tagged units): no VLAN is defined, so none is reported, and nothing fails."""
    folder = shared_fixtures() / "juniper_junos" / "show_configuration_display_set"
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert "set vlans" not in text  # the premise: read the capture itself
        assert parse_vlan_table(JUNOS, "show configuration | display set", text) == frozenset()


@pytest.fixture(scope="module")
def fabric() -> LabFabric:
    return LabFabric.from_inventory(load_inventory(EXAMPLE_INVENTORY), rebase="127.0.97.0")


@pytest.mark.parametrize(("device", "site"), [
    ("cat9300-1", {10, 20, 30, 100}), ("cat2960s-1", {10, 20, 30}),
    ("eos7120-1", {10, 20}), ("sse-x24s-1", {100}), ("ex4300-1", {10, 20, 30, 100}),
])
def test_the_lab_table_reads_back_as_the_site_vlans(fabric: LabFabric, device: str,
                                                    site: set[int]) -> None:
    """A lab capture: each switch starts with VLAN 1 and the VLANs its trunk ends carry (IOS
    also lists 1002-1005, which always exist)."""
    platform, command, raw = lab_vlan_table(fabric, device)
    ids = parse_vlan_table(platform, command, raw)
    extra = {1002, 1003, 1004, 1005} if platform is IOS else set()
    assert ids == frozenset({1} | site | extra)
