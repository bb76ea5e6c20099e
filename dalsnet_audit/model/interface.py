"""Interfaces of network devices and servers: the one shape every platform's parser fills."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from netaddr import IPNetwork


@dataclass(frozen=True, slots=True)
class Switchport:
    """Layer-2 settings of a switch port."""

    mode: Literal["access", "trunk", "dynamic"] | None
    access_vlan: int
    voice_vlan: int | None
    trunk_allowed: tuple[int, ...] | None
    native_vlan: int


@dataclass(frozen=True, slots=True)
class Interface:
    """An interface, subinterface, SVI, loopback or tunnel."""

    name: str
    kind: Literal["physical", "subinterface", "svi", "loopback", "tunnel", "aggregate", "other"]
    description: str | None
    is_enabled: bool
    addresses: tuple[IPNetwork, ...]
    vrf: str | None = None
    vlan: int | None = None
    switchport: Switchport | None = None
    acl_in: str | None = None
    acl_out: str | None = None
    nameif: str | None = None
    security_level: int | None = None
    management_only: bool = False
    crypto_map: str | None = None
    tunnel_protection: str | None = None
    oper_status: str | None = None
    lines: tuple[str, ...] = ()
