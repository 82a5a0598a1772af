# SPDX-License-Identifier: MIT
"""What the count tables of a database log hold, worked out in Python.

Private to the modules that keep those tables: ``_sqlite_firsts`` and
``_sqlite_voids`` for SQLite, ``_pg_counts`` for PostgreSQL, each with its
own SQL. Here is what they share and what needs no database: reading an
appended batch's rows, the components of merged happenings, how a
component's double count changes from day to day (with the fold's own
``groups_among``), and the walk down a chain of amendments that voids and
restores entries, given a backend's way of asking and changing its table
of voided seqs (`VoidTable`).
"""

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Protocol

from timeline.model.events import Amendment, Revocation, SameAs, Split
from timeline.projections.fold import groups_among

__all__ = [
    "AMENDMENT",
    "JUDGEMENT_TAGS",
    "MERGE_TAGS",
    "REVOCATION",
    "Row",
    "VoidTable",
    "by_day",
    "corrections",
    "new_firsts",
    "split",
    "steps",
    "taken_in",
    "void_down",
]

AMENDMENT = Amendment.event_type
REVOCATION = Revocation.event_type
MERGE_TAGS = (SameAs.event_type, Split.event_type)
JUDGEMENT_TAGS = tuple(
    sorted(cls.event_type for cls in (Amendment, Revocation, SameAs, Split))
)
"""The analyst entries that bear on how many happenings are known."""
_TARGET_KEY = {AMENDMENT: "voids", REVOCATION: "revokes"}
"""The key of the body naming what an entry bears on: else other_event_id."""
_SAME_AS = SameAs.event_type

Row = tuple[int, str, str, object, int]
"""A judgement: (seq, type tag, event id, target, day as YYYYMMDD).

The target is the seq an amendment voids or a revocation revokes, and the
other happening a merge or split names.
"""


def taken_in(
    rows: Iterable[Sequence[object]], analyst: Collection[str]
) -> tuple[dict[str, int], list[Row]]:
    """Return what appended *rows* bring: each id's earliest day, and the judgements.

    *rows* are as a database log writes them (seq, recorded_at, type,
    schema_version, event_id, published_day, body, ...); the entries of
    the *analyst* types name no happening of their own.
    """
    firsts: dict[str, int] = {}
    judged: list[Row] = []
    for row in rows:
        type_, event_id, day = str(row[2]), str(row[4]), int(row[5])  # type: ignore[call-overload]
        if type_ not in analyst:
            if day < firsts.get(event_id, day + 1):
                firsts[event_id] = day
        elif type_ in JUDGEMENT_TAGS:
            body = json.loads(str(row[6]))
            target = body.get(_TARGET_KEY.get(type_, "other_event_id"))
            judged.append((int(row[0]), type_, event_id, target, day))  # type: ignore[call-overload]
    return firsts, judged


class VoidTable(Protocol):
    """A table of voided seqs and its judgements, as `void_down` asks them."""

    def is_voided(self, seq: int) -> bool:
        """Return whether the table holds *seq*."""
        ...  # pragma: no cover  # a protocol

    def amended(self, seq: int) -> int | None:
        """Return what the amendment *seq* voids; None if it is no amendment."""
        ...  # pragma: no cover  # a protocol

    def has_live_voider(self, seq: int) -> bool:
        """Return whether an amendment the table does not hold voids *seq*."""
        ...  # pragma: no cover  # a protocol

    def add(self, seq: int) -> None:
        """Add *seq* to the table."""
        ...  # pragma: no cover  # a protocol

    def remove(self, seq: int) -> None:
        """Take *seq* out of the table."""
        ...  # pragma: no cover  # a protocol


def void_down(table: VoidTable, seq: int, changed: set[int]) -> None:
    """Void *seq*, the target of the newest amendment, and restore down its chain.

    Voiding an amendment restores what it voided (unless another live
    amendment voids that too), which voids what that one voided, and so
    on. Each seq whose state changed is toggled in *changed*.
    """
    while not table.is_voided(seq):
        table.add(seq)
        changed ^= {seq}
        target = table.amended(seq)
        if target is None or table.has_live_voider(target):
            return
        table.remove(target)
        changed ^= {target}
        restored = table.amended(target)
        if restored is None:
            return
        seq = restored


