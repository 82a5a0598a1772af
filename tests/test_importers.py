"""Importing UCDP GED: real rows in, claims out, nothing dropped silently.

Two events below are copied from UCDP GED 23.1 (UCDP, Uppsala University;
CC BY 4.0; Sundberg and Melander 2013, Journal of Peace Research 50(4);
Davies, Pettersson and Öberg 2023, Journal of Peace Research 60(4)); the
200-row sample is read from ../shared/data where it is present.
"""

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from timeline import EventLog
from timeline.cli import main
from timeline.errors import InvalidInputError
from timeline.importers import Batch, Reject, read_ucdp_ged
from timeline.model.dates import Precision
from timeline.model.events import Estimate
from timeline.model.incidents import Incident
from timeline.views.html import render_html
from timeline.views.records import knowledge_record

RELEASED = dt.date(2023, 6, 1)  # A day after the sources, standing for the release.
GED_HEADER = [
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
]
# UCDP GED 23.1 event 212386: one source; low 4, best 3, high 3 as released.
AFGHANISTAN = {
    "id": "212386.0",
    "relid": "AFG-2015-1-327-68.5",
    "year": "2015.0",
    "active_year": "1.0",
    "code_status": "Clear",
    "type_of_violence": "1.0",
    "conflict_name": "Afghanistan: Government",
    "dyad_name": "Government of Afghanistan - Taleban",
    "side_a": "Government of Afghanistan",
    "side_b": "Taleban",
    "number_of_sources": "1.0",
    "source_article": (
        '"Xinhua News Agency,2015-01-12,24 militants killed in fresh operations: '
        "Afghan gov't\""
    ),
    "source_office": "Xinhua News Agency",
    "source_date": "2015-01-12",
    "source_headline": "24 militants killed in fresh operations: Afghan gov't",
    "source_original": "Interior Ministry",
    "where_prec": "4.0",
    "where_coordinates": "Parwan province",
    "where_description": (
        "Nangarhar, Parwan, Baghlan, Badakhshan, Khost and Paktika provinces"
    ),
    "adm_1": "Parwan province",
    "latitude": "35.0",
    "longitude": "68.91667",
    "geom_wkt": "POINT (68.91667 35)",
    "country": "Afghanistan",
    "region": "Asia",
    "event_clarity": "2.0",
    "date_prec": "2.0",
    "date_start": "2015-01-11",
    "date_end": "2015-01-12",
    "deaths_a": "0.0",
    "deaths_b": "3.0",
    "deaths_civilians": "0.0",
    "deaths_unknown": "0.0",
    "best": "3.0",
    "high": "3.0",
    "low": "4.0",
    "gwnoa": "700.0",
}
# UCDP GED 23.1 event 193210: four sources on two days; a headline holds ";".
BASILAN = {
    "id": "193210.0",
    "relid": "PHI-2015-1-249-1.2",
    "type_of_violence": "1.0",
    "conflict_name": "Philippines: Mindanao",
    "side_a": "Government of Philippines",
    "side_b": "ASG",
    "number_of_sources": "4.0",
    "source_article": (
        '"Xinhua News Agency,2015-01-21,2 Abu Sayyaf members killed, 6 others '
        'wounded in S. Philippines";"PNA (Philippines News Agency),2015-01-21,'
        "Troops capture 2 ASG camps in Basilan; 1 bandit killed, 3 others wounded "
        'in fresh clashes By Teofilo Garcia Jr.";"Associated Press Newswires,'
        '2015-01-21,Philippine troops kill 3 Abu Sayyaf militants";"BBC Monitoring '
        'Asia Pacific,2015-01-24,Philippine troops kill six Abu Sayyaf militants"'
    ),
    "source_office": (
        "Xinhua News Agency;PNA (Philippines News Agency);Associated Press "
        "Newswires;BBC Monitoring Asia Pacific"
    ),
    "source_date": "2015-01-21;2015-01-21;2015-01-21;2015-01-24",
    "source_headline": (
        "2 Abu Sayyaf members killed, 6 others wounded in S. Philippines;Troops "
        "capture 2 ASG camps in Basilan; 1 bandit killed, 3 others wounded in fresh "
        "clashes By Teofilo Garcia Jr.;Philippine troops kill 3 Abu Sayyaf "
        "militants;Philippine troops kill six Abu Sayyaf militants"
    ),
    "source_original": "security official",
    "where_prec": "1.0",
    "where_coordinates": "Kaumpamatsakem village",
    "where_description": "Pamatsaken village,  in Sumisip town",
    "adm_1": "Basilan province",
    "adm_2": "Sumisip municipality",
    "geom_wkt": "POINT (122.01183700562 6.5468581841972)",
    "country": "Philippines",
    "event_clarity": "1.0",
    "date_prec": "1.0",
    "date_start": "2015-01-20",
    "date_end": "2015-01-20",
    "deaths_a": "0.0",
    "deaths_b": "3.0",
    "deaths_civilians": "0.0",
    "deaths_unknown": "0.0",
    "best": "3.0",
    "high": "3.0",
    "low": "3.0",
}


