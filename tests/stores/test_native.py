"""A log answering from its SQLite store answers exactly as the log in memory."""

import datetime as dt
import itertools
import sqlite3
from contextlib import closing
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from timeline import Entry, EventLog
from timeline.errors import CorruptLogError, DanglingReferenceError, TimelineError
from timeline.model.events import Death, Denial, SameAs
from timeline.stores import (
    IndexedStore,
    MemoryStore,
    SQLiteStore,
    _sqlite_text,
    about,
    check,
    count,
)
from timeline.stores._answers import StoredAnswers, _StoredEntries, _StoredIds
from timeline.stores._sqlite_lookups import has_index
from timeline.stores._sqlite_text import entry_text
from timeline.strategies import logs

from ..helpers import FakeClock, day, report

IDS = ("alpha", "beta", "gamma", "delta", "nobody")
days = st.dates(min_value=dt.date(2017, 8, 31), max_value=dt.date(2017, 10, 31))
pins = st.none() | st.integers(-1, 40)
# Ids, their case changed, outlets, words of notes and places, fragments of
# them, and texts no entry holds.
texts = st.sampled_from(
    [
        *IDS,
        "ALPHA",
        "alp",
        "Beta Agency",
        "times",
        "gamma post",
        "death",
        "den",
        "a",
        "ph",
        "zzz-nothing",
        "mis-encoded",
        "Post",
    ]
) | st.text(min_size=1, max_size=4)
_NAMES = itertools.count()

native_settings = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    # Shrinking a drawn log writes a database per try: see test_queries.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    deadline=None,
)


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a directory for this module's databases."""
    return tmp_path_factory.mktemp("native")


def native(log: EventLog, directory: Path) -> EventLog:
    """Return a log answering from a new SQLite store holding *log*'s entries."""
    path = directory / f"{next(_NAMES)}.sqlite"
    with SQLiteStore(path) as store:
        if len(log):
            store.append(list(log))
    return EventLog.open(path, mode="r")


def _outcome(ask, *args, **kwargs):
    # An answer, or the type and message of the error that refused it.
    try:
        return ask(*args, **kwargs)
    except TimelineError as error:
        return (type(error).__name__, str(error))


@native_settings
@given(log=logs(), known=days, pin=pins, text=texts)
def test_every_answer_from_the_store_equals_the_loaded_log(
    directory, log, known, pin, text
):
    """as_of, happening, history, about, first_known and diff, read from SQLite."""
    with native(log, directory) as stored:
        assert isinstance(stored._answers, StoredAnswers)
        assert len(stored) == len(log) == stored.last_seq
        assert list(stored) == list(log)
        assert stored.event_ids == log.event_ids
        assert stored.as_of(known, seq=pin) == log.as_of(known, seq=pin)
        assert stored.count(known, seq=pin) == len(log.as_of(known, seq=pin))
        assert stored.count(known) == log.count(known) == len(log.as_of(known))
        assert stored.last_published == log.last_published
        assert stored.about(text, as_of=known, seq=pin) == log.as_of(
            known, seq=pin
        ).about(text)
        since, until = sorted((known, known + dt.timedelta(days=9)))
        assert stored.diff(since, until) == log.diff(since, until)
        for event_id in IDS:
            assert stored.happening(event_id, as_of=known, seq=pin) == log.happening(
                event_id, as_of=known, seq=pin
            )
            assert _outcome(stored.history, event_id) == _outcome(log.history, event_id)
            assert stored.first_known(event_id, as_of=known, seq=pin) == log.as_of(
                known, seq=pin
            ).first_known(event_id)
            for field in ("when", "person"):
                assert stored.first_known(event_id, field, as_of=known) == log.as_of(
                    known
                ).first_known(event_id, field)


