"""Opening a stored log the short way reads what the checked way reads.

The stores read a line or row as they write it without preparing any
message, and the codec decodes it with readers generated for each class,
which build records from drafts (see ``serialization._draft``). Anything odd
takes the checked way, which names what is wrong. These tests pin that both
ways agree, entry for entry and error for error, on logs as written and on
logs damaged or crafted in every way the short ways check.
"""

import contextlib
import copy
import datetime as dt
import functools
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest

import timeline.model._event as events_module
import timeline.serialization._readers as serialization
import timeline.stores._sqlite_decode as sqlite_decode_module
import timeline.stores._sqlite_rows as sqlite_rows
import timeline.stores.jsonl as jsonl_module
from timeline import Entry, FuzzyDate
from timeline.model.dates import Precision
from timeline.model.events import (
    Attack,
    Capture,
    Death,
    Estimate,
    Event,
    registered_event_types,
)
from timeline.model.sources import Credibility, Reliability, Report, Source
from timeline.model.unregistered import UnregisteredEvent
from timeline.serialization import Codec, make_converter
from timeline.stores import JsonlStore, SQLiteStore

from .helpers import FakeClock

START = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
TASS = Report(outlet=Source("TASS", kind="agency"), published=dt.date(2017, 9, 24))
RIA = Report(
    outlet=Source("RIA"),
    published=dt.datetime(
        2017, 9, 25, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=3))
    ),
    title="Asapov",
    url="https://example.org/asapov",
)
INFERRED = Report(
    outlet=Source("Interfax"),
    published=dt.date(2017, 9, 26),
    published_range=(dt.date(2017, 9, 25), dt.date(2017, 9, 27)),
)
WHENS = (
    FuzzyDate.exact(dt.date(2017, 9, 23)),
    FuzzyDate.between(dt.date(2017, 9, 22), dt.date(2017, 9, 24)),
    FuzzyDate.one_of(dt.date(2017, 9, 22), dt.date(2017, 9, 24), dt.date(2017, 9, 23)),
    FuzzyDate.month(2017, 9),
    FuzzyDate.parse("summer 2017"),
    FuzzyDate.year(2017),
    FuzzyDate.exact(dt.date(2017, 9, 23)).with_phrase(
        "on Saturday", anchor=dt.date(2017, 9, 24)
    ),
    FuzzyDate.month(2017, 9).with_phrase("in September", anchor=dt.date(2017, 9, 24)),
    FuzzyDate.since(dt.date(2017, 9, 20)),
)


def claims() -> list[Event]:
    """Return claims of several types, with values of every kind the readers read."""
    found: list[Event] = []
    for n, when in enumerate(WHENS):
        source = (TASS, RIA, INFERRED)[n % 3]
        found.append(
            Death(
                event_id="asapov-death",
                report=source,
                person="Valery Asapov",
                when=when,
                reliability=Reliability.B,
                credibility=Credibility.PROBABLY_TRUE,
                quote="killed by mortar fire",
            )
        )
        found.append(
            Attack(
                event_id=f"attack {n}",
                report=source,
                when=when,
                where="Deir ez-Zor",
                actors=("ISIS", "Russian forces"),
                attribution=(Source("Russian Ministry of Defence", kind="ministry"),),
                attacker="ISIS",
                killed=Estimate(low=1, best=2, high=3),
                wounded=Estimate(best=n),
            )
        )
        found.append(
            Capture(
                event_id=f"capture {n}",
                report=source,
                captor="ISIS",
                captives="two soldiers",
                count=Estimate(best=2),
                # Canonical JSON escapes a control character: a row holding
                # one is read the checked way.
                note="a note\x01 with a control character" if n == 2 else "a note",
            )
        )
    return found


def stored_records(tmp_path: Path) -> list[dict[str, Any]]:
    """Return the records (hash left out) of a JSON Lines log of `claims`."""
    path = tmp_path / "source.jsonl"
    with JsonlStore(path) as store:
        clock = FakeClock()
        store.append([Entry(1, clock(), claims()[0])])
        rest = [Entry(n, clock(), claim) for n, claim in enumerate(claims(), 1)][1:]
        store.append(rest[:3])
        for entry in rest[3:]:
            store.append([entry])
    records = [json.loads(line) for line in path.read_bytes().splitlines()]
    for record in records:
        del record["hash"]
    return records