def ged_file(tmp_path: Path, *rows: dict[str, str], name: str = "ged.csv") -> Path:
    """Write *rows* as a GED CSV file with the release's 49 columns."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=GED_HEADER, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in GED_HEADER})
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def changed(row: dict[str, str], **changes: str) -> dict[str, str]:
    """Return a copy of *row* with some cells changed."""
    return {**row, **changes}


# -- The 200-row sample -------------------------------------------------------


@pytest.fixture(scope="module")
def batch(shared_data):
    """Return the 200-row sample read, released on RELEASED."""
    return read_ucdp_ged(
        shared_data / "ucdp-ged-23.1-sample-200.csv", released=RELEASED
    )


class TestSample:
    """The real 200-row sample of GED 23.1, end to end."""

    def test_counts(self, batch):
        """200 rows, one happening each, one claim per source, none refused."""
        assert (batch.rows, len(batch.claims), batch.happenings) == (200, 279, 200)
        assert (batch.rejects, batch.inconsistent_estimates) == ((), 2)

    def test_every_source_is_a_claim_on_its_day(self, batch, shared_data):
        """Each dated source of a row is one claim, published on its own date."""
        path = shared_data / "ucdp-ged-23.1-sample-200.csv"
        with path.open(encoding="utf-8", newline="") as file:
            rows = list(csv.DictReader(file))
        expected = sorted(
            (f"ucdp-{int(float(row['id']))}", date or RELEASED.isoformat())
            for row in rows
            for date in (row["source_date"].split(";") or [""])
        )

        claimed = sorted(
            (claim.event_id, claim.report.published.isoformat())
            for claim in batch.claims
        )

        assert claimed == expected

    def test_a_happening_as_of_several_dates(self, batch):
        """What was known of event 193210 follows its four sources' days."""
        log = EventLog()
        batch.append_to(log)

        def known(day: str) -> list[str] | None:
            happening = log.happening("ucdp-193210", as_of=dt.date.fromisoformat(day))
            if happening is None:
                return None
            return [entry.event.report.outlet.name for entry in happening.claims]

        assert known("2015-01-20") is None  # It happened; nobody had said so.
        assert len(known("2015-01-21") or []) == 3
        assert sorted(known("2015-01-24") or []) == [
            "Associated Press Newswires",
            "BBC Monitoring Asia Pacific",
            "PNA (Philippines News Agency)",
            "Xinhua News Agency",
        ]
        assert len(log.history("ucdp-193210")) == 2

    def test_the_out_of_order_estimates_are_kept(self, batch):
        """UCDP's two estimates out of order are there as given, marked."""
        inconsistent = {
            claim.event_id: claim.deaths
            for claim in batch.claims
            if isinstance(claim, Incident)
            and claim.deaths is not None
            and not claim.deaths.consistent
        }

        assert inconsistent == {
            "ucdp-193150": Estimate(low=4, best=4, high=3),
            "ucdp-212386": Estimate(low=4, best=3, high=3),
        }

    def test_undated_events_are_known_from_the_release(self, batch):
        """An event no dated source gives is UCDP's claim, on the release day."""
        by_ucdp = [c for c in batch.claims if c.report.outlet.name == "UCDP"]

        assert len({claim.event_id for claim in by_ucdp}) == 63
        assert {claim.report.published for claim in by_ucdp} == {RELEASED}

    def test_the_command_imports_it(self, shared_data, tmp_path, capsys):
        """`timeline import ucdp-ged` writes the log and counts what it did."""
        out = tmp_path / "ged.sqlite"
        path = shared_data / "ucdp-ged-23.1-sample-200.csv"

        code = main(
            [
                "import",
                "ucdp-ged",
                str(path),
                "--log",
                str(out),
                "--json",
                "--released",
                "2023-06-01",
            ]
        )

        document = json.loads(capsys.readouterr().out)
        assert code == 0
        assert {k: document[k] for k in ("rows", "claims", "happenings")} == {
            "rows": 200,
            "claims": 279,
            "happenings": 200,
        }
        assert (document["first_seq"], document["last_seq"]) == (1, 279)
        with EventLog.open(out, mode="r") as log:
            assert len(log) == 279