@native_settings
@given(log=logs(), data=st.data())
def test_system_time_pins_read_from_the_store_equal_the_loaded_log(
    directory, log, data
):
    """Entries by seq and by recorded_at, as the loaded log gives them."""
    with native(log, directory) as stored:
        seq = data.draw(st.integers(-1, len(log) + 2))
        assert list(stored.entries(seq=seq)) == list(log.entries(seq=seq))
        if len(log):
            entry = log[data.draw(st.integers(1, len(log)))]
            assert stored[entry.seq] == entry
            moment = entry.recorded_at + dt.timedelta(
                seconds=data.draw(st.integers(-1, 1))
            )
            assert list(stored.entries(recorded_at=moment)) == list(
                log.entries(recorded_at=moment)
            )
            known = data.draw(days)
            assert stored.as_of(known, recorded_at=moment) == log.as_of(
                known, recorded_at=moment
            )
        with pytest.raises(DanglingReferenceError):
            stored[len(log) + 1]


@native_settings
@given(log=logs(max_size=20))
def test_appending_through_the_store_accepts_and_refuses_as_the_loaded_log(
    directory, log
):
    """Replayed event by event, twice over, the store-backed log agrees."""
    path = directory / f"{next(_NAMES)}.sqlite"
    model = EventLog(clock=FakeClock())
    with EventLog.open(path, clock=FakeClock()) as stored:
        assert isinstance(stored._answers, StoredAnswers)
        # Every event once in order (all valid), then every event again, in
        # reverse, in one batch each: merges of ids then known, amendments
        # of seqs then held, each accepted or refused alike.
        events = [entry.event for entry in log]
        for batch in [[event] for event in events] + [[e] for e in events[::-1]]:
            assert _outcome(stored.extend, batch) == _outcome(model.extend, batch)
        assert list(stored) == list(model)
    with SQLiteStore(path, read_only=True) as store:
        assert list(store.read()) == list(model)


def test_a_batch_is_checked_against_what_other_writers_appended(tmp_path):
    """Another writer's entries are taken in, and the batch follows them.

    Each log answers as of what it has seen, as a loaded log does: the first
    sees the second's entries once it appends again.
    """
    path = tmp_path / "log.sqlite"
    clock = FakeClock()
    with (
        EventLog.open(path, clock=clock) as first,
        EventLog.open(path, clock=clock) as second,
    ):
        first.append(death("a"))
        assert second.append(denial("a")).seq == 2
        with pytest.raises(DanglingReferenceError, match="'b'"):
            second.append(denial("b"))
        assert [entry.seq for entry in first] == [1]
        first.append(death("b"))
        assert [entry.seq for entry in first] == [1, 2, 3]
        assert first.event_ids == {"a", "b"}
        assert second.last_seq == 2


def test_rules_look_up_stored_entries_by_seq(tmp_path):
    """The stored entries the rules read: the last, and any by position."""
    path = tmp_path / "log.sqlite"
    with EventLog.open(path, clock=FakeClock()) as log:
        log.extend([death("a"), death("b"), death("c")])
        store = log.store
        assert isinstance(store, IndexedStore)
        entries = _StoredEntries(store, 2)
        assert [entry.seq for entry in entries[:]] == [1, 2]
        assert entries[-1].seq == 2
        with pytest.raises(IndexError):
            entries[2]
        assert "c" not in _StoredIds(store, 2)
        assert "c" in _StoredIds(store, 3)
        assert _StoredIds(store, 3).__contains__(3) is False


def death(event_id: str) -> Death:
    """Return a claim of a death, published 2017-09-24."""
    return Death(
        event_id=event_id,
        report=report("TASS", dt.date(2017, 9, 24)),
        person=event_id,
        when=day("2017-09-23"),
    )


def denial(event_id: str) -> Denial:
    """Return a denial of the happening *event_id*."""
    return Denial(
        event_id=event_id,
        report=report("MoD", dt.date(2017, 9, 25)),
        denied_by="Russian MoD",
    )