def canonical(record: dict[str, Any]) -> str:
    """Return *record* as the canonical JSON its hash seals."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sealed_lines(records: list[dict[str, Any]]) -> list[str]:
    """Return *records* as lines a JSON Lines store writes, chained afresh."""
    lines, previous = [], ""
    for record in records:
        text = canonical(record)
        previous = hashlib.sha256((previous + text).encode()).hexdigest()
        lines.append(f'{text[:-1]},"hash":"{previous}"}}\n')
    return lines


@contextlib.contextmanager
def checked_way_only() -> Iterator[None]:
    """Make the stores' short ways fail on every line and row, as on odd ones."""

    def refuse(text: str | bytes) -> Any:
        raise ValueError(text[:20])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsonl_module, "parse_fast", refuse)
        patch.setattr(sqlite_decode_module, "parse_fast", refuse)
        yield


Outcome = tuple[str, Any]


def outcome(open_store: Callable[[], Any]) -> Outcome:
    """Return what reading a store gives: its entries, or the error raised."""
    try:
        with open_store() as store:
            entries = list(store.read())
    except Exception as error:  # compared, not hidden
        return ("refused", (type(error), str(error)))
    return ("read", entries)


def assert_agree(open_store: Callable[[Codec], Any]) -> Outcome:
    """Assert the three ways of reading agree; return what they give."""
    short = outcome(lambda: open_store(Codec()))
    by_cattrs = outcome(lambda: open_store(Codec(make_converter())))
    with checked_way_only():
        checked = outcome(lambda: open_store(Codec()))
    assert short == checked
    assert short == by_cattrs
    if short[0] == "read":
        assert_exact_types(short[1])
    return short


def assert_exact_types(entries: list[Entry]) -> None:
    """Assert each record read is of exactly its class: no draft is left."""
    classes = {*registered_event_types().values(), UnregisteredEvent}
    for entry in entries:
        event: Any = entry.event
        assert type(entry) is Entry
        assert type(event) in classes
        assert type(event.report) is Report
        assert type(event.report.outlet) is Source
        assert all(type(source) is Source for source in event.attribution)
        if event.when is not None:
            assert type(event.when) is FuzzyDate
        for name in ("killed", "wounded", "count"):
            estimate = getattr(event, name, None)
            assert estimate is None or type(estimate) is Estimate


# -- JSON Lines ----------------------------------------------------------------


