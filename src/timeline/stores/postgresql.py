# SPDX-License-Identifier: MIT
"""A store in a PostgreSQL database, shared by a team's writers and readers.

Needs psycopg 3: install the ``contested-timeline[postgresql]`` extra. This
module imports psycopg; nothing else in timeline does, and
`timeline.stores.open_store` (so `timeline.EventLog.open`) imports this
module only when it is given a ``postgresql://`` URL.

One row per entry, in the table ``timeline_entries`` of the schema first on
the connection's ``search_path`` (``public`` unless the URL says otherwise,
as ``?options=-csearch_path%3Dteam`` does)::

    seq bigint PRIMARY KEY, recorded_at text, type text,
    schema_version integer, event_id text, published_day integer,
    body text (the payload as canonical JSON), hash bytea (32 bytes),
    other_event_id text (the second happening a merge, split or link names)

The columns (but the last) and the hash chain are those of
`timeline.stores.SQLiteStore`,
so a log keeps the same hashes in PostgreSQL, SQLite and JSON Lines, and
``timeline check`` checks it the same way. ``event_id`` and
``published_day`` (the day as the number YYYYMMDD) are indexed, and so
are ``other_event_id`` and (type, seq), so `PostgreSQLStore.read_known`,
`PostgreSQLStore.read_after` and `timeline.stores.happening` read only the
rows they return.

A `PostgreSQLStore` is an `timeline.stores.IndexedStore`:
`timeline.EventLog.open` keeps a log there without loading it, and every
question is asked of the server. The entries an answer about one
happening needs (its merges, splits and links, followed through the
indexes of both ids they name by a recursive query, and the entries
about every happening they reach) come in one statement, with the seq
the answer is pinned to: one round trip. The texts ``--about`` searches
(`timeline.projections.searched_texts`), read from each stored row as a
SQLite log's are, are kept case-folded in a second table,
``timeline_entries_text`` (seq, text), under a trigram index of the
``pg_trgm`` extension (GIN), written in the same transaction as each
append; it is derived data, always covering the log's first rows, which
``timeline check`` verifies against the entries and
`timeline.stores.rebuild_index` makes afresh. A server without
``pg_trgm``, or an owner who may not create it, makes a log without it,
and searches read the log instead; so does a role not granted the text
table. How many happenings were known on a day is counted from tables
kept the same way, as SQLite's are (see ``timeline.stores._pg_counts``).

The table's comment names its layout: ``timeline log, layout 2``. Layout
1, written before the text index existed, held ``other_event_id`` for
merges and splits only; such a table opens and answers as it is (a
happening's entries then read in a few statements), and its owner's
first writable open adds the text index and, if no link lacks its other
id, marks it layout 2.

Writers are serialised by a transaction-scoped advisory lock keyed on the
table: each append takes it, reads the last row, inserts its batch, sends
a notification and commits, and only then lets the next writer in. So
``seq`` is gapless and in commit order: no reader ever sees seq 8 before
seq 7 is committed. (eventsourcing takes ``LOCK TABLE ... IN EXCLUSIVE
MODE`` instead, which PostgreSQL allows only to a role that may also
update or delete rows; the writer role of the how-to may only insert.)

A trigger refuses every UPDATE, DELETE and TRUNCATE of the table, whoever
asks: the log is append-only in the database too, not only in this code.

.. versionadded:: 0.2.0
"""

import contextlib
import datetime as dt
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import Any

import psycopg
from psycopg import sql
from psycopg.copy import LibpqWriter

