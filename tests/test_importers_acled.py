"""Importing ACLED: its export in, one claim per source, known from the row's timestamp.

The real 200-row sample (ACLED, acleddata.com, from the example data of
ACLED's R package acledR) is read from ../shared/data, never copied here:
ACLED's terms limit redistributing its rows. The rows written by
`acled_file` below are invented, shaped after ACLED's public codebook; they
are no real event.
"""

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from timeline import EventLog, FuzzyDate
from timeline.cli import main
from timeline.errors import InvalidInputError
from timeline.importers import read_acled
from timeline.model.dates import Precision
from timeline.model.events import Estimate
from timeline.model.incidents import Incident

SAMPLE = "acled-2022-sample-200.csv"
HEADER = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
# Invented, in ACLED's shape: no such event happened.
INVENTED = {
    "event_id_cnty": "XYZ101",
    "event_date": "2022-03-10",
    "year": "2022",
    "time_precision": "1",
    "disorder_type": "Political violence",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "actor1": "Military Forces of Examplia (2020-)",
    "assoc_actor_1": "Police Forces of Examplia (2020-)",
    "inter1": "1",
    "actor2": "Example Liberation Front",
    "inter2": "2",
    "interaction": "12",
    "country": "Examplia",
    "admin1": "North",
    "admin2": "Riverside",
    "location": "Sampletown",
    "latitude": "10.5",
    "longitude": "20.25",
    "geo_precision": "1",
    "source": "Example Times; Example Radio",
    "source_scale": "National",
    "notes": "On 10 March 2022, the army clashed with the ELF near Sampletown. "
    "3 fatalities.",
    "fatalities": "3",
    "timestamp": "1647302400",  # 2022-03-15T00:00:00Z
}


def acled_file(tmp_path: Path, *rows: dict[str, str]) -> Path:
    """Write *rows* as a CSV file with ACLED's 31 export columns."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in HEADER})
    path = tmp_path / "acled.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_the_sample_end_to_end(shared_data):
    """200 rows, one happening each, one claim per source named, none refused."""
    batch = read_acled(shared_data / SAMPLE)

    assert (batch.rows, len(batch.claims), batch.happenings) == (200, 266, 200)
    assert batch.rejects == ()
    assert {claim.report.outlet.name for claim in batch.claims} == {"ACLED"}


def test_a_sampled_event_as_of_several_dates(shared_data):
    """MMR27726 happened on Jan. 5; ACLED's row, last changed Jan. 14, knows it."""
    log = EventLog()
    read_acled(shared_data / SAMPLE).append_to(log)

    before = log.happening("acled-MMR27726", as_of=dt.date(2022, 1, 13))
    after = log.happening("acled-MMR27726", as_of=dt.date(2022, 1, 14))

    assert before is None
    assert after is not None
    assert [e.event.claimant.name for e in after.claims] == [
        "Irrawaddy",
        "Democratic Voice of Burma",
    ]
    (deaths,) = after.fields["deaths"].values
    assert deaths.value == Estimate(low=4)
    assert after.fields["when"].values[0].value == FuzzyDate.exact(dt.date(2022, 1, 5))


def test_the_command_imports_the_sample(shared_data, tmp_path, capsys):
    """`timeline import acled` appends every claim and counts them."""
    out = tmp_path / "acled.jsonl"

    code = main(["import", "acled", str(shared_data / SAMPLE), "--log", str(out)])

    assert code == 0
    assert capsys.readouterr().out.startswith(
        f"imported {shared_data / SAMPLE} (acled) into {out}: 200 rows, 266 claims "
        "about 200 happenings, seq 1 to 266"
    )


def test_a_row_is_claims_by_acled_citing_each_source(tmp_path):
    """Outlet ACLED, one source each, at the row's timestamp; notes are the quote."""
    claims = read_acled(acled_file(tmp_path, INVENTED)).claims

    assert [[s.name for s in c.attribution] for c in claims] == [
        ["Example Times"],
        ["Example Radio"],
    ]
    first = claims[0]
    assert isinstance(first, Incident)
    assert first.report.published == dt.datetime(2022, 3, 15, tzinfo=dt.UTC)
    assert first.quote == INVENTED["notes"]
    assert first.facts() == {
        "when": first.when,
        "where": "Sampletown, Riverside, North",
        "actors": (
            "Military Forces of Examplia (2020-)",
            "Police Forces of Examplia (2020-)",
            "Example Liberation Front",
        ),
        "kind": "Battles: Armed clash",
        "side_a": "Military Forces of Examplia (2020-)",
        "side_b": "Example Liberation Front",
        "deaths": Estimate(low=3),
        "country": "Examplia",
        "coordinates": "POINT (20.25 10.5)",
        "place_precision": "geo_precision 1: the named place",
    }


