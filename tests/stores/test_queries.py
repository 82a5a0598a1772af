"""`timeline.stores.as_of`, `happening` and `history`: answers read from a store."""

import datetime as dt
import itertools
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import ClassVar

import attrs
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from timeline import EventLog
from timeline.corpus import load_corpus
from timeline.errors import (
    CorruptLogError,
    DanglingReferenceError,
    InvalidDateError,
    StoreError,
)
from timeline.log import Entry
from timeline.model import _event as events_module
from timeline.model.events import Amendment, Death, Link, Related, SameAs, Split
from timeline.stores import (
    JsonlStore,
    MemoryStore,
    SQLiteStore,
    Store,
    as_of,
    count,
    happening,
    history,
)
from timeline.strategies import logs

from ..helpers import day, report
from .entries import START

IDS = ("alpha", "beta", "gamma", "delta", "nobody")
days = st.dates(min_value=dt.date(2017, 8, 31), max_value=dt.date(2017, 10, 31))
pins = st.none() | st.integers(-1, 40)
_NAMES = itertools.count()


def stored(kind: str, entries: list[Entry], directory: Path) -> Store:
    """Return a new store of *kind* holding *entries*."""
    store: Store
    if kind == "memory":
        store = MemoryStore()
    elif kind == "jsonl":
        store = JsonlStore(directory / f"{next(_NAMES)}.jsonl")
    else:
        store = SQLiteStore(directory / f"{next(_NAMES)}.sqlite")
    if entries:
        store.append(entries)
    return store


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a directory for this module's files."""
    return tmp_path_factory.mktemp("queries")


@given(log=logs(), known=days, pin=pins)
def test_answers_from_the_memory_store_equal_the_loaded_log(log, known, pin):
    """Every answer read from a store is the one the whole log, loaded, gives."""
    _assert_answers_equal(MemoryStore(), log, known, pin)


@pytest.mark.parametrize("kind", ["jsonl", "sqlite"])
@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    # Shrinking a drawn log takes thousands of tries, each writing a file
    # and waiting for fsync: minutes. The memory store's test above shrinks
    # what all three share; a failure here shows the example as drawn.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(log=logs(), known=days, pin=pins)
def test_answers_from_a_file_store_equal_the_loaded_log(
    kind, directory, log, known, pin
):
    """The same, read from files: SQLite through its indexes and type scan."""
    _assert_answers_equal(stored(kind, [], directory), log, known, pin)


def _assert_answers_equal(store, log, known, pin):
    with store:
        if len(log):
            store.append(list(log))
        assert as_of(store, known, seq=pin) == log.as_of(known, seq=pin)
        for event_id in IDS:
            assert happening(store, event_id, as_of=known, seq=pin) == log.happening(
                event_id, as_of=known, seq=pin
            )
            assert _steps(history, store, event_id) == _steps(
                type(log).history, log, event_id
            )


def _steps(ask, where, event_id):
    # A history, or the message of the error that refused it.
    try:
        return ask(where, event_id)
    except DanglingReferenceError as error:
        return str(error)


def claim(seq: int, event_id: str, published: str = "2017-09-24") -> Entry:
    """Return entry *seq*: a death of *event_id* published on *published*."""
    event = Death(
        event_id=event_id,
        report=report("TASS", dt.date.fromisoformat(published)),
        person=event_id,
        when=day("2017-09-23"),
    )
    return Entry(seq, START, event)


def a_big_log() -> list[Entry]:
    """Return 40 happenings of 5 claims, a merge, a split, a voided claim, a link."""
    log = EventLog(clock=lambda: START)
    log.extend(
        claim(0, f"h{n:02}", f"2017-09-{20 + k}").event
        for n in range(40)
        for k in range(5)
    )
    tass = report("TASS", dt.date(2017, 9, 26))
    log.append(SameAs(event_id="h00", other_event_id="h01", report=tass))
    log.append(Split(event_id="h30", other_event_id="h31", report=tass))
    log.append(Amendment(event_id="h00", voids=1, reason="typo", report=tass))
    log.append(
        Related(
            event_id="h35",
            other_event_id="h36",
            relation=Link.SAME_CAUSE,
            same_when=True,
            report=tass,
        )
    )
    return list(log)


