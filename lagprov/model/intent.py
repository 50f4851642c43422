"""Intent: the trunks an engineer wants, validated and canonical.

A trunk has two ends.  The switch end is one or more :class:`SwitchEnd` (two for iSCSI MPIO
paths, one switch each, or for the two halves of an Arista MLAG bundle, ``mlag`` set); the
other end is either a host team (:class:`HostEnd`) or another switch (:class:`SwitchEnd` in
``peer``).  Member ``i`` of the switch side (switch ends taken in order) is cabled to NIC ``i``
of the host, or to member ``i`` of the peer switch.

Interface names are canonicalised, and checked against the platform and hardware model, by the
inventory loader, which passes the device table in the validation context.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, Strict, field_validator, model_validator

from lagprov.model.base import Model
from lagprov.model.safety import check_cli_text, check_host_name
from lagprov.model.types import Bundling, HostOs, L2Mode, LacpRate, Platform, SwitchMode

# Numbers are strict: a YAML boolean or a quoted string is not coerced into a channel or a VLAN.
Int = Annotated[int, Strict()]
Bool = Annotated[bool, Strict()]
VlanId = Annotated[int, Strict(), Field(ge=1, le=4094)]
Name = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]


class Access(Model):
    """An access port in one VLAN."""

    mode: Literal[L2Mode.ACCESS] = L2Mode.ACCESS
    vlan: VlanId


class Trunk8021q(Model):
    """An 802.1Q trunk carrying ``vlans``, untagged ``native_vlan`` if set."""

    mode: Literal[L2Mode.TRUNK] = L2Mode.TRUNK
    vlans: tuple[VlanId, ...] = Field(min_length=1)
    native_vlan: VlanId | None = None

    @field_validator("vlans")
    @classmethod
    def _sorted_unique(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        if len(set(v)) != len(v):
            raise ValueError("a VLAN is listed twice")
        return tuple(sorted(v))


L2 = Annotated[Access | Trunk8021q, Field(discriminator="mode")]


def _text(v: str | None) -> str | None:
    if v is not None:
        check_cli_text(v)
    return v


class SwitchEnd(Model):
    """One switch's side of a trunk: a port-channel, or independent ports."""

    device: Name
    platform: Platform
    members: tuple[str, ...] = Field(min_length=1)
    mode: SwitchMode = SwitchMode.LACP_ACTIVE
    channel: Int | None = Field(default=None, ge=0)
    lacp_rate: LacpRate | None = None
    min_links: Int | None = Field(default=None, ge=1)
    mtu: Int | None = Field(default=None, description="in the platform's own MTU semantics")
    description: str | None = None
    l2: L2 | None = None
    stp_edge: Bool | None = Field(
        default=None,
        description="spanning-tree edge (portfast) on the bundle or ports; default: on for host "
        "trunks of purpose data and storage, never on switch-to-switch trunks",
    )
    create_vlans: Bool = Field(
        default=False,
        description="lagprov owns the VLANs this end carries: create the missing ones "
        "(otherwise a pre-change check blocks on a VLAN that does not exist)",
    )
    mlag: Int | None = Field(
        default=None, ge=1,
        description="Arista MLAG id: this end is one peer's half of a bundle spanning a "
        "declared MLAG pair (hosts.yaml data.mlag_peer); the trunk's other switch end, on the "
        "peer, gives the same id",
    )

    _check_description = field_validator("description")(_text)

    def vlan_ids(self) -> tuple[int, ...]:
        """Every VLAN this end carries (access, allowed and native), sorted."""
        if isinstance(self.l2, Access):
            return (self.l2.vlan,)
        if isinstance(self.l2, Trunk8021q):
            native = () if self.l2.native_vlan is None else (self.l2.native_vlan,)
            return tuple(sorted({*self.l2.vlans, *native}))
        return ()

    @model_validator(mode="after")
    def _coherent(self) -> SwitchEnd:
        if len(set(self.members)) != len(self.members):
            raise ValueError("members: a port is listed twice")
        if self.mode.is_lag and self.channel is None:
            raise ValueError(f"channel: required for mode {self.mode}")
        if not self.mode.is_lag and self.channel is not None:
            raise ValueError("channel: independent ports have no channel; remove it")
        if self.lacp_rate is not None and not self.mode.is_lacp:
            raise ValueError(f"lacp_rate: only LACP modes have a rate, not {self.mode}")
        if self.mlag is not None and not self.mode.is_lag:
            raise ValueError("mlag: independent ports are no MLAG bundle; remove it")
        if self.min_links is not None:
            if not self.mode.is_lag:
                raise ValueError("min_links: independent ports have no min-links")
            if self.min_links > len(self.members):
                raise ValueError(
                    f"min_links: {self.min_links} is more than the {len(self.members)} members"
                )
        return self


