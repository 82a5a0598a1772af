import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Self

import pytest

from timeline import Entry
from timeline.errors import ConcurrencyError, InvalidDateError, InvalidEntryError
from timeline.model.events import Death
from timeline.model.sources import Report
from timeline.stores import MemoryStore, QueryableStore, read_known

from ..helpers import day, report
from .contract import SharedStoreContract

START = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
TASS = report("TASS", dt.date(2017, 9, 24))
MT = report("Military Times", dt.date(2017, 10, 4))


def death(seq: int, source: Report = TASS) -> Entry:
    """Return entry *seq*: a death reported by *source*."""
    event = Death(
        event_id="asapov-death",
        report=source,
        person="Valery Asapov",
        when=day("2017-09-24"),
    )
    return Entry(seq, START, event)


class TestMemoryStore(SharedStoreContract):
    """Run the store contract against `MemoryStore`."""

    def make_store(self):
        """Return a new in-memory store."""
        return MemoryStore()


def test_starts_from_given_entries():
    """A memory store can start from entries, checked like an appended batch."""
    store = MemoryStore([death(1), death(2, MT)])

    assert [entry.seq for entry in store.read()] == [1, 2]
    assert repr(store) == "<MemoryStore of 2 entries>"


def test_given_entries_must_start_at_seq_one():
    """Entries that do not start the log are refused."""
    with pytest.raises(
        ConcurrencyError, match="ends at seq 0, but the batch starts at seq 2"
    ):
        MemoryStore([death(2)])


class CoreOnlyStore:
    """A third-party store with only the core protocol: no read_known of its own."""

    def __init__(self) -> None:
        self._store = MemoryStore()

    def append(self, entries: Sequence[Entry]) -> None:
        """Delegate to a memory store."""
        self._store.append(entries)

    def read(self) -> Iterator[Entry]:
        """Delegate to a memory store."""
        return self._store.read()

    def __len__(self) -> int:
        return len(self._store)

    def close(self) -> None:
        """Delegate to a memory store."""
        self._store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def test_read_known_filters_a_store_that_cannot():
    """A store without read_known of its own is read whole and filtered."""
    with CoreOnlyStore() as store:
        store.append([death(1), death(2, MT)])

        found = read_known(store, published_until=dt.date(2017, 10, 3))

        assert not isinstance(store, QueryableStore)
        assert [entry.seq for entry in found] == [1]
        assert len(store) == 2


@pytest.mark.parametrize(
    ("batch", "error", "message"),
    [
        ([death(2)], ConcurrencyError, "ends at seq 0, but the batch starts at seq 2"),
        ([death(1), death(3)], InvalidEntryError, "batch entry seq 3 should be 2"),
        (
            [death(1), Entry(2, START.replace(tzinfo=None), death(2).event)],
            InvalidDateError,
            "entry seq 2 recorded_at must be an aware datetime",
        ),
        (
            [death(1), "entry 2"],
            InvalidEntryError,
            "item 1 of the batch is not an entry",
        ),
    ],
)
def test_every_store_refuses_what_it_could_not_give_back(batch, error, message):
    """The shared batch check names the bad item and why."""
    store = MemoryStore()

    with pytest.raises(error, match=message):
        store.append(batch)
    assert len(store) == 0
