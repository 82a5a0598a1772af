# SPDX-License-Identifier: MIT
"""A store in one SQLite file (stdlib `sqlite3`), indexed for knowledge queries.

One row per entry::

    seq INTEGER PRIMARY KEY, recorded_at, type, schema_version,
    event_id, published_day, body (the payload as JSON text), hash

``hash`` chains the rows exactly as `timeline.stores.JsonlStore` chains its
lines, so a log keeps the same hashes in either format. ``event_id`` and
``published_day`` are copies of values inside ``body``, indexed so that
`SQLiteStore.read_known` can answer "what was known on day D about these
happenings" without reading the whole log.
"""

import datetime as dt
import errno
import json
import os
import sqlite3
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

from timeline.errors import CorruptLogError, StoreError
from timeline.log import Entry
from timeline.serialization import Codec
from timeline.stores._records import (
    GENESIS,
    ClosingOnExit,
    Known,
    canonical_json,
    chain_hash,
    check_batch,
    decode_record,
    encode_batch,
)

__all__ = ["SQLiteStore"]

_SCHEMA_VERSION = 1
_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS entries (
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
    "CREATE INDEX IF NOT EXISTS entries_published_day ON entries (published_day)",
    "CREATE INDEX IF NOT EXISTS entries_event_id ON entries (event_id)",
    f"PRAGMA user_version = {_SCHEMA_VERSION}",
)
_COLUMNS = (
    "seq",
    "recorded_at",
    "type",
    "schema_version",
    "event_id",
    "published_day",
    "body",
    "hash",
)
_MAX_SEQ = 2**63 - 1  # SQLite's largest integer.
_SQLITE_HEADER = b"SQLite format 3\x00"
"""The first bytes of every SQLite database file."""

_Row = tuple[Any, ...]


