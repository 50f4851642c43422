"""Junos XML configuration for the lab's Junos switch: the tree rendered as
``<get-configuration>`` returns it, and ``<load-configuration format="xml">`` read back into
`set`/`delete` statements.

Junos' XML API names a configuration element after its CLI statement, except where the
statement is not a valid XML name; the exceptions the lab's schema meets are in
:data:`XML_VALUE_PATH`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.sax.saxutils import escape

from lagprov.errors import LabError
from lagprov.lab.junos.schema import Kind
from lagprov.lab.junos.tree import Tree, quote

# Junos XML element names where they differ from the `set` keyword: a configuration element
# is named after its CLI statement, except where the statement is not a valid XML
# name: `ether-options 802.3ad ae0` (also under `gigether-options`) is
# `<ether-options><ieee-802.3ad><bundle>ae0</bundle></ieee-802.3ad></ether-options>` (Juniper
# EX `get-config` replies in internap/netman tests/adapters/switches/juniper_test.py and
# juniper_qfx_copper_test.py; ansible-collections/junipernetworks.junos junos_lacp_interfaces
# `parsed` example).  Every other keyword of the lab's schema keeps its word: the netman replies
# show `aggregated-ether-options/lacp/active`, `lacp/periodic`, `link-speed`, `native-vlan-id`,
# `unit/name` + `family/ethernet-switching/interface-mode` (ELS) or `port-mode` (classic),
# `vlan/members`, `protocols/rstp/interface/name` + `edge`, `vlans/vlan/name`; `mtu` and
# `chassis/aggregated-devices/ethernet/device-count` follow the same rule (seen in public EX
# `display xml` test data, source not identified).
XML_VALUE_PATH: dict[str, tuple[str, ...]] = {"802.3ad": ("ieee-802.3ad", "bundle")}
# Named entries: `interfaces ge-0/0/1` -> <interfaces><interface><name>ge-0/0/1</name>...;
# `protocols rstp interface ae10` -> <interface><name>ae10</name>... (no wrapper).
XML_NAMED: dict[str, tuple[str, str]] = {
    "interfaces": ("interfaces", "interface"), "vlans": ("vlans", "vlan"),
    "interface": ("", "interface"),
}
# Lists whose values are entry names: `family inet address 10.0.0.1/24` ->
# <address><name>10.0.0.1/24</name></address>.
XML_NAMED_LISTS = frozenset({"address"})
_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def _tag(name: str) -> str:
    """``name`` if it is a valid XML element name, else a LabError (a schema keyword that
    needs an entry in :data:`XML_VALUE_PATH`)."""
    if not _XML_NAME.fullmatch(name):
        raise LabError(f"no Junos XML name for the statement {name!r}")
    return name


def _value_xml(word: str, value: str, indent: str) -> str:
    path = XML_VALUE_PATH.get(word, (word,))
    if word in XML_NAMED_LISTS:
        path = (word, "name")
    opened = "".join(f"<{_tag(p)}>" for p in path)
    closed = "".join(f"</{p}>" for p in reversed(path))
    return f"{indent}{opened}{escape(value)}{closed}"


def _block(tag: str, name: str, body: str, indent: str) -> str:
    head = f"{indent}<{_tag(tag)}>" + (f"\n{indent}<name>{escape(name)}</name>" if name else "")
    if not name and not body:
        return f"{indent}<{tag}/>"
    return f"{head}\n{body}\n{indent}</{tag}>" if body else f"{head}\n{indent}</{tag}>"


def tree_xml(tree: Tree, indent: str = "") -> str:
    """A configuration tree as Junos XML (named entries become elements with <name>)."""
    out = []
    for key, child in tree.children.items():
        word, _, name = key.partition(" ")
        if child.kind is Kind.FLAG:
            out.append(f"{indent}<{_tag(word)}/>")
        elif child.kind in (Kind.LEAF, Kind.LIST):
            out.extend(_value_xml(word, v, indent) for v in child.values)
        elif word in XML_NAMED and child.children:
            wrapper, entry = XML_NAMED[word]
            entries = [_block(entry, sub_name, tree_xml(sub, indent), indent)
                       for sub_name, sub in child.children.items()]
            out.append(_block(wrapper, "", "\n".join(entries), indent) if wrapper
                       else "\n".join(entries))
        else:
            out.append(_block(word, name, tree_xml(child, indent), indent))
    return "\n".join(x for x in out if x)


_ENTRIES = frozenset(entry for wrapper, entry in XML_NAMED.values() if wrapper)
_KEYWORD = {path[0]: word for word, path in XML_VALUE_PATH.items()}  # ieee-802.3ad -> 802.3ad


@dataclass(frozen=True, slots=True)
class XmlStatement:
    """One `set`/`delete` statement read from XML; ``tags[i]`` is the element of ``words[i]``."""

    verb: str
    words: tuple[str, ...]
    tags: tuple[str, ...]

    @property
    def line(self) -> str:
        return " ".join((self.verb, *(quote(w) for w in self.words)))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def xml_to_set(config: ET.Element) -> list[XmlStatement]:
    """A ``<configuration>`` element as statements (``delete="delete"`` becomes a delete;
    ``replace``/``merge``/``operation`` attributes are dropped, like curly text's tags)."""
    out: list[XmlStatement] = []
    for child in config:
        _walk(child, (), (), "", out)
    return out


def _walk(el: ET.Element, words: tuple[str, ...], tags: tuple[str, ...], parent: str,
          out: list[XmlStatement]) -> None:
    tag = _local(el.tag)
    kids = [c for c in el if _local(c.tag) != "name"]
    name = next(((c.text or "") for c in el if _local(c.tag) == "name"), None)
    done = False  # the element's statements are already out
    if name is not None:  # a named entry: <interface><name>ge-0/0/1</name>...
        head = (name.strip(),) if tag in _ENTRIES and parent in XML_NAMED else (
            tag, name.strip())
    elif tag in _KEYWORD:  # <ieee-802.3ad><bundle>ae0</bundle>: `802.3ad ae0`
        head = (_KEYWORD[tag],)
        path = XML_VALUE_PATH[_KEYWORD[tag]]
        bundle = [c for c in kids if _local(c.tag) == path[1]]
        kids = [c for c in kids if _local(c.tag) != path[1]]
        done = bool(bundle)
        for member in bundle:
            out.append(XmlStatement("set", (*words, *head, (member.text or "").strip()),
                                    (*tags, tag, path[1])))
    else:
        head = (tag,)
    words, tags = (*words, *head), (*tags, *(tag for _ in head))
    if el.get("delete") == "delete" or el.get("operation") == "delete":
        out.append(XmlStatement("delete", words, tags))
    elif kids:
        for kid in kids:
            _walk(kid, words, tags, tag, out)
    elif not done and not (tag in _ENTRIES and name is not None):  # <interface><name>ae1<
        text = (el.text or "").strip()
        value = (text,) if text and name is None else ()
        out.append(XmlStatement("set", (*words, *value), (*tags, *(tag for _ in value))))
