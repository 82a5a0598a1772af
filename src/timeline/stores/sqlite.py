# SPDX-License-Identifier: MIT
"""A store in one SQLite file (stdlib `sqlite3`), indexed for knowledge queries.

One row per entry::

    seq INTEGER PRIMARY KEY, recorded_at TEXT, type TEXT,
    schema_version INTEGER, event_id TEXT, published_day INTEGER,
    body TEXT (the payload as canonical JSON), hash BLOB (32 bytes)

``hash`` chains the rows exactly as `timeline.stores.JsonlStore` chains its
lines (it is the SHA-256 digest whose hex form a JSON Lines file holds), so
a log keeps the same hashes in either format. ``event_id`` and
``published_day`` are copies of values inside ``body``, indexed so that
`SQLiteStore.read_known` can answer "what was known on day D about these
happenings" without reading the whole log; ``published_day`` is the day as
the number YYYYMMDD (20170924 for 24 September 2017). Four partial
indexes serve `timeline.stores.as_of` and `timeline.stores.happening`: one
of the amendments by seq, one of the merges and splits by the other id
they name, one of the places said to lie within others (``within``
entries) by seq, and one of the links between happenings (``related``
entries) by seq. A database made before one of them existed lacks it, and
those queries walk its seqs instead, with the same answers.

Two derived tables are kept by each append, in its transaction, each with
the last seq it covers in ``timeline_derived``: the text index that
`timeline.stores.about` searches (``entries_text``), and the first day each
happening was reported (``timeline_firsts``), from which
`timeline.stores.count` counts the happenings known on a day. Neither is
used unless it covers the whole log; a writable open builds what is
missing or behind.

The database's ``user_version`` is the layout's version, 2. A database of
version 1 (``hash`` as 64 hex digits, ``published_day`` as ISO text),
written before timeline 0.1.0 was released, is converted in place the
first time a `SQLiteStore` opens it, every row and hash kept.
"""

import contextlib
import datetime as dt
import errno
import json
import os
import sqlite3
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path

from timeline.errors import (
    CorruptLogError,
    DanglingReferenceError,
    ReadOnlyLogError,
    StoreError,
    TimelineError,
)
from timeline.model.entry import Entry
from timeline.serialization import Codec
from timeline.stores import _sqlite_firsts, _sqlite_lookups, _sqlite_text
from timeline.stores._faults import (
    damaged,
    refuse_append,
    refuse_if_unwritable,
    sqlite_write_refused,
)
from timeline.stores._records import (
    GENESIS,
    ClosingOnExit,
    Known,
    check_batch,
)
from timeline.stores._sqlite_connect import (
    SQLITE_HEADER,
    check_pages,
    connect,
    damaged_text,
    is_blank_database,
)
from timeline.stores._sqlite_decode import decode_rows
from timeline.stores._sqlite_lookups import analyst_tags
from timeline.stores._sqlite_rows import (
    COLUMNS,
    INSERT,
    SELECT,
    SELECT_VERSION_1,
    Row,
    day_number,
    encode_rows,
    envelopes,
    hex_of,
    sql_seq,
    version_1_functions,
)
from timeline.stores._sqlite_schema import (
    AMENDMENT_TAGS,
    ANALYST_INDEX,
    ANALYST_TAGS,
    ANALYST_TYPES_INDEX,
    INDEXES,
    LINK_TAGS,
    MERGE_TAGS,
    OTHER_ID,
    PLACE_TAGS,
    SCHEMA,
    SCHEMA_VERSION,
    TABLE,
    any_of,
)

__all__ = ["SQLiteStore"]

_SQLITE_HEADER = SQLITE_HEADER
_SCHEMA_VERSION = SCHEMA_VERSION  # for timeline.stores._check


