"""Offline lint of a whole inventory: semantic problems across trunks, nothing sent anywhere.

:func:`lagprov.intent.load.load_inventory` rejects bad input (exit 2); lint judges a loaded,
valid :class:`~lagprov.model.inventory.Inventory` as a network engineer would (exit 1 when any
finding is an error).
Usage: ``lint_inventory(load_inventory("inventory"))`` or ``lint_folder("inventory")``.
"""

from __future__ import annotations

import re
from pathlib import Path

from lagprov.errors import InputErrors
from lagprov.intent.lint import (
    rules_hardware,
    rules_l2,
    rules_mlag,
    rules_modes,
    rules_mtu,
    rules_ports,
)
from lagprov.intent.lint.base import LintContext, LintFinding, LintRule
from lagprov.intent.load import load_inventory
from lagprov.model.base import Model
from lagprov.model.inventory import Inventory
from lagprov.model.types import Severity

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INPUT_ERROR",
    "EXIT_OK",
    "RULES",
    "LintFinding",
    "LintReport",
    "LintRule",
    "lint_folder",
    "lint_inventory",
]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT_ERROR = 2

RULES: tuple[LintRule, ...] = (
    LintRule("hardware-uncatalogued", "a switch model not in the hardware catalog (warning)",
             rules_hardware.check_uncatalogued),
    LintRule("port-in-two-trunks", "a switch port or host NIC used twice",
             rules_ports.check_port_reuse),
    LintRule("channel-reused", "one channel number for two bundles of a switch",
             rules_ports.check_channel_reuse),
    LintRule("channel-out-of-range", "channel number the platform or model cannot create",
             rules_ports.check_channel_range),
    LintRule("member-count", "link counts differ between ends, or exceed the bundle size",
             rules_ports.check_member_count),
    LintRule("mixed-member-speed", "members of one bundle at different speeds",
             rules_ports.check_member_speed),
    LintRule("peer-speed-mismatch", "switch-to-switch cable between ports of different speeds",
             rules_ports.check_peer_speed),
    LintRule("mtu-out-of-range", "MTU the switch model or host OS does not accept",
             rules_mtu.check_mtu_range),
    LintRule("mtu-too-small", "jumbo end below IP 9000, or switch below its host",
             rules_mtu.check_mtu_too_small),
    LintRule("mtu-mismatch-peer", "switch-to-switch ends pass different IP MTUs",
             rules_mtu.check_peer_mtu),
    LintRule("mtu-global-conflict", "ends of one system-MTU Catalyst ask different MTUs",
             rules_mtu.check_global_mtu_conflict),
    LintRule("mtu-needs-reload", "jumbo MTU that only applies after a reload (2960-S)",
             rules_mtu.check_mtu_reload),
    LintRule("team-mode-incompatible", "host team bundling the switch end does not offer",
             rules_modes.check_team_mode),
    LintRule("lag-spans-two-switches", "one host LAG split over two separate switches",
             rules_modes.check_lag_spans_switches),
    LintRule("mlag-pair", "an MLAG end on a switch that is not Arista EOS",
             rules_mlag.check_mlag_pair),
    LintRule("lacp-passive-both-ends", "both ends LACP passive (switches, or a passive host)",
             rules_modes.check_passive_both_ends),
    LintRule("peer-mode-incompatible", "switch-to-switch ends bundle differently",
             rules_modes.check_peer_modes),
    LintRule("lacp-rate-mismatch", "LACP rate differs between ends",
             rules_modes.check_lacp_rate),
    LintRule("unsupported-feature", "an end asks for what its platform or model lacks",
             rules_modes.check_features),
    LintRule("min-links-unreachable", "min-links never met, or broken by one link failure",
             rules_modes.check_min_links),
    LintRule("min-links-invalid", "min-links out of the platform's range, or on a static "
             "bundle where the platform has it for LACP only", rules_modes.check_min_links_allowed),
    LintRule("mpio-teamed", "iSCSI MPIO paths teamed or bundled", rules_l2.check_mpio_teamed),
    LintRule("mpio-shared-switch", "MPIO paths not spread over two switches (warning)",
             rules_l2.check_mpio_switches),
    LintRule("mpio-shared-vlan", "two MPIO paths in one VLAN (one subnet for separate NICs)",
             rules_l2.check_mpio_shared_vlan),
    LintRule("vlan-mismatch", "switch-to-switch ends carry different VLANs",
             rules_l2.check_vlan_mismatch),
    LintRule("native-vlan-not-allowed", "a trunk's native VLAN missing from its allowed list",
             rules_l2.check_native_allowed),
    LintRule("independent-ports-differ", "ports of a switch-independent team differ",
             rules_l2.check_independent_ports),
    LintRule("unsafe-text", "text that could inject or break a CLI line",
             rules_l2.check_unsafe_text),
)


def _natural(text: str) -> tuple[str | int, ...]:
    """Sort key putting ``trunks[10]`` after ``trunks[9]``."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def lint_inventory(inv: Inventory,
                   rules: tuple[LintRule, ...] = RULES) -> tuple[LintFinding, ...]:
    """Every finding of ``rules`` on ``inv``, sorted by file, field, rule and message.

    Trunks with ``state: absent`` are being removed and are not linted.
    """
    ctx = LintContext(inv)
    findings = {
        LintFinding(rule=rule.id, severity=issue.severity, file=ctx.trunks_file,
                    trunk=issue.trunk.name if issue.trunk else None, field=issue.field,
                    message=issue.message)
        for rule in rules for issue in rule.check(ctx)
    }
    return tuple(sorted(findings, key=lambda f: (f.file, _natural(f.field), f.rule, f.message)))


class LintReport(Model):
    """The outcome of linting a folder: input errors (exit 2) or findings (exit 1 on errors)."""

    input_errors: tuple[str, ...] = ()
    findings: tuple[LintFinding, ...] = ()

    @property
    def exit_code(self) -> int:
        """2 for bad input, 1 for any error finding, else 0."""
        if self.input_errors:
            return EXIT_INPUT_ERROR
        if any(f.severity is Severity.ERROR for f in self.findings):
            return EXIT_FINDINGS
        return EXIT_OK


def lint_folder(root: Path | str) -> LintReport:
    """Load the inventory folder ``root`` and lint it."""
    try:
        inv = load_inventory(root)
    except InputErrors as exc:
        return LintReport(input_errors=tuple(str(e) for e in exc.errors))
    return LintReport(findings=lint_inventory(inv))
