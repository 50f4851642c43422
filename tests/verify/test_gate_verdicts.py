"""Issue 9: verdicts an engineer can gate a change on (false failures removed, silent passes
closed), each rule run alone on the hand-built fabric of :mod:`tests.verify.scenarios`."""

from __future__ import annotations

from lagprov.model.findings import Finding
from lagprov.model.intent import Access, HostEnd, SwitchEnd
from lagprov.model.state import LacpActivity, LacpPort, MemberStatus
from lagprov.model.types import Platform, Severity, SwitchMode
from lagprov.observe.parsers import merge_device_states, parse_command, parse_linux_bonding
from lagprov.verify import DEFAULT_RULES, Status, verify_trunk
from tests.verify.scenarios import (
    EX,
    HV01,
    LNX01_TRUNK,
    MPIO_TRUNK,
    World,
    edit_host,
    edit_lag,
    edit_member,
    edit_nic,
)

RULES = {r.id: r for r in DEFAULT_RULES}
CAT, SMIS = "cat9300-1", "sse-x24s-1"
GI1, GI2 = "GigabitEthernet1/0/1", "GigabitEthernet1/0/2"


def run(w: World, trunk: str, rule: str) -> list[Finding]:
    t = w.trunk(trunk)
    host = w.hosts.get(t.host.device) if t.host else None
    found = verify_trunk(t, w.switches, host, rules=(RULES[rule],))
    assert found, "the rule said nothing"
    return list(found)


def one(w: World, trunk: str, rule: str) -> Finding:
    found = run(w, trunk, rule)
    assert len(found) == 1, [f.message for f in found]
    return found[0]


# --- A. Supermicro MTU: the default passes IP 1500, other values are read both ways ------


def _smis_path(w: World, ip: int, *, jumbo: bool, host_ip: int) -> None:
    """The MPIO trunk's SMIS path at ``ip`` (as parsed), the other path and host at host_ip."""
    w.replace_trunk(MPIO_TRUNK.model_copy(update={"jumbo": jumbo}))
    for dev, name in ((SMIS, "Ex 0/5"), ("ex3300-1", "ge-0/0/5")):
        port = w.switches[dev].ports[0]
        mtu = ip if dev == SMIS else max(host_ip, 1500)
        w.switches[dev] = w.switches[dev].model_copy(
            update={"ports": (port.model_copy(update={"mtu_ip": mtu}),)})
        assert port.name == name
    edit_host(w.hosts, "win-iscsi01", mtu_ip=host_ip)
    for nic in ("iSCSI-A", "iSCSI-B"):
        edit_nic(w.hosts, "win-iscsi01", nic, mtu_ip=host_ip)


def test_smis_default_1500_reads_as_ip_1500() -> None:
    raw = "Port          MTU\nEx0/5         1500\npo1           1500\n"
    state = parse_command(Platform.SUPERMICRO_SMIS, "show interface mtu", raw, device=SMIS)
    assert [p.mtu_ip for p in state.ports] == [1500]
    assert [lg.mtu_ip for lg in state.lags] == [1500]


def test_smis_port_at_default_passes_a_1500_host() -> None:
    raw = "Port          MTU\nEx0/5         1500\n"
    parsed = parse_command(Platform.SUPERMICRO_SMIS, "show interface mtu", raw, device=SMIS)
    w = World()
    _smis_path(w, 0, jumbo=False, host_ip=1500)
    w.switches[SMIS] = merge_device_states(parsed, w.switches[SMIS])  # the parsed MTU first
    f = one(w, MPIO_TRUNK.name, "mtu-path")
    assert f.status is Status.PASS, f.message


def test_smis_value_whose_reading_decides_is_unverifiable_not_failed() -> None:
    w = World()  # SMIS mtu 9000: IP 9000 if it is the IP MTU, 8986 if it counts the header
    _smis_path(w, 8986, jumbo=True, host_ip=9000)
    f = one(w, MPIO_TRUNK.name, "mtu-path")
    assert f.status is Status.UNVERIFIABLE, f.message
    assert "unpublished" in f.message and "8986..9000" in f.message
    w = World()  # SMIS mtu 1600: at most IP 1600 < 9000 whatever it counts: still a failure
    _smis_path(w, 1586, jumbo=True, host_ip=9000)
    f = one(w, MPIO_TRUNK.name, "mtu-path")
    assert f.status is Status.FAIL and f.severity is Severity.ERROR, f.message


