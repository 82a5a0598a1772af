# SPDX-License-Identifier: MIT
"""The tables that count a PostgreSQL log's happenings, kept per append.

Private to `timeline.stores.postgresql`. The same tables as a SQLite log
keeps (see ``timeline.stores._sqlite_firsts`` and
``timeline.stores._sqlite_voids``, whose docstrings say what each holds),
in the schema of the log's table:

- ``timeline_firsts`` (event_id, day): each happening's first day among
  its live claims and responses, and ``timeline_first_days`` (day, ids):
  how many ids were first reported that day;
- ``timeline_judgements`` (seq, type, event_id, target, day): the
  amendments, revocations, merges and splits, the target as text;
- ``timeline_voided`` (seq): the entries the live amendments void;
- ``timeline_corrections`` (root, day, delta) and
  ``timeline_correction_days`` (day, delta): how much the merged groups
  take off the count, from day to day.

How many happenings were known on a day is then two sums over days, read
in one statement whatever the log's size. The tables are kept in each
append's transaction, under the writer lock, and the row of
``timeline_derived`` (name, last_seq) names the last seq they cover:
tables that do not cover the whole log (appended to by a role that may
not write them, or by an older timeline) are never used, and the owner's
next writable open builds them again. The row's name holds the analyst
entry types the tables were built with, as SQLite's does. The owner
builds them granting the roles the log's table is granted to: reading to
those that may read it, writing to those that may append.

The work that needs no SQL (an appended batch's rows, the components of
merged happenings and their changes, the walk down a chain of
amendments) is ``timeline.stores._counting``'s, shared with SQLite.
"""

import contextlib
import datetime as dt
import json
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import psycopg
from psycopg import sql

from timeline.projections.fold import voided_among
from timeline.stores._counting import (
    AMENDMENT,
    JUDGEMENT_TAGS,
    MERGE_TAGS,
    REVOCATION,
    Row,
    by_day,
    corrections,
    new_firsts,
    split,
    steps,
    taken_in,
    void_down,
)
from timeline.stores._pg_schema import TABLE, analyst_tags, grant_like
from timeline.stores._sqlite_rows import day_number

__all__ = [
    "COUNT_TABLES",
    "DERIVED_TABLE",
    "Counted",
    "Counts",
    "build",
    "covered",
    "ensure",
    "happenings",
    "note",
    "problems",
    "truth",
    "voided",
    "writable",
]

Connection = psycopg.Connection[Any]

FIRSTS = "timeline_firsts"
DAYS = "timeline_first_days"
JUDGEMENTS = "timeline_judgements"
VOIDED = "timeline_voided"
CORRECTIONS = "timeline_corrections"
CORRECTION_DAYS = "timeline_correction_days"
DERIVED_TABLE = "timeline_derived"
COUNT_TABLES = (FIRSTS, DAYS, JUDGEMENTS, VOIDED, CORRECTIONS, CORRECTION_DAYS)
"""The tables of counts, without the table of derived data naming their cover."""