# -- Rows to claims -----------------------------------------------------------


class TestRows:
    """How one GED row becomes claims."""

    def test_one_claim_per_source_with_its_headline(self, tmp_path):
        """Sources line up; a headline holding ';' is found from the articles."""
        batch = read_ucdp_ged(ged_file(tmp_path, BASILAN))

        assert [(c.report.outlet.name, c.report.title) for c in batch.claims] == [
            (
                "Xinhua News Agency",
                "2 Abu Sayyaf members killed, 6 others wounded in S. Philippines",
            ),
            (
                "PNA (Philippines News Agency)",
                "Troops capture 2 ASG camps in Basilan; 1 bandit killed, 3 others "
                "wounded in fresh clashes By Teofilo Garcia Jr.",
            ),
            (
                "Associated Press Newswires",
                "Philippine troops kill 3 Abu Sayyaf militants",
            ),
            (
                "BBC Monitoring Asia Pacific",
                "Philippine troops kill six Abu Sayyaf militants",
            ),
        ]

    def test_the_facts_of_a_row(self, tmp_path):
        """Place, sides, the dead by side and in all, as UCDP coded them."""
        (claim,) = read_ucdp_ged(ged_file(tmp_path, AFGHANISTAN)).claims

        assert isinstance(claim, Incident)
        assert claim.event_id == "ucdp-212386"
        assert claim.facts() == {
            "when": claim.when,
            "where": "Parwan province",
            "actors": ("Government of Afghanistan", "Taleban"),
            "kind": "state-based conflict",
            "side_a": "Government of Afghanistan",
            "side_b": "Taleban",
            "conflict_name": "Afghanistan: Government",
            "deaths": Estimate(low=4, best=3, high=3),
            "deaths_side_a": Estimate(best=0),
            "deaths_side_b": Estimate(best=3),
            "deaths_civilians": Estimate(best=0),
            "deaths_unknown": Estimate(best=0),
            "country": "Afghanistan",
            "coordinates": "POINT (68.91667 35)",
            "place_precision": "where_prec 4: first-order administrative division",
        }
        assert [s.name for s in claim.attribution] == ["Interior Ministry"]
        assert "UCDP GED event 212386 (AFG-2015-1-327-68.5)" in (claim.note or "")

    @pytest.mark.parametrize(
        ("prec", "start", "end", "precision"),
        [
            ("1.0", "2015-01-12", "2015-01-12", Precision.DAY),
            ("2", "2015-01-10", "2015-01-12", Precision.DAY),
            ("3", "2015-01-06", "2015-01-12", Precision.DAY),
            ("4", "2015-01-01", "2015-01-31", Precision.MONTH),
            ("5.0", "2015-01-01", "2015-12-31", Precision.YEAR),
        ],
    )
    def test_when_comes_from_the_dates_and_their_precision(
        self, tmp_path, prec, start, end, precision
    ):
        """date_start and date_end bound the days; date_prec says how it was known."""
        row = changed(AFGHANISTAN, date_prec=prec, date_start=start, date_end=end)
        (claim,) = read_ucdp_ged(ged_file(tmp_path, row)).claims

        assert claim.when is not None
        assert (claim.when.earliest, claim.when.latest, claim.when.precision) == (
            dt.date.fromisoformat(start),
            dt.date.fromisoformat(end),
            precision,
        )

    def test_a_source_without_a_date_is_known_from_the_release(self, tmp_path):
        """UCDP is the outlet, citing the source, on the release day."""
        row = changed(
            BASILAN,
            source_date="2015-01-21;2015-01-21;2015-01-21;",
            number_of_sources="",
        )
        claims = read_ucdp_ged(ged_file(tmp_path, row), released=RELEASED).claims

        last = claims[-1]
        assert (last.report.outlet.name, last.report.published) == ("UCDP", RELEASED)
        assert [s.name for s in last.attribution] == ["BBC Monitoring Asia Pacific"]

    def test_an_event_without_sources_needs_the_release_day(self, tmp_path):
        """Without released=, events known only from the release are refused."""
        row = changed(AFGHANISTAN, source_office="", source_date="", source_headline="")
        path = ged_file(tmp_path, row)

        with pytest.raises(InvalidInputError, match=r"1 events have no dated source"):
            read_ucdp_ged(path)
        (claim,) = read_ucdp_ged(path, released=RELEASED).claims
        assert (claim.report.outlet.name, claim.report.published) == ("UCDP", RELEASED)
        assert "source article, as UCDP gives it" in (claim.note or "")

    @pytest.mark.parametrize(
        ("changes", "column", "reason"),
        [
            ({"id": ""}, "id", "no id"),
            ({"id": "12.5"}, "id", "expected a whole number"),
            ({"date_start": "2015-02-30"}, "date_start", "day is out of range"),
            ({"date_start": "12/01/2015"}, "date_start", "is not a day"),
            ({"date_end": "2015-01-01"}, "date_end", "before date_start"),
            ({"date_prec": "9"}, "date_prec", "expected 1 to 5"),
            ({"best": "-3"}, "best", "cannot be negative"),
            ({"deaths_b": "three"}, "deaths_b", "expected a whole number"),
            ({"type_of_violence": "4"}, "type_of_violence", "expected 1, 2 or 3"),
            ({"source_date": "2015-01-12;2015-01-13"}, "source_date", "lined up"),
            ({"source_date": "2015-13-12"}, "source_date", "month must be"),
        ],
    )
    def test_a_row_that_cannot_be_a_claim_is_a_reject(
        self, tmp_path, changes, column, reason
    ):
        """The row's number, the column and the reason; the other rows still read."""
        path = ged_file(tmp_path, BASILAN, changed(AFGHANISTAN, **changes))

        batch = read_ucdp_ged(path, released=RELEASED)

        assert len(batch.claims) == 4
        (reject,) = batch.rejects
        assert (reject.row, reject.line, reject.column) == (3, 3, column)
        assert reason in reject.reason


