# SPDX-License-Identifier: MIT
"""Checking a PostgreSQL log, its derived data included, and rebuilding that.

Private to ``timeline.stores._check``, which judges the entries these
functions give it (`scanned_rows`, `rebuilding`) and turns what
`text_problems` finds into problems of kind ``INDEX``.

The text index (the table ``timeline_entries_text``, see
`timeline.stores.postgresql`) holds one row per entry: its seq, and
``stored_text`` of its stored row (``timeline.stores._sqlite_text``), the
texts ``--about`` searches and more, case-folded: a function of the row
alone, whatever event types the writing or checking process knows.
It covers the log from seq 1 up to its last row: a search up to a seq it
covers reads it, and a search past it reads the log instead. So a row
missing below the last row, a row whose text is not its entry's, or a row
for no entry (past the log's end) would make searches answer wrongly;
rows missing after the last row make none wrong (the next append indexes
them), and are no problem.
"""

import contextlib
import functools
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import psycopg

from timeline.errors import ReadOnlyLogError, StoreError
from timeline.model.entry import Entry
from timeline.stores import _pg_counts
from timeline.stores._pg_rows import read_texts, stored_texts, text_rows
from timeline.stores._pg_schema import (
    COPY_TEXT,
    TABLE,
    TEXT_TABLE,
    analyst_tags,
    create_text_index,
)
from timeline.stores._sqlite_rows import SELECT, Row
from timeline.stores.postgresql import PostgreSQLStore

__all__ = ["rebuilding", "scanned_rows", "text_problems"]

_STEP = 1024
"""How many entries' texts are copied in one block when rebuilding."""

Verify = Callable[[Sequence[Entry]], dict[int, str] | None]
Rebuild = Callable[[Sequence[Entry]], int | None]
Counted = Callable[[], list[str]]


@contextlib.contextmanager
def scanned_rows(url: str) -> Iterator[tuple[Iterator[Row], Verify, Counted]]:
    """Give the rows of the log at *url*, in seq order, and its derived data's judges.

    Reading only, in one transaction that sees one snapshot (repeatable
    read): the text index is judged against the entries read, not against
    those a writer appended meanwhile. The judge is `text_problems` on
    that transaction; give it the entries the rows hold, from seq 1 on.
    The tables of counts' judge (``timeline.stores._pg_counts.problems``)
    says what is wrong with them, as problems of kind ``INDEX`` say.

    Raises:
        StoreError: If the server cannot be reached, or holds no log there.
        CorruptLogError: If the table is not a timeline log.
    """
    with (
        PostgreSQLStore(url, read_only=True) as store,
        store._reading() as connection,
    ):
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with (
            connection.transaction(),
            connection.cursor(name="timeline_check") as cursor,
        ):
            cursor.execute(f"SELECT {SELECT} FROM {TABLE} ORDER BY seq")  # noqa: S608  # fixed names
            yield (
                iter(cursor),
                functools.partial(text_problems, connection),
                functools.partial(_pg_counts.problems, connection, store.url),
            )


def text_problems(
    connection: "psycopg.Connection[Any]", entries: Sequence[Entry]
) -> dict[int, str] | None:
    """Return the seqs whose row of the text index does not match *entries*.

    *entries* are the log's, from seq 1 on. Each wrong seq maps to what is
    wrong with its row, in seq order: ``"missing"`` (the entry has none,
    though the index holds a row after it), ``"stale"`` (it holds other
    texts than the ``stored_text`` of the entry's stored row) or
    ``"extra"`` (no entry of the log has that seq). Every row is judged,
    whatever the types this process knows. None when the log has no
    text index, or this role may not read it.
    """
    found = connection.execute(
        "SELECT to_regclass(%s) IS NOT NULL", (TEXT_TABLE,)
    ).fetchone()
    if found is None or not found[0]:
        return None
    wrong: dict[int, str] = {}
    try:
        with (
            connection.transaction(),
            connection.cursor(name="timeline_check_text") as cursor,
        ):
            cursor.execute(
                f"SELECT t.seq, t.text, e.type, e.body FROM {TEXT_TABLE} AS t "  # noqa: S608  # fixed names
                f"LEFT JOIN {TABLE} AS e ON e.seq = t.seq ORDER BY t.seq"
            )
            expected = 1
            for seq, text, tag, body in cursor:
                if not 1 <= seq <= len(entries):
                    wrong[seq] = "extra"
                    continue
                wrong.update(dict.fromkeys(range(expected, seq), "missing"))
                expected = seq + 1
                if [(seq, text)] != stored_texts([(seq, tag, body)]):
                    wrong[seq] = "stale"
    except psycopg.errors.InsufficientPrivilege:
        return None
    return dict(sorted(wrong.items()))