_IRREGULAR = (
    f"type = '{AMENDMENT}' "
    f"AND CASE WHEN type = '{AMENDMENT}' THEN target::bigint >= seq ELSE false END"
)
"""An amendment voiding itself or a later seq, which the log's rules refuse."""
_SCHEMA = (
    f"CREATE TABLE IF NOT EXISTS {DERIVED_TABLE} "
    "(name text PRIMARY KEY, last_seq bigint NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {FIRSTS} "
    "(event_id text PRIMARY KEY, day integer NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {DAYS} (day integer PRIMARY KEY, ids bigint NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {JUDGEMENTS} (seq bigint PRIMARY KEY, "
    "type text NOT NULL, event_id text NOT NULL, target text, day integer NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {JUDGEMENTS}_target ON {JUDGEMENTS} (target, type)",
    f"CREATE INDEX IF NOT EXISTS {JUDGEMENTS}_id ON {JUDGEMENTS} (event_id, type)",
    # Only the amendments the rules refuse: looked for at each append.
    f"CREATE INDEX IF NOT EXISTS {JUDGEMENTS}_irregular ON {JUDGEMENTS} (seq) "
    f"WHERE {_IRREGULAR}",
    f"CREATE TABLE IF NOT EXISTS {VOIDED} (seq bigint PRIMARY KEY)",
    f"CREATE TABLE IF NOT EXISTS {CORRECTIONS} (root text NOT NULL, "
    "day integer NOT NULL, delta integer NOT NULL, PRIMARY KEY (root, day))",
    f"CREATE TABLE IF NOT EXISTS {CORRECTION_DAYS} "
    "(day integer PRIMARY KEY, delta bigint NOT NULL)",
)
_NUMBERED = (AMENDMENT, REVOCATION)
"""The judgements whose target is a seq."""
_LAST = f"(SELECT coalesce(max(seq), 0) FROM {TABLE})"  # noqa: S608  # fixed names
_MARKER = f"(SELECT last_seq FROM {DERIVED_TABLE} WHERE name = %s)"  # noqa: S608  # fixed names


def _name(analyst: Sequence[str]) -> str:
    # The tables' row in the table of derived data: the layout's version
    # and the analyst entry types.
    return f"counts 1 {json.dumps(sorted(analyst))}"


def _typed(row: Sequence[Any]) -> Row:
    # A judgement row as read: an amendment's or revocation's target a seq.
    seq, type_, event_id, target, day = row
    if type_ in _NUMBERED and target is not None:
        target = int(target)
    return (int(seq), str(type_), str(event_id), target, int(day))


def _text(target: object) -> str | None:
    return None if target is None else str(target)


def covered(connection: Connection, analyst: Sequence[str]) -> int | None:
    """Return the last seq the tables cover, built for *analyst* types, or None."""
    try:
        with connection.transaction():
            row = connection.execute(
                _MARKER[1:-1],  # fixed names
                (_name(analyst),),
            ).fetchone()
    except (psycopg.errors.UndefinedTable, psycopg.errors.InsufficientPrivilege):
        return None
    return None if row is None or row[0] is None else int(row[0])


def writable(connection: Connection) -> bool:
    """Return whether this role may write every table of counts."""
    row = connection.execute(
        "SELECT bool_and(coalesce(has_table_privilege(to_regclass(t), p), false)) "
        "FROM unnest(%s::text[]) AS t CROSS JOIN unnest(%s::text[]) AS p",
        ([DERIVED_TABLE, *COUNT_TABLES], ["INSERT", "UPDATE", "DELETE"]),
    ).fetchone()
    return bool(row is not None and row[0])


@attrs.frozen
class Counts:
    """What the tables of counts hold, or must hold: worked out from the entries."""

    firsts: dict[str, int]
    days: dict[int, int]
    judgements: list[Row]
    voided: set[int]
    corrections: dict[tuple[str, int], int]
    correction_days: dict[int, int]


def truth(connection: Connection, analyst: Sequence[str]) -> Counts:
    """Return what the tables must hold, worked out whole from the entries."""
    rows = connection.execute(
        f"SELECT seq, NULL, type, NULL, event_id, published_day, body FROM {TABLE} "  # noqa: S608  # fixed names
        "WHERE type = ANY(%s) ORDER BY seq",
        (list(JUDGEMENT_TAGS),),
    )
    _, judgements = taken_in(rows, JUDGEMENT_TAGS)
    voided = voided_among(
        (seq, int(target))  # type: ignore[call-overload]
        for seq, type_, _, target, _ in judgements
        if type_ == AMENDMENT
    )
    firsts = {
        str(event_id): int(day)
        for event_id, day in connection.execute(
            f"SELECT event_id, min(published_day) FROM {TABLE} "  # noqa: S608  # fixed names
            "WHERE type <> ALL(%s) AND seq <> ALL(%s) GROUP BY event_id",
            (list(analyst), sorted(voided)),
        )
    }
    days: dict[int, int] = {}
    for day in firsts.values():
        days[day] = days.get(day, 0) + 1
    changes = corrections(judgements, voided, firsts)
    return Counts(firsts, days, judgements, voided, changes, by_day(changes))