class SQLiteStore(ClosingOnExit):
    """A log kept in a SQLite database: the embedded default for large logs.

    The database runs in WAL mode, so readers never block the writer, and
    each append is one ``BEGIN IMMEDIATE`` transaction that first reads the
    true end of the log, so concurrent writers are serialized and a stale
    one gets `ConcurrencyError` instead of a gap or a duplicate.
    ``synchronous=FULL`` makes every commit wait for the WAL to reach the
    disk: with ``NORMAL`` a power cut can lose the last commits, and a
    returned `append` must never be lost.

    Opening checks only the schema; `read` verifies the whole hash chain,
    and `read_known` verifies each row it returns against its predecessor.

    Args:
        path: The database file; created if missing and *create* is true.
        create: Whether to create a missing file rather than fail.
        codec: Encodes and decodes entries; `Codec()` by default.
        timeout: Seconds to wait for another process's write to finish.

    Raises:
        FileNotFoundError: If the file is missing and *create* is false.
        CorruptLogError: If the file is not a SQLite database, or not one
            this version of timeline wrote.
        StoreError: If SQLite cannot open the path at all.

    .. versionadded:: 0.1.0
    """

    __slots__ = ("_codec", "_connection", "_path")

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        codec: Codec | None = None,
        timeout: float = 5.0,
    ) -> None:
        self._path = Path(path)
        self._codec = codec if codec is not None else Codec()
        if not create and not self._path.exists():
            raise FileNotFoundError(errno.ENOENT, "no such log", str(self._path))
        try:
            connection = sqlite3.connect(
                self._path, timeout=timeout, isolation_level=None
            )
        except sqlite3.Error as error:
            msg = f"{self._path}: SQLite cannot open it: {error}"
            raise StoreError(msg) from None
        self._connection: sqlite3.Connection | None = connection
        try:
            self._prepare(connection)
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self._path)!r})"

    def __len__(self) -> int:
        query = "SELECT coalesce(max(seq), 0) FROM entries"
        (count,) = self._open().execute(query).fetchone()
        return int(count)

    @property
    def path(self) -> Path:
        """Return the database file."""
        return self._path

    def append(self, entries: Sequence[Entry]) -> None:
        """Insert *entries* after the last row in one transaction: all, or none.

        Raises:
            ConcurrencyError: If the first entry's seq does not follow the
                last row (another process appended first).
            InvalidEntryError: If an item is not an entry, seqs skip, or an
                entry would not read back as written.
            StoreError: If the store is closed.
            sqlite3.OperationalError: If another writer holds the database
                longer than *timeout*.
        """
        connection = self._open()
        batch = list(entries)
        if batch:
            self._transaction(connection, lambda _: batch, after=None)

    def append_after(
        self, seq: int, build: Callable[[Sequence[Entry]], Sequence[Entry]]
    ) -> list[Entry]:
        """Append the batch *build* makes, in one ``BEGIN IMMEDIATE`` transaction.

        Args:
            seq: The last seq the caller holds.
            build: Called once, inside the transaction, with the entries
                numbered above *seq* (other processes' appends), each checked
                against the hash chain; returns the batch.

        Returns:
            The batch, as appended.

        Raises:
            ConcurrencyError: If the batch does not follow the last row.
            InvalidEntryError: If an item is not an entry, seqs skip, or an
                entry would not read back as written.
            CorruptLogError: If a row other processes appended is damaged.
            StoreError: If the store is closed.
            sqlite3.OperationalError: If another writer holds the database
                longer than *timeout*.
        """
        return self._transaction(self._open(), build, after=seq)

    def _transaction(
        self,
        connection: sqlite3.Connection,
        build: Callable[[Sequence[Entry]], Sequence[Entry]],
        *,
        after: int | None,
    ) -> list[Entry]:
        # The connection commits when the block succeeds and rolls back when
        # it raises, whatever the point the transaction had reached.
        with connection:
            connection.execute("BEGIN IMMEDIATE")
            last = connection.execute(
                "SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            last_seq, last_hash = last if last is not None else (0, GENESIS)
            others = (
                []
                if after is None
                else self._rows_after(connection, after, last_seq=last_seq)
            )
            batch = check_batch(build(others), last_seq=last_seq, where=repr(self))
            if not batch:
                return batch
            records = encode_batch(self._codec, batch, where=repr(self))
            rows = []
            for entry, record in zip(batch, records, strict=True):
                last_hash = chain_hash(last_hash, record)
                rows.append(
                    (
                        record["seq"],
                        record["recorded_at"],
                        record["type"],
                        record["schema_version"],
                        entry.event.event_id,
                        entry.event.report.published_day.isoformat(),
                        canonical_json(record["payload"]),
                        last_hash,
                    )
                )
            connection.executemany(
                f"INSERT INTO entries ({', '.join(_COLUMNS)}) VALUES "  # noqa: S608  # fixed names
                f"({', '.join('?' * len(_COLUMNS))})",
                rows,
            )
        return batch

    def _rows_after(
        self, connection: sqlite3.Connection, seq: int, *, last_seq: int
    ) -> list[Entry]:
        # The rows above *seq*, the first checked against row *seq*'s hash
        # and each later one against the row before it.
        if seq >= last_seq:
            return []
        previous = GENESIS
        if seq > 0:
            row = connection.execute(
                "SELECT hash FROM entries WHERE seq = ?", (seq,)
            ).fetchone()
            if row is None:
                msg = f"{self._path} seq {seq}: the row is missing"
                raise CorruptLogError(msg)
            previous = str(row[0])
        rows = connection.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM entries WHERE seq > ? ORDER BY seq",  # noqa: S608  # fixed names
            (max(seq, 0),),
        )
        entries = []
        for expected, row in enumerate(rows, start=max(seq, 0) + 1):
            entry, previous = self._decode(row, previous=previous, seq=expected)
            entries.append(entry)
        return entries

    def read(self) -> Iterator[Entry]:
        """Return every entry in seq order, verifying the whole hash chain.

        Raises:
            CorruptLogError: If a row breaks the chain, a seq is missing, or
                an index column disagrees with the row's body; the message
                names the first bad seq.
            InvalidEntryError: Or another error of `Codec.entry_from_dict`, if
                a correctly sealed row holds an entry this code cannot read.
            StoreError: If the store is closed.
        """
        rows = self._open().execute(
            f"SELECT {', '.join(_COLUMNS)} FROM entries ORDER BY seq"  # noqa: S608  # fixed names
        )
        entries, previous = [], GENESIS
        for position, row in enumerate(rows, start=1):
            entry, previous = self._decode(row, previous=previous, seq=position)
            entries.append(entry)
        return iter(entries)

    def read_known(
        self,
        *,
        published_until: dt.date | None = None,
        event_ids: Collection[str] | None = None,
        seq_until: int | None = None,
    ) -> Iterator[Entry]:
        """Return the entries that pass every given filter, in seq order, by index.

        Each row returned is checked against the hash of the row before it,
        so an edited row is caught; a full `read` checks the whole chain.

        Args:
            published_until: Only entries whose report was published on or
                before this day.
            event_ids: Only entries whose ``event_id`` is one of these.
            seq_until: Only entries numbered up to this seq, inclusive.

        Raises:
            InvalidDateError: If *published_until* is not a day.
            TypeError: If *event_ids* or *seq_until* has the wrong type.
            CorruptLogError: If a returned row was edited, or its
                predecessor is missing.
            StoreError: If the store is closed.
        """
        known = Known.check(
            published_until=published_until, event_ids=event_ids, seq_until=seq_until
        )
        connection = self._open()
        conditions: list[str] = []
        parameters: list[object] = []
        if known.seq_until is not None:
            conditions.append("e.seq <= ?")
            parameters.append(max(min(known.seq_until, _MAX_SEQ), -_MAX_SEQ))
        if known.published_until is not None:
            conditions.append("e.published_day <= ?")
            parameters.append(known.published_until.isoformat())
        if known.event_ids is not None:
            conditions.append("e.event_id IN (SELECT value FROM json_each(?))")
            parameters.append(json.dumps(sorted(known.event_ids)))
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = connection.execute(
            f"SELECT {', '.join('e.' + c for c in _COLUMNS)}, p.hash "  # noqa: S608  # fixed names
            "FROM entries AS e LEFT JOIN entries AS p ON p.seq = e.seq - 1 "
            f"{where} ORDER BY e.seq",
            parameters,
        )
        entries = []
        for *columns, before in rows:
            seq = columns[0]
            if before is None and seq != 1:
                msg = f"{self._path} seq {seq}: seq {seq - 1} before it is missing"
                raise CorruptLogError(msg)
            previous = GENESIS if before is None else str(before)
            entry, _ = self._decode(tuple(columns), previous=previous, seq=seq)
            entries.append(entry)
        return iter(entries)

    def close(self) -> None:
        """Close the database; later calls but `close` raise `StoreError`."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _open(self) -> sqlite3.Connection:
        if self._connection is None:
            msg = f"{self!r} is closed"
            raise StoreError(msg)
        return self._connection

    def _prepare(self, connection: sqlite3.Connection) -> None:
        # Reads before it writes, and writes only to a database with no
        # tables at all: opening someone else's database must not change it.
        try:
            tables = self._tables(connection)
            (version,) = connection.execute("PRAGMA user_version").fetchone()
        except sqlite3.DatabaseError as error:
            msg = f"{self._path}: not a SQLite database: {error}"
            raise CorruptLogError(msg) from None
        if not tables and version == 0:
            if not _is_blank_database(self._path):
                # SQLite reads a file of one stray byte as an empty database,
                # and would overwrite it with ours.
                msg = f"{self._path}: not a SQLite database: no SQLite header"
                raise CorruptLogError(msg)
            connection.execute("PRAGMA journal_mode = WAL")
            with connection:
                connection.execute("BEGIN IMMEDIATE")
                # IF NOT EXISTS: another process may have created it meanwhile.
                for statement in _SCHEMA:
                    connection.execute(statement)
            tables, version = self._tables(connection), _SCHEMA_VERSION
        if version > _SCHEMA_VERSION:
            msg = (
                f"{self._path}: written with log schema version {version}, newer than "
                f"this code reads ({_SCHEMA_VERSION}); upgrade timeline"
            )
            raise CorruptLogError(msg)
        if version != _SCHEMA_VERSION or "entries" not in tables:
            msg = (
                f"{self._path}: not a timeline log (tables: "
                f"{', '.join(sorted(tables)) or 'none'}; schema version {version})"
            )
            raise CorruptLogError(msg)
        connection.execute("PRAGMA synchronous = FULL")

    @staticmethod
    def _tables(connection: sqlite3.Connection) -> set[str]:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows}

    def _decode(self, row: _Row, *, previous: str, seq: int) -> tuple[Entry, str]:
        values = dict(zip(_COLUMNS, row, strict=True))
        where = f"{self._path} seq {values['seq']}"
        try:
            payload = json.loads(values["body"])
        except (TypeError, ValueError, RecursionError) as error:
            msg = f"{where}: body is not JSON: {error}"
            raise CorruptLogError(msg) from None
        record = {
            "seq": values["seq"],
            "recorded_at": values["recorded_at"],
            "type": values["type"],
            "schema_version": values["schema_version"],
            "payload": payload,
            "hash": values["hash"],
        }
        entry, sealed = decode_record(
            self._codec, record, previous=previous, seq=seq, where=where
        )
        indexed = (values["event_id"], values["published_day"])
        actual = (entry.event.event_id, entry.event.report.published_day.isoformat())
        if indexed != actual:
            msg = (
                f"{where}: index columns (event_id, published_day) = {indexed!r} "
                f"disagree with the stored entry's {actual!r}"
            )
            raise CorruptLogError(msg)
        return entry, sealed


def _is_blank_database(path: Path) -> bool:
    # An empty file, or one that starts as every SQLite database does.
    with path.open("rb") as file:
        return file.read(len(_SQLITE_HEADER)) in {b"", _SQLITE_HEADER}
