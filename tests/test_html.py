import datetime as dt
import html
import json
import re
import sys
from html.parser import HTMLParser

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import EventLog, FuzzyDate
from timeline.cli import main
from timeline.corpus import load_corpus
from timeline.model.events import Capture, Statement
from timeline.projections import Status
from timeline.strategies import logs
from timeline.views._drawing import clean, headline, rows_of
from timeline.views.html import _code, render_html, render_table

from .helpers import FakeClock, day, report
from .pictures import joined, rows_drawn, seen_log, shapes_log

D = dt.date.fromisoformat
CORPUS = load_corpus()
SEEN = seen_log()
SHAPES = shapes_log()


@attrs.define
class Row:
    """One ``<li data-key>`` of the page: a happening as of some days."""

    key: str
    event_id: str
    classes: set[str]
    hidden: bool
    lanes: list[dict[str, str]] = attrs.Factory(list)
    bands: list[list[tuple[float, float]]] = attrs.Factory(list)
    labels: list[str] = attrs.Factory(list)
    text: list[str] = attrs.Factory(list)


def _in_spans(spans: list[int], index: int) -> bool:
    # Whether [start, end, start, end, ...] holds *index*, as the script reads it.
    return any(
        start <= index < end for start, end in zip(spans[::2], spans[1::2], strict=True)
    )


class Page(HTMLParser):
    """The parts of a page the tests look at: rows, lanes, scripts, data."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.rows: dict[str, Row] = {}
        self.scripts: list[dict[str, str | None]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._row: Row | None = None
        self._depth = 0
        self._label = False
        self._template = 0
        self._script = False
        self.data = ""
        self.feed(rows_drawn(text))
        self.close()

    def handle_starttag(self, tag, attrs):
        """Collect rows, lanes and scripts."""
        found = dict(attrs)
        self.tags.append((tag, found))
        if tag == "template":
            self._template += 1
        if tag == "script":
            self.scripts.append(found)
            self._script = found.get("type") == "application/json"
        if self._template:
            return
        if tag == "li" and "data-key" in found:
            self._row = Row(
                key=found["data-key"] or "",
                event_id=found.get("data-event-id") or "",
                classes=set((found.get("class") or "").split()),
                hidden="hidden" in found,
            )
            self.rows[self._row.key] = self._row
        if (
            self._row is not None
            and tag == "button"
            and "lane" in (found.get("class") or "")
        ):
            self._row.lanes.append({k: v or "" for k, v in found.items()})
            self._row.bands.append([])
        if self._row is not None and tag == "span" and found.get("class") == "band":
            style = found.get("style") or ""
            left, width = (float(x) for x in re.findall(r"[\d.]+(?=%)", style))
            self._row.bands[-1].append((left, left + width))
        self._label = tag == "span" and found.get("class") == "label"

    def handle_endtag(self, tag):
        """Close templates, rows and scripts."""
        if tag == "template":
            self._template -= 1
        if tag == "li" and not self._template:
            self._row = None
        if tag == "script":
            self._script = False
        if tag == "span":
            self._label = False

    def handle_data(self, data):
        """Keep labels, row text and the embedded data."""
        if self._script:
            self.data += data
        if self._row is not None and not self._template:
            self._row.text.append(data)
            if self._label:
                self._row.labels.append(data)

    def snapshot(self, on: str) -> list[Row]:
        """Return the rows the page shows on day *on*, as its script picks them."""
        data = json.loads(self.data)
        index = max(
            (i for i, known in enumerate(data["days"]) if known <= on), default=None
        )
        if index is None:
            return []
        # The rows shown, in the page's order: those one of whose spans of
        # day indexes, [start, end), holds the day's.
        return [
            row
            for key, row in self.rows.items()
            if _in_spans(data["spans"][key], index)
        ]

    def summary(self, on: str) -> str | None:
        """Return the headline the page's script shows on day *on*."""
        data = json.loads(self.data)
        index = max(
            (i for i, known in enumerate(data["days"]) if known <= on), default=None
        )
        return None if index is None else data["summaries"][index]

    def detail(self, row: Row, which: str) -> str:
        """Return the panel's HTML for *row*'s title (``h``) or a lane, joined."""
        data = json.loads(self.data)
        return joined(
            data, data["details"][row.key][0 if which == "h" else 1 + int(which)]
        )

    def reachable(self) -> str:
        """Return the page's HTML and every detail its script can show."""
        details = [
            self.detail(row, which)
            for row in self.rows.values()
            for which in ["h", *(lane["data-detail"] for lane in row.lanes)]
        ]
        return "".join([self.text.split('id="timeline-data"')[0], *details])

    def shown(self, on: str, event_id: str) -> Row | None:
        """Return the row of *event_id* shown on *on*, if any."""
        return next(
            (row for row in self.snapshot(on) if row.event_id == event_id), None
        )