class TestSQLiteReadsOnlyWhatAnAnswerNeeds:
    """A SQLite store decodes the entries an answer needs, and never reads it all."""

    @pytest.fixture
    def counted(self, directory, monkeypatch):
        """Return a store of `a_big_log`, and the seqs of the rows it decodes."""
        store = stored("sqlite", a_big_log(), directory)
        decoded: list[int] = []
        decode_rows = SQLiteStore._decode_rows

        def counting(self, rows, **kwargs):
            rows = list(rows)
            decoded.extend(row[0] for row in rows)
            return decode_rows(self, rows, **kwargs)

        def no_read(self):
            msg = "read the whole log"
            raise AssertionError(msg)

        monkeypatch.setattr(SQLiteStore, "_decode_rows", counting)
        monkeypatch.setattr(SQLiteStore, "read", no_read)
        yield store, decoded
        store.close()

    def test_a_point_query_reads_its_merge_group_and_the_structural_entries(
        self, counted
    ):
        """h01's entries and h00's (merged with it), found through the indexes."""
        store, decoded = counted
        found = happening(store, "h01", as_of=dt.date(2017, 10, 1))

        assert found is not None
        assert found.event_ids == {"h00", "h01"}
        assert len(found.claims) == 9  # ten, one voided
        # The links (one, of h35 and h36); the merge, found by its other id
        # and then by its own; then every entry about h00 and h01, the
        # amendment of claim 1 among them. Not the split of h30 and h31.
        assert decoded == [204, 201, 201, *range(1, 11), 201, 203]

    def test_a_happening_no_merge_touches_reads_its_own_entries(self, counted):
        """h17: its own entries, of every date (a later one could void)."""
        store, decoded = counted
        found = happening(store, "h17", as_of=dt.date(2017, 9, 22))

        assert found is not None
        assert len(found.claims) == 3
        assert decoded == [204, 86, 87, 88, 89, 90]

    def test_a_history_reads_what_a_point_query_of_any_date_does(self, counted):
        """h01's history: the merge group's entries of every date, nothing else."""
        store, decoded = counted
        steps = history(store, "h01")

        # A claim a day about h00 and h01 from the 20th, then the merge on
        # the 26th; claim 1 was voided, so the 20th shows h01's alone.
        assert [(day_, len(h.claims)) for day_, h in steps] == [
            (dt.date(2017, 9, 20), 1),
            (dt.date(2017, 9, 21), 2),
            (dt.date(2017, 9, 22), 3),
            (dt.date(2017, 9, 23), 4),
            (dt.date(2017, 9, 24), 5),
            (dt.date(2017, 9, 26), 9),
        ]
        assert decoded == [204, 201, 201, *range(1, 11), 201, 203]

    def test_a_full_answer_reads_what_was_published_by_then(self, counted):
        """On 20 September: the first claim of each happening, and the amendment."""
        store, decoded = counted
        knowledge = as_of(store, dt.date(2017, 9, 20))

        first_claims = list(range(1, 201, 5))
        assert decoded == [*first_claims, 203]
        # The amendment, published on the 26th, voids claim 1 all the same:
        # nothing was known of h00 that day.
        assert len(knowledge) == 39
        assert "h00" not in knowledge


def test_a_later_amendment_voids_an_earlier_claim_in_every_store(directory):
    """An amendment published after the date still voids: it acts in system time."""
    entries = a_big_log()
    for kind in ("memory", "jsonl", "sqlite"):
        with stored(kind, entries, directory) as store:
            # Claim 1, published on the 20th, is voided by an amendment
            # published on the 26th.
            assert happening(store, "h00", as_of=dt.date(2017, 9, 20)) is None
            later = happening(store, "h00", as_of=dt.date(2017, 9, 21))
            assert later is not None
            assert later.claims == (entries[1],)
            # Pinned before the amendment, the claim stands.
            pinned = happening(store, "h00", as_of=dt.date(2017, 9, 20), seq=202)
            assert pinned is not None
            assert pinned.claims == (entries[0],)


@pytest.mark.parametrize("kind", ["memory", "jsonl", "sqlite"])
def test_a_point_query_reads_the_corpus_s_rebuttal_with_its_happening(directory, kind):
    """Dillon's rebuttal (entry 112) disputes the statement, read from any store."""
    log = load_corpus()
    statement = "russian-mod-statement-us-obstacle"
    with stored(kind, list(log), directory) as store:
        for known in (dt.date(2017, 10, 3), dt.date(2017, 10, 4)):
            for seq in (None, 111):
                assert happening(store, statement, as_of=known, seq=seq) == (
                    log.happening(statement, as_of=known, seq=seq)
                )
        answer = happening(store, statement, as_of=dt.date(2017, 10, 4))
        assert answer is not None
        assert answer.status.value == "disputed"
        assert [entry.seq for entry in answer.rebuttals] == [112]


