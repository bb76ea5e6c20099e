from __future__ import annotations

from pathlib import Path
from typing import Any

from dalsnet_audit.report.i18n import Catalogue
from dalsnet_audit.report.render import fence, md_cell, render_markdown


def _md(report: dict[str, Any], templates_dir: Path, lang: str = "sv") -> str:
    return render_markdown(report, Catalogue.load(templates_dir, lang))


def test_markdown_evidence_and_remediation_in_code_blocks(
    report: dict[str, Any], templates_dir: Path
) -> None:
    md = _md(report, templates_dir)
    assert (
        "```text\n  configs/fgl-01-rtr01.cfg:41  interface Loopback10\n"
        "  configs/fgl-01-rtr01.cfg:42   ip address 192.168.50.1 255.255.255.0\n  ```"
    ) in md
    assert "```text\n  interface Loopback10\n   no ip address\n  ```" in md


def test_markdown_fence_outlasts_backticks_in_evidence(
    report: dict[str, Any], templates_dir: Path
) -> None:
    md = _md(report, templates_dir)
    assert "````text\n  (härlett)  ```\n  (härlett)  ! no banner\n  ````" in md


def test_markdown_structure(report: dict[str, Any], templates_dir: Path) -> None:
    md = _md(report, templates_dir)
    for heading in (
        "# Efterlevnadsrapport",
        "## Efterlevnad per kommun",
        "## Ej granskade enheter",
        "## Underkända kontroller",
        "## Regelkatalog",
    ):
        assert heading in md
    for finding in report["findings"]:
        if finding["status"] == "fail":
            assert f"**{finding['rule']}**" in md
    assert "| Åmål |" in md


def test_markdown_table_cells_cannot_break_tables(
    report: dict[str, Any], templates_dir: Path
) -> None:
    md = _md(report, templates_dir)
    assert "Banner saknas \\| ingen text" in md
    assert "<script>" not in md


def test_markdown_languages_differ(report: dict[str, Any], templates_dir: Path) -> None:
    assert _md(report, templates_dir, "en") != _md(report, templates_dir, "sv")
    assert "## Compliance by municipality" in _md(report, templates_dir, "en")


def test_md_cell_and_fence() -> None:
    assert md_cell("a|b\nc") == "a\\|b c"
    assert md_cell(None) == ""
    assert fence("no ticks") == "```"
    assert fence("````") == "`````"
