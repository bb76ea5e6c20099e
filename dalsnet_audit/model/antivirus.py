"""The antivirus console's view of its agents, as the rules read it (parsed by parse.av_console)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ConsoleRow:
    """One agent the console knows."""

    hostname: str
    product: str
    signature_date: dt.date | None
    engine_version: str | None
    line_number: int
    line: str

    @property
    def key(self) -> str:
        """The host name as the inventory spells it: lower case, without a domain."""
        return normalise_hostname(self.hostname)


@dataclass(frozen=True, slots=True)
class ConsoleExport:
    """The parsed export: the readable rows and the reasons the others were not."""

    source: str
    rows: tuple[ConsoleRow, ...]
    problems: tuple[tuple[int, str], ...] = field(default=())
    encoding: str = "utf-8"

    @property
    def label(self) -> str:
        """The source as evidence names it, with the encoding when it was not UTF-8."""
        return (
            self.source if self.encoding.startswith("utf-8") else f"{self.source} ({self.encoding})"
        )

    def rows_for(self, hostname: str) -> list[ConsoleRow]:
        """Rows of one host (by normalised name)."""
        key = normalise_hostname(hostname)
        return [row for row in self.rows if row.key == key]


def normalise_hostname(name: str) -> str:
    """`BEN-01-SRV01.dalsland.se` -> `ben-01-srv01`."""
    return name.strip().lower().split(".", 1)[0]
