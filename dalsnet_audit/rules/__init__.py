"""Rule modules; importing this package registers every rule in `REGISTRY`."""

from dalsnet_audit.rules import antivirus, crypto, ipplan, segmentation, standard
from dalsnet_audit.rules.registry import REGISTRY, RuleSpec

__all__ = ["REGISTRY", "RuleSpec", "antivirus", "crypto", "ipplan", "segmentation", "standard"]