# -- All or nothing -----------------------------------------------------------


class TestAllOrNothing:
    """A reject refuses the whole import, unless the rejects are written away."""

    def test_append_to_refuses_and_leaves_the_log_alone(self, tmp_path):
        """The error names row, column and reason; nothing is appended."""
        path = ged_file(tmp_path, BASILAN, changed(AFGHANISTAN, date_start="soon"))
        batch = read_ucdp_ged(path)
        log = EventLog()

        with pytest.raises(InvalidInputError, match=r"row 3, column date_start"):
            batch.append_to(log)
        assert len(log) == 0
        assert len(batch.append_to(log, partial=True)) == 4

    def test_write_rejects_keeps_the_row_and_says_why(self, tmp_path):
        """The rejects file has the input's columns, then where and why."""
        bad = changed(AFGHANISTAN, date_start="soon")
        batch = read_ucdp_ged(ged_file(tmp_path, BASILAN, bad))

        batch.write_rejects(tmp_path / "rejects.csv")

        with (tmp_path / "rejects.csv").open(encoding="utf-8", newline="") as file:
            (row,) = list(csv.DictReader(file))
        assert row["id"] == "212386.0"
        assert row["date_start"] == "soon"
        assert (row["reject_row"], row["reject_column"]) == ("3", "date_start")
        assert "is not a day" in row["reject_reason"]
        with pytest.raises(FileExistsError):
            batch.write_rejects(tmp_path / "rejects.csv")

    def test_the_command_refuses_and_writes_nothing(self, tmp_path, capsys):
        """Exit 1, one line naming row and column; no log is created."""
        path = ged_file(tmp_path, BASILAN, changed(AFGHANISTAN, best="many"))
        out = tmp_path / "out.jsonl"

        code = main(["import", "ucdp-ged", str(path), "--log", str(out)])

        err = capsys.readouterr().err
        assert code == 1
        assert err.count("\n") == 1
        assert "row 3, column best" in err
        assert not out.exists()

    def test_with_rejects_the_rest_is_imported(self, tmp_path, capsys):
        """--rejects writes the bad rows and imports the others."""
        path = ged_file(tmp_path, BASILAN, changed(AFGHANISTAN, best="many"))
        out, rejects = tmp_path / "out.jsonl", tmp_path / "bad.csv"

        code = main(
            [
                "import",
                "ucdp-ged",
                str(path),
                "--log",
                str(out),
                "--rejects",
                str(rejects),
            ]
        )

        assert code == 0
        assert "1 row rejected, written to" in capsys.readouterr().out
        with EventLog.open(out, mode="r") as log:
            assert len(log) == 4
        assert "many" in rejects.read_text(encoding="utf-8")

    def test_an_existing_rejects_file_is_never_overwritten(self, tmp_path, capsys):
        """The import stops before touching anything."""
        path = ged_file(tmp_path, BASILAN)
        out, rejects = tmp_path / "out.jsonl", tmp_path / "bad.csv"
        rejects.write_text("mine", encoding="utf-8")

        code = main(
            [
                "import",
                "ucdp-ged",
                str(path),
                "--log",
                str(out),
                "--rejects",
                str(rejects),
            ]
        )

        assert code == 1
        assert "never overwritten" in capsys.readouterr().err
        assert rejects.read_text(encoding="utf-8") == "mine"
        assert not out.exists()

    def test_a_missing_option_is_a_usage_error(self, tmp_path, capsys):
        """No --log: exit 2."""
        assert main(["import", "ucdp-ged", str(tmp_path / "x.csv")]) == 2
        assert "--log" in capsys.readouterr().err


