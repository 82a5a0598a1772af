import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline import EventLog, FuzzyDate
from timeline.cli import main
from timeline.corpus import load_corpus
from timeline.model.events import Statement
from timeline.projections import Knowledge
from timeline.strategies import logs
from timeline.views import plot
from timeline.views.plot import render_svg

from .helpers import FakeClock, report
from .pictures import seen_log, shapes_log

D = dt.date.fromisoformat
SVG = "{http://www.w3.org/2000/svg}"
CORPUS = load_corpus()
SEEN = seen_log()
SHAPES = shapes_log()


def parse(svg: str) -> ET.Element:
    """Return the root of an SVG document we wrote."""
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted XML


def classes(element: ET.Element) -> set[str]:
    """Return an element's CSS classes."""
    return set(element.get("class", "").split())


def rows(svg: str) -> dict[str, ET.Element]:
    """Return the drawn rows by happening id."""
    return {
        group.get("data-event-id", ""): group
        for group in parse(svg).iter(f"{SVG}g")
        if "row" in classes(group)
    }


def lanes(row: ET.Element) -> list[tuple[set[str], str | None, str, str]]:
    """Return each lane's classes, date, sources and label."""
    return [
        (
            classes(lane) - {"lane"},
            lane.get("data-when"),
            lane.get("data-sources", ""),
            "".join(next(t for t in lane.iter(f"{SVG}text")).itertext()),
        )
        for lane in row
        if "lane" in classes(lane)
    ]


def span(row: ET.Element) -> tuple[float, float]:
    """Return the left and right edge of a row's first band."""
    rect = next(row.iter(f"{SVG}rect"))
    left = float(rect.get("x", "nan"))
    return left, left + float(rect.get("width", "nan"))


def texts(svg: str, css: str) -> list[str]:
    """Return the text of every ``<text>`` with class *css*."""
    return [
        "".join(text.itertext())
        for text in parse(svg).iter(f"{SVG}text")
        if css in classes(text)
    ]


class TestAsapov:
    """The founding conflict, drawn as of three knowledge dates."""

    def test_nothing_of_the_death_before_the_first_report(self):
        """On 2017-09-27 nobody had reported Asapov's death: no row for it."""
        svg = render_svg(CORPUS.as_of(D("2017-09-27")))

        assert "asapov-death" not in rows(svg)
        assert "Asapov" not in svg

    def test_one_date_once_debka_reports(self):
        """On 2017-09-28 one date is drawn, DEBKA's Sept. 23, not as a conflict."""
        row = rows(render_svg(CORPUS.as_of(D("2017-09-28"))))["asapov-death"]

        assert lanes(row) == [
            (
                {"value"},
                "2017-09-23",
                "DEBKA Weekly",
                "2017-09-23 “on Sept. 23” · DEBKA Weekly",
            )
        ]

    def test_the_conflict_side_by_side_once_military_times_reports(self):
        """On 2017-10-04 both dates are drawn as a conflict, each with its sources."""
        row = rows(render_svg(CORPUS.as_of(D("2017-10-04"))))["asapov-death"]

        assert lanes(row) == [
            (
                {"conflict"},
                "2017-09-23",
                "DEBKA Weekly",
                "≠ 2017-09-23 “on Sept. 23” · DEBKA Weekly",
            ),
            (
                {"conflict"},
                "2017-09-24",
                "Military Times → TASS",
                "≠ 2017-09-24 “on Sept. 24” · Military Times → TASS",
            ),
        ]
        assert "status-disputed" in classes(row)

    def test_the_conflicting_bands_sit_side_by_side(self):
        """Sept. 23 ends where Sept. 24 begins."""
        row = rows(render_svg(CORPUS.as_of(D("2017-10-04"))))["asapov-death"]
        first, second = (span(lane) for lane in row if "lane" in classes(lane))

        assert first[1] == pytest.approx(second[0], abs=0.2)


