"""Arista MLAG bundles: only EOS switches form MLAG pairs."""

from __future__ import annotations

from collections.abc import Iterator

from lagprov.intent.lint.base import Issue, LintContext, error
from lagprov.model.types import Platform


def check_mlag_pair(ctx: LintContext) -> Iterator[Issue]:
    """An ``mlag`` end on a switch that is not EOS.  Two ends that are not a declared pair are
    ``lag-spans-two-switches``."""
    for t in ctx.trunks:
        if t.trunk.mlag is None:
            continue
        for ref in ctx.ends_of(t):
            if ref.device.platform is not Platform.ARISTA_EOS:
                yield error(t, f"{ref.field}.mlag", f"MLAG is Arista EOS; {ref.end.device} is "
                            f"{ref.device.platform.value} (a stack or Virtual Chassis is one "
                            "switch: hosts.yaml data.stack_members)")
