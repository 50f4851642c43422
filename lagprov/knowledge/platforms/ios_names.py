"""IOS / IOS-XE Ethernet interface names, spelt as the device prints them.

One table: the inventory loader, the renderer, the parsers and the reports all go through
:func:`lagprov.knowledge.platforms.canonical_port`, which reads it.  netutils expands some short
forms to spellings IOS-XE never prints (``Hu`` -> ``HundredGigabitEthernet``, ``Fi`` ->
``FiftyGigabitEthernet``); this table wins over netutils for every name it knows.

Long spellings: IOS-XE prints ``TwoGigabitEthernet``, ``FiveGigabitEthernet``,
``TwentyFiveGigE``, ``FortyGigabitEthernet``, ``FiftyGigE``, ``HundredGigE``,
``TwoHundredGigE``, ``FourHundredGigE`` and ``AppGigabitEthernet`` (issue 9; the genieparser
iosxe capture ShowEtherChannelDetail golden_output_1 prints ``TwentyFiveGigE1/0/13``).  Short
forms: ``Tw`` (2.5G mGig), ``Fi`` (5G mGig: ``Fi1/0/5`` on a Catalyst 9300 front panel, the
genieparser iosxe ShowEtherchannelSummary golden_output_3 capture), ``Twe``, ``Fo``, ``Hu``.
``Fif`` / ``Fou`` / ``TH`` are the longer abbreviations that keep 50G / 400G / 200G apart from
``Fi`` / ``Fo`` / ``Tw``; they are an assumption (no public capture found).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

IOS_ETHERNET: tuple[str, ...] = (
    "FastEthernet", "GigabitEthernet", "TwoGigabitEthernet", "FiveGigabitEthernet",
    "TenGigabitEthernet", "TwentyFiveGigE", "FortyGigabitEthernet", "FiftyGigE", "HundredGigE",
    "TwoHundredGigE", "FourHundredGigE", "AppGigabitEthernet",
)  # fmt: skip
"""Every front-panel Ethernet spelling of a Catalyst / IOS-XE switch."""

_SHORT = {
    "fa": "FastEthernet", "gi": "GigabitEthernet", "tw": "TwoGigabitEthernet",
    "fi": "FiveGigabitEthernet", "te": "TenGigabitEthernet", "twe": "TwentyFiveGigE",
    "fo": "FortyGigabitEthernet", "fif": "FiftyGigE", "hu": "HundredGigE",
    "th": "TwoHundredGigE", "fou": "FourHundredGigE", "ap": "AppGigabitEthernet",
}  # fmt: skip
# Spellings other tools (netutils, NAPALM, Batfish) produce that IOS-XE never prints.
_FOREIGN = {
    "tengige": "TenGigabitEthernet", "twentyfivegigabitethernet": "TwentyFiveGigE",
    "fiftygigabitethernet": "FiftyGigE", "hundredgigabitethernet": "HundredGigE",
    "twohundredgigabitethernet": "TwoHundredGigE", "fourhundredgigabitethernet": "FourHundredGigE",
}  # fmt: skip

IOS_NAMES: Mapping[str, str] = MappingProxyType(
    {**{n.lower(): n for n in IOS_ETHERNET}, **_SHORT, **_FOREIGN}
)
"""Lower-case type word (long, short or foreign) -> the spelling IOS-XE prints."""

IOS_PORT_RE = re.compile(rf"^({'|'.join(IOS_ETHERNET)})\d+/\d+/\d+$")
"""A Catalyst front-panel port (``<type><switch>/<module>/<port>``)."""

_SPLIT = re.compile(r"^([A-Za-z][A-Za-z-]*?)\s*(\d[\d/.:]*)$")


def ios_spelling(name: str) -> str | None:
    """``Fi1/0/5`` -> ``FiveGigabitEthernet1/0/5``; None when the type word is not in the table.

    >>> ios_spelling("Hu1/0/49")
    'HundredGigE1/0/49'
    >>> ios_spelling("HundredGigabitEthernet1/0/49")
    'HundredGigE1/0/49'
    """
    match = _SPLIT.match(name.strip())
    if match is None:
        return None
    word = IOS_NAMES.get(match.group(1).lower())
    return f"{word}{match.group(2)}" if word else None
