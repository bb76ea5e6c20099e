"""Deterministic generator of the reference Dalslandsnätet (46 hosts) and its snapshot.

Run ``python -m dalsnet_audit.lab.refnet --snapshot snapshots/reference --inventory inventory``.
"""

from dalsnet_audit.lab.refnet.build import build_reference, synthetic_configs, write_reference
from dalsnet_audit.lab.refnet.render import render_asa_config, render_ios_config

__all__ = [
    "build_reference",
    "render_asa_config",
    "render_ios_config",
    "synthetic_configs",
    "write_reference",
]