def _set(path: tuple[str, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(record: dict[str, Any]) -> None:
        target = record
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    def edit(record: dict[str, Any]) -> None:
        del record[key]

    return edit


WHENS_STORED: tuple[object, ...] = (
    "2017-09-23",
    "2017-02-30",
    "2017-9-23",
    "2017-09",
    "2017-13",
    "2017-00",
    "0000-05",
    "2017",
    "2017-21",
    "2017-25",
    "2017-09-22/2017-09-24",
    "2017-09-24/2017-09-22",
    "../2017-09-24",
    "2017-09-24/..",
    "[2017-09-22,2017-09-24]",
    "[2017-09-24,2017-09-22,2017-09-23]",
    "[2017-09-22, 2017-09-24]",
    "[2017-09-22,2017-09-22]",
    "[2017-09-22]",
    "[2017-09-22,2017-02-30]",
    "[]",
    "\u0662\u0660\u0661\u0667-\u0660\u0669-\u0662\u0663",
    "2017-W38-1",
    "yesterday",
    "",
    5,
    ["2017-09-23"],
    {"edtf": "2017-09-23"},
    {"edtf": "2017-09", "precision": "day"},
    {"edtf": "2017-09-23", "precision": "fortnight"},
    {"edtf": "2017-09-23", "phrase": "on Saturday", "anchor": "2017-09-24"},
    {"edtf": "2017-09-23", "phrase": 5},
    {"edtf": "2017-09-23", "anchor": "2017-02-30"},
    {"edtf": "2017-09-23", "anchor": None},
    {"edtf": "2017-09-23", "anchor": "20170924"},
    {"edtf": "20170923"},
    "20170923",
    "20170922/20170924",
    {"edtf": "2017-09-23", "colour": "red"},
    {"phrase": "on Saturday"},
)
"""Dates as a log may hold them: each form the readers read, and wrong ones."""


RESEALED_EDITS: dict[str, Callable[[dict[str, Any]], None]] = {
    "seq": _set(("seq",), 99),
    "seq as text": _set(("seq",), "2"),
    "unknown type": _set(("type",), "plugin_only"),
    "newer schema": _set(("schema_version",), 2),
    "schema 0": _set(("schema_version",), 0),
    "naive recorded_at": _set(("recorded_at",), "2026-11-21T09:00:00"),
    "recorded_at as number": _set(("recorded_at",), 5),
    "no payload": _drop("payload"),
    "payload as list": _set(("payload",), [1]),
    "blank event id": _set(("payload", "event_id"), " "),
    "event id as number": _set(("payload", "event_id"), 5),
    "unknown field": _set(("payload", "colour"), "red"),
    "extra envelope key": _set(("extra",), 1),
    "explicit null": _set(("payload", "where"), None),
    "person as null": _set(("payload", "person"), None),
    "reliability unknown": _set(("payload", "reliability"), "Z"),
    "reliability as number": _set(("payload", "reliability"), 1),
    "published impossible": _set(("payload", "report", "published"), "2017-02-30"),
    "published as week": _set(("payload", "report", "published"), "2017-W38-1"),
    "published compact": _set(("payload", "report", "published"), "20170924"),
    "range compact": _set(
        ("payload", "report", "published_range"), ["20170923", "2017-09-25"]
    ),
    "published naive": _set(("payload", "report", "published"), "2017-09-24T09:00"),
    "published aware": _set(
        ("payload", "report", "published"), "2017-09-24T09:00:00+03:00"
    ),
    "outlet extra key": _set(("payload", "report", "outlet", "x"), 1),
    "outlet kind number": _set(("payload", "report", "outlet", "kind"), 1),
    "range outside": _set(
        ("payload", "report", "published_range"), ["2017-10-01", "2017-10-02"]
    ),
    "range of one": _set(("payload", "report", "published_range"), ["2017-09-24"]),
    "actors as text": _set(("payload", "actors"), "ISIS"),
    "attribution as object": _set(("payload", "attribution"), {"name": "x"}),
    **{f"when {when!r}": _set(("payload", "when"), when) for when in WHENS_STORED},
    "estimate out of order": _set(("payload", "killed"), {"low": 3, "best": 1}),
    "estimate empty": _set(("payload", "killed"), {}),
    "estimate negative": _set(("payload", "killed"), {"best": -1}),
    "estimate as float": _set(("payload", "killed"), {"best": 2.0}),
    "estimate as bool": _set(("payload", "killed"), {"best": True}),
    "huge number": _set(("payload", "killed"), {"best": 10**30}),
}


class TestJsonLines:
    """`JsonlStore` reads a file the same, its short way taken or not."""

    @staticmethod
    def agree(path: Path) -> Outcome:
        """Assert the three ways read the file at *path* alike; return their result."""
        return assert_agree(lambda codec: JsonlStore(path, create=False, codec=codec))

    def test_a_log_as_written(self, tmp_path):
        """Every entry of a varied log, written by the store, reads the same."""
        records = stored_records(tmp_path)
        path = tmp_path / "log.jsonl"
        path.write_text("".join(sealed_lines(records)), encoding="utf-8")

        assert path.read_bytes() == (tmp_path / "source.jsonl").read_bytes()
        kind, entries = self.agree(path)
        assert kind == "read"
        assert [entry.event for entry in entries] == claims()

    @pytest.mark.parametrize("target", [3, 4], ids=["death", "attack"])
    @pytest.mark.parametrize("edit", list(RESEALED_EDITS), ids=str)
    def test_a_resealed_record(self, tmp_path, edit, target):
        """A record edited and sealed again reads, or is refused, the same way."""
        records = stored_records(tmp_path)
        RESEALED_EDITS[edit](records[target])
        path = tmp_path / "log.jsonl"
        path.write_text("".join(sealed_lines(records)), encoding="utf-8")

        self.agree(path)

    @pytest.mark.parametrize(
        "line",
        [
            "",
            "[1, 2]",
            "not json",
            '{"payload":{},"hash":"00"}',
            '{"payload":NaN}',
            "{}",
            '{"hash":5}',
        ],
    )
    def test_a_line_that_is_not_a_sealed_record(self, tmp_path, line):
        """A line that cannot be a record is refused the same way."""
        lines = sealed_lines(stored_records(tmp_path))
        lines[4] = line + "\n"
        path = tmp_path / "log.jsonl"
        path.write_text("".join(lines), encoding="utf-8")

        kind, _ = self.agree(path)
        assert kind == "refused"

    @pytest.mark.parametrize(
        "damage",
        [
            "edited",
            "removed",
            "swapped",
            "torn",
            "torn batch",
            "cut batch",
            "count",
            "count as text",
            "count negative",
            "count negative alone",
            "count as bool",
            "hash as number",
            "hash uppercase",
            "hash first",
            "spaced and sealed",
            "spaced, sealed as canonical",
            "first layout",
            "lone surrogate",
            "nan",
            "float",
            "duplicate key",
            "trailing space",
            "bom",
            "not utf-8",
        ],
    )
    def test_a_damaged_or_crafted_file(self, tmp_path, damage):
        """A file damaged, or written by other code, reads the same either way."""
        records = stored_records(tmp_path)
        lines = sealed_lines(records)
        # Line 7, a death, is the one crafted; line 6 the one it chains from.
        previous = json.loads(lines[5])["hash"]
        death = copy.deepcopy(records[6])
        assert death["type"] == "death"

        def reseal(text: str) -> str:
            # The line holding *text* with the hash of *text*, as a store of
            # this layout would seal it.
            digest = hashlib.sha256((previous + text).encode()).hexdigest()
            return f'{text[:-1]},"hash":"{digest}"}}\n'

        def recount(more: object) -> list[str]:
            # The lines with the batch of lines 2-4 counting *more* on line 3.
            batch = copy.deepcopy(records)
            batch[2]["more"] = more
            return sealed_lines(batch)

        digest = hashlib.sha256((previous + canonical(death)).encode()).hexdigest()
        text = canonical(death)
        crafted = {
            "edited": lambda: lines[6].replace("Valery", "Valeri"),
            "hash as number": lambda: canonical({**death, "hash": 5}) + "\n",
            "hash uppercase": lambda: reseal(text).replace(digest, digest.upper()),
            "hash first": lambda: f'{{"hash":"{digest}",{text[1:]}\n',
            # Sealed over its own text rather than the canonical JSON: both
            # ways trust the text before the hash when the line starts as a
            # canonical one does.
            "spaced and sealed": lambda: reseal(
                '{"payload":'
                + json.dumps(death, sort_keys=True, separators=(", ", ": "))[12:]
            ),
            "spaced, sealed as canonical": lambda: (
                json.dumps({**death, "hash": digest}, sort_keys=True) + "\n"
            ),
            "first layout": lambda: (
                json.dumps({**death, "hash": digest}, separators=(",", ":")) + "\n"
            ),
            "lone surrogate": lambda: reseal(text.replace('"Valery', '"\\ud800Valery')),
            "nan": lambda: reseal(text.replace('"Valery Asapov"', "NaN")),
            "float": lambda: reseal(
                text.replace('"schema_version":1', '"schema_version":1.0')
            ),
            "duplicate key": lambda: reseal(
                text.replace('"person":', '"person":"X","person":')
            ),
            "trailing space": lambda: lines[6][:-1] + " \n",
        }
        data: bytes | None = None
        if damage in crafted:
            lines[6] = crafted[damage]()
        elif damage == "removed":
            del lines[6]
        elif damage == "swapped":
            lines[6], lines[7] = lines[7], lines[6]
        elif damage == "torn":
            lines[-1] = lines[-1][:-1]
        elif damage == "torn batch":
            lines = [*lines[:3], lines[3][:40]]
        elif damage == "cut batch":
            lines = lines[:3]
        elif damage == "count negative alone":
            alone = copy.deepcopy(records)
            alone[6]["more"] = -1
            lines = sealed_lines(alone)
        elif damage.startswith("count"):
            lines = recount(
                {"count": 5, "count as text": "0", "count as bool": True}.get(
                    damage, -1
                )
            )
        elif damage == "bom":
            lines[0] = "\ufeff" + lines[0]
        elif damage == "not utf-8":
            data = (
                "".join(lines)
                .replace("Valery", "Val\udcffery", 1)
                .encode("utf-8", "surrogateescape")
            )
        else:
            raise AssertionError(damage)
        path = tmp_path / "log.jsonl"
        path.write_bytes(data if data is not None else "".join(lines).encode())

        self.agree(path)

    def test_appends_read_by_another_store(self, tmp_path):
        """Lines another store appends are read the same way as on opening."""
        path = tmp_path / "log.jsonl"
        entries = [Entry(n, START, claim) for n, claim in enumerate(claims(), 1)]
        with JsonlStore(path) as reader, JsonlStore(path) as writer:
            writer.append(entries[:5])
            first = list(reader.read())
            writer.append(entries[5:])
            with checked_way_only():
                second = list(reader.read())
            assert first == entries[:5]
            assert second == entries
            assert_exact_types(second)


# -- SQLite -------------------------------------------------------------------


def _rows(path: Path) -> list[tuple[Any, ...]]:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return connection.execute(
            "SELECT seq, recorded_at, type, schema_version, event_id, "
            "published_day, body, hash FROM entries ORDER BY seq"
        ).fetchall()


def _sealed_text(row: tuple[Any, ...]) -> str:
    seq, recorded_at, type_, version, _, _, body, _ = row
    dumps = functools.partial(json.dumps, ensure_ascii=False)
    return (
        f'{{"payload":{body},"recorded_at":{dumps(recorded_at)},'
        f'"schema_version":{dumps(version)},"seq":{dumps(seq)},'
        f'"type":{dumps(type_)}}}'
    )


def _rewrite(path: Path, rows: list[list[Any]], *, reseal: bool) -> None:
    # Writes *rows* over the table, each sealed again after the one before
    # it when *reseal* is true (a row whose text cannot be sealed keeps its
    # hash), or skips the test if the table refuses them.
    previous = ""
    try:
        with contextlib.closing(sqlite3.connect(path)) as connection, connection:
            connection.execute("DELETE FROM entries")
            for row in rows:
                if reseal:
                    with contextlib.suppress(UnicodeEncodeError, TypeError):
                        row[7] = hashlib.sha256(
                            (previous + _sealed_text(tuple(row))).encode()
                        ).digest()
                connection.execute(
                    "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row
                )
                previous = row[7].hex() if isinstance(row[7], bytes) else str(row[7])
    except sqlite3.Error as error:
        pytest.skip(f"the table refuses the rows: {error}")


class TestSQLite:
    """`SQLiteStore` reads a database the same, its short way taken or not."""

    @pytest.fixture
    def database(self, tmp_path: Path) -> Path:
        """Return a database holding `claims`, in a batch and one by one."""
        path = tmp_path / "log.sqlite"
        clock = FakeClock()
        with SQLiteStore(path) as store:
            entries = [Entry(n, clock(), claim) for n, claim in enumerate(claims(), 1)]
            store.append(entries[:4])
            for entry in entries[4:]:
                store.append([entry])
        return path

    @staticmethod
    def agree(path: Path) -> Outcome:
        """Assert the three ways read the database *path* alike; return their result."""
        return assert_agree(lambda codec: SQLiteStore(path, create=False, codec=codec))

    def test_a_log_as_written(self, database):
        """Every entry of a varied log, written by the store, reads the same."""
        kind, entries = self.agree(database)

        assert kind == "read"
        assert [entry.event for entry in entries] == claims()

    @pytest.mark.parametrize("edit", list(RESEALED_EDITS), ids=str)
    def test_a_resealed_row(self, database, edit):
        """A body edited and sealed again reads, or is refused, the same way."""
        rows = [list(row) for row in _rows(database)]
        record = {
            "seq": rows[1][0],
            "recorded_at": rows[1][1],
            "type": rows[1][2],
            "schema_version": rows[1][3],
            "payload": json.loads(rows[1][6]),
        }
        RESEALED_EDITS[edit](record)
        if "payload" in record:
            rows[1][6] = canonical(record["payload"])
        else:
            rows[1][6] = "null"
        rows[1][0:4] = [
            record.get(key) for key in ("seq", "recorded_at", "type", "schema_version")
        ]
        _rewrite(database, rows, reseal=True)

        self.agree(database)

    @pytest.mark.parametrize(
        ("column", "value"),
        [
            ("seq", 999),
            ("seq", None),
            ("recorded_at", 5),
            ("recorded_at", b"2026-11-21T09:00:00+00:00"),
            ("recorded_at", "2026-11-21T09:00:00"),
            ("type", "plugin_only"),
            ("type", "attack"),
            ("type", 5),
            ("schema_version", "1"),
            ("schema_version", 1.0),
            ("schema_version", 2),
            ("event_id", "someone else"),
            ("event_id", 5),
            ("published_day", 20170923),
            ("published_day", "20170924"),
            ("body", '{"person": "Valery Asapov"}'),
            ("body", b"{}"),
            ("body", "not json"),
            ("body", "[1]"),
            ("body", "{} "),
            ("body", lambda body: body + " "),
            ("body", lambda body: body + "x"),
            ("body", lambda body: " " + body),
            ("body", lambda body: body.replace('"Valery', '"\\u0056alery')),
            ("body", lambda body: body.replace('"Valery', '"\\ud800Valery')),
            ("body", lambda body: body.replace('"Valery Asapov"', "NaN")),
            ("body", lambda body: body.replace('"person":', '"person":"X","person":')),
            ("body", lambda body: body.replace(":", ": ")),
            ("hash", "00"),
            ("hash", b"\x00" * 32),
            ("hash", b"\x00" * 31),
            ("hash", lambda digest: digest.hex()),
        ],
        ids=str,
    )
    @pytest.mark.parametrize("reseal", [False, True])
    def test_a_damaged_or_crafted_row(self, database, column, value, reseal):
        """A row damaged, or written by other code, reads the same either way."""
        columns = list(sqlite_rows.COLUMNS)
        rows = [list(row) for row in _rows(database)]
        # Row 7, a death, is the one damaged.
        assert rows[6][2] == "death"
        at = columns.index(column)
        if column == "seq" and value is None:
            del rows[6]  # the row removed
        else:
            rows[6][at] = value(rows[6][at]) if callable(value) else value
        _rewrite(database, rows, reseal=reseal)

        self.agree(database)

    def test_a_body_with_control_characters(self, database):
        """Canonical JSON escapes control characters: such rows read the same."""
        kind, entries = self.agree(database)

        assert kind == "read"
        assert any("\x01" in (entry.event.note or "") for entry in entries)


# -- The codec -----------------------------------------------------------------


@pytest.mark.parametrize("when", WHENS_STORED, ids=repr)
def test_the_readers_read_a_date_as_cattrs_does(when):
    """Each form of date is read, or refused, as the converter alone reads it."""
    payload = {
        "event_id": "asapov-death",
        "report": {"outlet": {"name": "TASS"}, "published": "2017-09-24"},
        "person": "Valery Asapov",
        "when": when,
    }
    envelope = {"type": "death", "schema_version": 1, "payload": payload}

    def read(codec: Codec) -> Outcome:
        try:
            event = codec.event_from_dict(copy.deepcopy(envelope))
        except Exception as error:  # compared, not hidden
            return ("refused", (type(error), str(error)))
        return ("read", event)

    direct, by_cattrs = read(Codec()), read(Codec(make_converter()))

    assert direct == by_cattrs
    if direct[0] == "read":
        event: Any = direct[1]
        assert type(event) is Death
        assert type(event.when) is FuzzyDate
        assert event.when == by_cattrs[1].when
        assert event.when.precision is by_cattrs[1].when.precision


def test_dates_read_twice_are_shared():
    """A codec reads each distinct date text once and shares the date."""
    codec = Codec()
    texts = ["2017-09", "[2017-09-22,2017-09-24]", "2017-09", "[2017-09-22,2017-09-24]"]
    read: list[Any] = [
        codec.event_from_dict(
            {
                "type": "death",
                "schema_version": 1,
                "payload": {
                    "event_id": "d",
                    "report": {"outlet": {"name": "TASS"}, "published": "2017-09-22"},
                    "person": "V.",
                    "when": text,
                },
            }
        ).when
        for text in texts
    ]

    assert read[0] is read[2]
    assert read[1] is read[3]
    assert read[0] == FuzzyDate.month(2017, 9)
    assert read[0].precision is Precision.MONTH
    assert read[1].choices == {dt.date(2017, 9, 22), dt.date(2017, 9, 24)}
    assert read[1].earliest is min(read[1].choices)


class Announced:
    """A mixin whose subclasses announce themselves, as some plugins do."""

    __slots__ = ()
    subclasses: ClassVar[list[type]] = []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        Announced.subclasses.append(cls)


@attrs.frozen(kw_only=True)
class Announcement(Announced, Event):
    """A user type whose base defines ``__init_subclass__``."""

    event_type: ClassVar[str] = "_test_load_announcement"

    text: str


@attrs.frozen(kw_only=True)
class Memo(Event):
    """A user type with nothing unusual."""

    event_type: ClassVar[str] = "_test_load_memo"

    text: str


@pytest.mark.parametrize("cls", [Announcement, Memo])
def test_user_types_read_as_themselves(monkeypatch, cls):
    """The readers build each class as itself, making no subclass a base objects to."""
    monkeypatch.setitem(events_module._REGISTRY, cls.event_type, cls)
    announced = list(Announced.subclasses)
    event = cls(event_id="e", report=TASS, text="hello")
    codec = Codec()
    entry = Entry(1, START, event)

    read = [codec.entry_from_dict(codec.entry_to_dict(entry)) for _ in range(2)]

    assert read == [entry, entry]
    assert all(type(item.event) is cls for item in read)
    assert Announced.subclasses == announced
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        read[0].event.text = "changed"  # type: ignore[attr-defined]


def test_codecs_share_values_among_their_own_entries_only(monkeypatch):
    """Readers made once for all codecs read into each codec's own tables."""
    # The readers made afresh, by the first codec below.
    monkeypatch.setattr(serialization, "_TEMPLATES", {})
    attack: Any = next(claim for claim in claims() if isinstance(claim, Attack))
    text = json.dumps(Codec().entry_to_dict(Entry(1, START, attack)))
    one, two = Codec(), Codec()

    first, again = (one.entry_from_dict(json.loads(text)) for _ in range(2))
    tables = _tables(one)
    sizes = [len(table) for table in tables]
    other = two.entry_from_dict(json.loads(text))

    assert [len(table) for table in tables] == sizes

    assert first == again == other == Entry(1, START, attack)
    values: list[Callable[[Any], object]] = [
        lambda entry: entry.recorded_at,
        lambda entry: entry.event.event_id,
        lambda entry: entry.event.report,
        lambda entry: entry.event.report.outlet,
        lambda entry: entry.event.report.published,
        lambda entry: entry.event.when,
        lambda entry: entry.event.attribution,
        lambda entry: entry.event.attacker,
        lambda entry: entry.event.killed,
    ]
    for value in values:
        assert value(first) is value(again)
        assert value(first) is not value(other)


def _tables(codec: Codec) -> list[Any]:
    # The tables of shared values behind *codec*'s readers.
    direct: Any = codec._direct
    names = ("_strings", "_dates", "_days", "_fuzzy", "_phrased", "_tuples")
    return [*(getattr(direct, name) for name in names), *direct._records.values()]
