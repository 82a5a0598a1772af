"""The text index holds what is stored, whatever event types the writer knew.

A user's own type (a ``Decoration``) written by a process that lacks its
module is stored as an `UnregisteredEvent`; the row the text index holds
for it must still let a reader that has the module find what its class
searches, and `check` must judge the index the same with or without the
module. The index is a candidate filter: it may hold more, never less.
"""

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline import EventLog
from timeline.cli import main
from timeline.errors import CorruptLogError
from timeline.model import _event as events_module
from timeline.model.entry import Entry
from timeline.model.events import Death, Event, Role, registered_event_types
from timeline.model.sources import Source
from timeline.model.unregistered import UnregisteredEvent
from timeline.projections import searched_texts
from timeline.serialization import Codec
from timeline.stores import ProblemKind, SQLiteStore, check, open_store, rebuild_index
from timeline.stores import _sqlite_text as sqlite_text
from timeline.strategies import events, logs

from ..helpers import FakeClock, report
from .contract import FEW

pytestmark = pytest.mark.skipif(
    not sqlite_text.has_fts5(sqlite3.connect(":memory:")),
    reason="this SQLite has no FTS5 trigram tokenizer, so logs keep no text index",
)

START = dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC)
DAY = dt.date(2017, 10, 5)


# Tags with a leading underscore are not registered as the class is made:
# each test registers the types it writes or reads with, and no other
# test sees them.
@attrs.frozen(kw_only=True)
class Decoration(Event):
    """A person awarded an honour, as the how-to declares it."""

    event_type: ClassVar[str] = "_test_text_decoration"

    person: str
    honour: str | None = None
    awarded_by: str | None = None


@attrs.frozen(kw_only=True)
class Summed(Event):
    """A type whose facts are its own: what it searches is not what it stores."""

    event_type: ClassVar[str] = "_test_text_summed"

    first: str | None = None
    second: str | None = None

    def facts(self) -> dict[str, object]:
        """Return one fact joining both fields."""
        return {"both": f"{self.first} and {self.second}"}


@attrs.frozen(kw_only=True)
class Renamed(Event):
    """A type at schema version 2, whose upcaster makes a text of version 1's."""

    event_type: ClassVar[str] = "_test_text_renamed"
    schema_version: ClassVar[int] = 2
    upcasters: ClassVar[Any] = {
        1: lambda payload: {
            **{key: value for key, value in payload.items() if key != "code"},
            "name": f"{payload['code']}-upcast",
        }
    }

    name: str | None = None


USER_TYPES = (Decoration, Summed, Renamed)


@contextlib.contextmanager
def types(*classes: type[Event], without: tuple[str, ...] = ()) -> Iterator[None]:
    """Register *classes*, and unregister the tags *without*, for the block."""
    with pytest.MonkeyPatch.context() as patch:
        for cls in classes:
            patch.setitem(events_module._REGISTRY, cls.event_type, cls)
        for tag in without:
            patch.delitem(events_module._REGISTRY, tag)
        yield


def as_unregistered(entry: Entry) -> Entry:
    """Return *entry* as a process lacking its type's module reads it back."""
    envelope = Codec().entry_to_dict(entry)
    with types(without=(envelope["type"],)):
        read = Codec().entry_from_dict(envelope)
    assert isinstance(read.event, UnregisteredEvent)
    return read


def covers(text: str, event: Event) -> bool:
    """Return whether an index row *text* holds every text *event* is searched by."""
    searched = (event.event_id, *searched_texts(event))
    return all(sqlite_text.encodable(item.casefold()) in text for item in searched)


@given(events(), st.data())
def test_the_stored_text_covers_what_any_reader_searches(event, data):
    """Read as its class or as an unregistered entry: one row, holding both's texts.

    Over every registered type, and the user types: for those
    `unindexed_types` does not name, the row holds what `searched_texts`
    names of the entry, whether a reader has the type's module or not.
    """
    user = data.draw(st.sampled_from([None, *USER_TYPES]))
    with types(*USER_TYPES):
        if user is not None:
            event = data.draw(events(types=[user]))
        entry = Entry(1, START, event)
        text = sqlite_text.entry_text(entry)
        unindexed = {tag for tag, _ in sqlite_text.unindexed_types()}
        raw = as_unregistered(entry)
        assert sqlite_text.entry_text(raw) == text
        assert covers(text, raw.event)
        if event.event_type not in unindexed:
            assert covers(text, event)


