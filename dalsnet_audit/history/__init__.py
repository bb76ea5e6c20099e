"""The history store: every audit's run, devices and findings, in SQLite or PostgreSQL."""

from dalsnet_audit.errors import HistoryError
from dalsnet_audit.history.store import HistoryStore, RunSummary, default_location

__all__ = ["HistoryError", "HistoryStore", "RunSummary", "default_location"]
