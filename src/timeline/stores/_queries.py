# SPDX-License-Identifier: MIT
"""Answers read from a store through its indexes, without loading the whole log.

Public as `timeline.stores.as_of`, `timeline.stores.happening` and
`timeline.stores.history`.
"""

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from timeline.model.entry import Entry
from timeline.model.events import (
    Amendment,
    Event,
    Related,
    Revocation,
    SameAs,
    Split,
    Within,
    registered_event_types,
)
from timeline.projections import (
    Happening,
    Knowledge,
    KnowledgeIndex,
    build_knowledge,
)
from timeline.projections.evolution import linked_with, naming_in, pairs_by_id
from timeline.projections.fold import require_day
from timeline.stores.sqlite import SQLiteStore

if TYPE_CHECKING:
    from timeline.stores import Store

_STRUCTURAL = (SameAs, Split, Related, Amendment, Within, Revocation)
"""Entries that reach beyond their own happening or knowledge date: merges
and splits join and part happenings, links tie one to another (and may lend
it their dates), amendments void entries whenever they were published,
places within others bear on every happening, and revocations take back any
of the analyst's judgements."""


def as_of(store: "Store", known_date: dt.date, *, seq: int | None = None) -> Knowledge:
    """Return what the record said on *known_date*, reading only what it needs.

    Equal to ``EventLog(store=store).as_of(known_date, seq=seq)``, without
    loading the whole log: the store gives the entries published by then
    and every amendment, which voids its target whatever the date. A
    `SQLiteStore` reads the first along its seqs or through its index of
    publication days, whichever its planner estimates cheaper, and the
    amendments through an index of their own. Each entry read is decoded
    and checked against its predecessor's hash, but the log is not checked
    whole: `timeline.stores.check` does that.

    >>> import datetime as dt
    >>> from timeline.stores import MemoryStore, as_of
    >>> len(as_of(MemoryStore(), dt.date(2017, 10, 5)))
    0

    Args:
        store: Any store; a `QueryableStore` filters the entries itself.
        known_date: The knowledge date; reports published on or before it
            count.
        seq: Pin the system time: only entries up to this seq count.

    Raises:
        InvalidDateError: If *known_date* is not a day.
        TypeError: If *seq* is not a whole number.
        CorruptLogError: If an entry read was damaged or edited.
        StoreError: If the store is closed.

    .. versionadded:: 0.1.0
    """
    require_day(known_date)
    pin = _pin(store, seq)
    # Imported here: timeline.stores imports this module.
    from timeline.stores import read_known  # noqa: PLC0415

    known = read_known(store, published_until=known_date, seq_until=pin)
    amendments = _of_types(store, (Amendment,), pin)
    folded = build_knowledge(_in_seq_order(known, amendments), as_of=known_date)
    return Knowledge(known_date, pin, folded.happenings)


def happening(
    store: "Store", event_id: str, *, as_of: dt.date, seq: int | None = None
) -> Happening | None:
    """Return what was known of one happening on *as_of*, reading only what it needs.

    Equal to ``EventLog(store=store).happening(event_id, as_of=as_of,
    seq=seq)``, without loading the whole log: the store gives the merges
    and splits that link the happening with others, the links between
    happenings (`timeline.model.events.Related`) that reach it, the entries
    about all of them (the analyst's verdicts on them and revocations
    included), and every `timeline.model.events.Within` with what revokes
    or voids it. A `SQLiteStore` finds them through its indexes (of
    happening ids, of the other id a merge names, of links, and of Within
    entries), so the cost grows with what is known of those happenings and
    with the places said to lie within others, not with the log; other
    stores are read and filtered, as
    is SQLite when a merge class of your own is registered. Each entry read
    is decoded and checked against its predecessor's hash.

    >>> import datetime as dt
    >>> from timeline.stores import MemoryStore, happening
    >>> print(happening(MemoryStore(), "asapov-death", as_of=dt.date(2017, 10, 5)))
    None

    Args:
        store: Any store; a `QueryableStore` filters the entries itself.
        event_id: The happening, or any happening merged with it.
        as_of: The knowledge date.
        seq: Pin the system time to this seq.

    Raises:
        InvalidDateError: If *as_of* is not a day.
        TypeError: If *event_id* is not a string or *seq* not a whole number.
        CorruptLogError: If an entry read was damaged or edited.
        StoreError: If the store is closed.

    .. versionadded:: 0.1.0
    """
    require_day(as_of)
    _require_id(event_id)
    pin = _pin(store, seq)
    entries = _about(store, event_id, pin, published_until=as_of)
    return KnowledgeIndex(entries).happening(event_id, as_of=as_of, seq=pin)


