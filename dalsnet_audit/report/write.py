"""Write a run's reports to disk, all or nothing.

Every format is rendered in memory first, so a rendering error writes nothing. The files are
then written to temporary files beside their targets and only renamed into place
(``os.replace``) once all of them are safely on disk, so a reader never sees a half-written
report, and a failed write leaves the previous reports as they were.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from dalsnet_audit.report.csv_export import render_csv
from dalsnet_audit.report.i18n import Catalogue
from dalsnet_audit.report.junit import render_junit
from dalsnet_audit.report.render import render_html, render_markdown

FILE_NAMES: Mapping[str, str] = {
    "html": "report.html",
    "md": "report.md",
    "json": "report.json",
    "junit": "junit.xml",
    "csv": "findings.csv",
}
DEFAULT_LANG = "sv"
FILE_MODE = 0o644


def write_reports(
    report: Mapping[str, Any],
    out_dir: Path,
    formats: Iterable[str],
    templates_dir: Path,
    *,
    lang: str | None = None,
) -> dict[str, Path]:
    """Render the requested formats and write them atomically into ``out_dir``.

    Args:
        report: The engine's report dict.
        out_dir: Target directory; created when missing.
        formats: Any of ``html``, ``md``, ``json``, ``junit``, ``csv``.
        templates_dir: Directory holding the report templates and ``i18n/``.
        lang: Report language; defaults to ``report["run"]["lang"]``, else Swedish.

    Returns:
        The written file of each format.

    Raises:
        ValueError: A format is unknown, or the language is not supported.
    """
    wanted = check_formats(formats)
    language = lang or report.get("run", {}).get("lang") or DEFAULT_LANG
    rendered = render_all(report, wanted, templates_dir, language)
    out_dir.mkdir(parents=True, exist_ok=True)
    return _write_atomically(out_dir, {FILE_NAMES[f]: rendered[f] for f in wanted}, wanted)


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
    report: Mapping[str, Any], formats: Iterable[str], templates_dir: Path, lang: str
) -> dict[str, bytes]:
    """Render every requested format in memory.

    Args:
        report: The engine's report dict.
        formats: Valid format names.
        templates_dir: Directory holding the report templates and ``i18n/``.
        lang: Report language.

    Returns:
        The UTF-8 bytes of each format.
    """
    formats = list(formats)
    catalogue = Catalogue.load(templates_dir, lang) if {"html", "md"} & set(formats) else None
    result: dict[str, bytes] = {}
    for fmt in formats:
        result[fmt] = _render_one(fmt, report, catalogue, templates_dir).encode("utf-8")
    return result


def _render_one(
    fmt: str, report: Mapping[str, Any], catalogue: Catalogue | None, templates_dir: Path
) -> str:
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt == "junit":
        return render_junit(report)
    if fmt == "csv":
        return render_csv(report)
    if catalogue is None:
        msg = f"format {fmt!r} needs a message catalogue"
        raise ValueError(msg)
    if fmt == "html":
        return render_html(report, catalogue, templates_dir)
    return render_markdown(report, catalogue, templates_dir)


def _write_atomically(
    out_dir: Path, contents: Mapping[str, bytes], formats: list[str]
) -> dict[str, Path]:
    staged: dict[str, str] = {}
    try:
        for name, data in contents.items():
            staged[name] = _stage(out_dir, name, data)
        for name, temp in staged.items():
            Path(temp).replace(out_dir / name)
    finally:
        for temp in staged.values():
            with contextlib.suppress(FileNotFoundError):
                Path(temp).unlink()
    _sync_directory(out_dir)
    return {fmt: out_dir / FILE_NAMES[fmt] for fmt in formats}


def _stage(out_dir: Path, name: str, data: bytes) -> str:
    """Write ``data`` to a synced temporary file in ``out_dir`` and return its path."""
    with tempfile.NamedTemporaryFile(
        dir=out_dir, prefix=f".{name}.", suffix=".tmp", delete=False
    ) as handle:
        try:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), FILE_MODE)
        except BaseException:
            handle.close()
            Path(handle.name).unlink(missing_ok=True)
            raise
    return handle.name


def _sync_directory(directory: Path) -> None:
    """Make the renames durable; not every platform can open a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
