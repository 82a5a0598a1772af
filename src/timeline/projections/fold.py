# SPDX-License-Identifier: MIT
"""The fold: log entries into what was known on a knowledge date.

`build_knowledge` defines every answer. For each happening it keeps every
value reported for every field, each with the claims behind it and the day
it first became known; it says how each two values relate, and which
fields are in conflict, without picking a winner; and it derives a status
by replaying denials, retractions, corrections, confirmations and the
analyst's entries (merges, places within places, verdicts, links between
happenings, revocations and amendments); it keeps the names the analyst
judged one entity's (`timeline.model.events.SameEntity`) for the answers
about people. Faster answers (`KnowledgeIndex`) are optimisations of this
fold and equal it.

.. versionadded:: 0.2.0
"""

import contextlib
import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from timeline.errors import InvalidDateError
from timeline.model.entry import Entry
from timeline.model.events import (
    Amendment,
    AnalystEntry,
    Related,
    Revocation,
    SameAs,
    SameEntity,
    Split,
    Verdict,
    Within,
)
from timeline.model.places import NO_PLACES, Places
from timeline.projections.fields import known_on
from timeline.projections.happening import Happening, happening_of, sharing_when
from timeline.projections.knowledge import Knowledge

__all__ = ["build_knowledge"]


def build_knowledge(
    entries: Iterable[Entry], *, as_of: dt.date, seq: int | None = None
) -> Knowledge:
    """Fold *entries* (in log order) into what was known on *as_of*.

    Args:
        entries: Log entries in seq order.
        as_of: The knowledge date: reports published on or before it count.
        seq: Only entries up to this seq count (a system-time pin).

    Raises:
        InvalidDateError: If *as_of* is not a date.

    .. versionadded:: 0.1.0
    """
    require_day(as_of)
    with young_collections_only():
        return _build_knowledge(entries, as_of, seq)


@contextlib.contextmanager
def young_collections_only() -> Iterator[None]:
    # A fold makes objects that live on in its answer and no garbage
    # cycles, while the log holds millions that a full collection would
    # walk for nothing. Collections of the young generations still run,
    # walking the new objects in small batches while they are fresh in the
    # CPU's cache; only full ones wait until the fold returns, when the
    # collector's thresholds are put back as they were. Pausing the
    # collector instead (`timeline._gc.collection_paused`) leaves every object the fold
    # made to be walked when it resumes, and again in the next collection
    # of the middle generation, each time from cold memory: at 100k claims
    # that is about 1.2 µs a claim during the fold and 2.5 after it.
    first, second, third = gc.get_threshold()
    gc.set_threshold(first, second, max(third, 1 << 30))
    try:
        yield
    finally:
        gc.set_threshold(first, second, third)


def _build_knowledge(
    entries: Iterable[Entry], as_of: dt.date, seq: int | None
) -> Knowledge:
    # One pass splits the window; a second keeps what is known and groups
    # it by happening. Each group is sorted by `happening_of`, so the order
    # in which entries are grouped does not matter.
    rest: list[Entry] = []
    amendments: list[Entry] = []
    last_seq = 0
    for entry in entries:
        number = entry.seq
        if seq is not None and number > seq:
            continue
        last_seq = max(last_seq, number)
        if isinstance(entry.event, Amendment):
            amendments.append(entry)
        else:
            rest.append(entry)
    voided = voided_by(amendments)
    analyst: list[Entry] = []
    by_id: dict[str, list[Entry]] = {}
    date = dt.date
    for entry in rest:
        event = entry.event
        # Report.published_day, without its call for a report of a day.
        published = event.report.published
        if published.__class__ is not date:
            published = event.report.published_day
        if published > as_of or (voided and entry.seq in voided):
            continue
        if isinstance(event, AnalystEntry):
            analyst.append(entry)
            continue
        found = by_id.get(event.event_id)
        if found is None:
            by_id[event.event_id] = [entry]
        else:
            found.append(entry)
    return assemble(by_id, analyst, as_of, last_seq)


def assemble(
    by_id: dict[str, list[Entry]], analyst: list[Entry], as_of: dt.date, last_seq: int
) -> Knowledge:
    # The known entries of each happening (lists this takes over) and the
    # known analyst entries (but amendments), folded into Knowledge.
    merges, places, verdicts, aliases, links = judged(analyst)
    groups = merge_groups(merges)
    by_group: dict[str, list[Entry]] = {}
    for event_id, found in by_id.items():
        root = groups.get(event_id, event_id)
        if root in by_group:
            by_group[root].extend(found)
        else:
            by_group[root] = found
    members: dict[str, set[str]] = defaultdict(set)
    for node, root in groups.items():
        members[root].add(node)
    judged_in: dict[str, list[Entry]] = defaultdict(list)
    for event_id, found in verdicts.items():
        judged_in[groups.get(event_id, event_id)].extend(found)
    linked_in: dict[str, list[Entry]] = defaultdict(list)
    for entry in links:
        event: Related = entry.event  # type: ignore[assignment]
        # Once a happening, when both ids are merged into it.
        for root in {
            groups.get(name, name) for name in (event.event_id, event.other_event_id)
        }:
            linked_in[root].append(entry)
    built = {
        root: happening_of(
            group,
            members[root],
            places,
            judged_in.get(root, ()),
            linked_in.get(root, ()),
        )
        for root, group in by_group.items()
    }
    for root, lenders in when_groups(links, groups).items():
        if root in built:
            lent = (built[other] for other in lenders if other in built)
            built[root] = sharing_when(built[root], lent, places)
    happenings = sorted(built.values(), key=_happening_id)
    return Knowledge(as_of, last_seq, tuple(happenings), tuple(aliases))


