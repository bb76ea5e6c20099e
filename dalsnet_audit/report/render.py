"""Render a report dict to HTML and Markdown with one set of Jinja2 templates.

Both languages share the templates; every word a reader sees comes from the catalogue
(``t('ui.summary.title')``), so a translation is a YAML file, not a template.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from dalsnet_audit.report.i18n import Catalogue
from dalsnet_audit.report.references import reference_labels
from dalsnet_audit.report.values import ValueCatalogue
from dalsnet_audit.report.view import FAMILY_ORDER, NETWORK_WIDE, SEVERITY_ORDER, build_view
from dalsnet_audit.resources import templates_dir as default_templates_dir

HTML_TEMPLATE = "report.html.j2"
MARKDOWN_TEMPLATE = "report.md.j2"

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_BACKTICK_RUN = re.compile(r"`+")


def render_html(
    report: Mapping[str, Any], catalogue: Catalogue, templates_dir: Path | None = None
) -> str:
    """Render the self-contained HTML report.

    Args:
        report: The engine's report dict, already localised.
        catalogue: Messages in the report's language.
        templates_dir: Templates directory; defaults to the catalogue's, else the
            repository's ``templates/``.

    Returns:
        One HTML document with inline CSS and SVG, no external references.
    """
    return _render(HTML_TEMPLATE, report, catalogue, templates_dir)


def render_markdown(
    report: Mapping[str, Any], catalogue: Catalogue, templates_dir: Path | None = None
) -> str:
    """Render the compact Markdown report, for pasting into tickets.

    Args:
        report: The engine's report dict, already localised.
        catalogue: Messages in the report's language.
        templates_dir: Templates directory; defaults to the catalogue's, else the
            repository's ``templates/``.

    Returns:
        Markdown text (tables and fenced code blocks).
    """
    return _render(MARKDOWN_TEMPLATE, report, catalogue, templates_dir)


@functools.cache
def environment(templates_dir: Path) -> Environment:
    """Return the one Jinja2 environment for a templates directory.

    HTML templates (``*.html.j2``) are autoescaped; Markdown and CSS are not.

    Args:
        templates_dir: Directory holding ``report.html.j2`` and ``report.md.j2``.

    Returns:
        The shared, strict environment.
    """
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=_autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md_cell"] = md_cell
    env.filters["fence"] = fence
    env.filters["timestamp"] = timestamp
    env.filters["evidence_lines"] = evidence_lines
    env.filters["quotes_in"] = quotes_in
    return env


_QUOTED = re.compile(r"&#34;(.+?)&#34;")  # a double-quoted passage, once escaped


def quotes_in(text: Any, quote_lang: str, page_lang: str) -> Markup:
    """HTML of `text`, its double-quoted passages marked as `<q lang="...">`.

    Only where the quotes' language is not the page's: the strategy's Swedish words in an
    English report.
    """
    escaped = str(escape(str(text or "")))
    if quote_lang == page_lang:
        return Markup(escaped)
    return Markup(_QUOTED.sub(lambda m: f'<q lang="{quote_lang}">{m.group(1)}</q>', escaped))


def evidence_lines(finding: Any, derived: str) -> str:
    """A finding's evidence, each line after its place (`configs/x.cfg:12`) or `(derived)`."""
    places = [place or f"({derived})" for place in finding.evidence_at]
    width = max((len(place) for place in places), default=0)
    return "\n".join(
        f"{place:<{width}}  {line}" for place, line in zip(places, finding.evidence, strict=True)
    )


def md_cell(value: Any) -> str:
    """Make text safe inside a Markdown table cell (one line, no markup).

    Args:
        value: Any value; ``None`` becomes an empty string.

    Returns:
        The text on one line with Markdown and HTML metacharacters escaped.
    """
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


def fence(value: Any) -> str:
    """Return a backtick fence longer than any backtick run inside ``value``.

    Args:
        value: The text that goes inside the code block.

    Returns:
        At least three backticks.
    """
    longest = max((len(m) for m in _BACKTICK_RUN.findall(str(value))), default=0)
    return "`" * max(3, longest + 1)


