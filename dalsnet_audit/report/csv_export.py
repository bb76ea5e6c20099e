"""Render the findings of a report dict as CSV, one row per finding, for spreadsheets.

Starts with a UTF-8 byte-order mark, so that Excel reads "Gäller" as written; the delimiter is
`;` for a Swedish report (Swedish Excel's list separator) and `,` otherwise, unless the caller
chooses (`--csv-delimiter`). A network-wide finding's row names the municipalities whose
devices it names.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from dalsnet_audit.report.view import NETWORK_WIDE, family_of, named_devices

COLUMNS: tuple[str, ...] = (
    "run_id",
    "taken_at",
    "municipality",
    "device",
    "rule",
    "title",
    "section",
    "family",
    "severity",
    "status",
    "message",
    "expected",
    "actual",
    "evidence",
    "remediation",
    "first_seen",
    "fingerprint",
)
EVIDENCE_SEPARATOR = " | "
BOM = "\ufeff"
DELIMITERS = (";", ",", "\t")

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def default_delimiter(lang: str) -> str:
    """`;` for Swedish (Swedish Excel's list separator), `,` otherwise."""
    return ";" if lang == "sv" else ","


def render_csv(report: Mapping[str, Any], delimiter: str | None = None) -> str:
    """Render one CSV row per finding, with a BOM and a header row.

    Fields quoted where needed (multi-line remediations stay in one field), CRLF line ends as
    RFC 4180 asks. Text that a spreadsheet would run as a formula is prefixed with an
    apostrophe.

    Args:
        report: The engine's report dict.
        delimiter: The field separator; by default from the report's language.

    Returns:
        The CSV text, starting with U+FEFF.
    """
    run = report.get("run", {})
    sep = delimiter or default_delimiter(str(run.get("lang") or "sv"))
    if sep not in DELIMITERS:
        msg = f"CSV delimiter {sep!r} is not one of {', '.join(map(repr, DELIMITERS))}"
        raise ValueError(msg)
    municipalities = {d["name"]: d.get("municipality") or "" for d in report.get("devices", [])}
    rules = {r["id"]: r for r in report.get("rules", [])}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for finding in report.get("findings", []):
        rule = rules.get(str(finding["rule"]), {})
        writer.writerow([_cell(v) for v in _row(finding, rule, run, municipalities)])
    return BOM + buffer.getvalue()


def _row(
    finding: Mapping[str, Any],
    rule: Mapping[str, Any],
    run: Mapping[str, Any],
    municipalities: Mapping[str, str],
) -> list[Any]:
    rule_id = str(finding["rule"])
    device = str(finding["device"])
    if device == NETWORK_WIDE:
        named = named_devices(finding, municipalities)
        municipality = ",".join(sorted({municipalities[d] for d in named if municipalities[d]}))
    else:
        municipality = municipalities.get(device, "")
    first_seen = finding.get("first_seen") or {}
    return [
        run.get("id"),
        run.get("taken_at"),
        municipality,
        device,
        rule_id,
        rule.get("title"),
        rule.get("section"),
        finding.get("family") or family_of(rule_id),
        finding.get("severity"),
        finding.get("status"),
        finding.get("message"),
        finding.get("expected"),
        finding.get("actual"),
        EVIDENCE_SEPARATOR.join(str(line) for line in finding.get("evidence") or ()),
        finding.get("remediation"),
        first_seen.get("date"),
        finding.get("fingerprint"),
    ]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
