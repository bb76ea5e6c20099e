"""The whole report in its language: rendered in Swedish and in English from the reference
audit (with a history, so the "since last run" texts show), no text a reader sees is in the
other language, outside configuration text (`<pre>`, `<code>`) and quotes marked with their
own `lang` (the strategy's Swedish words in the English report)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from tests.nights import ROOT, SNAPSHOT, audit_night, copy_reference, edit

# Words that exist in one language and not the other (never configuration keywords: `none`
# is an AAA method and a syslog priority, `allowed` and `any` words of commands).
ENGLISH = frozenset(
    [
        "the",
        "is",
        "are",
        "was",
        "were",
        "not",
        "of",
        "and",
        "with",
        "without",
        "which",
        "that",
        "this",
        "these",
        "must",
        "should",
        "found",
        "missing",
        "every",
        "each",
        "than",
        "least",
        "most",
        "accepted",
        "running",
        "installed",
        "unknown",
        "enabled",
        "disabled",
        "configured",
        "would",
        "could",
        "does",
        "instead",
        "but",
        "from",
        "where",
        "when",
        "after",
        "before",
        "also",
        "only",
        "their",
        "its",
        "never",
        "denied",
        "columns",
        "expected",
        "snapshot",
        "attempted",
        "unreadable",
        "quote",
    ]
)
SWEDISH = frozenset(
    [
        "och",
        "är",
        "inte",
        "för",
        "med",
        "på",
        "av",
        "som",
        "till",
        "från",
        "eller",
        "ingen",
        "inga",
        "finns",
        "saknas",
        "enhet",
        "enheter",
        "kommun",
        "ej",
        "gäller",
        "än",
        "vid",
        "utan",
        "alla",
        "varje",
        "har",
        "ska",
        "skall",
        "måste",
        "också",
        "endast",
        "gemensam",
        "kärna",
    ]
)
SKIP = {"pre", "code", "script", "style", "title", "abbr"}
VOID = {"br", "meta", "img", "input", "rect", "polyline", "circle", "hr", "link", "wbr"}


class _Visible(HTMLParser):
    """The text a reader sees, without configuration text and marked quotes."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self.stack: list[tuple[str, str | None]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if any(tag in SKIP or (lang and lang != self.lang) for tag, lang in self.stack):
            return
        if data.strip():
            self.texts.append(" ".join(data.split()))


def markdown_text(markdown: str) -> str:
    """The Markdown report as HTML paragraphs, its code (fenced blocks, backtick spans) as <code>.

    Its fixes' comment lines stay out like the HTML's `<pre>`; they are read separately.
    """
    markdown = re.sub(r"```.*?```", "", markdown, flags=re.S)
    paragraphs = []
    for line in markdown.splitlines():
        escaped = html.escape(line.replace("\\", ""))
        paragraphs.append("<p>" + re.sub(r"`([^`]*)`", r"<code>\1</code>", escaped) + "</p>")
    return "\n".join(paragraphs)


def other_language(html: str, lang: str) -> list[str]:
    """Each visible text holding a word of the other language, with those words."""
    parser = _Visible(lang)
    parser.feed(html)
    foreign = ENGLISH if lang == "sv" else SWEDISH
    found = []
    for text in parser.texts:
        # Words as written: identifiers (AV-001, is-active, ACL-GAST-IN) are one token.
        words = {w for w in re.findall(r"[\w][\w-]*", text) if not w.isupper()}
        hits = {w.lower() for w in words} & foreign
        if hits:
            found.append(f"{sorted(hits)}: {text[:160]}")
    return found


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("language")
    night = copy_reference(tmp / "night2")
    edit(night / "configs" / "ded-01-rtr01.cfg", "logging host 10.40.10.10\n", "")
    # A device not audited the second night: its reason is shown in the report's language.
    (night / "configs" / "mel-01-sw01.cfg").unlink()
    pages = {}
    for lang in ("sv", "en"):
        for n, snapshot in enumerate((SNAPSHOT, night)):
            outcome = audit_night(
                snapshot,
                tmp / f"{lang}{n}",
                history=str(tmp / f"{lang}.sqlite"),
                lang=lang,
                formats=("html", "md"),
            )
        pages[lang] = outcome.files["html"].read_text(encoding="utf-8")
        pages[f"{lang}.md"] = outcome.files["md"].read_text(encoding="utf-8")
    return pages


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_text_of_the_other_language(rendered, lang):
    assert "mel-01-sw01" in rendered[lang] and "mel-01-sw01.cfg" in rendered[lang]
    assert other_language(rendered[lang], lang) == []
    assert other_language(markdown_text(rendered[f"{lang}.md"]), lang) == []
    # The comments of the fixes are prose too, though they sit among configuration lines.
    blocks = re.findall(r"<pre[^>]*>(.*?)</pre>", rendered[lang], re.S)
    comments = [
        line.strip()
        for block in blocks
        for line in html.unescape(re.sub(r"<[^>]+>", "", block)).splitlines()
        if re.match(r"\s*[!#]\s*[A-Za-zÅÄÖåäö]", line)
    ]
    assert comments, "the reference report has fixes with comments"
    assert [c for c in comments if other_language(f"<p>{html.escape(c)}</p>", lang)] == []


