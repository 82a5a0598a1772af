# SPDX-License-Identifier: MIT
"""Comparison: what became known between two knowledge dates.

`diff` folds the log as of both dates and compares the answers: the
happenings, values and conflicts that are new, and the statuses that
changed, across merges and splits. `KnowledgeDiff` is its answer.

.. versionadded:: 0.2.0
"""

import datetime as dt
from collections.abc import Sequence

import attrs

from timeline.errors import InvalidDateError
from timeline.model.comparers import canonical
from timeline.model.entry import Entry
from timeline.projections.fields import Value, value_key
from timeline.projections.fold import build_knowledge
from timeline.projections.happening import Conflict, Happening, Status
from timeline.projections.knowledge import Knowledge

__all__ = ["KnowledgeDiff", "diff"]


@attrs.frozen
class KnowledgeDiff:
    """What became known between two knowledge dates.

    Args:
        since: The earlier knowledge date (exclusive).
        until: The later knowledge date (inclusive).
        new_happenings: Happenings unknown at *since* and known at *until*.
        new_values: (happening id, field, value) reported for the first time:
            no happening known at *since* that holds one of the happening's
            ids (several, if a merge has joined them since) had the value,
            in any wording of it.
        new_conflicts: Conflicts open at *until* that were not at *since*: no
            happening known then that holds one of its ids had that field in
            conflict. Each says which values contradict, and why.
        status_changes: (happening id, status before, status after), before
            being that of the happening known at *since* that holds the
            smallest of its ids.

    .. versionadded:: 0.1.0
    """

    since: dt.date
    until: dt.date
    new_happenings: tuple[Happening, ...]
    new_values: tuple[tuple[str, str, Value], ...]
    new_conflicts: tuple[Conflict, ...]
    status_changes: tuple[tuple[str, Status, Status], ...]

    def __bool__(self) -> bool:
        return bool(
            self.new_happenings
            or self.new_values
            or self.new_conflicts
            or self.status_changes
        )


def diff(entries: Sequence[Entry], since: dt.date, until: dt.date) -> KnowledgeDiff:
    """Return what became known after *since* and up to *until*.

    Raises:
        InvalidDateError: If *since* is after *until*.

    .. versionadded:: 0.1.0
    """
    check_window(since, until)
    return compare(
        build_knowledge(entries, as_of=since), build_knowledge(entries, as_of=until)
    )


def check_window(since: dt.date, until: dt.date) -> None:
    if since > until:
        msg = f"diff from {since} to {until}: the first date is after the second"
        raise InvalidDateError(msg)


def compare(before: Knowledge, after: Knowledge) -> KnowledgeDiff:
    # What *after* knows that *before* did not. A happening both answers
    # share (an answer patched from the other's checkpoint) is skipped.
    known_before = set(before._index)
    new_happenings: list[Happening] = []
    new_values: list[tuple[str, str, Value]] = []
    new_conflicts: list[Conflict] = []
    status_changes: list[tuple[str, Status, Status]] = []
    for happening in after:
        root = happening.event_id
        if before.get(root) is happening:
            continue
        if happening.event_ids.isdisjoint(known_before):
            new_happenings.append(happening)
        # What was known then of every id it holds, in however many
        # happenings (a merge since joins them, a split parts them).
        olds = _holding(before, happening)
        for name, field in happening.fields.items():
            kind = field.kind
            old_keys = {
                canonical(kind, value_key(value.value))
                for old in olds
                for value in (old.fields[name].values if name in old.fields else ())
            }
            new_values.extend(
                (root, name, value)
                for value in field.values
                if canonical(kind, value_key(value.value)) not in old_keys
            )
        if olds and olds[0].status is not happening.status:
            status_changes.append((root, olds[0].status, happening.status))
        disputed = {field.name for old in olds for field in old.conflicts}
        new_conflicts.extend(
            Conflict(happening, field)
            for field in happening.conflicts
            if field.name not in disputed
        )
    return KnowledgeDiff(
        before.as_of,
        after.as_of,
        tuple(new_happenings),
        tuple(new_values),
        tuple(new_conflicts),
        tuple(status_changes),
    )


def _holding(knowledge: Knowledge, happening: Happening) -> list[Happening]:
    # The happenings of *knowledge* holding any id *happening* holds, each
    # once, by the smallest such id.
    found: dict[int, Happening] = {}
    for event_id in sorted(happening.event_ids):
        held = knowledge.get(event_id)
        if held is not None:
            found.setdefault(id(held), held)
    return list(found.values())