from timeline._gc import collection_paused
from timeline.errors import (
    ConcurrencyError,
    CorruptLogError,
    DanglingReferenceError,
    ReadOnlyLogError,
    StoreError,
    TimelineError,
)
from timeline.model.entry import Entry
from timeline.model.events import Related, SameAs, Split, Within
from timeline.serialization import Codec
from timeline.stores import _pg_counts, _pg_lookups
from timeline.stores._pg_counts import Counted
from timeline.stores._pg_lookups import bounded
from timeline.stores._pg_rows import encode, read_texts, text_rows
from timeline.stores._pg_schema import (
    COPY_TEXT,
    CREATE_LOCK,
    LAYOUT,
    LAYOUTS,
    MERGES,
    OLD_LAYOUT,
    SCHEMA,
    TABLE,
    TEXT_TABLE,
    Found,
    analyst_tags,
    create_text_index,
    link_tags,
)
from timeline.stores._records import GENESIS, ClosingOnExit, Known, check_batch
from timeline.stores._sqlite_rows import (
    COLUMNS,
    SELECT,
    Row,
    day_number,
    decode_row,
    envelopes,
    hex_of,
    read_body,
)
from timeline.stores._sqlite_text import envelope_texts
from timeline.stores._urls import is_database_url, without_password

__all__ = ["TABLE", "PostgreSQLStore"]

_MERGES = MERGES
_LAST = f"SELECT seq, hash FROM {TABLE} ORDER BY seq DESC LIMIT 1"  # noqa: S608  # fixed names
_COPY = f"COPY {TABLE} ({SELECT}, other_event_id) FROM STDIN"


