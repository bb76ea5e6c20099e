"""Access lists, one model for every platform: IOS standard/extended lists, ASA access lists.

Entries carry what they mean: address sets (objects and groups resolved, wildcards read),
services (protocol, ports). What a parser could not resolve leaves the element `exact=False`,
and every evaluator (`dalsnet_audit.flow.acl`) treats doubt so that it never hides a flow.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from netaddr import IPAddress, IPNetwork

IP_PROTOCOLS: Mapping[str, int] = {
    "icmp": 1,
    "igmp": 2,
    "ipinip": 4,
    "tcp": 6,
    "igrp": 9,
    "udp": 17,
    "gre": 47,
    "pptp": 47,
    "esp": 50,
    "ipsec": 50,
    "ah": 51,
    "icmp6": 58,
    "eigrp": 88,
    "ospf": 89,
    "nos": 94,
    "pim": 103,
    "pcp": 108,
    "snp": 109,
    "sctp": 132,
}
"""IP protocol names the ASA accepts in access lists (`ip` means every protocol)."""


def protocol_number(protocol: str) -> int | None:
    """The IP protocol number of `protocol` (`tcp`, `6`); None for `ip` or an unknown name."""
    name = protocol.lower()
    if name.isdigit():
        return int(name)
    return IP_PROTOCOLS.get(name)


@dataclass(frozen=True, slots=True)
class PortRange:
    """An inclusive range of TCP/UDP ports (or ICMP types); `eq 443` is `PortRange(443, 443)`."""

    low: int
    high: int

    def __contains__(self, port: object) -> bool:
        return isinstance(port, int) and self.low <= port <= self.high


@dataclass(frozen=True, slots=True)
class AddressSet:
    """The addresses an access-list endpoint or a network object stands for.

    `any` matches every address. Otherwise an address matches when one of `networks` holds
    it; `exact=False` says the set may hold more than `networks` (part of it unresolved).
    """

    networks: tuple[IPNetwork, ...] = ()
    any: bool = False
    exact: bool = True

    def match(self, address: IPAddress) -> bool | None:
        """True if the set holds `address`, False if it surely does not, None if unknown."""
        if self.any or any(address in network for network in self.networks):
            return True
        return False if self.exact else None


ANY_ADDRESS = AddressSet(any=True)


@dataclass(frozen=True, slots=True)
class Service:
    """A protocol with optional port (or ICMP type) constraints.

    `protocol` is `ip` (every protocol), `tcp-udp`, a protocol name or a number as written.
    A port tuple of None means any port; ICMP types live in `destination_ports`.
    """

    protocol: str
    source_ports: tuple[PortRange, ...] | None = None
    destination_ports: tuple[PortRange, ...] | None = None
    exact: bool = True

    def match(self, protocol: str, port: int | None) -> bool | None:
        """Whether a flow of `protocol` to destination `port` falls under this service.

        Returns True, False, or None when it cannot be known (a source-port constraint,
        or an inexact service). A flow without a port does not match a port constraint.
        """
        if not self._protocol_matches(protocol):
            return False
        if self.destination_ports is not None and (
            port is None or not any(port in r for r in self.destination_ports)
        ):
            return False
        if self.source_ports is not None or not self.exact:
            return None
        return True

    def _protocol_matches(self, protocol: str) -> bool:
        mine = self.protocol.lower()
        if mine == "ip":
            return True
        theirs = protocol_number(protocol)
        if mine == "tcp-udp":
            return theirs in {6, 17}
        return theirs is not None and theirs == protocol_number(mine)


@dataclass(frozen=True, slots=True)
class AccessListEntry:
    """One extended (or standard) access-list entry, objects resolved.

    The entry matches a flow when one of `services` and both endpoints match. An `inactive`
    entry matches nothing; `exact=False` means some part could not be resolved.
    """

    acl: str
    action: Literal["permit", "deny"]
    services: tuple[Service, ...]
    source: AddressSet
    destination: AddressSet
    line: str
    log: bool = False
    inactive: bool = False
    exact: bool = True


@dataclass(frozen=True, slots=True)
class AccessList:
    """A named access list: entries in order, remarks kept only in `lines`."""

    name: str
    kind: Literal["standard", "extended", "other"]
    entries: tuple[AccessListEntry, ...]
    lines: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[AccessListEntry]:
        return iter(self.entries)
