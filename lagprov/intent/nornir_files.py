"""The shape of Nornir's SimpleInventory files, checked before anything is resolved.

``hosts.yaml``, ``groups.yaml`` and ``defaults.yaml`` follow Nornir's SimpleInventory schema
(``hostname``, ``port``, ``username``, ``platform``, ``groups``, ``data``,
``connection_options``).  A key Nornir does not know (``platfrom``), a scalar where a list
belongs (``groups: switches``), a group that is not defined, a port that is not a TCP port, or a
cycle of groups is an input error naming file and field; an entry that fails is left out of
what Nornir resolves (:mod:`lagprov.intent.devices`), so one mistake is reported once.  A
``hostname`` must be an address or a DNS name (not empty, no whitespace); the NAPALM
``extras.optional_args.port`` (eAPI, NETCONF) is a TCP port like ``port``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, ValidationError

from lagprov.model.base import Model

Port = Annotated[int, Strict(), Field(ge=1, le=65535)]
Text = Annotated[str, Strict()]
_HOSTNAME = re.compile(r"[A-Za-z0-9_.:%\[\]-]+")


def _hostname(value: str) -> str:
    if not value.strip():
        raise ValueError("an empty hostname is no hostname; give the device's address or DNS "
                         "name (or leave the key out to inherit it)")
    if not _HOSTNAME.fullmatch(value):
        raise ValueError(f"{value!r} is not an address or a DNS name")
    return value


Hostname = Annotated[str, Strict(), AfterValidator(_hostname)]


class _Open(BaseModel):
    """A plugin's own settings: only the keys lagprov reads are typed, the rest pass."""

    model_config = ConfigDict(frozen=True, extra="allow")


class OptionalArgs(_Open):
    """``extras.optional_args`` of NAPALM: its ``port`` is the eAPI / NETCONF port."""

    port: Port | None = None


class Extras(_Open):
    """``connection_options.<plugin>.extras``."""

    optional_args: OptionalArgs | None = None


class ConnectionOptions(Model):
    """One ``connection_options.<plugin>`` entry."""

    hostname: Hostname | None = None
    port: Port | None = None
    username: Text | None = None
    platform: Text | None = None
    extras: Extras | None = None


class _Entry(Model):
    hostname: Hostname | None = None
    port: Port | None = None
    username: Text | None = None
    platform: Text | None = None
    data: dict[str, Any] | None = None
    connection_options: dict[str, ConnectionOptions] | None = None


class HostEntry(_Entry):
    """A host of ``hosts.yaml`` (or a group of ``groups.yaml``)."""

    groups: tuple[Text, ...] = ()


class DefaultsEntry(_Entry):
    """``defaults.yaml``: no groups."""


Fail = Callable[[str, str, str], None]
Pydantic = Callable[[str, str, ValidationError], None]


def _entries(doc: dict[str, Any], file: str, fail: Fail, pydantic: Pydantic
             ) -> dict[str, dict[str, Any]]:
    good: dict[str, dict[str, Any]] = {}
    for name, raw in doc.items():
        if not isinstance(raw, dict):
            if raw is None:
                raw = {}
            else:
                fail(file, str(name), f"expected a mapping, got {type(raw).__name__}")
                continue
        try:
            HostEntry.model_validate(raw)
        except ValidationError as exc:
            pydantic(file, str(name), exc)
            continue
        good[str(name)] = raw
    return good


def check_nornir_files(docs: dict[str, dict[str, Any]], fail: Fail, pydantic: Pydantic
                       ) -> dict[str, dict[str, Any]]:
    """The three Nornir documents with every malformed entry reported and left out."""
    groups = _entries(docs["groups.yaml"], "groups.yaml", fail, pydantic)
    hosts = _entries(docs["hosts.yaml"], "hosts.yaml", fail, pydantic)
    defaults = docs["defaults.yaml"]
    try:
        DefaultsEntry.model_validate(defaults)
    except ValidationError as exc:
        pydantic("defaults.yaml", "defaults", exc)
        defaults = {}
    for name in _in_cycles(groups):
        fail("groups.yaml", f"{name}.groups", "the group is its own ancestor (a cycle of groups)")
        del groups[name]
    defined = set(docs["groups.yaml"])
    changed = True
    while changed:  # a group left out leaves out what names it, so Nornir never misses one
        changed = False
        for file, table in (("hosts.yaml", hosts), ("groups.yaml", groups)):
            for name, entry in list(table.items()):
                missing = [g for g in entry.get("groups") or () if g not in groups]
                if not missing:
                    continue
                why = (f"group {missing[0]!r} has an error (reported above)"
                       if missing[0] in defined else
                       f"no group {missing[0]!r} in groups.yaml; defined: "
                       f"{', '.join(sorted(defined)) or 'none'}")
                fail(file, f"{name}.groups", why)
                del table[name]
                changed = True
    return {"hosts.yaml": hosts, "groups.yaml": groups, "defaults.yaml": defaults}


def _in_cycles(groups: dict[str, dict[str, Any]]) -> list[str]:
    """Every group that reaches itself through its parents (Nornir would recurse forever)."""
    def reaches(start: str) -> bool:
        seen: set[str] = set()
        todo = list(groups[start].get("groups") or ())
        while todo:
            g = todo.pop()
            if g == start:
                return True
            if g in seen or g not in groups:
                continue
            seen.add(g)
            todo += list(groups[g].get("groups") or ())
        return False

    return [name for name in groups if reaches(name)]
