"""Operating-system versions of network devices, compared only within their family.

Written once, in the model's words, for the trains Dalslandsnätet runs:

- Cisco IOS: `15.2(7)E3` is major 15, minor 2, release 7, train `E`, rebuild 3. A release may
  carry a letter (`12.2(55)SE10`, `15.0(2a)SE`); a train is part of the family: `15.2(7)E3` and
  `15.2(4)M11` are two trains, and comparing them is an error, not an order.
- Cisco IOS-XE: `17.09.04a` is `17.9.4a`: zero padding is printing, and a letter is a rebuild
  that comes after the release without one (`17.9.4` < `17.9.4a` < `17.9.5`). The 3.x trains
  end in capitals (`03.06.05E` is `3.6.5E`, train `E`), and a train is part of the family.
- Cisco ASA: `9.16(4)12` is major 9, minor 16, maintenance 4, interim 12; `9.16(4)` is interim 0.

A text none of these reads is not a version (`parse_version` raises): a rule then says `error`,
never `pass`. netutils' loose comparison raises TypeError on mixed shapes and
`packaging.version` puts `17.9.4a` before `17.9.4`, so neither is used here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering

_IOS = re.compile(r"(\d+)\.(\d+)\((\d+)([a-z]?)\)([A-Z]*)(\d*)([a-z]?)")
_XE = re.compile(r"(\d+)\.(\d+)\.(\d+)([a-z]?)([A-Z]*)")
_ASA = re.compile(r"(\d+)\.(\d+)\((\d+)\)(\d*)")


class VersionError(ValueError):
    """A version text no family reads, or two versions of different families compared."""


def _letter(text: str) -> int:
    """`a` is 1, `b` 2 ...; none is 0 (the release before its rebuilds)."""
    return ord(text) - ord("a") + 1 if text else 0


@total_ordering
@dataclass(frozen=True, slots=True)
class OsVersion:
    """A version of one family (`ios E`, `ios-xe`, `asa`), ordered within that family."""

    family: str
    key: tuple[int, ...]
    text: str

    def _same_family(self, other: object) -> OsVersion:
        if not isinstance(other, OsVersion):
            raise TypeError(f"cannot compare a version with {type(other).__name__}")
        if other.family != self.family:
            raise VersionError(
                f"{self.text} ({self.family}) and {other.text} ({other.family}) are of "
                "different families"
            )
        return other

    def __lt__(self, other: object) -> bool:
        return self.key < self._same_family(other).key

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OsVersion):
            return NotImplemented
        return self.family == other.family and self.key == other.key

    def __hash__(self) -> int:
        return hash((self.family, self.key))

    def __str__(self) -> str:
        return self.text


def parse_version(family: str, text: str) -> OsVersion:
    """`text` as a version of `family` (`ios`, `ios-xe` or `asa`).

    Raises:
        VersionError: the text is not a version of that family.
    """
    written = text.strip()
    if family == "ios":
        match = _IOS.fullmatch(written)
        if match:
            major, minor, release, letter, train, rebuild, sub = match.groups()
            numbers = (int(major), int(minor), int(release), _letter(letter), int(rebuild or 0))
            return OsVersion(f"ios {train}", (*numbers, _letter(sub)), written)
    elif family == "ios-xe":
        match = _XE.fullmatch(written)
        if match:
            major, minor, maintenance, letter, train = match.groups()
            xe = (int(major), int(minor), int(maintenance), _letter(letter))
            family_name = f"ios-xe {train}" if train else "ios-xe"
            return OsVersion(family_name, xe, f"{xe[0]}.{xe[1]}.{xe[2]}{letter}{train}")
    elif family == "asa":
        match = _ASA.fullmatch(written)
        if match:
            major, minor, maintenance, interim = match.groups()
            asa = (int(major), int(minor), int(maintenance), int(interim or 0))
            return OsVersion("asa", asa, written)
    else:
        raise VersionError(f"no version family {family!r}")
    raise VersionError(f"{text!r} is not a {family} version")
