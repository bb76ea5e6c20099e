"""The reference report read in headless Chromium, as an IT manager would.

Two nights of the reference (the second with telnet opened on an Åmål switch, so the report
has a history: trends, "Ny"/"Kvarstår"), rendered in Swedish and English. The page may not log
a console error nor request anything beyond itself; its first screen (1400x900) shows every
municipality tile; at 400 px it has no horizontal page scroll. Screenshots (sv, en, phone, the
first printed page) are written to docs/ for the README.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest

from tests.nights import ROOT, SNAPSHOT, audit_night, night_with_telnet
from tests.report.browser import chromium, console_errors, requests, require_chromium

DOCS = ROOT / "docs"
FIRST_SCREEN = (1400, 900)
PHONE = (400, 860)
A4_CONTENT_PX = 1017  # 297 mm less the 14 mm margins, at 96 px per inch


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    require_chromium()
    tmp = tmp_path_factory.mktemp("browser")
    night = night_with_telnet(tmp / "night2")
    pages = {}
    for lang in ("sv", "en"):
        for n, snapshot in enumerate((SNAPSHOT, night)):
            outcome = audit_night(
                snapshot,
                tmp / f"{lang}{n}",
                history=str(tmp / f"history-{lang}.sqlite"),
                lang=lang,
                formats=("html",),
            )
        pages[lang] = outcome.files["html"]
    return pages


def _open(driver, page: Path) -> None:
    driver.get(page.as_uri())
    driver.execute_script("return document.fonts.ready")


def _check_clean(driver, page: Path) -> None:
    assert console_errors(driver) == []
    assert requests(driver) == [page.as_uri()], "the report must load nothing but itself"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_first_screen_shows_every_municipality_tile(reports, lang):
    page = reports[lang]
    with chromium(*FIRST_SCREEN) as driver:
        _open(driver, page)
        _check_clean(driver, page)
        tiles = driver.execute_script(
            "return Array.from(document.querySelectorAll('a.tile')).map(t => {"
            " const r = t.getBoundingClientRect();"
            " return [t.id, r.top, r.bottom, t.className]; })"
        )
        assert [t[0] for t in tiles] == [
            f"tile-{m}" for m in ("ben", "ded", "fgl", "mel", "aml", "dal")
        ]
        assert all(top >= 0 and bottom <= FIRST_SCREEN[1] for _, top, bottom, _ in tiles), tiles
        # Åmål accepts telnet on a switch (critical): its tile is red, never green.
        aml = next(t for t in tiles if t[0] == "tile-aml")
        assert "grade-poor" in aml[3]
        DOCS.mkdir(exist_ok=True)
        (DOCS / f"report-{lang}.png").write_bytes(driver.get_screenshot_as_png())


def test_phone_width_has_no_horizontal_page_scroll(reports):
    page = reports["sv"]
    with chromium(*PHONE) as driver:
        _open(driver, page)
        _check_clean(driver, page)
        width = driver.execute_script("return window.innerWidth")
        scroll = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= PHONE[0] and scroll <= width, (scroll, width)
        (DOCS / "report-phone.png").write_bytes(driver.get_screenshot_as_png())


def test_filters_narrow_the_failures_and_degrade_without_script(reports):
    page = reports["sv"]
    with chromium(*FIRST_SCREEN) as driver:
        _open(driver, page)
        total = driver.execute_script("return document.querySelectorAll('tr.finding-row').length")
        driver.execute_script(
            "const s = document.querySelector('select[data-filter=severity]');"
            "s.value = 'critical'; s.dispatchEvent(new Event('change'));"
        )
        shown = driver.execute_script(
            "return Array.from(document.querySelectorAll('tr.finding-row')).filter(r => !r.hidden)"
            ".map(r => r.dataset.severity)"
        )
        assert shown and set(shown) == {"critical"} and len(shown) < total
        _check_clean(driver, page)
    # Without the script the form stays hidden and every failure is shown.
    html = page.read_text(encoding="utf-8")
    assert '<form class="filters" id="filters" hidden' in html


def test_print_summary_fits_two_pages_and_the_first_page_is_kept(reports):
    import pypdfium2  # noqa: PLC0415

    page = reports["sv"]
    with chromium(794, 1123) as driver:  # A4 at 96 px per inch
        _open(driver, page)
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        height = driver.execute_script(
            "return document.getElementById('summary').getBoundingClientRect().bottom"
            " - document.getElementById('overview').getBoundingClientRect().top"
        )
        assert height <= 2 * A4_CONTENT_PX, height
        pdf = base64.b64decode(
            driver.execute_cdp_cmd(
                "Page.printToPDF",
                {"printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": False},
            )["data"]
        )
        _check_clean(driver, page)
    document = pypdfium2.PdfDocument(pdf)
    assert len(document) > 2
    # No near-empty page: every page but the last carries a good share of text.
    chars = [len(document[i].get_textpage().get_text_range()) for i in range(len(document))]
    assert min(chars[:-1]) > 400, chars
    image = document[0].render(scale=1.5).to_pil()
    # The first page is used: its last printed line is in the lower part of the page (above
    # the page number), not half way down.
    from PIL import ImageOps  # noqa: PLC0415

    gray = image.convert("L")
    top = gray.crop((0, 0, gray.width, int(gray.height * 0.9)))  # the page number sits below
    ink = ImageOps.invert(top).point(lambda v: 255 if v > 55 else 0).getbbox()
    assert ink is not None and ink[3] > gray.height * 0.7, (ink, gray.height)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    (DOCS / "report-print.png").write_bytes(buffer.getvalue())
    text = document[0].get_textpage().get_text_range()
    assert "Översikt" in text
