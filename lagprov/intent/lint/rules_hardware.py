"""Hardware the catalog does not know: allowed on the platform's defaults, with a warning that
says what lagprov could not check (lagprov/knowledge/hardware/platform-defaults.yaml)."""

from __future__ import annotations

from collections.abc import Iterator

from lagprov.intent.lint.base import Issue, LintContext, warning


def check_uncatalogued(ctx: LintContext) -> Iterator[Issue]:
    """Every switch end on a model that is not in the catalog (shipped or ``hardware/``)."""
    for ref in ctx.switch_ends:
        model = ref.model
        if model.catalogued:
            continue
        yield warning(
            ref.trunk, f"{ref.field}.device",
            f"{ref.end.device}'s hardware {model.name!r} (hosts.yaml: {ref.end.device}."
            f"data.hardware) is not in the hardware catalog: the "
            f"members are not checked to exist on its front panel, nor their speeds; the MTU "
            f"range is not checked against the model ({ref.spec.title} defaults "
            f"{model.mtu_min}..{model.mtu_max}, {model.mtu_scope.value} MTU, are assumed); "
            f"model-specific limits and missing features are not known.  Describe the model "
            f"in the inventory's hardware/ folder (docs/hardware.md) to check them")