def test_the_detector_sees_a_stray_word():
    """The test above can fail: an English sentence in a Swedish page is found."""
    html = "<p>Adressen är utanför planen.</p><p>The address is outside the plan.</p>"
    assert other_language(html, "sv") == ["['is', 'the']: The address is outside the plan."]
    assert other_language("<pre>no ip http server</pre><q lang='sv'>och</q>", "en") == []


def test_municipality_names_take_the_swedish_genitive():
    from dalsnet_audit.report.i18n import Catalogue  # noqa: PLC0415
    from dalsnet_audit.resources import templates_dir  # noqa: PLC0415

    sv = Catalogue.load(templates_dir(), "sv")
    said = {
        owner: sv.t(
            "findings.IP-002.foreign_block", interface="Gi0/1", address="10.43.1.1/24", owner=owner
        )
        for owner in ("Färgelanda", "Bengtsfors", "Dals-Ed", "Åmål")
    }
    assert said["Färgelanda"].endswith("ur Färgelandas adressblock.")
    assert said["Bengtsfors"].endswith("ur Bengtsfors adressblock.")
    assert said["Dals-Ed"].endswith("ur Dals-Eds adressblock.")
    assert said["Åmål"].endswith("ur Åmåls adressblock.")


# Values that quote the device: an AAA method list, a banner's own words.
QUOTED_FROM_DEVICE = {("AAA-001", "actual"), ("AAA-005", "actual")}


def test_every_rule_case_reads_in_swedish():
    """Every finding of every rule case: its message, expected and actual values in Swedish."""
    import datetime as dt  # noqa: PLC0415

    import yaml  # noqa: PLC0415

    from dalsnet_audit.audit import load_policies  # noqa: PLC0415
    from dalsnet_audit.engine import judge_device  # noqa: PLC0415
    from dalsnet_audit.report.build import localise  # noqa: PLC0415
    from dalsnet_audit.report.i18n import Catalogue  # noqa: PLC0415
    from dalsnet_audit.report.values import ValueCatalogue  # noqa: PLC0415
    from dalsnet_audit.resources import templates_dir  # noqa: PLC0415
    from dalsnet_audit.rules.context import RuleContext  # noqa: PLC0415
    from tests.rules.conftest import case_files  # noqa: PLC0415
    from tests.rules.conftest import device as case_device  # noqa: PLC0415

    policy = load_policies(ROOT / "policies")
    ctx = RuleContext.build(policy, dt.datetime(2026, 11, 26, 2, 0, tzinfo=dt.UTC))
    catalogue = Catalogue.load(templates_dir(), "sv")
    values = ValueCatalogue.load(templates_dir(), "sv")
    english = []
    judged = 0
    for path in case_files():
        for spec in yaml.safe_load(path.read_text(encoding="utf-8"))["devices"]:
            for finding in judge_device(case_device(spec), ctx):
                judged += 1
                texts = {
                    "message": localise(catalogue, finding.message.key, finding.message.params),
                    "expected": values.translate(finding.expected),
                    "actual": values.translate(finding.actual),
                }
                for key, text in texts.items():
                    if text and (finding.rule, key) not in QUOTED_FROM_DEVICE:
                        english += [
                            f"{path.name} {finding.rule} {key}: {hit}"
                            for hit in other_language(f"<p>{text}</p>", "sv")
                        ]
    assert judged > 500
    assert english == []


@pytest.mark.parametrize(("recorded", "wanted"), [("sv", "en"), ("en", "sv")])
def test_a_recorded_run_re_rendered_in_the_other_language_is_all_in_it(tmp_path, recorded, wanted):
    """`report RUN --lang` re-renders everything: findings, values, fixes, antivirus, goals."""
    from typer.testing import CliRunner  # noqa: PLC0415

    from dalsnet_audit.cli import app  # noqa: PLC0415

    history = str(tmp_path / "history.sqlite")
    outcome = audit_night(SNAPSHOT, tmp_path / "night", history=history, lang=recorded)
    result = CliRunner().invoke(
        app,
        [
            "report", outcome.report["run"]["id"], "--history", history,
            "--out", str(tmp_path / "again"), "--format", "html", "--lang", wanted,
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = (tmp_path / "again" / "report.html").read_text(encoding="utf-8")
    assert other_language(page, wanted) == []