# -- Hostile files ------------------------------------------------------------


def _existing_log(tmp_path: Path) -> tuple[Path, bytes]:
    out = tmp_path / "kept.jsonl"
    assert (
        main(
            ["import", "ucdp-ged", str(ged_file(tmp_path, BASILAN)), "--log", str(out)]
        )
        == 0
    )
    return out, out.read_bytes()


class TestHostileFiles:
    """Files that are not GED tables: one clear line, and the log unchanged."""

    @pytest.mark.parametrize(
        ("content", "match"),
        [
            (b"", "the file is empty"),
            (
                b"id,date_start\n1,2015-01-01\n",
                "lacks the columns relid, type_of_violence",
            ),
            (
                (",".join([*GED_HEADER, "id"]) + "\n").encode(),
                "names id twice",
            ),
            (
                (",".join(GED_HEADER) + "\n").encode()
                + "1,Ciudad Juárez\n".encode("latin-1"),
                r"line 2 is not utf-8 text \(byte 12 of the line, b'\\xe1'",
            ),
            (
                (",".join(GED_HEADER) + "\n").encode() + b'1,"unclosed\n',
                "not a CSV row: unexpected end of data",
            ),
        ],
    )
    def test_a_file_that_is_no_table(self, tmp_path, capsys, content, match):
        """Refused whole, naming the line; the target log keeps its bytes."""
        out, before = _existing_log(tmp_path)
        capsys.readouterr()
        path = tmp_path / "hostile.csv"
        path.write_bytes(content)

        with pytest.raises(InvalidInputError, match=match):
            read_ucdp_ged(path)
        code = main(["import", "ucdp-ged", str(path), "--log", str(out)])

        assert code == 1
        assert capsys.readouterr().err.count("\n") == 1
        assert out.read_bytes() == before

    def test_a_column_of_garbage(self, tmp_path, capsys):
        """Every row rejected at that column; nothing imported."""
        out, before = _existing_log(tmp_path)
        rows = [changed(BASILAN, id=str(i), date_start="n/a") for i in range(50)]
        path = ged_file(tmp_path, *rows)

        batch = read_ucdp_ged(path)
        code = main(["import", "ucdp-ged", str(path), "--log", str(out)])

        assert {(r.column, r.reason) for r in batch.rejects} == {
            ("date_start", "'n/a' is not a day: expected YYYY-MM-DD")
        }
        assert len(batch.rejects) == 50
        assert code == 1
        assert "50 rows of 50 cannot become claims" in capsys.readouterr().err
        assert out.read_bytes() == before

    @pytest.mark.parametrize("where", ["one line", "many lines"])
    def test_a_100_megabyte_field(self, tmp_path, capsys, where):
        """Refused with its line, without reading it whole into a row."""
        out, before = _existing_log(tmp_path)
        path = tmp_path / "huge.csv"
        piece = "x" * 1000 + ("\n" if where == "many lines" else "")
        with path.open("w", encoding="utf-8") as file:
            file.write(",".join(GED_HEADER) + '\n1,"')
            for _ in range(100_000):
                file.write(piece)
            file.write('"\n')

        with pytest.raises(InvalidInputError, match="line 2") as error:
            read_ucdp_ged(path)
        code = main(["import", "ucdp-ged", str(path), "--log", str(out)])

        assert "longer than" in str(error.value)
        assert code == 1
        assert out.read_bytes() == before

    def test_a_row_of_the_wrong_width_is_a_reject(self, tmp_path):
        """Too few or too many values: the row is rejected, the others read."""
        path = ged_file(tmp_path, BASILAN)
        with path.open("a", encoding="utf-8") as file:
            file.write("1,2,3\n\n")

        batch = read_ucdp_ged(path)

        assert [str(reject) for reject in batch.rejects] == [
            "row 3: the row has 3 values, the header 49 columns"
        ]
        assert batch.rows == 2

    def test_a_byte_order_mark_and_numbered_lines(self, tmp_path):
        """A UTF-8 BOM is not part of the first column; lines count across values."""
        row = changed(AFGHANISTAN, where_description="two\nlines", id="")
        path = ged_file(tmp_path, BASILAN, row)
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

        (reject,) = read_ucdp_ged(path).rejects

        assert (reject.row, reject.line, reject.column) == (3, 3, "id")
        assert str(reject) == "row 3, column id: no id: every GED event has one"


