"""`decide`: the ASA's verdict on one flow, with the interface pair and the deciding line."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from netaddr import IPAddress

from dalsnet_audit.flow.acl import first_match
from dalsnet_audit.flow.routing import route_interface
from dalsnet_audit.model.acl import AccessList
from dalsnet_audit.model.device import DeviceConfig
from dalsnet_audit.model.firewall import FirewallPolicy


@dataclass(frozen=True, slots=True)
class FlowDecision:
    """Whether the firewall forwards a flow, through which interfaces, and why.

    `line` is the access-list entry that decided (None for an implicit verdict: the
    security levels, the implicit deny, a missing route). `exact` is False when an entry the
    parser could not fully resolve decided or might have decided.
    """

    action: Literal["permit", "deny"]
    ingress: str | None
    egress: str | None
    line: str | None
    reason: str
    exact: bool = True


@dataclass(frozen=True, slots=True)
class _Flow:
    source: IPAddress
    destination: IPAddress
    protocol: str
    port: int | None


def decide(
    config: DeviceConfig,
    source: IPAddress,
    destination: IPAddress,
    protocol: str,
    port: int | None,
) -> FlowDecision:
    """Whether the firewall `config` forwards a flow, with ASA semantics.

    Ingress is the interface whose connected network holds the source, else the interface of
    the longest matching static route; egress likewise for the destination. Traffic between
    two interfaces of equal security level needs `same-security-traffic permit
    inter-interface`, traffic back out of its ingress interface `... intra-interface`. The
    inbound access list of the ingress interface is evaluated first, then the global one
    (first match wins, implicit deny after the last); with neither bound, traffic may go
    from a higher to a lower (or equal) security level only. A permitted flow then meets the
    outbound access list of the egress interface, if one is bound.

    Args:
        config: A parsed firewall configuration (its `firewall` must be set).
        source: Source address.
        destination: Destination address.
        protocol: `tcp`, `udp`, `icmp`, `ip`, another protocol name or a number.
        port: Destination port (ICMP type for icmp), None when the flow has none.

    Returns:
        The decision.

    Raises:
        ValueError: `config` carries no firewall policy (not parsed by a firewall parser).
    """
    policy = config.firewall
    if policy is None:
        raise ValueError(f"{config.hostname or 'device'}: no firewall policy was parsed")
    ingress = route_interface(policy, source)
    if ingress is None:
        return FlowDecision("deny", None, None, None, f"no interface or route holds {source}")
    egress = route_interface(policy, destination)
    if egress is None:
        return FlowDecision(
            "deny", ingress.nameif, None, None, f"no interface or route holds {destination}"
        )
    blocked = _structural_block(policy, ingress.nameif, egress.nameif)
    if blocked is not None:
        return FlowDecision("deny", ingress.nameif, egress.nameif, None, blocked)
    flow = _Flow(source, destination, protocol, port)
    inbound = _inbound(policy, ingress.nameif, egress.nameif, flow)
    if inbound.action == "deny":
        return inbound
    return _outbound(policy, inbound, egress.nameif, flow)


def _level(policy: FirewallPolicy, nameif: str) -> int:
    level = policy.interfaces[nameif].security_level
    return 0 if level is None else level


def _structural_block(policy: FirewallPolicy, ingress: str, egress: str) -> str | None:
    """Why the interface pair alone stops the flow, or None."""
    for nameif in (ingress, egress):
        if policy.interfaces[nameif].management_only:
            return f"{nameif} is management-only: it forwards no through traffic"
    if ingress == egress:
        if not policy.same_security_intra:
            return f"in and out of {ingress} needs 'same-security-traffic permit intra-interface'"
        return None
    if _level(policy, ingress) == _level(policy, egress) and not policy.same_security_inter:
        return (
            f"{ingress} and {egress} share security level {_level(policy, ingress)} without "
            "'same-security-traffic permit inter-interface'"
        )
    return None


def _acl(policy: FirewallPolicy, name: str) -> tuple[AccessList, bool]:
    """The access list `name`; an undefined one reads as empty and inexact."""
    acl = policy.acls.get(name)
    if acl is None:
        return AccessList(name, "extended", ()), False
    return acl, True


def _inbound(policy: FirewallPolicy, ingress: str, egress: str, flow: _Flow) -> FlowDecision:
    bound = [
        (name, where)
        for name, where in (
            (policy.bound("in", ingress), f"in on {ingress}"),
            (policy.bound("global", None), "global"),
        )
        if name is not None
    ]
    if not bound:
        return _security_levels(policy, ingress, egress)
    exact = True
    for name, where in bound:
        acl, known = _acl(policy, name)
        verdict = first_match(acl, flow.source, flow.destination, flow.protocol, flow.port)
        exact = exact and known and verdict.exact
        if verdict.entry is not None:
            entry = verdict.entry
            reason = f"{entry.action} by access-list {name} ({where})"
            return FlowDecision(entry.action, ingress, egress, entry.line, reason, exact)
    name, where = bound[-1]
    reason = f"implicit deny at the end of access-list {name} ({where})"
    return FlowDecision("deny", ingress, egress, None, reason, exact)


def _security_levels(policy: FirewallPolicy, ingress: str, egress: str) -> FlowDecision:
    high, low = _level(policy, ingress), _level(policy, egress)
    levels = f"no access list bound; security level {high} ({ingress}) to {low} ({egress})"
    if ingress == egress:
        return FlowDecision("permit", ingress, egress, None, f"{levels}: intra-interface permitted")
    if high > low:
        return FlowDecision("permit", ingress, egress, None, f"{levels}: higher to lower")
    if high == low:
        return FlowDecision(
            "permit", ingress, egress, None, f"{levels}: equal, inter-interface permitted"
        )
    return FlowDecision("deny", ingress, egress, None, f"{levels}: lower to higher")


def _outbound(
    policy: FirewallPolicy, inbound: FlowDecision, egress: str, flow: _Flow
) -> FlowDecision:
    name = policy.bound("out", egress)
    if name is None:
        return inbound
    acl, known = _acl(policy, name)
    verdict = first_match(acl, flow.source, flow.destination, flow.protocol, flow.port)
    exact = inbound.exact and known and verdict.exact
    where = f"access-list {name} (out on {egress})"
    if verdict.entry is None:
        return replace(
            inbound,
            action="deny",
            line=None,
            reason=f"{inbound.reason}; implicit deny at the end of {where}",
            exact=exact,
        )
    entry = verdict.entry
    if entry.action == "deny":
        reason = f"{inbound.reason}; deny by {where}"
        return replace(inbound, action="deny", line=entry.line, reason=reason, exact=exact)
    return replace(
        inbound,
        line=inbound.line or entry.line,
        reason=f"{inbound.reason}; permit by {where}",
        exact=exact,
    )
