# SPDX-License-Identifier: MIT
"""The lookups a SQLite log answers in SQL, for a log that is not loaded.

Private to `timeline.stores.sqlite`, whose `SQLiteStore` methods of
`timeline.stores.IndexedStore` call these: whether an id is known, which
ids are, the latest publication day, and how many ids were known on a day.
Each reads the index columns only (``seq``, ``type``, ``event_id``,
``published_day``), never a body.
"""

import datetime as dt
import json
import sqlite3
from collections.abc import Collection, Iterator

from timeline.model.events import (
    AnalystEntry,
    registered_event_types,
)
from timeline.stores import _sqlite_firsts
from timeline.stores._sqlite_firsts import JUDGEMENT_COLUMNS, JUDGEMENT_TAGS
from timeline.stores._sqlite_schema import AMENDMENT_TAGS, ANALYST_TAGS, any_of

__all__ = [
    "count_happenings",
    "count_ids",
    "happening_ids",
    "has_index",
    "holds_happening",
    "judgement_rows",
    "last_day",
    "live_ids",
    "voided_among",
]

_NOT_ANALYST = "type NOT IN (SELECT value FROM json_each(?))"
"""Claims and responses: the analyst's entries name no happening of their own."""


def holds_happening(connection: sqlite3.Connection, event_id: str, pin: int) -> bool:
    """Return whether a claim or response up to seq *pin* is about *event_id*.

    Through the index of happening ids; analyst entries are left out, as
    `timeline.model.rules.check_entries` leaves them out of the ids a log
    knows.
    """
    query = (
        "SELECT 1 FROM entries WHERE event_id = ? AND seq <= ? "  # noqa: S608  # fixed
        f"AND {_NOT_ANALYST} LIMIT 1"
    )
    row = connection.execute(query, (event_id, pin, analyst_tags())).fetchone()
    return row is not None


def happening_ids(connection: sqlite3.Connection, pin: int) -> Iterator[str]:
    """Return every id a claim or response up to seq *pin* is about, each once."""
    query = (
        "SELECT DISTINCT event_id FROM entries "  # noqa: S608  # fixed names
        f"WHERE seq <= ? AND {_NOT_ANALYST}"
    )
    rows = connection.execute(query, (pin, analyst_tags())).fetchall()
    return (event_id for (event_id,) in rows)


