"""Access-list matching: one entry against a flow, and first match over a list."""

from __future__ import annotations

from dataclasses import dataclass

from netaddr import IPAddress

from dalsnet_audit.model.firewall import AccessList, AccessListEntry


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