# --- B. Arista switchports: the hardware's L2 frame limit, routed ports by mtu ------------


def _eos_default_mtu(w: World, **lag: object) -> None:
    edit_lag(w.switches, "eos7120-1", 10, mtu_ip=1500, **lag)
    for m in ("Ethernet1", "Ethernet2"):
        edit_member(w.switches, "eos7120-1", 10, m, mtu_ip=1500)


def test_eos_switchport_is_judged_by_the_l2_frame_limit() -> None:
    w = World()
    _eos_default_mtu(w)  # 'mtu' left at 1500: it limits routed traffic only
    f = one(w, LNX01_TRUNK.name, "mtu-path")
    assert f.status is Status.PASS, f.message
    assert "switchport (observed VLANs): DCS-7120T-4S L2 frame limit 9236" in f.message
    assert "IP 9214" in f.message
    assert any(e.source.startswith("hardware DCS-7120T-4S") for e in f.evidence)
    w = World()  # a routed port (no VLANs observed, none intended): 'mtu' applies
    _eos_default_mtu(w, l2=None)  # no VLANs observed, none intended: a routed port
    end = LNX01_TRUNK.switch[0].model_copy(update={"l2": None})
    w.replace_trunk(LNX01_TRUNK.model_copy(update={"switch": (end,)}))
    f = one(w, LNX01_TRUNK.name, "mtu-path")
    assert f.status is Status.FAIL and f.severity is Severity.ERROR, f.message
    assert "Port-Channel10 MTU 1500" in f.message


def test_eos_switchport_of_unknown_hardware_is_unverifiable() -> None:
    w = World()
    _eos_default_mtu(w)
    w.switches["eos7120-1"] = w.switches["eos7120-1"].model_copy(update={"hardware": None})
    f = one(w, LNX01_TRUNK.name, "mtu-path")
    assert f.status is Status.UNVERIFIABLE, f.message
    assert "L2 frame limit" in f.message


# --- C. Peer MTU: a difference is a warning unless one side is below what the trunk needs -


def _core_at_maxima(w: World, *, ex_ip: int) -> None:
    w.switches[CAT] = w.switches[CAT].model_copy(update={"system_mtu_ip": 9198})
    for m in ("TenGigabitEthernet1/1/1", "TenGigabitEthernet1/1/2"):
        edit_member(w.switches, CAT, 1, m, mtu_ip=9198)
    edit_lag(w.switches, "ex4300-1", 0, mtu_ip=ex_ip)
    for m in ("xe-0/2/0", "xe-0/2/1"):
        edit_member(w.switches, "ex4300-1", 0, m, mtu_ip=ex_ip)
    w.replace_trunk(w.trunk("core-cat9300-ex4300").model_copy(update={"jumbo": True}))


def test_peers_at_their_own_maxima_only_warn() -> None:
    w = World()
    _core_at_maxima(w, ex_ip=9202)  # C9300 system mtu 9198 vs EX media MTU 9216
    f = one(w, "core-cat9300-ex4300", "mtu-path")
    assert f.status is Status.FAIL and f.severity is Severity.WARNING, f.message
    w = World()  # below what the jumbo trunk needs: an error
    _core_at_maxima(w, ex_ip=1500)
    f = one(w, "core-cat9300-ex4300", "mtu-path")
    assert f.status is Status.FAIL and f.severity is Severity.ERROR, f.message


# --- D. iSCSI MPIO: one switch is a warning, one VLAN for two NICs is an error -----------


def _both_paths_on_smis(w: World) -> None:
    b = MPIO_TRUNK.switch[1]
    end = SwitchEnd(device=SMIS, platform=Platform.SUPERMICRO_SMIS, members=("Ex 0/6",),
                    mode=SwitchMode.INDEPENDENT, mtu=9216, l2=b.l2)
    w.replace_trunk(MPIO_TRUNK.model_copy(update={"switch": (MPIO_TRUNK.switch[0], end)}))
    dev = w.switches[SMIS]
    p6 = dev.ports[0].model_copy(update={"name": "Ex 0/6", "l2": b.l2})
    w.switches[SMIS] = dev.model_copy(update={"ports": (*dev.ports, p6)})


