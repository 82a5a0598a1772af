# SPDX-License-Identifier: MIT
"""The index: entries indexed as they are appended, so answers need no replay.

A `KnowledgeIndex` answers one happening from what is known of it, and a
whole knowledge date from its last answer (its checkpoint), rebuilding only
what changed; an `IndexSnapshot` freezes its state to resume from. Their
answers equal `build_knowledge`'s.

.. versionadded:: 0.2.0
"""

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, KeysView
from typing import cast

import attrs

from timeline.errors import DanglingReferenceError, InvalidEntryError
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
from timeline.projections.evolution import (
    file_merge,
    history_over,
    linked_with,
    naming_in,
)
from timeline.projections.fields import known_on
from timeline.projections.fold import (
    assemble,
    judged,
    merge_groups,
    require_day,
    voided_by,
    young_collections_only,
)
from timeline.projections.happening import Happening, happening_of, sharing_when
from timeline.projections.knowledge import Knowledge

__all__ = ["IndexSnapshot", "KnowledgeIndex"]


@attrs.frozen
class IndexSnapshot:
    """The frozen state of a `KnowledgeIndex`, to resume from without a replay.

    Args:
        last_seq: The seq of the newest entry indexed.
        by_event: Each happening's claims and responses, by id.
        merges: The merges and splits.
        amendments: The amendments.
        judgements: The other analyst entries: places within places,
            verdicts, names of one entity and revocations.

    .. versionadded:: 0.1.0
    """

    last_seq: int
    by_event: tuple[tuple[str, tuple[Entry, ...]], ...]
    merges: tuple[Entry, ...]
    amendments: tuple[Entry, ...]
    judgements: tuple[Entry, ...] = ()


