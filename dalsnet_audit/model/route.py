"""Routes, one shape for every platform: IOS `ip route` and ASA `route IF ...` alike."""

from __future__ import annotations

from dataclasses import dataclass

from netaddr import IPAddress, IPNetwork


@dataclass(frozen=True, slots=True)
class Route:
    """A static route.

    Attributes:
        prefix: The destination.
        next_hop: The gateway, None for a route to an interface only.
        line: The configuration line it came from.
        vrf: The VRF of an IOS route, if any.
        interface: The egress interface (an ASA route names it; IOS only sometimes).
    """

    prefix: IPNetwork
    next_hop: IPAddress | None
    line: str
    vrf: str | None = None
    interface: str | None = None
