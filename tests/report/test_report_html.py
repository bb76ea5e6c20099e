from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from dalsnet_audit.report.i18n import Catalogue
from dalsnet_audit.report.render import render_html


def _html(report: dict[str, Any], templates_dir: Path, lang: str) -> str:
    return render_html(report, Catalogue.load(templates_dir, lang))


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = _Collector()
    collector.feed(html)
    return collector.tags


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_html_is_self_contained(report: dict[str, Any], templates_dir: Path, lang: str) -> None:
    html = _html(report, templates_dir, lang)
    lowered = html.lower()
    assert "<link" not in lowered
    # One small inline script (the filters); never one loaded from anywhere.
    assert lowered.count("<script") == lowered.count("<script>\n") == 1
    assert "@import" not in lowered
    assert "http://" not in lowered
    assert "https://" not in lowered
    assert "url(" not in lowered
    for tag, attrs in _tags(html):
        for name in ("src", "href"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (tag, name, value)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_html_lists_every_failing_finding(
    report: dict[str, Any], templates_dir: Path, lang: str
) -> None:
    html = _html(report, templates_dir, lang)
    for finding in report["findings"]:
        if finding["status"] == "fail":
            assert finding["rule"] in html
            if finding["device"] != "*":
                assert f"<code>{finding['device']}</code>" in html


def test_html_escapes_messages(
    report: dict[str, Any], templates_dir: Path, dangerous_message: str
) -> None:
    html = _html(report, templates_dir, "sv")
    assert dangerous_message not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;fet&lt;/b&gt;" in html


def test_html_language_and_swedish_text(report: dict[str, Any], templates_dir: Path) -> None:
    sv = _html(report, templates_dir, "sv")
    en = _html(report, templates_dir, "en")
    assert '<html lang="sv">' in sv
    assert '<html lang="en">' in en
    assert sv != en
    assert "Efterlevnad per kommun" in sv
    assert "Compliance by municipality" in en
    assert "Åmål" in sv
    assert "Åtgärd" in sv
    assert "Förväntat" in sv


def test_html_shows_expected_actual_evidence_and_remediation(
    report: dict[str, Any], templates_dir: Path
) -> None:
    html = _html(report, templates_dir, "en")
    assert "address inside 10.40.0.0/13" in html
    assert "192.168.50.1" in html
    assert (
        '<pre class="evidence"><span class="where">configs/fgl-01-rtr01.cfg:41</span> '
        'interface Loopback10\n<span class="where">configs/fgl-01-rtr01.cfg:42</span>  '
        "ip address 192.168.50.1 255.255.255.0\n</pre>"
    ) in html
    # Evidence without a place in the snapshot is shown as derived, never as a config line.
    assert '<span class="where">(derived)</span> http server enable' in html
    assert "<pre>interface Loopback10\n no ip address</pre>" in html


def test_html_lists_devices_not_audited_with_reason(
    report: dict[str, Any], templates_dir: Path
) -> None:
    html = _html(report, templates_dir, "sv")
    section = html.split('id="not-audited"', 1)[1].split("</section>", 1)[0]
    assert "Ej granskad är inte godkänd" in section
    assert "mel-02-sw01" in section and "ej nåbar" in section
    assert "ded-01-srv01" in section and "inloggning misslyckades" in section
    assert "TCP 22: anslutningen nekades" in section
    assert "fgl-01-rtr01" not in section


def test_html_lists_undecided_checks(report: dict[str, Any], templates_dir: Path) -> None:
    html = _html(report, templates_dir, "en")
    section = html.split('id="errors"', 1)[1].split("</section>", 1)[0]
    assert "Konfigurationen kunde inte tolkas" in section
    assert "mel-02-sw01" not in section  # explained once, in the not-audited table


def test_html_is_accessible_and_printable(report: dict[str, Any], templates_dir: Path) -> None:
    html = _html(report, templates_dir, "en")
    tags = _tags(html)
    headers = [attrs for tag, attrs in tags if tag == "th"]
    assert headers and all(attrs.get("scope") in {"col", "row"} for attrs in headers)
    assert all("open" in attrs for tag, attrs in tags if tag == "details")
    assert "@media print" in html
    assert "break-after: page" in html and "counter(pages)" in html  # summary, then detail
    assert "<svg" in html
    # Status and severity appear as words, not colour only.
    assert ">critical<" in html
    assert ">high<" in html


def test_html_family_matrix_counts(report: dict[str, Any], templates_dir: Path) -> None:
    html = _html(report, templates_dir, "en")
    section = html.split('id="matrix"', 1)[1].split("</section>", 1)[0]
    ip_row = re.search(r"<tr>\s*<th scope=\"row\">IP plan.*?</tr>", section, re.S)
    assert ip_row is not None
    assert ip_row.group(0).count("cell-high") == 1
    assert ip_row.group(0).count("cell-critical") == 1
    assert "Network-wide" in section


def test_html_without_failures_or_missing_devices(
    report: dict[str, Any], templates_dir: Path
) -> None:
    report["findings"] = [f for f in report["findings"] if f["status"] == "pass"]
    for device in report["devices"]:
        device["status"], device["error"] = "audited", None
    report["run"]["exit_code"] = 0
    report["run"]["snapshot"] = None
    html = _html(report, templates_dir, "en")
    assert "No check failed." in html
    assert "Every device in the inventory was audited." in html
    assert "Compliant:" in html