def test_a_row_without_sources_is_one_claim_by_acled(tmp_path):
    """Nothing to cite: ACLED alone claims it; the note says what is known."""
    row = {**INVENTED, "source": " ; ", "source_scale": ""}
    (claim,) = read_acled(acled_file(tmp_path, row)).claims

    assert claim.attribution == ()
    assert claim.note == (
        "ACLED event XYZ101; time precision 1: the day; fatalities: ACLED's "
        "figure, the most conservative of its sources', kept as the low figure"
    )


@pytest.mark.parametrize(
    ("precision", "earliest", "latest", "stated"),
    [
        ("1", "2022-03-10", "2022-03-10", Precision.DAY),
        ("2", "2022-03-04", "2022-03-16", Precision.DAY),
        ("3", "2022-03-01", "2022-03-31", Precision.MONTH),
    ],
)
def test_when_follows_the_time_precision(tmp_path, precision, earliest, latest, stated):
    """The day; any week holding it; its month."""
    row = {**INVENTED, "time_precision": precision}
    when = read_acled(acled_file(tmp_path, row)).claims[0].when

    assert when is not None
    assert (when.earliest, when.latest, when.precision) == (
        dt.date.fromisoformat(earliest),
        dt.date.fromisoformat(latest),
        stated,
    )


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"event_id_cnty": " "}, "event_id_cnty", "no id"),
        ({"event_date": "2022-02-29"}, "event_date", "day is out of range"),
        ({"event_date": "9999-12-30", "time_precision": "2"}, "event_date", "week"),
        ({"time_precision": "4"}, "time_precision", "expected 1, 2 or 3"),
        ({"timestamp": ""}, "timestamp", "no timestamp"),
        ({"timestamp": "99999999999999999999"}, "timestamp", "Unix seconds"),
        ({"fatalities": "about 3"}, "fatalities", "whole number"),
        ({"event_type": "", "sub_event_type": ""}, "event_type", "no event type"),
        ({"geo_precision": "x"}, "geo_precision", "whole number"),
    ],
)
def test_a_row_that_cannot_be_claims_is_a_reject(tmp_path, changes, column, reason):
    """Row, column and reason; the import refuses unless told to take the rest."""
    path = acled_file(tmp_path, INVENTED, {**INVENTED, **changes})

    batch = read_acled(path)

    (reject,) = batch.rejects
    assert (reject.row, reject.column) == (3, column)
    assert reason in reject.reason
    with pytest.raises(InvalidInputError, match=f"row 3, column {column}"):
        batch.append_to(EventLog())


def test_a_file_missing_acled_columns_is_refused(tmp_path, capsys):
    """A GED file given as ACLED names what it lacks; no log is made."""
    path = tmp_path / "wrong.csv"
    path.write_text("id,date_start\n1,2015-01-01\n", encoding="utf-8")
    out = tmp_path / "out.sqlite"

    code = main(["import", "acled", str(path), "--log", str(out), "--json"])

    assert code == 1
    assert "lacks the columns event_id_cnty, event_date" in capsys.readouterr().err
    assert not out.exists()


def test_the_json_summary(tmp_path, capsys):
    """--json prints the import's document."""
    out = tmp_path / "out.jsonl"
    path = acled_file(tmp_path, INVENTED)

    assert main(["import", "acled", str(path), "--log", str(out), "--json"]) == 0

    document = json.loads(capsys.readouterr().out)
    assert document == {
        "kind": "import",
        "version": 1,
        "dataset": "acled",
        "file": str(path),
        "rows": 1,
        "claims": 2,
        "held": 0,
        "happenings": 1,
        "rejects": 0,
        "inconsistent_estimates": 0,
        "first_rejects": [],
        "log": str(out),
        "first_seq": 1,
        "last_seq": 2,
        "rejects_file": None,
    }


def test_a_row_about_an_event_read_before_is_a_reject(tmp_path):
    """A row pasted twice would count its sources twice: the copy is refused."""
    path = acled_file(tmp_path, INVENTED, {**INVENTED, "notes": "pasted again"})

    batch = read_acled(path)

    (reject,) = batch.rejects
    assert (reject.row, reject.column) == (3, "event_id_cnty")
    assert "an earlier row is about the same event" in reject.reason
    assert {claim.event_id for claim in batch.claims} == {
        f"acled-{INVENTED['event_id_cnty']}"
    }


def test_a_corrected_copy_of_a_refused_row_is_read(tmp_path):
    """A refused row does not count: the same event on a later row is read."""
    path = acled_file(tmp_path, {**INVENTED, "fatalities": "about 3"}, INVENTED)

    batch = read_acled(path)

    assert [(reject.row, reject.column) for reject in batch.rejects] == [
        (2, "fatalities")
    ]
    alone = tmp_path / "alone"
    alone.mkdir()
    assert batch.claims == read_acled(acled_file(alone, INVENTED)).claims
