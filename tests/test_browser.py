"""The HTML timeline as a person sees it, in a real headless Chromium.

Playwright drives the system's Chromium (Debian's ``chromium`` package,
which ``.ci/run`` installs); Playwright's own browser downloads are never
used. The tests skip only when no Chromium is installed.
"""

import datetime as dt
import json
import os
import re
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from benchmarks.generate import clock, generate
from playwright.sync_api import Browser, Page, sync_playwright

from timeline import EventLog
from timeline.corpus import load_corpus
from timeline.views._drawing import Row, headline, rows_of
from timeline.views.html import render_html

from .pictures import joined, rows_drawn, seen_log

CHROMIUM = os.environ.get("TIMELINE_CHROMIUM") or shutil.which("chromium")
pytestmark = [
    pytest.mark.slow,  # a browser run: .ci/run selects it with `pytest -m slow`
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Chromium is not installed (apt-get install chromium; .ci/run does)",
    ),
]
# Flags for a root user on a machine with no network: no sandbox, and no
# background connections to Google's services.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTH, HEIGHT = 1280, 900
ASAPOV = 'li[data-event-id="asapov-death"]:visible'


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Return a headless Chromium, shared by the module's tests."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Write the corpus page and the page with a retraction, once."""
    folder = tmp_path_factory.mktemp("pages")
    written = {}
    for name, log in (("corpus", load_corpus()), ("seen", seen_log())):
        path = folder / f"{name}.html"
        path.write_text(render_html(log), encoding="utf-8")
        written[name] = path
    return written


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """Return a new tab at the size of a laptop screen, failing on script errors."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == []


def open_page(page: Page, path: Path, fragment: str = "") -> None:
    """Load *path*, optionally at ``#fragment``."""
    page.goto(path.as_uri() + fragment)


def knowledge_date(page: Page) -> str:
    """Return the day the page says it shows."""
    return page.locator("#asof-date").inner_text()


def visible_text(page: Page) -> str:
    """Return the chart's text as rendered: hidden rows are not in it."""
    return page.locator("main").inner_text()


def lane_labels(page: Page) -> list[tuple[str, str]]:
    """Return the class and label of each visible lane of Asapov's death."""
    lanes = page.locator(f"{ASAPOV} .lane")
    return [
        (lanes.nth(i).get_attribute("class") or "", lanes.nth(i).inner_text())
        for i in range(lanes.count())
    ]


def screenshot(page: Page, path: Path) -> None:
    """Save a screenshot and check it is a PNG of the window's size."""
    page.screenshot(path=path)
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (WIDTH, HEIGHT)


def test_moving_the_slider_replays_what_was_known(page, pages, tmp_path):
    """With the keyboard: Sept. 27 nothing, Sept. 28 one date, then the conflict."""
    open_page(page, pages["corpus"])
    assert knowledge_date(page) == "2017-10-05"  # the latest report day
    slider = page.locator("#asof")
    slider.focus()

    for _ in range(8):  # a day a press, from Oct. 5
        page.keyboard.press("ArrowLeft")
    assert knowledge_date(page) == "2017-09-27"
    assert page.locator(ASAPOV).count() == 0
    assert "Asapov" not in visible_text(page)
    assert page.locator("#summary").inner_text().startswith("As of 2017-09-27: ")
    screenshot(page, tmp_path / "2017-09-27.png")

    page.keyboard.press("ArrowRight")
    assert knowledge_date(page) == "2017-09-28"
    assert lane_labels(page) == [
        ("lane value", "2017-09-23 “on Sept. 23” · DEBKA Weekly")
    ]
    screenshot(page, tmp_path / "2017-09-28.png")

    page.keyboard.press("End")  # the analyst's judgement of Shoigu's names
    assert knowledge_date(page) == "2017-10-05"
    assert lane_labels(page) == [
        ("lane conflict", "≠ 2017-09-23 “on Sept. 23” · DEBKA Weekly"),
        ("lane conflict", "≠ 2017-09-24 “on Sept. 24” · Military Times → TASS"),
    ]
    assert page.locator(f"{ASAPOV} .mark").inner_text() == "DISPUTED"
    screenshot(page, tmp_path / "2017-10-05.png")


def test_the_address_names_the_day(page, pages):
    """``#asof=`` opens the page on that day, and the slider keeps it current."""
    open_page(page, pages["corpus"], "#asof=2017-09-27")
    assert knowledge_date(page) == "2017-09-27"
    assert page.locator(ASAPOV).count() == 0

    page.locator("#asof").focus()
    page.keyboard.press("ArrowRight")

    assert page.evaluate("location.hash") == "#asof=2017-09-28"
    assert len(lane_labels(page)) == 1