def history(store: "Store", event_id: str) -> tuple[tuple[dt.date, Happening], ...]:
    """Return how knowledge of one happening evolved, reading only what it needs.

    Equal to ``EventLog(store=store).history(event_id)``, without loading
    the whole log: the store gives what `happening` reads, of every date,
    and the happening is asked about on each day it could have changed.
    Each entry read is decoded and checked against its predecessor's hash.

    >>> from timeline.stores import MemoryStore, history
    >>> history(MemoryStore(), "asapov-death")
    Traceback (most recent call last):
    ...
    timeline.errors.DanglingReferenceError: no entry is about 'asapov-death'

    Args:
        store: Any store; a `QueryableStore` filters the entries itself.
        event_id: The happening.

    Returns:
        One (knowledge date, happening) step for each day what was known of
        it changed, merges with other happenings included.

    Raises:
        DanglingReferenceError: If no entry is about *event_id*.
        TypeError: If *event_id* is not a string.
        CorruptLogError: If an entry read was damaged or edited.
        StoreError: If the store is closed.

    .. versionadded:: 0.1.0
    """
    _require_id(event_id)
    pin = _pin(store, None)
    return KnowledgeIndex(_about(store, event_id, pin, published_until=None))._steps(
        event_id
    )


def _require_id(event_id: object) -> None:
    # Callers outside mypy pass anything.
    if not isinstance(event_id, str):
        msg = f"event_id must be a string, got {event_id!r}"
        raise TypeError(msg)


def _about(
    store: "Store", event_id: str, pin: int, *, published_until: dt.date | None
) -> list[Entry]:
    # The entries up to *pin* that what is known of *event_id* can depend
    # on, in seq order: the merges, splits and links (Related) chaining it
    # with others, and the entries about all of them (those published by
    # *published_until*, or of every date).
    # Imported here: timeline.stores imports this module.
    from timeline.stores import read_known  # noqa: PLC0415

    if isinstance(store, SQLiteStore) and _merges_are_built_in():
        # Its indexes give the merges and splits linked to the happening and
        # the places within others, then every entry about their ids, of
        # any date: amendments and revocations, which undo whatever their
        # date, name the happening (or the Within) they undo.
        links_of = naming_in(pairs_by_id(_of_types(store, (Related,), pin)))
        members, merges = linked_with(
            event_id,
            lambda ids: [
                *store._merges_naming(ids, seq_until=pin),
                *links_of(ids),
            ],
        )
        withins = list(_of_types(store, (Within,), pin))
        members |= {entry.event.event_id for entry in withins}
        about = read_known(store, event_ids=members, seq_until=pin)
        return _in_seq_order(about, merges, withins)
    structural = list(_of_types(store, _STRUCTURAL, pin))
    merges_of = pairs_by_id(
        entry
        for entry in structural
        if isinstance(entry.event, SameAs | Split | Related)
    )
    members, _ = linked_with(event_id, naming_in(merges_of))
    about = read_known(
        store, event_ids=members, published_until=published_until, seq_until=pin
    )
    return _in_seq_order(about, structural)


def _merges_are_built_in() -> bool:
    # Whether every registered merge or split class is SameAs or Split,
    # whose rows a SQLite store indexes by both ids.
    return all(
        cls in (SameAs, Split)
        for cls in registered_event_types().values()
        if issubclass(cls, SameAs | Split)
    )


def _pin(store: "Store", seq: object) -> int:
    # The last seq an answer may count: the store's end, or *seq* within it.
    if seq is not None and (isinstance(seq, bool) or not isinstance(seq, int)):
        msg = f"seq must be a whole number, got {seq!r}"
        raise TypeError(msg)
    end = len(store)
    return end if seq is None else max(min(seq, end), 0)


def _of_types(
    store: "Store", classes: tuple[type[Event], ...], pin: int
) -> Iterable[Entry]:
    # The entries of these classes (or their subclasses) up to *pin*, in
    # seq order.
    if isinstance(store, SQLiteStore):
        tags = [
            tag
            for tag, cls in registered_event_types().items()
            if issubclass(cls, classes)
        ]
        return store._read_types(tags, seq_until=pin)
    # Imported here: timeline.stores imports this module.
    from timeline.stores import read_known  # noqa: PLC0415

    return (
        entry
        for entry in read_known(store, seq_until=pin)
        if isinstance(entry.event, classes)
    )


def _in_seq_order(*parts: Iterable[Entry]) -> list[Entry]:
    # The entries of every part, each once, in seq order.
    by_seq = {entry.seq: entry for part in parts for entry in part}
    return [by_seq[number] for number in sorted(by_seq)]
