"""Where a line of evidence comes from: its file in the snapshot and its line number.

An output handed to a parser is an `ArchivedText`, a `str` that knows the snapshot file it is
archived in, as a template of the host (`configs/{host}.cfg`, `show/{host}/show_ip_ssh.txt`).
Its lines, as `parse.blocks.device_lines` cuts them, are `SourceLine`s: a `str` that knows its
file and its line number; `reading` gives the same line with other text (masked, stripped).
Every `str` operation on it (a strip, a split, an f-string) gives a plain `str`, a value
derived from the line: a parser that keeps a line for evidence keeps the `SourceLine` (or its
`reading`). So the evidence of a finding is a device line exactly when it is a `SourceLine`;
anything else a report shows as derived.

A `SourceLine` costs no more memory than the `str` it is: the file and the number are
attributes of its class, one class per (file, number) made once and shared by every device
(a per-instance dict would cost some 500 bytes a line, about 700 MB for 2000 configurations).
"""

from __future__ import annotations

from typing import Any, ClassVar

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
    """One line of an archived output: its file (`origin`) and its 1-based line number."""

    __slots__ = ()
    origin: ClassVar[str]
    number: ClassVar[int]

    def __reduce__(self) -> tuple[Any, ...]:
        return (line_at, (str(self), self.origin, self.number))

    def reading(self, text: str) -> SourceLine:
        """The same line of the same file, reading `text` (its masked or stripped form)."""
        return str.__new__(type(self), text)

    def file(self, host: str) -> str:
        """The line's file in the snapshot of `host`'s audit."""
        return self.origin.replace(HOST, host)


_KINDS: dict[tuple[str, int], type[SourceLine]] = {}


def _kind(origin: str, number: int) -> type[SourceLine]:
    kind = _KINDS.get((origin, number))
    if kind is None:
        kind = _KINDS[(origin, number)] = type(
            "SourceLine", (SourceLine,), {"__slots__": (), "origin": origin, "number": number}
        )
    return kind


def line_at(text: str, origin: str, number: int) -> SourceLine:
    """Line `number` of `origin`, reading `text`."""
    return str.__new__(_kind(origin, number), text)


_LADDERS: dict[str, list[type[SourceLine]]] = {}


def ladder(origin: str, count: int) -> list[type[SourceLine]]:
    """The classes of lines 1..`count` (at least) of `origin`: index 0 is line 1."""
    kinds = _LADDERS.setdefault(origin, [])
    for number in range(len(kinds) + 1, count + 1):
        kinds.append(_kind(origin, number))
    return kinds


def numbered(lines: list[str], origin: str) -> list[str]:
    """`lines` of `origin` as `SourceLine`s, numbered from 1 (the parse path's hot loop)."""
    make = str.__new__
    return [make(kind, text) for kind, text in zip(ladder(origin, len(lines)), lines, strict=False)]


def same_file(original: str, text: str) -> str:
    """`text` (a line-for-line rewrite of `original`) archived where `original` is."""
    origin = getattr(original, "origin", None)
    return text if origin is None else ArchivedText(text, origin)


def quoted(host: str, line: str) -> str:
    """`line` of `host` after the host's name (`host: line`), still its line of its file."""
    text = f"{host}: {line}"
    if isinstance(line, SourceLine):
        return line_at(text, line.file(host), line.number)
    return text


def source_of(line: str, host: str) -> tuple[str, int] | None:
    """The line's file and number in `host`'s snapshot, None for a derived value."""
    if isinstance(line, SourceLine):
        return line.file(host), line.number
    return None
