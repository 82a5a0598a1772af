import datetime as dt
import hashlib
import itertools
import json
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import ClassVar

import attrs
import pytest
from hypothesis import given

from timeline import Entry
from timeline.errors import (
    ConcurrencyError,
    CorruptLogError,
    InvalidDateError,
    InvalidEntryError,
    StoreError,
    UnknownEventTypeError,
)
from timeline.model.events import Death
from timeline.serialization import Codec
from timeline.stores import JsonlStore, SQLiteStore, check, open_store
from timeline.stores import _sqlite_rows as sqlite_rows
from timeline.stores import sqlite as sqlite_module

from .contract import FEW, SealedStoreContract, SharedStoreContract, entry_lists
from .entries import MT, START, TASS, PaddedCodec, death, miscast, rekeying_codec

_NAMES = itertools.count()


@pytest.fixture(scope="class", autouse=True)
def _directory(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Give each test class a directory of its own for its files."""
    request.cls.directory = tmp_path_factory.mktemp(request.cls.__name__)


def execute(path: Path, sql: str, *parameters: object) -> list[tuple[object, ...]]:
    """Run *sql* on the database at *path* behind any store's back."""
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        return connection.execute(sql, parameters).fetchall()


def hashes(path: Path, where: str = "") -> list[str]:
    """Return the hashes of the rows at *path*, in seq order, in hex."""
    rows = execute(path, f"SELECT hash FROM entries {where} ORDER BY seq")  # noqa: S608
    digests = [digest for (digest,) in rows]
    assert all(isinstance(digest, bytes) for digest in digests)
    return [bytes(digest).hex() for digest in digests]  # type: ignore[call-overload]


class TestSQLiteStore(SealedStoreContract, SharedStoreContract):
    """Run the store contract against `SQLiteStore`."""

    directory: ClassVar[Path]

    def make_store(self):
        """Return a store in a new database."""
        return SQLiteStore(self.directory / f"{next(_NAMES)}.sqlite")

    def reopen(self, store):
        """Close the store and open its database again."""
        store.close()
        return SQLiteStore(store.path)

    def share(self, store):
        """Open the store's file a second time, as another process would."""
        return SQLiteStore(store.path)

    def tamper(self, store, seq):
        """Change the happening id inside row *seq*'s body, keeping its hash."""
        execute(
            store.path,
            "UPDATE entries SET body = json_set(body, '$.event_id', 'edited') "
            "WHERE seq = ?",
            seq,
        )


class TestFormat:
    """The database as other tools see it."""

    directory: ClassVar[Path]

    def test_rows_hold_the_envelope_and_the_indexed_columns(self):
        """A row keeps the envelope's parts, the indexed copies and the hash."""
        path = self.directory / "golden.sqlite"
        with SQLiteStore(path) as store:
            store.append([death(1)])

        ((seq, recorded_at, type_, version, event_id, day_, body, sealed),) = execute(
            path,
            "SELECT seq, recorded_at, type, schema_version, event_id, published_day, "
            "body, hash FROM entries",
        )
        assert (seq, recorded_at, type_, version, event_id, day_) == (
            1,
            "2026-11-21T09:00:00+00:00",
            "death",
            1,
            "asapov-death",
            20170924,
        )
        assert body == (
            '{"event_id":"asapov-death","person":"Valery Asapov","report":'
            '{"outlet":{"name":"TASS"},"published":"2017-09-24"},"when":"2017-09-24"}'
        )
        assert isinstance(sealed, bytes)
        assert len(sealed) == 32
        assert execute(path, "PRAGMA journal_mode") == [("wal",)]
        assert execute(path, "PRAGMA user_version") == [(2,)]

    def test_a_log_keeps_its_hashes_in_either_format(self):
        """A row's hash is the digest whose hex form the JSON Lines line holds."""
        # Appended one by one: a JSON Lines batch also seals its "more" marks.
        entries = [death(1), death(2, MT), death(3)]
        with (
            SQLiteStore(self.directory / "same.sqlite") as sqlite,
            JsonlStore(self.directory / "same.jsonl") as jsonl,
        ):
            for entry in entries:
                sqlite.append([entry])
                jsonl.append([entry])
        lines = jsonl.path.read_text(encoding="utf-8").splitlines()

        assert hashes(sqlite.path) == [json.loads(line)["hash"] for line in lines]

    def test_knowledge_queries_use_the_indexes(self):
        """Filtering by knowledge day or happening is served by an index."""
        path = self.directory / "plan.sqlite"
        SQLiteStore(path).close()

        for column in ("published_day", "event_id"):
            plan = execute(
                path,
                f"EXPLAIN QUERY PLAN SELECT seq FROM entries WHERE {column} <= ?",  # noqa: S608
                "x",
            )
            assert f"entries_{column}" in str(plan)

    @FEW
    @given(entries=entry_lists(max_size=5))
    def test_rows_are_sealed_by_the_hash_chain(self, entries):
        """Each row's hash seals its envelope after the previous row's hash."""
        with SQLiteStore(self.directory / f"{next(_NAMES)}.sqlite") as store:
            store.append(entries)
            rows = execute(
                store.path,
                "SELECT seq, recorded_at, type, schema_version, body, hash "
                "FROM entries ORDER BY seq",
            )

        previous = ""
        for seq, recorded_at, type_, version, body, sealed in rows:
            assert isinstance(body, str)
            envelope = {
                "seq": seq,
                "recorded_at": recorded_at,
                "type": type_,
                "schema_version": version,
                "payload": json.loads(body),
            }
            canonical = json.dumps(
                envelope, sort_keys=True, separators=(",", ":"), ensure_ascii=False
            )
            previous = hashlib.sha256((previous + canonical).encode()).hexdigest()
            assert sealed == bytes.fromhex(previous)
        assert len(rows) == len(entries)


class TestLoading:
    """Load errors name the file and the seq, and change nothing."""

    directory: ClassVar[Path]

    def stored(self, name: str, entries: Sequence[Entry] = ()) -> Path:
        """Return the path of a new database holding *entries*."""
        path = self.directory / f"{name}.sqlite"
        with SQLiteStore(path) as store:
            store.append(list(entries))
        return path

    def refuse(self, path: Path, error: type[Exception], match: str) -> None:
        """Assert that opening and reading *path* raises, leaving it alone.

        Read by a codec that refuses unregistered types, which the default
        one keeps as raw claims (tests/test_unregistered.py).
        """
        before = path.read_bytes()
        strict = Codec(keep_unregistered=False)

        with (
            pytest.raises(error, match=match),
            SQLiteStore(path, codec=strict) as store,
        ):
            store.read()
        assert path.read_bytes() == before

    def test_a_file_that_is_not_a_database(self):
        """Text with a database suffix is refused, not overwritten."""
        path = self.directory / "text.sqlite"
        path.write_text(
            "not a database, just text that is long enough to look like one"
        )

        self.refuse(path, CorruptLogError, r"text\.sqlite: not a SQLite database")

    def test_someone_elses_database(self):
        """A database with other tables is left alone."""
        path = self.directory / "other.db"
        execute(path, "CREATE TABLE accounts (id INTEGER)")

        self.refuse(
            path,
            CorruptLogError,
            r"not a timeline log \(tables: accounts; schema version 0\)",
        )

    def test_an_empty_database_with_a_schema_version_of_its_own(self):
        """A database that claims a version but has no tables is not ours to fill."""
        path = self.directory / "versioned.db"
        execute(path, "PRAGMA user_version = 7")

        self.refuse(path, CorruptLogError, "newer than this code reads")

    def test_a_database_with_a_table_but_no_version(self):
        """Our table alone is not enough: the schema version must match."""
        path = self.stored("unversioned", [death(1)])
        execute(path, "PRAGMA user_version = 0")

        self.refuse(
            path,
            CorruptLogError,
            r"not a timeline log \(tables: entries; schema version 0\)",
        )

    def test_a_body_that_is_not_json(self):
        """A garbled body names its seq."""
        path = self.stored("garbled", [death(1), death(2)])
        execute(path, "UPDATE entries SET body = '{' WHERE seq = 2")

        self.refuse(path, CorruptLogError, r"garbled\.sqlite seq 2: body is not JSON")

    def test_a_body_stored_as_bytes(self):
        """A body SQLite holds as bytes is read as the text they encode."""
        path = self.stored("bytes", [death(1), death(2)])
        execute(path, "UPDATE entries SET body = CAST(body AS BLOB) WHERE seq = 1")
        execute(path, "UPDATE entries SET body = CAST('{' AS BLOB) WHERE seq = 2")

        self.refuse(path, CorruptLogError, r"bytes\.sqlite seq 2: body is not JSON")
        assert check(path).entries == 1

    def test_a_deleted_row_breaks_the_chain_after_it(self):
        """Removing a row is caught at the row that followed it."""
        path = self.stored("deleted", [death(1), death(2), death(3)])
        execute(path, "DELETE FROM entries WHERE seq = 2")

        self.refuse(path, CorruptLogError, "seq 3: hash mismatch")

    def test_an_index_column_that_lies(self):
        """An indexed copy that disagrees with the body is caught."""
        path = self.stored("lying", [death(1)])
        execute(path, "UPDATE entries SET published_day = 20170101")

        self.refuse(path, CorruptLogError, r"seq 1: index columns .* disagree")

    @pytest.mark.parametrize(
        ("column", "value", "error", "match"),
        [
            ("type", "plugin_only", UnknownEventTypeError, r"seq 1\).*'plugin_only'"),
            ("recorded_at", "2026-11-21T09:00:00", InvalidDateError, "recorded_at"),
            ("seq", 2, CorruptLogError, "expected seq 1, found seq 2"),
        ],
    )
    def test_a_resealed_row_that_does_not_read(self, column, value, error, match):
        """A row sealed again after an edit is refused by what is wrong with it."""
        path = self.stored(f"resealed-{column}", [death(1)])
        with closing(sqlite3.connect(path)) as connection, connection:
            connection.execute(f"UPDATE entries SET {column} = ?", (value,))  # noqa: S608
            row = connection.execute(
                "SELECT seq, recorded_at, type, schema_version, body FROM entries"
            ).fetchone()
            record = {
                "payload": json.loads(row[4]),
                "recorded_at": row[1],
                "schema_version": row[3],
                "seq": row[0],
                "type": row[2],
            }
            digest = hashlib.sha256(canonical(record).encode()).digest()
            connection.execute("UPDATE entries SET hash = ?", (digest,))

        self.refuse(path, error, match)

    def test_a_missing_file_is_created_only_when_asked(self):
        """With create=False a missing file is an error, and none is created."""
        path = self.directory / "missing.sqlite"

        with pytest.raises(FileNotFoundError, match=r"missing\.sqlite"):
            SQLiteStore(path, create=False)
        assert not path.exists()

    def test_a_path_sqlite_cannot_open(self):
        """A directory is no database."""
        with pytest.raises(StoreError, match="SQLite cannot open it"):
            SQLiteStore(self.directory)

    @pytest.mark.parametrize("suffix", [".sqlite", ".db", ".SQLite"])
    def test_open_store_picks_sqlite_by_suffix(self, suffix):
        """.sqlite and .db paths open a SQLiteStore."""
        with open_store(self.directory / f"picked{suffix}") as store:
            assert isinstance(store, SQLiteStore)
            assert repr(store) == f"SQLiteStore({str(store.path)!r})"


class TestReadKnown:
    """Answers served from the indexes check what they return."""

    directory: ClassVar[Path]

    def stored(self, name: str, entries: Sequence[Entry]) -> SQLiteStore:
        """Return a store in a new database holding *entries*."""
        store = SQLiteStore(self.directory / f"{name}.sqlite")
        store.append(entries)
        return store

    def test_an_edited_row_is_caught(self):
        """A row whose body was edited fails its link to the row before."""
        with self.stored("edited", [death(1), death(2, MT)]) as store:
            execute(
                store.path, "UPDATE entries SET body = json_set(body, '$.person', 'x')"
            )

            with pytest.raises(CorruptLogError, match="seq 1: hash mismatch"):
                store.read_known(published_until=dt.date(2017, 9, 30))

    def test_a_missing_predecessor_is_caught(self):
        """A row whose predecessor was deleted is reported."""
        with self.stored("gap", [death(1), death(2), death(3, MT)]) as store:
            execute(store.path, "DELETE FROM entries WHERE seq = 2")

            with pytest.raises(
                CorruptLogError, match="seq 3: seq 2 before it is missing"
            ):
                store.read_known(
                    event_ids={"asapov-death"}, published_until=dt.date(2017, 10, 4)
                )

    def test_an_index_column_that_lies_is_caught(self):
        """A row selected by a false index value is reported, not returned."""
        with self.stored("lie", [death(1), death(2, MT)]) as store:
            execute(store.path, "UPDATE entries SET event_id = 'other' WHERE seq = 2")

            with pytest.raises(CorruptLogError, match="seq 2: index columns"):
                store.read_known(event_ids=["other"])

    def test_seqs_beyond_sqlite_integers(self):
        """Seq bounds too large for SQLite still filter as numbers do."""
        with self.stored("huge", [death(1), death(2)]) as store:
            assert len(list(store.read_known(seq_until=2**70))) == 2
            assert list(store.read_known(seq_until=-(2**70))) == []


class TestWriting:
    """What reaches the database, and what does not."""

    directory: ClassVar[Path]

    def test_text_that_is_not_unicode_is_refused(self):
        """A lone surrogate cannot be stored as text, so the batch is refused."""
        event = Death(event_id="x", report=TASS, person="\ud800")
        with SQLiteStore(self.directory / "surrogate.sqlite") as store:
            with pytest.raises(InvalidEntryError, match="would not read back"):
                store.append([death(1), Entry(2, START, event)])

            assert len(store) == 0

    @pytest.mark.parametrize(
        ("person", "match"),
        [
            (42, "entry seq 3 would not read back"),
            (["Valery", "Asapov"], "entry seq 3 would not read back"),
            (float("nan"), "entry seq 3 would not read back: NaN"),
        ],
    )
    def test_a_value_that_would_not_read_back_is_refused(self, person, match):
        """A value of the wrong type fails the round trip before anything is written."""
        event = miscast(person)
        path = self.directory / f"wrong-{next(_NAMES)}.sqlite"
        with SQLiteStore(path) as store:
            store.append([death(1)])
            with pytest.raises(InvalidEntryError, match=match):
                store.append([death(2), Entry(3, START, event)])

            assert list(store.read()) == [death(1)]

    def test_json_that_reads_back_as_other_json_is_refused(self):
        """An entry whose hash a reader could not recompute would brick the log."""
        path = self.directory / "rekeyed.sqlite"
        with SQLiteStore(path, codec=rekeying_codec()) as store:
            with pytest.raises(InvalidEntryError, match="reads back as other JSON"):
                store.append([death(1)])

            assert list(store.read()) == []

    @pytest.mark.parametrize(
        ("extra", "match"),
        [
            ({"source": "x"}, r"a row holds the keys \['payload', .*'source'"),
            ({"schema_version": "1"}, "a row holds seq and schema_version as whole"),
            ({"seq": 1.0}, "a row holds seq and schema_version as whole"),
        ],
    )
    def test_an_envelope_a_row_cannot_hold_is_refused(self, extra, match):
        """A codec's extra keys or odd types would not survive the columns."""
        path = self.directory / f"padded-{next(_NAMES)}.sqlite"
        with SQLiteStore(path, codec=PaddedCodec(**extra)) as store:
            with pytest.raises(InvalidEntryError, match=match):
                store.append([death(1)])

            assert len(store) == 0

    def test_control_characters_are_stored_and_read_back(self):
        """A body with escapes is still sealed and read as written."""
        event = Death(event_id="x", report=TASS, person='Valery\n"Asapov"\u0001\\')
        path = self.directory / "escapes.sqlite"
        with SQLiteStore(path) as store:
            store.append([death(1), Entry(2, START, event)])
        ((body,),) = execute(path, "SELECT body FROM entries WHERE seq = 2")

        assert isinstance(body, str)
        assert "\\u0001" in body
        with SQLiteStore(path) as store:
            assert [entry.event for entry in store.read()] == [death(1).event, event]
        assert check(path).ok


_VERSION_1 = (
    """
    CREATE TABLE entries (
        seq INTEGER PRIMARY KEY,
        recorded_at TEXT NOT NULL,
        type TEXT NOT NULL,
        schema_version INTEGER NOT NULL,
        event_id TEXT NOT NULL,
        published_day TEXT NOT NULL,
        body TEXT NOT NULL,
        hash TEXT NOT NULL
    )
    """,
    "CREATE INDEX entries_published_day ON entries (published_day)",
    "CREATE INDEX entries_event_id ON entries (event_id)",
    "PRAGMA user_version = 1",
)
"""The layout of schema version 1, before timeline 0.1.0."""


def canonical(value: object) -> str:
    """Return *value* as the canonical JSON the hash chain is computed over."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def write_version_1(path: Path, entries: Sequence[Entry]) -> None:
    """Store *entries* at *path* as the layout of version 1 did, by hand."""
    codec, previous = Codec(), ""
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
        for statement in _VERSION_1:
            connection.execute(statement)
        for entry in entries:
            envelope = codec.entry_to_dict(entry)
            previous = hashlib.sha256(
                (previous + canonical(envelope)).encode()
            ).hexdigest()
            connection.execute(
                "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    entry.seq,
                    envelope["recorded_at"],
                    envelope["type"],
                    envelope["schema_version"],
                    entry.event.event_id,
                    entry.event.report.published_day.isoformat(),
                    canonical(envelope["payload"]),
                    previous,
                ),
            )


class TestVersion1:
    """A database of layout version 1 is converted when a store opens it."""

    directory: ClassVar[Path]

    def test_opening_converts_it_keeping_every_entry_and_hash(self):
        """The entries, their hashes and the indexes all survive the conversion."""
        path = self.directory / "old.sqlite"
        entries = [death(1), death(2, MT), death(3, MT, event_id="other")]
        write_version_1(path, entries)
        written = [row[0] for row in execute(path, "SELECT hash FROM entries")]
        before = check(path)

        with SQLiteStore(path) as store:
            assert list(store.read()) == entries
            assert list(store.read_known(event_ids={"other"})) == entries[2:]
            assert (
                list(store.read_known(published_until=dt.date(2017, 9, 30)))
                == entries[:1]
            )
            store.append([death(4)])

        assert before.ok
        assert execute(path, "PRAGMA user_version") == [(2,)]
        assert hashes(path, "WHERE seq <= 3") == written
        assert execute(path, "SELECT published_day FROM entries WHERE seq = 2") == [
            (20171004,)
        ]
        after = check(path)
        assert after.ok
        assert after.entries == 4
        assert check(path, anchor=before.anchor).ok
        plan = execute(
            path, "EXPLAIN QUERY PLAN SELECT seq FROM entries WHERE event_id = 'x'"
        )
        assert "entries_event_id" in str(plan)

    def test_check_reads_it_without_converting_it(self):
        """check() judges a version-1 database as it stands, and leaves it so."""
        path = self.directory / "checked.sqlite"
        write_version_1(path, [death(1), death(2, MT)])
        bytes_before = path.read_bytes()

        report = check(path)

        assert report.ok
        assert report.entries == 2
        assert path.read_bytes() == bytes_before
        assert execute(path, "PRAGMA user_version") == [(1,)]

    @pytest.mark.parametrize(
        ("edit", "match"),
        [
            ("body = json_set(body, '$.person', 'x')", "seq 2: hash mismatch"),
            ("hash = upper(hash)", "seq 2: the row's hash is not a SHA-256 digest"),
            ("published_day = '2017-10-05'", "seq 2: index columns"),
            ("published_day = '2017-1-04'", "seq 2: index columns"),
        ],
    )
    def test_a_damaged_row_stays_refused(self, edit, match):
        """Conversion changes only what version 1 wrote: damage stays visible."""
        path = self.directory / f"damaged-{next(_NAMES)}.sqlite"
        write_version_1(path, [death(1), death(2, MT), death(3)])
        execute(path, f"UPDATE entries SET {edit} WHERE seq = 2")  # noqa: S608
        report = check(path)

        with SQLiteStore(path) as store, pytest.raises(CorruptLogError, match=match):
            store.read()

        assert report.first_bad_seq == 2
        assert check(path).problems == tuple(
            attrs.evolve(problem) for problem in report.problems
        )

    def test_a_conversion_another_process_finished_first(self, monkeypatch):
        """Two openers race to convert: the second finds the work done."""
        path = self.directory / "raced.sqlite"
        write_version_1(path, [death(1), death(2)])
        teach = sqlite_rows.version_1_functions
        raced: list[int] = []

        def convert_elsewhere_first(connection: sqlite3.Connection) -> None:
            if not raced:
                raced.append(1)
                SQLiteStore(path).close()  # Another process converts it now.
            teach(connection)

        monkeypatch.setattr(
            sqlite_module, "version_1_functions", convert_elsewhere_first
        )

        with SQLiteStore(path) as store:
            assert list(store.read()) == [death(1), death(2)]
        assert raced == [1]
        assert execute(path, "PRAGMA user_version") == [(2,)]

    def test_a_conversion_that_cannot_run_changes_nothing(self):
        """While another writer holds the database, opening fails and says why."""
        path = self.directory / "busy.sqlite"
        write_version_1(path, [death(1)])
        with closing(sqlite3.connect(path, isolation_level=None)) as writer:
            writer.execute("BEGIN IMMEDIATE")

            with pytest.raises(
                StoreError,
                match=r"busy\.sqlite: a log of schema version 1, which this code "
                r"converts to version 2 .* leaving it unchanged: database is locked",
            ):
                SQLiteStore(path, timeout=0.05)

            writer.execute("ROLLBACK")
        assert execute(path, "PRAGMA user_version") == [(1,)]
        with SQLiteStore(path) as store:
            assert list(store.read()) == [death(1)]


class TestSharing:
    """Two stores, as in two processes, on one database."""

    directory: ClassVar[Path]

    def test_each_sees_the_others_appends(self):
        """Appends through one store are read through the other."""
        path = self.directory / "shared.sqlite"
        with SQLiteStore(path) as first, SQLiteStore(path) as second:
            first.append([death(1)])
            second.append([death(2)])

            assert [entry.seq for entry in first.read()] == [1, 2]
            assert len(first) == 2

    def test_a_missing_row_under_the_callers_end_is_reported(self):
        """Taking in others' rows checks them against the caller's last row."""
        path = self.directory / "holed.sqlite"
        with SQLiteStore(path) as store:
            store.append([death(1), death(2), death(3)])
            execute(path, "DELETE FROM entries WHERE seq = 2")

            with pytest.raises(CorruptLogError, match="seq 2: the row is missing"):
                store.append_after(2, lambda others: [])

    def test_a_stale_append_is_refused_and_rolled_back(self):
        """Appending seqs another writer used raises, and the transaction is undone."""
        path = self.directory / "stale.sqlite"
        with SQLiteStore(path) as first, SQLiteStore(path) as second:
            first.append([death(1)])

            with pytest.raises(ConcurrencyError, match="ends at seq 1"):
                second.append([death(1, MT)])
            second.append([death(2, MT)])

            assert [entry.event.report for entry in first.read()] == [TASS, MT]