def test_the_buttons_jump_between_report_days(page, pages):
    """Back from the last day: each report day in turn, then the day before all."""
    open_page(page, pages["corpus"])
    back = page.get_by_role("button", name="◀ report")
    seen = []
    for _ in range(5):
        back.click()
        seen.append(knowledge_date(page))

    assert seen == [
        "2017-10-04",
        "2017-09-28",
        "2016-06-18",
        "2016-06-17",
        "2016-06-17",
    ]
    assert page.locator("li[data-key]:visible").count() == 0
    assert page.locator("#summary").inner_text() == (
        "As of 2016-06-17: nothing was reported yet."
    )
    page.get_by_role("button", name="report ▶").click()
    assert knowledge_date(page) == "2016-06-18"


def test_hovering_a_date_shows_its_report_chain_and_quote(page, pages):
    """Hover Military Times's date: the panel names the chain and quotes TASS."""
    open_page(page, pages["corpus"])

    page.locator(f"{ASAPOV} .lane").nth(1).hover()

    detail = page.locator("#detail").inner_text()
    assert "Military Times → TASS" in detail
    assert "Military Times, published 2017-10-04" in detail
    assert (
        "“Russian Gen. Valery Asapov was killed in a mortar attack on Sept. 24, "
        "according to Russian state-run media TASS.”"
    ) in detail
    assert "In conflict with: ≠ 2017-09-23 “on Sept. 23” · DEBKA Weekly" in detail


def test_clicking_a_happening_shows_all_its_claims(page, pages):
    """Click the title: every field, and every claim with its quote."""
    open_page(page, pages["corpus"])

    page.locator(f"{ASAPOV} .title").click()

    detail = page.locator("#detail").inner_text()
    assert "asapov-death: death (disputed, reported)" in detail
    assert detail.count("DEBKA Weekly, published 2017-09-28") == 2


def test_the_keyboard_reaches_every_date(page, pages):
    """Tabbing past the slider focuses dates in order, and shows their reports."""
    open_page(page, pages["corpus"], "#asof=2017-09-28")
    page.locator("#asof").focus()

    for _ in range(3):  # the next-report button, a title, then its first date
        page.keyboard.press("Tab")
    focused = page.evaluate(
        "[document.activeElement.matches('.lane.open-start'),"
        " document.activeElement.closest('li').dataset.eventId]"
    )

    assert focused == [True, "asapov-68th-army-corps-command"]
    assert page.locator("#detail h2").inner_text() == focused[1]


def test_denied_and_retracted_claims_are_marked(page, pages, tmp_path):
    """The denial and the retraction are visible words, the retraction struck."""
    open_page(page, pages["seen"], "#asof=2017-10-04")
    denied = page.locator('li[data-event-id="amaq-capture"]:visible')
    retracted = page.locator('li[data-event-id="shoigu-deir-ez-zour-visit"]:visible')

    assert denied.locator(".mark").inner_text() == "DENIED"
    assert "denied by Russian Ministry of Defense, 2017-10-04" in denied.inner_text()
    assert retracted.locator(".mark").inner_text() == "RETRACTED"
    label = retracted.locator(".label")
    assert label.inner_text() == "retracted: 2017-09 “in September” · Example Wire"
    decoration = label.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert decoration == "line-through"
    retracted.scroll_into_view_if_needed()
    screenshot(page, tmp_path / "retracted.png")


def test_without_script_the_last_day_reads_right(browser, pages):
    """With JavaScript off the page shows the last day, conflict included."""
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(pages["corpus"].as_uri())

    labels = tab.locator(f"{ASAPOV} .label").all_inner_texts()
    tooltip = tab.locator(f"{ASAPOV} .lane").nth(1).get_attribute("title") or ""
    context.close()

    assert "Military Times → TASS, 2017-10-04: “Russian Gen. Valery Asapov" in tooltip

    assert labels == [
        "≠ 2017-09-23 “on Sept. 23” · DEBKA Weekly",
        "≠ 2017-09-24 “on Sept. 24” · Military Times → TASS",
    ]


def test_print_shows_the_chart_without_the_controls(page, pages):
    """In print the slider and buttons go, the day and the rows stay."""
    open_page(page, pages["corpus"], "#asof=2017-09-28")
    page.emulate_media(media="print")

    assert not page.locator("#asof").is_visible()
    assert page.locator("#asof-date").is_visible()
    assert len(lane_labels(page)) == 1
    assert page.pdf()[:5] == b"%PDF-"