class SQLiteStore(ClosingOnExit):
    """A log kept in a SQLite database: the embedded default for large logs.

    The database runs in WAL mode, so readers never block the writer, and
    each append is one ``BEGIN IMMEDIATE`` transaction that first reads the
    true end of the log, so concurrent writers are serialized and a stale
    one gets `ConcurrencyError` instead of a gap or a duplicate.
    ``synchronous=FULL`` makes every commit wait for the WAL to reach the
    disk: with ``NORMAL`` a power cut can lose the last commits, and a
    returned `append` must never be lost.

    Opening checks only the schema (and converts a log of layout version 1,
    see the module); `read` verifies the whole hash chain,
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
        StoreError: If SQLite cannot open the path at all, or the file is a
            log of layout version 1 that cannot be converted now (another
            writer holds it, or it cannot be written); it is left unchanged.

    .. versionadded:: 0.1.0
    """

    __slots__ = ("_codec", "_connection", "_path", "_read_only")

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        codec: Codec | None = None,
        timeout: float = 5.0,
        read_only: bool = False,
    ) -> None:
        self._path = Path(path)
        self._codec = codec if codec is not None else Codec()
        self._read_only = read_only
        if (read_only or not create) and not self._path.exists():
            raise FileNotFoundError(errno.ENOENT, "no such log", str(self._path))
        if not read_only:
            refuse_if_unwritable(self._path)
        try:
            connection = connect(self._path, read_only=read_only, timeout=timeout)
        except sqlite3.Error as error:
            msg = f"{self._path}: SQLite cannot open it: {error}"
            raise StoreError(msg) from None
        except UnicodeDecodeError:  # its schema's text is damaged
            raise damaged_text(self._path) from None
        self._connection: sqlite3.Connection | None = connection
        try:
            self._prepare(connection, timeout)
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self._path)!r})"

    def __len__(self) -> int:
        query = "SELECT coalesce(max(seq), 0) FROM entries"
        with self._reading():
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
        if self._read_only:
            raise refuse_append(self._path)
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
        connection = self._open()
        if self._read_only:
            raise refuse_append(self._path)
        return self._transaction(connection, build, after=seq)

    def _transaction(
        self,
        connection: sqlite3.Connection,
        build: Callable[[Sequence[Entry]], Sequence[Entry]],
        *,
        after: int | None,
    ) -> list[Entry]:
        # The connection commits when the block succeeds and rolls back when
        # it raises, whatever the point the transaction had reached.
        batch: list[Entry] = []
        try:
            with connection:
                connection.execute("BEGIN IMMEDIATE")
                last = connection.execute(
                    "SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1"
                ).fetchone()
                last_seq, last_hash = (
                    (0, GENESIS) if last is None else (last[0], hex_of(last[1]))
                )
                others = (
                    []
                    if after is None
                    else self._rows_after(connection, after, last_seq=last_seq)
                )
                batch = check_batch(build(others), last_seq=last_seq, where=repr(self))
                if batch:
                    made = envelopes(self._codec, batch)
                    rows = encode_rows(
                        self._codec, batch, last_hash, where=repr(self), made=made
                    )
                    connection.executemany(INSERT, rows)
                    self._index_text(
                        connection,
                        _sqlite_text.envelope_texts(batch, made),
                        last_seq=last_seq,
                    )
                    _sqlite_firsts.note(
                        connection, rows, last_seq=last_seq, analyst_tags=analyst_tags()
                    )
        except sqlite3.DatabaseError as error:
            refused = sqlite_write_refused(self._path, error, len(batch))
            if refused is not None:
                raise refused from error
            if _is_busy(error):
                raise
            raise damaged(self._path, error) from None
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
            previous = hex_of(row[0])
        rows = connection.execute(
            f"SELECT {SELECT} FROM entries WHERE seq > ? ORDER BY seq",  # noqa: S608  # fixed names
            (max(seq, 0),),
        )
        return self._decode_rows(rows, previous=previous, seq=max(seq, 0) + 1)

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
        connection = self._open()
        with self._reading():
            rows = connection.execute(
                f"SELECT {SELECT} FROM entries ORDER BY seq"  # noqa: S608  # fixed names
            )
            return iter(self._decode_rows(rows, previous=GENESIS, seq=1))

    def read_after(self, seq: int) -> list[Entry]:
        """Return the entries numbered above *seq*, in seq order, by the primary key.

        The first is checked against the hash of row *seq*, each later one
        against the row before it, all read in one transaction.

        Raises:
            CorruptLogError: If a row breaks the chain, or row *seq* is
                missing.
            StoreError: If the store is closed.
        """
        connection = self._open()
        with self._reading():
            connection.execute("BEGIN")
            try:
                (last,) = connection.execute(
                    "SELECT coalesce(max(seq), 0) FROM entries"
                ).fetchone()
                return self._rows_after(connection, max(seq, 0), last_seq=last)
            finally:
                connection.execute("COMMIT")

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
            parameters.append(sql_seq(known.seq_until))
        if known.published_until is not None:
            conditions.append("e.published_day <= ?")
            parameters.append(day_number(known.published_until))
        if known.event_ids is not None:
            conditions.append("e.event_id IN (SELECT value FROM json_each(?))")
            parameters.append(json.dumps(sorted(known.event_ids)))
        return self._select(connection, conditions, parameters)

    def entry_at(self, seq: int) -> Entry:
        """Return the entry numbered *seq*, checked against its predecessor's hash.

        Raises:
            DanglingReferenceError: If the log holds no such entry.
            CorruptLogError: If the row was edited, or its predecessor is
                missing.
            StoreError: If the store is closed.

        .. versionadded:: 0.2.0
        """
        found = list(self._select(self._open(), ["e.seq = ?"], [sql_seq(seq)]))
        if not found:
            msg = f"{self._path} holds no entry with seq {seq!r}"
            raise DanglingReferenceError(msg)
        return found[0]

    def holds_happening(self, event_id: str, *, seq_until: int) -> bool:
        """Return whether a claim or response up to *seq_until* is about *event_id*.

        .. versionadded:: 0.2.0
        """
        with self._reading():
            return _sqlite_lookups.holds_happening(
                self._open(), event_id, sql_seq(seq_until)
            )

    def happening_ids(self, *, seq_until: int) -> Iterator[str]:
        """Return every id a claim or response up to *seq_until* is about, once.

        .. versionadded:: 0.2.0
        """
        with self._reading():
            return _sqlite_lookups.happening_ids(self._open(), sql_seq(seq_until))

    def last_published_day(self, *, seq_until: int) -> dt.date | None:
        """Return the latest day an entry up to *seq_until* was published on.

        .. versionadded:: 0.2.0
        """
        with self._reading():
            return _sqlite_lookups.last_day(self._open(), sql_seq(seq_until))

    def count_happening_ids(
        self,
        *,
        published_until: dt.date,
        seq_until: int,
        voided: Collection[int],
        event_ids: Collection[str] | None = None,
    ) -> int:
        """Return how many ids the claims and responses known on a day are about.

        .. versionadded:: 0.2.0
        """
        with self._reading():
            return _sqlite_lookups.count_ids(
                self._open(),
                day_number(published_until),
                sql_seq(seq_until),
                voided,
                event_ids,
                last_seq=len(self),
            )

    def count_happenings(
        self, *, published_until: dt.date, seq_until: int
    ) -> int | None:
        """Return how many happenings were known on a day, or None if it cannot say.

        ``len(timeline.stores.as_of(...))``, from tables kept by every append
        (the first day each happening was reported by a live entry, and
        what merges take off): None when they do not cover the whole log
        or *seq_until* pins an earlier seq, for the caller to count another
        way.

        .. versionadded:: 0.2.0
        """
        with self._reading():
            return _sqlite_lookups.count_happenings(
                self._open(),
                day_number(published_until),
                sql_seq(seq_until),
                last_seq=len(self),
            )

    def voided_among(self, seqs: Collection[int], *, seq_until: int) -> set[int] | None:
        """Return which of *seqs* the amendments void, or None if it cannot say.

        From the table of voided entries kept by every append; None when
        it does not cover the whole log or *seq_until* pins an earlier seq.

        .. versionadded:: 0.2.0
        """
        with self._reading():
            return _sqlite_lookups.voided_among(
                self._open(), seqs, sql_seq(seq_until), last_seq=len(self)
            )

    def live_happening_ids(
        self,
        *,
        published_until: dt.date,
        seq_until: int,
        voided: Collection[int],
        event_ids: Collection[str],
    ) -> set[str]:
        """Return which of *event_ids* `count_happening_ids` would count.

        .. versionadded:: 0.2.0
        """
        with self._reading():
            return _sqlite_lookups.live_ids(
                self._open(),
                day_number(published_until),
                sql_seq(seq_until),
                voided,
                event_ids,
                last_seq=len(self),
            )

    def judgement_rows(
        self, *, seq_until: int, amendments_only: bool = False
    ) -> list[tuple[int, str, str, object, int]]:
        """Return the built-in amendments, revocations, merges and splits, as rows.

        (seq, type tag, event id, target, publication day as YYYYMMDD) up to
        *seq_until*, in seq order, no entry decoded: what counting the
        happenings known on a day needs of them. Only the amendments if
        *amendments_only*.

        .. versionadded:: 0.2.0
        """
        connection = self._open()
        index = (
            ANALYST_TYPES_INDEX
            if _sqlite_lookups.has_index(connection, ANALYST_TYPES_INDEX)
            else None
        )
        with self._reading():
            return _sqlite_lookups.judgement_rows(
                connection,
                sql_seq(seq_until),
                amendments_only=amendments_only,
                analyst_index=index,
                last_seq=len(self),
            )

    def read_types(
        self, event_types: Collection[str], *, seq_until: int
    ) -> Iterator[Entry]:
        """Return the entries of these stored type tags up to *seq_until*, in seq order.

        Each checked as `read_known` checks its rows: through the index of
        amendments, of places, of links or of analyst entries when the tags are among
        its own, else by a scan of the table, in SQLite's own code.

        .. versionadded:: 0.2.0
        """
        conditions = ["e.seq <= ?", "e.type IN (SELECT value FROM json_each(?))"]
        connection, hint = self._open(), None
        for indexed in (AMENDMENT_TAGS, PLACE_TAGS, LINK_TAGS, ANALYST_TAGS):
            if set(event_types) <= set(indexed):
                conditions.append(any_of(indexed, "e.type"))
                if indexed is ANALYST_TAGS and _sqlite_lookups.has_index(
                    connection, ANALYST_TYPES_INDEX
                ):
                    # Named: SQLite's planner would pass it over for a walk
                    # of every row in seq order, ten times slower at 1M.
                    # Along the index of types and seqs, only the rows of
                    # the types asked are read.
                    hint = ANALYST_TYPES_INDEX
                break  # the narrowest index that holds them
        return self._select(
            connection,
            conditions,
            [sql_seq(seq_until), json.dumps(sorted(event_types))],
            index=hint,
        )

    def merges_naming(self, ids: Collection[str], *, seq_until: int) -> list[Entry]:
        """Return the built-in merges and splits up to *seq_until* naming any of *ids*.

        On either side: through the index of happening ids, and the partial
        index of the other id a merge names. In seq order.

        .. versionadded:: 0.2.0
        """
        connection = self._open()
        found: dict[int, Entry] = {}
        # Along the index of ids on one side ("+": not that of analyst
        # types, which would read every merge), and the index of other ids
        # on the other, named: SQLite's planner would take that of analyst
        # types there too.
        other = "entries_merged_with"
        for side, type_, index in (
            ("e.event_id", "+e.type", None),
            (
                OTHER_ID.format(table="e."),
                "e.type",
                other if _sqlite_lookups.has_index(connection, other) else None,
            ),
        ):
            merges = self._select(
                connection,
                [
                    "e.seq <= ?",
                    any_of(MERGE_TAGS, type_),
                    f"{side} IN (SELECT value FROM json_each(?))",  # noqa: S608  # fixed names
                ],
                [sql_seq(seq_until), json.dumps(sorted(ids))],
                index=index,
            )
            found |= {entry.seq: entry for entry in merges}
        return [found[seq] for seq in sorted(found)]

    def search(self, text: str, *, seq_until: int) -> Collection[str] | None:
        """Return the happening ids of entries whose searched texts may hold *text*.

        A superset of the entries `timeline.projections.Happening.matches`
        would find *text* in (case ignored), up to *seq_until*, through the
        log's full-text index (SQLite FTS5, trigram tokenizer); None when
        the index cannot answer: the log has none or it does not cover the
        log (see the module ``timeline.stores._sqlite_text``), or *text* is
        shorter than three characters.

        .. versionadded:: 0.2.0
        """
        connection = self._open()
        with self._reading():
            return _sqlite_text.search(
                connection, text, last_seq=len(self), seq_until=sql_seq(seq_until)
            )

    def _select(
        self,
        connection: sqlite3.Connection,
        conditions: Sequence[str],
        parameters: Sequence[object],
        *,
        index: str | None = None,
    ) -> Iterator[Entry]:
        # The rows passing every condition, in seq order, each checked
        # against the hash of the row before it; through *index* if named.
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        hint = "" if index is None else f"INDEXED BY {index} "
        with self._reading():
            rows = connection.execute(
                f"SELECT {', '.join('e.' + c for c in COLUMNS)}, p.hash "  # noqa: S608  # fixed names
                f"FROM entries AS e {hint}LEFT JOIN entries AS p ON p.seq = e.seq - 1 "
                f"{where} ORDER BY e.seq",
                parameters,
            )
            return iter(self._decode_rows(rows, previous=GENESIS, seq=1, joined=True))

    def close(self) -> None:
        """Close the database; later calls but `close` raise `StoreError`."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        # A damaged file makes SQLite raise mid-read ("database disk image is
        # malformed", text that is not UTF-8): that is a corrupt log, named
        # as one, never a raw sqlite3 error. A lock held too long stays
        # what it is.
        try:
            yield
        except sqlite3.DatabaseError as error:
            if _is_busy(error):
                raise
            raise damaged(self._path, error) from None

    def _open(self) -> sqlite3.Connection:
        if self._connection is None:
            msg = f"{self!r} is closed"
            raise StoreError(msg)
        return self._connection

    def _prepare(self, connection: sqlite3.Connection, timeout: float) -> None:
        # Reads before it writes, and writes only to a database with no
        # tables at all, or to a log of version 1 to convert it: opening
        # someone else's database must not change it.
        tables, version = self._layout(connection)
        if not tables and version == 0 and not self._read_only:
            if not is_blank_database(self._path):
                # SQLite reads a file of one stray byte as an empty database,
                # and would overwrite it with ours.
                msg = f"{self._path}: not a SQLite database: no SQLite header"
                raise CorruptLogError(msg)
            # WAL first, as a log is always kept: a writer killed while
            # creating then leaves a WAL that any reader, even a read-only
            # one, recovers, never a hot rollback journal only a writer can.
            self._use_wal(connection, timeout)
            tables, version = self._create(connection)
        if version > SCHEMA_VERSION:
            msg = (
                f"{self._path}: written with log schema version {version}, newer than "
                f"this code reads ({SCHEMA_VERSION}); upgrade timeline"
            )
            raise CorruptLogError(msg)
        if version == 1 and "entries" in tables:
            if self._read_only:
                msg = (
                    f"{self._path}: a log of layout version 1, which must be "
                    f"converted to version {SCHEMA_VERSION} once before it is "
                    "read; open it once with mode='a' where it can be written"
                )
                raise ReadOnlyLogError(msg)
            self._migrate(connection)
            version = SCHEMA_VERSION
        if version != SCHEMA_VERSION or "entries" not in tables:
            msg = (
                f"{self._path}: not a timeline log (tables: "
                f"{', '.join(_sqlite_text.shown(tables)) or 'none'}; "
                f"schema version {version})"
            )
            raise CorruptLogError(msg)
        check_pages(connection, self._path)
        if not self._read_only:
            self._use_wal(connection, timeout)
            connection.execute("PRAGMA synchronous = FULL")
            self._build_text_index(connection)

    def _build_text_index(self, connection: sqlite3.Connection) -> None:
        # Gives a log made before the text index (or the indexes counting
        # happenings) existed, or appended to by an older timeline since,
        # what it lacks, in one transaction. If that fails (a damaged row,
        # another writer holding the log), the queries read more instead.
        indexed = _sqlite_lookups.has_index(connection, ANALYST_TYPES_INDEX)
        last = len(self)
        if (
            indexed
            and _sqlite_text.covered(connection) == last
            and _sqlite_firsts.covered(connection, analyst_tags()) == last
        ):
            return
        try:
            with connection:
                connection.execute("BEGIN IMMEDIATE")
                for statement in ANALYST_INDEX:
                    connection.execute(statement)
                if _sqlite_firsts.covered(connection, analyst_tags()) != last:
                    _sqlite_firsts.build(connection, analyst_tags())
                if _sqlite_text.covered(connection) is None:
                    if not _sqlite_text.has_fts5(connection):
                        return
                    _sqlite_text.create(connection)
                (last_seq,) = connection.execute(
                    "SELECT coalesce(max(seq), 0) FROM entries"
                ).fetchone()
                self._index_text(connection, [], last_seq=last_seq)
        except (sqlite3.Error, TimelineError):
            return

    def _index_text(
        self,
        connection: sqlite3.Connection,
        texts: Sequence[tuple[int, str]],
        *,
        last_seq: int,
    ) -> None:
        # Adds to the text index, inside the transaction writing the batch
        # of *texts* after row *last_seq*, the rows it does not cover yet
        # (checked against the hash chain, indexed as stored) and the batch's.
        covered = _sqlite_text.covered(connection)
        if covered is None or covered > last_seq:
            return  # no index, or one that is wrong: never used
        missing: list[tuple[int, str]] = []
        if covered < last_seq:
            self._rows_after(connection, covered, last_seq=last_seq)
            missing = _sqlite_text.stored_texts(connection, covered, last_seq)
        _sqlite_text.index_entries(connection, [*missing, *texts])

    def _layout(self, connection: sqlite3.Connection) -> tuple[set[str], int]:
        # The tables and layout version, read in one transaction so that a
        # log another process is creating is seen before or after, never
        # half made (its tables without its version, or the reverse).
        try:
            connection.execute("BEGIN")
            try:
                tables = self._tables(connection)
                (version,) = connection.execute("PRAGMA user_version").fetchone()
            finally:
                connection.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            raise self._refusal(error) from None
        return tables, int(version)

    def _create(self, connection: sqlite3.Connection) -> tuple[set[str], int]:
        # Creates the schema and its version in one transaction, unless
        # another process did first: BEGIN IMMEDIATE waits for its
        # transaction, and what is read inside decides.
        try:
            with connection:
                connection.execute("BEGIN IMMEDIATE")
                tables = self._tables(connection)
                (version,) = connection.execute("PRAGMA user_version").fetchone()
                if not tables and version == 0:
                    for statement in SCHEMA:
                        connection.execute(statement)
                    if _sqlite_text.has_fts5(connection):
                        _sqlite_text.create(connection)
                    _sqlite_firsts.build(connection, analyst_tags())
                    tables, version = self._tables(connection), SCHEMA_VERSION
        except sqlite3.DatabaseError as error:
            raise self._refusal(error) from None
        return tables, int(version)

    def _use_wal(self, connection: sqlite3.Connection, timeout: float) -> None:
        # WAL mode, so readers never block the writer. Switching needs a
        # moment with no other connection in a transaction, which SQLite's
        # busy handler does not wait for: retry until *timeout* runs out.
        (mode,) = connection.execute("PRAGMA journal_mode").fetchone()
        deadline = time.monotonic() + timeout
        pause = 0.001
        while mode != "wal":
            try:
                (mode,) = connection.execute("PRAGMA journal_mode = WAL").fetchone()
            except sqlite3.OperationalError as error:
                if not _is_busy(error) or time.monotonic() >= deadline:
                    raise self._refusal(error) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.05)

    def _refusal(self, error: sqlite3.DatabaseError) -> TimelineError:
        # The timeline error for what SQLite said while opening the file.
        refused = sqlite_write_refused(self._path, error, 0)
        if refused is not None:
            return refused
        if _is_busy(error):
            msg = (
                f"{self._path}: another process holds the database and did not "
                f"let go in time: {error}"
            )
            return StoreError(msg)
        return damaged(self._path, error)

    def _migrate(self, connection: sqlite3.Connection) -> None:
        # Converts a log of version 1 in one transaction: every row kept,
        # each value converted only if it is what version 1 wrote, so a
        # damaged or edited row stays as refused as it was.
        version_1_functions(connection)
        try:
            with connection:
                connection.execute("BEGIN IMMEDIATE")
                (version,) = connection.execute("PRAGMA user_version").fetchone()
                if version != 1:
                    return  # Another process converted it meanwhile.
                connection.execute(TABLE.format(name="entries_version_2"))
                connection.execute(
                    f"INSERT INTO entries_version_2 ({SELECT}) "  # noqa: S608  # fixed names
                    f"SELECT {SELECT_VERSION_1} FROM entries ORDER BY seq"
                )
                connection.execute("DROP TABLE entries")
                connection.execute("ALTER TABLE entries_version_2 RENAME TO entries")
                for statement in INDEXES:
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.Error as error:
            msg = (
                f"{self._path}: a log of schema version 1, which this code converts "
                f"to version {SCHEMA_VERSION} before reading it, but the conversion "
                f"failed, leaving it unchanged: {error}"
            )
            raise StoreError(msg) from None

    @staticmethod
    def _tables(connection: sqlite3.Connection) -> set[str]:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows}

    def _decode_rows(
        self, rows: Iterable[Row], *, previous: str, seq: int, joined: bool = False
    ) -> list[Entry]:
        return decode_rows(
            self._codec, self._path, rows, previous=previous, seq=seq, joined=joined
        )


def _is_busy(error: sqlite3.Error) -> bool:
    # Whether SQLite gave up waiting for another connection's lock.
    return getattr(error, "sqlite_errorcode", None) in {
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
    }
