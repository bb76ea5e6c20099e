"""Rule modules; importing this package registers every rule in `REGISTRY`."""

from dalsnet_audit.rules import (
    antivirus,
    connectivity,
    crypto,
    firewall,
    identity,
    ipplan,
    segmentation,
    standard,
    traceability,
)
from dalsnet_audit.rules.registry import REGISTRY, RuleSpec

__all__ = [
    "REGISTRY",
    "RuleSpec",
    "antivirus",
    "connectivity",
    "crypto",
    "firewall",
    "identity",
    "ipplan",
    "segmentation",
    "standard",
    "traceability",
]
