"""Policies: the plan, matrix and standards of `policies/*.yaml`, validated on load."""

from dalsnet_audit.policy.load import load_policy
from dalsnet_audit.policy.models import Policy

__all__ = ["Policy", "load_policy"]
