"""Arrow tables and Parquet files: DuckDB's answer equals `as_of`'s."""

import datetime as dt
import importlib
import json
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import EventLog
from timeline.cli import main
from timeline.corpus import load_corpus
from timeline.importers import read_acled, read_ucdp_ged
from timeline.model.events import (
    Amendment,
    Death,
    Related,
    Retraction,
    SameAs,
    Split,
)
from timeline.projections import Knowledge
from timeline.strategies import logs
from timeline.views.arrow import COLUMNS, knowledge_table, log_table, write_parquet
from timeline.views.records import value_text

from .helpers import FakeClock, report

pa = pytest.importorskip("pyarrow", reason="the arrow extra is not installed")
duckdb = pytest.importorskip("duckdb", reason="duckdb (a test dependency) is missing")

# The query docs/how-to/import-a-dataset.md gives, with the day a parameter.
KNOWN_ON = """
    SELECT event_id, field, value, min(published) AS first_known,
           list(seq ORDER BY seq) AS claims
    FROM {source}
    WHERE role = 'claim' AND published <= $day
      AND voided_by IS NULL
      AND (withdrawn_on IS NULL OR withdrawn_on > $day)
    GROUP BY event_id, field, value
"""


def known_by_duckdb(
    source: str, day: dt.date, **tables: object
) -> set[tuple[object, ...]]:
    """Return (event_id, field, value, seq) for each claimed value DuckDB finds."""
    connection = duckdb.connect()
    for name, table in tables.items():
        connection.register(name, table)
    rows = connection.execute(KNOWN_ON.format(source=source), {"day": day}).fetchall()
    return {
        (event_id, field, value, seq)
        for event_id, field, value, _, claims in rows
        for seq in claims
        if field is not None  # A claim stating no fact: no value to compare.
    }


def known_by_timeline(
    knowledge: Knowledge, *, skip: frozenset[str] = frozenset()
) -> set[tuple[object, ...]]:
    """Return (event_id, field, value, seq) for each live value of *knowledge*."""
    return {
        (
            entry.event.event_id,
            field.name,
            value_text(getattr(entry.event, field.name)),
            entry.seq,
        )
        for happening in knowledge
        if not happening.event_ids & skip
        for field in happening.fields.values()
        for value in field.values
        for entry in value.claims
    }


def days_of(log: EventLog) -> list[dt.date]:
    """Return each publication day, with the days just before and after."""
    days = sorted({entry.event.report.published_day for entry in log})
    return sorted({d + dt.timedelta(days=shift) for d in days for shift in (-1, 0, 1)})


def test_the_corpus_as_parquet_answers_as_as_of(tmp_path, capsys):
    """`timeline export OUT.parquet`, queried by DuckDB, equals as_of on every day."""
    out = tmp_path / "corpus.parquet"
    assert main(["export", str(out)]) == 0
    assert "one row per stated fact" in capsys.readouterr().out
    log = load_corpus()

    for day in days_of(log):
        source = f"read_parquet('{out}')"
        assert known_by_duckdb(source, day) == known_by_timeline(log.as_of(day))


