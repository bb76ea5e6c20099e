"""Access-list evaluation, one model for every platform.

First match for a flow (ASA flows, explain-flow) and for whole networks (SEG-002 on a router),
and who a list lets in (SEG-007).
"""

from __future__ import annotations

from dataclasses import dataclass

from netaddr import IPAddress, IPNetwork

from dalsnet_audit.model.acl import AccessList, AccessListEntry, AddressSet


def _entry_match(
    ace: AccessListEntry,
    source: IPAddress,
    destination: IPAddress,
    protocol: str,
    port: int | None,
) -> bool | None:
    """True or False when known, None when an unresolved part leaves it open."""
    if ace.inactive:
        return False
    parts = [ace.source.match(source), ace.destination.match(destination)]
    services = [service.match(protocol, port) for service in ace.services]
    parts.append(True if True in services else (None if None in services else False))
    if False in parts:
        return False
    if None in parts or not ace.exact:
        return None
    return True


def ace_matches(
    ace: AccessListEntry,
    source: IPAddress,
    destination: IPAddress,
    protocol: str,
    port: int | None,
) -> bool:
    """Whether access-list entry `ace` applies to a flow.

    An inactive entry matches nothing. Where the entry is inexact and its resolved parts do
    not decide, a permit is taken to match and a deny not to, so doubt never hides a flow.

    Args:
        ace: The entry.
        source: Source address of the flow.
        destination: Destination address of the flow.
        protocol: `tcp`, `udp`, `icmp`, `ip`, another protocol name or a number.
        port: Destination port (ICMP type for icmp), or None when the flow has none; a flow
            without a port never matches an entry that constrains the port.

    Returns:
        True when the entry applies.
    """
    found = _entry_match(ace, source, destination, protocol, port)
    if found is None:
        return ace.action == "permit"
    return found


@dataclass(frozen=True, slots=True)
class AclVerdict:
    """The first entry of an access list that applies, if any.

    `exact` is False when an inexact entry decided, or an inexact entry before it might have
    applied.
    """

    entry: AccessListEntry | None
    exact: bool


def first_match(
    acl: AccessList,
    source: IPAddress,
    destination: IPAddress,
    protocol: str,
    port: int | None,
) -> AclVerdict:
    """The first entry of `acl` that applies to the flow (None: the implicit deny)."""
    exact = True
    for ace in acl.entries:
        found = _entry_match(ace, source, destination, protocol, port)
        if found is None:
            exact = False
            if ace.action == "permit":
                return AclVerdict(ace, exact)
        elif found:
            return AclVerdict(ace, exact)
    return AclVerdict(None, exact)


def _overlaps(addresses: AddressSet, network: IPNetwork) -> bool:
    """Whether some address of `network` may be in the set (an unknown set may hold any)."""
    if addresses.any or not addresses.exact:
        return True
    return any(n.first <= network.last and network.first <= n.last for n in addresses.networks)


def _covers(addresses: AddressSet, network: IPNetwork) -> bool:
    """Whether every address of `network` is surely in the set."""
    return addresses.any or any(network in n for n in addresses.networks)


def first_permit_between(
    acl: AccessList, source: IPNetwork, destination: IPNetwork
) -> AccessListEntry | None:
    """The first entry letting some packet from `source` to `destination` through, if any.

    First match over whole networks, as SEG-002 asks of a router's interface list: a permit
    decides as soon as it may apply to part of the traffic; a deny ends the search only when it
    surely covers both networks for every protocol. Doubt never hides an open path: an inexact
    permit applies, an inexact deny does not.
    """
    for entry in acl.entries:
        if entry.inactive or (entry.action == "deny" and not entry.exact):
            continue
        if not (_overlaps(entry.source, source) and _overlaps(entry.destination, destination)):
            continue
        if entry.action == "permit":
            return entry
        every_protocol = any(service.protocol == "ip" for service in entry.services)
        if (
            every_protocol
            and _covers(entry.source, source)
            and _covers(entry.destination, destination)
        ):
            return None
    return None


def sources_beyond(acl: AccessList, allowed: list[IPNetwork]) -> list[AccessListEntry]:
    """Permit entries whose source may reach beyond the `allowed` networks."""
    return [
        entry
        for entry in acl.entries
        if entry.action == "permit"
        and (
            entry.source.any
            or not entry.source.exact
            or any(not any(n in net for net in allowed) for n in entry.source.networks)
        )
    ]
