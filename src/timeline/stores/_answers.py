# SPDX-License-Identifier: MIT
"""A log's answers read from an `IndexedStore`, for a log that is not loaded.

Private to `timeline.log`: `timeline.EventLog` answers through one of two
objects with the same methods, the entries and index it holds in memory, or
a `StoredAnswers` over an `IndexedStore` (`timeline.stores.IndexedStore`),
which asks the store each time, so that a question costs what its answer
holds. Both answer exactly alike; the tests compare them.
"""

import datetime as dt
from collections.abc import Collection, Container, Iterator, Sequence
from typing import Protocol, overload, runtime_checkable

from timeline.model.entry import Entry
from timeline.model.events import Event
from timeline.model.rules import check_entries
from timeline.projections import Happening, Knowledge
from timeline.stores import IndexedStore
from timeline.stores._queries import about, aliases, as_of, count, happening, history

__all__ = ["StoredAnswers"]


class StoredAnswers:
    """The answers of a log kept in *store*, each read from it when asked.

    As of the entries the log has seen, as a loaded log answers: those
    stored when it was made, its own appends, and other writers' entries
    it took in when appending; every query is pinned to the last of them.
    """

    __slots__ = ("_end", "_store")

    def __init__(self, store: IndexedStore) -> None:
        self._store = store
        self._end = len(store)

    def __len__(self) -> int:
        return self._end

    def entry(self, seq: int) -> Entry:
        """Return entry *seq*, which the caller knows is stored."""
        return self._store.entry_at(seq)

    def entries(self, stop: int) -> Iterator[Entry]:
        """Return the entries numbered up to *stop*, in seq order."""
        return self._store.read_known(seq_until=min(stop, self._end))

    def recorded_by(self, moment: dt.datetime) -> int:
        """Return how many entries were recorded at or before *moment*.

        ``recorded_at`` never decreases along seq: a bisection over the
        store's entries, reading a few dozen at most.
        """
        low, high = 0, self._end
        while low < high:
            middle = (low + high + 1) // 2
            if self._store.entry_at(middle).recorded_at <= moment:
                low = middle
            else:
                high = middle - 1
        return low

    def event_ids(self) -> frozenset[str]:
        """Return every happening id a claim or response names."""
        return frozenset(self._store.happening_ids(seq_until=self._end))

    def as_of(self, known_date: dt.date, pin: int | None) -> Knowledge:
        """Return what was known on *known_date*, up to seq *pin* if given."""
        return as_of(self._store, known_date, seq=self._pin(pin))

    def count(self, known_date: dt.date, pin: int | None) -> int:
        """Return how many happenings were known on *known_date*."""
        return count(self._store, known_date, seq=self._pin(pin))

    def last_day(self) -> dt.date | None:
        """Return the latest day an entry was published on."""
        return self._store.last_published_day(seq_until=self._end)

    def happening(
        self, event_id: str, known_date: dt.date, pin: int | None
    ) -> Happening | None:
        """Return what was known of one happening on *known_date*."""
        return happening(self._store, event_id, as_of=known_date, seq=self._pin(pin))

    def history(self, event_id: str) -> tuple[tuple[dt.date, Happening], ...]:
        """Return how knowledge of *event_id* evolved."""
        return history(self._store, event_id, seq=self._end)

    def about(
        self, text: str, known_date: dt.date, pin: int | None
    ) -> tuple[Happening, ...]:
        """Return the happenings known on *known_date* that *text* names or matches."""
        return about(self._store, text, as_of=known_date, seq=self._pin(pin))

    def aliases(self, known_date: dt.date, pin: int | None) -> tuple[Entry, ...]:
        """Return the judgements of names that count on *known_date*."""
        return aliases(self._store, known_date, seq=self._pin(pin))

    def check(self, new: Sequence[Entry]) -> None:
        """Raise the first reason the log would refuse *new*, as `check_entries`.

        The entries before *new* and the ids they name are looked up in
        the store through its indexes, as the rules ask for them.
        """
        end = new[0].seq - 1 if new else self._end
        check_entries(
            new,
            accepted=_StoredEntries(self._store, end),
            known_ids=_StoredIds(self._store, end, _named(new)),
        )

    def accept(self, new: Sequence[Entry]) -> None:
        """Take in entries just stored, or other writers' checked ones."""
        if new:
            self._end = new[-1].seq

    def _pin(self, pin: int | None) -> int:
        # The seq an answer is pinned to: the log's end, or *pin* if given
        # (at most the end, as the caller has clamped it).
        return self._end if pin is None else pin


class _StoredEntries(Sequence[Entry]):
    # The store's first *end* entries, as `check_entries` reads them: the
    # last one, and the targets of amendments and revocations.

    __slots__ = ("_end", "_store")

    def __init__(self, store: IndexedStore, end: int) -> None:
        self._store, self._end = store, end

    def __len__(self) -> int:
        return self._end

    @overload
    def __getitem__(self, index: int) -> Entry: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Entry]: ...

    def __getitem__(self, index: int | slice) -> Entry | Sequence[Entry]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._end))]
        position = index + self._end if index < 0 else index
        if not 0 <= position < self._end:
            raise IndexError(index)
        return self._store.entry_at(position + 1)


@runtime_checkable
class _BatchedLookups(Protocol):
    # A store that says which of many ids it holds in one question, as a
    # server does in one round trip (PostgreSQLStore).
    def held_happenings(
        self, ids: Collection[str], *, seq_until: int
    ) -> set[str]: ...  # pragma: no cover  # a protocol


class _StoredIds(Container[str]):
    # The happening ids the store's first *end* entries name, as
    # `check_entries` asks about them: one id at a time, each looked up
    # once (the entries of a batch often name the same happenings), or,
    # from a store with batched lookups, the ids *asked* (a batch's) all at
    # once first.

    __slots__ = ("_asked", "_end", "_found", "_held", "_store")

    def __init__(
        self, store: IndexedStore, end: int, asked: Collection[str] = ()
    ) -> None:
        self._store, self._end = store, end
        self._found: dict[str, bool] = {}
        self._asked: frozenset[str] = frozenset()
        self._held: set[str] = set()
        if asked and isinstance(store, _BatchedLookups):
            self._asked = frozenset(asked)
            self._held = store.held_happenings(self._asked, seq_until=end)

    def __contains__(self, event_id: object) -> bool:
        if not isinstance(event_id, str):
            return False
        if event_id in self._asked:
            return event_id in self._held
        found = self._found.get(event_id)
        if found is None:
            found = self._found[event_id] = self._store.holds_happening(
                event_id, seq_until=self._end
            )
        return found


def _named(new: Sequence[Entry]) -> set[str]:
    # The happening ids the rules may ask about when checking *new*.
    ids: set[str] = set()
    for entry in new:
        event = getattr(entry, "event", None)
        if isinstance(event, Event):
            ids.add(event.event_id)
            ids.update(event.referenced_event_ids())
    return ids
