"""The vDS LACP views (``esxcli network vswitch dvs vmware lacp config get`` / ``status get``).

No real capture exists: the inputs follow the modelled shape documented in
lagprov.observe.parsers.esxcli_lacp (what VMware's vdnet framework reads: ``LAGID``, ``Mode``,
per uplink ``Nic:`` then ``State: Bundled``; the message ``No running LACP group on the host``).
The state bits are IEEE 802.1AX's (ACT 0x01, TMO 0x02, AGG 0x04, SYN 0x08, COL 0x10, DIST 0x20).
"""

from __future__ import annotations

import pytest

from lagprov.errors import ParseError
from lagprov.model.types import Bundling, LacpRate
from lagprov.observe.parsers.esxcli_keyvalue import parse_nic_list_kv
from lagprov.observe.parsers.esxcli_lacp import parse_esxi_lacp_host, parse_lacp_status

CONFIG = """\
DVS Name  LAG Name  LAG ID  NICs           Enabled  Mode
--------  --------  ------  -------------  -------  -------
dvs-a     lag-a     4711    vmnic4,vmnic5  true     Passive
"""
STATUS = """\
dvs-a
   DVSwitch: dvs-a
   Flags: S - Device is sending Slow LACPDUs, F - Device is sending fast LACPDUs, {legend}
   LAGID: 4711
   Mode: Passive
   Nic List:
         Local Information:
         Flags: FP
         Oper Key: 7
         Port Number: 3
         Port State: AGG,SYN,COL,DIST,TMO,
         Nic: vmnic4
         Partner Information:
         Device ID: 00:1c:73:00:00:01
         Flags: SA
         Oper Key: 20
         Port Number: 17
         Port State: ACT,AGG,SYN,COL,DIST,
         State: Bundled
         Local Information:
         Flags: FP
         Port State: AGG,
         Nic: vmnic5
         State: Independent
""".format(legend="A - Device is in active mode, P - Device is in passive mode")
NICS = ("structure[0].Nic.LinkStatus.string=Up\nstructure[0].Nic.MTU.integer=9000\n"
        "structure[0].Nic.Name.string=vmnic4\nstructure[1].Nic.LinkStatus.string=Down\n"
        "structure[1].Nic.MTU.integer=9000\nstructure[1].Nic.Name.string=vmnic5\n")


def test_lag_mode_rate_partner_and_uplink_states() -> None:
    state = parse_esxi_lacp_host("esx", config=CONFIG, status=STATUS,
                                 nics=parse_nic_list_kv(NICS), bond="lag-a")
    assert state is not None
    assert (state.team, state.bundling, state.lacp_rate, state.mtu_ip) == (
        "lacp", Bundling.LACP, LacpRate.FAST, 9000)
    assert state.lacp_activity is not None and state.lacp_activity.value == "passive"
    first, second = state.members
    assert first.partner is not None and first.actor is not None
    assert (first.partner.system_id, first.partner.key, first.partner.port,
            first.partner.state) == ("00:1c:73:00:00:01", 20, 17, 0x3D)
    assert (first.actor.state, first.failure_reason, first.link_up) == (0x3E, None, True)
    assert (second.partner, second.failure_reason, second.link_up) == (None, "Independent",
                                                                     False)


def test_no_lag_on_the_host_is_no_lacp_team() -> None:
    message = "No running LACP group on the host\n"
    state = parse_esxi_lacp_host("esx", config=message, status=message, nics=None,
                                 bond="lag-a", intended=("vmnic4", "vmnic5"))
    assert state is not None and (state.team, state.bundling) == ("none", Bundling.INDEPENDENT)
    assert [m.name for m in state.members] == ["vmnic4", "vmnic5"]
    assert parse_lacp_status(message) == ()


@pytest.mark.parametrize(("text", "why"), [
    (STATUS.replace("AGG,SYN,COL,DIST,TMO,", "AGG,XYZ,"), "unknown port state bit"),
    (STATUS.replace("   LAGID: 4711\n", ""), "without a LAGID"),
    (STATUS.replace("         Nic: vmnic5\n", ""), "without its Nic"),
])
def test_unreadable_status_is_an_error(text: str, why: str) -> None:
    with pytest.raises(ParseError, match=why):
        parse_lacp_status(text)
