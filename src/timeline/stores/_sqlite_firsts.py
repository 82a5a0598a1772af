# SPDX-License-Identifier: MIT
"""The first day each happening was reported: what counts a SQLite log's happenings.

Private to `timeline.stores.sqlite`. ``timeline_firsts`` holds one row per
happening id that a claim or response names (an analyst entry names none of
its own): the earliest publication day of those entries; and
``timeline_first_days`` one row per day: how many ids were first reported
that day. How many happenings were known on a day is then a sum over the
days before it, a few thousand rows for ten years, rather than a walk of
every entry (half a second at a million claims, ten times that at ten
million).

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
from typing import Any

from timeline.model.events import Amendment, Revocation, SameAs, Split
from timeline.stores._sqlite_schema import any_of
from timeline.stores._sqlite_text import DERIVED_TABLE, create_derived

__all__ = [
    "DAYS_TABLE",
    "FIRSTS_TABLE",
    "JUDGEMENTS_TABLE",
    "JUDGEMENT_COLUMNS",
    "JUDGEMENT_TAGS",
    "affected",
    "build",
    "counted",
    "covered",
    "judgements",
    "known",
    "note",
    "problems",
    "wrong",
    "wrong_days",
    "wrong_judgements",
]

FIRSTS_TABLE = "timeline_firsts"
JUDGEMENTS_TABLE = "timeline_judgements"
JUDGEMENT_TAGS = tuple(
    sorted(cls.event_type for cls in (Amendment, Revocation, SameAs, Split))
)
"""The analyst entries that bear on how many happenings are known."""
_TARGET_KEY = {Amendment.event_type: "voids", Revocation.event_type: "revokes"}
"""The key of the body naming what an entry bears on: else other_event_id."""
JUDGEMENT_COLUMNS = (
    "seq, type, event_id, CASE type "
    f"WHEN {Amendment.event_type!r} THEN json_extract(body, '$.voids') "
    f"WHEN {Revocation.event_type!r} THEN json_extract(body, '$.revokes') "
    "ELSE json_extract(body, '$.other_event_id') END, published_day"
)
"""A judgement's row, selected from the entries table."""
_NOT_ANALYST = "type NOT IN (SELECT value FROM json_each(?))"


def _name(analyst_tags: str) -> str:
    # The tables' row in the table of derived data: the layout's version
    # (2: with the table of judgements) and the analyst entry types.
    return f"firsts 2 {analyst_tags}"


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


DAYS_TABLE = "timeline_first_days"