class PostgreSQLStore(ClosingOnExit, Counted):
    """A log kept in a PostgreSQL database, for several writers on several machines.

    Opening connects, and creates the table (with its indexes and its
    append-only trigger) if it is missing and *create* is true; it reads
    no entry. `read` verifies the whole hash chain; `read_known` and
    `read_after` verify each row they return against the one before it.
    Every statement is sent with its values as parameters, never spliced
    into SQL.

    Connection settings come from the URL and from libpq's environment
    (``PGHOST``, ``PGUSER``, ``PGPASSWORD``...) and password file
    (``~/.pgpass``), as for ``psql``. Messages and ``repr`` show the URL
    without its password.

    Args:
        url: A ``postgresql://`` (or ``postgres://``) URL, as libpq reads
            it: ``postgresql://ana@db.example/newsroom``, or
            ``postgresql:///newsroom?host=/run/postgresql`` for a Unix
            socket.
        create: Whether to create the table if it is missing.
        codec: Encodes and decodes entries; `Codec()` by default.
        read_only: Connect for reading only: every transaction is
            read-only, nothing is created, and appending raises
            `ReadOnlyLogError`.
        connect_timeout: Seconds to wait for the server to answer.

    Raises:
        StoreError: If the server cannot be reached or refuses the login,
            or the table is missing and *create* is false or *read_only*
            true.
        ReadOnlyLogError: If the table is missing and the role may not
            create it.
        CorruptLogError: If the table exists but is not a timeline log of
            a layout this code reads.

    .. versionadded:: 0.2.0
    """

    __slots__ = (
        "_channel",
        "_codec",
        "_connection",
        "_conninfo",
        "_counting",
        "_indexing",
        "_layout",
        "_listener",
        "_lock_key",
        "_read_only",
        "_url",
    )

    def __init__(
        self,
        url: str,
        *,
        create: bool = True,
        codec: Codec | None = None,
        read_only: bool = False,
        connect_timeout: float = 10.0,
    ) -> None:
        if not is_database_url(url):
            msg = f"{url!r:.80}: not a postgresql:// URL"
            raise StoreError(msg)
        self._url = without_password(url)
        self._codec = codec if codec is not None else Codec()
        self._read_only = read_only
        self._listener: psycopg.Connection[Any] | None = None
        self._connection: psycopg.Connection[Any] | None = None
        # Kept for the listening connection `wait` opens; never shown.
        self._conninfo = url
        self._connection = self._connect(url, connect_timeout)
        try:
            found = self._prepare(self._connection, create=create and not read_only)
            # Advisory lock keys are database-wide: this one is the table's
            # own, so logs in other schemas never wait for each other.
            self._lock_key = (CREATE_LOCK << 32) | found.oid
            self._channel = f"{TABLE}_{found.oid}"
            if not read_only and found.owned and found.lacks_derived:
                found = self._upgrade(self._connection, found)
            if not read_only and found.owned:
                _pg_counts.ensure(self._connection, self._lock_key)
            self._counting = not read_only and _pg_counts.writable(self._connection)
        except BaseException:
            self.close()
            raise
        self._layout = found.layout
        # Whether this role writes each batch's texts into the text index.
        self._indexing = found.text_writable

    def __repr__(self) -> str:
        return f"PostgreSQLStore({self._url!r})"

    @property
    def url(self) -> str:
        """Return the database's URL, without its password."""
        return self._url

    def __len__(self) -> int:
        with self._reading() as connection:
            row = connection.execute(f"SELECT coalesce(max(seq), 0) FROM {TABLE}")  # noqa: S608  # fixed names
            (count,) = row.fetchone() or (0,)
        return int(count)

    def append(self, entries: Sequence[Entry]) -> None:
        """Insert *entries* after the last row in one transaction: all, or none.

        Raises:
            ConcurrencyError: If the first entry's seq does not follow the
                last row (another writer appended first).
            InvalidEntryError: If an item is not an entry, seqs skip, or an
                entry would not read back as written.
            ReadOnlyLogError: If the store was opened read-only, or the
                role may not insert into the table.
            StoreError: If the store is closed or the server fails.
        """
        batch = list(entries)
        self._writable()
        if batch:
            self._transaction(lambda _: batch, after=None)

    def append_after(
        self, seq: int, build: Callable[[Sequence[Entry]], Sequence[Entry]]
    ) -> list[Entry]:
        """Append the batch *build* makes, holding the log's write lock.

        Args:
            seq: The last seq the caller holds.
            build: Called once, inside the transaction, with the entries
                numbered above *seq* (other writers' appends), each checked
                against the hash chain; returns the batch.

        Returns:
            The batch, as appended.

        Raises:
            ConcurrencyError: If the batch does not follow the last row.
            InvalidEntryError: If an item is not an entry, seqs skip, or an
                entry would not read back as written.
            CorruptLogError: If a row other writers appended is damaged.
            ReadOnlyLogError: If the store was opened read-only, or the
                role may not insert into the table.
            StoreError: If the store is closed or the server fails.
        """
        self._writable()
        return self._transaction(build, after=seq)

    def read(self) -> Iterator[Entry]:
        """Return every entry in seq order, verifying the whole hash chain.

        Raises:
            CorruptLogError: If a row breaks the chain, a seq is missing, or
                an index column disagrees with the row's body; the message
                names the first bad seq.
            StoreError: If the store is closed or the server fails.
        """
        return iter(self.read_after(0))

    def read_after(self, seq: int) -> list[Entry]:
        """Return the entries numbered above *seq*, in seq order, by the primary key.

        The first is checked against the hash of entry *seq*, and each later
        one against the one before it.

        Args:
            seq: The last seq the caller holds; 0 for every entry.

        Raises:
            CorruptLogError: If a row breaks the chain, or row *seq* is
                missing.
            TypeError: If *seq* is not a whole number.
            StoreError: If the store is closed or the server fails.
        """
        if isinstance(seq, bool) or not isinstance(seq, int):
            msg = f"seq must be a whole number, got {seq!r}"
            raise TypeError(msg)
        with self._reading() as connection, connection.transaction():
            return self._rows_after(connection, max(bounded(seq), 0))

    def read_known(
        self,
        *,
        published_until: dt.date | None = None,
        event_ids: Collection[str] | None = None,
        seq_until: int | None = None,
    ) -> Iterator[Entry]:
        """Return the entries that pass every given filter, in seq order, by index.

        Each row returned is checked against the hash of the row before it.

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
            StoreError: If the store is closed or the server fails.
        """
        known = Known.check(
            published_until=published_until, event_ids=event_ids, seq_until=seq_until
        )
        conditions: list[sql.Composable] = []
        parameters: list[object] = []
        if known.seq_until is not None:
            conditions.append(sql.SQL("e.seq <= %s"))
            parameters.append(bounded(known.seq_until))
        if known.published_until is not None:
            conditions.append(sql.SQL("e.published_day <= %s"))
            parameters.append(day_number(known.published_until))
        if known.event_ids is not None:
            conditions.append(sql.SQL("e.event_id = ANY(%s)"))
            parameters.append(sorted(known.event_ids))
        where = (
            sql.SQL("WHERE ") + sql.SQL(" AND ").join(conditions)
            if conditions
            else sql.SQL("")
        )
        query = sql.SQL(
            "SELECT {columns}, (SELECT p.hash FROM {table} AS p "
            "WHERE p.seq = e.seq - 1) FROM {table} AS e {where} ORDER BY e.seq"
        ).format(
            columns=sql.SQL(", ").join(sql.Identifier("e", c) for c in COLUMNS),
            table=sql.Identifier(TABLE),
            where=where,
        )
        with self._reading() as connection:
            rows = connection.execute(query, parameters).fetchall()
        return iter(self._decode_joined(rows))

    def read_types(
        self, event_types: Collection[str], *, seq_until: int
    ) -> Iterator[Entry]:
        """Return the entries of these type tags up to *seq_until*, in seq order.

        Found by the index of (type, seq), each checked against its
        predecessor's hash.
        """
        return self._select(
            "e.type = ANY(%s) AND e.seq <= %s",
            [sorted(event_types), bounded(seq_until)],
        )

    def merges_naming(self, ids: Collection[str], *, seq_until: int) -> list[Entry]:
        """Return the `SameAs` and `Split` entries up to *seq_until* naming *ids*.

        On either side, in one query: by the index of happening ids, or the
        partial index of the other id a merge names.
        """
        wanted = sorted(ids)
        return list(
            self._select(
                f"e.{MERGES} AND e.seq <= %s AND (e.event_id = ANY(%s) "
                "OR e.other_event_id = ANY(%s))",
                [bounded(seq_until), wanted, wanted],
            )
        )

    def entry_at(self, seq: int) -> Entry:
        """Return the entry numbered *seq*, checked against its predecessor's hash.

        Raises:
            DanglingReferenceError: If the log holds no such entry.
            CorruptLogError: If the row was edited, or its predecessor is
                missing.
            StoreError: If the store is closed or the server fails.
        """
        found = list(self._select("e.seq = %s", [bounded(seq)]))
        if not found:
            msg = f"{self._url} holds no entry with seq {seq!r}"
            raise DanglingReferenceError(msg)
        return found[0]

    def holds_happening(self, event_id: str, *, seq_until: int) -> bool:
        """Return whether a claim or response up to *seq_until* is about *event_id*."""
        return bool(self.held_happenings([event_id], seq_until=seq_until))

    def held_happenings(self, ids: Collection[str], *, seq_until: int) -> set[str]:
        """Return which of *ids* a claim or response up to *seq_until* is about.

        In one statement, through the index of happening ids: the rules a
        batch is checked by ask about all its ids at once.
        """
        with self._reading() as connection:
            return _pg_lookups.held_ids(connection, ids, seq_until)

    def happening_ids(self, *, seq_until: int) -> Iterator[str]:
        """Return every id a claim or response up to *seq_until* is about, once."""
        with self._reading() as connection:
            return iter(_pg_lookups.happening_ids(connection, seq_until))

    def last_published_day(self, *, seq_until: int) -> dt.date | None:
        """Return the latest day an entry up to *seq_until* was published on."""
        with self._reading() as connection:
            return _pg_lookups.last_day(connection, seq_until)

    def count_happening_ids(
        self,
        *,
        published_until: dt.date,
        seq_until: int,
        voided: Collection[int],
        event_ids: Collection[str] | None = None,
    ) -> int:
        """Return how many ids the claims and responses known on a day are about.

        Counted by the server, reading the index columns only.
        """
        with self._reading() as connection:
            return _pg_lookups.count_ids(
                connection,
                day_number(published_until),
                seq_until,
                voided,
                event_ids,
            )

    def search(self, text: str, *, seq_until: int) -> Collection[str] | None:
        """Return the happening ids of the entries whose searched texts hold *text*.

        Through the text index (a trigram index of pg_trgm over each
        entry's case-folded texts, see `timeline.stores.IndexedStore`):
        every entry up to *seq_until* whose texts hold *text*, case
        ignored. None when the index cannot answer: the log has none (the
        server lacks pg_trgm, or no role could create it), it does not
        cover the log up to *seq_until*, this role may not read it, or
        *text* is shorter than three characters.
        """
        connection = self._open()
        try:
            return _pg_lookups.search(connection, text, seq_until)
        except (
            psycopg.errors.UndefinedTable,
            psycopg.errors.InsufficientPrivilege,
        ):
            return None  # no index, or one this role may not read
        except psycopg.Error as error:
            raise self._failed(error) from None

    def entries_about(
        self, event_id: str, *, seq: int | None
    ) -> tuple[int, list[Entry]] | None:
        """Return what an answer about *event_id* reads, and the seq it is pinned to.

        The seq is the log's end, or *seq* within it. The entries are
        those `timeline.stores.happening` and `timeline.stores.history`
        read, in seq order, each checked against its predecessor's hash:
        the merges, splits and links chaining the happening with others,
        the entries about every happening they reach, and every
        `timeline.model.events.Within` with the entries about it. One
        statement gathers them, through the indexes of both ids a link
        names; one more for each step along a chain of merges or links
        (none for a happening never merged). None for a table of layout
        1, whose links may lack their other id: the answer is then read
        as from any `timeline.stores.IndexedStore`.
        """
        if self._layout != LAYOUT:
            return None
        links = set(_pg_lookups.link_types())
        found: dict[int, Entry] = {}
        walked: set[str] = set()  # whose links were followed
        read: set[str] = set()  # whose entries were read
        ids, plain = {event_id}, set[str]()
        pin: int | None = None
        with self._reading() as connection:
            while ids or plain:
                asked = seq if pin is None else pin
                rows = connection.execute(
                    _pg_lookups.GATHER,
                    _pg_lookups.gather_parameters(ids, plain, asked, first=pin is None),
                ).fetchall()
                if pin is None:
                    last = int(rows[0][0])
                    pin = last if seq is None else max(min(seq, last), 0)
                walked |= ids
                read |= ids | plain
                rows = [row for row in rows if row[1] is not None]
                entries = self._decode_joined([tuple(row[1:-1]) for row in rows])
                follow, places = set[str](), set[str]()
                for entry, row in zip(entries, rows, strict=True):
                    found[entry.seq] = entry
                    event = entry.event
                    if isinstance(event, Within):
                        places.add(event.event_id)
                    elif (
                        row[-1]
                        and event.event_type in links
                        and isinstance(event, SameAs | Split | Related)
                    ):
                        follow |= {event.event_id, event.other_event_id}
                ids = follow - walked
                plain = places - read - ids
        return pin or 0, [found[number] for number in sorted(found)]

    def _select(self, where: str, parameters: Sequence[object]) -> Iterator[Entry]:
        # The rows passing *where* (fixed text; values in *parameters*).
        query = (
            f"SELECT {', '.join('e.' + c for c in COLUMNS)}, "  # noqa: S608  # fixed names
            f"(SELECT p.hash FROM {TABLE} AS p WHERE p.seq = e.seq - 1) "
            f"FROM {TABLE} AS e WHERE {where} ORDER BY e.seq"
        )
        with self._reading() as connection:
            rows = connection.execute(query, parameters).fetchall()
        return iter(self._decode_joined(rows))

    def wait(self, seq: int, timeout: float | None = None) -> bool:
        """Wait until the log holds an entry above *seq*; return whether it does.

        Listens for the notification every append sends when it commits
        (PostgreSQL's LISTEN/NOTIFY, on a connection of its own), so a
        waiting reader wakes as soon as a writer anywhere commits, without
        polling the table.

        Args:
            seq: The last seq the caller holds.
            timeout: Seconds to wait at most; None waits for ever.

        Raises:
            StoreError: If the store is closed or the server fails.
        """
        listener = self._listen()
        deadline = None if timeout is None else time.monotonic() + timeout
        # Listening began before this look, so no commit after it is missed;
        # a notification of an entry already seen is passed over.
        while len(self) <= seq:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            try:
                for _ in listener.notifies(timeout=left, stop_after=1):
                    pass
            except psycopg.Error as error:  # pragma: no cover  # lost mid-wait
                raise self._failed(error) from None
        return True

    def close(self) -> None:
        """Close the connections; later calls but `close` raise `StoreError`."""
        for connection in (self._listener, self._connection):
            if connection is not None:
                connection.close()
        self._listener = self._connection = None

    # -- Connecting ------------------------------------------------------------

    def _connect(self, url: str, timeout: float) -> "psycopg.Connection[Any]":
        try:
            connection = psycopg.connect(
                url,
                autocommit=True,
                connect_timeout=max(1, round(timeout)),
                application_name="timeline",
            )
        except psycopg.Error as error:
            msg = f"{self._url}: cannot connect to PostgreSQL: {_reason(error)}"
            raise StoreError(msg) from None
        if self._read_only:
            connection.read_only = True
        return connection

    def _prepare(self, connection: "psycopg.Connection[Any]", *, create: bool) -> Found:
        # Finds the table (creating it if asked and missing), after checking
        # its comment says it holds a timeline log.
        try:
            found = self._find(connection)
            if found is None and create:
                with connection.transaction():
                    connection.execute(
                        "SELECT pg_advisory_xact_lock(%s::bigint)", (CREATE_LOCK,)
                    )
                    found = self._find(connection)
                    if found is None:
                        for statement in SCHEMA:
                            connection.execute(statement)
                        create_text_index(connection)
                        found = self._find(connection)
        except psycopg.errors.InsufficientPrivilege as error:
            msg = (
                f"{self._url}: no timeline log there, and the role may not create "
                f"one ({_reason(error)}); ask the database's owner to create it"
            )
            raise ReadOnlyLogError(msg) from None
        except psycopg.Error as error:
            raise self._failed(error) from None
        if found is None:
            msg = (
                f"{self._url}: no timeline log there (no table {TABLE} on the "
                "search_path)"
            )
            raise StoreError(msg)
        return found

    def _find(self, connection: "psycopg.Connection[Any]") -> Found | None:
        # The table, its layout, whether this role owns it, and whether the
        # text index exists and this role may write to it: one statement.
        row = connection.execute(
            "SELECT c.oid, obj_description(c.oid, 'pg_class'), "
            "pg_has_role(c.relowner, 'USAGE'), to_regclass(%s) IS NOT NULL, "
            "coalesce(has_table_privilege(to_regclass(%s), 'INSERT'), false) "
            "FROM pg_class AS c WHERE c.oid = to_regclass(%s)",
            (TEXT_TABLE, TEXT_TABLE, TABLE),
        ).fetchone()
        if row is None:
            return None
        oid, comment, owned, has_text, text_writable = row
        if comment not in LAYOUTS:
            msg = (
                f"{self._url}: the table {TABLE} is not a timeline log this code "
                f"reads (its comment is {comment!r}, not {LAYOUT!r})"
            )
            raise CorruptLogError(msg)
        return Found(
            oid=int(oid),
            layout=comment,
            owned=owned,
            has_text=has_text,
            text_writable=has_text and text_writable,
        )

    def _upgrade(self, connection: "psycopg.Connection[Any]", found: Found) -> Found:
        # Gives a log an earlier timeline made what it lacks, as its owner,
        # in one transaction holding the write lock: the text index (with
        # every entry's texts), and layout 2 if no link lacks its other id.
        # If that fails (no pg_trgm, a damaged row), the log is left as it
        # was, and the queries read more instead.
        try:
            with connection.transaction():
                connection.execute(
                    "SELECT pg_advisory_xact_lock(%s::bigint)", (self._lock_key,)
                )
                if not found.has_text:
                    create_text_index(connection)
                if found.layout == OLD_LAYOUT:
                    row = connection.execute(
                        f"SELECT EXISTS (SELECT 1 FROM {TABLE} WHERE type = ANY(%s) "  # noqa: S608  # fixed names
                        "AND other_event_id IS NULL)",
                        (link_tags(),),
                    ).fetchone()
                    if row is not None and not row[0]:
                        connection.execute(f"COMMENT ON TABLE {TABLE} IS '{LAYOUT}'")
                upgraded = self._find(connection)
                if upgraded is not None and upgraded.text_writable:
                    last = connection.execute(
                        f"SELECT coalesce(max(seq), 0) FROM {TABLE}"  # noqa: S608  # fixed names
                    ).fetchone()
                    self._index_text(connection, int(last[0]) if last else 0)
        except (psycopg.Error, TimelineError):
            return found
        return upgraded or found

    def _listen(self) -> "psycopg.Connection[Any]":
        self._open()
        if self._listener is None:
            listener = self._connect(self._conninfo, 10.0)
            try:
                listener.execute(
                    sql.SQL("LISTEN {}").format(sql.Identifier(self._channel))
                )
            except psycopg.Error as error:  # pragma: no cover  # lost at once
                listener.close()
                raise self._failed(error) from None
            self._listener = listener
        return self._listener

    # -- Writing -------------------------------------------------------------

    def _writable(self) -> None:
        self._open()
        if self._read_only:
            msg = (
                f"{self._url}: opened read-only (mode='r'), so nothing can be "
                "appended; open it with mode='a' to append"
            )
            raise ReadOnlyLogError(msg)

    def _transaction(
        self,
        build: Callable[[Sequence[Entry]], Sequence[Entry]],
        *,
        after: int | None,
    ) -> list[Entry]:
        connection = self._open()
        batch: list[Entry] = []
        try:
            with connection.transaction():
                connection.execute(
                    "SELECT pg_advisory_xact_lock(%s::bigint)", (self._lock_key,)
                )
                last = connection.execute(_LAST).fetchone()
                last_seq, last_hash = (
                    (0, GENESIS) if last is None else (int(last[0]), hex_of(last[1]))
                )
                others = (
                    []
                    if after is None or after >= last_seq
                    else self._rows_after(connection, max(after, 0))
                )
                batch = check_batch(build(others), last_seq=last_seq, where=repr(self))
                if batch:
                    # The batch's texts go first: the server indexes them
                    # (most of an append's cost) while the rows are encoded.
                    made = envelopes(self._codec, batch)
                    with (
                        self._indexed(connection, last_seq, envelope_texts(batch, made))
                        if self._indexing
                        else contextlib.nullcontext()
                    ):
                        rows = encode(
                            self._codec, batch, last_hash, where=repr(self), made=made
                        )
                    with connection.cursor() as cursor, cursor.copy(_COPY) as copy:
                        for row in rows:
                            copy.write_row(row)
                    if self._counting:
                        _pg_counts.note(
                            connection, rows, last_seq=last_seq, analyst=analyst_tags()
                        )
                    connection.execute(
                        "SELECT pg_notify(%s, %s)", (self._channel, str(batch[-1].seq))
                    )
        except psycopg.errors.InsufficientPrivilege as error:
            msg = (
                f"{self._url}: the role may not append to this log "
                f"({_reason(error)}): it was granted reading only"
            )
            raise ReadOnlyLogError(msg) from None
        except psycopg.errors.ReadOnlySqlTransaction as error:
            msg = f"{self._url}: the server accepts no writes: {_reason(error)}"
            raise ReadOnlyLogError(msg) from None
        except psycopg.errors.UniqueViolation as error:  # pragma: no cover  # a race
            # Only a writer that did not take the lock, inserting between
            # this one's look at the last row and its insert, gets here.
            msg = f"{self._url}: another writer appended first: {_reason(error)}"
            raise ConcurrencyError(msg) from None
        except psycopg.Error as error:
            raise self._failed(error) from None
        return batch

    @contextlib.contextmanager
    def _indexed(
        self,
        connection: "psycopg.Connection[Any]",
        last_seq: int,
        texts: Sequence[tuple[int, str]],
    ) -> Iterator[None]:
        # Adds to the text index, inside the transaction writing the batch
        # of *texts* after row *last_seq*, the rows it does not cover yet
        # (appended by a role that may not write to it, or before it
        # existed; read as stored), then the batch's: the index always
        # covers the log's first rows, none missing.
        # The texts are all sent before the block runs, and the copy ends
        # after it: the server indexes them meanwhile.
        row = connection.execute(
            f"SELECT coalesce(max(seq), 0) FROM {TEXT_TABLE}"  # noqa: S608  # fixed names
        ).fetchone()
        covered = int(row[0]) if row is not None else 0
        if covered > last_seq:
            yield  # an index ahead of the log is wrong: never added to
            return
        missing: list[tuple[int, str]] = []
        if covered < last_seq:  # checked against the hash chain first
            self._rows_after(connection, covered)
            missing = read_texts(connection, covered, last_seq)
        with collection_paused():
            data = text_rows((*missing, *texts))
        with (
            connection.cursor() as cursor,
            cursor.copy(
                COPY_TEXT, writer=LibpqWriter(cursor, flush_threshold=0)
            ) as copy,
        ):
            copy.write(data)
            yield

    def _index_text(self, connection: "psycopg.Connection[Any]", last_seq: int) -> None:
        # Adds the rows the text index lacks, up to row *last_seq*.
        with self._indexed(connection, last_seq, []):
            pass

    # -- Reading ---------------------------------------------------------------

    def _open(self) -> "psycopg.Connection[Any]":
        if self._connection is None:
            msg = f"{self!r} is closed"
            raise StoreError(msg)
        return self._connection

    @contextlib.contextmanager
    def _reading(self) -> Iterator["psycopg.Connection[Any]"]:
        connection = self._open()
        try:
            yield connection
        except psycopg.Error as error:
            raise self._failed(error) from None

    def _rows_after(
        self, connection: "psycopg.Connection[Any]", seq: int
    ) -> list[Entry]:
        # The rows above *seq*, the first checked against row *seq*'s hash.
        previous = GENESIS
        if seq > 0:
            row = connection.execute(
                f"SELECT hash FROM {TABLE} WHERE seq = %s",  # noqa: S608  # fixed names
                (seq,),
            ).fetchone()
            if row is None:
                if len(self) < seq:
                    return []
                msg = f"{self._url} seq {seq}: the row is missing"
                raise CorruptLogError(msg)
            previous = hex_of(row[0])
        rows = connection.execute(
            f"SELECT {SELECT} FROM {TABLE} WHERE seq > %s ORDER BY seq",  # noqa: S608  # fixed names
            (seq,),
        ).fetchall()
        return self._decode(rows, previous=previous, seq=seq + 1)

    def _decode(self, rows: Iterable[Row], *, previous: str, seq: int) -> list[Entry]:
        entries = []
        with collection_paused():
            for expected, row in enumerate(rows, start=seq):
                where = f"{self._url} seq {row[0]}"
                payload = read_body(row[6], where=where)
                entry, previous = decode_row(
                    self._codec,
                    row,
                    payload,
                    previous=previous,
                    seq=expected,
                    where=where,
                )
                entries.append(entry)
        return entries

    def _decode_joined(self, rows: Iterable[Row]) -> list[Entry]:
        # Rows of a selection, each with the hash of the row before it.
        entries = []
        with collection_paused():
            for *columns, before in rows:
                row = tuple(columns)
                seq = row[0]
                if before is None and seq != 1:
                    msg = f"{self._url} seq {seq}: seq {seq - 1} before it is missing"
                    raise CorruptLogError(msg)
                previous = GENESIS if before is None else hex_of(before)
                where = f"{self._url} seq {seq}"
                payload = read_body(row[6], where=where)
                entry, _ = decode_row(
                    self._codec, row, payload, previous=previous, seq=seq, where=where
                )
                entries.append(entry)
        return entries

    def _failed(self, error: psycopg.Error) -> StoreError:
        msg = f"{self._url}: PostgreSQL failed: {_reason(error)}"
        return StoreError(msg)


def _reason(error: psycopg.Error) -> str:
    # What the server or libpq said, on one line.
    return " ".join(str(error).split()) or type(error).__name__