def test_the_samples_as_parquet_answer_as_as_of(shared_data, tmp_path):
    """The UCDP and ACLED samples, imported and exported, agree on many days."""
    for batch in (
        read_ucdp_ged(
            shared_data / "ucdp-ged-23.1-sample-200.csv", released=dt.date(2023, 6, 1)
        ),
        read_acled(shared_data / "acled-2022-sample-200.csv"),
    ):
        log = EventLog()
        batch.append_to(log)
        out = tmp_path / f"{batch.dataset}.parquet"
        write_parquet(log.to_arrow(), out)
        days = days_of(log)

        for day in [*days[:: max(1, len(days) // 25)], days[-1]]:
            found = known_by_duckdb(f"read_parquet('{out}')", day)
            assert found == known_by_timeline(log.as_of(day)), day


@settings(max_examples=60)
@given(log=logs(max_size=25), day=st.dates(dt.date(2017, 8, 31), dt.date(2017, 11, 1)))
def test_duckdb_agrees_with_as_of_on_generated_logs(log, day):
    """Retractions, corrections, amendments: the same answer, merges aside.

    A merge files a retraction of one id against the claims of the other
    from the merge's day on, and a link sharing dates lends each happening
    the other's; the table keeps claims under their own ids, so happenings
    a merge, split or such a link touches are left to timeline (see the docs).
    """
    merged = {
        event_id
        for entry in log
        if isinstance(entry.event, SameAs | Split)
        or (isinstance(entry.event, Related) and entry.event.same_when)
        for event_id in entry.event.referenced_event_ids()
    }
    found = known_by_duckdb("entries", day, entries=log.to_arrow())

    assert {row for row in found if row[0] not in merged} == known_by_timeline(
        log.as_of(day), skip=frozenset(merged)
    )


def test_withdrawn_and_voided_claims_carry_their_day_and_seq():
    """A retraction's day and an amendment's seq are on the claims they undo."""
    log = EventLog(clock=FakeClock())
    tass = report("TASS", dt.date(2017, 9, 24))
    first = log.append(_claim(tass))
    log.append(Retraction(event_id="x", report=report("TASS", dt.date(2017, 9, 26))))
    log.append(_claim(report("RIA", dt.date(2017, 9, 25))))
    log.append(Amendment(event_id="x", report=tass, voids=3, reason="misread"))

    table = log_table(log).to_pylist()

    by_seq = {row["seq"]: row for row in table}
    assert by_seq[first.seq]["withdrawn_on"] == dt.date(2017, 9, 26)
    assert by_seq[3]["voided_by"] == 4
    assert by_seq[2]["role"] == "response"


def test_an_amendment_voided_by_a_later_one_restores_its_claim():
    """Voiding an amendment restores its target, in the table as in the fold."""
    log = EventLog(clock=FakeClock())
    tass = report("TASS", dt.date(2017, 9, 24))
    log.append(_claim(tass))
    log.append(Amendment(event_id="x", report=tass, voids=1, reason="misread"))
    log.append(Amendment(event_id="x", report=tass, voids=2, reason="it was right"))

    by_seq = {row["seq"]: row for row in log_table(log).to_pylist()}

    assert by_seq[1]["voided_by"] is None
    assert by_seq[2]["voided_by"] == 3
    assert log.as_of(dt.date(2017, 9, 24)).get("x") is not None


def _claim(said):
    return Death(event_id="x", report=said, person="Valery Asapov")


def test_the_columns_and_a_row():
    """The documented columns, and one fact of the corpus in full."""
    log = load_corpus()
    table = log.to_arrow()
    row = next(
        r
        for r in table.to_pylist()
        if r["event_id"] == "asapov-death" and r["field"] == "when"
    )

    assert tuple(table.column_names) == COLUMNS
    assert row["value"] == '2017-09-23 "on Sept. 23"'
    assert json.loads(row["value_json"])["edtf"] == "2017-09-23"
    assert (row["when_earliest"], row["when_latest"], row["when_precision"]) == (
        dt.date(2017, 9, 23),
        dt.date(2017, 9, 23),
        "day",
    )
    assert (row["published"], row["outlet"], row["role"]) == (
        dt.date(2017, 9, 28),
        "DEBKA Weekly",
        "claim",
    )
    assert row["recorded_at"].tzinfo is not None


def test_knowledge_to_arrow_holds_the_answer():
    """One row per live claimed value, filed under the answer's happening."""
    knowledge = load_corpus().as_of(dt.date(2017, 10, 4))

    table = knowledge.to_arrow()

    assert table.equals(knowledge_table(knowledge))
    rows = table.to_pylist()
    assert {(r["event_id"], r["field"], r["value"], r["seq"]) for r in rows} == (
        known_by_timeline(knowledge)
    )
    conflicted = {(r["happening"], r["field"]) for r in rows if r["in_conflict"]}
    assert ("asapov-death", "when") in conflicted


def test_an_existing_file_is_never_overwritten(tmp_path, capsys):
    """`timeline export` and write_parquet refuse to replace a file."""
    out = tmp_path / "mine.parquet"
    out.write_bytes(b"mine")

    code = main(["export", str(out)])

    assert code == 1
    assert "never over one" in capsys.readouterr().err
    assert out.read_bytes() == b"mine"
    write_parquet(load_corpus().to_arrow(), out, overwrite=True)
    assert pa.parquet.read_table(out).num_rows == load_corpus().to_arrow().num_rows


def test_a_failed_write_leaves_nothing(tmp_path):
    """A table pyarrow cannot write leaves neither the file nor a partial one."""
    out = tmp_path / "bad.parquet"

    with pytest.raises((TypeError, AttributeError)):
        write_parquet("not a table", out)

    assert list(tmp_path.iterdir()) == []


def test_without_pyarrow_the_error_says_what_to_install(monkeypatch):
    """A clear ImportError naming the extra."""
    monkeypatch.setitem(sys.modules, "pyarrow", None)

    with pytest.raises(ImportError, match=r"contested-timeline\[arrow\]"):
        load_corpus().to_arrow()
    assert importlib.import_module("timeline.views.arrow").COLUMNS == COLUMNS


def test_a_type_no_view_registered_is_refused():
    """The seam names what it cannot tabulate."""
    from timeline.projections import display  # noqa: PLC0415

    with pytest.raises(TypeError, match="no Arrow view is registered for object"):
        display.arrow_table(object())
