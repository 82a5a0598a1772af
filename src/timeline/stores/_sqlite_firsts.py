# SPDX-License-Identifier: MIT
"""The first day each happening was reported: what counts a SQLite log's happenings.

Private to `timeline.stores.sqlite`. ``timeline_firsts`` holds one row per
happening id that a claim or response names (an analyst entry names none of
its own): the earliest publication day of those entries, indexed. How many
happenings were known on a day is then a range of that index, as long as
the log has happenings, rather than a walk of every entry, as long as the
log has entries: at a million claims, a few hundredths of a second instead
of half a second, and ten times that at ten million.

The table is derived data, kept like the text index (see
``timeline.stores._sqlite_text``): its row in ``timeline_derived`` names
the last seq it covers, written in the same transaction as the entries;
only a table covering the whole log is used, and a writable open of a log
it does not cover (made or appended to by an older timeline) builds it
again in one statement. Its name there holds the analyst entry types it
was built with, so that a process registering types of its own never
trusts a table that counts them differently.

An amendment voids entries whatever their day, and voiding an amendment
restores them: the table ignores both. The few happenings a voided entry
names are counted from their entries instead, at the time of the question,
and the rest from the table.
"""

import json
import sqlite3
from collections.abc import Collection, Sequence

from timeline.stores._sqlite_text import DERIVED_TABLE, create_derived

__all__ = ["FIRSTS_TABLE", "affected", "build", "covered", "known", "note", "wrong"]

FIRSTS_TABLE = "timeline_firsts"
_NOT_ANALYST = "type NOT IN (SELECT value FROM json_each(?))"


def _name(analyst_tags: str) -> str:
    # The table's row in the table of derived data.
    return f"firsts {analyst_tags}"


def covered(connection: sqlite3.Connection, analyst_tags: str) -> int | None:
    """Return the last seq the table covers, built with *analyst_tags*, or None."""
    try:
        row = connection.execute(
            f"SELECT last_seq FROM {DERIVED_TABLE} WHERE name = ?",  # noqa: S608  # fixed names
            (_name(analyst_tags),),
        ).fetchone()
    except sqlite3.OperationalError:
        return None  # no table of derived data: a log older than it
    return None if row is None else int(row[0])


def build(connection: sqlite3.Connection, analyst_tags: str) -> None:
    """Build the table anew from the entries; call inside a write transaction."""
    create_derived(connection)
    connection.execute(
        f"CREATE TABLE IF NOT EXISTS {FIRSTS_TABLE} "
        "(event_id TEXT PRIMARY KEY, day INTEGER NOT NULL) WITHOUT ROWID"
    )
    connection.execute(
        f"CREATE INDEX IF NOT EXISTS {FIRSTS_TABLE}_day ON {FIRSTS_TABLE} (day)"
    )
    connection.execute(f"DELETE FROM {FIRSTS_TABLE}")  # noqa: S608  # fixed names
    connection.execute(
        f"DELETE FROM {DERIVED_TABLE} WHERE name LIKE 'firsts %'"  # noqa: S608  # fixed names
    )
    connection.execute(
        f"INSERT INTO {FIRSTS_TABLE} (event_id, day) "  # noqa: S608  # fixed names
        f"SELECT event_id, min(published_day) FROM entries WHERE {_NOT_ANALYST} "
        "GROUP BY event_id",
        (analyst_tags,),
    )
    connection.execute(
        f"INSERT INTO {DERIVED_TABLE} (name, last_seq) "  # noqa: S608  # fixed names
        "SELECT ?, coalesce(max(seq), 0) FROM entries",
        (_name(analyst_tags),),
    )


def note(
    connection: sqlite3.Connection,
    rows: Sequence[Sequence[object]],
    *,
    last_seq: int,
    analyst_tags: str,
) -> None:
    """Take in the appended *rows* (as `timeline.stores.sqlite` writes them).

    They follow *last_seq*; call inside the transaction that writes them.
    A table that does not cover the log up to *last_seq* is left as it is,
    never used, until a writable open builds it again.
    """
    if not rows or covered(connection, analyst_tags) != last_seq:
        return
    analyst = set(json.loads(analyst_tags))
    firsts: dict[object, object] = {}
    for row in rows:
        type_, event_id, day = row[2], row[4], row[5]
        if type_ not in analyst:
            known = firsts.get(event_id)
            if known is None or day < known:  # type: ignore[operator]
                firsts[event_id] = day
    connection.executemany(
        f"INSERT INTO {FIRSTS_TABLE} (event_id, day) VALUES (?, ?) "  # noqa: S608  # fixed names
        "ON CONFLICT (event_id) DO UPDATE SET day = excluded.day "
        "WHERE excluded.day < day",
        firsts.items(),
    )
    connection.execute(
        f"UPDATE {DERIVED_TABLE} SET last_seq = ? WHERE name = ?",  # noqa: S608  # fixed names
        (last_seq + len(rows), _name(analyst_tags)),
    )


def affected(
    connection: sqlite3.Connection, voided: Collection[int], analyst_tags: str
) -> list[str]:
    """Return the happening ids the claims and responses among *voided* name."""
    if not voided:
        return []
    rows = connection.execute(
        "SELECT DISTINCT event_id FROM entries "  # noqa: S608  # fixed names
        f"WHERE seq IN (SELECT value FROM json_each(?)) AND {_NOT_ANALYST} "
        "ORDER BY event_id",
        (json.dumps(sorted(voided)), analyst_tags),
    )
    return [event_id for (event_id,) in rows]


def known(
    day: int, left_out: Sequence[str], event_ids: Collection[str] | None
) -> tuple[str, tuple[object, ...]]:
    """Return the query of the ids the table knows by *day*, but *left_out*.

    Those of *event_ids* if given; ``SELECT event_id FROM ...``, to be
    counted or listed.
    """
    query = (
        f"SELECT event_id FROM {FIRSTS_TABLE} WHERE day <= ? "  # noqa: S608  # fixed names
        "AND event_id NOT IN (SELECT value FROM json_each(?))"
    )
    parameters: tuple[object, ...] = (day, json.dumps(list(left_out)))
    if event_ids is not None:
        query += " AND event_id IN (SELECT value FROM json_each(?))"
        parameters += (json.dumps(sorted(event_ids)),)
    return query, parameters


def wrong(connection: sqlite3.Connection, analyst_tags: str) -> list[str]:
    """Return the happening ids whose row disagrees with the entries, sorted.

    A row missing, extra, or with another day than the earliest of its
    id's claims and responses: empty when the table is right, or when it
    is not used (it does not cover the whole log, or is missing), since
    then nothing reads it.
    """
    (last,) = connection.execute("SELECT coalesce(max(seq), 0) FROM entries").fetchone()
    if covered(connection, analyst_tags) != last:
        return []
    truth = (
        "SELECT event_id, min(published_day) FROM entries "  # noqa: S608  # fixed names
        f"WHERE {_NOT_ANALYST} GROUP BY event_id"
    )
    held = f"SELECT event_id, day FROM {FIRSTS_TABLE}"  # noqa: S608  # fixed names
    rows = connection.execute(
        f"SELECT event_id FROM ({truth} EXCEPT {held}) "  # noqa: S608  # fixed names
        f"UNION SELECT event_id FROM ({held} EXCEPT {truth}) ORDER BY event_id",
        (analyst_tags, analyst_tags),
    )
    return [event_id for (event_id,) in rows]
