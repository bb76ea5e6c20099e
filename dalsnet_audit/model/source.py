"""Where a line of evidence comes from: its file in the snapshot and its line number.

An output read from (or archived as) a snapshot file is an `ArchivedText`, a `str` that knows
its file (`configs/ben-01-sw01.cfg`, `show/ben-01-sw01/show_ip_ssh.txt`). Its lines, as
`parse.blocks.device_lines` cuts them, are `SourceLine`s: a `str` that knows its file and its
line number, and keeps them when it is stripped or masked. Every other operation on it (a
split, a slice, an f-string) gives a plain `str`: a fragment or a value derived from the line.
So the evidence of a finding is a config line exactly when it is a `SourceLine`; anything else
a report shows as derived.
"""

from __future__ import annotations

from typing import Any


class ArchivedText(str):
    """A device's output and the snapshot file it is archived in (relative to the snapshot)."""

    file: str

    def __new__(cls, text: str, file: str) -> ArchivedText:
        """`text`, archived as `file`."""
        made = super().__new__(cls, text)
        made.file = file
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (ArchivedText, (str(self), self.file))


class SourceLine(str):
    """One line of an archived output, its file and its 1-based line number."""

    file: str
    number: int

    def __new__(cls, text: str, file: str, number: int) -> SourceLine:
        """Line `number` of `file`, reading `text`."""
        made = super().__new__(cls, text)
        made.file = file
        made.number = number
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (SourceLine, (str(self), self.file, self.number))

    def reading(self, text: str) -> SourceLine:
        """The same line of the same file, reading `text` (its masked or stripped form)."""
        return SourceLine(text, self.file, self.number)

    def strip(self, chars: str | None = None) -> SourceLine:
        """Stripped, still the same line."""
        return self.reading(str.strip(self, chars))

    def lstrip(self, chars: str | None = None) -> SourceLine:
        """Left-stripped, still the same line."""
        return self.reading(str.lstrip(self, chars))

    def rstrip(self, chars: str | None = None) -> SourceLine:
        """Right-stripped, still the same line."""
        return self.reading(str.rstrip(self, chars))

    @property
    def where(self) -> str:
        """`file:number`."""
        return f"{self.file}:{self.number}"


def same_file(original: str, text: str) -> str:
    """`text` (a line-for-line rewrite of `original`) archived where `original` is."""
    file = getattr(original, "file", None)
    return text if file is None else ArchivedText(text, file)


def quoted(prefix: str, line: str) -> str:
    """`line` after `prefix` (`host: `), still its line of its file when it is one."""
    return line.reading(prefix + line) if isinstance(line, SourceLine) else prefix + line


def source_of(line: str) -> SourceLine | None:
    """The line's place in the snapshot, None for a derived value."""
    return line if isinstance(line, SourceLine) else None


def config_file(host: str) -> str:
    """The snapshot file of a host's running configuration (interfaces.md)."""
    return f"configs/{host}.cfg"


def show_file(host: str, slug: str) -> str:
    """The snapshot file of a host's show-command output (interfaces.md)."""
    return f"show/{host}/{slug}.txt"