class HostEnd(Model):
    """A host's NIC team (or separate NICs), in the host's own vocabulary.

    ``team`` is canonicalised by :func:`lagprov.knowledge.compat.canonical_team`
    (``4`` -> ``802.3ad``,
    ``lacp`` -> ``Lacp`` on Windows); ``bundling`` is what that team needs from the switch.
    """

    device: Name
    os: HostOs
    team: str
    bundling: Bundling
    name: str | None = None
    nics: tuple[str, ...] = Field(min_length=1)
    mtu: Int | None = Field(default=None, description="in the host's own MTU semantics")
    lacp_rate: LacpRate | None = None
    lacp_mode: Literal["active", "passive"] = Field(
        default="active",
        description="the team's LACP activity: vSphere vDS LAG mode, Linux bonding lacp_active "
        "(off = passive); Linux, Windows and arrays are active unless told otherwise",
    )
    lacp_system_id: str | None = Field(
        default=None,
        description="the team's LACP actor system id, declared for hosts that do not report it "
        "(storage arrays, Windows LBFO); a reported id takes precedence",
    )

    _check_name = field_validator("name")(_text)

    @field_validator("lacp_system_id")
    @classmethod
    def _mac(cls, v: str | None) -> str | None:
        if v is None:
            return None
        digits = re.sub(r"[^0-9a-f]", "", v.lower())
        if len(digits) != 12 or not re.fullmatch(r"[0-9a-fA-F.:-]+", v):
            raise ValueError(f"{v!r} is not a MAC address (aa:bb:cc:dd:ee:ff)")
        if digits == "0" * 12:
            raise ValueError("00:00:00:00:00:00 is the 'no partner' id, not a system id")
        return ":".join(digits[i : i + 2] for i in range(0, 12, 2))

    @model_validator(mode="after")
    def _lacp_only(self) -> HostEnd:
        if self.lacp_system_id is not None and self.bundling is not Bundling.LACP:
            raise ValueError(
                f"lacp_system_id: team {self.team!r} does not speak LACP; remove it")
        for i, name in enumerate(self.nics):
            try:
                check_host_name(self.os.value, name)
            except ValueError as exc:
                raise ValueError(f"nics[{i}]: {exc}") from None
        if self.name is not None:
            try:
                check_host_name(self.os.value, self.name)
            except ValueError as exc:
                raise ValueError(f"name: {exc}") from None
        if self.lacp_mode != "active" and self.bundling is not Bundling.LACP:
            raise ValueError(f"lacp_mode: team {self.team!r} does not speak LACP; remove it")
        return self

    @field_validator("nics")
    @classmethod
    def _unique_nics(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for nic in v:
            check_cli_text(nic)
        if len(set(v)) != len(v):
            raise ValueError("a NIC is listed twice")
        return v


def _shown(value: object) -> str:
    if isinstance(value, Model):
        return str(value.model_dump(mode="json", exclude_defaults=True))
    return str(getattr(value, "value", value))


Purpose = Literal["data", "storage", "iscsi-mpio", "interswitch"]


class TrunkIntent(Model):
    """One trunk: the unit of provisioning and of verification."""

    name: Name
    description: str | None = None
    state: Literal["present", "absent"] = "present"
    purpose: Purpose = "data"
    jumbo: Bool = Field(default=False, description="every end must pass 9000-byte IP packets")
    switch: tuple[SwitchEnd, ...] = Field(min_length=1, max_length=2)
    host: HostEnd | None = None
    peer: SwitchEnd | None = None

    _check_description = field_validator("description")(_text)

    @model_validator(mode="after")
    def _one_far_end(self) -> TrunkIntent:
        if (self.host is None) == (self.peer is None):
            raise ValueError("give exactly one far end: 'host' or 'peer'")
        if self.peer is not None and len(self.switch) != 1:
            raise ValueError("switch: a switch-to-switch trunk has one end per side")
        if self.peer is not None and any(e.stp_edge for e in self.switch_ends):
            raise ValueError("stp_edge: a switch-to-switch trunk is never a spanning-tree edge")
        if self.peer is not None and self.peer.mlag is not None:
            raise ValueError("peer.mlag: an MLAG bundle is given as the trunk's two switch ends")
        self._mlag_halves()
        return self

    def _mlag_halves(self) -> None:
        """An MLAG bundle is two switch ends, one per peer, alike but for their members."""
        ids = [e.mlag for e in self.switch]
        if all(i is None for i in ids):
            return
        if len(self.switch) != 2 or None in ids:
            raise ValueError("switch: an MLAG bundle has two ends, one on each peer of the "
                             "pair, both with the same 'mlag' id")
        a, b = self.switch
        if a.device == b.device:
            raise ValueError(f"switch[1].device: both MLAG halves are on {a.device}; the "
                             "second end is the other peer")
        for field in ("mlag", "channel", "mode", "lacp_rate", "min_links", "mtu", "l2"):
            if getattr(a, field) != getattr(b, field):
                raise ValueError(f"switch[1].{field}: the MLAG peers must agree: "
                                 f"{a.device} has {_shown(getattr(a, field))}, {b.device} "
                                 f"has {_shown(getattr(b, field))}")

    @property
    def mlag(self) -> int | None:
        """The MLAG id when the trunk's switch side is an MLAG bundle over two peers."""
        return self.switch[0].mlag

    def stp_edge(self, end: SwitchEnd) -> bool:
        """Whether ``end`` gets the platform's spanning-tree edge setting.

        The end's own ``stp_edge`` wins, except that a switch-to-switch trunk is never an edge
        (an edge port that receives BPDUs from a switch is a loop waiting to happen).
        """
        if self.peer is not None:
            return False
        if end.stp_edge is not None:
            return end.stp_edge
        return self.purpose in ("data", "storage")

    @property
    def switch_ends(self) -> tuple[SwitchEnd, ...]:
        """Every switch end of the trunk, the peer switch included."""
        return self.switch + ((self.peer,) if self.peer is not None else ())

    def cables(self) -> tuple[tuple[str, str, str, str], ...]:
        """The intended cabling: ``(switch, port, far_device, far_port)`` per member."""
        near = [(end.device, m) for end in self.switch for m in end.members]
        if self.peer is not None:
            far = [(self.peer.device, m) for m in self.peer.members]
        else:
            assert self.host is not None
            far = [(self.host.device, nic) for nic in self.host.nics]
        return tuple((a, b, c, d) for (a, b), (c, d) in zip(near, far, strict=False))