class TestUncertainty:
    """Bands span every day a date allows."""

    def test_a_month_spans_its_month(self):
        """A visit "in September" spans Sept. 23 and ends where Oct. 1 begins."""
        drawn = rows(render_svg(SEEN.as_of(D("2017-10-04"))))
        visit = span(drawn["shoigu-deir-ez-zour-visit"])
        sept_23 = span(drawn["asapov-colonels-deaths"])
        oct_1 = span(drawn["fedyanin-death"])

        assert visit[0] < sept_23[0] < sept_23[1] < visit[1]
        assert visit[1] == pytest.approx(oct_1[0], abs=0.2)

    def test_a_summer_spans_june_to_august(self):
        """A season "over the summer" ends where the month of September begins."""
        drawn = rows(render_svg(SEEN.as_of(D("2017-10-04"))))
        summer = span(drawn["us-downs-iranian-drones"])
        september = span(drawn["shoigu-deir-ez-zour-visit"])

        assert summer[0] < summer[1] == pytest.approx(september[0], abs=0.2)

    def test_one_of_dates_are_separate_bands(self):
        """A "one of" date draws one band per candidate day, joined by a dotted line."""
        row = rows(render_svg(SHAPES.as_of(D("2020-03-06"))))["one-of"]

        assert len(list(row.iter(f"{SVG}rect"))) == 2
        assert [line.get("class") for line in row.iter(f"{SVG}line")] == [
            "grid",
            "oneof",
        ]

    @pytest.mark.parametrize("event_id", ["until", "since"])
    def test_open_ends_get_an_arrow(self, event_id):
        """A date open at one end runs to the edge and ends in an arrow."""
        row = rows(render_svg(SHAPES.as_of(D("2020-03-06"))))[event_id]

        assert len(list(row.iter(f"{SVG}path"))) == 1


class TestMarks:
    """Denied, retracted and corrected claims are visibly marked."""

    def test_a_denial_is_named_under_the_title(self):
        """Amaq's capture claim is marked denied, and the denier is named."""
        svg = render_svg(CORPUS.as_of(D("2017-10-04")))
        row = rows(svg)["amaq-capture"]

        assert "status-denied" in classes(row)
        assert "DENIED" in "".join(row.itertext())
        assert any(
            text.startswith("denied by Russian Ministry of Defense, 2017-10-04")
            for text in texts(svg, "note")
        )

    def test_a_retracted_claim_is_struck_through(self):
        """The retracted visit keeps its band, dashed, with its retraction named."""
        before = rows(render_svg(SEEN.as_of(D("2017-10-01"))))
        after = rows(render_svg(SEEN.as_of(D("2017-10-02"))))

        assert lanes(before["shoigu-deir-ez-zour-visit"])[0][0] == {"value"}
        row = after["shoigu-deir-ez-zour-visit"]
        assert lanes(row) == [
            (
                {"withdrawn"},
                "2017-09",
                "Example Wire",
                "retracted: 2017-09 “in September” · Example Wire",
            )
        ]
        assert "status-retracted" in classes(row)

    def test_a_correction_keeps_both_claims(self):
        """The corrected claim is struck through beside the correcting one."""
        row = rows(render_svg(SHAPES.as_of(D("2020-03-06"))))["corrected"]

        assert [(kinds, when) for kinds, when, _, _ in lanes(row)] == [
            ({"value"}, "2020-02-07"),
            ({"withdrawn"}, "2020-02-06"),
        ]
        assert "corrected: 2020-02-06 · Beta Agency" in lanes(row)[1][3]

    def test_undated_happenings_follow_the_dated_ones(self):
        """Undated happenings come last, saying so."""
        drawn = rows(render_svg(SHAPES.as_of(D("2020-03-06"))))

        assert list(drawn)[-2:] == ["denied", "undated"]
        assert lanes(drawn["undated"]) == [
            ({"undated"}, None, "Alpha Times", "no date reported")
        ]


class TestPicture:
    """The document as a whole."""

    def test_heading_names_the_date_and_the_filter(self):
        """The title says what was known when, and about what."""
        knowledge = CORPUS.as_of(D("2017-10-04"))
        svg = render_svg(knowledge, about="Asapov")

        assert texts(svg, "title")[0] == "What was known on 2017-10-04, about “Asapov”"
        assert set(rows(svg)) == {h.event_id for h in knowledge.about("Asapov")}
        assert len(rows(svg)) < len(knowledge)

    def test_an_empty_record_says_so(self):
        """With nothing known, the picture says it and draws no axis ticks."""
        svg = render_svg(Knowledge(D("2020-01-01"), 0, ()))

        assert "nothing was known on this date" in texts(svg, "summary")
        assert not rows(svg)

    def test_axis_labels_years_and_months(self):
        """The corpus axis names the years 2016 and 2017 and some months."""
        svg = render_svg(CORPUS.as_of(D("2017-10-04")))
        labels = [
            "".join(text.itertext())
            for group in parse(svg).iter(f"{SVG}g")
            if "axis" in classes(group)
            for text in group.iter(f"{SVG}text")
        ]

        assert {"2016", "2017"} <= set(labels)
        assert any(len(label) == 7 for label in labels)

    def test_centuries_of_dates_get_sparse_year_ticks(self):
        """Dates from year 1 to 9999 still draw, with few year labels and no months."""
        log = EventLog(clock=FakeClock())
        log.extend(
            Statement(
                event_id=f"s{index}",
                report=report("Alpha", D("2020-01-01")),
                when=FuzzyDate.exact(day),
                speaker="x",
            )
            for index, day in enumerate([dt.date.min, dt.date(5000, 6, 1), dt.date.max])
        )
        svg = render_svg(log.as_of(D("2020-01-01")))
        labels = [
            "".join(text.itertext())
            for group in parse(svg).iter(f"{SVG}g")
            if "axis" in classes(group)
            for text in group.iter(f"{SVG}text")
        ]

        assert 0 < len(labels) <= 12
        assert all(label.isdigit() for label in labels)

    def test_text_that_xml_cannot_hold_is_replaced(self):
        """Control characters in a quote do not break the document."""
        log = EventLog(clock=FakeClock())
        log.append(
            Statement(
                event_id="odd\x00id",
                report=report("Alpha\x07", D("2020-01-01")),
                speaker="<b>&",
                quote="a\x1bb",
            )
        )
        svg = render_svg(log.as_of(D("2020-01-01")))

        assert list(rows(svg)) == ["odd\ufffdid"]


