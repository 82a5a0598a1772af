"""Hostile input: every loader refuses what it cannot read, precisely and harmlessly.

The loaders (`Codec.loads`, `JsonlStore`, `SQLiteStore`, `EventLog.open`,
`timeline.stores.check` and ``timeline check``) get random bytes, random
JSON, valid entries with one value replaced (and the hash chain re-sealed,
so the value reaches the decoder), text that is not UTF-8, deep nesting,
huge numbers and strings, NaN, dates out of range and references to missing
entries. Only the documented `TimelineError` subclasses escape, each naming
the line or seq (and the field, when one value is at fault); a refused input
changes nothing stored; and nothing read from a file is imported.
"""

import contextlib
import datetime as dt
import hashlib
import io
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, reject, settings
from hypothesis import strategies as st

from timeline import Entry, Event, EventLog, TimelineError
from timeline.cli import main
from timeline.errors import (
    CorruptLogError,
    DanglingReferenceError,
    InvalidDateError,
    InvalidEntryError,
    UnknownEventTypeError,
)
from timeline.model.events import Amendment, Denial
from timeline.serialization import Codec
from timeline.stores import JsonlStore, ProblemKind, SQLiteStore, check
from timeline.strategies import logs

from .helpers import FakeClock, report

DOCUMENTED = (
    CorruptLogError,
    InvalidEntryError,
    InvalidDateError,
    UnknownEventTypeError,
)
"""What loading a stored log may raise, as the stores' docstrings say."""
FUZZ = settings(
    max_examples=min(60, settings().max_examples),  # the profile's count, if fewer
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
START = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
BAD_DAYS = [
    "0000-01-01",
    "10000-01-01",
    "2017-02-30",
    "2017-13-01",
    "-2017-01-01",
    "+002017-01-01",
    "2017-1-1",
    "2017-09-23T25:00:00+00:00",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59",
    "2017-09-23T09:00:00",
    "../..",
    "[2017-09-23..2017-09-22]",
    "2017-29",
]


def json_values() -> st.SearchStrategy[Any]:
    """Return a strategy for JSON-ish values, NaN and huge numbers included."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.integers(min_value=2**63)
        | st.floats()
        | st.text()
        | st.sampled_from(BAD_DAYS)
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=8,
    )


def hostile_values() -> st.SearchStrategy[Any]:
    """Return a strategy for values no field should take as they are."""
    deep: Any = "bottom"
    for _ in range(400):
        deep = {"k": [deep]}
    return (
        json_values()
        | st.text(min_size=1, max_size=4).map(lambda text: text * 50_000)
        | st.text(st.characters(categories=["Cs"]), min_size=1, max_size=3)
        | st.just(deep)
        | st.just(10**4000)
    )


def seal(previous: str, record: dict[str, Any]) -> str:
    """Return the hash of *record* after *previous*, as the format defines it."""
    canonical = json.dumps(
        record, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(
        (previous + canonical).encode("utf-8", "surrogatepass")
    ).hexdigest()


def dumps(record: Any) -> bytes:
    """Return *record* as one JSON line, NaN and lone surrogates as they come."""
    sys.set_int_max_str_digits(0)
    try:
        text = json.dumps(record, ensure_ascii=True)
    finally:
        sys.set_int_max_str_digits(4300)
    return text.encode("ascii") + b"\n"


def entries() -> st.SearchStrategy[list[Entry]]:
    """Return a strategy for the entries of short, valid logs."""
    return logs(max_size=4).map(list).filter(bool)


@st.composite
def mutated(draw: st.DrawFn, records: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """Replace one value of one of *records* by a hostile one.

    Returns the seq of the record and the names of the fields on the way to
    the value, outermost first.
    """
    index = draw(st.integers(0, len(records) - 1), label="record")
    target: Any = records[index]
    path: list[str | int] = []
    while True:
        keys = [*sorted(target), "new"] if isinstance(target, dict) else []
        keys += list(range(len(target))) if isinstance(target, list) else []
        key = draw(st.sampled_from(keys), label="key")
        value = target[key] if isinstance(target, list) else target.get(key)
        if not isinstance(value, dict | list) or not value:
            break
        if draw(st.booleans(), label="stop here"):
            break
        path.append(key)
        target = value
    target[key] = draw(hostile_values(), label="value")
    return index + 1, [str(name) for name in [*path, key] if isinstance(name, str)]


def reseal(records: list[dict[str, Any]]) -> bytes:
    """Return *records* as a JSON Lines log whose hash chain is intact."""
    previous, lines = "", []
    for record in records:
        record.pop("hash", None)
        record["hash"] = previous = seal(previous, record)
        lines.append(dumps(record))
    return b"".join(lines)


def file_contents() -> st.SearchStrategy[bytes]:
    """Return a strategy for what a hostile log file may hold."""
    lines = st.lists(json_values().map(dumps) | st.binary(max_size=30), max_size=4)
    return (
        st.binary(max_size=200)
        | lines.map(b"".join)
        | st.just(b"[" * 100_000 + b"\n")
        | st.just(b'{"seq":1,"recorded_at":"2026-11')
        | st.just("Коммерсантъ\n".encode("cp1251"))
    )


def named(error: TimelineError, path: Path) -> str:
    """Assert that *error* is documented and names *path* and a line or seq.

    Returns its message.
    """
    assert type(error) in {*DOCUMENTED, DanglingReferenceError}, repr(error)
    message = str(error)
    assert str(path) in message
    assert " line " in message or " seq " in message, message
    return message


def refusal(
    load: Callable[[], object], errors: tuple[type[TimelineError], ...] = DOCUMENTED
) -> TimelineError | None:
    """Return the error of *errors* that *load* raised, or None if it did not."""
    try:
        load()
    except errors as error:
        return error
    return None


def load_log(path: Path) -> TimelineError | None:
    """Open and read the log at *path*; return the error it raised, if any."""
    before = path.read_bytes()

    def load() -> None:
        with EventLog.open(path, clock=FakeClock()):
            pass

    error = refusal(load, (*DOCUMENTED, DanglingReferenceError))
    assert path.read_bytes() == before
    return error


class TestCodec:
    """`Codec.loads` on text that need not be an entry."""

    @FUZZ
    @given(st.binary() | st.text() | json_values().map(dumps))
    def test_anything_is_an_entry_or_a_documented_error(self, text):
        """Random bytes, text or JSON decode, or raise an error saying where."""
        error = refusal(lambda: Codec().loads(text, where="input line 7"))

        assert error is None or str(error).startswith("input line 7")

    @FUZZ
    @given(entries(), st.data())
    def test_a_replaced_value_is_read_or_refused_by_name(self, stored, data):
        """A value replaced anywhere in an entry is refused naming seq and field."""
        codec = Codec()
        records = [codec.entry_to_dict(entry) for entry in stored]
        seq, fields = data.draw(mutated(records))

        error = refusal(
            lambda: codec.loads(dumps(records[seq - 1]), where="input line 3")
        )

        if error is not None:
            message = str(error)
            assert message.startswith("input line 3")
            # NaN and Infinity are refused as JSON, before any field is read.
            named = any(
                name in message or name.replace("_", " ") in message for name in fields
            )
            assert named or "is not a number timeline accepts" in message


class TestJsonlStore:
    """`EventLog.open` and `check` on a hostile JSON Lines file."""

    @FUZZ
    @given(file_contents())
    def test_random_files_are_refused_by_line(self, tmp_path_factory, content):
        """Random bytes are refused naming the line; check agrees, changing nothing."""
        path = tmp_path_factory.mktemp("hostile") / "hostile.jsonl"
        path.write_bytes(content)

        error = load_log(path)
        report = check(path)

        assert report.ok is (error is None)
        if error is not None:
            named(error, path)

    @FUZZ
    @given(entries(), st.data())
    def test_a_replaced_value_under_a_valid_seal_is_refused_by_line(
        self, tmp_path_factory, stored, data
    ):
        """A hostile value under a valid seal reaches the decoder, which names it."""
        codec = Codec()
        records = [codec.entry_to_dict(entry) for entry in stored]
        seq, _ = data.draw(mutated(records))
        path = tmp_path_factory.mktemp("resealed") / "resealed.jsonl"
        path.write_bytes(reseal(records))

        error = load_log(path)
        report = check(path)

        assert report.ok is (error is None)
        if error is not None:
            # A changed event_id can also leave a later reference dangling.
            bad = report.first_bad_seq
            assert bad is not None
            assert bad >= seq
            message = named(error, path)
            assert f"line {bad}" in message or f"seq {bad}" in message

    @FUZZ
    @given(entries(), st.data())
    def test_references_to_missing_entries_are_refused_by_seq(
        self, tmp_path_factory, stored, data
    ):
        """A well-sealed entry answering a happening nobody logged names its seq."""
        seq = data.draw(st.integers(1, len(stored) + 1), label="seq")
        dangling = data.draw(
            st.sampled_from(
                [
                    Denial(
                        event_id="never-logged",
                        report=report("MoD", dt.date(2017, 10, 1)),
                        denied_by="MoD",
                    ),
                    Amendment(
                        event_id="x",
                        report=report("Analyst", dt.date(2017, 10, 1)),
                        voids=seq + 5,
                        reason="typo",
                    ),
                ]
            )
        )
        entries_ = [*stored[: seq - 1], Entry(seq, START, dangling)]
        path = tmp_path_factory.mktemp("dangling") / "dangling.jsonl"
        with JsonlStore(path) as store:
            store.append(entries_)

        error = load_log(path)
        report_ = check(path)

        assert isinstance(error, DanglingReferenceError)
        assert f"entry seq {seq}" in str(error)
        assert report_.first_bad_seq == seq
        assert report_.problems[0].kind is ProblemKind.INVALID


def execute(path: Path, sql: str, *parameters: object) -> None:
    """Run *sql* on the database at *path* behind the store's back."""
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute(sql, parameters)


COLUMNS = [
    "recorded_at",
    "type",
    "schema_version",
    "event_id",
    "published_day",
    "body",
    "hash",
]


def column_values() -> st.SearchStrategy[object]:
    """Return a strategy for what a hostile row may hold in a column."""
    return (
        st.integers(-(2**63), 2**63 - 1)
        | st.floats(allow_nan=False)  # SQLite stores NaN as NULL, which is refused.
        | st.text()
        | st.binary(max_size=20)
        | json_values().map(json.dumps)
        | st.sampled_from(BAD_DAYS)
    )


class TestSQLiteStore:
    """`SQLiteStore` and `check` on a hostile database."""

    @FUZZ
    @given(st.binary(min_size=1, max_size=300))
    def test_random_files_are_refused_unchanged(self, tmp_path_factory, content):
        """Random bytes with a database suffix are refused, and left alone."""
        path = tmp_path_factory.mktemp("hostile") / "hostile.sqlite"
        path.write_bytes(content)

        with pytest.raises(CorruptLogError, match="not a SQLite database"):
            SQLiteStore(path, create=False)
        report = check(path)

        assert path.read_bytes() == content
        assert not report.ok

    @FUZZ
    @given(entries(), st.data())
    def test_a_hostile_column_is_refused_by_seq(self, tmp_path_factory, stored, data):
        """Any value in any column of any row is read back or refused by seq."""
        path = tmp_path_factory.mktemp("rows") / "rows.sqlite"
        with SQLiteStore(path) as store:
            store.append(stored)
        seq = data.draw(st.integers(1, len(stored)), label="seq")
        column = data.draw(st.sampled_from(COLUMNS), label="column")
        value = data.draw(column_values(), label="value")
        try:
            execute(path, f"UPDATE entries SET {column} = ? WHERE seq = ?", value, seq)  # noqa: S608
        except sqlite3.OperationalError as refused:
            # SQLite itself refuses some writes: a merge's body feeds an
            # index on json_extract, so it must be JSON. No such row can be
            # stored, so there is nothing to read back.
            if "malformed JSON" not in str(refused):
                raise
            reject()
        before = path.read_bytes()

        def load() -> None:
            with SQLiteStore(path, create=False) as store:
                list(store.read())

        error = refusal(load)
        report = check(path)

        assert path.read_bytes() == before
        assert report.ok is (error is None)
        assert error is None or f"seq {seq}" in named(error, path)
        assert report.first_bad_seq in {None, seq}


class TestRejectedAppends:
    """A refused append leaves the stored log exactly as it was."""

    @pytest.mark.parametrize(
        "kind", ["dangling", "voids", "surrogate", "unregistered", "naive"]
    )
    @pytest.mark.parametrize("suffix", [".jsonl", ".sqlite"])
    @settings(FUZZ, max_examples=10)
    @given(stored=entries())
    def test_the_stored_bytes_do_not_change(
        self, tmp_path_factory, stored, suffix, kind
    ):
        """Dangling references, unstorable text, unknown types and naive clocks."""
        path = tmp_path_factory.mktemp("refused") / f"log{suffix}"
        with EventLog.open(path, clock=FakeClock()) as log:
            log.extend(entry.event for entry in stored)
        before = path.read_bytes()
        clock = (lambda: START.replace(tzinfo=None)) if kind == "naive" else FakeClock()

        with EventLog.open(path, clock=clock) as log, pytest.raises(TimelineError):
            log.append(_hostile(kind, log.last_seq))

        assert path.read_bytes() == before


@attrs.frozen(kw_only=True)
class _Unregistered(Event):
    """A type the registry does not know: its tag starts with an underscore."""

    event_type: ClassVar[str] = "_unregistered"


def _hostile(kind: str, last_seq: int) -> Event:
    mod = report("MoD", dt.date(2017, 10, 1))
    if kind == "dangling":
        return Denial(event_id="never-logged", report=mod, denied_by="MoD")
    if kind == "voids":
        return Amendment(event_id="x", report=mod, voids=last_seq + 1, reason="typo")
    if kind == "surrogate":
        return Denial(event_id="x", report=mod, denied_by="\udc80")
    if kind == "unregistered":
        return _Unregistered(event_id="x", report=mod)
    return Denial(event_id="y", report=mod, denied_by="a clock without a zone")


class TestCheckCommand:
    """``timeline check`` on hostile files."""

    @FUZZ
    @given(file_contents(), st.sampled_from([".jsonl", ".sqlite"]))
    def test_it_exits_1_naming_the_file_and_changes_nothing(
        self, tmp_path_factory, content, suffix
    ):
        """The command never crashes: 0 for a sound log, 1 naming the file."""
        # An empty file is an empty database, which opening makes a log.
        assume(content or suffix == ".jsonl")
        path = tmp_path_factory.mktemp("cli") / f"hostile{suffix}"
        path.write_bytes(content)
        err = io.StringIO()

        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["check", str(path)])

        assert path.read_bytes() == content
        assert code in {0, 1}
        if code:
            assert str(path) in err.getvalue()

    @FUZZ
    @given(file_contents())
    def test_repair_keeps_every_byte(self, tmp_path_factory, content):
        """With --repair, the log and its side file together hold every byte."""
        directory = tmp_path_factory.mktemp("repair")
        path = directory / "hostile.jsonl"
        path.write_bytes(content)

        with (
            contextlib.redirect_stderr(io.StringIO()),
            contextlib.redirect_stdout(io.StringIO()),
        ):
            code = main(["check", "--repair", str(path)])

        sides = list(directory.glob("hostile.jsonl.torn-*"))
        assert code in {0, 1}
        assert path.read_bytes() + b"".join(s.read_bytes() for s in sides) == content
        assert len(sides) <= 1


