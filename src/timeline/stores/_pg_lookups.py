# SPDX-License-Identifier: MIT
"""The lookups a PostgreSQL log answers in SQL, for a log that is not loaded.

Private to `timeline.stores.postgresql`, whose `PostgreSQLStore` methods of
`timeline.stores.IndexedStore` call these: whether ids are known, which ids
are, the latest publication day, how many ids were known on a day, which
happenings a text may be about (through the trigram index of pg_trgm), and
the one statement that gathers every row a happening's answer depends on.
Each statement is fixed text, its values sent as parameters.
"""

import datetime as dt
from collections.abc import Collection
from typing import Any

import psycopg

from timeline.model.events import SameAs, Split
from timeline.stores._pg_schema import (
    TABLE,
    TEXT_TABLE,
    analyst_tags,
    link_tags,
    within_tags,
)
from timeline.stores._sqlite_rows import COLUMNS
from timeline.stores._sqlite_text import encodable, entry_text, unindexed_types

__all__ = [
    "GATHER",
    "count_ids",
    "entry_text",
    "gather_parameters",
    "happening_ids",
    "held_ids",
    "last_day",
    "search",
]

MAX_SEQ = 2**63 - 1  # bigint's largest value.
"""Between an entry's texts: a needle spanning two only adds a candidate."""
_TRIGRAM = 3
"""The shortest needle whose trigrams the index holds."""

Connection = psycopg.Connection[Any]


def bounded(seq: int) -> int:
    """Return *seq* within what a bigint holds, for a parameter."""
    return max(min(seq, MAX_SEQ), -MAX_SEQ)


def held_ids(connection: Connection, event_ids: Collection[str], pin: int) -> set[str]:
    """Return which of *event_ids* a claim or response up to seq *pin* is about.

    Through the index of happening ids, in one statement that stops at
    the first entry found about each id; analyst entries
    are left out, as `timeline.model.rules.check_entries` leaves them out
    of the ids a log knows.
    """
    rows = connection.execute(
        f"SELECT i FROM unnest(%s::text[]) AS i WHERE EXISTS (SELECT FROM {TABLE} "  # noqa: S608  # fixed names
        "WHERE event_id = i AND seq <= %s AND type <> ALL(%s))",
        (sorted(set(event_ids)), bounded(pin), analyst_tags()),
    ).fetchall()
    return {event_id for (event_id,) in rows}


def happening_ids(connection: Connection, pin: int) -> list[str]:
    """Return every id a claim or response up to seq *pin* is about, each once."""
    rows = connection.execute(
        f"SELECT DISTINCT event_id FROM {TABLE} "  # noqa: S608  # fixed names
        "WHERE seq <= %s AND type <> ALL(%s)",
        (bounded(pin), analyst_tags()),
    ).fetchall()
    return [event_id for (event_id,) in rows]