class TestBadInput:
    """Wrong arguments are refused with errors that say what is wrong."""

    @pytest.mark.parametrize(
        "when", [dt.datetime(2017, 10, 5, tzinfo=dt.UTC), "2017-10-05", None]
    )
    def test_a_knowledge_date_must_be_a_day(self, when):
        """A datetime, text or nothing is not a knowledge date."""
        with pytest.raises(InvalidDateError, match="as_of must be a date"):
            as_of(MemoryStore(), when)
        with pytest.raises(InvalidDateError, match="as_of must be a date"):
            happening(MemoryStore(), "x", as_of=when)

    @pytest.mark.parametrize("seq", ["3", 2.0, True])
    def test_a_pin_must_be_a_whole_number(self, seq):
        """A pin of another type is refused, not compared."""
        with pytest.raises(TypeError, match="seq must be a whole number"):
            as_of(MemoryStore(), dt.date(2017, 10, 5), seq=seq)
        with pytest.raises(TypeError, match="seq must be a whole number"):
            happening(MemoryStore(), "x", as_of=dt.date(2017, 10, 5), seq=seq)

    def test_an_id_must_be_a_string(self):
        """A happening id is text."""
        with pytest.raises(TypeError, match="event_id must be a string"):
            happening(MemoryStore(), 7, as_of=dt.date(2017, 10, 5))  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="event_id must be a string"):
            history(MemoryStore(), 7)  # type: ignore[arg-type]

    @pytest.mark.parametrize("kind", ["memory", "jsonl", "sqlite"])
    def test_the_history_of_an_unknown_happening(self, directory, kind):
        """No entry about it: the log's own error, naming it."""
        with (
            stored(kind, [claim(1, "h")], directory) as store,
            pytest.raises(DanglingReferenceError, match="'elsewhere'"),
        ):
            history(store, "elsewhere")

    def test_a_closed_store_is_refused(self, directory):
        """A closed store answers nothing."""
        store = stored("sqlite", [claim(1, "h")], directory)
        store.close()

        with pytest.raises(StoreError, match="closed"):
            as_of(store, dt.date(2017, 10, 5))
        with pytest.raises(StoreError, match="closed"):
            happening(store, "h", as_of=dt.date(2017, 10, 5))
        with pytest.raises(StoreError, match="closed"):
            history(store, "h")


def edit(path: Path, seq: int) -> None:
    """Change the person in row *seq*'s body behind the store's back."""
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute(
            "UPDATE entries SET body = json_set(body, '$.person', 'edited') "
            "WHERE seq = ?",
            (seq,),
        )


def test_an_edited_row_an_answer_reads_is_caught(directory):
    """A row whose hash no longer seals it is reported, naming its seq."""
    with SQLiteStore(directory / f"{next(_NAMES)}.sqlite") as store:
        store.append(a_big_log())
        edit(store.path, 87)

        with pytest.raises(CorruptLogError, match="seq 87"):
            happening(store, "h17", as_of=dt.date(2017, 10, 1))
        with pytest.raises(CorruptLogError, match="seq 87"):
            as_of(store, dt.date(2017, 10, 1))


def test_an_edited_row_an_answer_does_not_read_is_not_seen(directory):
    """Only the rows read are checked: `check` verifies the whole log."""
    with SQLiteStore(directory / f"{next(_NAMES)}.sqlite") as store:
        store.append(a_big_log())
        edit(store.path, 87)

        found = happening(store, "h20", as_of=dt.date(2017, 10, 1))

    assert found is not None
    assert len(found.claims) == 5


def plans(store: SQLiteStore, ask: Callable[[], object]) -> list[str]:
    """Return the query plan of each entry query *ask* makes of *store*."""
    statements: list[str] = []
    connection = store._connection
    assert connection is not None
    connection.set_trace_callback(statements.append)
    try:
        ask()
    finally:
        connection.set_trace_callback(None)
    return [
        " / ".join(row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}"))
        for sql in statements
        if sql.startswith("SELECT e.seq")
    ]


