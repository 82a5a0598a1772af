# SPDX-License-Identifier: MIT
"""What the amendments void, and what merges take off the count: kept per append.

Private to `timeline.stores._sqlite_firsts`, which keeps these tables with
its own, in the same transaction and under the same row of
``timeline_derived``:

- ``timeline_voided``: the seq of every entry a live amendment voids. An
  amendment voids its target whatever the dates, and an amendment voided
  by a later one voids nothing (`timeline.projections.fold`'s
  ``voided_among``); a new amendment voids its target, which may restore
  what that target voided, and so on down the chain.
- ``timeline_corrections``: for each group of happenings ever joined by a
  merge or split (a *component*, named by its least id), the days on
  which the number of its known happenings counted twice changes, and by
  how much; ``timeline_correction_days`` sums them by day. A merged group
  counts once, so the happenings known on a day are the ids first
  reported by then, less the sum of these changes up to that day.

A component's changes are worked out from its own merges, splits and the
revocations of them, with the fold's own rules (``groups_among``), on
each day one of them or one of its ids' first reports is known; they are
worked out again whenever one of those changes, so that an append costs
what its batch touches, and a count reads two small tables whatever the
log's size.
"""

import json
import sqlite3
from collections.abc import Collection, Iterable, Mapping

from timeline.projections.fold import voided_among
from timeline.stores._counting import (
    AMENDMENT,
    MERGE_TAGS,
    REVOCATION,
    Row,
    corrections,
    split,
    steps,
    void_down,
)

__all__ = [
    "CORRECTIONS_TABLE",
    "CORRECTION_DAYS_TABLE",
    "VOIDED_TABLE",
    "add_days",
    "build",
    "components_of",
    "corrected",
    "create",
    "expected_corrections",
    "refresh",
    "void",
]

VOIDED_TABLE = "timeline_voided"
CORRECTIONS_TABLE = "timeline_corrections"
CORRECTION_DAYS_TABLE = "timeline_correction_days"
_JUDGEMENTS = "timeline_judgements"
_AMENDMENT = AMENDMENT
_REVOCATION = REVOCATION
_MERGES = MERGE_TAGS


def create(connection: sqlite3.Connection) -> None:
    """Create the tables and the judgement indexes they are kept through, empty."""
    for statement in (
        f"CREATE TABLE IF NOT EXISTS {VOIDED_TABLE} (seq INTEGER PRIMARY KEY)",
        f"CREATE TABLE IF NOT EXISTS {CORRECTIONS_TABLE} (root TEXT NOT NULL, "
        "day INTEGER NOT NULL, delta INTEGER NOT NULL, PRIMARY KEY (root, day)) "
        "WITHOUT ROWID",
        f"CREATE TABLE IF NOT EXISTS {CORRECTION_DAYS_TABLE} "
        "(day INTEGER PRIMARY KEY, delta INTEGER NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS timeline_judgements_target ON {_JUDGEMENTS} "
        "(target, type)",
        f"CREATE INDEX IF NOT EXISTS timeline_judgements_id ON {_JUDGEMENTS} "
        "(event_id, type)",
        f"CREATE INDEX IF NOT EXISTS timeline_judgements_irregular ON {_JUDGEMENTS} "
        f"(seq) WHERE {_IRREGULAR}",
    ):
        connection.execute(statement)
    for table in (VOIDED_TABLE, CORRECTIONS_TABLE, CORRECTION_DAYS_TABLE):
        connection.execute(f"DELETE FROM {table}")  # noqa: S608  # fixed names


def build(connection: sqlite3.Connection) -> None:
    """Fill the table of voided seqs from the table of judgements (emptied first).

    The corrections need the first days, which need this: see `refresh`.
    """
    rows = connection.execute(
        f"SELECT seq, target FROM {_JUDGEMENTS} WHERE type = ?",  # noqa: S608  # fixed names
        (_AMENDMENT,),
    )
    voided = voided_among((int(seq), int(target)) for seq, target in rows)
    connection.executemany(
        f"INSERT INTO {VOIDED_TABLE} (seq) VALUES (?)",  # noqa: S608  # fixed names
        ((seq,) for seq in sorted(voided)),
    )


