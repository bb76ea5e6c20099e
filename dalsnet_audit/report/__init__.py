"""Reports of an audit run: HTML, Markdown, JSON, JUnit XML and CSV.

Reports present the engine's verdicts; they never compute them.
"""

from dalsnet_audit.report.csv_export import render_csv
from dalsnet_audit.report.i18n import SUPPORTED_LANGUAGES, Catalogue
from dalsnet_audit.report.junit import render_junit
from dalsnet_audit.report.render import render_html, render_markdown
from dalsnet_audit.report.write import FILE_NAMES, write_reports

__all__ = [
    "FILE_NAMES",
    "SUPPORTED_LANGUAGES",
    "Catalogue",
    "render_csv",
    "render_html",
    "render_junit",
    "render_markdown",
    "write_reports",
]
