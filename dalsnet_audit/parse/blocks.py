"""Cisco-style configuration text as top-level blocks (a command and the lines indented under it).

netutils' `IOSConfigParser`/`ASAConfigParser` give the same structure, and a test pins the
two together on every real and reference configuration; they cost about 5 ms on a 700-line
switch configuration, which a live audit of hundreds of devices pays on top of its SSH
sessions (benchmarks/live.py), while this single pass costs about 0.3 ms.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from dalsnet_audit.model.source import LineSource


@dataclass(frozen=True, slots=True)
class Block:
    """A top-level configuration line and every line indented under it."""

    header: str
    children: tuple[str, ...]
    first: int = 0  # the header's line number
    # The numbers of header and children where they are not consecutive from `first` (a
    # banner's blank lines, a comment inside a block); None where they are (nearly always).
    scattered: tuple[int, ...] | None = None

    @property
    def numbers(self) -> Sequence[int]:
        """The line numbers of header and children, in order."""
        if self.scattered is not None:
            return self.scattered
        return range(self.first, self.first + 1 + len(self.children))

    @property
    def lines(self) -> tuple[str, ...]:
        """Header and children as the device prints them."""
        return (self.header, *self.children)

    def child_args(self, keyword: str) -> list[list[str]]:
        """Arguments of every direct child line starting with `keyword` (words after it)."""
        found = []
        size = len(keyword.split())
        for child in self.children:
            words = child.split()
            if " ".join(words[:size]) == keyword:
                found.append(words[size:])
        return found


_COMMENTS = {"ios": ("!",), "asa": ("!", ":")}


_LINE_END = re.compile(r"\r?\n")


def device_lines(text: str) -> list[str]:
    """The lines of a device's output: they end at LF or CR LF only.

    `str.splitlines` also breaks at a form feed, U+2028 or U+0085 inside a line, which a
    description may hold: the rest of the line would become a command of its own.
    """
    lines = _LINE_END.split(text)
    return lines[:-1] if lines and lines[-1] == "" else lines


def last_line(text: str) -> str:
    """The last non-blank line of `text`, stripped (`end` of a complete configuration).

    The same as the last of `device_lines(text)` that is not blank, without splitting it all.
    """
    return text.rstrip().rpartition("\n")[2].strip()


def line_source(text: str, blocks: list[Block]) -> LineSource | None:
    """The kept lines of `blocks` and their numbers, when `text` is an archived output."""
    origin = getattr(text, "origin", None)
    if origin is None:
        return None
    lines: list[str] = []
    numbers = array("I")
    for block in blocks:
        lines.append(block.header)
        lines.extend(block.children)
        numbers.extend(block.numbers)
    return LineSource(origin, tuple(lines), numbers)


def _banner_delimiter(header: str) -> str | None:
    """The delimiter of a multi-line `banner <kind> <delimiter>` header, None if one line."""
    words = header.split(None, 2)
    if len(words) < 3:
        return None
    text = words[2]
    delimiter = "^C" if text.startswith("^C") else text[0]
    rest = text[len(delimiter) :]
    return None if delimiter in rest else delimiter


def config_blocks(text: str, syntax: str) -> list[Block]:
    """Split configuration `text` into top-level blocks.

    Blank lines and comments (`!`, and ASA's `:` lines) are dropped; a banner's text lines
    (which are not indented) are the children of its `banner` line, up to its delimiter.

    Args:
        text: The configuration as the device prints it (LF line endings).
        syntax: `ios` or `asa`.
    """
    comments = _COMMENTS[syntax]
    blocks: list[Block] = []
    header: str | None = None
    children: list[str] = []
    first = following = 0  # the header's number, the number the next child has if consecutive
    scattered: list[int] | None = None

    def add(line: str, number: int) -> None:
        nonlocal following, scattered
        if number != following and scattered is None:
            scattered = list(range(first, following))
        if scattered is not None:
            scattered.append(number)
        children.append(line)
        following = number + 1

    def close() -> None:
        if header is not None:
            numbers = None if scattered is None else tuple(scattered)
            blocks.append(Block(header, tuple(children), first, numbers))

    lines = enumerate(device_lines(text), start=1)
    for number, raw in lines:
        line = raw.rstrip()
        stripped = line.lstrip()
        if not stripped or stripped.startswith(comments):
            continue
        if line[0] in " \t":
            if header is not None:
                if number == following and scattered is None:
                    children.append(line)
                    following += 1
                else:
                    add(line, number)
            continue
        close()
        header, children, first, following, scattered = line, [], number, number + 1, None
        if syntax == "ios" and line.startswith("banner "):
            delimiter = _banner_delimiter(line)
            if delimiter is not None:
                for banner_number, banner_line in lines:
                    if banner_line.strip():
                        add(banner_line.rstrip(), banner_number)
                    if delimiter in banner_line:
                        break
    close()
    return blocks
