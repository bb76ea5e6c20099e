"""Ages the rules judge (signatures, backups, certificates, end of support), as of the audit.

A date after the moment the data describes is no proof of anything: the device's clock or
the export is wrong. Every age goes through `days_old`, which refuses such a date, so that no
rule can turn a date in 2099 into "-26698 days old" and a pass.
"""

from __future__ import annotations

import datetime as dt


class FutureDateError(ValueError):
    """A date lies after the audit's time."""

    def __init__(self, day: dt.date, as_of: dt.datetime) -> None:
        self.day = day
        self.as_of = as_of
        super().__init__(f"{day.isoformat()} is after {as_of.date().isoformat()}")


def days_old(day: dt.date, as_of: dt.datetime) -> int:
    """Whole days from `day` to the audit's date.

    Raises:
        FutureDateError: `day` is after `as_of`'s date.

    >>> days_old(dt.date(2026, 11, 23), dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC))
    3
    """
    age = (as_of.date() - day).days
    if age < 0:
        raise FutureDateError(day, as_of)
    return age
