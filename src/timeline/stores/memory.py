# SPDX-License-Identifier: MIT
"""A store that keeps entries in memory: the reference every backend matches."""

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence

from timeline.errors import StoreError
from timeline.model.entry import Entry
from timeline.stores._records import ClosingOnExit, Known, check_batch

__all__ = ["MemoryStore"]


class MemoryStore(ClosingOnExit):
    """A store that keeps its entries in a list and forgets them when dropped.

    It is the simplest thing that passes ``StoreContract``, and the model the
    stateful tests compare the file stores with.

    >>> from timeline.stores import MemoryStore
    >>> with MemoryStore() as store:
    ...     len(store)
    0

    Args:
        entries: Entries to start from, checked like an appended batch.

    .. versionadded:: 0.1.0
    """

    __slots__ = ("_closed", "_entries")

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self._entries: list[Entry] = []
        self._closed = False
        self.append(list(entries))

    def __repr__(self) -> str:
        return f"<MemoryStore of {len(self._entries)} entries>"

    def __len__(self) -> int:
        self._check_open()
        return len(self._entries)

    def append(self, entries: Sequence[Entry]) -> None:
        """Add *entries* after the last one: all of them, or none.

        Raises:
            ConcurrencyError: If the first entry's seq does not follow the
                store's last one.
            InvalidEntryError: If an item is not an entry, or seqs skip.
            StoreError: If the store is closed.
        """
        self._check_open()
        batch = check_batch(entries, last_seq=len(self._entries), where=repr(self))
        self._entries.extend(batch)

    def append_after(
        self, seq: int, build: Callable[[Sequence[Entry]], Sequence[Entry]]
    ) -> list[Entry]:
        """Append the batch *build* makes from the entries numbered above *seq*.

        Args:
            seq: The last seq the caller holds.
            build: Makes the batch from the entries appended by others.

        Returns:
            The batch, as appended.

        Raises:
            ConcurrencyError: If the batch does not follow the last entry.
            InvalidEntryError: If an item is not an entry, or seqs skip.
            StoreError: If the store is closed.
        """
        self._check_open()
        others = self._entries[max(seq, 0) :]
        batch = check_batch(
            build(others), last_seq=len(self._entries), where=repr(self)
        )
        self._entries.extend(batch)
        return batch

    def read_after(self, seq: int) -> list[Entry]:
        """Return the entries numbered above *seq*, in seq order.

        Raises:
            StoreError: If the store is closed.
        """
        self._check_open()
        return self._entries[max(seq, 0) :]

    def read(self) -> Iterator[Entry]:
        """Return every entry, in seq order.

        Raises:
            StoreError: If the store is closed.
        """
        self._check_open()
        return iter(list(self._entries))

    def read_known(
        self,
        *,
        published_until: dt.date | None = None,
        event_ids: Collection[str] | None = None,
        seq_until: int | None = None,
    ) -> Iterator[Entry]:
        """Return the entries that pass every given filter, in seq order.

        Args:
            published_until: Only entries whose report was published on or
                before this day.
            event_ids: Only entries whose ``event_id`` is one of these.
            seq_until: Only entries numbered up to this seq, inclusive.

        Raises:
            InvalidDateError: If *published_until* is not a day.
            TypeError: If *event_ids* or *seq_until* has the wrong type.
            StoreError: If the store is closed.
        """
        known = Known.check(
            published_until=published_until, event_ids=event_ids, seq_until=seq_until
        )
        self._check_open()
        return known.filter(self._entries)

    def close(self) -> None:
        """Close the store; later calls but `close` raise `StoreError`."""
        self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            msg = f"{self!r} is closed"
            raise StoreError(msg)
