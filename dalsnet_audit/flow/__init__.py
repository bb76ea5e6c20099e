"""Whether a firewall forwards a flow: ASA semantics over the parsed `FirewallPolicy`.

`decide` finds the ingress and egress interfaces (connected networks, then static routes,
longest match), checks the same-security settings, evaluates the inbound access list (the
interface's, then the global one) or, with none bound, the security levels, and then the
outbound access list of the egress interface. Rules call it per flow of the zone matrix.
"""

from __future__ import annotations

from dalsnet_audit.flow.acl import ace_matches
from dalsnet_audit.flow.decision import FlowDecision, decide
from dalsnet_audit.flow.routing import route_interface

__all__ = ["FlowDecision", "ace_matches", "decide", "route_interface"]