CORPUS_PAGE = Page(render_html(CORPUS))
SEEN_PAGE = Page(render_html(SEEN))


class TestAsapov:
    """The slider's three dates, as the embedded snapshots give them."""

    def test_nothing_of_the_death_on_sept_27(self):
        """On 2017-09-27 no shown row mentions Asapov."""
        rows = CORPUS_PAGE.snapshot("2017-09-27")

        assert rows
        assert not any("Asapov" in "".join(row.text) for row in rows)

    def test_one_date_on_sept_28(self):
        """On 2017-09-28 the death has one lane: Sept. 23, per DEBKA Weekly."""
        row = CORPUS_PAGE.shown("2017-09-28", "asapov-death")

        assert row is not None
        assert [(lane["class"], lane["data-when"]) for lane in row.lanes] == [
            ("lane value", "2017-09-23")
        ]
        assert row.labels == ["2017-09-23 “on Sept. 23” · DEBKA Weekly"]

    def test_the_conflict_on_oct_4(self):
        """On 2017-10-04 both dates show, in the conflict style, with their sources."""
        row = CORPUS_PAGE.shown("2017-10-04", "asapov-death")

        assert row is not None
        assert [lane["class"] for lane in row.lanes] == ["lane conflict"] * 2
        assert row.labels == [
            "≠ 2017-09-23 “on Sept. 23” · DEBKA Weekly",
            "≠ 2017-09-24 “on Sept. 24” · Military Times → TASS",
        ]
        assert "status-disputed" in row.classes

    def test_without_script_the_last_day_shows(self):
        """Rows of the last day are visible as written; the others are hidden."""
        last = {row.key for row in CORPUS_PAGE.snapshot("2017-10-04")}

        assert {key for key, row in CORPUS_PAGE.rows.items() if not row.hidden} == last
        # Written out in full, with their dates and tooltips; the script
        # draws only the rows the last day does not show.
        for key in last:
            written = re.search(
                rf'<li data-key="{key}"[^>]*>(.*?)</li>\n', CORPUS_PAGE.text, re.DOTALL
            )
            assert written is not None
            assert '<button type="button" class="lane' in written[1]
            assert ' title="' in written[1]

    def test_a_lane_tooltip_quotes_the_report(self):
        """Hovering without script still shows the chain and the quote."""
        row = CORPUS_PAGE.shown("2017-10-04", "asapov-death")

        assert row is not None
        assert row.lanes[1]["title"].splitlines() == [
            "≠ 2017-09-24 “on Sept. 24” · Military Times → TASS",
            "Military Times → TASS, 2017-10-04: “Russian Gen. Valery Asapov was "
            "killed in a mortar attack on Sept. 24, according to Russian state-run "
            "media TASS.”",
        ]


