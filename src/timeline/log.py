# SPDX-License-Identifier: MIT
"""The append-only log: entries, their system time, and the `EventLog` facade."""

import bisect
import datetime as dt
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any, Literal, Protocol, Self

from timeline._gc import collection_paused
from timeline.errors import ConcurrencyError, DanglingReferenceError, TimelineError
from timeline.model._clock import Clock, utc_now
from timeline.model.entry import Entry
from timeline.model.events import Event
from timeline.model.rules import check_entries, require_aware
from timeline.projections import (
    Happening,
    Knowledge,
    KnowledgeDiff,
    KnowledgeIndex,
    build_knowledge,
    display,
)
from timeline.projections.comparison import check_window, compare
from timeline.stores import (
    IndexedStore,
    SharedStore,
    Store,
    open_store,
    read_after,
    wait_for_entries,
)
from timeline.stores._answers import StoredAnswers

__all__ = ["Entry", "EventLog"]


class EventLog:
    """An append-only log of claims, the reference every store is measured by.

    Entries are validated before they are accepted, stamped with ``seq`` and
    ``recorded_at``, and never changed or removed afterwards. Changes of mind
    are new entries.

    >>> import datetime as dt
    >>> from timeline import EventLog, FuzzyDate
    >>> from timeline.model.events import Death
    >>> from timeline.model.sources import Report, Source
    >>> log = EventLog()
    >>> tass = Report(outlet=Source("TASS"), published=dt.date(2017, 9, 24))
    >>> entry = log.append(
    ...     Death(
    ...         event_id="asapov-death",
    ...         report=tass,
    ...         person="Valery Asapov",
    ...         when=FuzzyDate.exact(dt.date(2017, 9, 24)),
    ...     )
    ... )
    >>> entry.seq, len(log)
    (1, 1)

    Args:
        entries: Entries to start from, as read back from storage; they are
            checked like new ones, keeping their ``seq`` and ``recorded_at``.
        clock: Returns the current aware time; injected so tests can fake it.
        store: Where the log is kept (see `timeline.stores`). Its entries
            are loaded and checked (unless *load* is false), and every
            accepted batch is written to it before the log in memory
            changes, so a failed write leaves the log as it was. Not
            together with *entries*.
        load: Whether to read the whole *store* into memory. False keeps a
            log in an `timeline.stores.IndexedStore` (a SQLite or
            PostgreSQL database) where it is: nothing is read when the log
            is made, and every question is answered through the store's
            indexes, so it costs what its answer holds; appends are checked
            by the same rules, their lookups answered by the store. A store
            that is no
            `IndexedStore` is loaded whatever *load* says.

    Raises:
        TypeError: If both *entries* and *store* are given.
        TimelineError: The first problem found in the stored entries, its
            message naming the store.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 The *load* argument.
    """

    __slots__ = ("_answers", "_clock", "_store")

    def __init__(
        self,
        entries: Iterable[Entry] = (),
        *,
        clock: Clock = utc_now,
        store: Store | None = None,
        load: bool = True,
    ) -> None:
        self._clock = clock
        self._store = store
        restored = list(entries)
        if store is not None and restored:
            msg = "pass entries or a store to load them from, not both"
            raise TypeError(msg)
        # The one place the log asks whether its store answers by itself.
        if store is not None and not load and isinstance(store, IndexedStore):
            self._answers: _Answers = StoredAnswers(store)
            return
        loaded = _Loaded()
        self._answers = loaded
        # Reading, checking and indexing make objects and no garbage cycles:
        # see collection_paused.
        with collection_paused():
            if store is not None:
                restored = list(store.read())
            if restored:
                try:
                    loaded.check(restored)
                except TimelineError as error:
                    if store is None:
                        raise
                    msg = f"loading {store!r}: {error}"
                    raise type(error)(msg) from error
                loaded.accept(restored)

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        mode: Literal["a", "r"] = "a",
        clock: Clock = utc_now,
        load: bool = False,
    ) -> Self:
        """Return the log kept in the file at *path*, or in the database at a URL.

        The suffix picks the backend, and a ``postgresql://`` URL picks
        PostgreSQL: see `timeline.stores.open_store`. Close the log when
        done, or use it as a context manager.

        A SQLite log (``.sqlite``, ``.db``), or one in PostgreSQL, is not
        loaded: nothing is read when it opens, and every question is
        answered through the database's indexes (see *load* in
        `EventLog`), so that it costs
        what its answer holds. Opening does not check the stored entries
        whole: each entry an answer reads is checked against its
        predecessor's hash, and `timeline.stores.check` checks the whole
        log. A JSON Lines log is read and checked whole, and kept in
        memory: ``timeline export big.sqlite`` turns one into a database.

        Args:
            path: The log's file, or a PostgreSQL URL (which needs the
                ``contested-timeline[postgresql]`` extra).
            mode: ``"a"`` (the default) to read and append, creating the
                file if it is missing; ``"r"`` to read only, never writing
                anything, so that an archived log on read-only media, or
                one the user may only read, can be asked questions.
            clock: Returns the current aware time, for appends.
            load: Read a SQLite or PostgreSQL log whole into memory
                (checking every entry, as a JSON Lines log is read), as
                before 0.2.0.

        Raises:
            ValueError: If *mode* is neither ``"a"`` nor ``"r"``.
            FileNotFoundError: If *mode* is ``"r"`` and the file is missing.
            ReadOnlyLogError: If *mode* is ``"a"`` and the file cannot be
                written; later, if an append is made to a log opened with
                ``"r"``.
            StoreError: If no backend handles the file's suffix, or a
                database cannot be reached.
            CorruptLogError: If the file cannot be read back as written.
            TimelineError: If the stored entries are not a valid log.

        .. versionadded:: 0.1.0
        .. versionchanged:: 0.2.0 The *mode* and *load* arguments, and
           PostgreSQL URLs; a SQLite log is no longer loaded.
        """
        if mode not in {"a", "r"}:
            msg = f"mode must be 'a' (read and append) or 'r' (read only), got {mode!r}"
            raise ValueError(msg)
        store = open_store(path, read_only=mode == "r")
        try:
            return cls(clock=clock, store=store, load=load)
        except BaseException:
            store.close()
            raise

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the store behind the log, if any.

        The entries of a loaded log stay readable; a log that answers from
        its store (see *load* in `EventLog`) raises `StoreError` when asked
        anything once closed. Appending to a closed log that has a store
        raises `StoreError`.

        .. versionadded:: 0.1.0
        """
        if self._store is not None:
            self._store.close()

    @property
    def store(self) -> Store | None:
        """Return the store the log is kept in, or None for a log in memory only.

        .. versionadded:: 0.1.0
        """
        return self._store

    def __len__(self) -> int:
        return len(self._answers)

    def __iter__(self) -> Iterator[Entry]:
        return self._answers.entries(len(self._answers))

    def __getitem__(self, seq: int) -> Entry:
        """Return the entry numbered *seq*.

        Raises:
            DanglingReferenceError: If the log holds no such entry.
        """
        end = len(self)
        if type(seq) is not int or not 1 <= seq <= end:
            msg = f"the log has no entry with seq {seq!r} (it holds 1..{end})"
            raise DanglingReferenceError(msg)
        return self._answers.entry(seq)

    def __repr__(self) -> str:
        return f"<EventLog of {len(self)} entries>"

    @property
    def last_seq(self) -> int:
        """Return the seq of the newest entry, 0 for an empty log."""
        return len(self._answers)

    @property
    def event_ids(self) -> frozenset[str]:
        """Return every happening id that some entry names."""
        return self._answers.event_ids()

    def entries(
        self, *, seq: int | None = None, recorded_at: dt.datetime | None = None
    ) -> Iterator[Entry]:
        """Iterate over entries in log order, optionally as the log stood earlier.

        Args:
            seq: Only entries numbered up to *seq*, inclusive.
            recorded_at: Only entries recorded at or before this aware time.

        Raises:
            InvalidDateError: If *recorded_at* is naive.
        """
        return self._answers.entries(self._stop(seq, recorded_at))

    def _stop(self, seq: int | None, recorded_at: dt.datetime | None) -> int:
        # The last seq that counts at the system time pinned by *seq* and
        # *recorded_at*: the log's end when neither is given.
        stop = len(self._answers)
        if seq is not None:
            stop = min(stop, max(seq, 0))
        if recorded_at is not None:
            require_aware(recorded_at, "recorded_at")
            stop = min(stop, self._answers.recorded_by(recorded_at))
        return stop

    def as_of(
        self,
        known_date: dt.date,
        *,
        seq: int | None = None,
        recorded_at: dt.datetime | None = None,
    ) -> Knowledge:
        """Return what the record said on *known_date*: reports published by then.

        At the newest system time the answer starts from the log's last one
        (see `KnowledgeIndex.as_of`), so moving through dates costs what
        changed between them; pinned to an earlier system time it is a fold
        of the entries up to the pin.

        Args:
            known_date: The knowledge date; reports published on or before it
                count, whenever the happenings they report took place.
            seq: Pin the system time: only entries up to this seq count, as
                when auditing an answer given before a later amendment.
            recorded_at: Pin the system time to an aware moment instead.

        Raises:
            InvalidDateError: If *known_date* is not a date or *recorded_at*
                is naive.
        """
        if seq is None and recorded_at is None:
            return self._answers.as_of(known_date, None)
        stop = self._stop(seq, recorded_at)
        return self._answers.as_of(
            known_date, None if stop == len(self._answers) else stop
        )

    def happening(
        self, event_id: str, *, as_of: dt.date, seq: int | None = None
    ) -> Happening | None:
        """Return what was known of one happening on *as_of*, or None if nothing.

        Served from an index kept as entries are appended, or from the
        store's indexes, so its cost grows with what is known of that
        happening, not with the log.

        Args:
            event_id: The happening, or any happening merged with it.
            as_of: The knowledge date.
            seq: Pin the system time to this seq.
        """
        return self._answers.happening(event_id, as_of, seq)

    def about(
        self, text: str, *, as_of: dt.date, seq: int | None = None
    ) -> tuple[Happening, ...]:
        """Return the happenings known on *as_of* that *text* names or mentions.

        Equal to ``log.as_of(as_of, seq=seq).about(text)`` (see
        `timeline.projections.Knowledge.about`). A log answering from a
        SQLite store finds the happenings through its full-text index, so
        the cost grows with what matches, not with the log.

        >>> import datetime as dt
        >>> from timeline.corpus import load_corpus
        >>> found = load_corpus().about("TASS", as_of=dt.date(2017, 10, 4))
        >>> [happening.event_id for happening in found][:2]
        ['asapov-command-post-shelling', 'asapov-death']

        Args:
            text: An id, or any text (case ignored).
            as_of: The knowledge date.
            seq: Pin the system time to this seq.

        Raises:
            InvalidDateError: If *as_of* is not a day.

        .. versionadded:: 0.2.0
        """
        stop = self._stop(seq, None)
        return self._answers.about(
            text, as_of, None if stop == len(self._answers) else stop
        )

    def aliases(self, as_of: dt.date, *, seq: int | None = None) -> tuple[Entry, ...]:
        """Return the analyst's judgements of names that count on *as_of*.

        Equal to ``log.as_of(as_of, seq=seq).aliases``: the
        `timeline.model.events.SameEntity` entries known then, neither
        revoked nor voided; a log answering from a SQLite store reads only
        those entries. With `about`, this is what a search for a name needs.

        >>> import datetime as dt
        >>> from timeline.corpus import load_corpus
        >>> [
        ...     entry.event.other_name
        ...     for entry in load_corpus().aliases(dt.date(2017, 10, 5))
        ... ]
        ['Sergey Shoigu']

        Raises:
            InvalidDateError: If *as_of* is not a day.

        .. versionadded:: 0.2.0
        """
        stop = self._stop(seq, None)
        return self._answers.aliases(
            as_of, None if stop == len(self._answers) else stop
        )

    def count(self, as_of: dt.date, *, seq: int | None = None) -> int:
        """Return how many happenings were known on *as_of*: ``len(log.as_of(as_of))``.

        A log answering from a SQLite store counts in the database and
        reads only the analyst's entries, instead of building every
        happening.

        >>> import datetime as dt
        >>> from timeline.corpus import load_corpus
        >>> load_corpus().count(dt.date(2016, 6, 18))
        32

        Raises:
            InvalidDateError: If *as_of* is not a day.

        .. versionadded:: 0.2.0
        """
        stop = self._stop(seq, None)
        return self._answers.count(as_of, None if stop == len(self._answers) else stop)

    @property
    def last_published(self) -> dt.date | None:
        """Return the latest day an entry's report was published on; None if empty.

        .. versionadded:: 0.2.0
        """
        return self._answers.last_day()

    def first_known(
        self,
        event_id: str,
        field: str | None = None,
        value: object = None,
        *,
        as_of: dt.date,
        seq: int | None = None,
    ) -> dt.date | None:
        """Return the day a happening, a field of it, or one value first became known.

        Equal to ``log.as_of(as_of, seq=seq).first_known(event_id, field,
        value)`` (see `timeline.projections.Knowledge.first_known`), from
        that one happening.

        >>> import datetime as dt
        >>> from timeline.corpus import load_corpus
        >>> load_corpus().first_known("asapov-death", as_of=dt.date(2017, 10, 4))
        datetime.date(2017, 9, 28)

        .. versionadded:: 0.2.0
        """
        found = self.happening(event_id, as_of=as_of, seq=seq)
        if found is None:
            return None
        pin = self._stop(seq, None)
        return Knowledge(as_of, pin, (found,)).first_known(event_id, field, value)

    def diff(self, since: dt.date, until: dt.date) -> KnowledgeDiff:
        """Return what became known after *since*, up to and including *until*.

        Raises:
            InvalidDateError: If *since* is after *until*.
        """
        check_window(since, until)
        return compare(self.as_of(since), self.as_of(until))

    def history(self, event_id: str) -> tuple[tuple[dt.date, Happening], ...]:
        """Return how knowledge of *event_id* evolved, one step per day it changed.

        Equal to `timeline.projections.history` over the log's
        entries, without a fold: the log's index names the days on which an
        entry about the happening, or about one linked with it by merges or
        splits, became known, and answers for the happening on each.

        Raises:
            DanglingReferenceError: If no entry is about *event_id*.
        """
        return self._answers.history(event_id)

    def to_arrow(self) -> Any:
        """Return every entry as a pyarrow Table, one row per stated fact.

        The view layer makes it (`timeline.views.arrow.log_table`, which
        also says how DuckDB answers "what was known on date X" from it);
        the log calls it through `timeline.projections.display`.

        Raises:
            MissingExtraError: If pyarrow is not installed; install the
                ``contested-timeline[arrow]`` extra.

        .. versionadded:: 0.2.0
        """
        return display.arrow_table(self)

    # -- Following other writers ---------------------------------------------

    def refresh(self) -> tuple[Entry, ...]:
        """Take in the entries other writers appended to the store; return them.

        A log reads its store when it opens, and takes in other writers'
        entries when it appends; a log that only reads sees them when it
        refreshes. Only the new entries are read (see
        `timeline.stores.read_after`), checked as loading checks them, and
        indexed; a log in memory only has nothing to take in.

        Raises:
            TimelineError: The first problem found in the new entries, its
                message naming the store; the log is left as it was.
            StoreError: If the store is closed.

        .. versionadded:: 0.2.0
        """
        store = self._store
        if store is None:
            return ()
        new = read_after(store, self.last_seq)
        if new:
            with collection_paused():
                self._take_in(new)
        return tuple(new)

    def follow(
        self, *, idle: float | None = None, poll: float = 0.2
    ) -> Iterator[Entry]:
        """Yield the entries other writers append, as they are committed.

        Each entry is taken in (see `refresh`) before it is yielded, so
        `as_of` answers with it at once. A PostgreSQL log waits for the
        notification every append sends when it commits, so a follower
        wakes within moments without polling the table; a file log looks
        at its file every *poll* seconds, which costs a ``stat`` (JSON
        Lines) or one lookup of the last seq (SQLite).

        >>> from timeline import EventLog
        >>> list(EventLog().follow(idle=0))
        []

        Args:
            idle: Stop after this many seconds without a new entry; None
                follows for ever (stop by leaving the loop).
            poll: Seconds between looks at a store that cannot notify.

        Raises:
            TimelineError: As `refresh`.

        .. versionadded:: 0.2.0
        """
        store = self._store
        deadline = None if idle is None else time.monotonic() + idle
        while True:
            new = self.refresh()
            if new:
                yield from new
                deadline = None if idle is None else time.monotonic() + idle
                continue
            left = None if deadline is None else deadline - time.monotonic()
            if store is None or (left is not None and left <= 0):
                return
            wait_for_entries(store, self.last_seq, timeout=left, poll=poll)

    def _take_in(self, others: Sequence[Entry]) -> None:
        # Entries other writers committed after this log's last one.
        try:
            self._check(others)
        except TimelineError as error:
            msg = f"taking in another writer's entries from {self._store!r}: {error}"
            raise type(error)(msg) from error
        self._accept(others)

    def append(self, event: Event, *, expected_seq: int | None = None) -> Entry:
        """Validate *event*, stamp it and add it to the end of the log.

        Args:
            event: The claim to add.
            expected_seq: The ``last_seq`` the caller believes the log has;
                the append fails if another writer got there first.

        Raises:
            ConcurrencyError: If *expected_seq* is given and stale.
            UnknownEventTypeError: If the event's class is not registered.
            DanglingReferenceError: If it refers to a happening or entry the
                log does not hold.
        """
        (entry,) = self.extend([event], expected_seq=expected_seq)
        return entry

    def extend(
        self, events: Iterable[Event], *, expected_seq: int | None = None
    ) -> tuple[Entry, ...]:
        """Validate and append several events at once: all of them, or none.

        A log kept in a store shared with other writers (other processes
        with the same file open) first takes in what they appended, while
        holding the store's write lock, and then stamps the batch after
        their entries: concurrent appends all succeed, in some order,
        unless *expected_seq* says otherwise. An empty batch writes nothing
        and does not consult the store.

        Args:
            events: The claims to add, in order.
            expected_seq: The ``last_seq`` the caller believes the log has;
                the append fails if it ends elsewhere, as when another writer
                appended first. The log has then taken in the other writers'
                entries, so `last_seq` gives the true end.

        Raises:
            ConcurrencyError: If *expected_seq* is given and stale.
            UnknownEventTypeError: If an event's class is not registered.
            DanglingReferenceError: If an event refers to a happening or entry
                that neither the log nor an earlier event of the batch holds.
            InvalidEntryError: If an item is not an event.
            InvalidDateError: If the clock returns a naive time.
            CorruptLogError: If what other writers stored is damaged.
        """
        batch = list(events)
        # Appending makes objects and no garbage cycles: see
        # collection_paused.
        with collection_paused():
            return self._extend(batch, expected_seq)

    def _extend(
        self, batch: Sequence[Event], expected_seq: int | None
    ) -> tuple[Entry, ...]:
        store = self._store
        if store is None or not batch:
            new = self._stamp(batch, expected_seq)
        elif isinstance(store, SharedStore):
            new = store.append_after(
                self.last_seq, lambda others: self._build(others, batch, expected_seq)
            )
        else:
            # A store without a write lock of its own: take in what others
            # appended, then append; a writer racing in between still makes
            # the store refuse the batch with ConcurrencyError.
            stored = len(store)
            others = (
                list(store.read())[self.last_seq :] if stored > self.last_seq else []
            )
            new = self._build(others, batch, expected_seq)
            store.append(new)
        self._accept(new)
        return tuple(new)

    def _build(
        self, others: Sequence[Entry], batch: Sequence[Event], expected_seq: int | None
    ) -> list[Entry]:
        # Called under the store's write lock: *others* are committed entries
        # other writers appended after this log's last one.
        if others:
            self._take_in(others)
        return self._stamp(batch, expected_seq)

    def _stamp(self, batch: Sequence[Event], expected_seq: int | None) -> list[Entry]:
        # Numbers and timestamps the batch after the log's last entry, and
        # checks it whole: nothing is accepted here.
        if expected_seq is not None and expected_seq != self.last_seq:
            msg = (
                f"expected the log to end at seq {expected_seq}, but it ends at "
                f"{self.last_seq}: another writer appended first"
            )
            raise ConcurrencyError(msg)
        now = self._clock()
        require_aware(now, "the clock's time")
        now = now.astimezone(dt.UTC)
        end = len(self._answers)
        if end:
            # A clock stepping backwards, or another process's clock running
            # ahead, must not make system time decrease along seq: the log
            # keeps the latest time it has seen.
            now = max(now, self._answers.entry(end).recorded_at)
        first = end + 1
        new = [Entry(first + i, now, event) for i, event in enumerate(batch)]
        self._check(new)
        return new

    def _check(self, new: Sequence[Entry]) -> None:
        # Checks the whole batch before anything is accepted, so a rejected
        # batch leaves the log exactly as it was.
        self._answers.check(new)

    def _accept(self, new: Sequence[Entry]) -> None:
        self._answers.accept(new)


class _Answers(Protocol):
    # What the log asks of where its entries are: the entries and index it
    # holds in memory (`_Loaded`), or a store that answers through its own
    # indexes (`timeline.stores._answers.StoredAnswers`). Both answer alike.

    def __len__(self) -> int: ...

    def entry(self, seq: int) -> Entry: ...

    def entries(self, stop: int) -> Iterator[Entry]: ...

    def recorded_by(self, moment: dt.datetime) -> int: ...

    def event_ids(self) -> frozenset[str]: ...

    def as_of(self, known_date: dt.date, pin: int | None) -> Knowledge: ...

    def count(self, known_date: dt.date, pin: int | None) -> int: ...

    def last_day(self) -> dt.date | None: ...

    def happening(
        self, event_id: str, known_date: dt.date, pin: int | None
    ) -> Happening | None: ...

    def history(self, event_id: str) -> tuple[tuple[dt.date, Happening], ...]: ...

    def about(
        self, text: str, known_date: dt.date, pin: int | None
    ) -> tuple[Happening, ...]: ...

    def aliases(self, known_date: dt.date, pin: int | None) -> tuple[Entry, ...]: ...

    def check(self, new: Sequence[Entry]) -> None: ...

    def accept(self, new: Sequence[Entry]) -> None: ...


class _Loaded:
    # The entries in memory and their index: the reference every store's
    # answers are measured by.

    __slots__ = ("_entries", "_index")

    def __init__(self) -> None:
        self._entries: list[Entry] = []
        self._index = KnowledgeIndex()

    def __len__(self) -> int:
        return len(self._entries)

    def entry(self, seq: int) -> Entry:
        return self._entries[seq - 1]

    def entries(self, stop: int) -> Iterator[Entry]:
        if stop >= len(self._entries):
            return iter(self._entries)
        return iter(self._entries[:stop])

    def recorded_by(self, moment: dt.datetime) -> int:
        # recorded_at never decreases along seq, so a bisection finds the cut.
        return bisect.bisect_right(self._entries, moment, key=_recorded_at)

    def event_ids(self) -> frozenset[str]:
        return frozenset(self._index.event_ids())

    def as_of(self, known_date: dt.date, pin: int | None) -> Knowledge:
        if pin is None:
            return self._index.as_of(known_date)
        return build_knowledge(self._entries[:pin], as_of=known_date)

    def count(self, known_date: dt.date, pin: int | None) -> int:
        return len(self.as_of(known_date, pin))

    def last_day(self) -> dt.date | None:
        return max(
            (entry.event.report.published_day for entry in self._entries),
            default=None,
        )

    def happening(
        self, event_id: str, known_date: dt.date, pin: int | None
    ) -> Happening | None:
        return self._index.happening(event_id, as_of=known_date, seq=pin)

    def history(self, event_id: str) -> tuple[tuple[dt.date, Happening], ...]:
        return self._index._steps(event_id)

    def about(
        self, text: str, known_date: dt.date, pin: int | None
    ) -> tuple[Happening, ...]:
        return self.as_of(known_date, pin).about(text)

    def aliases(self, known_date: dt.date, pin: int | None) -> tuple[Entry, ...]:
        if pin is None:
            return self._index.as_of(known_date).aliases
        return build_knowledge(self._entries[:pin], as_of=known_date).aliases

    def check(self, new: Sequence[Entry]) -> None:
        check_entries(new, accepted=self._entries, known_ids=self._index.event_ids())

    def accept(self, new: Sequence[Entry]) -> None:
        # The index first: the log's list then takes the memory the index
        # used while it was being built.
        self._index.extend(new)
        self._entries.extend(new)


def _recorded_at(entry: Entry) -> dt.datetime:
    return entry.recorded_at