# -- The marking shows everywhere ---------------------------------------------


def test_an_inconsistent_estimate_shows_in_text_json_and_html(tmp_path, capsys):
    """The mark is in the command's text, its JSON and the HTML page."""
    out = tmp_path / "ged.jsonl"
    assert (
        main(
            [
                "import",
                "ucdp-ged",
                str(ged_file(tmp_path, AFGHANISTAN)),
                "--log",
                str(out),
            ]
        )
        == 0
    )
    capsys.readouterr()

    main(["known", "--on", "2015-01-12", "--log", str(out)])
    text = capsys.readouterr().out
    with EventLog.open(out, mode="r") as log:
        record = knowledge_record(log.as_of(dt.date(2015, 1, 12)))
        page = render_html(log)

    (value,) = record["happenings"][0]["fields"]["deaths"]["values"]
    assert "low 4, best 3, high 3 (inconsistent: out of order)" in text
    assert value["value"] == {"low": 4, "best": 3, "high": 3, "inconsistent": True}
    assert "(inconsistent: out of order)" in page


def test_reject_and_batch_are_plain_values():
    """A batch counts happenings; a reject prints where and why."""
    reject = Reject(7, 9, "low", "'x': expected a whole number >= 0", ("x",))
    batch = Batch("f.csv", "ucdp-ged", ("low",), 1, (), (reject,))

    assert (
        str(reject) == "row 7 (line 9), column low: 'x': expected a whole number >= 0"
    )
    assert batch.summary()["first_rejects"] == [
        {"row": 7, "line": 9, "column": "low", "reason": reject.reason}
    ]
    assert batch.happenings == 0