def build(connection: Connection, analyst: Sequence[str]) -> None:
    """Make the tables afresh from the entries, granted as the log's table is.

    Call inside a transaction holding the write lock, as the tables' owner.
    """
    for statement in _SCHEMA:
        connection.execute(statement)
    for table in COUNT_TABLES:
        connection.execute(f"DELETE FROM {table}")  # noqa: S608  # fixed names
    counts = truth(connection, analyst)
    tables: tuple[tuple[str, Iterable[Sequence[object]]], ...] = (
        (FIRSTS, counts.firsts.items()),
        (DAYS, counts.days.items()),
        (JUDGEMENTS, ((*row[:3], _text(row[3]), row[4]) for row in counts.judgements)),
        (VOIDED, ((seq,) for seq in sorted(counts.voided))),
        (CORRECTIONS, ((*key, delta) for key, delta in counts.corrections.items())),
        (CORRECTION_DAYS, counts.correction_days.items()),
    )
    with connection.cursor() as cursor:
        for table, rows in tables:
            with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    connection.execute(
        f"INSERT INTO {DERIVED_TABLE} (name, last_seq) SELECT %s, {_LAST} "
        "ON CONFLICT (name) DO UPDATE SET last_seq = excluded.last_seq",
        (_name(analyst),),
    )
    connection.execute(
        f"DELETE FROM {DERIVED_TABLE} WHERE name LIKE 'counts %%' AND name <> %s",  # noqa: S608  # fixed names
        (_name(analyst),),
    )
    for table in (DERIVED_TABLE, *COUNT_TABLES):
        grant_like(connection, table, write=("INSERT", "UPDATE", "DELETE"))


def ensure(connection: Connection, lock_key: int) -> None:
    """Build the tables if they do not cover the log, as its owner; else nothing.

    In a transaction of its own, holding the write lock. A failure (a
    damaged row) leaves the tables as they were: not used.
    """
    analyst = analyst_tags()
    with contextlib.suppress(psycopg.Error, ValueError):
        row = connection.execute(_LAST[1:-1]).fetchone()  # fixed names
        if row is not None and covered(connection, analyst) == int(row[0]):
            return
        with connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s::bigint)", (lock_key,))
            build(connection, analyst)


class _Voids:
    # The table of voided seqs, as `void_down` asks and changes it.

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def is_voided(self, seq: int) -> bool:
        query = f"SELECT 1 FROM {VOIDED} WHERE seq = %s"  # noqa: S608  # fixed names
        return self.connection.execute(query, (seq,)).fetchone() is not None

    def amended(self, seq: int) -> int | None:
        row = self.connection.execute(
            f"SELECT target FROM {JUDGEMENTS} WHERE seq = %s AND type = %s",  # noqa: S608  # fixed names
            (seq, AMENDMENT),
        ).fetchone()
        return None if row is None else int(row[0])

    def has_live_voider(self, seq: int) -> bool:
        row = self.connection.execute(
            f"SELECT 1 FROM {JUDGEMENTS} WHERE target = %s AND type = %s "  # noqa: S608  # fixed names
            f"AND seq NOT IN (SELECT seq FROM {VOIDED}) LIMIT 1",
            (str(seq), AMENDMENT),
        ).fetchone()
        return row is not None

    def add(self, seq: int) -> None:
        self.connection.execute(f"INSERT INTO {VOIDED} (seq) VALUES (%s)", (seq,))  # noqa: S608  # fixed names

    def remove(self, seq: int) -> None:
        self.connection.execute(f"DELETE FROM {VOIDED} WHERE seq = %s", (seq,))  # noqa: S608  # fixed names


