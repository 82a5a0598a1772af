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
restores them: the first days are those of the live entries, as of the
log's end, and move when an append voids or restores one (see
``timeline.stores._sqlite_voids``, which keeps the voided seqs and what
merged happenings take off the count). The count of a day is then two
sums over days: the ids first reported by then, less the corrections of
the merged groups; it reads neither the entries nor the judgements, so it
costs the same at ten million claims as at a thousand.
"""

import json
import sqlite3
from collections.abc import Collection, Sequence
from typing import Any

from timeline.model.events import Amendment, Revocation
from timeline.projections.fold import voided_among
from timeline.stores import _sqlite_voids
from timeline.stores._counting import (
    JUDGEMENT_TAGS,
    MERGE_TAGS,
    by_day,
    new_firsts,
    taken_in,
)
from timeline.stores._sqlite_schema import any_of
from timeline.stores._sqlite_text import DERIVED_TABLE, create_derived

__all__ = [
    "DAYS_TABLE",
    "FIRSTS_TABLE",
    "JUDGEMENTS_TABLE",
    "JUDGEMENT_COLUMNS",
    "JUDGEMENT_TAGS",
    "build",
    "counted",
    "covered",
    "happenings",
    "judgements",
    "known",
    "note",
    "problems",
    "voided",
    "wrong",
    "wrong_corrections",
    "wrong_days",
    "wrong_judgements",
    "wrong_voided",
]

FIRSTS_TABLE = "timeline_firsts"
JUDGEMENTS_TABLE = "timeline_judgements"
JUDGEMENT_COLUMNS = (
    "seq, type, event_id, CASE type "
    f"WHEN {Amendment.event_type!r} THEN json_extract(body, '$.voids') "
    f"WHEN {Revocation.event_type!r} THEN json_extract(body, '$.revokes') "
    "ELSE json_extract(body, '$.other_event_id') END, published_day"
)
"""A judgement's row, selected from the entries table."""
_NOT_ANALYST = "type NOT IN (SELECT value FROM json_each(?))"
_LIVE_FIRSTS = (
    "SELECT event_id, min(published_day) FROM entries "  # noqa: S608  # fixed names
    f"WHERE {_NOT_ANALYST} "
    f"AND seq NOT IN (SELECT seq FROM {_sqlite_voids.VOIDED_TABLE})"
)
"""Each id's first day among its live claims and responses, to be grouped."""
_EVERY_SEQ = 2**63 - 1


def _name(analyst_tags: str) -> str:
    # The tables' row in the table of derived data: the layout's version
    # (3: first days of live entries only, with the voided seqs and the
    # corrections of merged groups) and the analyst entry types.
    return f"firsts 3 {analyst_tags}"


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
    _sqlite_voids.create(connection)
    _sqlite_voids.build(connection)
    connection.execute(
        f"INSERT INTO {FIRSTS_TABLE} (event_id, day) {_LIVE_FIRSTS} GROUP BY event_id",
        (analyst_tags,),
    )
    connection.execute(
        f"INSERT INTO {DAYS_TABLE} (day, ids) "  # noqa: S608  # fixed names
        f"SELECT day, count(*) FROM {FIRSTS_TABLE} GROUP BY day"
    )
    corrections = _sqlite_voids.expected_corrections(
        connection, judgements(connection, _EVERY_SEQ, amendments_only=False)
    )
    connection.executemany(
        f"INSERT INTO {_sqlite_voids.CORRECTIONS_TABLE} (root, day, delta) "  # noqa: S608  # fixed names
        "VALUES (?, ?, ?)",
        ((root, day, delta) for (root, day), delta in corrections.items()),
    )
    _sqlite_voids.add_days(connection, by_day(corrections))
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
    firsts, judged = taken_in(rows, set(json.loads(analyst_tags)))
    connection.executemany(
        f"INSERT INTO {JUDGEMENTS_TABLE} VALUES (?, ?, ?, ?, ?)",  # noqa: S608  # fixed names
        judged,
    )
    changed = _sqlite_voids.void(
        connection,
        (
            (seq, int(target))  # type: ignore[call-overload]
            for seq, type_, _, target, _ in judged
            if type_ == Amendment.event_type
        ),
        [int(row[0]) for row in rows],  # type: ignore[call-overload]
    )
    if changed:
        # The ids whose entries were voided or restored: their first days
        # are read again, from their live entries.
        again = _ids_of(connection, changed, analyst_tags)
        firsts = {key: day for key, day in firsts.items() if key not in again}
    else:
        again = set()
    moved: dict[int, int] = {}
    touched = _moved_firsts(connection, firsts, moved, analyst_tags, again)
    connection.executemany(
        f"INSERT INTO {DAYS_TABLE} (day, ids) VALUES (?, ?) "  # noqa: S608  # fixed names
        "ON CONFLICT (day) DO UPDATE SET ids = ids + excluded.ids",
        ((day, ids) for day, ids in sorted(moved.items()) if ids),
    )
    # The groups of merged happenings whose count may change: those of the
    # ids whose first day moved, of the merges and splits appended or
    # voided or restored, and of those a revocation appended, voided or
    # restored bears on.
    merges = {row[0] for row in judged if row[1] in _MERGE_TAGS}
    revocations = {row[0] for row in judged if row[1] == Revocation.event_type}
    for seq, type_ in _types_of(connection, changed):
        if type_ in _MERGE_TAGS:
            merges.add(seq)
        elif type_ == Revocation.event_type:
            revocations.add(seq)
    touched |= _named_by(connection, merges, revocations)
    if touched:
        _sqlite_voids.refresh(connection, touched)
    connection.execute(
        f"UPDATE {DERIVED_TABLE} SET last_seq = ? WHERE name = ?",  # noqa: S608  # fixed names
        (last_seq + len(rows), _name(analyst_tags)),
    )


