"""What collectors deliver and the normalise step reads: one host's raw outputs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dalsnet_audit.model.enums import CollectStatus

# Where a snapshot keeps the antivirus console's export (interfaces.md); evidence names it so.
CONSOLE_FILE = "av/console.csv"


def command_slug(command: str) -> str:
    """File name of a show command in a snapshot: non-alphanumerics become `_`."""
    return re.sub(r"[^0-9A-Za-z]", "_", command.strip())


@dataclass(frozen=True, slots=True)
class RawDevice:
    """Raw data of one host as collected (or read from a snapshot).

    Attributes:
        config: Running configuration text, if collected.
        shows: Show-command outputs by slug (`show_version`).
        snmprec: SNMP data in snmpsim's `.snmprec` format, if collected.
        status: Collect status; anything but `audited` means the host is not audited.
        error: The reason when the status is not `audited`.
        getters: NAPALM getter results (archived beside the raw outputs; verdicts are taken
            from the raw outputs so that an archived night re-audits identically).
    """

    config: str | None = None
    shows: dict[str, str] = field(default_factory=dict)
    snmprec: str | None = None
    status: CollectStatus = CollectStatus.AUDITED
    error: str | None = None
    getters: dict[str, Any] = field(default_factory=dict)
    commands: dict[str, str] = field(default_factory=dict)
