# SPDX-License-Identifier: MIT
"""Evolution: how knowledge of one happening evolved, day by day.

`history` gives a happening's state on each day it changed. Those are the
days on which a claim about it, or about a happening some chain of merges,
splits and links between happenings (which may lend it their dates) ties
it to, or an analyst entry bearing on any of them (a verdict, a place
within another, a revocation), became known. The walk
along that chain is shared with `KnowledgeIndex` and the stores' queries.

.. versionadded:: 0.2.0
"""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from timeline.errors import DanglingReferenceError
from timeline.model.entry import Entry
from timeline.model.events import Related, Role, SameAs, Split, Within
from timeline.projections.fields import known_on
from timeline.projections.fold import build_knowledge
from timeline.projections.happening import Happening

__all__ = ["history"]


def history(
    entries: Sequence[Entry], event_id: str
) -> tuple[tuple[dt.date, Happening], ...]:
    """Return how knowledge of *event_id* evolved: its state on each day it changed.

    Each step is the knowledge date and the happening as it stood then,
    merges with other happenings included.

    Raises:
        DanglingReferenceError: If no entry names *event_id*.

    .. versionadded:: 0.1.0
    """
    if event_id not in {
        entry.event.event_id
        for entry in entries
        if entry.event.role is not Role.ANALYST
    }:
        msg = f"no entry is about {event_id!r}"
        raise DanglingReferenceError(msg)
    merges_of = pairs_by_id(
        entry for entry in entries if isinstance(entry.event, SameAs | Split | Related)
    )
    related, _ = linked_with(event_id, naming_in(merges_of))
    # Places within others bear on every happening, and so do the entries
    # that revoke or void them, which name the Within's own id.
    related |= {
        entry.event.event_id for entry in entries if isinstance(entry.event, Within)
    }
    days = {known_on(entry) for entry in entries if entry.event.event_id in related}
    return history_over(
        days, lambda day: build_knowledge(entries, as_of=day).get(event_id)
    )


def pairs_by_id(merges: Iterable[Entry]) -> dict[str, list[Entry]]:
    # Each merge and split under both ids it names.
    by_id: dict[str, list[Entry]] = {}
    for entry in merges:
        file_merge(by_id, entry)
    return by_id


def file_merge(by_id: dict[str, list[Entry]], entry: Entry) -> None:
    # File one merge, split or link under both ids it names.
    event: SameAs | Split = entry.event  # type: ignore[assignment]
    for name in {event.event_id, event.other_event_id}:
        by_id.setdefault(name, []).append(entry)


def naming_in(
    merges_of: Mapping[str, Sequence[Entry]],
) -> Callable[[list[str]], Iterator[Entry]]:
    # `linked_with`'s *naming*, from merges and splits filed under each id.
    return lambda ids: (entry for name in ids for entry in merges_of.get(name, ()))


def linked_with(
    event_id: str, naming: Callable[[list[str]], Iterable[Entry]]
) -> tuple[set[str], list[Entry]]:
    # Every happening some chain of merges or splits links *event_id* with,
    # in any order and whatever their dates or amendments (a superset of its
    # merge group on any date, which `KnowledgeIndex.happening` narrows),
    # and those merges and splits, in seq order. *naming* gives the ones
    # that name any of some ids.
    reached, found = {event_id}, {}
    frontier = [event_id]
    while frontier:
        named, frontier = naming(frontier), []
        for entry in named:
            found[entry.seq] = entry
            event: SameAs | Split = entry.event  # type: ignore[assignment]
            for other in (event.event_id, event.other_event_id):
                if other not in reached:
                    reached.add(other)
                    frontier.append(other)
    return reached, [found[seq] for seq in sorted(found)]


def history_over(
    days: Iterable[dt.date], at: Callable[[dt.date], Happening | None]
) -> tuple[tuple[dt.date, Happening], ...]:
    # `history`, asking *at* for the happening on each day some entry about
    # it or a happening linked with it became known: a fold, or the log's
    # index answering without one. A happening changes on no other day.
    steps: list[tuple[dt.date, Happening]] = []
    for day in sorted(days):
        found = at(day)
        if found is not None and (not steps or steps[-1][1] != found):
            steps.append((day, found))
    return tuple(steps)