def timestamp(value: Any) -> str:
    """Show an ISO-8601 time as ``YYYY-MM-DD HH:MM:SS UTC``; other text unchanged.

    Args:
        value: ISO-8601 string or ``None``.

    Returns:
        The readable time, or the value as given when it does not parse.
    """
    if not value:
        return "\N{EN DASH}"
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _autoescape(name: str | None) -> bool:
    return name is not None and name.endswith((".html.j2", ".html"))


def _render(
    template: str,
    report: Mapping[str, Any],
    catalogue: Catalogue,
    templates_dir: Path | None,
) -> str:
    directory = templates_dir or catalogue.templates_dir or default_templates_dir()
    env = environment(directory.resolve())
    values = ValueCatalogue.load(directory, catalogue.lang)
    view = build_view(
        report, network_wide_name=catalogue.t("ui.network_wide"), translate=values.translate
    )
    return env.get_template(template).render(_context(report, view, catalogue, values))


def _context(
    report: Mapping[str, Any], view: Any, catalogue: Catalogue, values: ValueCatalogue
) -> dict[str, Any]:
    return {
        "report": report,
        "view": view,
        "lang": catalogue.lang,
        "t": catalogue.t,
        "label": functools.partial(_label, catalogue),
        "pct": functools.partial(_percent, catalogue),
        "grade": _grade,
        "references": functools.partial(reference_labels, translate=values.translate),
        "network_wide": NETWORK_WIDE,
        "signed": _signed,
        "signed_points": functools.partial(_signed_points, catalogue),
        "filters": _filters(view, catalogue),
    }


def _filters(view: Any, catalogue: Catalogue) -> dict[str, list[tuple[str, str]]]:
    """The failure filters' choices: only values some failure has, in display order."""
    rows = [f for group in view.failures for device in group.devices for f in device.findings]
    present = {key: {getattr(f, key) for f in rows} for key in ("severity", "family")}
    changes = {f.change or f.status for f in rows}
    return {
        "severity": [
            (s, _label(catalogue, "severity", s))
            for s in SEVERITY_ORDER
            if s in present["severity"]
        ],
        "municipality": [(g.short, g.name) for g in view.failures],
        "family": [
            (f, _label(catalogue, "family", f)) for f in FAMILY_ORDER if f in present["family"]
        ],
        "status": [
            (c, catalogue.t(f"ui.change.{c}") if catalogue.has(f"ui.change.{c}") else c)
            for c in ("new", "persisting", "fail")
            if c in changes
        ],
    }


def _signed(value: int | None) -> str:
    """`+2`, `\u22121`, `\u00b10`: signed, with a true minus sign."""
    if not value:
        return "\u00b10"
    return f"+{value}" if value > 0 else f"\u2212{-value}"


def _signed_points(catalogue: Catalogue, delta: float | None) -> str:
    """A score change in percentage points, signed, in the catalogue's number format."""
    if delta is None:
        return catalogue.t("ui.not_available")
    points = round(delta * 100, 1)
    text = f"{abs(points):.1f}"
    if catalogue.lang == "sv":
        text = text.replace(".", ",")
    sign = "\u00b1" if points == 0 else ("+" if points > 0 else "\u2212")
    return catalogue.t("ui.format.points", value=f"{sign}{text}")


def _label(catalogue: Catalogue, group: str, value: Any) -> str:
    """Translate an enumerated value (``status``, ``severity``...); unknown ones as given."""
    key = f"ui.{group}.{value}"
    return catalogue.t(key) if catalogue.has(key) else str(value)


def _percent(catalogue: Catalogue, score: float | None) -> str:
    """Format a 0..1 score as a whole percentage that never rounds up to 100."""
    if score is None:
        return catalogue.t("ui.not_available")
    value = math.floor(float(score) * 100 + 1e-9)
    return catalogue.t("ui.format.percent", value=value)


def _grade(score: float | None) -> str:
    """Name the colour band of a score for CSS classes (the number is always shown too)."""
    if score is None:
        return "none"
    if score >= 0.95:
        return "good"
    if score >= 0.8:
        return "fair"
    return "poor"
