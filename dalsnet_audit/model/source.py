"""Where a line of evidence comes from: its file in the snapshot and its line number.

An output handed to a parser is an `ArchivedText`, a `str` that knows the snapshot file it is
archived in, as a template of the host (`configs/{host}.cfg`, `show/{host}/show_ip_ssh.txt`).
The parser keeps, beside the model, each kept line's number (`LineSource`): the very `str`
objects the model holds, in one tuple, and their numbers in an array. That costs some 12 bytes
a line and no object per line (a `str` subclass per line would be tracked by the cyclic
garbage collector, which measured a third of the audit's time).

When a rule cites a line as evidence, the judge looks the object up (`Citations`, by
identity, so two equal lines of two blocks keep their own numbers) and turns it into a
`SourceLine`, a `str` that knows its file and number; `reading` gives the same line with
other text (masked). A value the parser derived (a split, an f-string) is no line of the
index: it stays a plain `str`, which a report shows as derived.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

HOST = "{host}"
CONFIG_FILE = f"configs/{HOST}.cfg"


def show_file(slug: str) -> str:
    """The snapshot file (template) of a show command's output (interfaces.md)."""
    return f"show/{HOST}/{slug}.txt"


def config_file(host: str) -> str:
    """The snapshot file of a host's running configuration (interfaces.md)."""
    return CONFIG_FILE.replace(HOST, host)


class ArchivedText(str):
    """A device's output and the snapshot file it is archived in (`configs/{host}.cfg`)."""

    origin: str

    def __new__(cls, text: str, origin: str) -> ArchivedText:
        """`text`, archived as `origin` (a file, `{host}` standing for the host's name)."""
        made = super().__new__(cls, text)
        made.origin = origin
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (ArchivedText, (str(self), self.origin))


class SourceLine(str):
    """One line of an archived output: its file (`origin`) and its 1-based line number.

    Made only for evidence (a finding's handful of lines), never for every line parsed.
    """

    origin: str
    number: int

    def __new__(cls, text: str, origin: str, number: int) -> SourceLine:
        """Line `number` of `origin`, reading `text`."""
        made = super().__new__(cls, text)
        made.origin = origin
        made.number = number
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (SourceLine, (str(self), self.origin, self.number))

    def reading(self, text: str) -> SourceLine:
        """The same line of the same file, reading `text` (its masked form)."""
        return SourceLine(text, self.origin, self.number)

    def file(self, host: str) -> str:
        """The line's file in the snapshot of `host`'s audit."""
        return self.origin.replace(HOST, host)


def line_at(text: str, origin: str, number: int) -> SourceLine:
    """Line `number` of `origin`, reading `text`."""
    return SourceLine(text, origin, number)


@dataclass(frozen=True, slots=True)
class LineSource:
    """The lines a parser kept from one output (the objects the model holds) and their numbers."""

    origin: str
    lines: tuple[str, ...]
    numbers: array[int]

    @classmethod
    def of(cls, origin: str, numbered: Iterable[tuple[int, str]]) -> LineSource:
        """From (number, line) pairs of `origin`."""
        pairs = list(numbered)
        return cls(origin, tuple(line for _, line in pairs), array("I", (n for n, _ in pairs)))


class Citations:
    """Which kept line an evidence `str` is, by identity: its file and number, or none."""

    __slots__ = ("_index", "_sources")

    def __init__(self, sources: Iterable[LineSource]) -> None:
        """Citations of the lines of `sources` (indexed on the first lookup)."""
        self._sources = tuple(sources)
        self._index: list[tuple[str, dict[int, int]]] | None = None

    def _place(self, line: str) -> tuple[str, int] | None:
        # By identity: two equal lines of two blocks keep their own numbers. The index is
        # built in C (`zip`, `map`), once per device and only when a rule cites a line.
        if self._index is None:
            self._index = [
                (source.origin, dict(zip(map(id, source.lines), source.numbers, strict=True)))
                for source in self._sources
            ]
        key = id(line)
        for origin, numbers in self._index:
            number = numbers.get(key)
            if number is not None:
                return origin, number
        return None

    def cite(self, line: str, host: str | None = None) -> str:
        """`line` as a `SourceLine` when it is a kept line (of `host`'s files), else as it is."""
        if isinstance(line, SourceLine) or len(line) < 2:
            return line  # placed already; a one-character string may be a shared singleton
        place = self._place(line)
        if place is None:
            return line
        origin = place[0] if host is None else place[0].replace(HOST, host)
        return SourceLine(line, origin, place[1])


class Quote(str):
    """A line of another device, after its name (`host: line`): network-wide evidence.

    `bare`: the line as it is, for a network-wide finding that names the device itself.
    """

    host: str
    line: str
    bare: bool

    def __new__(cls, host: str, line: str, bare: bool = False) -> Quote:
        """`line` of `host`, reading `host: line` (or `line`, when `bare`)."""
        made = super().__new__(cls, line if bare else f"{host}: {line}")
        made.host = host
        made.line = line
        made.bare = bare
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (Quote, (self.host, self.line, self.bare))


def same_file(original: str, text: str) -> str:
    """`text` (a line-for-line rewrite of `original`) archived where `original` is."""
    origin = getattr(original, "origin", None)
    return text if origin is None else ArchivedText(text, origin)


def quoted(host: str, line: str) -> str:
    """`line` of `host` after the host's name (`host: line`); the judge finds its place."""
    return Quote(host, line)


def own_line(host: str, line: str) -> str:
    """`line` of `host`, as it is: a network-wide rule's evidence on a finding of `host`."""
    return Quote(host, line, bare=True)


def source_of(line: str, host: str) -> tuple[str, int] | None:
    """The line's file and number in `host`'s snapshot, None for a derived value."""
    if isinstance(line, SourceLine):
        return line.file(host), line.number
    return None
