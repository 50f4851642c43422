"""Lab IOS show outputs against the real captures: same legends, same parser results."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from netmiko import ConnectHandler
from ntc_templates.parse import parse_output

from lagprov.lab.fabric import LabFabric
from tests.lab.conftest import LAB_USER, fixture_text

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def c9300(lab_fabric: LabFabric) -> Iterator[ConnectHandler]:
    lab_fabric.load_config("cat9300-1", [
        "interface range GigabitEthernet1/0/1 - 2", "switchport mode trunk",
        "switchport trunk allowed vlan 10,20,30", "channel-group 10 mode active",
        "interface Port-channel10", "description hv01-team",
        "interface range Te1/1/1 - 2", "channel-group 1 mode active"])
    conn = ConnectHandler(device_type="cisco_ios", host=lab_fabric.addresses["cat9300-1"],
                          port=2222, **LAB_USER)
    conn.enable()
    try:
        yield conn
    finally:
        conn.disconnect()


def _legend(text: str) -> list[str]:
    lines = text.splitlines()
    return lines[:lines.index(next(x for x in lines if x.startswith("Number of channel")))]


def test_etherchannel_summary_legend_is_the_cat9k_one(c9300: ConnectHandler) -> None:
    real = fixture_text("cisco_ios", "show_etherchannel_summary", "3_cat9k_static_suspended.txt")
    assert _legend(c9300.send_command("show etherchannel summary", strip_prompt=True)) == \
        _legend(real)


def test_etherchannel_summary_parses_like_the_fixture(c9300: ConnectHandler) -> None:
    real = parse_output(platform="cisco_ios", command="show etherchannel summary",
                        data=fixture_text("cisco_ios", "show_etherchannel_summary", "1.txt"))
    lab = parse_output(platform="cisco_ios", command="show etherchannel summary",
                       data=c9300.send_command("show etherchannel summary"))
    assert [set(r) for r in lab] == [set(real[0])] * len(lab)
    by_name = {r["bundle_name"]: r for r in lab}
    assert by_name["Po10"]["member_interface"] == ["Gi1/0/1", "Gi1/0/2"]
    # the ex4300 end of Te1/1/1-2 is not configured yet: no LACP partner
    assert by_name["Po1"]["member_interface"] == ["Te1/1/1", "Te1/1/2"]
    assert by_name["Po1"]["bundle_status"] == "SD"


def test_lacp_neighbor_header_matches_the_fixture(c9300: ConnectHandler) -> None:
    real = fixture_text("cisco_ios", "show_lacp_neighbor", "1.txt").splitlines()
    lab = c9300.send_command("show lacp neighbor").splitlines()
    assert lab[:4] == real[:4]
    i = lab.index("Channel group 10 neighbors")
    assert lab[i + 2:i + 4] == real[6:8]
    row = lab[i + 4]
    # same columns as the real rows: port, flags, priority, dev id, age, keys, number, state
    assert len(row.split()) == len(real[8].split())
    assert row.index("32768") == real[8].index("32768")


def test_system_mtu_lines_match_the_fixtures(lab_fabric: LabFabric,
                                             c9300: ConnectHandler) -> None:
    real_9300 = fixture_text("cisco_ios", "show_system_mtu", "1.txt").strip()
    real_2960 = fixture_text("cisco_ios", "show_system_mtu", "2_c3750_jumbo9000.txt").strip()
    assert c9300.send_command("show system mtu") == real_9300
    sw = lab_fabric.switch("cat2960s-1")
    sw.load_config(["system mtu jumbo 9000"])
    sw.save()  # a reload boots the startup config
    sw.reload()
    cli = sw.open_cli("lab")
    cli.handle("enable")
    cli.handle("lab-secret")
    assert cli.handle("show system mtu").output.strip() == real_2960


def test_show_interfaces_parses_with_ntc(c9300: ConnectHandler) -> None:
    real = parse_output(platform="cisco_ios", command="show interfaces",
                        data=fixture_text("cisco_ios", "show_interfaces",
                                          "portchannel_mtu9216.txt"))
    lab = parse_output(platform="cisco_ios", command="show interfaces",
                       data=c9300.send_command("show interfaces"))
    by_name = {r["interface"]: r for r in lab}
    po = by_name["Port-channel10"]
    assert set(po) == set(real[0])
    assert po["link_status"] == "up" and po["protocol_status"] == "up (connected)"
    assert po["mtu"] == "1500" and po["bandwidth"] == "2000000 Kbit"
    assert po["description"] == "hv01-team"
    assert by_name["GigabitEthernet1/0/30"]["link_status"] == "down"
    assert by_name["TenGigabitEthernet1/1/1"]["bandwidth"] == "10000000 Kbit"
    assert len(lab) == 1 + 48 + 8 + 2  # Vlan1, ports, Po1 and Po10


def test_running_config_is_read_by_ttp_like_the_fixture(c9300: ConnectHandler) -> None:
    run = c9300.send_command("show running-config interface GigabitEthernet1/0/1")
    assert run.splitlines()[-5:] == [
        "interface GigabitEthernet1/0/1", " switchport trunk allowed vlan 10,20,30",
        " switchport mode trunk", " channel-group 10 mode active", "end"]
