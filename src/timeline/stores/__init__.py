# SPDX-License-Identifier: MIT
"""Where logs are kept: the `Store` protocol, the built-in backends, `open_store()`.

A store keeps entries exactly as the log stamped them and gives them back in
seq order. It does not judge them (that is `timeline.EventLog`'s job), but it
refuses anything it could not give back, and never loses what it accepted.

Backends: `MemoryStore` (the reference), `JsonlStore` (a JSON Lines file)
and `SQLiteStore` (a SQLite database). Third-party backends need no base
class: they implement `Store` and prove it by passing the contract tests
(see the how-to "Write a store"). Several processes can append to one
built-in store at once: each is a `SharedStore`.

`read_after()` gives the entries other writers appended since a seq, and
`wait_for_entries()` waits for some: a `timeline.EventLog` follows a
shared log with them (`timeline.EventLog.refresh`,
`timeline.EventLog.follow`).

`as_of()`, `happening()`, `history()` and `about()` answer from a store,
reading only the entries an answer needs (through the indexes of an
`IndexedStore` such as `SQLiteStore`) instead of loading the log;
`timeline.EventLog.open` keeps a log in an `IndexedStore` without loading
it, and answers through them.
`check()` reports what is wrong with a stored log file, naming the first bad
seq, `repair()` moves a torn tail, left by a crash, to a side file, and
`rebuild_index()` rebuilds a log's text index from its entries; the
page "Reliability" states what the stores promise.

.. versionadded:: 0.1.0
"""

import datetime as dt
import os
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

from timeline.errors import StoreError
from timeline.model.entry import Entry
from timeline.stores._check import check, rebuild_index, repair
from timeline.stores._check_reports import (
    Anchor,
    CheckReport,
    Problem,
    ProblemKind,
    RepairReport,
)
from timeline.stores._queries import (
    about,
    aliases,
    as_of,
    count,
    happening,
    history,
)
from timeline.stores._records import Known, check_batch
from timeline.stores._urls import is_database_url
from timeline.stores.jsonl import JsonlStore
from timeline.stores.memory import MemoryStore
from timeline.stores.sqlite import SQLiteStore

__all__ = [
    "Anchor",
    "CheckReport",
    "IncrementalStore",
    "IndexedStore",
    "JsonlStore",
    "MemoryStore",
    "NotifyingStore",
    "Problem",
    "ProblemKind",
    "QueryableStore",
    "RepairReport",
    "SQLiteStore",
    "SharedStore",
    "Store",
    "about",
    "aliases",
    "as_of",
    "backend_for",
    "check",
    "check_batch",
    "count",
    "happening",
    "history",
    "open_store",
    "read_after",
    "read_known",
    "rebuild_index",
    "repair",
    "wait_for_entries",
]