def _void(
    connection: Connection, judged: Sequence[Row], appended: Collection[int]
) -> set[int]:
    # Takes in the amendments among *judged*; returns the seqs whose state
    # changed. An amendment voiding itself or a later seq (which the log's
    # rules refuse) makes the voided seqs worked out whole, as the fold does.
    irregular = connection.execute(
        f"SELECT 1 FROM {JUDGEMENTS} WHERE {_IRREGULAR} LIMIT 1"  # noqa: S608  # fixed names
    ).fetchone()
    if irregular is not None:
        old = {seq for (seq,) in connection.execute(f"SELECT seq FROM {VOIDED}")}  # noqa: S608  # fixed names
        amendments = connection.execute(
            f"SELECT seq, target FROM {JUDGEMENTS} WHERE type = %s",  # noqa: S608  # fixed names
            (AMENDMENT,),
        )
        new = voided_among((int(seq), int(target)) for seq, target in amendments)
        connection.execute(f"DELETE FROM {VOIDED}")  # noqa: S608  # fixed names
        _insert(connection, VOIDED, [(seq,) for seq in sorted(new)])
        return (old ^ new) | (new & set(appended))
    changed: set[int] = set()
    table = _Voids(connection)
    for _, type_, _, target, _ in judged:
        if type_ == AMENDMENT:
            void_down(table, int(target), changed)  # type: ignore[call-overload]
    return changed


def _insert(
    connection: Connection, table: str, rows: Sequence[Sequence[object]]
) -> None:
    if rows:
        marks = ", ".join(["%s"] * len(rows[0]))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)  # noqa: S608  # fixed names


def note(
    connection: Connection,
    rows: Sequence[Sequence[object]],
    *,
    last_seq: int,
    analyst: Sequence[str],
) -> None:
    """Take in the appended *rows* (as `timeline.stores.postgresql` writes them).

    They follow *last_seq*; call inside the transaction that writes them,
    holding the write lock. Tables that do not cover the log up to
    *last_seq* are left as they are, never used, until the owner's
    writable open builds them again.
    """
    if not rows or covered(connection, analyst) != last_seq:
        return
    firsts, judged = taken_in(rows, set(analyst))
    _insert(
        connection,
        JUDGEMENTS,
        [(*row[:3], _text(row[3]), row[4]) for row in judged],
    )
    changed = _void(connection, judged, [int(row[0]) for row in rows])  # type: ignore[call-overload]
    again: set[str] = set()
    if changed:
        # The ids whose entries were voided or restored: their first days
        # are read again, from their live entries.
        again = {
            str(event_id)
            for (event_id,) in connection.execute(
                f"SELECT event_id FROM {TABLE} WHERE seq = ANY(%s) "  # noqa: S608  # fixed names
                "AND type <> ALL(%s)",
                (sorted(changed), list(analyst)),
            )
        }
        firsts = {key: day for key, day in firsts.items() if key not in again}
    touched = _moved_firsts(connection, firsts, again, analyst)
    merges = {row[0] for row in judged if row[1] in MERGE_TAGS}
    revocations = {row[0] for row in judged if row[1] == REVOCATION}
    for seq, type_ in connection.execute(
        f"SELECT seq, type FROM {JUDGEMENTS} WHERE seq = ANY(%s)",  # noqa: S608  # fixed names
        (sorted(changed),),
    ):
        (merges if type_ in MERGE_TAGS else revocations).add(int(seq))
    if merges or revocations:
        # The ids the merges name, and those the merges the revocations
        # revoke name.
        named = connection.execute(
            f"SELECT event_id, target FROM {JUDGEMENTS} "  # noqa: S608  # fixed names
            "WHERE type = ANY(%s) AND (seq = ANY(%s) OR seq IN (SELECT "
            f"target::bigint FROM {JUDGEMENTS} WHERE type = %s AND seq = ANY(%s)))",
            (list(MERGE_TAGS), sorted(merges), REVOCATION, sorted(revocations)),
        )
        touched |= {str(each) for row in named for each in row}
    if touched:
        _refresh(connection, touched)
    connection.execute(
        f"UPDATE {DERIVED_TABLE} SET last_seq = %s WHERE name = %s",  # noqa: S608  # fixed names
        (last_seq + len(rows), _name(analyst)),
    )