@pytest.fixture
def evil_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Put a module on sys.path that leaves a mark if anything imports it."""
    mark = tmp_path / "imported"
    (tmp_path / "evil_tag_module.py").write_text(
        f"import pathlib\npathlib.Path({str(mark)!r}).touch()\nclass Thing: pass\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield mark
    sys.modules.pop("evil_tag_module", None)


TAGS = [
    "evil_tag_module",
    "evil_tag_module:Thing",
    "evil_tag_module.Thing",
    "__import__('evil_tag_module')",
    "!!python/object:evil_tag_module.Thing",
    "cevil_tag_module\nThing\n.",
]


@pytest.mark.parametrize("tag", TAGS)
def test_type_tags_are_never_imported_or_evaluated(tmp_path, evil_module, tag):
    """A tag naming a module, an expression or a pickle is only an unknown tag."""
    claim = Denial(
        event_id="x", report=report("MoD", dt.date(2017, 10, 1)), denied_by="MoD"
    )
    record = Codec().entry_to_dict(Entry(1, START, claim))
    record["type"] = tag
    record["hash"] = seal("", record)
    path = tmp_path / "evil.jsonl"
    path.write_bytes(dumps(record))

    strict = Codec(keep_unregistered=False)
    with pytest.raises(UnknownEventTypeError, match="line 1"):
        JsonlStore(path, codec=strict)
    report_ = check(path, codec=strict)
    # Kept as a raw claim by default: its tag is only text.
    with JsonlStore(path) as store:
        (kept,) = store.read()

    assert report_.problems[0].kind is ProblemKind.UNREADABLE
    assert kept.event.event_type == tag
    assert not evil_module.exists()
    assert "evil_tag_module" not in sys.modules
