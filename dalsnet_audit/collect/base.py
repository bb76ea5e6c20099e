"""The collector contract: raw outputs of hosts (`RawDevice`), never parsed here."""

from __future__ import annotations

from typing import Protocol

from dalsnet_audit.model.device import HostRecord
from dalsnet_audit.model.raw import RawDevice, command_slug


class Collector(Protocol):
    """Raw outputs of inventory hosts; never parses, never raises for one host's failure."""

    def collect_raw(self, hosts: list[HostRecord]) -> dict[str, RawDevice]:
        """The raw data of every host of `hosts`, by name."""
        ...


__all__ = ["Collector", "RawDevice", "command_slug"]
