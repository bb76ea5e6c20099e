from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from dalsnet_audit.report import (
    Catalogue,
    render_csv,
    render_html,
    render_junit,
    render_markdown,
)


@pytest.fixture
def empty_report() -> dict[str, Any]:
    """A run that audited nothing (exit code 2): every writer must still cope."""
    return {
        "run": {
            "id": "20261126T020000Z-000000",
            "started": "2026-11-26T02:00:00+00:00",
            "finished": None,
            "tool_version": "0.1.0",
            "inventory": "inventory",
            "policies_digest": "sha256:0",
            "mode": "live",
            "snapshot": None,
            "lang": "en",
            "fail_on": "high",
            "exit_code": 2,
        },
        "municipalities": [],
        "rules": [],
        "devices": [],
        "findings": [],
        "summary": {"by_status": {}, "by_municipality": {}, "by_family": {}, "score": None},
    }


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_empty_report_renders(empty_report: dict[str, Any], templates_dir: Path, lang: str) -> None:
    catalogue = Catalogue.load(templates_dir, lang)
    html = render_html(empty_report, catalogue)
    assert catalogue.t("ui.exit_code.2") in html
    assert catalogue.t("ui.failures.none") in html
    assert catalogue.t("ui.failures.none") in render_markdown(empty_report, catalogue)


def test_empty_report_machine_formats(empty_report: dict[str, Any]) -> None:
    root = ET.fromstring(render_junit(empty_report))
    assert root.get("tests") == "0"
    rows = list(csv.reader(io.StringIO(render_csv(empty_report), newline="")))
    assert len(rows) == 1


def test_unknown_enumerations_fall_back_to_their_code(
    empty_report: dict[str, Any], templates_dir: Path
) -> None:
    empty_report["devices"] = [
        {
            "name": "ben-01-sw09",
            "municipality": "ben",
            "site": "ben-01",
            "role": "sw",
            "platform": "ios",
            "status": "power_off",
            "error": "strömavbrott",
        }
    ]
    html = render_html(empty_report, Catalogue.load(templates_dir, "sv"))
    assert "power_off" in html
    assert "strömavbrott" in html