def build(connection: sqlite3.Connection, analyst_tags: str) -> None:
    """Build the tables anew from the entries; call inside a write transaction."""
    create_derived(connection)
    connection.execute(
        f"CREATE TABLE IF NOT EXISTS {FIRSTS_TABLE} "
        "(event_id TEXT PRIMARY KEY, day INTEGER NOT NULL) WITHOUT ROWID"
    )
    connection.execute(
        f"CREATE TABLE IF NOT EXISTS {DAYS_TABLE} "
        "(day INTEGER PRIMARY KEY, ids INTEGER NOT NULL)"
    )
    connection.execute(
        f"CREATE TABLE IF NOT EXISTS {JUDGEMENTS_TABLE} (seq INTEGER PRIMARY KEY, "
        "type TEXT NOT NULL, event_id TEXT NOT NULL, target, day INTEGER NOT NULL)"
    )
    for table in (FIRSTS_TABLE, DAYS_TABLE, JUDGEMENTS_TABLE):
        connection.execute(f"DELETE FROM {table}")  # noqa: S608  # fixed names
    connection.execute(
        f"INSERT INTO {JUDGEMENTS_TABLE} (seq, type, event_id, target, day) "  # noqa: S608  # fixed names
        f"SELECT {JUDGEMENT_COLUMNS} FROM entries WHERE {any_of(JUDGEMENT_TAGS)}"
    )
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
        f"INSERT INTO {DAYS_TABLE} (day, ids) "  # noqa: S608  # fixed names
        f"SELECT day, count(*) FROM {FIRSTS_TABLE} GROUP BY day"
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
    Tables that do not cover the log up to *last_seq* are left as they
    are, never used, until a writable open builds them again.
    """
    if not rows or covered(connection, analyst_tags) != last_seq:
        return
    analyst = set(json.loads(analyst_tags))
    firsts: dict[str, int] = {}
    judgements = []
    for row in rows:
        type_, event_id, day = row[2], str(row[4]), int(row[5])  # type: ignore[call-overload]
        if type_ not in analyst:
            if day < firsts.get(event_id, day + 1):
                firsts[event_id] = day
        elif type_ in JUDGEMENT_TAGS:
            body = json.loads(str(row[6]))
            target = body.get(_TARGET_KEY.get(str(type_), "other_event_id"))
            judgements.append((row[0], type_, event_id, target, day))
    connection.executemany(
        f"INSERT INTO {JUDGEMENTS_TABLE} VALUES (?, ?, ?, ?, ?)",  # noqa: S608  # fixed names
        judgements,
    )
    held = dict(
        connection.execute(
            f"SELECT event_id, day FROM {FIRSTS_TABLE} "  # noqa: S608  # fixed names
            "WHERE event_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(firsts)),),
        )
    )
    moved: dict[int, int] = {}
    for event_id, day in list(firsts.items()):
        before = held.get(event_id)
        if before is not None and before <= day:
            del firsts[event_id]  # known earlier: nothing changes
            continue
        moved[day] = moved.get(day, 0) + 1
        if before is not None:
            moved[before] = moved.get(before, 0) - 1
    connection.executemany(
        f"INSERT OR REPLACE INTO {FIRSTS_TABLE} (event_id, day) VALUES (?, ?)",  # noqa: S608  # fixed names
        firsts.items(),
    )
    connection.executemany(
        f"INSERT INTO {DAYS_TABLE} (day, ids) VALUES (?, ?) "  # noqa: S608  # fixed names
        "ON CONFLICT (day) DO UPDATE SET ids = ids + excluded.ids",
        moved.items(),
    )
    connection.execute(
        f"UPDATE {DERIVED_TABLE} SET last_seq = ? WHERE name = ?",  # noqa: S608  # fixed names
        (last_seq + len(rows), _name(analyst_tags)),
    )


def counted(connection: sqlite3.Connection, day: int, left_out: Sequence[str]) -> int:
    """Return how many ids were first reported by *day*, but those *left_out*."""
    (total,) = connection.execute(
        f"SELECT coalesce(sum(ids), 0) FROM {DAYS_TABLE} WHERE day <= ?",  # noqa: S608  # fixed names
        (day,),
    ).fetchone()
    (out,) = connection.execute(
        f"SELECT count(*) FROM {FIRSTS_TABLE} WHERE day <= ? "  # noqa: S608  # fixed names
        "AND event_id IN (SELECT value FROM json_each(?))",
        (day, json.dumps(list(left_out))),
    ).fetchone()
    return int(total) - int(out)


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
    truth = (
        "SELECT event_id, min(published_day) FROM entries "  # noqa: S608  # fixed names
        f"WHERE {_NOT_ANALYST} GROUP BY event_id"
    )
    held = f"SELECT event_id, day FROM {FIRSTS_TABLE}"  # noqa: S608  # fixed names
    return _differences(connection, analyst_tags, truth, held, (analyst_tags,))


def wrong_days(connection: sqlite3.Connection, analyst_tags: str) -> list[int]:
    """Return the days whose count of first reports disagrees with the ids' rows.

    Empty when right, or when the tables are not used (see `wrong`).
    """
    truth = f"SELECT day, count(*) FROM {FIRSTS_TABLE} GROUP BY day"  # noqa: S608  # fixed names
    held = f"SELECT day, ids FROM {DAYS_TABLE} WHERE ids != 0"  # noqa: S608  # fixed names
    return _differences(connection, analyst_tags, truth, held)


def problems(
    connection: sqlite3.Connection, analyst_tags: str, where: str
) -> list[str]:
    """Return what is wrong with the tables of first days, said for `check`."""
    if covered(connection, analyst_tags) is None:
        return []  # no tables (an empty database, an older log): none used
    advice = (
        "the log itself is intact, only the count of happenings known on a day "
        f"is wrong: rebuild it with 'timeline check --rebuild {where}'"
    )
    found = []
    checked: tuple[tuple[list[Any], str], ...] = (
        (
            wrong(connection, analyst_tags),
            "{where}: the table of first days is wrong for happening {first!r}",
        ),
        (
            wrong_days(connection, analyst_tags),
            "{where}: the count of happenings first reported on day {first} is wrong",
        ),
        (
            wrong_judgements(connection, analyst_tags),
            "{where} seq {first}: the table of merges and amendments is wrong",
        ),
    )
    for wrong_ones, said in checked:
        if wrong_ones:
            more = f" (and {len(wrong_ones) - 1} more)" if len(wrong_ones) > 1 else ""
            shown = said.format(where=where, first=wrong_ones[0])
            found.append(f"{shown}{more}; {advice}")
    return found


def judgements(
    connection: sqlite3.Connection, pin: int, *, amendments_only: bool
) -> list[tuple[int, str, str, object, int]]:
    """Return the judgement rows up to seq *pin*, from the table of them."""
    only = f" AND type = {Amendment.event_type!r}" if amendments_only else ""
    rows = connection.execute(
        f"SELECT seq, type, event_id, target, day FROM {JUDGEMENTS_TABLE} "  # noqa: S608  # fixed names
        f"WHERE seq <= ?{only} ORDER BY seq",
        (pin,),
    )
    return list(rows)


def wrong_judgements(connection: sqlite3.Connection, analyst_tags: str) -> list[int]:
    """Return the seqs whose judgement row disagrees with the entries.

    Empty when right, or when the tables are not used (see `wrong`).
    """
    truth = (
        f"SELECT {JUDGEMENT_COLUMNS} FROM entries "  # noqa: S608  # fixed names
        f"WHERE {any_of(JUDGEMENT_TAGS)}"
    )
    held = f"SELECT seq, type, event_id, target, day FROM {JUDGEMENTS_TABLE}"  # noqa: S608  # fixed names
    return _differences(connection, analyst_tags, truth, held)


def _differences(
    connection: sqlite3.Connection,
    analyst_tags: str,
    truth: str,
    held: str,
    parameters: tuple[str, ...] = (),
) -> list[Any]:
    # The first column of each row in one of the queries *truth* (with its
    # *parameters*) and *held* but not the other, sorted: none when the
    # tables are not used, not covering the whole log.
    (last,) = connection.execute("SELECT coalesce(max(seq), 0) FROM entries").fetchone()
    if covered(connection, analyst_tags) != last:
        return []
    rows = connection.execute(
        f"SELECT * FROM ({truth} EXCEPT {held}) "  # noqa: S608  # fixed names
        f"UNION SELECT * FROM ({held} EXCEPT {truth}) ORDER BY 1",
        parameters * 2,
    )
    return sorted({row[0] for row in rows})
