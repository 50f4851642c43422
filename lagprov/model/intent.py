"""Intent: the trunks an engineer wants, validated and canonical.

A trunk has two ends.  The switch end is one or more :class:`SwitchEnd` (two for iSCSI MPIO
paths, one switch each); the other end is either a host team (:class:`HostEnd`) or another
switch (:class:`SwitchEnd` in ``peer``).  Member ``i`` of the switch side (switch ends taken in
order) is cabled to NIC ``i`` of the host, or to member ``i`` of the peer switch.

Interface names are canonicalised, and checked against the platform and hardware model, by the
inventory loader, which passes the device table in the validation context.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from lagprov.model.base import Model
from lagprov.model.safety import check_cli_text
from lagprov.model.types import Bundling, HostOs, L2Mode, LacpRate, Platform, SwitchMode

VlanId = Annotated[int, Field(ge=1, le=4094)]
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
    channel: int | None = Field(default=None, ge=0)
    lacp_rate: LacpRate | None = None
    min_links: int | None = Field(default=None, ge=1)
    mtu: int | None = Field(default=None, description="in the platform's own MTU semantics")
    description: str | None = None
    l2: L2 | None = None
    stp_edge: bool | None = Field(
        default=None,
        description="spanning-tree edge (portfast) on the bundle or ports; default: on for host "
        "trunks of purpose data and storage, never on switch-to-switch trunks",
    )
    create_vlans: bool = Field(
        default=False,
        description="lagprov owns the VLANs this end carries: create the missing ones "
        "(otherwise a pre-change check blocks on a VLAN that does not exist)",
    )

    _check_description = field_validator("description")(_text)

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
    mtu: int | None = Field(default=None, description="in the host's own MTU semantics")
    lacp_rate: LacpRate | None = None
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
        return self

    @field_validator("nics")
    @classmethod
    def _unique_nics(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for nic in v:
            check_cli_text(nic)
        if len(set(v)) != len(v):
            raise ValueError("a NIC is listed twice")
        return v


Purpose = Literal["data", "storage", "iscsi-mpio", "interswitch"]


class TrunkIntent(Model):
    """One trunk: the unit of provisioning and of verification."""

    name: Name
    description: str | None = None
    state: Literal["present", "absent"] = "present"
    purpose: Purpose = "data"
    jumbo: bool = Field(default=False, description="every end must pass 9000-byte IP packets")
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
        return self

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