class TestOddRows:
    """Rows the sample has few of: every cell optional but the id and dates."""

    def test_several_undated_offices_and_no_descriptions(self, tmp_path):
        """Named in the note, none chosen as the claimant; empty cells say nothing."""
        row = {
            key: value
            for key, value in AFGHANISTAN.items()
            if key in {"id", "type_of_violence", "date_prec", "date_start"}
            or key == "date_end"
        }
        row |= {"source_office": "AFP;Reuters"}

        (claim,) = read_ucdp_ged(ged_file(tmp_path, row), released=RELEASED).claims

        assert claim.attribution == ()
        assert claim.note == (
            "UCDP GED event 212386; the facts are UCDP's coding of the event from "
            "all its sources, not this source's alone; sources named, undated: "
            "AFP; Reuters"
        )
        assert claim.facts()["kind"] == "state-based conflict"
        assert "coordinates" not in claim.facts()

    def test_headlines_that_cannot_be_lined_up_are_kept_in_the_note(self, tmp_path):
        """Neither the headlines nor the articles line up: no titles, the text kept."""
        row = changed(BASILAN, source_article="one article", geom_wkt="")
        row |= {"latitude": "6.546858", "longitude": "122.011837"}

        claims = read_ucdp_ged(ged_file(tmp_path, row)).claims

        assert {claim.report.title for claim in claims} == {None}
        assert "headlines, not in step with the sources: 2 Abu" in (
            claims[0].note or ""
        )
        assert claims[0].facts()["coordinates"] == "POINT (122.011837 6.546858)"

    def test_a_long_bad_value_is_cut_in_the_message(self, tmp_path):
        """The reason quotes the start of the value, not all of it."""
        row = changed(AFGHANISTAN, best="x" * 500)

        (reject,) = read_ucdp_ged(ged_file(tmp_path, row)).rejects

        assert reject.reason == f"{'x' * 59 + '…'!r}: expected a whole number >= 0"

    def test_an_unknown_encoding_is_named(self, tmp_path):
        """A misspelt encoding is a clear error, not a LookupError."""
        with pytest.raises(InvalidInputError, match="'utf-9' is not an encoding"):
            read_ucdp_ged(ged_file(tmp_path, AFGHANISTAN), encoding="utf-9")

    def test_latin_1_reads_when_named(self, tmp_path):
        """--encoding names the file's encoding."""
        path = ged_file(
            tmp_path, changed(AFGHANISTAN, where_coordinates="Ciudad Juárez")
        )
        path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
        out = tmp_path / "out.jsonl"

        code = main(
            [
                "import",
                "ucdp-ged",
                str(path),
                "--log",
                str(out),
                "--encoding",
                "latin-1",
            ]
        )

        assert code == 0
        with EventLog.open(out, mode="r") as log:
            assert log[1].event.where == "Ciudad Juárez, Parwan province"

    def test_a_log_that_cannot_be_written_leaves_no_file(self, tmp_path, capsys):
        """The log's suffix is refused: the rejects file and the log are removed."""
        path = ged_file(tmp_path, BASILAN, changed(AFGHANISTAN, id=""))
        out, rejects = tmp_path / "out.txt", tmp_path / "bad.csv"

        code = main(
            [
                "import",
                "ucdp-ged",
                str(path),
                "--log",
                str(out),
                "--rejects",
                str(rejects),
            ]
        )

        assert code == 1
        assert ".txt" in capsys.readouterr().err
        assert not out.exists()
        assert not rejects.exists()

    def test_an_existing_file_that_is_no_log_is_left_alone(self, tmp_path, capsys):
        """Appending fails; the file that was there keeps its bytes."""
        out = tmp_path / "notes.txt"
        out.write_text("my notes", encoding="utf-8")

        code = main(
            ["import", "ucdp-ged", str(ged_file(tmp_path, BASILAN)), "--log", str(out)]
        )

        assert code == 1
        capsys.readouterr()
        assert out.read_text(encoding="utf-8") == "my notes"


def test_a_ged_row_about_an_event_read_before_is_a_reject(tmp_path):
    """The same GED id on two rows: the second is refused, naming its column."""
    path = ged_file(tmp_path, AFGHANISTAN, BASILAN, AFGHANISTAN)

    batch = read_ucdp_ged(path, released=RELEASED)

    (reject,) = batch.rejects
    assert (reject.row, reject.column) == (4, "id")
    assert "an earlier row is about the same event" in reject.reason
    assert batch.happenings == 2
