"""Which fixture folder is parsed by what: the single table the fixture tests and hygiene use."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / ".." / "shared" / "fixtures"
EXPECTED = Path(__file__).resolve().parent / "expected"

# (platform folder, command folder) -> command sent to parse_command (switches) or host parser
# key ("host:<parser>[:bond]").
PARSED: dict[tuple[str, str], str] = {
    ("cisco_ios", "show_etherchannel_summary"): "show etherchannel summary",
    ("cisco_ios", "show_etherchannel_1_summary"): "show etherchannel 1 summary",
    ("cisco_ios", "show_etherchannel_detail"): "show etherchannel detail",
    ("cisco_ios", "show_interfaces"): "show interfaces",
    ("cisco_ios", "show_lacp_internal"): "show lacp internal",
    ("cisco_ios", "show_lacp_neighbor"): "show lacp neighbor",
    ("cisco_ios", "show_system_mtu"): "show system mtu",
    ("cisco_ios", "show_running-config_interface"): "show running-config interface Port-channel1",
    ("arista_eos", "show_interfaces"): "show interfaces",
    ("arista_eos", "show_lacp_neighbor"): "show lacp neighbor",
    ("arista_eos", "show_port-channel"): "show port-channel",
    ("arista_eos", "show_port-channel_N_detailed"): "show port-channel 5 detailed",
    ("arista_eos", "show_port-channel_summary"): "show port-channel summary",
    ("arista_eos", "show_running-config"): "show running-config",
    ("juniper_junos", "show_configuration_display_set"): "show configuration | display set",
    ("juniper_junos", "show_interfaces_ae0_extensive"): "show interfaces ae0 extensive",
    ("juniper_junos", "show_lacp_interfaces"): "show lacp interfaces",
    ("juniper_junos", "show_lacp_interfaces_extensive"): "show lacp interfaces extensive",
    ("linux", "proc_net_bonding_bond0"): "host:bonding:bond0",
    ("linux", "proc_net_bonding_bond01"): "host:bonding:bond01",
    ("linux", "ip_link"): "host:ip_link:bond0",
    ("windows", "Get-NetLbfoTeam"): "host:windows_text",
}

NOT_PARSED: dict[tuple[str, str], str] = {
    ("supermicro_smis", "show_version"): "show version carries no LAG or MTU state",
    ("aricent_iss_sefos", "show_etherchannel_summary"): (
        "Oracle SEFOS, not a supported platform; a 3-line header fragment only"
    ),
}