_MERGE_TAGS = MERGE_TAGS


def _moved_firsts(
    connection: sqlite3.Connection,
    firsts: dict[str, int],
    moved: dict[int, int],
    analyst_tags: str,
    again: Collection[str],
) -> set[str]:
    # Writes the first days of *firsts* (an appended entry's day for each
    # id) where earlier than held, and of the ids *again* as read anew from
    # their live entries; adds to *moved* the change of each day's count,
    # and returns the ids whose first day changed.
    held = dict(
        connection.execute(
            f"SELECT event_id, day FROM {FIRSTS_TABLE} "  # noqa: S608  # fixed names
            "WHERE event_id IN (SELECT value FROM json_each(?))",
            (json.dumps([*firsts, *again]),),
        )
    )
    read = (
        dict(
            connection.execute(
                f"{_LIVE_FIRSTS} AND event_id IN (SELECT value FROM json_each(?)) "  # noqa: S608  # fixed names
                "GROUP BY event_id",
                (analyst_tags, json.dumps(sorted(again))),
            )
        )
        if again
        else {}
    )
    new, changes = new_firsts(firsts, held, again, read)
    for day, change in changes.items():
        moved[day] = moved.get(day, 0) + change
    connection.executemany(
        f"INSERT OR REPLACE INTO {FIRSTS_TABLE} (event_id, day) VALUES (?, ?)",  # noqa: S608  # fixed names
        ((event_id, day) for event_id, day in new.items() if day is not None),
    )
    connection.executemany(
        f"DELETE FROM {FIRSTS_TABLE} WHERE event_id = ?",  # noqa: S608  # fixed names
        ((event_id,) for event_id, day in new.items() if day is None),
    )
    return set(new)


def _ids_of(
    connection: sqlite3.Connection, seqs: Collection[int], analyst_tags: str
) -> set[str]:
    # The ids the claims and responses among *seqs* are about.
    rows = connection.execute(
        "SELECT event_id FROM entries "  # noqa: S608  # fixed names
        f"WHERE seq IN (SELECT value FROM json_each(?)) AND {_NOT_ANALYST}",
        (json.dumps(sorted(seqs)), analyst_tags),
    )
    return {event_id for (event_id,) in rows}


def _types_of(
    connection: sqlite3.Connection, seqs: Collection[int]
) -> list[tuple[int, str]]:
    # The judgements among *seqs*, with their type tags.
    if not seqs:
        return []
    return connection.execute(
        f"SELECT seq, type FROM {JUDGEMENTS_TABLE} "  # noqa: S608  # fixed names
        "WHERE seq IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(seqs)),),
    ).fetchall()


def _named_by(
    connection: sqlite3.Connection,
    merges: Collection[int],
    revocations: Collection[int],
) -> set[str]:
    # The ids the merges and splits *merges* name, and those the merges
    # and splits the revocations *revocations* revoke name.
    if not merges and not revocations:
        return set()
    rows = connection.execute(
        f"SELECT event_id, target FROM {JUDGEMENTS_TABLE} "  # noqa: S608  # fixed names
        "WHERE type IN (?, ?) AND (seq IN (SELECT value FROM json_each(?)) "
        f"OR seq IN (SELECT target FROM {JUDGEMENTS_TABLE} "
        "WHERE seq IN (SELECT value FROM json_each(?))))",
        (*_MERGE_TAGS, json.dumps(sorted(merges)), json.dumps(sorted(revocations))),
    )
    return {str(each) for row in rows for each in row}


