# SPDX-License-Identifier: MIT
"""Answers read from a store through its indexes, without loading the whole log.

Public as `timeline.stores.as_of`, `timeline.stores.happening`,
`timeline.stores.history` and `timeline.stores.about`. Each asks an
`timeline.stores.IndexedStore` through its indexes.
"""

import datetime as dt
from collections.abc import Collection, Iterable, Iterator
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from timeline.model.entry import Entry
from timeline.model.events import (
    Amendment,
    Event,
    Related,
    Revocation,
    SameAs,
    SameEntity,
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
from timeline.projections.fields import known_on
from timeline.projections.fold import (
    groups_among,
    judged,
    merge_groups,
    require_day,
    voided_among,
    voided_by,
)

if TYPE_CHECKING:
    from timeline.stores import Store


@runtime_checkable
class _Indexed(Protocol):
    # A store that finds merges by either id they name, and entries by type,
    # through indexes of its own: every IndexedStore (SQLiteStore), and
    # PostgreSQLStore (not imported here: it needs an optional extra).
    def merges_naming(
        self, ids: Collection[str], *, seq_until: int
    ) -> list[Entry]: ...  # pragma: no cover  # a protocol

    def read_types(
        self, event_types: Collection[str], *, seq_until: int
    ) -> Iterator[Entry]: ...  # pragma: no cover  # a protocol


@runtime_checkable
class _Judging(Protocol):
    # A store that gives its built-in amendments, revocations, merges and
    # splits as rows (SQLiteStore): see SQLiteStore.judgement_rows.
    def judgement_rows(
        self, *, seq_until: int, amendments_only: bool = False
    ) -> list[tuple[int, str, str, object, int]]: ...  # pragma: no cover


@runtime_checkable
class _Listing(Protocol):
    # An IndexedStore that also names which ids it counts (SQLiteStore).
    def live_happening_ids(
        self,
        *,
        published_until: dt.date,
        seq_until: int,
        voided: Collection[int],
        event_ids: Collection[str],
    ) -> set[str]: ...  # pragma: no cover  # a protocol


@runtime_checkable
class _Counting(Protocol):
    # A store that counts the happenings known on a day from tables of its
    # own (SQLiteStore), or says None when they cannot answer.
    def count_happenings(
        self, *, published_until: dt.date, seq_until: int
    ) -> int | None: ...  # pragma: no cover  # a protocol


@runtime_checkable
class _Voiding(Protocol):
    # A store that keeps which entries the amendments void (SQLiteStore),
    # or says None when its table cannot answer.
    def voided_among(
        self, seqs: Collection[int], *, seq_until: int
    ) -> set[int] | None: ...  # pragma: no cover  # a protocol


@runtime_checkable
class _Gathering(Protocol):
    # A store that reads what `_about` reads, and the seq to pin the answer
    # to, in one statement (PostgreSQLStore, where each costs a round trip
    # to the server); None when it cannot.
    def entries_about(
        self, event_id: str, *, seq: int | None
    ) -> tuple[int, list[Entry]] | None: ...  # pragma: no cover  # a protocol


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
    return Knowledge(known_date, pin, folded.happenings, folded.aliases)


_whole = as_of
"""`as_of`, for functions whose argument of that name hides it."""


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
    pin, entries = _gathered(store, event_id, seq, published_until=as_of)
    return KnowledgeIndex(entries).happening(event_id, as_of=as_of, seq=pin)


def history(
    store: "Store", event_id: str, *, seq: int | None = None
) -> tuple[tuple[dt.date, Happening], ...]:
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
        seq: Only entries up to this seq count (as in a log that has not
            taken in the later ones).

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
    _, entries = _gathered(store, event_id, seq, published_until=None)
    return KnowledgeIndex(entries)._steps(event_id)


def about(
    store: "Store", text: str, *, as_of: dt.date, seq: int | None = None
) -> tuple[Happening, ...]:
    """Return the happenings known on *as_of* whose id *text* is, or that mention it.

    Equal to ``as_of(store, as_of, seq=seq).about(text)`` (see
    `timeline.projections.Knowledge.about`). An `IndexedStore` whose text
    index can answer names the happenings whose entries may mention
    *text*, and only those are built, each as `happening` builds it, and
    matched exactly; any other store, or a text its index cannot search
    (shorter than three characters), is answered from the whole
    knowledge of that date.

    >>> import datetime as dt
    >>> from timeline.stores import MemoryStore, about
    >>> about(MemoryStore(), "asapov", as_of=dt.date(2017, 10, 5))
    ()

    Args:
        store: Any store.
        text: An id, or any text (case ignored).
        as_of: The knowledge date.
        seq: Pin the system time to this seq.

    Raises:
        InvalidDateError: If *as_of* is not a day.
        TypeError: If *text* is not a string or *seq* not a whole number.
        CorruptLogError: If an entry read was damaged or edited.
        StoreError: If the store is closed.

    .. versionadded:: 0.2.0
    """
    require_day(as_of)
    _require_id(text)
    pin = _pin(store, seq)
    # Imported here: timeline.stores imports this module.
    from timeline.stores import IndexedStore  # noqa: PLC0415

    # The names the analyst judged one entity's with *text*'s, as of then:
    # each is searched, and the happenings found are matched by
    # `Knowledge.about` itself, with the same judgements.
    judged = aliases(store, as_of, seq=pin)
    texts = (text, *Knowledge(as_of, pin, (), judged).aliases_of(text))
    searched = [
        store.search(each, seq_until=pin) if isinstance(store, IndexedStore) else None
        for each in texts
    ]
    if any(found_here is None for found_here in searched):
        return _whole(store, as_of, seq=pin).about(text)
    named = happening(store, text, as_of=as_of, seq=pin)
    if named is not None:
        return (named,)
    found: dict[str, Happening] = {}
    for event_id in sorted({each for ids in searched for each in ids or ()}):
        if event_id in found:
            continue
        known = happening(store, event_id, as_of=as_of, seq=pin)
        if known is not None:
            for member in known.event_ids:
                found[member] = known
    candidates = tuple(
        h for _, h in sorted({h.event_id: h for h in found.values()}.items())
    )
    return Knowledge(as_of, pin, candidates, judged).about(text)


def aliases(
    store: "Store", known_date: dt.date, *, seq: int | None = None
) -> tuple[Entry, ...]:
    """Return the analyst's judgements of names that count on *known_date*.

    Equal to ``as_of(store, known_date, seq=seq).aliases``: the
    `timeline.model.events.SameEntity` entries known then, neither revoked
    nor voided, read without the claims (through the index of types of an
    `IndexedStore`).

    >>> import datetime as dt
    >>> from timeline.stores import MemoryStore, aliases
    >>> aliases(MemoryStore(), dt.date(2017, 10, 5))
    ()

    Raises:
        InvalidDateError: If *known_date* is not a day.
        CorruptLogError: If an entry read was damaged or edited.
        StoreError: If the store is closed.

    .. versionadded:: 0.2.0
    """
    require_day(known_date)
    pin = _pin(store, seq)
    read = list(_of_types(store, (SameEntity, Revocation), pin))
    voided = _voided(store, pin, [entry.seq for entry in read])
    judgements = [entry for entry in read if entry.seq not in voided]
    return build_knowledge(judgements, as_of=known_date).aliases


def count(store: "Store", known_date: dt.date, *, seq: int | None = None) -> int:
    """Return how many happenings were known on *known_date*: ``len(as_of(...))``.

    An `IndexedStore` counts the ids its claims and responses name in its
    own code, and only the analyst's entries are read: the amendments, to
    leave out what they void, and the merges, to count each merged
    happening once. Any other store is folded.

    .. versionadded:: 0.2.0
    """
    require_day(known_date)
    pin = _pin(store, seq)
    # Imported here: timeline.stores imports this module.
    from timeline.stores import IndexedStore  # noqa: PLC0415

    if not isinstance(store, IndexedStore):
        return len(as_of(store, known_date, seq=pin))
    if isinstance(store, _Counting) and _built_in(Amendment, Revocation, SameAs, Split):
        counted = store.count_happenings(published_until=known_date, seq_until=pin)
        if counted is not None:
            return counted
    voided, groups = _merge_groups_on(store, known_date, pin)
    total = store.count_happening_ids(
        published_until=known_date, seq_until=pin, voided=voided
    )
    if not groups:
        return total
    # Each merged happening counts once, however many of its ids are known.
    if isinstance(store, _Listing):
        live = store.live_happening_ids(
            published_until=known_date, seq_until=pin, voided=voided, event_ids=groups
        )
        return total - len(live) + len({groups[event_id] for event_id in live})
    # One question a group, as the store counts: its known ids but one.
    members: dict[str, list[str]] = {}
    for node, root in groups.items():
        members.setdefault(root, []).append(node)
    for group in members.values():
        known = store.count_happening_ids(
            published_until=known_date, seq_until=pin, voided=voided, event_ids=group
        )
        total -= max(known - 1, 0)
    return total


def _merge_groups_on(
    store: "Store", known_date: dt.date, pin: int
) -> tuple[set[int], dict[str, str]]:
    # The seqs voided, and the merge groups (each id with its group's root)
    # that count on *known_date*: only the merges and splits bear on how
    # many happenings are known, with what revokes and voids them. A store
    # that gives them as rows is not asked for the entries themselves.
    if isinstance(store, _Judging) and _built_in(Amendment, Revocation, SameAs, Split):
        rows = store.judgement_rows(seq_until=pin)
        voided = voided_among(
            (seq, target)  # type: ignore[misc]
            for seq, tag, _, target, _ in rows
            if tag == Amendment.event_type
        )
        day = known_date.year * 10000 + known_date.month * 100 + known_date.day
        live = [row for row in rows if row[4] <= day and row[0] not in voided]
        revoked = {row[3] for row in live if row[1] == Revocation.event_type}
        merges = (
            (published, seq, tag == SameAs.event_type, one, str(other))
            for seq, tag, one, other, published in live
            if tag in {SameAs.event_type, Split.event_type} and seq not in revoked
        )
        return voided, groups_among(merges)
    voided = voided_by(_of_types(store, (Amendment,), pin))
    known = [
        entry
        for entry in _of_types(store, (SameAs, Split, Revocation), pin)
        if known_on(entry) <= known_date and entry.seq not in voided
    ]
    return voided, merge_groups(judged(known)[0])


def _voided(store: "Store", pin: int, seqs: Collection[int]) -> set[int]:
    # Which of *seqs* the amendments up to *pin* void: from a table of
    # them where the store keeps one, else read as rows where the store
    # gives them, else from the amendments themselves.
    if not seqs:
        return set()
    if isinstance(store, _Voiding) and _built_in(Amendment):
        found = store.voided_among(seqs, seq_until=pin)
        if found is not None:
            return found
    if isinstance(store, _Judging) and _built_in(Amendment):
        rows = store.judgement_rows(seq_until=pin, amendments_only=True)
        return voided_among((seq, target) for seq, _, _, target, _ in rows)  # type: ignore[misc]
    return voided_by(_of_types(store, (Amendment,), pin))


def _built_in(*classes: type[Event]) -> bool:
    # Whether every registered subclass of *classes* is one of them.
    return all(
        cls in classes
        for cls in registered_event_types().values()
        if issubclass(cls, classes)
    )


def _require_id(event_id: object) -> None:
    # Callers outside mypy pass anything.
    if not isinstance(event_id, str):
        msg = f"event_id must be a string, got {event_id!r}"
        raise TypeError(msg)


def _gathered(
    store: "Store", event_id: str, seq: int | None, *, published_until: dt.date | None
) -> tuple[int, list[Entry]]:
    # The seq an answer about *event_id* is pinned to, and what `_about`
    # reads: in one statement from a store that gathers them, else asked
    # in parts.
    if isinstance(store, _Gathering) and _built_in(SameAs, Split):
        _pin_type(seq)
        gathered = store.entries_about(event_id, seq=seq)
        if gathered is not None:
            return gathered
    pin = _pin(store, seq)
    return pin, _about(store, event_id, pin, published_until=published_until)


def _about(
    store: "Store", event_id: str, pin: int, *, published_until: dt.date | None
) -> list[Entry]:
    # The entries up to *pin* that what is known of *event_id* can depend
    # on, in seq order: the merges, splits and links (Related) chaining it
    # with others, and the entries about all of them (those published by
    # *published_until*, or of every date).
    # Imported here: timeline.stores imports this module.
    from timeline.stores import read_known  # noqa: PLC0415

    if isinstance(store, _Indexed) and _built_in(SameAs, Split):
        # Its indexes give the merges and splits linked to the happening and
        # the places within others, then every entry about their ids, of
        # any date: amendments and revocations, which undo whatever their
        # date, name the happening (or the Within) they undo.
        links_of = naming_in(pairs_by_id(_of_types(store, (Related,), pin)))
        members, merges = linked_with(
            event_id,
            lambda ids: [
                *store.merges_naming(ids, seq_until=pin),
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


def _pin_type(seq: object) -> int | None:
    # Callers outside mypy pass anything.
    if seq is not None and (isinstance(seq, bool) or not isinstance(seq, int)):
        msg = f"seq must be a whole number, got {seq!r}"
        raise TypeError(msg)
    return seq


def _pin(store: "Store", seq: object) -> int:
    # The last seq an answer may count: the store's end, or *seq* within it.
    seq = _pin_type(seq)
    end = len(store)
    return end if seq is None else max(min(seq, end), 0)


def _of_types(
    store: "Store", classes: tuple[type[Event], ...], pin: int
) -> Iterable[Entry]:
    # The entries of these classes (or their subclasses) up to *pin*, in
    # seq order.
    # Imported here: timeline.stores imports this module.
    from timeline.stores import read_known  # noqa: PLC0415

    if isinstance(store, _Indexed):
        tags = [
            tag
            for tag, cls in registered_event_types().items()
            if issubclass(cls, classes)
        ]
        return store.read_types(tags, seq_until=pin)
    return (
        entry
        for entry in read_known(store, seq_until=pin)
        if isinstance(entry.event, classes)
    )


def _in_seq_order(*parts: Iterable[Entry]) -> list[Entry]:
    # The entries of every part, each once, in seq order.
    by_seq = {entry.seq: entry for part in parts for entry in part}
    return [by_seq[number] for number in sorted(by_seq)]