def _moved_firsts(
    connection: Connection,
    firsts: Mapping[str, int],
    again: Collection[str],
    analyst: Sequence[str],
) -> set[str]:
    # Writes the first days of *firsts* (an appended entry's day for each
    # id) where earlier than held, and of the ids *again* as read anew from
    # their live entries, with each day's count; returns the ids whose
    # first day changed.
    asked = sorted({*firsts, *again})
    held = dict(
        connection.execute(
            f"SELECT event_id, day FROM {FIRSTS} WHERE event_id = ANY(%s)",  # noqa: S608  # fixed names
            (asked,),
        )
    )
    read = (
        dict(
            connection.execute(
                f"SELECT event_id, min(published_day) FROM {TABLE} "  # noqa: S608  # fixed names
                "WHERE event_id = ANY(%s) AND type <> ALL(%s) "
                f"AND seq NOT IN (SELECT seq FROM {VOIDED}) GROUP BY event_id",
                (sorted(again), list(analyst)),
            )
        )
        if again
        else {}
    )
    new, moved = new_firsts(firsts, held, again, read)
    placed = {key: day for key, day in new.items() if day is not None}
    if placed:
        # One statement for the batch, its ids and days as two arrays.
        connection.execute(
            f"INSERT INTO {FIRSTS} (event_id, day) "  # noqa: S608  # fixed names
            "SELECT * FROM unnest(%s::text[], %s::integer[]) "
            "ON CONFLICT (event_id) DO UPDATE SET day = excluded.day",
            (list(placed), list(placed.values())),
        )
    gone = sorted(key for key, day in new.items() if day is None)
    if gone:
        connection.execute(
            f"DELETE FROM {FIRSTS} WHERE event_id = ANY(%s)",  # noqa: S608  # fixed names
            (gone,),
        )
    _add(connection, DAYS, "ids", moved)
    return set(new)


def _add(
    connection: Connection, table: str, column: str, moved: Mapping[int, int]
) -> None:
    # Adds *moved* (day: change) to the sums by day in *table*.
    changes = {day: change for day, change in sorted(moved.items()) if change}
    if changes:
        connection.execute(
            sql.SQL(
                "INSERT INTO {table} SELECT * FROM unnest(%s::integer[], %s::bigint[]) "
                "ON CONFLICT (day) "
                "DO UPDATE SET {column} = {table}.{column} + excluded.{column}"
            ).format(table=sql.Identifier(table), column=sql.Identifier(column)),
            (list(changes), list(changes.values())),
        )


def _components_of(
    connection: Connection, event_ids: Collection[str]
) -> list[tuple[set[str], list[Row]]]:
    # The components the *event_ids* belong to, a level of merges at a
    # time, with the revocations of their merges (see `split`).
    members: set[str] = set()
    merges: dict[int, Row] = {}
    frontier = set(event_ids)
    while frontier:
        members |= frontier
        named = sorted(frontier)
        rows = connection.execute(
            f"SELECT seq, type, event_id, target, day FROM {JUDGEMENTS} "  # noqa: S608  # fixed names
            "WHERE type = ANY(%s) AND (event_id = ANY(%s) OR target = ANY(%s))",
            (list(MERGE_TAGS), named, named),
        ).fetchall()
        for row in rows:
            merges[int(row[0])] = _typed(row)
        frontier = {str(each) for row in rows for each in (row[2], row[3])} - members
    revocations = connection.execute(
        f"SELECT seq, type, event_id, target, day FROM {JUDGEMENTS} "  # noqa: S608  # fixed names
        "WHERE type = %s AND target = ANY(%s)",
        (REVOCATION, [str(seq) for seq in sorted(merges)]),
    )
    return split(merges.values(), [_typed(row) for row in revocations])


