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

from timeline.model.events import AnalystEntry, registered_event_types

__all__ = ["count_ids", "happening_ids", "has_index", "holds_happening", "last_day"]

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
) -> int:
    """Return how many ids the live claims and responses known on *day* name.

    Those published by *day* (a YYYYMMDD number), numbered up to *pin*,
    not among *voided*, and about one of *event_ids* if given (through the
    index of happening ids), counted in SQLite's own code.
    """
    # Grouped rather than count(DISTINCT): along the index of ids, days
    # and types, which holds every column asked, with no sort.
    query = (
        "SELECT count(*) FROM (SELECT event_id FROM entries "  # noqa: S608  # fixed
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
    (found,) = connection.execute(query + " GROUP BY event_id)", parameters).fetchone()
    return int(found)


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
