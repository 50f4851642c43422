"""The simulated EOS takes 'mlag N' and 'lacp system-id' on Port-Channels only, prints them
back, and keeps the 'mlag configuration' block of a declared pair (lagprov.lab.eos.mlag)."""

from __future__ import annotations

import pytest

from lagprov.lab.eos.apply import GLOBAL, EosInputError, apply_line
from lagprov.lab.eos.config import default_config, render_body
from lagprov.lab.eos.mlag import MlagView, show_mlag, show_mlag_interfaces, side
from lagprov.model.types import Platform
from lagprov.observe.parsers import parse_command


def _configured() -> list[str]:
    cfg = default_config("eos-a", ("Ethernet1", "Ethernet2"))
    ctx = apply_line(cfg, GLOBAL, "interface Ethernet1")
    apply_line(cfg, ctx, "channel-group 10 mode active")
    ctx = apply_line(cfg, GLOBAL, "interface Port-Channel10")
    apply_line(cfg, ctx, "mlag 10")
    ctx = apply_line(cfg, GLOBAL, "mlag configuration")
    apply_line(cfg, ctx, "domain-id pod1")
    return render_body(cfg)


def test_mlag_on_a_port_channel_is_printed_back() -> None:
    body = _configured()
    po = body.index("interface Port-Channel10")
    assert "   mlag 10" in body[po:body.index("!", po)]
    assert "mlag configuration" in body and "   domain-id pod1" in body


@pytest.mark.parametrize(("interface", "line", "error"), [
    ("Ethernet1", "mlag 10", "% Invalid input"),  # an Ethernet takes no mlag id
    ("Port-Channel10", "mlag 0", "% Invalid input"),
    ("Port-Channel10", "mlag", "% Incomplete command"),
    # 'lacp system-id' takes one dotted MAC, on a Port-Channel only
    ("Ethernet1", "lacp system-id 0000.0000.1201", "% Invalid input"),
    ("Port-Channel10", "lacp system-id 00:00:00:00:12:01", "% Invalid input"),
    ("Port-Channel10", "lacp system-id", "% Incomplete command"),
])
def test_what_eos_refuses(interface: str, line: str, error: str) -> None:
    cfg = default_config("eos-a", ("Ethernet1",))
    ctx = apply_line(cfg, GLOBAL, f"interface {interface}")
    with pytest.raises(EosInputError, match=error):
        apply_line(cfg, ctx, line)


def test_lacp_system_id_on_a_port_channel_is_printed_back_and_removed() -> None:
    cfg = default_config("eos-a", ("Ethernet1",))
    ctx = apply_line(cfg, GLOBAL, "interface Port-Channel10")
    apply_line(cfg, ctx, "lacp system-id 0001.1010.1010")
    body = render_body(cfg)
    po = body.index("interface Port-Channel10")
    assert "   lacp system-id 0001.1010.1010" in body[po:body.index("!", po)]
    apply_line(cfg, ctx, "no lacp system-id")
    assert not any("system-id" in line for line in render_body(cfg))


def test_the_lab_prints_what_the_parser_reads() -> None:
    cfg = default_config("eos-a", ("Ethernet1",))
    cfg.globals["mlag configuration"] = ["domain-id pod1", "peer-link Port-Channel2000"]
    peer = default_config("eos-b", ("Ethernet1",))
    peer.globals["mlag configuration"] = ["domain-id pod1", "peer-link Port-Channel2000"]
    for c in (cfg, peer):
        apply_line(c, apply_line(c, GLOBAL, "interface Port-Channel10"), "mlag 10")
    view = MlagView(side("eos-a", "00:1c:73:00:00:01", cfg, False),
                    side("eos-b", "00:1c:73:00:00:02", peer, False))
    m = parse_command(Platform.ARISTA_EOS, "show mlag", show_mlag(view)).mlag
    assert m is not None
    assert (m.state, m.peer_link_status, m.system_id) == ("Active", "Up", "02:1c:73:00:00:01")
    rows = parse_command(Platform.ARISTA_EOS, "show mlag interfaces",
                         show_mlag_interfaces(view, {})).mlag
    assert rows is not None and rows.interfaces is not None
    assert [(r.mlag_id, r.state) for r in rows.interfaces] == [(10, "inactive")]  # no member up
    down = MlagView(side("eos-a", "00:1c:73:00:00:01", cfg, True), view.peer)
    m = parse_command(Platform.ARISTA_EOS, "show mlag", show_mlag(down)).mlag
    assert m is not None and (m.state, m.system_id) == ("Inactive", None)