def _refresh(connection: Connection, event_ids: Collection[str]) -> None:
    # Works out again the corrections of the components of *event_ids*,
    # once the judgements, voided seqs and first days are right for them.
    components = _components_of(connection, event_ids)
    if not components:
        return
    seqs = sorted(row[0] for _, rows in components for row in rows)
    voided_now = {
        int(seq)
        for (seq,) in connection.execute(
            f"SELECT seq FROM {VOIDED} WHERE seq = ANY(%s)",  # noqa: S608  # fixed names
            (seqs,),
        )
    }
    named = sorted(m for members, _ in components for m in members)
    firsts = dict(
        connection.execute(
            f"SELECT event_id, day FROM {FIRSTS} WHERE event_id = ANY(%s)",  # noqa: S608  # fixed names
            (named,),
        )
    )
    moved: dict[int, int] = {}
    # A component's old rows are under its least id then: a member's.
    for day, delta in connection.execute(
        f"DELETE FROM {CORRECTIONS} WHERE root = ANY(%s) RETURNING day, delta",  # noqa: S608  # fixed names
        (named,),
    ):
        moved[day] = moved.get(day, 0) - delta
    new = [
        (min(members), day, delta)
        for members, rows in components
        for day, delta in steps(rows, voided_now, firsts)
    ]
    _insert(connection, CORRECTIONS, new)
    for _, day, delta in new:
        moved[day] = moved.get(day, 0) + delta
    _add(connection, CORRECTION_DAYS, "delta", moved)


def happenings(connection: Connection, day: int, pin: int) -> int | None:
    """Return how many happenings were known on *day*, merged ones once each.

    One statement: the ids first reported by then, less the corrections
    of merged groups. None when the tables cannot answer: missing, not
    readable by this role, not covering the whole log, or *pin* is not
    its last seq.
    """
    try:
        row = connection.execute(
            f"SELECT {_LAST}, {_MARKER}, "  # noqa: S608  # fixed names
            f"(SELECT coalesce(sum(ids), 0) FROM {DAYS} WHERE day <= %s), "
            f"(SELECT coalesce(sum(delta), 0) FROM {CORRECTION_DAYS} WHERE day <= %s)",
            (_name(analyst_tags()), day, day),
        ).fetchone()
    except (psycopg.errors.UndefinedTable, psycopg.errors.InsufficientPrivilege):
        return None
    if row is None or row[1] is None or not row[0] == row[1] == pin:
        return None
    return int(row[2]) - int(row[3])


def voided(connection: Connection, seqs: Collection[int], pin: int) -> set[int] | None:
    """Return which of *seqs* the amendments void; None as `happenings` says."""
    try:
        row = connection.execute(
            f"SELECT {_LAST}, {_MARKER}, "  # noqa: S608  # fixed names
            f"ARRAY(SELECT seq FROM {VOIDED} WHERE seq = ANY(%s))",
            (_name(analyst_tags()), sorted(seqs)),
        ).fetchone()
    except (psycopg.errors.UndefinedTable, psycopg.errors.InsufficientPrivilege):
        return None
    if row is None or row[1] is None or not row[0] == row[1] == pin:
        return None
    return {int(seq) for seq in row[2]}


