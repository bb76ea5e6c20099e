from __future__ import annotations

import csv
import io
from typing import Any

from dalsnet_audit.report.csv_export import COLUMNS, render_csv


def _rows(report: dict[str, Any]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(render_csv(report), newline="")))


def test_header_and_one_row_per_finding(report: dict[str, Any]) -> None:
    text = render_csv(report)
    assert not text.startswith("\ufeff")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert len(_rows(report)) == len(report["findings"])


def test_row_content(report: dict[str, Any]) -> None:
    row = next(r for r in _rows(report) if r["device"] == "fgl-01-rtr01" and r["rule"] == "IP-001")
    assert row["municipality"] == "fgl"
    assert row["family"] == "IP"
    assert row["severity"] == "high"
    assert row["status"] == "fail"
    assert row["expected"] == "address inside 10.40.0.0/13"
    assert row["actual"] == "192.168.50.1"
    assert row["evidence"] == "interface Loopback10 |  ip address 192.168.50.1 255.255.255.0"
    assert row["remediation"] == "interface Loopback10\n no ip address\n"


def test_special_characters_are_quoted(report: dict[str, Any]) -> None:
    rows = _rows(report)
    assert any(r["message"] == '<script>alert("x")</script> & <b>fet</b>' for r in rows)
    assert any(r["municipality"] == "" and r["device"] == "*" for r in rows)
    network_wide = next(r for r in rows if r["device"] == "*")
    assert network_wide["remediation"] == ""


def test_formula_injection_is_defused(report: dict[str, Any]) -> None:
    report["findings"][0]["message"] = '=HYPERLINK("x")'
    assert _rows(report)[0]["message"] == '\'=HYPERLINK("x")'
