"""Render the findings of a report dict as CSV, one row per finding."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from dalsnet_audit.report.view import family_of

COLUMNS: tuple[str, ...] = (
    "municipality",
    "device",
    "rule",
    "family",
    "severity",
    "status",
    "message",
    "expected",
    "actual",
    "evidence",
    "remediation",
)
EVIDENCE_SEPARATOR = " | "

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render_csv(report: Mapping[str, Any]) -> str:
    """Render one CSV row per finding, with a header row.

    Comma-separated, fields quoted where needed (multi-line remediations stay in one field),
    CRLF line ends as RFC 4180 asks. Text that a spreadsheet would run as a formula is
    prefixed with an apostrophe. The caller chooses the encoding.

    Args:
        report: The engine's report dict.

    Returns:
        The CSV text.
    """
    municipalities = {d["name"]: d.get("municipality") or "" for d in report.get("devices", [])}
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for finding in report.get("findings", []):
        writer.writerow([_cell(v) for v in _row(finding, municipalities)])
    return buffer.getvalue()


def _row(finding: Mapping[str, Any], municipalities: Mapping[str, str]) -> list[Any]:
    rule = str(finding["rule"])
    return [
        municipalities.get(str(finding["device"]), ""),
        finding["device"],
        rule,
        finding.get("family") or family_of(rule),
        finding.get("severity"),
        finding.get("status"),
        finding.get("message"),
        finding.get("expected"),
        finding.get("actual"),
        EVIDENCE_SEPARATOR.join(str(line) for line in finding.get("evidence") or ()),
        finding.get("remediation"),
    ]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