class TestPage:
    """The page as a file: self-contained, linkable, safe."""

    def test_the_slider_spans_the_day_before_the_first_report_to_the_last(self):
        """From 2016-06-17 to 2017-10-05, one step a day, starting at the end."""
        page = render_html(CORPUS)
        data = json.loads(CORPUS_PAGE.data)
        slider = next(attrs for tag, attrs in CORPUS_PAGE.tags if tag == "input")

        assert data["start"] == "2016-06-17"
        assert data["days"] == ["2016-06-18", "2017-09-28", "2017-10-04", "2017-10-05"]
        span = (D("2017-10-05") - D("2016-06-17")).days
        assert (slider["min"], slider["max"], slider["value"]) == (
            "0",
            str(span),
            str(span),
        )
        assert 'aria-valuetext="2017-10-05"' in page

    def test_nothing_is_fetched_at_view_time(self):
        """No script, style, image or frame is loaded from anywhere."""
        page = render_html(SHAPES)
        loaded = [
            (tag, attrs)
            for tag, attrs in Page(page).tags
            if tag in {"script", "link", "img", "iframe", "object", "embed"}
            and ("src" in attrs or "href" in attrs)
        ]

        assert loaded == []
        assert "url(" not in page
        assert "@import" not in page

    def test_the_only_link_is_the_report_url_in_a_detail(self):
        """Report URLs are links in the details, escaped, never fetched."""
        page = Page(render_html(SHAPES)).reachable()

        assert re.findall(r'href="([^"]*)"', page) == [
            "https://example.org/a?x=1&amp;y=&lt;2&gt;"
        ] * page.count("<a href=")

    @pytest.mark.parametrize(
        "url",
        [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "\tjava\tscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "//evil.example/x",
            "ftp://example.org/file",
        ],
    )
    def test_a_url_that_could_run_code_is_text_not_a_link(self, url):
        """Only http, https and mailto addresses become links; others are text."""
        log = EventLog(clock=FakeClock())
        published = D("2020-01-01")
        source = report("Alpha", published)
        log.append(
            Statement(
                event_id="x",
                report=attrs.evolve(source, url=url),
                speaker="s",
                when=day("2020-01-01"),
            )
        )
        knowledge = log.as_of(published)

        for page in (Page(render_html(log)).reachable(), render_table(knowledge["x"])):
            assert "href=" not in page
            assert html.escape(url) in page

    @pytest.mark.parametrize(
        "url",
        ["https://example.org/a", "HTTP://example.org/", "mailto:desk@example.org"],
    )
    def test_http_https_and_mailto_urls_are_links(self, url):
        """The schemes a reader may follow safely stay clickable."""
        log = EventLog(clock=FakeClock())
        published = D("2020-01-01")
        source = report("Alpha", published)
        log.append(
            Statement(
                event_id="x",
                report=attrs.evolve(source, url=url),
                speaker="s",
                when=day("2020-01-01"),
            )
        )

        page = render_table(log.as_of(published)["x"])

        assert re.findall(r'href="([^"]*)"', page) == [html.escape(url)]

    def test_hostile_text_cannot_end_a_script(self):
        """A quote holding ``</script>`` stays text: two scripts, data intact."""
        log = EventLog(clock=FakeClock())
        quote = "</script><script>alert(1)</script><!--"
        log.append(
            Statement(
                event_id="x",
                report=report("Alpha", D("2020-01-01")),
                speaker="s",
                quote=quote,
                when=day("2020-01-01"),
            )
        )
        page = Page(render_html(log))

        assert len(page.scripts) == 2
        assert json.loads(page.data)["days"] == ["2020-01-01"]

    def test_same_log_same_page(self):
        """Rendering is deterministic."""
        assert render_html(SEEN) == render_html(seen_log())

    def test_about_keeps_the_matching_happenings(self):
        """With about, every snapshot holds only matching happenings."""
        page = Page(render_html(CORPUS, about="Asapov"))

        shown = {row.event_id for row in page.snapshot("2017-10-04")}
        assert shown == {
            h.event_id for h in CORPUS.as_of(D("2017-10-04")).about("Asapov")
        }
        assert page.snapshot("2016-06-18") == []

    def test_about_takes_in_the_names_judged_the_same_as_they_are_known(self):
        """Sergey Shoigu: 2 happenings on Oct. 4, and 8 once the alias is known."""
        page = Page(render_html(CORPUS, about="Sergey Shoigu"))

        for on, count in (("2017-10-04", 2), ("2017-10-05", 8)):
            shown = [row.event_id for row in page.snapshot(on)]
            assert len(shown) == count
            assert shown == [
                row.happening.event_id
                for row in rows_of(CORPUS.as_of(D(on)).about("Sergey Shoigu"))
            ]

    def test_a_long_list_of_sources_reads_whole(self):
        """Seventy outlets give one date: the label and the table name them all."""
        log = EventLog(clock=FakeClock())
        outlets = [f"Outlet {number:02}" for number in range(70)]
        log.extend(
            Statement(
                event_id="x",
                report=report(outlet, D("2020-01-01") + dt.timedelta(days=number)),
                speaker="s",
                when=day("2019-12-31"),
            )
            for number, outlet in enumerate(outlets)
        )
        page = Page(render_html(log))

        for number in (1, 64, 65, 70):
            on = (D("2020-01-01") + dt.timedelta(days=number - 1)).isoformat()
            row = page.shown(on, "x")
            assert row is not None
            assert row.labels == [f"2019-12-31 · {'; '.join(outlets[:number])}"]
            assert page.detail(row, "h") == render_table(log.as_of(D(on))["x"])

    def test_an_empty_log(self):
        """A log with no entries makes a page that says so."""
        page = render_html(EventLog())

        assert "the log holds no reports" in page
        assert json.loads(Page(page).data)["days"] == []

    def test_a_report_on_the_first_day_of_the_calendar(self):
        """A report of 0001-01-01 starts the slider on that day."""
        log = EventLog(clock=FakeClock())
        log.append(
            Statement(event_id="x", report=report("A", dt.date.min), speaker="s")
        )

        assert json.loads(Page(render_html(log)).data)["start"] == "0001-01-01"