def test_the_page_fetches_nothing(page, pages):
    """Loading the page requests nothing but the file itself."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    open_page(page, pages["corpus"])
    page.locator(f"{ASAPOV} .lane").nth(0).hover()

    assert requested == [pages["corpus"].as_uri()]
    assert dt.date.fromisoformat(knowledge_date(page)) == dt.date(2017, 10, 5)


def test_the_script_draws_rows_and_details_as_written(page, tmp_path):
    """On a generated log, each row and detail the script draws is the page's own.

    The page writes out only the last day's rows; the script draws the
    others, and every detail, from the page's shared fragments. Each drawn
    row and title detail is the one the page's data holds, as the browser
    reads that HTML.
    """
    log = EventLog(clock=clock())
    log.extend(generate(400))
    text = render_html(log)
    path = tmp_path / "generated.html"
    path.write_text(text, encoding="utf-8")
    whole = rows_drawn(text)
    found = re.search(r'id="timeline-data">(.*?)</script>', text, re.DOTALL)
    assert found is not None
    data = json.loads(found[1])
    # Each row, to the end of its line (a tooltip's lines never start a row).
    written = dict(
        re.findall(
            r'<li (?:hidden )?data-key="(\w+)"(.*?</li>)\n(?=<li |</ol>|</ul>)',
            whole,
            re.DOTALL,
        )
    )
    assert len(written) == len(data["spans"])
    open_page(page, path)
    top = int(page.locator("#asof").get_attribute("max") or 0)
    for value in range(0, top + 1, max(1, top // 12)):
        page.evaluate(
            "(value) => { const slider = document.getElementById('asof');"
            " slider.value = value; slider.dispatchEvent(new Event('input')); }",
            str(value),
        )
        # Each row shown, but for the mark of the date or title last shown.
        shown = page.evaluate(
            "() => Array.from(document.querySelectorAll('li[data-key]'))"
            ".filter((row) => !row.hidden).map((row) => {"
            " const copy = row.cloneNode(true);"
            " for (const old of copy.querySelectorAll('.selected')) {"
            " old.classList.remove('selected'); }"
            " return [row.dataset.key, copy.outerHTML]; })"
        )
        for key, html in shown:
            assert html == as_read(page, f'<li data-key="{key}"{written[key]}')
        if shown:
            key = shown[-1][0]
            page.locator(f'li[data-key="{key}"] .title').click()
            detail = page.locator("#detail").evaluate("panel => panel.innerHTML")
            assert detail == as_read(page, joined(data, data["details"][key][0]))


def as_read(page: Page, html: str) -> str:
    """Return *html* as the browser writes it back once it has read it."""
    return str(
        page.evaluate(
            "(html) => { const holder = document.createElement('template');"
            " holder.innerHTML = html; const out = document.createElement('div');"
            " out.append(holder.content); return out.innerHTML; }",
            html,
        )
    )


def test_every_day_shows_that_days_rows_in_order(page, pages):
    """On each report day the script shows that day's rows, in that day's order."""
    log = load_corpus()
    open_page(page, pages["corpus"])
    days = sorted({entry.event.report.published_day for entry in log})
    first = days[0] - dt.timedelta(days=1)
    for day in [first, *days]:
        page.evaluate(
            "(value) => { const slider = document.getElementById('asof');"
            " slider.value = value; slider.dispatchEvent(new Event('input')); }",
            str((day - first).days),
        )
        assert knowledge_date(page) == day.isoformat()
        shown = page.evaluate(
            "() => Array.from(document.querySelectorAll('li[data-key]'))"
            ".filter((row) => !row.hidden).map((row) => row.dataset.eventId)"
        )
        known = log.as_of(day)
        assert shown == [row.happening.event_id for row in rows_of(known.happenings)]
        summary = headline(known, known.happenings) if day > first else ""
        assert page.locator("#summary").inner_text() == (
            f"As of {day}: {summary or 'nothing was reported yet'}."
        )
        for row in rows_of(known.happenings)[:: max(1, len(shown) // 4)]:
            shows_its_details(page, row)


def shows_its_details(page: Page, row: Row) -> None:
    """Click *row*'s title, then its first lane: the panel shows what each holds."""
    item = page.locator(f'li[data-event-id="{row.happening.event_id}"]:visible')
    item.locator(".title").click()
    detail = page.locator("#detail").inner_text()
    happening = row.happening
    assert f"{happening.event_id}: {', '.join(happening.event_types)} (" in detail
    for entry in happening.claims + happening.responses + happening.withdrawn:
        assert f"log entry {entry.seq}" in detail
    item.locator(".lane").first.click()
    assert page.locator("#detail h2").inner_text() == happening.event_id
    assert page.locator("#detail h3").inner_text() == row.lanes[0].label
    detail = page.locator("#detail").inner_text()
    for entry in row.lanes[0].claims:
        assert f"log entry {entry.seq}" in detail
