"""Write a run's reports to disk, all or nothing.

Every format is rendered in memory first, so a rendering error writes nothing. The set is then
published in one step (`report.publish`): a reader sees the previous set or the new one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO, Any

from dalsnet_audit.report.csv_export import default_delimiter, render_csv
from dalsnet_audit.report.i18n import Catalogue
from dalsnet_audit.report.junit import render_junit
from dalsnet_audit.report.publish import Content, publish
from dalsnet_audit.report.render import render_html, render_markdown
from dalsnet_audit.report.rows import FindingRows, json_chunks
from dalsnet_audit.report.sarif import render_sarif

FILE_NAMES: Mapping[str, str] = {
    "html": "report.html",
    "md": "report.md",
    "json": "report.json",
    "junit": "junit.xml",
    "csv": "findings.csv",
    "sarif": "report.sarif",
}
DEFAULT_LANG = "sv"


def write_reports(
    report: Mapping[str, Any],
    out_dir: Path,
    formats: Iterable[str],
    templates_dir: Path,
    *,
    lang: str | None = None,
    csv_delimiter: str | None = None,
) -> dict[str, Path]:
    """Render the requested formats and write them atomically into ``out_dir``.

    Args:
        report: The engine's report dict.
        out_dir: Target directory; created when missing.
        formats: Any of ``html``, ``md``, ``json``, ``junit``, ``csv``, ``sarif``.
        templates_dir: Directory holding the report templates and ``i18n/``.
        lang: Report language; defaults to ``report["run"]["lang"]``, else Swedish.
        csv_delimiter: The CSV's separator; `;` for Swedish, `,` otherwise by default.

    Returns:
        The written file of each format.

    Raises:
        ValueError: A format is unknown, or the language is not supported.
    """
    wanted = check_formats(formats)
    language = lang or report.get("run", {}).get("lang") or DEFAULT_LANG
    rendered = render_all(report, wanted, templates_dir, language, csv_delimiter)
    set_name = str(report.get("run", {}).get("id") or "set")
    contents = {FILE_NAMES[f]: rendered[f] for f in wanted}
    publish(out_dir, contents, set_name, frozenset(FILE_NAMES.values()))
    return {fmt: out_dir / FILE_NAMES[fmt] for fmt in wanted}


def check_formats(formats: Iterable[str]) -> list[str]:
    """Validate and de-duplicate report formats, keeping their order.

    Args:
        formats: Format names.

    Returns:
        The distinct formats.

    Raises:
        ValueError: A format is unknown (all unknown ones are named) or none was given.
    """
    wanted = list(dict.fromkeys(f.strip() for f in formats))
    unknown = [f for f in wanted if f not in FILE_NAMES]
    if unknown:
        msg = f"unknown report format(s): {', '.join(unknown)}; choose from {', '.join(FILE_NAMES)}"
        raise ValueError(msg)
    if not wanted:
        msg = "no report format requested"
        raise ValueError(msg)
    return wanted


def render_all(
    report: Mapping[str, Any],
    formats: Iterable[str],
    templates_dir: Path,
    lang: str,
    csv_delimiter: str | None = None,
) -> dict[str, Content]:
    """Render every requested format in memory (report.json of spooled rows as it is written).

    Args:
        report: The engine's report dict.
        formats: Valid format names.
        templates_dir: Directory holding the report templates and ``i18n/``.
        lang: Report language.
        csv_delimiter: The CSV's separator (default: from the language).

    Returns:
        The UTF-8 bytes of each format.
    """
    formats = list(formats)
    catalogue = Catalogue.load(templates_dir, lang) if {"html", "md"} & set(formats) else None
    result: dict[str, Content] = {}
    for fmt in formats:
        if fmt == "json" and isinstance(report.get("findings"), FindingRows):
            result[fmt] = _json_writer(report)
            continue
        if fmt == "csv":
            text = render_csv(report, csv_delimiter or default_delimiter(lang))
        else:
            text = _render_one(fmt, report, catalogue, templates_dir)
        result[fmt] = text.encode("utf-8")
    return result


def _json_writer(report: Mapping[str, Any]) -> Callable[[IO[bytes]], None]:
    """Writes report.json piece by piece: its rows are read from their spool as they go."""

    def write(handle: IO[bytes]) -> None:
        for chunk in json_chunks(report):
            handle.write(chunk.encode("utf-8"))
        handle.write(b"\n")

    return write


def _render_one(
    fmt: str, report: Mapping[str, Any], catalogue: Catalogue | None, templates_dir: Path
) -> str:
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt == "junit":
        return render_junit(report)
    if fmt == "sarif":
        return render_sarif(report)
    if catalogue is None:
        msg = f"format {fmt!r} needs a message catalogue"
        raise ValueError(msg)
    if fmt == "html":
        return render_html(report, catalogue, templates_dir)
    return render_markdown(report, catalogue, templates_dir)