class TestMarks:
    """Denied and retracted claims are visibly marked."""

    def test_denied(self):
        """Amaq's capture claim carries the denied mark and names the denier."""
        row = CORPUS_PAGE.shown("2017-10-04", "amaq-capture")

        assert row is not None
        assert "status-denied" in row.classes
        text = "".join(row.text)
        assert "denied" in text
        assert (
            "denied by Russian Ministry of Defense, 2017-10-04 (Military Times → "
            in text
        )

    def test_retracted_from_the_day_of_the_retraction(self):
        """The visit is a plain band until Oct. 2, then struck-through and marked."""
        before = SEEN_PAGE.shown("2017-10-01", "shoigu-deir-ez-zour-visit")
        after = SEEN_PAGE.shown("2017-10-02", "shoigu-deir-ez-zour-visit")

        assert before is not None
        assert after is not None
        assert [lane["class"] for lane in before.lanes] == ["lane value"]
        assert [lane["class"] for lane in after.lanes] == ["lane withdrawn"]
        assert "status-retracted" in after.classes
        assert after.labels == ["retracted: 2017-09 “in September” · Example Wire"]

    def test_open_ends_and_undated(self):
        """Open-ended dates carry a class for their open end; undated rows say so."""
        page = Page(render_html(SHAPES))
        rows = {row.event_id: row for row in page.snapshot("2020-03-06")}

        assert rows["until"].lanes[0]["class"] == "lane value open-start"
        assert rows["since"].lanes[0]["class"] == "lane value open-end"
        assert rows["undated"].labels == ["no date reported"]


NUMBERED = {"parts": [f"<{number}>" for number in range(40_000)], "groups": []}


@given(st.lists(st.integers(0, 39_999)))
def test_a_list_of_fragments_reads_back(numbers):
    """A page's lists of fragments read back, whatever their numbers."""
    assert joined(NUMBERED, "".join(_code(number) for number in numbers)) == "".join(
        f"<{number}>" for number in numbers
    )


@settings(suppress_health_check=[HealthCheck.too_slow])  # logs() is slow to draw
@given(logs(max_size=12))
def test_every_snapshot_is_what_was_known_that_day(log):
    """For each report day, the page shows exactly ``log.as_of(day)``'s happenings."""
    page = Page(render_html(log))
    data = json.loads(page.data)

    assert data["days"] == sorted(
        {e.event.report.published_day.isoformat() for e in log}
    )
    for day_text in data["days"]:
        shown = page.snapshot(day_text)
        known = log.as_of(D(day_text))
        # The rows of that day's knowledge, in the order a picture of that
        # day alone draws them, each as it stood that day, under its headline.
        expected = rows_of(known.happenings)
        assert [row.event_id for row in shown] == [
            row.happening.event_id for row in expected
        ]
        for row, drawn in zip(shown, expected, strict=True):
            assert [lane.get("data-when") for lane in row.lanes] == [
                None if lane.date is None else str(lane.date) for lane in drawn.lanes
            ]
            # The details the script shows: the happening's table that day,
            # and each lane's label over its claims.
            assert page.detail(row, "h") == render_table(drawn.happening)
            for index, lane in enumerate(drawn.lanes):
                detail = page.detail(row, str(index))
                assert f"<h3>{html.escape(clean(lane.label))}</h3>" in detail
                assert detail.count("<li>") == len(lane.claims)
                for entry in lane.claims:
                    assert f"log entry {entry.seq}</p></li>" in detail
        assert page.summary(day_text) == headline(known, known.happenings)