def last_day(connection: Connection, pin: int) -> dt.date | None:
    """Return the latest publication day of an entry up to seq *pin*, if any.

    Down the index of publication days, to the first such entry.
    """
    row = connection.execute(
        f"SELECT published_day FROM {TABLE} WHERE seq <= %s "  # noqa: S608  # fixed names
        "ORDER BY published_day DESC LIMIT 1",
        (bounded(pin),),
    ).fetchone()
    if row is None:
        return None
    (number,) = row
    return dt.date(number // 10000, number // 100 % 100, number % 100)


def count_ids(
    connection: Connection,
    day: int,
    pin: int,
    voided: Collection[int],
    event_ids: Collection[str] | None,
) -> int:
    """Return how many ids the live claims and responses known on *day* name.

    Those published by *day* (a YYYYMMDD number), numbered up to *pin*,
    not among *voided*, and about one of *event_ids* if given (through the
    index of happening ids), counted by the server.
    """
    query = (
        f"SELECT count(DISTINCT event_id) FROM {TABLE} "  # noqa: S608  # fixed names
        "WHERE published_day <= %s AND seq <= %s AND type <> ALL(%s) "
        "AND seq <> ALL(%s)"
    )
    parameters: list[object] = [
        day,
        bounded(pin),
        analyst_tags(),
        sorted(bounded(seq) for seq in voided),
    ]
    if event_ids is not None:
        query += " AND event_id = ANY(%s)"
        parameters.append(sorted(event_ids))
    (found,) = connection.execute(query, parameters).fetchone() or (0,)
    return int(found)


def search(connection: Connection, text: str, pin: int) -> set[str] | None:
    """Return the happening ids of the entries up to *pin* whose texts hold *text*.

    Exactly those whose stored text holds the case-folded *text* (PostgreSQL
    rechecks every row the trigram index names against the ``LIKE``
    pattern), and those holding an entry of a type whose searched texts
    the index may lack (see ``timeline.stores._sqlite_text``). None when
    the index cannot answer: it does not cover the log up to *pin*, or
    covers more than the log holds (a wrong index, never trusted), or
    *text* is shorter than three characters once case-folded, or holds
    what the table cannot (a NUL, a lone surrogate).
    """
    needle = text.casefold()
    if len(needle) < _TRIGRAM or encodable(needle) != needle or "\x00" in needle:
        return None
    pattern = (
        "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    )
    covered, last, found = connection.execute(
        f"SELECT (SELECT coalesce(max(seq), 0) FROM {TEXT_TABLE}), "  # noqa: S608  # fixed names
        f"(SELECT coalesce(max(seq), 0) FROM {TABLE}), "
        f"ARRAY(SELECT DISTINCT e.event_id FROM {TEXT_TABLE} AS t "
        f"JOIN {TABLE} AS e ON e.seq = t.seq WHERE t.text LIKE %s AND t.seq <= %s)",
        (pattern, bounded(pin)),
    ).fetchone() or (0, 0, [])
    if covered < pin or covered > last:
        return None  # an index behind the question, or a wrong one
    ids = set(found)
    for tag, version in unindexed_types():
        ids.update(
            event_id
            for (event_id,) in connection.execute(
                f"SELECT DISTINCT event_id FROM {TABLE} "  # noqa: S608  # fixed names
                "WHERE type = %s AND schema_version < %s AND seq <= %s",
                (tag, version, bounded(pin)),
            )
        )
    return ids


GATHER = f"""
SELECT l.last, {", ".join("e." + column for column in COLUMNS)},
    (SELECT q.hash FROM {TABLE} AS q WHERE q.seq = e.seq - 1),
    e.event_id = ANY(%(ids)s) OR e.other_event_id = ANY(%(ids)s)
FROM (SELECT coalesce(max(seq), 0) AS last FROM {TABLE}) AS l
LEFT JOIN {TABLE} AS e ON e.seq + 0 <= least(l.last, %(seq)s::bigint) AND (
    e.event_id = ANY(%(ids)s)
    OR e.event_id = ANY(%(plain)s)
    OR (e.other_event_id = ANY(%(ids)s) AND e.type = ANY(%(links)s))
    OR e.type = ANY(%(withins)s)
)
ORDER BY e.seq
"""  # noqa: S608  # fixed names
"""A step of gathering what an answer about a happening reads: one round trip.

The log's last seq, then the rows up to the pin (``seq``, or that last
seq) about any of ``ids`` (the happenings reached so far) or ``plain`` (the
judgements of places, read but not followed), the merges, splits and
links naming any of ``ids`` by their other id (through the index of
``other_event_id``), and the entries of the types in ``withins``; each
with the hash of the row before it, and whether it names one of ``ids``.
One row of NULLs but the last seq when none is found. (``e.seq + 0``:
the pin filters the rows the indexes find, never scanned along seqs.)
"""


def gather_parameters(
    ids: Collection[str],
    plain: Collection[str],
    seq: int | None,
    *,
    first: bool,
) -> dict[str, object]:
    """Return the parameters of a step of `GATHER`: the first reads the places."""
    return {
        "ids": sorted(ids),
        "plain": sorted(plain),
        "seq": None if seq is None else bounded(seq),
        "links": link_types(),
        "withins": within_tags() if first else [],
    }


def link_types() -> list[str]:
    """Return the tags of the merges, splits and links a happening is followed by."""
    return sorted({SameAs.event_type, Split.event_type, *link_tags()})
