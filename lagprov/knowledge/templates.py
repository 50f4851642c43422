"""Where templates live, and the one Jinja environment that renders them.

The root is, in order: the ``root`` argument, the ``LAGPROV_TEMPLATES`` environment variable,
then the top-level ``templates/`` folder of the checkout (next to the ``lagprov`` package).
Undefined variables are errors (``StrictUndefined``), never empty strings.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

import jinja2

from lagprov.errors import TemplateError

ENV_VAR = "LAGPROV_TEMPLATES"
DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "templates"


def vlan_ranges(vlans: Iterable[int]) -> str:
    """VLAN list in the compact form Cisco, Arista and ISS print: ``10-12,20``.

    >>> vlan_ranges([10, 11, 12, 20])
    '10-12,20'
    """
    ordered = sorted(set(vlans))
    runs: list[list[int]] = []
    for v in ordered:
        if runs and v == runs[-1][-1] + 1:
            runs[-1].append(v)
        else:
            runs.append([v])
    return ",".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def _resolve_root(root: Path | None) -> Path:
    if root is not None:
        return root
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else DEFAULT_ROOT


class TemplateStore:
    """Jinja2 templates under one root folder.

    >>> store = TemplateStore()          # LAGPROV_TEMPLATES or the checkout's templates/
    >>> store.render("config/cisco_ios/lag.j2", {...})  # doctest: +SKIP
    """

    def __init__(self, root: Path | None = None) -> None:
        self._root = _resolve_root(root).resolve()
        if not self._root.is_dir():
            raise TemplateError(
                f"template folder {self._root} does not exist (set {ENV_VAR} or pass a root)"
            )
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(self._root)),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            autoescape=False,  # noqa: S701 - renders CLI text, never HTML
        )
        self._env.filters["vlan_ranges"] = vlan_ranges
        # Jinja's template cache has no lock: 20 workers rendering their first trunk at once
        # compiled each template up to 20 times (59 compiles in a 50-switch apply, issue 15)
        self._loading = threading.Lock()

    @property
    def root(self) -> Path:
        """The resolved template root."""
        return self._root

    def path(self, name: str) -> Path:
        """Absolute path of template ``name`` (relative to the root).

        Raises:
            TemplateError: if no such file exists.
        """
        found = self._root / name
        if not found.is_file():
            raise TemplateError(f"no template {name!r} under {self._root}")
        return found

    def exists(self, name: str) -> bool:
        """True if template ``name`` exists under the root."""
        return (self._root / name).is_file()

    def render(self, name: str, context: Mapping[str, object]) -> str:
        """Render template ``name`` with ``context``.

        Raises:
            TemplateError: for a missing template, a syntax error, or an undefined variable.
        """
        try:
            with self._loading:  # compiled once; later a cache lookup (and a mtime check)
                template = self._env.get_template(name)
            return template.render(**context)
        except jinja2.TemplateNotFound:
            raise TemplateError(f"no template {name!r} under {self._root}") from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"syntax error in template {exc.name or name!r} line {exc.lineno}: {exc.message}"
            ) from None
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"template {name!r}: {exc.message}") from None