class TestTextIndex:
    """The text index is derived data: built when missing, never trusted stale."""

    def made(self, tmp_path: Path) -> Path:
        """Return a log of three claims, one of them quoting Interfax."""
        path = tmp_path / "log.sqlite"
        with EventLog.open(path, clock=FakeClock()) as log:
            log.extend([death("a"), death("b"), quoting("c", "as Interfax said")])
        return path

    def test_a_log_made_before_the_index_is_searched_by_reading_it(self, tmp_path):
        """Read-only, an old log has no index: about() folds, and agrees."""
        path = self.made(tmp_path)
        before = _rows(path)
        _drop_index(path)

        with EventLog.open(path, mode="r") as log:
            assert _indexed(log).search("interfax", seq_until=3) is None
            found = log.about("interfax", as_of=dt.date(2017, 9, 30))
        assert [happening.event_id for happening in found] == ["c"]
        assert _rows(path) == before

    def test_a_writable_open_builds_the_missing_index(self, tmp_path):
        """In one transaction, every entry kept as it was and the chain intact."""
        path = self.made(tmp_path)
        before = _rows(path)
        _drop_index(path)

        with EventLog.open(path) as log:
            assert _indexed(log).search("interfax", seq_until=3) == {"c"}
            assert log.count(START_DAY) == 3
        assert _rows(path) == before
        assert check(path).ok
        with closing(sqlite3.connect(path)) as connection:
            assert has_index(connection, "entries_analyst")
            assert has_index(connection, "entries_known_ids")

    def test_an_index_behind_the_log_is_not_used_until_caught_up(
        self, tmp_path, monkeypatch
    ):
        """Entries appended without the index (an older timeline) are added."""
        path = tmp_path / "log.sqlite"
        with EventLog.open(path, clock=FakeClock()) as log:
            log.append(death("a"))
        with monkeypatch.context() as patch:
            patch.setattr(SQLiteStore, "_index_text", lambda *args, **kwargs: None)
            with EventLog.open(path, clock=FakeClock()) as log:
                log.extend([death("b"), quoting("c", "as Interfax said")])

        with EventLog.open(path, mode="r") as log:
            assert _indexed(log).search("interfax", seq_until=3) is None
            assert [h.event_id for h in log.about("INTERFAX", as_of=START_DAY)] == ["c"]
        with EventLog.open(path) as log:
            assert _indexed(log).search("interfax", seq_until=3) == {"c"}
            log.append(quoting("d", "Interfax again"))
            assert _indexed(log).search("interfax", seq_until=9) == {"c", "d"}
            assert _indexed(log).search("interfax", seq_until=3) == {"c"}

    def test_an_index_ahead_of_the_log_is_never_used(self, tmp_path):
        """A mark past the last entry is wrong: appends go on, searches fold."""
        path = self.made(tmp_path)
        _execute(path, "UPDATE timeline_derived SET last_seq = 7")

        with EventLog.open(path, clock=FakeClock()) as log:
            log.append(death("e"))
            assert _indexed(log).search("interfax", seq_until=4) is None
            assert [h.event_id for h in log.about("INTERFAX", as_of=START_DAY)] == ["c"]

    def test_texts_the_index_cannot_hold_or_find_fold_instead(self, tmp_path):
        """Short texts, NULs and lone surrogates: searched by reading the log."""
        path = tmp_path / "log.sqlite"
        with EventLog.open(path, clock=FakeClock()) as log:
            log.extend([quoting("a", "x\x00interfax"), quoting("b", "abcd")])
            store = _indexed(log)
            assert store.search("in", seq_until=2) is None
            assert store.search("\x00in", seq_until=2) is None
            assert store.search("b\ud800c", seq_until=2) is None
            assert store.search("interfax", seq_until=2) == {"a"}
            for text in ("in", "x\x00i", "b\ud800c", "cd", "interfax"):
                assert log.about(text, as_of=START_DAY) == log.as_of(START_DAY).about(
                    text
                )
        # An entry the store would refuse still makes text the index holds.
        held = entry_text(Entry(3, FakeClock()(), quoting("c", "\ud800x")))
        assert "?x" in held.split("\x1f")

    def test_without_fts5_a_log_has_no_index(self, tmp_path, monkeypatch):
        """A SQLite built without FTS5 makes logs whose searches fold."""
        monkeypatch.setattr(_sqlite_text, "has_fts5", lambda connection: False)
        path = self.made(tmp_path)
        _drop_index(path)
        with EventLog.open(path) as log:
            assert _indexed(log).search("interfax", seq_until=3) is None
            assert [h.event_id for h in log.about("INTERFAX", as_of=START_DAY)] == ["c"]