def test_no_answer_scans_the_table(directory):
    """Every entry query of a point or full answer searches an index."""
    with SQLiteStore(directory / f"{next(_NAMES)}.sqlite") as store:
        store.append(a_big_log())

        asked = plans(
            store, lambda: happening(store, "h01", as_of=dt.date(2017, 10, 1))
        )
        asked += plans(store, lambda: as_of(store, dt.date(2017, 9, 20)))

    # The links between happenings; merges by both ids, from h01 and then
    # from h00; the places within others; the entries of both; then the
    # entries published by the 20th, and the amendments. The day's entries
    # go along the seqs, up to the last one asked. The entries of a few
    # analyst types may go along their own partial index or that of every
    # analyst entry's type and seq, whichever SQLite's planner prefers.
    by_type = "INDEX entries_analyst_types"
    indexes = [
        ("INDEX entries_links", by_type),
        ("INDEX entries_event_id",),
        ("INDEX entries_merged_with",),
        ("INDEX entries_event_id",),
        ("INDEX entries_merged_with",),
        ("INDEX entries_places", by_type),
        ("INDEX entries_event_id",),
        ("INTEGER PRIMARY KEY",),
        ("INDEX entries_amendments", by_type),
    ]
    assert len(asked) == len(indexes)
    for plan, allowed in zip(asked, indexes, strict=True):
        assert any(f"SEARCH e USING {i} " in plan for i in allowed), plan
        assert "SCAN e" not in plan


def test_a_database_made_without_the_newer_indexes_answers_the_same(directory):
    """A log written before the indexes of merges, places and links is scanned."""
    entries = a_big_log()
    log = EventLog(entries)
    with SQLiteStore(directory / f"{next(_NAMES)}.sqlite") as store:
        store.append(entries)
        with closing(sqlite3.connect(store.path, isolation_level=None)) as other:
            other.execute("DROP INDEX entries_amendments")
            other.execute("DROP INDEX entries_merged_with")
            other.execute("DROP INDEX entries_places")
            other.execute("DROP INDEX entries_links")

        asked = plans(
            store, lambda: happening(store, "h01", as_of=dt.date(2017, 10, 1))
        )
        for day_ in (dt.date(2017, 9, 20), dt.date(2017, 9, 27)):
            assert as_of(store, day_) == log.as_of(day_)
            for event_id in ("h00", "h01", "h17", "h30", "h31", "h35", "h36"):
                assert happening(store, event_id, as_of=day_) == log.happening(
                    event_id, as_of=day_
                )

    # The merges by their other id are found by reading every merge instead,
    # along the index of analyst types (or the seqs, older still).
    assert not any("entries_merged_with" in plan for plan in asked)
    assert any(
        plan.startswith("SEARCH e USING INTEGER PRIMARY KEY")
        or "SEARCH e USING INDEX entries_analyst_types" in plan
        for plan in asked
    )


@attrs.frozen(kw_only=True)
class Duplicate(SameAs):
    """A merge class of a user's own, which SQLite's merge index does not know."""

    event_type: ClassVar[str] = "_test_queries_duplicate"


def test_a_merge_class_of_ones_own_is_followed_by_reading_every_merge(
    directory, monkeypatch
):
    """With a merge class SQLite does not index, the merges are read by type."""
    monkeypatch.setitem(events_module._REGISTRY, Duplicate.event_type, Duplicate)
    log = EventLog(clock=lambda: START)
    log.extend([claim(0, "a").event, claim(0, "b").event, claim(0, "c").event])
    tass = report("TASS", dt.date(2017, 9, 26))
    log.append(Duplicate(event_id="b", other_event_id="a", report=tass))
    log.append(SameAs(event_id="c", other_event_id="b", report=tass))
    monkeypatch.setattr(SQLiteStore, "merges_naming", None)  # must not be asked

    monkeypatch.setattr(SQLiteStore, "judgement_rows", None)  # nor this
    with SQLiteStore(directory / f"{next(_NAMES)}.sqlite") as store:
        store.append(list(log))
        found = happening(store, "a", as_of=dt.date(2017, 10, 1))
        # Counted from the merges themselves, each merged happening once.
        for known in (dt.date(2017, 9, 25), dt.date(2017, 9, 26)):
            assert count(store, known) == len(log.as_of(known))
        assert count(store, dt.date(2017, 9, 26)) == 1

    assert found == log.happening("a", as_of=dt.date(2017, 10, 1))
    assert found is not None
    assert found.event_ids == {"a", "b", "c"}
