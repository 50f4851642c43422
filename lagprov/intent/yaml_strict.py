"""A YAML loader that validates what the engineer typed, not what YAML 1.1 guesses it meant.

PyYAML implements YAML 1.1, whose implicit types surprise people who configure switches:
``channel: 010`` is octal 8, ``vlan: 1:20`` is base 60 (80), ``jumbo: yes`` and ``mode: on`` are
booleans, and a key written twice silently keeps the last value.  This loader

* keeps YAML 1.2 core types only: ``true``/``false``, ``null``/``~``, decimal integers, floats;
* refuses the ambiguous forms outright, with the line and the text as written: integers with a
  leading zero (``010``), sexagesimal numbers (``1:20``), ``0x``/``0o``/``0b`` prefixes, and the
  YAML 1.1 booleans ``yes``/``no``/``on``/``off``/``y``/``n`` when unquoted (quoted, they are
  strings like any other);
* refuses a mapping key given twice, naming both lines;
* refuses nesting deeper than :data:`MAX_DEPTH` at the line it happens, before building
  anything (an inventory is a few levels deep; thousands of ``[`` are an attack or an accident).

>>> load_strict("channel: 10\\n", "trunks.yaml")
{'channel': 10}
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from lagprov.errors import InputError

_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
# Forms YAML 1.1 reads as something other than what most people typed.
_AMBIGUOUS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N)$"),
     "YAML 1.1 reads this as a boolean; write true or false, or quote it if it is text"),
    (re.compile(r"^[-+]?0[0-9_]+$"),
     "a number with a leading zero is octal in YAML 1.1; write it without the zero "
     "(or quote it if it is text)"),
    # YAML 1.1's own base-60 forms (int: a non-zero first digit; float: with a fraction), so a
    # MAC such as 02:00:00:00:00:01 stays text, as YAML 1.1 also reads it
    (re.compile(r"^[-+]?(?:[1-9][0-9_]*(?::[0-5]?[0-9])+|[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*)$"),
     "YAML 1.1 reads this as a base-60 number; quote it if it is text"),
    (re.compile(r"^[-+]?0[xXoObB][0-9a-fA-F_]+$"),
     "hexadecimal, octal and binary numbers are not accepted here; write it in decimal"),
    (re.compile(r"^[-+]?[0-9][0-9_]*_[0-9_]*$"),
     "YAML 1.1 ignores '_' in numbers; write the number without it, or quote it"),
)


MAX_DEPTH = 64


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core implicit types and the refusals above."""

    def __init__(self, stream: str, where: str) -> None:
        super().__init__(stream)
        self.where = where
        self._depth = 0

    def _too_deep(self) -> InputError:
        mark = self.get_mark()
        return InputError(f"{self.where}:{mark.line + 1}:{mark.column + 1}",
                          f"nested too deeply to be an inventory (more than {MAX_DEPTH} "
                          "levels)")

    def fetch_flow_collection_start(self, token_class: Any) -> None:
        # the scanner's look-ahead over nested '[' / '{' is quadratic: stop it early
        if self.flow_level >= MAX_DEPTH:
            raise self._too_deep()
        super().fetch_flow_collection_start(token_class)

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        self._depth += 1  # block (indented) nesting
        try:
            if self._depth > MAX_DEPTH:
                raise self._too_deep()
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _fail(self, node: Node, message: str) -> InputError:
        mark = node.start_mark
        return InputError(f"{self.where}:{mark.line + 1}:{mark.column + 1}", message)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise self._fail(key_node, "a mapping key must be a plain value") from None
            if key in seen:
                first = seen[key].start_mark.line + 1
                raise self._fail(key_node, f"key {key!r} is given twice (lines {first} and "
                                           f"{key_node.start_mark.line + 1}); keep one")
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


def _resolve_scalar(loader: _StrictLoader, node: ScalarNode) -> Any:
    text = node.value
    if node.style is not None and node.style != "":  # quoted or block: always a string
        return text
    for pattern, why in _AMBIGUOUS:
        if pattern.match(text):
            raise loader._fail(node, f"{text!r}: {why}")
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text.lower() == "true"
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


# Every plain scalar goes through _resolve_scalar; no YAML 1.1 implicit resolvers remain.
_StrictLoader.yaml_implicit_resolvers = {}
_StrictLoader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])


def _construct_plain(loader: _StrictLoader, node: ScalarNode) -> Any:
    return _resolve_scalar(loader, node)


_StrictLoader.add_constructor("tag:yaml.org,2002:str", _construct_plain)


def load_strict(text: str, where: str) -> Any:
    """Parse ``text`` (the content of ``where``) with the strict rules; errors name the line."""
    loader = _StrictLoader(text, where)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