def counted(connection: sqlite3.Connection, day: int) -> int:
    """Return how many ids were first reported by *day*, by live entries."""
    (total,) = connection.execute(
        f"SELECT coalesce(sum(ids), 0) FROM {DAYS_TABLE} WHERE day <= ?",  # noqa: S608  # fixed names
        (day,),
    ).fetchone()
    return int(total)


def voided(
    connection: sqlite3.Connection, among: Collection[int] | None = None
) -> set[int]:
    """Return the seqs the table of voided entries holds, or those *among* them."""
    query = f"SELECT seq FROM {_sqlite_voids.VOIDED_TABLE}"  # noqa: S608  # fixed names
    if among is None:
        return {seq for (seq,) in connection.execute(query)}
    query += " WHERE seq IN (SELECT value FROM json_each(?))"
    return {seq for (seq,) in connection.execute(query, (json.dumps(sorted(among)),))}


def happenings(connection: sqlite3.Connection, day: int) -> int:
    """Return how many happenings were known by *day*: merged groups once each."""
    return counted(connection, day) - _sqlite_voids.corrected(connection, day)


def known(
    day: int, event_ids: Collection[str] | None
) -> tuple[str, tuple[object, ...]]:
    """Return the query of the ids the table knows by *day*.

    Those of *event_ids* if given; ``SELECT event_id FROM ...``, to be
    counted or listed.
    """
    query = f"SELECT event_id FROM {FIRSTS_TABLE} WHERE day <= ?"  # noqa: S608  # fixed names
    parameters: tuple[object, ...] = (day,)
    if event_ids is not None:
        query += " AND event_id IN (SELECT value FROM json_each(?))"
        parameters += (json.dumps(sorted(event_ids)),)
    return query, parameters


def wrong(connection: sqlite3.Connection, analyst_tags: str) -> list[str]:
    """Return the happening ids whose row disagrees with the entries, sorted.

    A row missing, extra, or with another day than the earliest of its
    id's live claims and responses (those the table of voided seqs does
    not hold, which `wrong_voided` checks): empty when the table is right, or when it
    is not used (it does not cover the whole log, or is missing), since
    then nothing reads it.
    """
    truth = f"{_LIVE_FIRSTS} GROUP BY event_id"
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
        (
            wrong_voided(connection, analyst_tags),
            "{where} seq {first}: the table of voided entries is wrong",
        ),
        (
            wrong_corrections(connection, analyst_tags),
            "{where}: the count of merged happenings is wrong on day {first}",
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


def wrong_voided(connection: sqlite3.Connection, analyst_tags: str) -> list[int]:
    """Return the seqs the table of voided entries holds wrongly, or lacks.

    Worked out from the amendments in the entries themselves. Empty when
    right, or when the tables are not used (see `wrong`).
    """
    if not _used(connection, analyst_tags):
        return []
    amendments = connection.execute(
        "SELECT seq, json_extract(body, '$.voids') FROM entries "  # noqa: S608  # fixed names
        f"WHERE {any_of((Amendment.event_type,))}"
    )
    truth = voided_among((int(seq), int(target)) for seq, target in amendments)
    return sorted(truth ^ voided(connection))


def wrong_corrections(connection: sqlite3.Connection, analyst_tags: str) -> list[int]:
    """Return the days whose correction for merged happenings is wrong.

    Worked out whole from the judgements in the entries, with the voided
    seqs and the first days as held (which `wrong_voided` and `wrong`
    check), and compared with each group's rows and their sums by day.
    Empty when right, or when the tables are not used (see `wrong`).
    """
    if not _used(connection, analyst_tags):
        return []
    truth = _sqlite_voids.expected_corrections(
        connection,
        connection.execute(
            f"SELECT {JUDGEMENT_COLUMNS} FROM entries "  # noqa: S608  # fixed names
            f"WHERE {any_of(JUDGEMENT_TAGS)}"
        ),
    )
    held = {
        (root, day): delta
        for root, day, delta in connection.execute(
            f"SELECT root, day, delta FROM {_sqlite_voids.CORRECTIONS_TABLE}"  # noqa: S608  # fixed names
        )
    }
    days = by_day(truth)
    summed = dict(
        connection.execute(
            f"SELECT day, delta FROM {_sqlite_voids.CORRECTION_DAYS_TABLE} "  # noqa: S608  # fixed names
            "WHERE delta != 0"
        )
    )
    found = {key[1] for key, _ in truth.items() ^ held.items()}
    found |= {day for day, _ in days.items() ^ summed.items()}
    return sorted(found)


def _used(connection: sqlite3.Connection, analyst_tags: str) -> bool:
    # Whether the tables cover the whole log, hence are used.
    (last,) = connection.execute("SELECT coalesce(max(seq), 0) FROM entries").fetchone()
    return covered(connection, analyst_tags) == int(last)