def test_only_types_that_search_what_they_do_not_store_are_unindexed():
    """No type of timeline's own is searched past the index; the user's few are.

    (Other tests' types may be registered too: only timeline's and these
    are looked at.)
    """
    own = {
        tag
        for tag, cls in registered_event_types().items()
        if cls.__module__.startswith("timeline.")
    }
    mine = {cls.event_type for cls in USER_TYPES}

    def unindexed() -> dict[str, int]:
        found = dict(sqlite_text.unindexed_types())
        assert not set(found) & own
        return {tag: version for tag, version in found.items() if tag in mine}

    with types(*USER_TYPES):
        assert unindexed() == {Summed.event_type: 2**62, Renamed.event_type: 2}
        assert sqlite_text.unindexed_types() is sqlite_text.unindexed_types()
    # As many types registered, other ones: found again, not remembered.
    with types(Summed):
        assert unindexed() == {Summed.event_type: 2**62}
    with types(Decoration):
        assert unindexed() == {}


def decorations() -> list[Event]:
    """Return the audit's case: a decoration found only by its person's name."""
    return [
        Decoration(
            event_id="asapov-decoration",
            report=report("DEBKA Weekly", dt.date(2017, 9, 28)),
            attribution=(Source("Russian Ministry of Defense"),),
            person="Valery Asapov",
            awarded_by="Russian Ministry of Defense",
            quote="he will be posthumously decorated",
        ),
        Decoration(
            event_id="asapov-decoration",
            report=report("Example Wire", dt.date(2017, 10, 2)),
            person="Valery Asapov",
            honour="Hero of Russia",
            awarded_by="Vladimir Putin",
        ),
        Death(
            event_id="asapov-death",
            report=report("TASS", dt.date(2017, 9, 24)),
            person="Asapov",
        ),
        Summed(
            event_id="summed",
            report=report("Agency", dt.date(2017, 9, 30)),
            first="left flank",
            second="river crossing",
        ),
    ]


NEEDLES = ("valery", "Hero of Russia", "putin", "debka", "decorated", "asapov")
SUMMED = "flank and river"
"""Only in what the Summed entry's facts() makes of its fields."""


def source_log(path: Path) -> Path:
    """Write the audit's JSON Lines log, with the types known, and return it."""
    with types(*USER_TYPES), EventLog.open(path, clock=FakeClock()) as log:
        log.extend(decorations())
    return path


def answers(target: Path | str) -> dict[str, list[str]]:
    """Return what `about` finds for each needle in the log at *target*."""
    with EventLog.open(target, mode="r") as log:
        return {
            text: sorted(h.event_id for h in log.about(text, as_of=DAY))
            for text in (*NEEDLES, SUMMED)
        }


def in_memory(jsonl: Path) -> dict[str, list[str]]:
    """Return the in-memory answers of the JSON Lines log *jsonl*."""
    with EventLog.open(jsonl, mode="r") as log:
        known = log.as_of(DAY)
        return {
            text: sorted(h.event_id for h in known.about(text))
            for text in (*NEEDLES, SUMMED)
        }


def copied(jsonl: Path, target: Path | str, *, with_types: bool) -> None:
    """Export *jsonl* to *target* as `timeline export`, with the types or not."""
    with types(*USER_TYPES) if with_types else contextlib.nullcontext():
        assert main(["export", "--log", str(jsonl), str(target)]) == 0


def assert_found_either_way(jsonl: Path, target: Path | str) -> None:
    """Read *target* with the types and without: the in-memory answers, check ok."""
    for with_types in (True, False):
        with types(*USER_TYPES) if with_types else contextlib.nullcontext():
            expected = in_memory(jsonl)
            assert answers(target) == expected, with_types
            report = check(target)
            assert report.ok, report.problems
            if with_types:
                assert expected["valery"] == ["asapov-decoration"]
                assert expected[SUMMED] == ["summed"]


@pytest.mark.parametrize("with_types", [True, False], ids=["types", "no-types"])
def test_a_user_type_is_found_whoever_wrote_the_log(tmp_path, capsys, with_types):
    """The audit's case: written with or without --types, read either way."""
    jsonl = source_log(tmp_path / "deco.jsonl")
    target = tmp_path / "deco-copy.sqlite"
    copied(jsonl, target, with_types=with_types)
    capsys.readouterr()

    assert_found_either_way(jsonl, target)


def test_an_index_an_older_timeline_made_is_reported_never_used_and_replaced(
    tmp_path,
):
    """Its mark names the older index: check says so, reads fold, a writer rebuilds."""
    jsonl = source_log(tmp_path / "deco.jsonl")
    target = tmp_path / "older.sqlite"
    copied(jsonl, target, with_types=False)
    with closing(sqlite3.connect(target, isolation_level=None)) as connection:
        connection.execute(
            "UPDATE timeline_derived SET name = 'text' WHERE name = ?", ("text-stored",)
        )

    with types(*USER_TYPES):
        report = check(target)
        with EventLog.open(target, mode="r") as log:
            store = log.store
            assert isinstance(store, SQLiteStore)
            unused = store.search("valery", seq_until=len(log))
        read = answers(target)
        expected = in_memory(jsonl)
    [problem] = report.problems
    assert problem.kind is ProblemKind.INDEX
    assert problem.seq is None
    assert "made by an older timeline" in problem.message
    assert "the log itself is intact" in problem.message
    assert unused is None
    assert read == expected

    with open_store(target):
        pass  # a writable open makes it afresh
    assert_found_either_way(jsonl, target)
    assert rebuild_index(target) == len(decorations())
    assert_found_either_way(jsonl, target)