@settings(suppress_health_check=[HealthCheck.too_slow])  # logs() is slow to draw
@given(logs(max_size=15), st.data())
def test_every_happening_and_every_reported_date_is_drawn(log, data):
    """Each known happening has one row, with a lane per reported date."""
    days = sorted(
        {entry.event.report.published_day for entry in log} or {D("2017-09-01")}
    )
    knowledge = log.as_of(data.draw(st.sampled_from(days)))

    drawn = rows(render_svg(knowledge))

    assert set(drawn) == {happening.event_id for happening in knowledge}
    for happening in knowledge:
        field = happening.fields.get("when")
        live = {str(value.value) for value in field.values} if field else set()
        withdrawn = {
            str(entry.event.when) for entry in happening.withdrawn if entry.event.when
        }
        when = {date for _, date, _, _ in lanes(drawn[happening.event_id])}
        assert when - {None} == live | withdrawn


class TestCommand:
    """``timeline plot [--on DATE] OUT.svg`` draws the picture."""

    def test_as_of_a_date(self, tmp_path, capsys):
        """--on picks the knowledge date; --about the happenings."""
        out = tmp_path / "asapov.svg"

        code = main(["plot", "--on", "2017-09-28", "--about", "Asapov", str(out)])

        assert code == 0
        assert out.read_text(encoding="utf-8") == render_svg(
            CORPUS.as_of(D("2017-09-28")), about="Asapov"
        )
        assert capsys.readouterr().out == (
            f"wrote {out}: what the bundled corpus knew on 2017-09-28\n"
        )

    def test_the_latest_report_day_by_default(self, tmp_path):
        """Without --on the picture shows the day of the latest report."""
        out = tmp_path / "all.SVG"

        assert main(["plot", str(out)]) == 0
        assert "What was known on 2017-10-05" in out.read_text(encoding="utf-8")

    @pytest.mark.parametrize(
        ("name", "message"),
        [
            ("picture.png", "PNG is not supported; write an .svg and convert it"),
            ("picture.pdf", "the picture is SVG, so its name must end in .svg"),
        ],
    )
    def test_other_formats_are_refused(self, tmp_path, capsys, name, message):
        """PNG and other formats fail with a message naming the file."""
        out = tmp_path / name

        code = main(["plot", str(out)])

        assert code == 1
        assert not out.exists()
        assert f"timeline plot: error: {out}: {message}" in capsys.readouterr().err


def test_the_docs_picture_is_current():
    """The how-to's picture is what ``timeline plot`` draws today."""
    picture = Path(__file__).parents[1] / "docs" / "_static" / "asapov-2017-10-04.svg"
    expected = render_svg(CORPUS.as_of(D("2017-10-04")), about="Asapov")

    assert picture.read_text(encoding="utf-8") == expected, (
        "regenerate it: timeline plot --on 2017-10-04 --about Asapov "
        "docs/_static/asapov-2017-10-04.svg"
    )


@given(st.text())
def test_the_svg_escapes_as_the_standard_library_does(text):
    """The SVG's escapes are xml.sax.saxutils', written out not to import it."""
    assert plot._escape(text) == escape(text)
    assert plot._quoteattr(text) == quoteattr(text)
    for quotes in ("'", '"', "'\""):
        assert plot._quoteattr(text + quotes) == quoteattr(text + quotes)
