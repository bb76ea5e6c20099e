"""The report's finding rows on disk: a large audit does not hold them in memory.

An audit of ten thousand devices makes hundreds of thousands of finding rows (most of them
passes); held as dicts they cost more than everything else together. `FindingRows` writes each
device's rows to a temporary JSON Lines file as the device is judged and reads them back, in
inventory order, whenever a writer iterates them. Rows that can only be made at the end (a
failure a waiver may still cover, an error, a network-wide finding) are marked in their place
and filled in by `finish`. It reads like the list it replaces (`len`, iteration, truth); a row
changed after the run (first seen, from the history) is changed with `update`.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

HELD = "\x00held"  # the line of a row made by `finish`


def _line(row: Mapping[str, Any]) -> bytes:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


class FindingRows:
    """Finding rows in inventory order, spooled to a temporary file."""

    def __init__(self, directory: Path | None = None) -> None:
        """An empty spool in `directory` (the system's temporary directory by default)."""
        self._file = _spool(directory)
        self._held: IO[bytes] | None = None
        self._segments: list[tuple[int, int, int]] = []  # (order, offset, count)
        self._count = 0

    # Writing ----------------------------------------------------------------------------------

    def add(self, order: int, rows: Iterable[Mapping[str, Any] | None]) -> None:
        """The rows of one device (`order`: its place in the inventory); None is held back."""
        self._file.seek(0, os.SEEK_END)
        offset, count = self._file.tell(), 0
        for row in rows:
            self._file.write(HELD.encode() + b"\n" if row is None else _line(row))
            count += 1
        self._segments.append((order, offset, count))
        self._count += count

    def add_lines(self, order: int, lines: bytes, count: int) -> None:
        """The rows of one device as `encode_rows` made them (here, or on a Dask worker)."""
        self._file.seek(0, os.SEEK_END)
        offset = self._file.tell()
        self._file.write(lines)
        self._segments.append((order, offset, count))
        self._count += count

    def finish(self, held: Iterable[Mapping[str, Any]], tail: Iterable[Mapping[str, Any]]) -> None:
        """The held rows, in the order they are held, and the rows after every device's."""
        self._held = _spool(Path(self._file.name).parent)
        for row in held:
            self._held.write(_line(row))
        last = max((order for order, _, _ in self._segments), default=-1)
        self.add(last + 1, tail)

    def update(self, change: Callable[[dict[str, Any]], None]) -> None:
        """Change every row in place (`change` edits the dict it is given)."""
        rewritten = _spool(Path(self._file.name).parent)
        held: IO[bytes] | None = _spool(Path(self._file.name).parent) if self._held else None
        segments = []
        for order, rows in self._by_segment():
            offset = rewritten.tell()
            count = 0
            for row, was_held in rows:
                change(row)
                if was_held and held is not None:
                    held.write(_line(row))
                    rewritten.write(HELD.encode() + b"\n")
                else:
                    rewritten.write(_line(row))
                count += 1
            segments.append((order, offset, count))
        self._file.close()
        self._file, self._segments = rewritten, segments
        if self._held is not None:
            self._held.close()
            self._held = held

    # Reading ----------------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for _, rows in self._by_segment():
            for row, _ in rows:
                yield row

    def _by_segment(self) -> Iterator[tuple[int, Iterator[tuple[dict[str, Any], bool]]]]:
        self._file.flush()
        held = _reader(self._held)
        with open(self._file.name, "rb") as source:  # noqa: PTH123 - a second handle to read
            for order, offset, count in sorted(self._segments, key=lambda s: s[0]):
                source.seek(offset)
                yield order, _segment(source, count, held)

    def close(self) -> None:
        """Remove the spool files."""
        for spool in (self._file, self._held):
            if spool is not None:
                spool.close()


def encode_rows(rows: Iterable[Mapping[str, Any] | None]) -> tuple[bytes, int]:
    """Rows as `FindingRows.add_lines` takes them: JSON lines (held ones marked), how many."""
    lines = [HELD.encode() + b"\n" if row is None else _line(row) for row in rows]
    return b"".join(lines), len(lines)


def _spool(directory: Path | None) -> IO[bytes]:
    # Deleted when closed (or when the process ends): a crash leaves no spool behind.
    return tempfile.NamedTemporaryFile(
        prefix="dalsnet-rows-", suffix=".jsonl", dir=directory, delete=True
    )


def _reader(spool: IO[bytes] | None) -> Iterator[dict[str, Any]]:
    if spool is None:
        return iter(())
    spool.flush()

    def rows() -> Iterator[dict[str, Any]]:
        with open(spool.name, "rb") as source:  # noqa: PTH123
            for line in source:
                yield json.loads(line)

    return rows()


def _segment(
    source: IO[bytes], count: int, held: Iterator[dict[str, Any]]
) -> Iterator[tuple[dict[str, Any], bool]]:
    for _ in range(count):
        line = source.readline()
        if line.rstrip(b"\n") == HELD.encode():
            yield next(held), True
        else:
            yield json.loads(line), False


def json_chunks(report: Mapping[str, Any]) -> Iterator[str]:
    """`json.dumps(report, indent=2, ensure_ascii=False)` piece by piece, rows read as written.

    The text is the same as `json.dumps` gives for the report with its rows in a list.
    """
    if not report:
        yield "{}"
        return
    for i, (key, value) in enumerate(report.items()):
        yield ("{\n  " if i == 0 else ",\n  ") + json.dumps(key, ensure_ascii=False) + ": "
        if isinstance(value, FindingRows | list) and value:
            # Item by item: a large audit's lists (findings, devices) are never one string.
            for j, row in enumerate(value):
                text = json.dumps(row, indent=2, ensure_ascii=False).replace("\n", "\n    ")
                yield ("[\n    " if j == 0 else ",\n    ") + text
            yield "\n  ]"
        else:
            shown = [] if isinstance(value, FindingRows) else value
            yield json.dumps(shown, indent=2, ensure_ascii=False).replace("\n", "\n  ")
    yield "\n}"


__all__ = ["FindingRows", "encode_rows", "json_chunks"]