def test_mpio_on_one_switch_is_a_warning() -> None:
    w = World()
    _both_paths_on_smis(w)
    found = run(w, MPIO_TRUNK.name, "mpio-paths")
    fails = [f for f in found if f.status is Status.FAIL]
    assert [f.severity for f in fails] == [Severity.WARNING], [f.message for f in found]
    assert all(f.status is Status.PASS for f in found if f not in fails)


def test_mpio_paths_sharing_a_vlan_fail() -> None:
    w = World()
    dev = w.switches["ex3300-1"]
    w.switches["ex3300-1"] = dev.model_copy(
        update={"ports": (dev.ports[0].model_copy(update={"l2": Access(vlan=100)}),)})
    f = one(w, MPIO_TRUNK.name, "mpio-paths")
    assert f.status is Status.FAIL and f.severity is Severity.ERROR, f.message
    assert "share VLAN 100" in f.message


def test_mpio_paths_intended_in_one_vlan_fail() -> None:
    w = World()
    b = MPIO_TRUNK.switch[1].model_copy(update={"l2": Access(vlan=100)})
    w.replace_trunk(MPIO_TRUNK.model_copy(update={"switch": (MPIO_TRUNK.switch[0], b)}))
    dev = w.switches["ex3300-1"]  # the switch does what the intent says: no drift, one VLAN
    w.switches["ex3300-1"] = dev.model_copy(
        update={"ports": (dev.ports[0].model_copy(update={"l2": Access(vlan=100)}),)})
    f = one(w, MPIO_TRUNK.name, "mpio-paths")
    assert f.status is Status.FAIL and f.severity is Severity.ERROR, f.message


# --- E. Swapped member cables of the right host: a warning; another device: an error -----


def test_crossed_cables_of_the_right_host_are_a_warning() -> None:
    w = World()
    edit_member(w.switches, CAT, 10, GI1, partner=LacpPort(system_id=HV01, port=2))
    edit_member(w.switches, CAT, 10, GI2, partner=LacpPort(system_id=HV01, port=1))
    found = run(w, "hv01-team", "partner-identity")
    assert {(f.subject, f.status, f.severity) for f in found} == {
        (GI1, Status.FAIL, Severity.WARNING), (GI2, Status.FAIL, Severity.WARNING)}
    w = World()  # a member whose partner is another device stays an error
    edit_member(w.switches, CAT, 10, GI2, partner=LacpPort(system_id=EX, port=2))
    f = next(f for f in run(w, "hv01-team", "partner-identity") if f.subject == GI2)
    assert f.status is Status.FAIL and f.severity is Severity.ERROR


def test_a_warning_explains_no_other_failure() -> None:
    w = World()  # crossed cables (warning) and a suspended member (error) on the same cable
    edit_member(w.switches, CAT, 10, GI1, partner=LacpPort(system_id=HV01, port=2))
    edit_member(w.switches, CAT, 10, GI1, status=MemberStatus.SUSPENDED)
    t = w.trunk("hv01-team")
    found = verify_trunk(t, w.switches, w.hosts["hv01"],
                         rules=(RULES["partner-identity"], RULES["member-bundled"]))
    bundled = next(f for f in found if f.rule == "member-bundled" and f.subject == GI1)
    assert bundled.status is Status.FAIL and bundled.explained_by is None


# --- F. LACP against independent ports: what the LACP end does depends on its platform ---


def test_lacp_against_plain_ports_is_explained_per_platform() -> None:
    w = World()
    edit_host(w.hosts, "hv01", team="SwitchIndependent", bundling="independent")
    ios = one(w, "hv01-team", "lacp-pairing").message
    assert "(I) stand-alone" in ios and "forwards" in ios
    edit_host(w.hosts, "lnx01", team="active-backup", bundling="independent")
    eos = one(w, LNX01_TRUNK.name, "lacp-pairing").message
    assert "fallback" in eos and "stand-alone" not in eos
    edit_host(w.hosts, "esx02", team="portid", bundling="independent")
    junos = one(w, "esx02-lag1", "lacp-pairing").message
    assert "force-up" in junos


# --- G. Every member's mode is checked ----------------------------------------------------