class Store(Protocol):
    """What `timeline.EventLog` needs from a place that keeps entries.

    .. versionadded:: 0.1.0
    """

    def append(self, entries: Sequence[Entry]) -> None:
        """Add *entries* after the last stored one: all of them, or none.

        When it returns, the entries survive a crash of the process (file
        stores write and ``fsync`` before returning). When it raises, nothing
        of the batch is stored.

        Raises:
            ConcurrencyError: If the first entry's seq does not follow the
                last stored one, as when another writer appended first.
            InvalidEntryError: If an item is not an entry or seqs skip.
            StoreError: If the store is closed.
        """
        ...

    def read(self) -> Iterator[Entry]:
        """Return every stored entry, in seq order.

        Raises:
            CorruptLogError: If the stored data was damaged or edited; the
                message names where (file and line, or seq).
            StoreError: If the store is closed.
        """
        ...

    def __len__(self) -> int:
        """Return how many entries are stored, which is also the last seq."""
        ...

    def close(self) -> None:
        """Release the file or connection; calling it again does nothing."""
        ...

    def __enter__(self) -> Self:
        """Return the store itself, to be closed when the block ends."""
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the store."""
        ...


@runtime_checkable
class QueryableStore(Store, Protocol):
    """A store that filters entries itself, as an index-backed store can.

    Use `read_known()` to ask any store; it uses this method when the store
    has it and filters `Store.read` otherwise.

    .. versionadded:: 0.1.0
    """

    def read_known(
        self,
        *,
        published_until: dt.date | None = None,
        event_ids: Collection[str] | None = None,
        seq_until: int | None = None,
    ) -> Iterator[Entry]:
        """Return the entries that pass every given filter, in seq order.

        Must equal filtering `Store.read` by hand, as `read_known()` does.

        Args:
            published_until: Only entries whose report was published on or
                before this day (``report.published_day``).
            event_ids: Only entries whose own ``event_id`` is one of these
                (an entry naming a happening in another field, as `SameAs`
                does, is not selected by that other id).
            seq_until: Only entries numbered up to this seq, inclusive.

        Raises:
            InvalidDateError: If *published_until* is not a day (a datetime
                is refused).
            TypeError: If *event_ids* is a single string or holds
                non-strings, or *seq_until* is not a whole number.
            StoreError: If the store is closed.
        """
        ...


@runtime_checkable
class SharedStore(Store, Protocol):
    """A store that several writers, in several processes, can append to at once.

    `timeline.EventLog` appends through `append_after` when its store has it:
    while no other writer can append, the log takes in what the others
    appended since its own last entry, stamps its batch after them and
    writes it. Appends then never fail because another writer came first
    (unless the caller asks, with *expected_seq*). All the built-in stores
    are shared stores.

    .. versionadded:: 0.1.0
    """

    def append_after(
        self, seq: int, build: Callable[[Sequence[Entry]], Sequence[Entry]]
    ) -> list[Entry]:
        """Append the batch that *build* makes, while no other writer can append.

        *build* is called once, under the store's write lock, with the stored
        entries numbered above *seq*: those the caller has not seen yet. It
        returns the batch to append, which must start right after the last
        stored entry. If *build* raises, nothing is written and the error
        propagates.

        Args:
            seq: The last seq the caller holds.
            build: Makes the batch from the entries appended by others.

        Returns:
            The batch, as appended.

        Raises:
            ConcurrencyError: If the batch does not start right after the
                last stored entry.
            InvalidEntryError: If an item is not an entry or seqs skip.
            CorruptLogError: If what other writers stored is damaged.
            StoreError: If the store is closed.
        """
        ...


@runtime_checkable
class IndexedStore(QueryableStore, Protocol):
    """A store that answers lookups through indexes of its own, as a database does.

    `timeline.EventLog.open` keeps a log in such a store without loading
    it: every question (`timeline.stores.as_of`, `happening`, `history`,
    `about`, and the lookups the log's acceptance rules make on an append)
    is answered from these methods, whose cost grows with their answers,
    not with the log. `SQLiteStore` is one, and so is
    `timeline.stores.postgresql.PostgreSQLStore`; a store of another
    database becomes one by implementing these methods besides `Store`'s (and
    passing the contract tests, which compare its answers with the log
    loaded in memory).

    .. versionadded:: 0.2.0
    """

    def entry_at(self, seq: int) -> Entry:
        """Return the entry numbered *seq*.

        Raises:
            DanglingReferenceError: If the store holds no such entry.
        """
        ...

    def holds_happening(self, event_id: str, *, seq_until: int) -> bool:
        """Return whether a claim or response up to *seq_until* is about *event_id*.

        Analyst entries do not count.
        """
        ...

    def happening_ids(self, *, seq_until: int) -> Iterator[str]:
        """Return every id a claim or response up to *seq_until* is about, once."""
        ...

    def last_published_day(self, *, seq_until: int) -> dt.date | None:
        """Return the latest day an entry up to *seq_until* was published on."""
        ...

    def count_happening_ids(
        self,
        *,
        published_until: dt.date,
        seq_until: int,
        voided: Collection[int],
        event_ids: Collection[str] | None = None,
    ) -> int:
        """Return how many distinct ids the claims and responses known on a day name.

        Those published on or before *published_until*, numbered up to
        *seq_until*, not numbered among *voided*, and (if given) about one
        of *event_ids*; analyst entries do not count.
        """
        ...

    def read_types(
        self, event_types: Collection[str], *, seq_until: int
    ) -> Iterator[Entry]:
        """Return the entries of these type tags up to *seq_until*, in seq order."""
        ...

    def merges_naming(self, ids: Collection[str], *, seq_until: int) -> list[Entry]:
        """Return the `SameAs` and `Split` entries up to *seq_until* naming *ids*.

        On either side (``event_id`` or ``other_event_id``), in seq order.
        """
        ...

    def search(self, text: str, *, seq_until: int) -> Collection[str] | None:
        """Return the happening ids of the entries whose texts may hold *text*.

        Every entry up to *seq_until* in whose event_id or
        `timeline.projections.searched_texts` the case-folded *text*
        occurs must be among them; more may be (each is then matched
        exactly). None when the store cannot tell without reading every
        entry, as for a text too short for its index.
        """
        ...


@runtime_checkable
class IncrementalStore(Store, Protocol):
    """A store that reads the entries above a seq without reading the others.

    Use `read_after()` to ask any store. All the built-in stores are
    incremental stores.

    .. versionadded:: 0.2.0
    """

    def read_after(self, seq: int) -> Sequence[Entry]:
        """Return the stored entries numbered above *seq*, in seq order.

        Must equal ``list(store.read())[seq:]`` for any *seq* >= 0, and
        check the first entry against the hash of entry *seq* in a store
        sealed by a hash chain.

        Raises:
            TypeError: If *seq* is not a whole number.
            CorruptLogError: If the entries read are damaged.
            StoreError: If the store is closed.
        """
        ...


@runtime_checkable
class NotifyingStore(Store, Protocol):
    """A store that can say when another writer appends, without being polled.

    `timeline.stores.postgresql.PostgreSQLStore` is one: it listens for the
    notification each append sends as it commits.

    .. versionadded:: 0.2.0
    """

    def wait(self, seq: int, timeout: float | None = None) -> bool:
        """Wait until the store holds an entry above *seq*; return whether it does.

        Args:
            seq: The last seq the caller holds.
            timeout: Seconds to wait at most; None waits for ever.

        Raises:
            StoreError: If the store is closed.
        """
        ...


def read_after(store: Store, seq: int) -> list[Entry]:
    """Return the entries of *store* numbered above *seq*, in seq order.

    Asks the store itself when it is an `IncrementalStore` (reading only
    those entries); otherwise reads it all.

    >>> from timeline.stores import MemoryStore, read_after
    >>> read_after(MemoryStore(), 0)
    []

    Raises:
        TypeError: If *seq* is not a whole number.

    .. versionadded:: 0.2.0
    """
    if isinstance(seq, bool) or not isinstance(seq, int):
        msg = f"seq must be a whole number, got {seq!r}"
        raise TypeError(msg)
    if isinstance(store, IncrementalStore):
        return list(store.read_after(seq))
    return list(store.read())[max(seq, 0) :]


def wait_for_entries(
    store: Store, seq: int, *, timeout: float | None, poll: float = 0.2
) -> bool:
    """Wait until *store* holds an entry above *seq*, or *timeout* seconds pass.

    A `NotifyingStore` is told by the server when a writer commits; any
    other store is asked how many entries it holds every *poll* seconds,
    which for the built-in file stores is cheap (the size of a JSON Lines
    file, the last seq of a SQLite database's primary key).

    Args:
        store: Any store.
        seq: The last seq the caller holds.
        timeout: Seconds to wait at most; None waits for ever.
        poll: Seconds between two looks at a store that cannot notify.

    Returns:
        Whether the store holds an entry above *seq*.

    .. versionadded:: 0.2.0
    """
    if isinstance(store, NotifyingStore):
        return store.wait(seq, timeout)
    deadline = None if timeout is None else time.monotonic() + timeout
    while len(store) <= seq:
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            return False
        time.sleep(poll if left is None else min(poll, left))
    return True


def read_known(
    store: Store,
    *,
    published_until: dt.date | None = None,
    event_ids: Collection[str] | None = None,
    seq_until: int | None = None,
) -> Iterator[Entry]:
    """Return the entries of *store* that pass every given filter, in seq order.

    Asks the store itself when it is a `QueryableStore`; otherwise reads it
    all and filters.

    >>> import datetime as dt
    >>> from timeline.stores import MemoryStore, read_known
    >>> list(read_known(MemoryStore(), published_until=dt.date(2017, 10, 5)))
    []

    Args:
        store: Any store.
        published_until: Only entries whose report was published on or
            before this day.
        event_ids: Only entries whose ``event_id`` is one of these.
        seq_until: Only entries numbered up to this seq, inclusive.

    Raises:
        InvalidDateError: If *published_until* is not a day.
        TypeError: If *event_ids* or *seq_until* has the wrong type.

    .. versionadded:: 0.1.0
    """
    known = Known.check(
        published_until=published_until, event_ids=event_ids, seq_until=seq_until
    )
    if isinstance(store, QueryableStore):
        return store.read_known(
            published_until=known.published_until,
            event_ids=known.event_ids,
            seq_until=known.seq_until,
        )
    return known.filter(store.read())


_BACKENDS: dict[str, type[JsonlStore] | type[SQLiteStore]] = {
    ".jsonl": JsonlStore,
    ".sqlite": SQLiteStore,
    ".db": SQLiteStore,
}


def open_store(
    path: str | os.PathLike[str], *, create: bool = True, read_only: bool = False
) -> Store:
    """Open the store kept at *path*, choosing the backend by the file's suffix.

    ``.jsonl`` opens a `JsonlStore`; ``.sqlite`` and ``.db`` open a
    `SQLiteStore`; a ``postgresql://`` (or ``postgres://``) URL opens a
    `timeline.stores.postgresql.PostgreSQLStore`, which needs the
    ``contested-timeline[postgresql]`` extra.

    Args:
        path: The file, or a PostgreSQL URL.
        create: Whether to create a missing file rather than fail.
        read_only: Open it for reading only: nothing is ever written, not
            even a lock or a SQLite journal, so a log on read-only media or
            one the user may only read can be asked questions. Appending
            raises `ReadOnlyLogError`. A missing file is not created.

    Raises:
        StoreError: If no backend handles the suffix, psycopg is missing for
            a URL, or the database cannot be reached or holds no log and
            *create* is false or *read_only* true.
        FileNotFoundError: If the file is missing and *create* is false, or
            *read_only* is true.
        ReadOnlyLogError: If the file cannot be written and *read_only* is
            false.
        CorruptLogError: If the file cannot be read back as written.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 PostgreSQL URLs.
    """
    if is_database_url(path):
        return _open_postgresql(str(path), create=create, read_only=read_only)
    return backend_for(path)(path, create=create, read_only=read_only)


def backend_for(path: str | os.PathLike[str]) -> type[JsonlStore | SQLiteStore]:
    """Return the store class `open_store` opens a file at *path* with.

    Nothing is opened: a program may check a name before it writes there.

    Raises:
        StoreError: If no backend handles the file's suffix.

    .. versionadded:: 0.2.0
    """
    suffix = Path(path).suffix.lower()
    backend = _BACKENDS.get(suffix)
    if backend is None:
        msg = (
            f"{os.fspath(path)!r}: no store backend for suffix {suffix or '(none)'!r}; "
            f"use one of {', '.join(sorted(_BACKENDS))}"
        )
        raise StoreError(msg)
    return backend


def _open_postgresql(url: str, *, create: bool, read_only: bool) -> Store:
    # Imported here: psycopg is an optional extra, and only a URL needs it.
    try:
        from timeline.stores.postgresql import PostgreSQLStore  # noqa: PLC0415
    except ImportError as error:
        msg = (
            f"a PostgreSQL log needs psycopg ({error}): install the "
            "contested-timeline[postgresql] extra"
        )
        raise StoreError(msg) from None
    return PostgreSQLStore(url, create=create, read_only=read_only)
