"""The simulated Junos EX's configuration as Junos XML over NETCONF (PyEZ through NAPALM).

Junos names the ``802.3ad`` statement ``<ieee-802.3ad><bundle>`` in XML; the lab used to emit
``<802.3ad>``, which is not even an XML element name.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lagprov.knowledge.platforms.hardware import HARDWARE
from lagprov.lab.junos.switch import JunosSwitch
from tests.lab.test_junos_wire import FakeFabric, serving

napalm = pytest.importorskip("napalm")
etree = pytest.importorskip("lxml.etree")

ADDRESS = "127.0.231.1"
USERS = {"lab": "lab-password"}
CONFIG = """\
set chassis aggregated-devices ethernet device-count 2
set interfaces ge-0/0/1 ether-options 802.3ad ae0
set interfaces ge-0/0/2 ether-options 802.3ad ae0
set interfaces ae0 mtu 9216
set interfaces ae0 aggregated-ether-options lacp active
set interfaces ae0 aggregated-ether-options lacp periodic fast
set interfaces ae0 unit 0 family ethernet-switching interface-mode trunk
set interfaces ae0 unit 0 family ethernet-switching vlan members v10
set interfaces ae0 unit 0 family ethernet-switching vlan members v20
set protocols rstp interface ae0 edge
set vlans v10 vlan-id 10
set vlans v20 vlan-id 20
"""


@pytest.fixture(scope="module")
def netconf_port() -> Iterator[int]:
    switch = JunosSwitch("ex4300-1", HARDWARE["EX4300-48T"], FakeFabric())
    with serving(switch, ADDRESS, FakeFabric(), "junos-xml-test") as lab:
        yield lab.netconf


def _committed_xml(port: int):  # type: ignore[no-untyped-def]
    """Load and commit :data:`CONFIG`, then `<get-configuration database="committed"/>`."""
    driver = napalm.get_network_driver("junos")
    dev = driver(ADDRESS, "lab", "lab-password", timeout=20, optional_args={"port": port})
    dev.open()
    try:
        dev.load_merge_candidate(config=CONFIG)
        dev.commit_config()
        reply = dev.device.rpc.get_config(options={"database": "committed"})
    finally:
        dev.close()
    # re-serialise and parse again: the text itself must be well-formed XML
    return etree.fromstring(etree.tostring(reply))


def test_member_bundle_is_ieee_802_3ad_bundle(netconf_port: int) -> None:
    config = _committed_xml(netconf_port)
    assert etree.QName(config).localname == "configuration"
    bundles = {
        member.findtext("name"): member.findtext("ether-options/ieee-802.3ad/bundle")
        for member in config.iterfind("interfaces/interface")
        if member.find("ether-options") is not None
    }
    assert bundles == {"ge-0/0/1": "ae0", "ge-0/0/2": "ae0"}
    names = [etree.QName(el).localname for el in config.iter() if isinstance(el.tag, str)]
    assert not [n for n in names if not n[0].isalpha()]
    assert "802.3ad" not in etree.tostring(config).decode().replace("ieee-802.3ad", "")


def test_other_statements_keep_their_junos_xml_names(netconf_port: int) -> None:
    config = _committed_xml(netconf_port)
    ae0 = next(i for i in config.iterfind("interfaces/interface") if i.findtext("name") == "ae0")
    assert ae0.findtext("mtu") == "9216"
    assert ae0.find("aggregated-ether-options/lacp/active") is not None
    assert ae0.findtext("aggregated-ether-options/lacp/periodic") == "fast"
    switching = ae0.find("unit/family/ethernet-switching")
    assert switching is not None
    assert ae0.findtext("unit/name") == "0"
    assert switching.findtext("interface-mode") == "trunk"
    assert [m.text for m in switching.iterfind("vlan/members")] == ["v10", "v20"]
    assert config.findtext("chassis/aggregated-devices/ethernet/device-count") == "2"
    assert config.findtext("protocols/rstp/interface/name") == "ae0"
    assert config.find("protocols/rstp/interface/edge") is not None
    assert [v.findtext("name") for v in config.iterfind("vlans/vlan")] == ["v10", "v20"]


def _napalm(port: int):  # type: ignore[no-untyped-def]
    driver = napalm.get_network_driver("junos")
    return driver(ADDRESS, "lab", "lab-password", timeout=20, optional_args={"port": port})


XML_MEMBER = """\
<configuration><interfaces><interface><name>{port}</name>
<ether-options><{element}><bundle>ae1</bundle></{element}></ether-options>
</interface></interfaces></configuration>
"""


def test_xml_load_takes_the_junos_element_names(netconf_port: int) -> None:
    dev = _napalm(netconf_port)
    dev.open()
    try:
        dev.load_merge_candidate(config=XML_MEMBER.format(port="ge-0/0/7",
                                                          element="ieee-802.3ad"))
        assert dev.compare_config() == (
            "[edit interfaces]\n+   ge-0/0/7 {\n+       ether-options {\n"
            "+           802.3ad ae1;\n+       }\n+   }")
        dev.discard_config()
    finally:
        dev.close()


def test_xml_load_refuses_an_unknown_element_naming_it(netconf_port: int) -> None:
    dev = _napalm(netconf_port)
    dev.open()
    try:
        with pytest.raises(napalm.base.exceptions.MergeConfigException) as caught:
            dev.load_merge_candidate(config=XML_MEMBER.format(port="ge-0/0/8",
                                                              element="ieee-802.3ae"))
        assert "'bad_element': 'ieee-802.3ae'" in str(caught.value)  # NAPALM's error list
    finally:
        dev.close()


def test_xml_round_trip_reloads_to_the_same_configuration(netconf_port: int) -> None:
    """The committed configuration as XML, loaded with action="override", changes nothing."""
    text = etree.tostring(_committed_xml(netconf_port)).decode()
    dev = _napalm(netconf_port)
    dev.open()
    try:
        dev.load_replace_candidate(config=text)
        assert dev.compare_config() == ""
        dev.discard_config()
    finally:
        dev.close()