def void(
    connection: sqlite3.Connection,
    amendments: Iterable[tuple[int, int]],
    appended: Collection[int],
) -> set[int]:
    """Take in new *amendments* as (seq, target) in seq order; return the seqs changed.

    Each is the newest amendment when taken in, so nothing voids it: its
    target is voided, which may restore what the target voided (when no
    other live amendment voids that too), and so on. The judgement rows of
    the amendments (and of the seqs *appended*) must already be written.

    That walk holds while every amendment voids an earlier entry, as the
    log's rules demand. A store given entries without those rules may hold
    one voiding itself or a later seq: then the voided seqs are worked out
    whole, as the fold does, and the *appended* seqs voided from the start
    count as changed too.
    """
    if _irregular(connection):
        return _recount(connection, appended)
    changed: set[int] = set()
    table = _Voids(connection)
    for _, target in amendments:
        void_down(table, int(target), changed)
    return changed


_IRREGULAR = f"type = {_AMENDMENT!r} AND target >= seq"
"""An amendment voiding itself or a later seq, which the log's rules refuse."""


def _irregular(connection: sqlite3.Connection) -> bool:
    # Whether any amendment voids itself or a later seq (through an index
    # of only those).
    query = f"SELECT 1 FROM {_JUDGEMENTS} WHERE {_IRREGULAR} LIMIT 1"  # noqa: S608  # fixed names
    return connection.execute(query).fetchone() is not None


def _recount(connection: sqlite3.Connection, appended: Collection[int]) -> set[int]:
    # The voided seqs worked out whole; those whose state changed, with the
    # *appended* seqs voided from the start.
    old = {seq for (seq,) in connection.execute(f"SELECT seq FROM {VOIDED_TABLE}")}  # noqa: S608  # fixed names
    connection.execute(f"DELETE FROM {VOIDED_TABLE}")  # noqa: S608  # fixed names
    build(connection)
    new = {seq for (seq,) in connection.execute(f"SELECT seq FROM {VOIDED_TABLE}")}  # noqa: S608  # fixed names
    return (old ^ new) | (new & set(appended))


class _Voids:
    # The table of voided seqs, as `void_down` asks and changes it.

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def is_voided(self, seq: int) -> bool:
        query = f"SELECT 1 FROM {VOIDED_TABLE} WHERE seq = ?"  # noqa: S608  # fixed names
        return self.connection.execute(query, (seq,)).fetchone() is not None

    def amended(self, seq: int) -> int | None:
        # What the amendment *seq* voids when live; None if it is no amendment.
        row = self.connection.execute(
            f"SELECT target FROM {_JUDGEMENTS} WHERE seq = ? AND type = ?",  # noqa: S608  # fixed names
            (seq, _AMENDMENT),
        ).fetchone()
        return None if row is None else int(row[0])

    def has_live_voider(self, seq: int) -> bool:
        row = self.connection.execute(
            f"SELECT 1 FROM {_JUDGEMENTS} WHERE target = ? AND type = ? "  # noqa: S608  # fixed names
            f"AND seq NOT IN (SELECT seq FROM {VOIDED_TABLE}) LIMIT 1",
            (seq, _AMENDMENT),
        ).fetchone()
        return row is not None

    def add(self, seq: int) -> None:
        self.connection.execute(f"INSERT INTO {VOIDED_TABLE} (seq) VALUES (?)", (seq,))  # noqa: S608  # fixed names

    def remove(self, seq: int) -> None:
        self.connection.execute(f"DELETE FROM {VOIDED_TABLE} WHERE seq = ?", (seq,))  # noqa: S608  # fixed names