@settings(suppress_health_check=[HealthCheck.too_slow])  # logs() is slow to draw
@given(logs(max_size=12), st.data())
def test_about_each_day_is_that_days_about(log, data):
    """With about, each day shows ``as_of(day).about(text)``, for an id or a text."""
    words = sorted(
        {entry.event.event_id for entry in log}
        | {entry.event.event_id.upper() for entry in log}
        | {actor for entry in log for actor in entry.event.actors}
        | {entry.event.report.outlet.name for entry in log}
    )
    text = data.draw(
        st.sampled_from(words) if words else st.just("nothing"), label="about"
    )
    text = data.draw(st.sampled_from([text, text[1:-1] or text]), label="part")
    page = Page(render_html(log, about=text))

    for day_text in json.loads(page.data)["days"]:
        known = log.as_of(D(day_text))
        about = known.about(text)
        assert [row.event_id for row in page.snapshot(day_text)] == [
            row.happening.event_id for row in rows_of(about)
        ]
        assert page.summary(day_text) == headline(known, about)


def edges(page: Page) -> list[tuple[dt.date, dt.date, float, float]]:
    """Return every closed, single-range date drawn, with its band's edges."""
    out = []
    for row in page.rows.values():
        for lane, bands in zip(row.lanes, row.bands, strict=True):
            if "data-when" not in lane or len(bands) != 1:
                continue
            date = FuzzyDate.from_edtf(lane["data-when"])
            if date.earliest is not None and date.latest is not None:
                out.append((date.earliest, date.latest, *bands[0]))
    return out


@settings(suppress_health_check=[HealthCheck.too_slow])  # logs() is slow to draw
@given(logs(max_size=12))
def test_bands_keep_order_and_containment(log):
    """A date certainly before another is drawn before it; one inside, inside."""
    drawn = edges(Page(render_html(log)))

    for earliest, latest, left, right in drawn:
        for other_earliest, other_latest, other_left, other_right in drawn:
            if latest < other_earliest:
                assert right <= other_left + 1e-6
            if earliest <= other_earliest <= other_latest <= latest:
                assert left <= other_left + 1e-6
                assert other_right <= right + 1e-6


