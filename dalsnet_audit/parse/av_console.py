"""The antivirus console's CSV export of its agents: tolerant of what consoles really write.

Column order, a UTF-8 byte-order mark, `;` or `,`, Swedish or English headers and characters
are all accepted; a row that cannot be read is reported with its line number, not fatal. A
file that is not UTF-8 is read as Windows-1252 (what a Swedish Excel saves), and says so.
Every physical line is one row: a quote left open ends with its line instead of swallowing
the rows after it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re

from dalsnet_audit.errors import SnapshotError
from dalsnet_audit.model.antivirus import ConsoleExport, ConsoleRow
from dalsnet_audit.model.raw import CONSOLE_FILE

# Header names consoles use, lower-cased, for each field.
_ALIASES = {
    "hostname": {
        "hostname",
        "host",
        "computer",
        "computer name",
        "device",
        "datornamn",
        "dator",
        "namn",
        "name",
    },
    "product": {"product", "produkt", "antivirus", "product name"},
    "signature_date": {
        "signature_date",
        "signature date",
        "signatures",
        "definitions",
        "definition date",
        "signaturdatum",
        "last update",
    },
    "engine_version": {"engine_version", "engine version", "engine", "version", "motorversion"},
}
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%SZ",
)


def _date(text: str) -> dt.date | None:
    value = text.strip()
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def decode_console(data: bytes) -> tuple[str, str]:
    """The export's text and the encoding it was read in.

    UTF-8, with or without a byte-order mark; anything else as Windows-1252, the encoding a
    Swedish Excel saves CSV in (a superset of Latin-1 for every printable character).

    >>> decode_console("G\u00e4ller".encode("cp1252"))
    ('G\u00e4ller', 'cp1252')
    """
    if data.startswith(codecs.BOM_UTF8):
        data, bom = data[len(codecs.BOM_UTF8) :], True
    else:
        bom = False
    try:
        return data.decode("utf-8"), "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


_LINE_END = re.compile(r"\r\n|\n|\r")


def _cells(line: str, delimiter: str) -> list[str] | None:
    """The cells of one line, or None when a quote is left open."""
    try:
        return next(csv.reader([line], delimiter=delimiter, strict=True), [])
    except csv.Error:
        return None


def read_console(data: bytes, source: str = CONSOLE_FILE) -> ConsoleExport:
    """Decode (`decode_console`) and parse an export file's bytes.

    Raises:
        SnapshotError: the header lacks a host name or product column (nothing can be read).
    """
    text, encoding = decode_console(data)
    export = parse_console_csv(text, source)
    return ConsoleExport(export.source, export.rows, export.problems, encoding)


def parse_console_csv(text: str, source: str = CONSOLE_FILE) -> ConsoleExport:
    """Parse the export.

    Raises:
        SnapshotError: the header lacks a host name or product column (nothing can be read).
    """
    text = text.lstrip("\ufeff")
    # Rows end at CR/LF only: `splitlines` would also break at a form feed or U+2028 inside a cell.
    lines = _LINE_END.split(text.rstrip("\r\n"))
    if not text.strip():
        raise SnapshotError(source, None, "the antivirus console export is empty")
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    first = _cells(lines[0], delimiter)
    if first is None:
        raise SnapshotError(source, "header", f"a quote is not closed in {lines[0]!r}")
    header = [cell.strip().lower() for cell in first]
    columns: dict[str, int] = {}
    for name, aliases in _ALIASES.items():
        for index, cell in enumerate(header):
            if cell in aliases and name not in columns:
                columns[name] = index
    for required in ("hostname", "product"):
        if required not in columns:
            raise SnapshotError(source, "header", f"no {required} column in {lines[0]!r}")
    rows: list[ConsoleRow] = []
    problems: list[tuple[int, str]] = []
    for number, raw_line in enumerate(lines[1:], start=2):
        cells = _cells(raw_line, delimiter)
        if cells is None:
            problems.append((number, "a quote is not closed"))
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < len(header):
            problems.append((number, f"{len(cells)} columns, expected {len(header)}"))
            continue
        date_text = cells[columns["signature_date"]] if "signature_date" in columns else ""
        date = _date(date_text) if date_text.strip() else None
        if date_text.strip() and date is None:
            problems.append((number, f"unreadable signature date {date_text.strip()!r}"))
            continue
        hostname = cells[columns["hostname"]].strip()
        if not hostname:
            problems.append((number, "no host name"))
            continue
        rows.append(
            ConsoleRow(
                hostname=hostname,
                product=cells[columns["product"]].strip(),
                signature_date=date,
                engine_version=cells[columns["engine_version"]].strip() or None
                if "engine_version" in columns
                else None,
                line_number=number,
                # Evidence quotes the columns the audit reads, never the others (a console may
                # export a tamper-protection password beside them).
                line=delimiter.join(cells[columns[name]] for name in _ALIASES if name in columns),
            )
        )
    return ConsoleExport(source, tuple(rows), tuple(problems))
