"""What an append to a SQLite log adds beside its rows: the text index, the lookups."""

import datetime as dt
import sqlite3
from contextlib import closing
from typing import ClassVar

import attrs
import pytest
from hypothesis import given

from timeline import Entry, EventLog
from timeline.errors import DanglingReferenceError
from timeline.model import _event as events_module
from timeline.model.events import AnalystEntry, Death, Denial, Event, SameAs
from timeline.projections import searched_texts
from timeline.serialization import Codec
from timeline.stores import SQLiteStore, _sqlite_text, check
from timeline.stores._sqlite_lookups import analyst_tags
from timeline.stores._sqlite_text import entry_text
from timeline.strategies import events

from ..helpers import FakeClock, day, report

START = dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC)
AS_OF = dt.date(2017, 10, 31)


def covered(entry: Entry) -> bool:
    """Return whether the row of *entry* holds every text searched_texts names."""
    event = entry.event
    text = entry_text(entry)
    return all(
        _sqlite_text.encodable(item.casefold()) in text
        for item in (event.event_id, *searched_texts(event))
    )


@attrs.frozen(kw_only=True)
class Sighted(Event):
    """A user type with one fact field, a text."""

    event_type: ClassVar[str] = "_test_append_sighted"

    what: str | None = None


@attrs.frozen(kw_only=True)
class Bare(Event):
    """A user type with no fact field at all."""

    event_type: ClassVar[str] = "_test_append_bare"


@attrs.frozen(kw_only=True)
class Summed(Event):
    """A user type whose facts are its own: its text facts are what it says."""

    event_type: ClassVar[str] = "_test_append_summed"

    first: str | None = None
    second: str | None = None

    def facts(self) -> dict[str, object]:
        """Return one fact joining both fields."""
        return {"both": f"{self.first} and {self.second}"}


@given(events())
def test_the_index_holds_the_searched_texts_of_every_event(event):
    """The text read from the stored payload holds all searched_texts names."""
    assert covered(Entry(1, START, event))


@pytest.mark.parametrize("cls", [Sighted, Bare, Summed])
@pytest.mark.parametrize("text", ["", "Straße", "A\x1fB", "\x00x", "\ud800"])
def test_user_types_are_indexed_by_what_they_store(cls, text):
    """One fact field, none, or a facts() of their own; any text, the separator too.

    A type with a facts() of its own is searched past the index when
    registered (see test_text_types): its row holds what it stores.
    """
    fields = {"Sighted": {"what": text}, "Bare": {}, "Summed": {"first": text}}
    event = cls(
        event_id="s",
        report=report("Agency", dt.date(2017, 9, 24), title=text or None),
        **fields[cls.__name__],
    )
    entry = Entry(1, START, event)
    held = entry_text(entry)
    assert covered(entry) is (cls is not Summed)
    assert _sqlite_text.encodable(text.casefold()) in held
    assert held == _sqlite_text.stored_text(
        cls.event_type, Codec().entry_to_dict(entry)["payload"]
    )


def quoted(event_id: str, quote: str, published: str = "2017-09-24") -> Death:
    """Return a death report about *event_id* quoting *quote*."""
    return Death(
        event_id=event_id,
        report=report("Agency", dt.date.fromisoformat(published)),
        person="Asapov",
        when=day("2017-09-23"),
        quote=quote,
    )


def test_every_entry_of_a_batch_has_its_own_row_and_check_agrees(tmp_path):
    """Entries of one happening repeating texts each keep their row.

    `timeline check` verifies the index row by row against the entries, so
    a row never depends on the batch its entry came in.
    """
    path = tmp_path / "log.sqlite"
    with EventLog.open(path, clock=FakeClock()) as log:
        log.extend(
            [
                quoted("a", "said Interfax"),
                quoted("b", "said Interfax"),
                quoted("a", "said Interfax"),
                quoted("a", "per TASS"),
            ]
        )
        entries = list(log)
    needles = ("asa", "fax", "tas", "sai", "gen")
    with closing(sqlite3.connect(path)) as connection:
        found = {
            needle: [
                seq
                for (seq,) in connection.execute(
                    "SELECT rowid FROM entries_text WHERE entries_text MATCH ?",
                    (f'"{needle}"',),
                )
            ]
            # Trigrams: the index keeps no positions to match phrases with.
            for needle in needles
        }
    assert found == {
        needle: [entry.seq for entry in entries if needle in entry_text(entry)]
        for needle in needles
    }
    assert found["fax"] == [1, 2, 3]
    assert found["tas"] == [4]
    assert check(path).ok
    with EventLog.open(path, mode="r") as log:
        store = log._store
        assert isinstance(store, SQLiteStore)
        assert store.search("interfax", seq_until=4) == {"a", "b"}
        assert store.search("tass", seq_until=3) == set()
        assert store.search("tass", seq_until=4) == {"a"}
        for text in ("interfax", "TASS", "asapov", "said"):
            assert log.about(text, as_of=AS_OF) == log.as_of(AS_OF).about(text)


def test_the_analyst_tags_follow_the_registry(monkeypatch):
    """A type registered later is an analyst entry's tag from then on."""

    @attrs.frozen(kw_only=True)
    class Hunch(AnalystEntry):
        """An analyst entry of a user's own."""

        event_type: ClassVar[str] = "_test_append_hunch"

    before = analyst_tags()
    assert analyst_tags() is before  # made once
    monkeypatch.setitem(events_module._REGISTRY, Hunch.event_type, Hunch)
    assert Hunch.event_type in analyst_tags()
    assert Hunch.event_type not in before


def test_a_batch_naming_a_happening_twice_looks_it_up_once(tmp_path, monkeypatch):
    """The rules ask the store about a happening once a batch, however often named.

    The batch's own happenings are never asked about: they are known.
    """
    path = tmp_path / "log.sqlite"
    with EventLog.open(path, clock=FakeClock()) as log:
        log.append(quoted("a", "said Interfax"))
    asked: list[str] = []
    holds = SQLiteStore.holds_happening

    def counted(self: SQLiteStore, event_id: str, *, seq_until: int) -> bool:
        asked.append(event_id)
        return holds(self, event_id, seq_until=seq_until)

    monkeypatch.setattr(SQLiteStore, "holds_happening", counted)
    with EventLog.open(path, clock=FakeClock()) as log:
        denials = [denial(event_id, n) for event_id in "aab" for n in range(2)]
        log.extend([quoted("a", "again"), quoted("b", "new"), *denials])
        assert asked == []
        log.extend([denial("a", 3), denial("b", 3), denial("a", 4)])
        assert asked == ["a", "b"]
        # Analyst entries add no happening of their own: each asks, once.
        log.extend([same("a", "b", 1), same("b", "a", 2), same("a", "b", 3)])
        assert asked == ["a", "b", "a", "b"]
        with pytest.raises(DanglingReferenceError, match="'zz'"):
            log.extend([denial("zz", 1), denial("zz", 2)])
        assert len(log) == 15
    assert asked == ["a", "b", "a", "b", "zz"]


def denial(event_id: str, number: int) -> Denial:
    """Return a denial of *event_id* by outlet *number*."""
    return Denial(
        event_id=event_id,
        report=report(f"Outlet {number}", dt.date(2017, 9, 25)),
        denied_by="Ministry",
    )


def same(event_id: str, other: str, number: int) -> SameAs:
    """Return the analyst's judgement that *event_id* is *other*."""
    return SameAs(
        event_id=event_id,
        other_event_id=other,
        report=report(f"Review {number}", dt.date(2017, 9, 26)),
    )