class KnowledgeIndex:
    """Entries indexed as they are appended, so one happening costs no replay.

    A point query (`happening`) reads only the entries about the happening
    and its merge group, the merges that touch the group, the analyst's
    verdicts on it, the links that name it (and, for links that share dates,
    the happenings they chain it to), the places said to lie within others,
    and the amendments and revocations that undo any of those: its cost
    grows with what is known of that happening, not with the log. A full query
    (`as_of`) starts from the index's last answer and rebuilds only what
    changed between the two dates. Their answers equal `build_knowledge`'s,
    which the tests prove.

    >>> import datetime as dt
    >>> from timeline.corpus import load_corpus
    >>> from timeline.projections import build_knowledge
    >>> index = KnowledgeIndex(load_corpus())
    >>> index.happening("asapov-death", as_of=dt.date(2017, 9, 27)) is None
    True
    >>> first = index.as_of(dt.date(2017, 10, 3))
    >>> then = index.as_of(dt.date(2017, 10, 4))  # from the checkpoint
    >>> then == build_knowledge(load_corpus(), as_of=dt.date(2017, 10, 4))
    True
    >>> then["asapov-death"].status.name
    'DISPUTED'

    .. versionadded:: 0.1.0
    """

    __slots__ = (
        "_alias_days",
        "_amended",
        "_amendments",
        "_by_event",
        "_checkpoint",
        "_day_keys",
        "_ids_on_day",
        "_judgements",
        "_judgements_by_seq",
        "_last_seq",
        "_links_of",
        "_merges",
        "_merges_of",
        "_place_days",
        "_revocations_of",
        "_verdicts_of",
        "_when_links",
        "_withins",
    )

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        # Each happening's entries in seq order: a tuple of exactly their
        # number when indexed in bulk (see `_extend_empty`), a list once
        # appended to.
        self._by_event: dict[str, list[Entry] | tuple[Entry, ...]] = {}
        self._merges: list[Entry] = []
        self._amendments: list[Entry] = []
        # Merges by each id they name, and amendments by the seq they void.
        self._merges_of: dict[str, list[Entry]] = {}
        self._amended: dict[int, list[Entry]] = {}
        # The other analyst entries: every one, in seq order; the places
        # within places; verdicts by the happening they judge; revocations
        # by the seq they revoke; and each revocable entry by its seq.
        self._judgements: list[Entry] = []
        self._withins: list[Entry] = []
        self._verdicts_of: dict[str, list[Entry]] = {}
        self._revocations_of: dict[int, list[Entry]] = {}
        self._judgements_by_seq: dict[int, Entry] = {}
        # Links between happenings by both ids they name, and the ids each
        # id is linked with by one with same_when, whatever its date.
        self._links_of: dict[str, list[Entry]] = {}
        self._when_links: dict[str, set[str]] = {}
        self._last_seq = 0
        # Built by the first full query and dropped by the next append: the
        # ids each day's entries (but amendments) name, the days in order,
        # and the last full answer, which the next query starts from.
        self._ids_on_day: dict[dt.date, list[str]] | None = None
        self._day_keys: list[dt.date] = []
        self._place_days: list[dt.date] = []
        self._alias_days: list[dt.date] = []
        self._checkpoint: Knowledge | None = None
        self.extend(entries)

    @classmethod
    def from_snapshot(cls, snapshot: IndexSnapshot) -> "KnowledgeIndex":
        """Return an index holding what *snapshot* held; extend it with the tail."""
        index = cls()
        index._by_event = dict(snapshot.by_event)
        for entry in snapshot.merges:
            index._add_merge(entry)
        for entry in snapshot.amendments:
            index._add_amendment(entry)
        for entry in snapshot.judgements:
            index._add_judgement(entry)
        index._last_seq = snapshot.last_seq
        return index

    @property
    def last_seq(self) -> int:
        """Return the seq of the newest entry indexed, 0 when empty."""
        return self._last_seq

    def event_ids(self) -> KeysView[str]:
        """Return a live view of every happening id some claim is about.

        Merges, splits and amendments only name ids a claim already
        introduced, so these are every id the log's entries name.

        .. versionadded:: 0.1.0
        """
        return self._by_event.keys()

    def snapshot(self) -> IndexSnapshot:
        """Return the index's state, frozen."""
        return IndexSnapshot(
            self._last_seq,
            tuple((key, tuple(value)) for key, value in self._by_event.items()),
            tuple(self._merges),
            tuple(self._amendments),
            tuple(self._judgements),
        )

    def extend(self, entries: Iterable[Entry]) -> None:
        """Index *entries*, which must follow what is indexed in seq order.

        Raises:
            InvalidEntryError: If an entry does not follow the last one.
        """
        self._ids_on_day = self._checkpoint = None
        self._day_keys, self._place_days, self._alias_days = [], [], []
        # Into an empty index (a log loading its store), each happening's
        # entries are gathered in lists, then kept in exact-size tuples.
        bulk = not self._by_event
        by_event: dict[str, list[Entry] | tuple[Entry, ...]] = (
            {} if bulk else self._by_event
        )
        apart: list[Entry] = []
        try:
            for entry in entries:
                if entry.seq <= self._last_seq:
                    msg = f"entry seq {entry.seq} does not follow seq {self._last_seq}"
                    raise InvalidEntryError(msg)
                event = entry.event
                if isinstance(event, _APART):
                    apart.append(entry)
                else:
                    found = by_event.get(event.event_id)
                    if found is None:
                        by_event[event.event_id] = [entry]
                    elif type(found) is list:
                        found.append(entry)
                    else:
                        by_event[event.event_id] = [*found, entry]
                self._last_seq = entry.seq
        finally:
            # What preceded a refused entry stays indexed. Merges and
            # amendments come after the tuples, not to hold on to the
            # lists' memory.
            if bulk:
                self._by_event = _exact_tuples(by_event)
            for entry in apart:
                event = entry.event
                if isinstance(event, SameAs | Split):
                    self._add_merge(entry)
                elif isinstance(event, Amendment):
                    self._add_amendment(entry)
                else:
                    self._add_judgement(entry)

    def _add_merge(self, entry: Entry) -> None:
        self._merges.append(entry)
        file_merge(self._merges_of, entry)
        self._judgements_by_seq[entry.seq] = entry

    def _add_judgement(self, entry: Entry) -> None:
        event = entry.event
        self._judgements.append(entry)
        if isinstance(event, Revocation):
            self._revocations_of.setdefault(event.revokes, []).append(entry)
            return
        # A `SameEntity` needs no index of its own: a full answer reads it
        # among the judgements, and `_index_days` dates it.
        self._judgements_by_seq[entry.seq] = entry
        if isinstance(event, Within):
            self._withins.append(entry)
        elif isinstance(event, Verdict):
            self._verdicts_of.setdefault(event.event_id, []).append(entry)
        elif isinstance(event, Related):
            file_merge(self._links_of, entry)
            if event.same_when:
                one, other = event.event_id, event.other_event_id
                self._when_links.setdefault(one, set()).add(other)
                self._when_links.setdefault(other, set()).add(one)

    def _add_amendment(self, entry: Entry) -> None:
        event: Amendment = entry.event  # type: ignore[assignment]
        self._amendments.append(entry)
        self._amended.setdefault(event.voids, []).append(entry)

    def _voided(self, seq: int, pin: int) -> bool:
        # Whether a live amendment up to *pin* voids entry *seq*. An
        # amendment is live unless a later live one voids it: the same
        # answer as `voided_by`'s pass from the newest amendment down.
        return any(
            amendment.seq <= pin and self._live(amendment.seq, pin)
            for amendment in self._amended.get(seq, ())
        )

    def _live(self, seq: int, pin: int) -> bool:
        return not any(
            seq < amendment.seq <= pin and self._live(amendment.seq, pin)
            for amendment in self._amended.get(seq, ())
        )

    def _counts(self, entry: Entry, as_of: dt.date, pin: int) -> bool:
        # Whether an analyst judgement counts on *as_of* at *pin*: known,
        # not voided, and not revoked by a revocation that counts then.
        return (
            entry.seq <= pin
            and known_on(entry) <= as_of
            and not (entry.seq in self._amended and self._voided(entry.seq, pin))
            and not any(
                revocation.seq <= pin
                and known_on(revocation) <= as_of
                and not (
                    revocation.seq in self._amended
                    and self._voided(revocation.seq, pin)
                )
                for revocation in self._revocations_of.get(entry.seq, ())
            )
        )

    def _places(self, as_of: dt.date, pin: int) -> Places:
        # The places said to lie within others, as of the date and pin.
        pairs = [
            (entry.event.place, entry.event.within)  # type: ignore[attr-defined]
            for entry in self._withins
            if self._counts(entry, as_of, pin)
        ]
        return Places(pairs) if pairs else NO_PLACES

    def _group(self, event_id: str, as_of: dt.date, pin: int) -> list[str]:
        # The happenings merged with *event_id* as of the date: those
        # reachable through pairs whose last merge or split (by knowledge
        # date, then seq) is a merge, as `merge_groups` finds them.
        merges_of = self._merges_of
        if event_id not in merges_of:
            return [event_id]
        members = [event_id]
        seen = {event_id}
        for node in members:  # grows while it is walked
            last: dict[frozenset[str], tuple[tuple[dt.date, int], bool]] = {}
            for entry in merges_of.get(node, ()):
                if not self._counts(entry, as_of, pin):
                    continue
                day = known_on(entry)
                event: SameAs | Split = entry.event  # type: ignore[assignment]
                pair = frozenset({event.event_id, event.other_event_id})
                order = (day, entry.seq)
                if pair not in last or last[pair][0] < order:
                    last[pair] = (order, isinstance(event, SameAs))
            for pair, (_, joined) in last.items():
                if joined:
                    for other in sorted(pair - seen):
                        seen.add(other)
                        members.append(other)
        return members

    def _steps(self, event_id: str) -> tuple[tuple[dt.date, Happening], ...]:
        # `history` of *event_id*, asking about the days on which what is
        # known of it can change: those its claims, and those of every
        # happening linked with it, and the merges and splits linking them,
        # became known. Raises when no claim is about it. Names of one
        # entity (`SameEntity`) change no happening, so their days are not
        # among these.
        if event_id not in self._by_event:
            msg = f"no entry is about {event_id!r}"
            raise DanglingReferenceError(msg)
        # Links count as merges do here: a happening sharing dates with
        # another changes when the other's do.
        merges_of, links_of = naming_in(self._merges_of), naming_in(self._links_of)
        linked, merges = linked_with(
            event_id, lambda ids: [*merges_of(ids), *links_of(ids)]
        )
        judgements = [*merges, *self._withins]
        for member in linked:
            judgements.extend(self._verdicts_of.get(member, ()))
        days = {known_on(entry) for entry in judgements}
        for entry in judgements:
            days.update(map(known_on, self._revocations_of.get(entry.seq, ())))
        for member in linked:
            days.update(known_on(entry) for entry in self._by_event.get(member, ()))
        return history_over(days, lambda day: self.happening(event_id, as_of=day))

    def happening(
        self, event_id: str, *, as_of: dt.date, seq: int | None = None
    ) -> Happening | None:
        """Return what was known of *event_id* on *as_of*, or None if nothing.

        Args:
            event_id: The happening, or any happening merged with it.
            as_of: The knowledge date.
            seq: Pin the system time to this seq.
        """
        pin = self._last_seq if seq is None else seq
        members = self._group(event_id, as_of, pin)
        places = self._places(as_of, pin)
        links = self._links(members, as_of, pin)
        own = self._built(members, as_of, pin, places, links)
        if own is None or not any(
            entry.event.same_when  # type: ignore[attr-defined]
            for entry in links
        ):
            return own
        # The happenings linked with it by same_when, directly or through
        # others, as `when_groups` finds them: they lend it their dates.
        lenders = []
        reached = set(members)
        pending = [links]
        while pending:
            for entry in pending.pop():
                event: Related = entry.event  # type: ignore[assignment]
                if not event.same_when:
                    continue
                for name in (event.event_id, event.other_event_id):
                    if name in reached:
                        continue
                    group = self._group(name, as_of, pin)
                    reached.update(group)
                    group_links = self._links(group, as_of, pin)
                    lender = self._built(group, as_of, pin, places, group_links)
                    if lender is not None:
                        lenders.append(lender)
                    pending.append(group_links)
        return sharing_when(own, lenders, places)

    def _links(self, members: list[str], as_of: dt.date, pin: int) -> list[Entry]:
        # The links naming any of *members* that count on the date.
        found = {
            entry.seq: entry
            for member in members
            for entry in self._links_of.get(member, ())
            if self._counts(entry, as_of, pin)
        }
        return list(found.values())

    def _built(
        self,
        members: list[str],
        as_of: dt.date,
        pin: int,
        places: Places,
        links: list[Entry],
    ) -> Happening | None:
        # The merge group *members* as of the date, its dates its own.
        amended = self._amended
        found = [
            entry
            for member in members
            for entry in self._by_event.get(member, ())
            if entry.seq <= pin
            and known_on(entry) <= as_of
            and (entry.seq not in amended or not self._voided(entry.seq, pin))
        ]
        if not found:
            return None
        verdicts = [
            entry
            for member in members
            for entry in self._verdicts_of.get(member, ())
            if self._counts(entry, as_of, pin)
        ]
        return happening_of(found, members, places, verdicts, links)

    def as_of(self, as_of: dt.date) -> Knowledge:
        """Return everything known on *as_of*, at the newest system time.

        Equal to ``build_knowledge(entries, as_of=as_of)``, which the tests
        prove. The index keeps its last answer as a checkpoint: the next
        starts from it and rebuilds only the happenings that claims published
        between the two dates touch (with their merge groups), so stepping
        through dates costs what changed between them, not a replay. The
        first query, one far from the checkpoint, or the first after an
        append, folds every entry.

        Raises:
            InvalidDateError: If *as_of* is not a date.

        .. versionadded:: 0.1.0
        """
        require_day(as_of)
        with young_collections_only():
            base = self._checkpoint
            voided = voided_by(self._amendments)
            knowledge = None if base is None else self._patched(base, as_of, voided)
            if knowledge is None:
                if self._ids_on_day is None:
                    self._index_days()
                by_id = {}
                for event_id, found in self._by_event.items():
                    known = _known(found, as_of, voided)
                    if known:
                        by_id[event_id] = known
                analyst = self._known_judgements(as_of, voided)
                knowledge = assemble(by_id, analyst, as_of, self._last_seq)
        self._checkpoint = knowledge
        return knowledge

    def _known_judgements(self, as_of: dt.date, voided: set[int]) -> list[Entry]:
        # The analyst entries (but amendments) known on *as_of*, not voided.
        return [
            *_known(self._merges, as_of, voided),
            *_known(self._judgements, as_of, voided),
        ]

    def _index_days(self) -> None:
        # The ids that entries published on each day name, for `_patched`;
        # built with the first full answer, whose fold it adds 2 to 3 % to.
        on_day: dict[dt.date, list[str]] = defaultdict(list)
        for event_id, found in self._by_event.items():
            for entry in found:
                on_day[entry.event.report.published_day].append(event_id)
        for entry in self._merges:
            on_day[known_on(entry)] += _ids_judged(entry)
        place_days = set()
        alias_days = set()
        for entry in self._judgements:
            event = entry.event
            target = (
                self._judgements_by_seq.get(event.revokes)
                if isinstance(event, Revocation)
                else entry
            )
            if target is None:
                continue
            if isinstance(target.event, Within):
                # A place within another may change how any happening's
                # values compare: from that day on, every answer is rebuilt.
                place_days.add(known_on(entry))
            elif isinstance(target.event, SameEntity):
                # Names of one entity change no happening, only the
                # knowledge's aliases (see `_patched`).
                alias_days.add(known_on(entry))
            else:
                on_day[known_on(entry)] += _ids_judged(target)
        self._ids_on_day = dict(on_day)
        self._day_keys = sorted(on_day)
        self._place_days = sorted(place_days)
        self._alias_days = sorted(alias_days)

    def _patched(
        self, base: Knowledge, as_of: dt.date, voided: set[int]
    ) -> Knowledge | None:
        # *base* as of *as_of*: the happenings that entries published
        # between the two dates touch are rebuilt, with every happening
        # they were or become merged with; None when too much changed for
        # that to be cheaper than a full fold.
        # Built with the first full answer, so set whenever a checkpoint is.
        on_day = cast(dict[dt.date, list[str]], self._ids_on_day)
        low, high = sorted((base.as_of, as_of))
        places = self._place_days
        if bisect.bisect_right(places, low) != bisect.bisect_right(places, high):
            return None
        days = self._day_keys
        window = days[bisect.bisect_right(days, low) : bisect.bisect_right(days, high)]
        limit = self._last_seq * _PATCH_SHARE
        named = 0
        dirty: set[str] = set()
        for day in window:
            ids = on_day[day]
            named += len(ids)
            if named > limit:
                return None
            dirty.update(ids)
        aliases = base.aliases
        names = self._alias_days
        if bisect.bisect_right(names, low) != bisect.bisect_right(names, high):
            known = self._known_judgements(as_of, voided)
            aliases = tuple(judged(known)[3])
        if not dirty:
            return Knowledge._indexed(
                as_of, base.seq, base.happenings, dict(base._index), aliases
            )
        analyst = self._known_judgements(as_of, voided)
        groups = merge_groups(judged(analyst)[0])
        members: dict[str, set[str]] = defaultdict(set)
        for node, root in groups.items():
            members[root].add(node)
        old = base._index
        # Close *dirty* over the happenings its ids belonged to and the
        # merge groups they belong to now.
        frontier = list(dirty)
        while frontier:
            event_id = frontier.pop()
            before = old.get(event_id)
            related = members.get(groups.get(event_id, event_id), ())
            lending = self._when_links.get(event_id, ())
            for other in (*(before.event_ids if before else ()), *related, *lending):
                if other not in dirty:
                    dirty.add(other)
                    frontier.append(other)
        by_id = {}
        for event_id in dirty:
            known = _known(self._by_event.get(event_id, ()), as_of, voided)
            if known:
                by_id[event_id] = known
        rebuilt = assemble(by_id, analyst, as_of, base.seq)
        gone = {old[event_id].event_id for event_id in dirty if event_id in old}
        happenings = [h for h in base.happenings if h.event_id not in gone]
        index = dict(old)
        for event_id in dirty:
            index.pop(event_id, None)
        for happening in rebuilt.happenings:
            bisect.insort(happenings, happening, key=_happening_id)
            for event_id in happening.event_ids:
                index[event_id] = happening
        return Knowledge._indexed(
            as_of, base.seq, tuple(happenings), index, rebuilt.aliases
        )