@contextlib.contextmanager
def rebuilding(url: str) -> Iterator[tuple[Iterator[Row], Rebuild]]:
    """Give the rows of the log at *url*, in seq order, and its index's rebuilder.

    In one transaction holding the log's write lock, so no writer appends
    meanwhile: the rebuilder, given the entries the rows hold (from seq 1
    on, checked), replaces the text index with one made afresh from them,
    in that transaction, and returns how many entries it holds; None, with
    the index left as it was, when the server cannot make one (no
    pg_trgm). It makes the tables of counts afresh too. The transaction
    commits when the block ends without an exception, and rolls back
    otherwise.

    Raises:
        StoreError: If the server cannot be reached, holds no log there, or
            fails.
        ReadOnlyLogError: If the role does not own the log's tables.
        CorruptLogError: If the table is not a timeline log.
    """
    with (
        PostgreSQLStore(url, create=False) as store,
        store._reading() as connection,
        connection.transaction(),
    ):
        connection.execute(
            "SELECT pg_advisory_xact_lock(%s::bigint)", (store._lock_key,)
        )
        with connection.cursor(name="timeline_rebuild") as cursor:
            cursor.execute(f"SELECT {SELECT} FROM {TABLE} ORDER BY seq")  # noqa: S608  # fixed names
            yield iter(cursor), functools.partial(_rebuild, connection, store.url)


def _rebuild(
    connection: "psycopg.Connection[Any]", url: str, entries: Sequence[Entry]
) -> int | None:
    # Drops the text index and makes it afresh from the stored rows of
    # *entries*: its rows first, then its trigram index over them all at
    # once.
    def fill(connection: "psycopg.Connection[Any]") -> None:
        try:
            for start in range(0, len(entries), _STEP):
                texts = read_texts(connection, start, min(start + _STEP, len(entries)))
                with connection.cursor() as cursor, cursor.copy(COPY_TEXT) as copy:
                    copy.write(text_rows(texts))
        except psycopg.Error as error:  # pragma: no cover  # the server failing
            msg = f"{url}: PostgreSQL failed rebuilding the text index: {error}"
            raise StoreError(msg) from None

    try:
        made = _replace(connection, fill)
        _pg_counts.build(connection, analyst_tags())
    except psycopg.errors.InsufficientPrivilege as error:
        msg = (
            f"{url}: only the owner of the log's tables may rebuild its text "
            f"index ({' '.join(str(error).split())}); ask the database's owner"
        )
        raise ReadOnlyLogError(msg) from None
    return len(entries) if made else None


def _replace(
    connection: "psycopg.Connection[Any]",
    fill: Callable[["psycopg.Connection[Any]"], None],
) -> bool:
    # Drops the text index and makes it afresh, in a savepoint: rolled back,
    # leaving the index as it was, when the server cannot make one.
    made = []
    with connection.transaction():
        connection.execute(f"DROP TABLE IF EXISTS {TEXT_TABLE}")
        made.append(create_text_index(connection, fill))
        if not made[-1]:
            raise psycopg.Rollback
    return made[-1]