def components_of(
    connection: sqlite3.Connection, event_ids: Collection[str]
) -> list[tuple[set[str], list[Row]]]:
    """Return the components the *event_ids* belong to: members, and rows.

    Read a level of merges at a time, for all the ids at once. The rows
    are the merges and splits among the members, and the revocations of
    them, whether voided or not; ids no merge or split names belong to
    none.
    """
    members: set[str] = set()
    merges: dict[int, Row] = {}
    frontier = set(event_ids)
    while frontier:
        members |= frontier
        named = json.dumps(sorted(frontier))
        rows = connection.execute(
            f"SELECT seq, type, event_id, target, day FROM {_JUDGEMENTS} "  # noqa: S608  # fixed names
            "WHERE type IN (?, ?) AND event_id IN (SELECT value FROM json_each(?)) "
            f"UNION SELECT seq, type, event_id, target, day FROM {_JUDGEMENTS} "
            "WHERE type IN (?, ?) AND target IN (SELECT value FROM json_each(?))",
            (*_MERGES, named, *_MERGES, named),
        ).fetchall()
        for row in rows:
            merges[row[0]] = row
        frontier = {str(each) for row in rows for each in (row[2], row[3])} - members
    revocations = connection.execute(
        f"SELECT seq, type, event_id, target, day FROM {_JUDGEMENTS} "  # noqa: S608  # fixed names
        "WHERE type = ? AND target IN (SELECT value FROM json_each(?))",
        (_REVOCATION, json.dumps(sorted(merges))),
    ).fetchall()
    return split(merges.values(), revocations)


def refresh(connection: sqlite3.Connection, event_ids: Collection[str]) -> None:
    """Work out again the corrections of the components of *event_ids*.

    Call once the judgement rows, the voided seqs and the first days are
    right for them.
    """
    components = components_of(connection, event_ids)
    if not components:
        return
    seqs = json.dumps(sorted(row[0] for _, rows in components for row in rows))
    voided = {
        seq
        for (seq,) in connection.execute(
            f"SELECT seq FROM {VOIDED_TABLE} "  # noqa: S608  # fixed names
            "WHERE seq IN (SELECT value FROM json_each(?))",
            (seqs,),
        )
    }
    named = json.dumps(sorted(m for members, _ in components for m in members))
    firsts = dict(
        connection.execute(
            "SELECT event_id, day FROM timeline_firsts "
            "WHERE event_id IN (SELECT value FROM json_each(?))",
            (named,),
        )
    )
    moved: dict[int, int] = {}
    # A component's old rows are under its least id then: a member's.
    old = f"FROM {CORRECTIONS_TABLE} WHERE root IN (SELECT value FROM json_each(?))"  # noqa: S608  # fixed names
    for day, delta in connection.execute(f"SELECT day, delta {old}", (named,)):
        moved[day] = moved.get(day, 0) - delta
    connection.execute(f"DELETE {old}", (named,))
    new = [
        (min(members), day, delta)
        for members, rows in components
        for day, delta in steps(rows, voided, firsts)
    ]
    connection.executemany(
        f"INSERT INTO {CORRECTIONS_TABLE} (root, day, delta) VALUES (?, ?, ?)",  # noqa: S608  # fixed names
        new,
    )
    for _, day, delta in new:
        moved[day] = moved.get(day, 0) + delta
    add_days(connection, moved)


def add_days(connection: sqlite3.Connection, moved: Mapping[int, int]) -> None:
    """Add *moved* (day: change) to the corrections summed by day."""
    connection.executemany(
        f"INSERT INTO {CORRECTION_DAYS_TABLE} (day, delta) VALUES (?, ?) "  # noqa: S608  # fixed names
        "ON CONFLICT (day) DO UPDATE SET delta = delta + excluded.delta",
        ((day, delta) for day, delta in sorted(moved.items()) if delta),
    )


def expected_corrections(
    connection: sqlite3.Connection, judgements: Iterable[Row]
) -> dict[tuple[str, int], int]:
    """Return what the table of corrections must hold, from every judgement row.

    Worked out whole, component by component, with the voided seqs and
    the first days as the tables hold them: for ``_sqlite_firsts.build``
    and ``check``.
    """
    voided = {seq for (seq,) in connection.execute(f"SELECT seq FROM {VOIDED_TABLE}")}  # noqa: S608  # fixed names
    firsts = dict(connection.execute("SELECT event_id, day FROM timeline_firsts"))
    return corrections(judgements, voided, firsts)


def corrected(connection: sqlite3.Connection, day: int) -> int:
    """Return the sum of the corrections up to *day*: what merges take off the count."""
    (total,) = connection.execute(
        f"SELECT coalesce(sum(delta), 0) FROM {CORRECTION_DAYS_TABLE} WHERE day <= ?",  # noqa: S608  # fixed names
        (day,),
    ).fetchone()
    return int(total)
