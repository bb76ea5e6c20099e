"""dalsnet-audit: compliance auditor for Dalslandsnätet."""

__version__ = "0.1.0"
