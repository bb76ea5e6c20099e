"""A firewall's policy, vendor-neutral: objects, access lists, their bindings, interfaces.

The ASA parser fills it (`dalsnet_audit.platforms.asa.parse`), the flow engine
(`dalsnet_audit.flow`) reads it. Objects and groups are resolved at parse time (nested groups
flattened, address ranges cut into CIDRs), so an access-list entry carries the networks and
services it means.
Whatever the parser could not resolve (an `fqdn` object, a group that is referenced but never
defined, a keyword it does not know) leaves the element marked `exact=False`: rules treat an
inexact permit as matching and an inexact deny as not matching, so that doubt never hides an
open flow. Every element keeps the configuration lines it came from, for evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from netaddr import IPNetwork

from dalsnet_audit.model.acl import (
    ANY_ADDRESS,
    IP_PROTOCOLS,
    AccessList,
    AccessListEntry,
    AddressSet,
    PortRange,
    Service,
    protocol_number,
)
from dalsnet_audit.model.interface import Interface
from dalsnet_audit.model.route import Route


@dataclass(frozen=True, slots=True)
class NetworkObject:
    """An `object network` or `object-group network`, nested groups flattened."""

    name: str
    kind: Literal["object", "object-group"]
    addresses: AddressSet
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ServiceObject:
    """An `object service`, `object-group service|protocol|icmp-type`, nesting flattened.

    `protocol` is set for a port group (`object-group service NAME tcp` with `port-object`
    lines), whose services then carry the ports as destination ports.
    """

    name: str
    kind: Literal["object", "object-group"]
    services: tuple[Service, ...]
    protocol: str | None = None
    exact: bool = True
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AccessGroup:
    """An `access-group`: an access list bound to an interface (by nameif) or globally."""

    acl: str
    direction: Literal["in", "out", "global"]
    interface: str | None
    line: str
    control_plane: bool = False


@dataclass(frozen=True, slots=True)
class FirewallPolicy:
    """Everything that decides whether a firewall forwards a flow.

    `interfaces` maps nameif to the parsed interface (security level, addresses,
    management-only). `problems` lists what the parser could not resolve, one line each.
    """

    interfaces: Mapping[str, Interface]
    network_objects: Mapping[str, NetworkObject]
    service_objects: Mapping[str, ServiceObject]
    acls: Mapping[str, AccessList]
    access_groups: tuple[AccessGroup, ...]
    routes: tuple[Route, ...]
    same_security_inter: bool = False
    same_security_intra: bool = False
    lines: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    def connected(self, nameif: str) -> tuple[IPNetwork, ...]:
        """The networks directly connected to interface `nameif`."""
        interface = self.interfaces.get(nameif)
        if interface is None:
            return ()
        return tuple(address.cidr for address in interface.addresses)

    def bound(self, direction: Literal["in", "out", "global"], nameif: str | None) -> str | None:
        """Name of the access list bound in `direction` on `nameif` (or the global one)."""
        for group in self.access_groups:
            if group.control_plane or group.direction != direction:
                continue
            if direction == "global" or group.interface == nameif:
                return group.acl
        return None


__all__ = [
    "ANY_ADDRESS",
    "IP_PROTOCOLS",
    "AccessGroup",
    "AccessList",
    "AccessListEntry",
    "AddressSet",
    "FirewallPolicy",
    "NetworkObject",
    "PortRange",
    "Service",
    "ServiceObject",
    "protocol_number",
]