def test_any_store_answers_about_and_count(tmp_path):
    """Stores without indexes of their own fold the log to answer."""
    log = EventLog(clock=FakeClock())
    log.extend([death("a"), quoting("b", "TASS")])
    store = MemoryStore()
    store.append(list(log))

    assert about(store, "tass", as_of=START_DAY) == log.as_of(START_DAY).about("tass")
    assert count(store, START_DAY) == 2


START_DAY = dt.date(2017, 9, 30)


def quoting(event_id: str, quote: str) -> Death:
    """Return a claim of a death whose quote is *quote*."""
    return attrs.evolve(death(event_id), quote=quote)


def _execute(path: Path, statement: str) -> None:
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute(statement)


def _drop_index(path: Path) -> None:
    # The log as a timeline before the text index left it.
    _execute(path, "DROP TABLE IF EXISTS entries_text")
    _execute(path, "DROP TABLE IF EXISTS timeline_derived")
    _execute(path, "DROP INDEX IF EXISTS entries_analyst")
    _execute(path, "DROP INDEX IF EXISTS entries_known_ids")


def _rows(path: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT * FROM entries ORDER BY seq").fetchall()


def _indexed(log: EventLog) -> SQLiteStore:
    store = log.store
    assert isinstance(store, SQLiteStore)
    return store


def test_a_damaged_row_leaves_the_index_unbuilt_and_the_log_readable(tmp_path):
    """Building derived data never stops a log from opening: searches fold."""
    path = tmp_path / "log.sqlite"
    with EventLog.open(path, clock=FakeClock()) as log:
        log.extend([death("a"), quoting("b", "as Interfax said")])
    _drop_index(path)
    _execute(path, "UPDATE entries SET body = replace(body, 'Interfax', 'Interfaks')")

    with EventLog.open(path) as log:
        assert _indexed(log).search("interfax", seq_until=2) is None
        with pytest.raises(CorruptLogError, match="seq 2"):
            log.about("interfax", as_of=START_DAY)


def test_a_merged_happening_found_twice_is_answered_once(tmp_path):
    """Two ids of one merged happening both hold the text: one answer."""
    path = tmp_path / "log.sqlite"
    with EventLog.open(path, clock=FakeClock()) as log:
        log.extend(
            [
                quoting("a", "Interfax"),
                quoting("b", "Interfax too"),
                SameAs(
                    event_id="a",
                    other_event_id="b",
                    report=report("MoD", dt.date(2017, 9, 25)),
                ),
            ]
        )
        found = log.about("interfax", as_of=START_DAY)
        assert [sorted(h.event_ids) for h in found] == [["a", "b"]]
        assert found == log.as_of(START_DAY).about("interfax")
        with pytest.raises(DanglingReferenceError, match="no entry with seq 9"):
            _indexed(log).entry_at(9)


def test_the_text_index_helpers_at_their_edges(tmp_path):
    """No FTS5 to probe on a closed connection; an empty batch changes nothing."""
    connection = sqlite3.connect(tmp_path / "x.sqlite")
    _sqlite_text.create(connection)
    _sqlite_text.index_entries(connection, [])
    assert _sqlite_text.covered(connection) == 0
    connection.close()
    assert not _sqlite_text.has_fts5(connection)