class TestNotebook:
    """Knowledge and its parts as tables, records and data frames."""

    def test_knowledge_table(self):
        """One row per happening, conflicts marked, caption with the date."""
        knowledge = CORPUS.as_of(D("2017-10-04"))

        table = knowledge._repr_html_()

        assert table == render_table(knowledge)
        assert table.startswith(
            '<table class="timeline-knowledge"><caption>Knowledge as of 2017-10-04'
        )
        assert table.count("<tr><td>") == len(knowledge)
        assert (
            "≠ 2017-09-24 “on Sept. 24” <small>(Military Times → TASS)</small>" in table
        )

    def test_large_knowledge_is_cut_at_a_hundred_rows(self):
        """A table of 101 happenings shows 100 and says one more."""
        log = EventLog(clock=FakeClock())
        log.extend(
            Statement(
                event_id=f"s{i:03}", report=report("A", D("2020-01-01")), speaker="x"
            )
            for i in range(101)
        )

        table = log.as_of(D("2020-01-01"))._repr_html_()

        assert table.count("<tr><td><code>") == 100
        assert "… and 1 more" in table

    def test_happening_table(self):
        """A happening shows its fields, then claims, responses and withdrawn claims."""
        happening = SEEN.as_of(D("2017-10-04"))["shoigu-deir-ez-zour-visit"]

        table = happening._repr_html_()

        assert table == render_table(happening)
        assert "shoigu-deir-ez-zour-visit: visit (retracted, reported)" in table
        assert "<h4>Responses</h4>" in table
        assert "<h4>Withdrawn by their source</h4>" in table
        assert "<h4>Claims</h4>" not in table

    def test_field_table(self):
        """A field in conflict marks each value, with sources and first-known day."""
        field = CORPUS.as_of(D("2017-10-04"))["asapov-death"].fields["when"]

        table = field._repr_html_()

        assert table == render_table(field)
        assert "<caption>when: in conflict</caption>" in table
        assert (
            "<td>≠ 2017-09-24 “on Sept. 24”</td><td>Military Times → TASS</td>"
            "<td>2017-10-04</td>" in table
        )

    def test_settled_field_table(self):
        """A settled field is said to be settled, with no conflict marks."""
        field = CORPUS.as_of(D("2017-10-04"))["amaq-capture"].fields["captor"]

        assert "<caption>captor: settled</caption>" in render_table(field)
        assert "≠" not in render_table(field)

    def test_claim_details(self):
        """A claim shows its report's title, link, range, grades and note."""
        happening = SHAPES.as_of(D("2020-03-06"))["death"]

        table = render_table(happening)

        assert "(dated from its text: 2020-03-02 to 2020-03-04)" in table
        assert "<cite>What happened</cite>" in table
        assert "reliability B, credibility 2" in table
        assert "Note: read from the caption" in table
        assert "death, when: 2020-02-20 “on Feb. 20”" in table

    def test_records_are_flat(self):
        """One flat record per claim, dates as text, facts as columns."""
        records = CORPUS.as_of(D("2017-10-04")).to_records()
        death = [r for r in records if r["event_id"] == "asapov-death" and r["when"]]

        assert [(r["when"], r["outlet"], r["in_conflict"]) for r in death] == [
            ("2017-09-23", "DEBKA Weekly", True),
            ("2017-09-24", "Military Times", True),
        ]
        assert all(
            isinstance(value, str | int | bool | type(None))
            for record in records
            for value in record.values()
        )

    def test_data_frame(self):
        """The records load into pandas, one row per claim."""
        pytest.importorskip("pandas")
        knowledge = CORPUS.as_of(D("2017-10-04"))

        frame = knowledge.to_dataframe()

        assert len(frame) == len(knowledge.to_records())
        disputed = frame[frame["status"] == Status.DISPUTED.value]
        assert set(disputed["event_id"]) == {
            "asapov-colonels-deaths",  # killed by the same shell as Asapov
            "asapov-death",
            "asapov-command-post-shelling",
            "palmyra-car-bombing",
            "russian-mod-statement-us-obstacle",  # rebutted by the coalition
        }

    def test_data_frame_without_pandas(self, monkeypatch):
        """Without pandas the error says which extra to install."""
        monkeypatch.setitem(sys.modules, "pandas", None)

        with pytest.raises(ImportError, match=r"contested-timeline\[pandas\]"):
            CORPUS.as_of(D("2017-10-04")).to_dataframe()


def test_a_tuple_fact_reads_as_a_list():
    """A claim's actors read "a, b" in the happening's table."""
    log = EventLog(clock=FakeClock())
    log.append(
        Capture(
            event_id="c",
            report=report("A", D("2020-01-01")),
            captor="X",
            captives="two",
            actors=("a", "b"),
        )
    )

    assert "<th>actors</th><td>a, b <small>(A)</small></td>" in render_table(
        log.as_of(D("2020-01-01"))["c"]
    )


class TestCommand:
    """``timeline html OUT.html`` writes the page."""

    def test_writes_the_corpus_page(self, tmp_path, capsys):
        """Without --log the page replays the bundled corpus."""
        out = tmp_path / "timeline.views.html"

        code = main(["html", str(out)])

        assert code == 0
        assert out.read_text(encoding="utf-8") == render_html(CORPUS)
        assert capsys.readouterr().out == (
            f"wrote {out}: what the bundled corpus knew on each day "
            "from 2016-06-18 to 2017-10-05\n"
        )

    def test_a_stored_log_about_a_subject(self, tmp_path, capsys):
        """--log and --about choose the log and the happenings."""
        stored = tmp_path / "log.jsonl"
        out = tmp_path / "asapov.html"
        assert main(["export", str(stored)]) == 0

        code = main(["html", "--log", str(stored), "--about", "Asapov", str(out)])

        assert code == 0
        assert out.read_text(encoding="utf-8") == render_html(CORPUS, about="Asapov")
        assert f"what {stored} knew" in capsys.readouterr().out

    def test_an_empty_log(self, tmp_path, capsys):
        """An empty stored log makes a page with no report days."""
        stored = tmp_path / "empty.jsonl"
        EventLog.open(stored).close()

        code = main(["html", "--log", str(stored), str(tmp_path / "e.html")])

        assert code == 0
        assert capsys.readouterr().out.endswith("knew on each day\n")