def new_firsts(
    firsts: Mapping[str, int],
    held: Mapping[str, int],
    again: Collection[str],
    read: Mapping[str, int],
) -> tuple[dict[str, int | None], dict[int, int]]:
    """Return the first days that change, and how each day's count of them moves.

    *firsts* are an appended batch's earliest day for each id, *held* the
    days the table holds for those and the ids *again*, whose entries were
    voided or restored, and *read* the days of those read anew from their
    live entries. A changed day is None when no live entry is left.
    """
    new: dict[str, int | None] = {
        event_id: day
        for event_id, day in firsts.items()
        if day < held.get(event_id, day + 1)
    }
    for event_id in again:
        if read.get(event_id) != held.get(event_id):
            new[event_id] = read.get(event_id)
    moved: dict[int, int] = {}
    for event_id, day in new.items():
        before = held.get(event_id)
        if day is not None:
            moved[day] = moved.get(day, 0) + 1
        if before is not None:
            moved[before] = moved.get(before, 0) - 1
    return new, moved


def split(
    merges: Iterable[Row], revocations: Iterable[Row]
) -> list[tuple[set[str], list[Row]]]:
    """Return the components of *merges*, each with its rows and revocations.

    A component is the ids any merge or split ever joined, named by its
    least id; *revocations* of other seqs are left out.
    """
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    merges = list(merges)
    for row in merges:
        one, other = find(row[2]), find(str(row[3]))
        if one != other:
            parent[max(one, other)] = min(one, other)
    found: dict[str, tuple[set[str], list[Row]]] = {}
    root_of_seq: dict[int, str] = {}
    for row in merges:
        root = find(row[2])
        found.setdefault(root, (set(), []))[1].append(row)
        root_of_seq[row[0]] = root
    for node in parent:
        found[find(node)][0].add(node)
    for row in revocations:
        root = root_of_seq.get(row[3])  # type: ignore[call-overload]
        if root is not None:
            found[root][1].append(row)
    return [found[root] for root in sorted(found)]


def steps(
    rows: Sequence[Row], voided: Collection[int], firsts: Mapping[str, int]
) -> list[tuple[int, int]]:
    """Return how one component's double count changes: (day, change) rows.

    On each day, the ids of a merged group known by then (their first day
    in *firsts*) count once rather than each: the double count is how many
    known ids the groups hold beyond one each. *rows* are the component's
    judgements; those *voided* count for nothing.
    """
    live = [row for row in rows if row[0] not in voided]
    members = {
        str(each) for row in live if row[1] in MERGE_TAGS for each in (row[2], row[3])
    }
    days = sorted(
        {row[4] for row in live} | {firsts[m] for m in members if m in firsts}
    )
    found = []
    before = 0
    for day in days:
        on = [row for row in live if row[4] <= day]
        revoked = {row[3] for row in on if row[1] == REVOCATION}
        groups = groups_among(
            (row[4], row[0], row[1] == _SAME_AS, row[2], str(row[3]))
            for row in on
            if row[1] in MERGE_TAGS and row[0] not in revoked
        )
        known = [m for m in groups if firsts.get(m, day + 1) <= day]
        now = len(known) - len({groups[m] for m in known})
        if now != before:
            found.append((day, now - before))
            before = now
    return found


def corrections(
    judgements: Iterable[Row], voided: Collection[int], firsts: Mapping[str, int]
) -> dict[tuple[str, int], int]:
    """Return every component's changes, by (least id, day), from all *judgements*."""
    rows = list(judgements)
    components = split(
        (row for row in rows if row[1] in MERGE_TAGS),
        (row for row in rows if row[1] == REVOCATION),
    )
    return {
        (min(members), day): delta
        for members, component in components
        for day, delta in steps(component, voided, firsts)
    }


def by_day(changes: Mapping[tuple[str, int], int]) -> dict[int, int]:
    """Return *changes* (by component and day) summed by day, zeros left out."""
    days: dict[int, int] = {}
    for (_, day), delta in changes.items():
        days[day] = days.get(day, 0) + delta
    return {day: delta for day, delta in days.items() if delta}