def problems(connection: Connection, where: str) -> list[str]:
    """Return what is wrong with the tables of counts, said for ``check``.

    Each table compared with what the entries make it hold, naming the
    first wrong happening id, day or seq. Nothing when the tables are not
    used (missing, unreadable by this role, or not covering the whole
    log), since then nothing reads them.
    """
    analyst = analyst_tags()
    row = connection.execute(_LAST[1:-1]).fetchone()  # fixed names
    if row is None or covered(connection, analyst) != int(row[0]):
        return []
    try:
        with connection.transaction():
            held = _held(connection)
    except psycopg.errors.InsufficientPrivilege:
        return []
    expected = truth(connection, analyst)
    advice = (
        "the log itself is intact, only the count of happenings known on a day "
        f"is wrong: rebuild it with 'timeline check --rebuild {where}'"
    )
    compared: tuple[tuple[Collection[Any], str], ...] = (
        (
            _keys(expected.firsts, held.firsts),
            "the table of first days is wrong for happening {!r}",
        ),
        (
            _keys(expected.days, held.days),
            "the count of happenings first reported on day {} is wrong",
        ),
        (
            _keys(_by_seq(expected.judgements), _by_seq(held.judgements)),
            "seq {}: the table of merges and amendments is wrong",
        ),
        (expected.voided ^ held.voided, "seq {}: the table of voided entries is wrong"),
        (
            {key[1] for key in _keys(expected.corrections, held.corrections)}
            | set(_keys(expected.correction_days, held.correction_days)),
            "the count of merged happenings is wrong on day {}",
        ),
    )
    found = []
    for wrong, said in compared:
        if wrong:
            first, *rest = sorted(wrong)
            more = f" (and {len(rest)} more)" if rest else ""
            found.append(f"{where}: {said.format(first)}{more}; {advice}")
    return found


def _keys(expected: Mapping[Any, Any], held: Mapping[Any, Any]) -> set[Any]:
    # The keys whose values differ, or that one mapping lacks.
    return {key for key, _ in expected.items() ^ held.items()}


def _by_seq(rows: Iterable[Row]) -> dict[int, Row]:
    return {row[0]: row for row in rows}


def _held(connection: Connection) -> Counts:
    # What the tables hold.
    def read(query: str) -> Iterator[tuple[Any, ...]]:
        return iter(connection.execute(query).fetchall())

    return Counts(
        firsts=dict(read(f"SELECT event_id, day FROM {FIRSTS}")),  # noqa: S608  # fixed names
        days=dict(read(f"SELECT day, ids FROM {DAYS} WHERE ids <> 0")),  # noqa: S608  # fixed names
        judgements=[
            _typed(row)
            for row in read(
                f"SELECT seq, type, event_id, target, day FROM {JUDGEMENTS}"  # noqa: S608
            )
        ],
        voided={int(seq) for (seq,) in read(f"SELECT seq FROM {VOIDED}")},  # noqa: S608  # fixed names
        corrections={
            (root, day): delta
            for root, day, delta in read(f"SELECT root, day, delta FROM {CORRECTIONS}")  # noqa: S608  # fixed names
        },
        correction_days=dict(
            read(f"SELECT day, delta FROM {CORRECTION_DAYS} WHERE delta <> 0")  # noqa: S608  # fixed names
        ),
    )


class Counted:
    """What a `timeline.stores.postgresql.PostgreSQLStore` answers from these tables."""

    __slots__ = ()

    def _reading(self) -> contextlib.AbstractContextManager[Connection]:
        raise NotImplementedError  # pragma: no cover  # the store's own

    def count_happenings(
        self, *, published_until: dt.date, seq_until: int
    ) -> int | None:
        """Return how many happenings were known on a day, from the tables of counts.

        Merged happenings once each, as ``len(log.as_of(published_until))``
        as of seq *seq_until*; None when the tables cannot answer (they do
        not cover the whole log, this role may not read them, or
        *seq_until* is not the log's last seq).
        """
        with self._reading() as connection:
            return happenings(connection, day_number(published_until), seq_until)

    def voided_among(self, seqs: Collection[int], *, seq_until: int) -> set[int] | None:
        """Return which of *seqs* the amendments void, from the table of them.

        None when the table cannot answer, as for `count_happenings`.
        """
        with self._reading() as connection:
            return voided(connection, seqs, seq_until)