def _ids_judged(entry: Entry) -> list[str]:
    # The happenings a merge, a split, a link or a verdict bears on.
    event = entry.event
    if isinstance(event, SameAs | Split | Related):
        return [event.event_id, event.other_event_id]
    return [event.event_id]


def _known(entries: Iterable[Entry], as_of: dt.date, voided: set[int]) -> list[Entry]:
    # The entries known on *as_of* that no amendment voids.
    return [
        entry
        for entry in entries
        if entry.event.report.published_day <= as_of and entry.seq not in voided
    ]


def _exact_tuples(
    lists: dict[str, list[Entry] | tuple[Entry, ...]],
) -> dict[str, list[Entry] | tuple[Entry, ...]]:
    # The same dict, in the same order, its lists replaced by tuples of
    # their exact size (80 bytes for five entries, where a list grown by
    # appends takes 128). The lists are all freed, their entries laid end
    # to end in one large block, before the first tuple is made: the
    # tuples then take the lists' memory instead of leaving it as holes.
    sizes = [len(found) for found in lists.values()]
    flat = cast(list[Entry], [None] * sum(sizes))
    start = 0
    for (event_id, found), size in zip(lists.items(), sizes, strict=True):
        flat[start : start + size] = found
        lists[event_id] = ()
        start += size
    start = 0
    for event_id, size in zip(lists, sizes, strict=True):
        lists[event_id] = tuple(flat[start : start + size])
        start += size
    return lists


_APART = AnalystEntry
"""Entries the index keeps apart from the happenings they name."""

_PATCH_SHARE = 0.25
"""The share of entries between two dates past which a full fold is cheaper.

Rebuilding a happening from the checkpoint costs a few times what folding
its entries in a full pass does, as its merge group is rebuilt with it."""


def _happening_id(happening: Happening) -> str:
    return happening.event_id
