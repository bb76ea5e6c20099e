"""findings.csv: opens right in Excel (BOM, `;` in Swedish) and in Python's csv module."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from dalsnet_audit.report.csv_export import BOM, COLUMNS, render_csv


def _rows(report: dict[str, Any], delimiter: str | None = None) -> list[dict[str, str]]:
    text = render_csv(report, delimiter)
    assert text.startswith(BOM)
    sep = delimiter or ";"
    return list(csv.DictReader(io.StringIO(text[1:], newline=""), delimiter=sep))


def test_bom_semicolon_header_and_one_row_per_finding(report: dict[str, Any]) -> None:
    text = render_csv(report)  # the sample report is Swedish: `;`
    assert text.startswith("\ufeff")
    assert text[1:].splitlines()[0] == ";".join(COLUMNS)
    assert len(_rows(report)) == len(report["findings"])
    # Excel's way in: the bytes decode with utf-8-sig to the same header.
    assert text.encode("utf-8").decode("utf-8-sig").startswith("run_id;taken_at;")


def test_english_reports_use_commas_unless_told(report: dict[str, Any]) -> None:
    report["run"]["lang"] = "en"
    assert render_csv(report)[1:].startswith("run_id,taken_at,")
    assert render_csv(report, ";")[1:].startswith("run_id;taken_at;")
    with pytest.raises(ValueError, match="delimiter"):
        render_csv(report, "|")


def test_row_content(report: dict[str, Any]) -> None:
    row = next(r for r in _rows(report) if r["device"] == "fgl-01-rtr01" and r["rule"] == "IP-001")
    assert row["run_id"] == report["run"]["id"]
    assert row["municipality"] == "fgl"
    assert row["family"] == "IP"
    assert row["title"] and row["section"]
    assert row["severity"] == "high"
    assert row["status"] == "fail"
    assert row["expected"] == "address inside 10.40.0.0/13"
    assert row["actual"] == "192.168.50.1"
    assert row["evidence"] == "interface Loopback10 |  ip address 192.168.50.1 255.255.255.0"
    assert row["remediation"] == "interface Loopback10\n no ip address\n"


def test_network_wide_rows_name_the_municipalities_of_their_devices(report: dict[str, Any]) -> None:
    finding = next(f for f in report["findings"] if f["device"] == "*")
    finding["message"] = (
        "10.41.1.1 is used on several interfaces: ben-01-rtr01 Vlan10, fgl-01-rtr01"
    )
    finding["evidence"], finding["actual"] = [], None
    rows = _rows(report)
    network_wide = next(r for r in rows if r["device"] == "*")
    assert network_wide["municipality"] == "ben,fgl"
    assert network_wide["remediation"] == ""


def test_special_characters_are_quoted(report: dict[str, Any]) -> None:
    rows = _rows(report, ",")
    assert any(r["message"] == '<script>alert("x")</script> & <b>fet</b>' for r in rows)


def test_formula_injection_is_defused(report: dict[str, Any]) -> None:
    report["findings"][0]["message"] = '=HYPERLINK("x")'
    assert _rows(report)[0]["message"] == '\'=HYPERLINK("x")'