def _happening_id(happening: Happening) -> str:
    return happening.event_id


def when_groups(links: Iterable[Entry], groups: dict[str, str]) -> dict[str, list[str]]:
    # The merge groups (by their root) that `Related` entries with
    # same_when link, directly or through others: each root with the other
    # roots of its group, which lend it their dates.
    adjacent: dict[str, set[str]] = defaultdict(set)
    for entry in links:
        event: Related = entry.event  # type: ignore[assignment]
        if event.same_when:
            one = groups.get(event.event_id, event.event_id)
            other = groups.get(event.other_event_id, event.other_event_id)
            if one != other:
                adjacent[one].add(other)
                adjacent[other].add(one)
    lenders: dict[str, list[str]] = {}
    for start in adjacent:
        if start in lenders:
            continue
        component = [start]
        seen = {start}
        for node in component:  # grows while it is walked
            for other in sorted(adjacent[node] - seen):
                seen.add(other)
                component.append(other)
        for node in component:
            lenders[node] = [other for other in component if other != node]
    return lenders


def judged(
    analyst: Iterable[Entry],
) -> tuple[list[Entry], Places, dict[str, list[Entry]], list[Entry], list[Entry]]:
    # What the known analyst entries (amendments apart) judge, once their
    # revocations are applied: the merges and splits, which places lie
    # within which, the verdicts by the happening they judge, the names of
    # one entity (in the order given: seq order), and the links between
    # happenings. A
    # revocation counts from its own knowledge date, and every entry here
    # is known: a revoked judgement simply drops out.
    entries = list(analyst)
    revoked = {
        entry.event.revokes for entry in entries if isinstance(entry.event, Revocation)
    }
    merges: list[Entry] = []
    pairs: list[tuple[str, str]] = []
    verdicts: dict[str, list[Entry]] = {}
    aliases: list[Entry] = []
    links: list[Entry] = []
    for entry in entries:
        if revoked and entry.seq in revoked:
            continue
        event = entry.event
        if isinstance(event, SameAs | Split):
            merges.append(entry)
        elif isinstance(event, Within):
            pairs.append((event.place, event.within))
        elif isinstance(event, Verdict):
            verdicts.setdefault(event.event_id, []).append(entry)
        elif isinstance(event, SameEntity):
            aliases.append(entry)
        elif isinstance(event, Related):
            links.append(entry)
    return (
        merges,
        Places(pairs) if pairs else NO_PLACES,
        verdicts,
        aliases,
        links,
    )


def voided_by(amendments: Iterable[Entry]) -> set[int]:
    # An amendment voids its target in system time, whatever the knowledge
    # date; voiding an amendment restores what it had voided.
    return voided_among(
        (entry.seq, entry.event.voids)  # type: ignore[attr-defined]
        for entry in amendments
    )


def voided_among(amendments: Iterable[tuple[int, int]]) -> set[int]:
    # `voided_by` of the amendments as (seq, the seq it voids) pairs.
    # Amendments always point backwards, so one pass from the newest
    # settles each.
    voided: set[int] = set()
    for seq, target in sorted(amendments, key=lambda pair: -pair[0]):
        if seq not in voided:
            voided.add(target)
    return voided


def merge_groups(known: Sequence[Entry]) -> dict[str, str]:
    # Each id merged with others, with the root of its group: the merges
    # and splits among *known* replayed in knowledge order.
    return groups_among(
        (
            known_on(entry),
            entry.seq,
            isinstance(entry.event, SameAs),
            entry.event.event_id,
            entry.event.other_event_id,
        )
        for entry in known
        if isinstance(entry.event, SameAs | Split)
    )


def groups_among(
    merges: Iterable[tuple[dt.date | int, int, bool, str, str]],
) -> dict[str, str]:
    # `merge_groups` of the merges and splits as (knowledge day, seq,
    # whether it merges, one id, the other) tuples, the day as a date or
    # as the number YYYYMMDD: only their order counts.
    edges: set[frozenset[str]] = set()
    for _, _, joins, one, other in sorted(merges, key=lambda row: (row[0], row[1])):
        pair = frozenset({one, other})
        if joins:
            edges.add(pair)
        else:
            edges.discard(pair)
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for pair in edges:
        first, *rest = sorted(pair)
        for other in rest:
            low, high = sorted((find(first), find(other)))
            parent[high] = low
    return {node: find(node) for node in list(parent)}


def require_day(as_of: object) -> None:
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        msg = f"as_of must be a date, got {as_of!r}"
        raise InvalidDateError(msg)
