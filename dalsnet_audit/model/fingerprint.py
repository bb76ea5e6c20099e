"""A finding's stable identity: rule, device, what it found and the object it concerns.

Never the message's wording or the evidence: rewording a message, or a line moving in the
configuration, must not make a finding "new". The object is named by the message parameters
that name things (an interface, a line range, a zone pair, an account, a VLAN); parameters
that describe the state (counts, ages, versions, the weak algorithms found) are left out, so a
finding that gets worse or better stays the same finding.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, Final

from dalsnet_audit.model.finding import Finding

# Message parameters that name the object a finding concerns.
IDENTITY_PARAMS: Final = frozenset(
    {
        "access_vlan",
        "acl",
        "address",
        "block",
        "destination",
        "egress",
        "group",
        "host",
        "interface",
        "kind",
        "line",
        "municipality",
        "name",
        "other_interface",
        "other_zone",
        "profile",
        "proposal",
        "role",
        "site",
        "subnet",
        "transform_set",
        "tunnel_group",
        "user",
        "vlan",
        "vlan_role",
        "voice_vlan",
        "vrf",
        "where",
        "zone",
    }
)


def subject(params: Mapping[str, Any]) -> str:
    """The object a finding concerns, from its message's naming parameters (sorted)."""
    return ";".join(f"{k}={params[k]}" for k in sorted(params) if k in IDENTITY_PARAMS)


def fingerprint(finding: Finding) -> str:
    """16 hex digits of SHA-256 over rule, device, the outcome's message key and the subject."""
    identity = "\x1f".join(
        (finding.rule, finding.device, finding.message.key, subject(finding.message.params))
    )
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:16]


def evidence_digest(finding: Finding) -> str:
    """16 hex digits of SHA-256 over the (masked) evidence: what a waiver approved."""
    return hashlib.sha256("\n".join(finding.evidence).encode("utf-8")).hexdigest()[:16]