def last_day(connection: sqlite3.Connection, pin: int) -> dt.date | None:
    """Return the latest publication day of an entry up to seq *pin*, if any.

    Down the index of publication days, to the first such entry.
    """
    row = connection.execute(
        "SELECT published_day FROM entries WHERE seq <= ? "
        "ORDER BY published_day DESC LIMIT 1",
        (pin,),
    ).fetchone()
    if row is None:
        return None
    (number,) = row
    return dt.date(number // 10000, number // 100 % 100, number % 100)


def count_ids(
    connection: sqlite3.Connection,
    day: int,
    pin: int,
    voided: Collection[int],
    event_ids: Collection[str] | None = None,
    *,
    last_seq: int,
) -> int:
    """Return how many ids the live claims and responses known on *day* name.

    Those published by *day* (a YYYYMMDD number), numbered up to *pin*,
    not among *voided*, and about one of *event_ids* if given, counted in
    SQLite's own code: from the tables of first days when they cover the
    whole log, up to *last_seq*, and *pin* is that seq (see
    ``timeline.stores._sqlite_firsts``), else along the index of ids.
    """
    tables = _firsts_answer(connection, pin, last_seq, voided)
    if event_ids is None and tables:
        return _sqlite_firsts.counted(connection, day)
    query, parameters = _split(day, pin, voided, event_ids, tables=tables)
    (found,) = connection.execute(
        f"SELECT count(*) FROM ({query})",  # noqa: S608  # fixed names
        parameters,
    ).fetchone()
    return int(found)


def count_happenings(
    connection: sqlite3.Connection, day: int, pin: int, *, last_seq: int
) -> int | None:
    """Return how many happenings were known on *day*, merged ones once each.

    From the tables of first days and of corrections for merged groups
    (see ``timeline.stores._sqlite_firsts``), which count the entries the
    amendments leave live; None when they cannot answer: they do not
    cover the whole log up to *last_seq*, or *pin* is not that seq.
    """
    if not _firsts_answer(connection, pin, last_seq):
        return None
    return _sqlite_firsts.happenings(connection, day)


def voided_among(
    connection: sqlite3.Connection, seqs: Collection[int], pin: int, *, last_seq: int
) -> set[int] | None:
    """Return which of *seqs* the amendments void, from the table of them.

    None when the table cannot answer: it does not cover the whole log up
    to *last_seq*, or *pin* is not that seq.
    """
    if not _firsts_answer(connection, pin, last_seq):
        return None
    return _sqlite_firsts.voided(connection, seqs)


def live_ids(
    connection: sqlite3.Connection,
    day: int,
    pin: int,
    voided: Collection[int],
    event_ids: Collection[str] | None = None,
    *,
    last_seq: int,
) -> set[str]:
    """Return the ids `count_ids` counts."""
    tables = _firsts_answer(connection, pin, last_seq, voided)
    query, parameters = _split(day, pin, voided, event_ids, tables=tables)
    return {event_id for (event_id,) in connection.execute(query, parameters)}


def _split(
    day: int,
    pin: int,
    voided: Collection[int],
    event_ids: Collection[str] | None,
    *,
    tables: bool,
) -> tuple[str, tuple[object, ...]]:
    # The query of the ids known on *day*: from the table of first days if
    # it can answer (*tables*: its days are those of the live entries as of
    # the log's end, which *voided* then names), else from the entries.
    if tables:
        return _sqlite_firsts.known(day, event_ids)
    return _scan(day, pin, voided, event_ids)


def _firsts_answer(
    connection: sqlite3.Connection,
    pin: int,
    last_seq: int,
    voided: Collection[int] | None = None,
) -> bool:
    # Whether the tables of first days can answer as of *pin*, leaving out
    # the entries *voided* (if given): those the amendments of the whole
    # log void, which the tables leave out.
    return (
        pin == last_seq
        and _sqlite_firsts.covered(connection, analyst_tags()) == last_seq
        and (voided is None or _sqlite_firsts.voided(connection) == set(voided))
    )


def _scan(
    day: int, pin: int, voided: Collection[int], event_ids: Collection[str] | None
) -> tuple[str, tuple[object, ...]]:
    # The ids known on *day* up to *pin*, from the entries, as a query.
    # Grouped rather than DISTINCT: along the index of ids, days and
    # types, which holds every column asked, with no sort.
    query = (
        "SELECT event_id FROM entries "  # noqa: S608  # fixed
        f"WHERE published_day <= ? AND seq <= ? AND {_NOT_ANALYST} "
        "AND seq NOT IN (SELECT value FROM json_each(?))"
    )
    parameters: tuple[object, ...] = (
        day,
        pin,
        analyst_tags(),
        json.dumps(sorted(voided)),
    )
    if event_ids is not None:
        query += " AND event_id IN (SELECT value FROM json_each(?))"
        parameters += (json.dumps(sorted(event_ids)),)
    return query + " GROUP BY event_id", parameters


def has_index(connection: sqlite3.Connection, name: str) -> bool:
    """Return whether the database has the index *name*."""
    row = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
    ).fetchone()
    return row is not None


def analyst_tags() -> str:
    """Return the tags of the registered analyst entry types, as a JSON list.

    Made again only when the registry has changed since the last call: an
    append looks happenings up with it, and listing the registry each
    time would cost more than the lookup.
    """
    registered = tuple(registered_event_types().items())
    made = _analyst_tags.get(registered)
    if made is None:
        made = json.dumps(
            sorted(tag for tag, cls in registered if issubclass(cls, AnalystEntry))
        )
        _analyst_tags.clear()
        _analyst_tags[registered] = made
    return made


_analyst_tags: dict[tuple[tuple[str, type], ...], str] = {}
"""The last answer of `analyst_tags`, by the registry it was made from."""


def judgement_rows(
    connection: sqlite3.Connection,
    pin: int,
    *,
    amendments_only: bool,
    analyst_index: str | None,
    last_seq: int,
) -> list[tuple[int, str, str, object, int]]:
    """Return the built-in amendments, revocations, merges and splits up to *pin*.

    Each as (seq, type tag, event id, target, publication day as YYYYMMDD),
    the target being the seq an amendment voids or a revocation revokes, or
    the other id a merge or split names, no entry decoded: from the table
    of them when it covers the log up to *last_seq* (see
    ``timeline.stores._sqlite_firsts``), else read from the index columns
    and the body's one key in SQLite's own code. Only the amendments if
    *amendments_only* (through their own index), else through
    *analyst_index* (the partial index of analyst entries) if named.
    """
    if _sqlite_firsts.covered(connection, analyst_tags()) == last_seq:
        return _sqlite_firsts.judgements(
            connection, pin, amendments_only=amendments_only
        )
    if amendments_only:
        where = f"seq <= ? AND {any_of(AMENDMENT_TAGS)}"
        hint = ""
    else:
        where = f"seq <= ? AND {any_of(ANALYST_TAGS)} AND {any_of(JUDGEMENT_TAGS)}"
        hint = "" if analyst_index is None else f"INDEXED BY {analyst_index} "
    rows = connection.execute(
        f"SELECT {JUDGEMENT_COLUMNS} FROM entries {hint}WHERE {where} ORDER BY seq",  # noqa: S608  # fixed names
        (pin,),
    )
    return list(rows)