def test_an_upcast_type_written_without_its_module_is_found(tmp_path):
    """An old version's entry holds none of the text its upcaster makes."""
    path = tmp_path / "renamed.sqlite"
    event = Renamed(event_id="d", report=report("TASS", DAY))
    envelope = Codec().entry_to_dict(Entry(1, START, event))
    envelope |= {
        "schema_version": 1,
        "payload": {**envelope["payload"], "code": "x17"},
    }
    raw = Codec().entry_from_dict(envelope)
    with open_store(path) as store:
        store.append([raw])
    with types(Renamed):
        with EventLog.open(path, mode="r") as log:
            [found] = log.about("x17-upcast", as_of=DAY)
            assert found.event_id == "d"
        assert check(path).ok


@FEW
@given(log=logs(max_size=8).filter(len), data=st.data())
def test_a_log_written_without_some_types_reads_as_in_memory(
    tmp_path_factory, log, data
):
    """Whatever types the writer lacked, any reader finds what memory finds."""
    entries = list(log.entries())
    codec = Codec()
    # Analyst entries' types stay: the writer lacks claims' and responses'.
    tags = sorted(
        {
            entry.event.event_type
            for entry in entries
            if entry.event.role is not Role.ANALYST
        }
    )
    lacked = data.draw(st.lists(st.sampled_from(tags), unique=True, max_size=3))
    folder = tmp_path_factory.mktemp("lacking")
    path, jsonl = folder / "log.sqlite", folder / "log.jsonl"
    with types(without=tuple(lacked)):  # the writer's process
        written = [Codec().entry_from_dict(codec.entry_to_dict(e)) for e in entries]
        for target in (path, jsonl):
            with open_store(target) as store:
                store.append(written)
    texts = [
        item
        for entry in entries
        for item in (entry.event.event_id, *searched_texts(entry.event))
        if len(item) >= 3
    ]
    needles = data.draw(st.lists(st.sampled_from(texts), min_size=1, max_size=3))
    needles = [needle[len(needle) // 3 :] for needle in needles]
    day = log.last_published
    assert day is not None
    for lacking in ((), tuple(lacked)):
        with types(without=lacking):
            assert check(path).ok
            with (
                EventLog.open(path, mode="r") as stored,
                EventLog.open(jsonl, mode="r") as loaded,
            ):
                known = loaded.as_of(day)
                for needle in needles:
                    got = {h.event_id for h in stored.about(needle, as_of=day)}
                    assert got == {h.event_id for h in known.about(needle)}


class Text(str):
    """A string of a class of its own, as a payload not yet encoded may hold."""

    __slots__ = ()


def test_the_stored_text_reads_any_shape_of_payload():
    """Only strings are texts, at any depth; the report's and sources' names only."""
    payload = {
        "event_id": "e1",
        "report": {"outlet": "Plain Outlet", "published": "2017-09-24", "url": None},
        "attribution": ["Plain Source", {"name": "Named", "kind": "agency"}, 7],
        "other": {"attribution": {"name": "nested"}},
        "when": "2017-09-23",
        "reliability": "B",
        "nested": {"list": [Text("Deep Text"), (1, "tuple item")], "n": 3},
        "none": None,
    }
    assert sqlite_text.stored_text("tag", payload).split("\x1f") == sorted(
        [
            "tag",
            "e1",
            "plain outlet",
            "plain source",
            "named",
            "deep text",
            "tuple item",
            "nested",
        ]
    )
    assert sqlite_text.stored_text("tag", ["not", "a dict"]) == "tag"
    assert sqlite_text.stored_text("tag", {"attribution": {"name": "x"}}) == "tag"
    assert sqlite_text.stored_text("tag", {"report": ["a list"]}) == "tag"


def test_a_body_that_is_not_json_is_a_corrupt_row(tmp_path):
    """Indexing reads the stored body: text that is not JSON names its seq."""
    path = tmp_path / "log.sqlite"
    with EventLog.open(path, clock=FakeClock()) as log:
        log.extend(decorations()[2:3])
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("UPDATE entries SET body = '{not json'")
        with pytest.raises(CorruptLogError, match="seq 1: body is not JSON"):
            sqlite_text.stored_texts(connection, 0, 1)
        connection.execute("UPDATE entries SET body = CAST('[1]' AS BLOB)")
        assert sqlite_text.stored_texts(connection, 0, 1) == [(1, "death")]
        connection.execute("DROP TABLE timeline_derived")
        assert sqlite_text.verify(connection, 1) is None