def test_member_in_another_mode_fails_lag_mode_on_that_member() -> None:
    w = World()
    edit_member(w.switches, CAT, 10, GI1, mode=SwitchMode.LACP_ACTIVE)
    edit_member(w.switches, CAT, 10, GI2, mode=SwitchMode.LACP_PASSIVE)
    found = run(w, "hv01-team", "lag-mode")
    assert [(f.subject, f.status) for f in found] == [(GI2, Status.FAIL)]
    assert found[0].actual == "lacp-passive"


def test_member_actor_passive_in_an_active_bundle_fails() -> None:
    w = World()  # no per-member config seen: the LACP actor bit tells the member's mode
    lag = w.switches[CAT].lag(10)
    assert lag is not None
    m = lag.member(GI2)
    assert m is not None and m.actor is not None
    passive = m.actor.model_copy(update={"activity": LacpActivity.PASSIVE})
    edit_member(w.switches, CAT, 10, GI2, actor=passive)
    edit_lag(w.switches, CAT, 10, mode=None)
    found = run(w, "hv01-team", "lag-mode")
    assert [(f.subject, f.status) for f in found] == [(GI2, Status.FAIL)]


def test_ios_running_config_keeps_each_members_mode() -> None:
    raw = ("interface Port-channel10\n switchport mode trunk\n!\n"
           "interface GigabitEthernet1/0/1\n channel-group 10 mode active\n!\n"
           "interface GigabitEthernet1/0/2\n channel-group 10 mode passive\n!\nend\n")
    state = parse_command(Platform.CISCO_IOS, "show running-config", raw, device=CAT)
    lag = state.lag(10)
    assert lag is not None
    assert [(m.name, m.mode) for m in lag.members] == [
        (GI1, SwitchMode.LACP_ACTIVE), (GI2, SwitchMode.LACP_PASSIVE)]
    assert lag.mode is None  # the members disagree: no one mode of the bundle


# --- H. Passive both ends when the host is the passive one --------------------------------


def test_linux_lacp_active_off_is_read() -> None:
    # the line as kernel drivers/net/bonding/bond_procfs.c prints it (802.3ad info)
    raw = ("Bonding Mode: IEEE 802.3ad Dynamic link aggregation\n\n802.3ad info\n"
           "LACP active: off\nLACP rate: slow\n")
    assert parse_linux_bonding("lnx01", raw, bond="bond0").lacp_activity is LacpActivity.PASSIVE
    on = raw.replace("active: off", "active: on")
    assert parse_linux_bonding("lnx01", on, bond="bond0").lacp_activity is LacpActivity.ACTIVE


def test_passive_linux_bond_against_passive_switch_fails_pairing() -> None:
    w = World()
    edit_lag(w.switches, "eos7120-1", 10, mode=SwitchMode.LACP_PASSIVE)
    edit_host(w.hosts, "lnx01", lacp_activity=LacpActivity.PASSIVE)
    for n in ("ens1f0", "ens1f1"):  # an older report with no actor details
        edit_nic(w.hosts, "lnx01", n, actor=None)
    f = one(w, LNX01_TRUNK.name, "lacp-pairing")
    assert f.status is Status.FAIL and f.actual == "passive-passive", f.message


def test_declared_passive_vds_lag_against_passive_switch_fails_pairing() -> None:
    w = World()  # esx02's vDS LAG reports nothing lagprov reads; the intent says passive
    t = w.trunk("esx02-lag1")
    assert t.host is not None
    w.replace_trunk(t.model_copy(
        update={"host": t.host.model_copy(update={"lacp_mode": "passive"})}))
    w.hosts.pop("esx02")
    f = one(w, "esx02-lag1", "lacp-pairing")
    assert f.status is Status.FAIL and f.actual == "passive-passive", f.message


def test_host_lacp_mode_is_validated() -> None:
    HostEnd(device="esx02", os="vmware", team="lacp", bundling="lacp", nics=("vmnic2",),
            lacp_mode="passive")
    try:
        HostEnd(device="lnx02", os="linux", team="balance-xor", bundling="static",
                nics=("eno1",), lacp_mode="passive")
    except ValueError as exc:
        assert "lacp_mode" in str(exc)
    else:
        raise AssertionError("a passive LACP mode on a static team was accepted")
