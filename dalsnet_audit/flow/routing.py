"""Which interface (nameif) an address lies behind: connected networks and static routes."""

from __future__ import annotations

from dataclasses import dataclass

from netaddr import IPAddress

from dalsnet_audit.model.firewall import FirewallPolicy


@dataclass(frozen=True, slots=True)
class RouteMatch:
    """The interface an address is reached through, and why (`connected NET` or the route)."""

    nameif: str
    via: str


def route_interface(policy: FirewallPolicy, address: IPAddress) -> RouteMatch | None:
    """The nameif that `address` is reached through, by longest match.

    Connected networks of enabled interfaces and static routes (default route included) form
    one table; at equal prefix length a connected network wins, as its distance is 0.

    Args:
        policy: The firewall's policy.
        address: The address to look up.

    Returns:
        The interface and the reason, or None when nothing covers the address.
    """
    candidates: list[tuple[int, int, str, str]] = []
    for nameif, interface in policy.interfaces.items():
        if not interface.is_enabled:
            continue
        for network in policy.connected(nameif):
            if network.version == address.version and address in network:
                candidates.append((network.prefixlen, 1, nameif, f"connected {network}"))
    for route in policy.routes:
        if route.interface is None:
            continue  # a firewall route always names its interface; no guess otherwise
        exit_interface = policy.interfaces.get(route.interface)
        if exit_interface is None or not exit_interface.is_enabled:
            continue
        if route.prefix.version == address.version and address in route.prefix:
            candidates.append((route.prefix.prefixlen, 0, route.interface, route.line))
    if not candidates:
        return None
    _, _, nameif, via = max(candidates, key=lambda c: (c[0], c[1]))
    return RouteMatch(nameif, via)
