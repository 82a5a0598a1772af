import datetime as dt
import hashlib
import itertools
import json
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import given

from timeline import Entry
from timeline.errors import (
    ConcurrencyError,
    CorruptLogError,
    InvalidEntryError,
    StoreError,
)
from timeline.events import Death
from timeline.stores import SQLiteStore, open_store

from .contract import FEW, SealedStoreContract, SharedStoreContract, entry_lists
from .entries import MT, START, TASS, death

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

        ((seq, recorded_at, type_, version, event_id, day_, body),) = execute(
            path,
            "SELECT seq, recorded_at, type, schema_version, event_id, published_day, "
            "body FROM entries",
        )
        assert (seq, recorded_at, type_, version, event_id, day_) == (
            1,
            "2026-11-21T09:00:00+00:00",
            "death",
            1,
            "asapov-death",
            "2017-09-24",
        )
        assert isinstance(body, str)
        assert json.loads(body)["person"] == "Valery Asapov"
        assert execute(path, "PRAGMA journal_mode") == [("wal",)]
        assert execute(path, "PRAGMA user_version") == [(1,)]

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
            assert sealed == previous
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
        """Assert that opening and reading *path* raises, leaving it alone."""
        before = path.read_bytes()

        with pytest.raises(error, match=match), SQLiteStore(path) as store:
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

    def test_a_deleted_row_breaks_the_chain_after_it(self):
        """Removing a row is caught at the row that followed it."""
        path = self.stored("deleted", [death(1), death(2), death(3)])
        execute(path, "DELETE FROM entries WHERE seq = 2")

        self.refuse(path, CorruptLogError, "seq 3: hash mismatch")

    def test_an_index_column_that_lies(self):
        """An indexed copy that disagrees with the body is caught."""
        path = self.stored("lying", [death(1)])
        execute(path, "UPDATE entries SET published_day = '2017-01-01'")

        self.refuse(path, CorruptLogError, r"seq 1: index columns .* disagree")

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

    def test_a_stale_append_is_refused_and_rolled_back(self):
        """Appending seqs another writer used raises, and the transaction is undone."""
        path = self.directory / "stale.sqlite"
        with SQLiteStore(path) as first, SQLiteStore(path) as second:
            first.append([death(1)])

            with pytest.raises(ConcurrencyError, match="ends at seq 1"):
                second.append([death(1, MT)])
            second.append([death(2, MT)])

            assert [entry.event.report for entry in first.read()] == [TASS, MT]
